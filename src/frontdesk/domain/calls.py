"""Vocabulary of a call: safety routes, caller intents, outcomes and hand-offs."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Route(StrEnum):
    """Where the safety screen sends an utterance (DESIGN.md, "Safety routes")."""

    EMERGENCY = "emergency"
    CRISIS = "crisis"
    CLINICAL = "clinical"
    ADMINISTRATIVE = "administrative"
    SENSITIVE = "sensitive"
    ROUTINE = "routine"

    @property
    def severity(self) -> int:
        """Higher is more severe; the precedence order of DESIGN.md and the screen issue."""
        return _SEVERITY[self]

    @property
    def is_crisis(self) -> bool:
        """Emergency and crisis routes take the call off the booking path for good."""
        return self in (Route.EMERGENCY, Route.CRISIS)

    @property
    def is_staff_only(self) -> bool:
        return self in (Route.CLINICAL, Route.ADMINISTRATIVE)


_SEVERITY: dict[Route, int] = {
    Route.EMERGENCY: 5,
    Route.CRISIS: 4,
    Route.CLINICAL: 3,
    Route.ADMINISTRATIVE: 2,
    Route.SENSITIVE: 1,
    Route.ROUTINE: 0,
}


def most_severe(routes: Iterable[Route]) -> Route:
    """The most severe of some routes; `routine` when there are none."""
    return max(routes, key=lambda r: r.severity, default=Route.ROUTINE)


class Intent(StrEnum):
    """What a caller calls about (the `intent` values of `frontdesk simulate`)."""

    NEW_CLIENT = "new_client"
    CONSULT = "consult"
    EXISTING_CLIENT = "existing_client"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    WAITLIST = "waitlist"
    INSURANCE_QUESTION = "insurance_question"
    FEE_QUESTION = "fee_question"
    TELEHEALTH_QUESTION = "telehealth_question"
    PROVIDER_QUESTION = "provider_question"
    MESSAGE = "message"
    SPEAK_TO_PERSON = "speak_to_person"
    OTHER = "other"


class CallResult(StrEnum):
    """How a call ended, from the practice's point of view."""

    EMERGENCY_DIRECTED = "emergency_directed"
    CRISIS_DIRECTED = "crisis_directed"
    HANDED_OFF = "handed_off"
    CALLBACK_REQUESTED = "callback_requested"
    MESSAGE_TAKEN = "message_taken"
    INFO_PROVIDED = "info_provided"
    CONSULT_BOOKED = "consult_booked"
    FIRST_SESSION_BOOKED = "first_session_booked"
    WAITLISTED = "waitlisted"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    ABANDONED = "abandoned"


class HandoffCategory(StrEnum):
    """Which staff queue a hand-off or callback task belongs to."""

    EMERGENCY = "emergency"
    CRISIS = "crisis"
    CLINICAL = "clinical"
    ADMINISTRATIVE = "administrative"
    CALLBACK = "callback"
    MESSAGE = "message"
    TASK = "task"  # staff work Frontdesk opens itself (a Good Faith Estimate), not a call's ask


class Urgency(StrEnum):
    """How soon staff must act on a hand-off."""

    URGENT = "urgent"
    SAME_DAY = "same_day"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        """Lower sorts first in the callback queue."""
        return {Urgency.URGENT: 0, Urgency.SAME_DAY: 1, Urgency.ROUTINE: 2}[self]
