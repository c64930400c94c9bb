"""The state of one call between turns, and its JSON form for persistence.

`CallState.to_dict()` is JSON-safe and versioned so a restarted process can load the state
the last turn stored and continue the call where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, time
from enum import StrEnum
from typing import Any

from frontdesk.conversation.script import Say
from frontdesk.conversation.understanding.result import Slot
from frontdesk.domain.calls import CallResult, Intent, Route
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import (
    AvailabilityWindow,
    ForWhom,
    Intake,
    Modality,
    Payment,
    ReminderPreference,
    TelehealthConstraints,
    Weekday,
)

STATE_VERSION = 1


class Phase(StrEnum):
    """Where the call is; the flow of the phase decides the next step."""

    GREETING = "greeting"  # waiting for the caller's purpose
    INTAKE = "intake"  # asking `CallState.asking`
    CONFIRMING = "confirming"  # waiting for yes/no on a read-back
    EXISTING = "existing"  # an existing client: name, number, what they need
    ANSWERING = "answering"  # a question was answered; "anything else?"
    MESSAGE = "message"  # waiting for the message body
    HANDOFF = "handoff"  # a staff-only hand-off; capturing how to reach the caller
    CRISIS_CLOSED = "crisis_closed"  # crisis or emergency wording given; never back to booking
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class CallState:
    """Everything the engine remembers about a call. Unknown is None, never guessed."""

    phase: Phase = Phase.GREETING
    asking: Slot | None = None
    intake: Intake = field(default_factory=Intake)
    intent: Intent | None = None
    route: Route = Route.ROUTINE  # most severe route of the call so far
    crisis: bool = False  # latched by emergency or crisis: the call never returns to booking
    reprompts: int = 0
    last_says: tuple[Say, ...] = ()
    caller_number: str | None = None
    after_hours: bool = False
    settled: frozenset[Slot] = frozenset()  # answered or declined: never asked again
    pending: Intake | None = None  # a read-back awaiting yes/no
    after_confirm: Phase = Phase.INTAKE  # where a confirmed read-back continues
    payer_unlisted: str | None = None
    message: str | None = None
    result: CallResult | None = None
    handed_off: bool = False
    known_number_declined: bool = False  # the caller's own number is not the one to call back
    video_unavailable_said: bool = False  # "offered in person only" was already said
    turns: int = 0

    def evolve(self, **changes: Any) -> CallState:
        """A copy with some fields replaced."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe, versioned form of this state."""
        return {
            "version": STATE_VERSION,
            "phase": self.phase.value,
            "asking": _opt(self.asking),
            "intake": intake_to_dict(self.intake),
            "intent": _opt(self.intent),
            "route": self.route.value,
            "crisis": self.crisis,
            "reprompts": self.reprompts,
            "last_says": [{"line": s.line_id, "values": dict(s.values)} for s in self.last_says],
            "caller_number": self.caller_number,
            "after_hours": self.after_hours,
            "settled": sorted(s.value for s in self.settled),
            "pending": None if self.pending is None else intake_to_dict(self.pending),
            "after_confirm": self.after_confirm.value,
            "payer_unlisted": self.payer_unlisted,
            "message": self.message,
            "result": _opt(self.result),
            "handed_off": self.handed_off,
            "known_number_declined": self.known_number_declined,
            "video_unavailable_said": self.video_unavailable_said,
            "turns": self.turns,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> CallState:
        """The state `to_dict` produced; refuses an unknown version."""
        if data.get("version") != STATE_VERSION:
            raise InvalidInput(f"call state version {data.get('version')!r} is not supported")
        try:
            pending = data["pending"]
            return CallState(
                phase=Phase(data["phase"]),
                asking=None if data["asking"] is None else Slot(data["asking"]),
                intake=intake_from_dict(data["intake"]),
                intent=None if data["intent"] is None else Intent(data["intent"]),
                route=Route(data["route"]),
                crisis=bool(data["crisis"]),
                reprompts=int(data["reprompts"]),
                last_says=tuple(
                    Say(s["line"], tuple(sorted(s["values"].items()))) for s in data["last_says"]
                ),
                caller_number=data["caller_number"],
                after_hours=bool(data["after_hours"]),
                settled=frozenset(Slot(s) for s in data["settled"]),
                pending=None if pending is None else intake_from_dict(pending),
                after_confirm=Phase(data["after_confirm"]),
                payer_unlisted=data["payer_unlisted"],
                message=data["message"],
                result=None if data["result"] is None else CallResult(data["result"]),
                handed_off=bool(data["handed_off"]),
                known_number_declined=bool(data["known_number_declined"]),
                video_unavailable_said=bool(data["video_unavailable_said"]),
                turns=int(data["turns"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput(f"call state field is malformed: {exc.__class__.__name__}") from None


def _opt(value: StrEnum | None) -> str | None:
    return None if value is None else value.value


def _time(value: time | None) -> str | None:
    return None if value is None else value.isoformat(timespec="minutes")


def window_to_dict(window: AvailabilityWindow) -> dict[str, Any]:
    """A JSON-safe availability window."""
    return {
        "text": window.text,
        "weekdays": sorted((d.value for d in window.weekdays), key=lambda d: Weekday(d).number),
        "on": None if window.on is None else window.on.isoformat(),
        "start": _time(window.start),
        "end": _time(window.end),
    }


def window_from_dict(data: dict[str, Any]) -> AvailabilityWindow:
    return AvailabilityWindow(
        text=data["text"],
        weekdays=frozenset(Weekday(d) for d in data["weekdays"]),
        on=None if data["on"] is None else date.fromisoformat(data["on"]),
        start=None if data["start"] is None else time.fromisoformat(data["start"]),
        end=None if data["end"] is None else time.fromisoformat(data["end"]),
    )


def constraints_to_dict(value: TelehealthConstraints | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {f.name: getattr(value, f.name) for f in fields(value)}


def intake_to_dict(intake: Intake) -> dict[str, Any]:
    """A JSON-safe intake (enums as values, windows as dicts)."""
    return {
        "for_whom": _opt(intake.for_whom),
        "client_age": intake.client_age,
        "client_name": intake.client_name,
        "modality": _opt(intake.modality),
        "state": intake.state,
        "payment": _opt(intake.payment),
        "payer": intake.payer,
        "concern": intake.concern,
        "availability": [window_to_dict(w) for w in intake.availability],
        "reminder_preference": _opt(intake.reminder_preference),
        "callback_number": intake.callback_number,
        "callback_confirmed": intake.callback_confirmed,
        "email": intake.email,
        "consent_to_text": intake.consent_to_text,
        "telehealth_constraints": constraints_to_dict(intake.telehealth_constraints),
        "specialty": intake.specialty,
        "clinician_preference": intake.clinician_preference,
    }


def intake_from_dict(data: dict[str, Any]) -> Intake:
    tc = data["telehealth_constraints"]
    return Intake(
        for_whom=None if data["for_whom"] is None else ForWhom(data["for_whom"]),
        client_age=data["client_age"],
        client_name=data["client_name"],
        modality=None if data["modality"] is None else Modality(data["modality"]),
        state=data["state"],
        payment=None if data["payment"] is None else Payment(data["payment"]),
        payer=data["payer"],
        concern=data["concern"],
        availability=tuple(window_from_dict(w) for w in data["availability"]),
        reminder_preference=(
            None
            if data["reminder_preference"] is None
            else ReminderPreference(data["reminder_preference"])
        ),
        callback_number=data["callback_number"],
        callback_confirmed=bool(data["callback_confirmed"]),
        email=data["email"],
        consent_to_text=data["consent_to_text"],
        telehealth_constraints=None if tc is None else TelehealthConstraints(**tc),
        specialty=data["specialty"],
        clinician_preference=data["clinician_preference"],
    )
