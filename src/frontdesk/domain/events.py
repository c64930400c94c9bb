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
    )
}
"""Every event class by its stored `kind`; a new event is added here to be storable."""
