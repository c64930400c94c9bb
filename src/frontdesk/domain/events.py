"""Domain events: past-tense facts recorded with the change that caused them.

Events carry ids and non-sensitive fields only (no caller words, names or numbers), so
analytics and audit may read them freely. They are stored in the same commit as the change
and handed to observers after it (`UnitOfWork.collect_events()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.records import CallId, HandoffId, InquiryId, require_aware


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of every domain event; `kind` is the class name, as stored."""

    occurred_at: datetime

    def __post_init__(self) -> None:
        require_aware(self.occurred_at, "occurred_at")

    @property
    def kind(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, slots=True, kw_only=True)
class CallStarted(Event):
    call_id: CallId
    after_hours: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnTaken(Event):
    call_id: CallId
    seq: int
    route: Route = Route.ROUTINE
    intent: Intent | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CrisisFlagged(Event):
    """The safety screen sent a call to a crisis or emergency route (rule ids, no words)."""

    call_id: CallId
    seq: int
    route: Route
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoffCreated(Event):
    handoff_id: HandoffId
    category: HandoffCategory
    urgency: Urgency
    call_id: CallId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryCaptured(Event):
    inquiry_id: InquiryId
    call_id: CallId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackRequested(Event):
    handoff_id: HandoffId
    call_id: CallId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageTaken(Event):
    handoff_id: HandoffId
    call_id: CallId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEnded(Event):
    call_id: CallId
    route: Route = Route.ROUTINE
    intent: Intent | None = None
    result: CallResult | None = None
    after_hours: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackCompleted(Event):
    """Staff marked a hand-off done; with `CallEnded` it gives the callback speed."""

    handoff_id: HandoffId
    category: HandoffCategory
    urgency: Urgency
    call_id: CallId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackAttempted(Event):
    """Staff tried to reach the caller about a hand-off; `outcome` is an `AttemptOutcome`
    value (the note stays with the attempt, never here)."""

    handoff_id: HandoffId
    outcome: str
    call_id: CallId | None = None
    inquiry_id: InquiryId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoffWoken(Event):
    """A task waiting for the caller was opened again because they called or texted."""

    handoff_id: HandoffId
    call_id: CallId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallMissed(Event):
    """A call the practice did not get to the end of: no-answer, busy, failed, canceled,
    or the caller hanging up before the purpose was met (`abandoned`)."""

    call_id: CallId
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentBooked(Event):
    """A slot was booked. `service` is the service kind (consult, first_session, ongoing);
    `source` says how: `call`, `waitlist`, `sms` or `staff`."""

    appointment_id: str
    service: str
    clinician_id: str
    starts_at: datetime
    booked_by_ai: bool
    source: str
    established_client: bool = False
    private_pay: bool = False
    call_id: CallId | None = None
    inquiry_id: InquiryId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentRescheduled(Event):
    appointment_id: str
    new_appointment_id: str
    service: str
    established_client: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentCancelled(Event):
    """`late` when inside the cancellation policy window (flagged, never charged)."""

    appointment_id: str
    service: str
    late: bool
    established_client: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentMarked(Event):
    """Staff recorded attendance: `attended`, `no_show`, `late_cancelled` or `cancelled`."""

    appointment_id: str
    service: str
    status: str
    established_client: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentConfirmed(Event):
    """The client confirmed an appointment; `channel` says how (`sms`, `email`, `voice`)."""

    appointment_id: str
    channel: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WaitlistJoined(Event):
    entry_id: str
    call_id: CallId | None = None
    inquiry_id: InquiryId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningOffered(Event):
    offer_id: str
    entry_id: str
    opening_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferAccepted(Event):
    offer_id: str
    entry_id: str
    appointment_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferExpired(Event):
    offer_id: str
    entry_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageSent(Event):
    """An outbound text, e-mail or call went out. `purpose`: reminder, offer, follow_up,
    page, confirmation …; no content is stored here."""

    message_id: str
    channel: str
    purpose: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        CallStarted,
        TurnTaken,
        CrisisFlagged,
        HandoffCreated,
        InquiryCaptured,
        CallbackRequested,
        MessageTaken,
        CallEnded,
        CallbackCompleted,
        CallbackAttempted,
        HandoffWoken,
        CallMissed,
        AppointmentBooked,
        AppointmentRescheduled,
        AppointmentCancelled,
        AppointmentMarked,
        AppointmentConfirmed,
        WaitlistJoined,
        OpeningOffered,
        OfferAccepted,
        OfferExpired,
        MessageSent,
    )
}
"""Every event class by its stored `kind`; a new event is added here to be storable."""
