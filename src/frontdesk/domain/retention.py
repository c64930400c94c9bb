"""How long the practice keeps what people said, per kind, and what a purge removed.

Content is kept only as long as it serves the person and the practice; what the 30-day
metrics count (calls, their outcome and route, events, hand-off times) is not content and
is never purged. The defaults, and why a practice can defend them:

- `transcripts_days` (90): turns (caller words, keypad digits, what was said back) and
  the call's working state. Staff work a call within days; a complaint or a quality
  review of how a call was handled comes within weeks. The inquiry and any booking are
  kept in their own records, so nothing staff act on is lost with the transcript.
- `voicemail_transcriptions_days` (30): the text of a voicemail serves the callback,
  which happens within days; the task itself stays (closed hand-offs below).
- `inbound_texts_days` (30): a handled text is kept only as a guard against a retried
  delivery, which comes within minutes; its reply went through the outbox.
- `finished_outbox_days` (30): the text and recipient of a sent, failed or withdrawn
  message answer "did my reminder go out?" for a month; the row and its status stay.
- `closed_handoffs_days` (180): a done task's summary, number and details answer what was
  asked and done for two quarters (complaints, billing questions); the clinical record
  belongs in the practice's EHR, not here. Category and times stay for the metrics.

Each period is whole days, at least one (a shorter one would pull words from under a
call still being handled) and at most ten years.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum

from frontdesk.domain.errors import InvalidInput

MIN_DAYS = 1
MAX_DAYS = 3650

REDACTED_SUMMARY = "(removed under the practice's retention policy)"
"""What a redacted hand-off's summary says in place of the caller's details."""

# Hand-off detail keys that hold ids and codes, never what anyone said: kept on redaction.
KEPT_DETAIL_KEYS = frozenset(
    {"reason", "task", "message_id", "channel", "purpose", "error", "appointment_id"}
)
KEPT_VOICEMAIL_KEYS = frozenset({"recording_sid", "duration_seconds", "blank"})


def kept_handoff_details(details: dict[str, object]) -> dict[str, object]:
    """A hand-off's details with only ids and codes left, marked redacted."""
    kept: dict[str, object] = {
        key: value
        for key, value in details.items()
        if key in KEPT_DETAIL_KEYS and isinstance(value, str | int | bool)
    }
    voicemail = details.get("voicemail")
    if isinstance(voicemail, dict):
        kept["voicemail"] = {k: v for k, v in voicemail.items() if k in KEPT_VOICEMAIL_KEYS}
    kept["redacted"] = True
    return kept


class RetainedKind(StrEnum):
    """The kinds of content a purge removes or redacts once they expire."""

    TRANSCRIPTS = "transcripts"
    VOICEMAIL_TRANSCRIPTIONS = "voicemail_transcriptions"
    INBOUND_TEXTS = "inbound_texts"
    FINISHED_OUTBOX = "finished_outbox"
    CLOSED_HANDOFFS = "closed_handoffs"


@dataclass(frozen=True, slots=True)
class Retention:
    """Days each kind of content is kept; see the module docstring for the defaults."""

    transcripts_days: int = 90
    voicemail_transcriptions_days: int = 30
    inbound_texts_days: int = 30
    finished_outbox_days: int = 30
    closed_handoffs_days: int = 180

    def __post_init__(self) -> None:
        for item in fields(self):
            days = getattr(self, item.name)
            if isinstance(days, bool) or not isinstance(days, int):
                raise InvalidInput(f"retention {item.name} must be a whole number of days")
            if not MIN_DAYS <= days <= MAX_DAYS:
                raise InvalidInput(
                    f"retention {item.name} must be between {MIN_DAYS} and {MAX_DAYS} days"
                )

    def days(self, kind: RetainedKind) -> int:
        value: int = getattr(self, f"{kind.value}_days")
        return value

    def cutoff(self, kind: RetainedKind, now: datetime) -> datetime:
        """Content of this kind older than the returned moment has expired at `now`."""
        if now.utcoffset() is None:
            raise InvalidInput("now must be timezone-aware")
        return now - timedelta(days=self.days(kind))


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    """How many records of each kind one purge removed or redacted."""

    transcripts: int = 0  # calls whose turns and state were cleared
    voicemail_transcriptions: int = 0  # hand-offs whose voicemail text was cleared
    inbound_texts: int = 0  # handled texts deleted
    finished_outbox: int = 0  # finished messages whose text and recipient were cleared
    closed_handoffs: int = 0  # done hand-offs whose summary, number and details were cleared

    @property
    def total(self) -> int:
        return sum(getattr(self, item.name) for item in fields(self))

    def detail(self) -> str:
        """The counts as `key=value` pairs, as the audit entry of the purge holds them."""
        # Thousands separated by "_", so no count reads as a phone number in the audit log.
        return " ".join(f"{item.name}={getattr(self, item.name):_}" for item in fields(self))
