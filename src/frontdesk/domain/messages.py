"""Outbound messages: the rows of the outbox, their life cycle, quiet hours and opt-outs.

Every text, e-mail or automated call the practice sends is first stored as an
`OutboundMessage` and then sent by the worker. A row moves through these states:

    queued ──claim──> claimed ──hand over──> sending ──> sent
      │ ^                │                      ├──────> failed     (permanent error, or
      │ └──release/retry/defer──────────────────┤                    out of attempts)
      │                                         └──────> uncertain  (maybe sent)
      ├──> suppressed   (opted out, or no consent to texts; at queueing or at hand-over)
      ├──> skipped      (stale when its turn came: see `SkipReason`)
      └──> withdrawn    (no longer wanted, e.g. the appointment was cancelled)

`claimed` rows are leased to one worker but not yet given to the provider: if that worker
stops, they go back to the queue. `sending` rows were given (or were about to be given) to
the provider, and the state was committed before the call. Delivery is at most once: a row
found in `sending` after its lease ran out may already have reached the client, so it is
never sent again automatically; it becomes `uncertain` and staff get a task to check.
Bodies and addresses are kept out of `repr` and error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from frontdesk.domain.errors import FrontdeskError, InvalidInput
from frontdesk.domain.records import CallId, InquiryId, require_aware
from frontdesk.domain.reminders import QuietHours

__all__ = [
    "MAX_ATTEMPTS",
    "Channel",
    "DeliveryFailed",
    "FailureKind",
    "MessageId",
    "MessageStatus",
    "OptOut",
    "OutboundMessage",
    "Purpose",
    "QuietHours",
    "SkipReason",
    "SuppressionReason",
    "mask_address",
    "next_allowed",
    "normalise_address",
    "normalise_number",
    "retry_delay",
]

MessageId = str
MAX_ATTEMPTS = 5
_RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
)


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    VOICE = "voice"

    @property
    def is_phone(self) -> bool:
        """Texts and calls go to a phone number; opt-outs and quiet hours apply to them."""
        return self is not Channel.EMAIL


class Purpose(StrEnum):
    """Why a message is sent; everything but a staff `page` is read by clients."""

    REMINDER = "reminder"
    FOLLOW_UP = "follow_up"
    OFFER = "offer"
    CONFIRMATION = "confirmation"
    REPLY = "reply"
    PAGE = "page"

    @property
    def client_facing(self) -> bool:
        """Client-facing text must pass the discretion lint and respects quiet hours."""
        return self is not Purpose.PAGE


class MessageStatus(StrEnum):
    QUEUED = "queued"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED = "suppressed"
    UNCERTAIN = "uncertain"
    WITHDRAWN = "withdrawn"
    SKIPPED = "skipped"

    @property
    def final(self) -> bool:
        return self in (
            MessageStatus.SENT,
            MessageStatus.FAILED,
            MessageStatus.SUPPRESSED,
            MessageStatus.UNCERTAIN,
            MessageStatus.WITHDRAWN,
            MessageStatus.SKIPPED,
        )

    @property
    def unsent(self) -> bool:
        """Not yet handed to the provider: the message can still be withdrawn."""
        return self in (MessageStatus.QUEUED, MessageStatus.CLAIMED)


class SuppressionReason(StrEnum):
    """Why a message was not sent on purpose (stored as the row's `last_error`)."""

    OPTED_OUT = "opted_out"
    NO_CONSENT = "no_consent"


class SkipReason(StrEnum):
    """Why the worker settled a message unsent: what it says is no longer true or timely."""

    FOLLOW_UP_TOO_OLD = "follow_up_too_old"  # the missed call is older than the window
    OFFER_NOT_HELD = "offer_not_held"  # the waitlist offer lapsed, was taken or withdrawn
    APPOINTMENT_PASSED = "appointment_passed"  # the reminder's appointment has begun
    APPOINTMENT_CANCELLED = "appointment_cancelled"  # cancelled, moved or no longer booked


class FailureKind(StrEnum):
    """What a provider error says about the message: retry, give up, or maybe sent."""

    TRANSIENT = "transient"  # certainly not sent; try again later
    PERMANENT = "permanent"  # certainly not sent; trying again cannot help
    UNKNOWN = "unknown"  # the provider may have accepted it; never resend automatically


class DeliveryFailed(FrontdeskError):
    """A notifier could not deliver a message; `code` is a short provider-neutral code."""

    def __init__(self, code: str, kind: FailureKind, *, opted_out: bool = False) -> None:
        super().__init__(f"delivery failed ({kind.value}): {code}")
        self.code = code
        self.kind = kind
        self.opted_out = opted_out  # the provider says the recipient has unsubscribed


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundMessage:
    """One message in the outbox. `dedupe_key` makes queueing idempotent; `attempts` counts
    claims for sending; `last_error` holds a code (never text from the body)."""

    id: MessageId
    to: str = field(repr=False)
    channel: Channel
    purpose: Purpose
    body: str = field(repr=False)
    created_at: datetime
    send_after: datetime
    updated_at: datetime
    dedupe_key: str | None = None
    status: MessageStatus = MessageStatus.QUEUED
    attempts: int = 0
    provider_id: str | None = None
    call_id: CallId | None = None
    appointment_id: str | None = None
    inquiry_id: InquiryId | None = None
    last_error: str | None = None
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    sent_at: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("created_at", "send_after", "updated_at", "lease_expires_at", "sent_at"):
            require_aware(getattr(self, name), name)
        if not self.to:
            raise InvalidInput(f"message {self.id} has no recipient")
        if not self.body.strip():
            raise InvalidInput(f"message {self.id} has an empty body")
        if self.attempts < 0:
            raise InvalidInput("attempts must not be negative")

    def claimed(self, *, owner: str, at: datetime, lease: timedelta) -> OutboundMessage:
        """Leased to worker `owner` until `at + lease`, not yet handed to the provider."""
        return replace(
            self,
            status=MessageStatus.CLAIMED,
            lease_owner=owner,
            lease_expires_at=at + lease,
            updated_at=at,
        )

    def sending(self, *, at: datetime, lease: timedelta) -> OutboundMessage:
        """About to be handed to the provider (committed first); counts an attempt."""
        return replace(
            self,
            status=MessageStatus.SENDING,
            attempts=self.attempts + 1,
            lease_expires_at=at + lease,
            updated_at=at,
        )

    def released(self, *, at: datetime) -> OutboundMessage:
        """Back in the queue, untouched: its worker stopped before handing it over."""
        return replace(
            self,
            status=MessageStatus.QUEUED,
            lease_owner=None,
            lease_expires_at=None,
            updated_at=at,
        )

    def sent(self, *, provider_id: str, at: datetime) -> OutboundMessage:
        return replace(
            self,
            status=MessageStatus.SENT,
            provider_id=provider_id,
            sent_at=at,
            last_error=None,
            lease_owner=None,
            lease_expires_at=None,
            updated_at=at,
        )

    def suppressed(self, *, reason: SuppressionReason, at: datetime) -> OutboundMessage:
        return self._ended(MessageStatus.SUPPRESSED, reason.value, at)

    def skipped(self, *, reason: SkipReason, at: datetime) -> OutboundMessage:
        """Stale when its turn came (see `SkipReason`); never sent."""
        return self._ended(MessageStatus.SKIPPED, reason.value, at)

    def withdrawn(self, *, code: str, at: datetime) -> OutboundMessage:
        """No longer wanted (a cancelled appointment's reminder); never sent."""
        return self._ended(MessageStatus.WITHDRAWN, code, at)

    def failed(self, *, code: str, at: datetime) -> OutboundMessage:
        return self._ended(MessageStatus.FAILED, code, at)

    def uncertain(self, *, code: str, at: datetime) -> OutboundMessage:
        """Possibly delivered: kept out of every automatic resend."""
        return self._ended(MessageStatus.UNCERTAIN, code, at)

    def deferred(self, *, until: datetime, at: datetime) -> OutboundMessage:
        """Back in the queue until `until` (quiet hours); no attempt is used up."""
        return replace(
            self,
            status=MessageStatus.QUEUED,
            send_after=until,
            lease_owner=None,
            lease_expires_at=None,
            updated_at=at,
        )

    def retried(self, *, code: str, until: datetime, at: datetime) -> OutboundMessage:
        """Back in the queue after a transient error, to be tried again at `until`."""
        return replace(
            self,
            status=MessageStatus.QUEUED,
            send_after=until,
            last_error=code,
            lease_owner=None,
            lease_expires_at=None,
            updated_at=at,
        )

    def requeued(self, *, at: datetime) -> OutboundMessage:
        """Queued again now, after staff confirmed an `uncertain` message never arrived."""
        return replace(
            self,
            status=MessageStatus.QUEUED,
            send_after=at,
            lease_owner=None,
            lease_expires_at=None,
            updated_at=at,
        )

    def _ended(self, status: MessageStatus, code: str, at: datetime) -> OutboundMessage:
        return replace(
            self,
            status=status,
            last_error=code,
            lease_owner=None,
            lease_expires_at=None,
            updated_at=at,
        )


@dataclass(frozen=True, slots=True)
class OptOut:
    """A phone number that texted STOP (or that the provider reports unsubscribed)."""

    number: str
    at: datetime
    keyword: str = "STOP"

    def __post_init__(self) -> None:
        require_aware(self.at, "at")


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before the next try after `attempts` failed ones (1, 5, 15, 60 min)."""
    index = min(max(attempts, 1), len(_RETRY_DELAYS)) - 1
    return _RETRY_DELAYS[index]


def next_allowed(at: datetime, quiet: QuietHours | None, zone: ZoneInfo) -> datetime:
    """The first moment at or after `at` outside the quiet hours, in UTC.

    Quiet hours are read on the practice's wall clock, so the answer follows daylight
    saving time: 21:00–08:00 ends at 08:00 local whatever the UTC offset that morning. An
    end time that does not exist that day (inside a spring-forward gap) is read with the
    offset before the change, which lands just after the gap.
    """
    require_aware(at, "at")
    local = at.astimezone(zone)
    if quiet is None or not quiet.contains(local):
        return at.astimezone(UTC)
    day = local.date()
    if quiet.start > quiet.end and local.time().replace(tzinfo=None) >= quiet.start:
        day += timedelta(days=1)
    end = datetime.combine(day, quiet.end, tzinfo=zone)
    return end.astimezone(UTC)


_NUMBER_FORMATTING = re.compile(r"[\s().\-]")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalise_number(text: str) -> str:
    """An E.164 phone number from common written forms; NANP numbers may omit the `+1`."""
    compact = _NUMBER_FORMATTING.sub("", text.strip())
    if compact.isdigit():
        if len(compact) == 10:
            compact = "+1" + compact
        elif len(compact) == 11 and compact.startswith("1"):
            compact = "+" + compact
    if not _E164.fullmatch(compact):
        raise InvalidInput("not a phone number in E.164 form")
    return compact


def normalise_address(channel: Channel, to: str) -> str:
    """The recipient as stored: E.164 for texts and calls, a trimmed address for e-mail."""
    if channel.is_phone:
        return normalise_number(to)
    address = to.strip()
    if not _EMAIL.fullmatch(address):
        raise InvalidInput("not an e-mail address")
    return address


def mask_address(to: str) -> str:
    """A recipient safe to print: the last four digits of a number, the domain of an e-mail."""
    if "@" in to:
        local, _, domain = to.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"{'*' * max(len(to) - 4, 0)}{to[-4:]}"
