"""What the front desk keeps about a call: the call, its turns and the inquiry it captured.

These are plain frozen values with string ids. The call engine owns `CallRecord.state` (an
opaque JSON-able mapping that lets a restarted process continue the call); the database
adapter stores every record as it is and gives it back unchanged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from frontdesk.domain.calls import CallResult, Intent, Route
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.pipeline import InquiryStage

CallId = str
InquiryId = str
HandoffId = str
ExternalCallId = str  # the telephony provider's id for the call, e.g. a Twilio CallSid


def new_id() -> str:
    """A fresh random id (uuid4, 32 hex digits), the form every record id takes."""
    return uuid.uuid4().hex


def require_aware(value: datetime | None, field_name: str) -> None:
    """Refuse naive datetimes: every stored moment is an aware one, compared in UTC."""
    if value is not None and value.utcoffset() is None:
        raise InvalidInput(f"{field_name} must be a timezone-aware datetime")


class CallStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    ENDED = "ended"


class TurnKind(StrEnum):
    """Which caller event a turn answered (the events of the call engine)."""

    CALL_STARTED = "call_started"
    SPEECH = "speech"
    DIGITS = "digits"
    SILENCE = "silence"
    HANG_UP = "hang_up"
    TRANSFER_MISSED = "transfer_missed"


class InquiryStatus(StrEnum):
    """Where a captured inquiry stands with the practice."""

    OPEN = "open"  # intake under way or incomplete
    CAPTURED = "captured"  # intake complete, no booking yet
    BOOKED = "booked"
    WAITLISTED = "waitlisted"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRecord:
    """One phone call: who, when, how it is going and the engine's state to resume it.

    `route` is the most severe safety route seen so far; `state` belongs to the call engine
    and must be JSON-serialisable (lists come back where tuples went in).
    """

    id: CallId
    started_at: datetime
    external_id: ExternalCallId | None = None
    caller_number: str | None = None  # E.164, as the telephony provider reports it
    ended_at: datetime | None = None
    status: CallStatus = CallStatus.IN_PROGRESS
    after_hours: bool = False
    route: Route = Route.ROUTINE
    intent: Intent | None = None
    result: CallResult | None = None
    state: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require_aware(self.started_at, "started_at")
        require_aware(self.ended_at, "ended_at")


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnRecord:
    """One exchange of a call's transcript: what the caller did and what was said back.

    `(call_id, seq)` is unique, so a retried webhook cannot record the same turn twice;
    `categories` are the safety screen's categories for the caller's words.
    """

    call_id: CallId
    seq: int
    at: datetime
    kind: TurnKind = TurnKind.SPEECH
    caller_text: str | None = None
    digits: str | None = None
    confidence: float | None = None
    agent_text: str = ""
    line_ids: tuple[str, ...] = ()
    route: Route = Route.ROUTINE
    intent: Intent | None = None
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        if self.seq < 0:
            raise InvalidInput("seq must not be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryRecord:
    """An intake captured from a caller, with its place in the practice's pipeline.

    `stage` is the pipeline stage staff last set (with `stage_set_at`), or None; the stage
    shown also follows from bookings and callbacks (`frontdesk.domain.pipeline`).
    """

    id: InquiryId
    created_at: datetime
    updated_at: datetime
    call_id: CallId | None = None
    status: InquiryStatus = InquiryStatus.OPEN
    intake: Intake = field(default_factory=Intake)
    stage: InquiryStage | None = None
    stage_set_at: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.created_at, "created_at")
        require_aware(self.updated_at, "updated_at")
        require_aware(self.stage_set_at, "stage_set_at")
        if (self.stage is None) != (self.stage_set_at is None):
            raise InvalidInput("a stage set by staff needs the time it was set")
