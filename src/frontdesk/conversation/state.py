"""The state of one call between turns, and its JSON form for persistence.

`CallState.to_dict()` is JSON-safe and versioned so a restarted process can load the state
the last turn stored and continue the call where it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from frontdesk.conversation.script import Say
from frontdesk.conversation.understanding.result import Slot
from frontdesk.domain.calendar import Slot as CalendarSlot
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
from frontdesk.domain.practice import ServiceKind

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
    BOOKING = "booking"  # offering, confirming or changing an appointment (`Booking.stage`)
    CRISIS_CLOSED = "crisis_closed"  # crisis or emergency wording given; never back to booking
    ENDED = "ended"


class Stage(StrEnum):
    """Where a booking conversation is, inside `Phase.BOOKING`."""

    OFFERING = "offering"  # slots were read; waiting for a pick, "others" or a named time
    CONFIRMING = "confirming"  # "Shall I book it?"
    WAITLIST = "waitlist"  # nothing fits; waitlist or a callback?
    DATE_OF_BIRTH = "date_of_birth"  # an existing client is asked for their date of birth
    CHOOSING = "choosing"  # a verified client with several appointments picks one
    REASON = "reason"  # why they cancel or reschedule
    CONFIRMING_CANCEL = "confirming_cancel"  # "Shall I cancel it?"


class SafetyCheck(StrEnum):
    """Where the call is with the direct safety question (asked at most once per call)."""

    NOT_ASKED = "not_asked"
    AWAITING = "awaiting"  # the question was just asked; the next event is its answer
    ANSWERED = "answered"  # answered, unanswered or overtaken: never asked again


@dataclass(frozen=True, slots=True)
class Offer:
    """A slot as it was read to the caller ("Tuesday the 9th at 6 pm with Dana Reyes")."""

    slot: CalendarSlot
    when: str
    clinician: str
    location: str | None = None
    appointment_id: str | None = None  # set when this is a verified client's appointment


@dataclass(frozen=True, slots=True)
class Booking:
    """What a booking conversation remembers: offers made, the pick, the verified client."""

    stage: Stage = Stage.OFFERING
    kind: ServiceKind = ServiceKind.FIRST_SESSION
    offers: tuple[Offer, ...] = ()
    shown: frozenset[str] = frozenset()  # slot keys offered so far on this call
    chosen: Offer | None = None
    date_of_birth: date | None = None
    client_id: str | None = None  # set only once the caller is verified
    held: tuple[Offer, ...] = ()  # the verified client's upcoming appointments
    target: Offer | None = None  # the appointment being moved or cancelled
    reason: str | None = None
    done: Offer | None = None  # the appointment booked, moved to, or cancelled


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where an intake value came from: the turn and the caller's words that gave it."""

    field: str  # an `Intake` field name
    turn: int  # the turn's number in the call (the greeting is 0)
    text: str  # what the caller said (or pressed) in that turn


@dataclass(frozen=True, slots=True)
class Heard:
    """A substantive sentence the caller said, with its turn: staff read every one."""

    turn: int
    text: str


def with_evidence(
    evidence: tuple[Evidence, ...], fields: Iterable[str], *, turn: int, text: str
) -> tuple[Evidence, ...]:
    """`evidence` with each of `fields` now citing `text` at `turn` (a correction replaces)."""
    named = set(fields)
    kept = tuple(e for e in evidence if e.field not in named)
    return (*kept, *(Evidence(name, turn, text) for name in sorted(named)))


def merge_evidence(
    evidence: tuple[Evidence, ...], newer: tuple[Evidence, ...]
) -> tuple[Evidence, ...]:
    """`evidence` with the fields `newer` cites replaced by its entries."""
    named = {e.field for e in newer}
    return (*(e for e in evidence if e.field not in named), *newer)


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
    payer_program: str | None = None  # "Medicaid" said before the client's state was known
    message: str | None = None
    result: CallResult | None = None
    handed_off: bool = False
    known_number_declined: bool = False  # the caller's own number is not the one to call back
    video_unavailable_said: bool = False  # "offered in person only" was already said
    booking: Booking | None = None
    turns: int = 0
    wants_callback: bool = False  # the caller asked to be called back
    evidence: tuple[Evidence, ...] = ()  # one per recorded intake field
    caller_name: str | None = None  # "this is Jane Doe": the client's name if for self
    caller_named: Evidence | None = None  # the words that gave `caller_name`
    asked: tuple[str, ...] = ()  # the line id of each question as first worded, as said
    skipped: tuple[Slot, ...] = ()  # asked twice without an answer: staff ask on the callback
    pending_evidence: tuple[Evidence, ...] = ()  # for `pending`, kept once it is confirmed
    answered: bool = False  # a question of the caller's was answered on this call
    safety_check: SafetyCheck = SafetyCheck.NOT_ASKED
    check_quote: str | None = None  # the caller's words that led to the direct question
    crisis_says: tuple[str, ...] = ()  # line ids said on the crisis path, for the repeat cap
    dialling: str | None = None  # the transfer target the last turn rang, until it is answered
    unreached: tuple[str, ...] = ()  # transfer targets rung on this call that nobody answered
    heard: tuple[Heard, ...] = ()  # every substantive routine sentence, for the hand-off

    def evolve(self, **changes: Any) -> CallState:
        """A copy with some fields replaced."""
        return replace(self, **changes)

    def without_readback(self) -> CallState:
        """The read-back given up without a yes or a no (a hang-up, the crisis wording, a
        request for a person): a name, a callback number or an e-mail address read back is
        kept, marked unconfirmed, citing the words it came from, so staff still know whom the
        call was about and how to reach them; any other value waiting for its yes is
        dropped."""
        pending, current = self.pending, self.intake
        cleared = replace(self, pending=None, pending_evidence=())
        if pending is None:
            return cleared
        kept: dict[str, object] = {}
        if pending.client_name and pending.client_name != current.client_name:
            kept.update(client_name=pending.client_name, client_name_unconfirmed=True)
        number = pending.callback_number
        if number and not pending.callback_confirmed and number != current.callback_number:
            kept.update(callback_number=number, callback_confirmed=False)
        if pending.email and pending.email != current.email:
            kept.update(email=pending.email, email_unconfirmed=True)
        if not kept:
            return cleared
        cited = tuple(e for e in self.pending_evidence if e.field in kept)
        return replace(
            cleared,
            intake=current.merged(**kept),
            evidence=merge_evidence(self.evidence, cited),
        )

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
            "payer_program": self.payer_program,
            "message": self.message,
            "result": _opt(self.result),
            "handed_off": self.handed_off,
            "known_number_declined": self.known_number_declined,
            "video_unavailable_said": self.video_unavailable_said,
            "booking": None if self.booking is None else booking_to_dict(self.booking),
            "turns": self.turns,
            "wants_callback": self.wants_callback,
            "answered": self.answered,
            "evidence": [evidence_to_dict(e) for e in self.evidence],
            "pending_evidence": [evidence_to_dict(e) for e in self.pending_evidence],
            "caller_name": self.caller_name,
            "caller_named": None
            if self.caller_named is None
            else evidence_to_dict(self.caller_named),
            "asked": list(self.asked),
            "skipped": [s.value for s in self.skipped],
            "safety_check": self.safety_check.value,
            "check_quote": self.check_quote,
            "crisis_says": list(self.crisis_says),
            "dialling": self.dialling,
            "unreached": list(self.unreached),
            "heard": [{"turn": h.turn, "text": h.text} for h in self.heard],
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
                payer_program=data.get("payer_program"),
                message=data["message"],
                result=None if data["result"] is None else CallResult(data["result"]),
                handed_off=bool(data["handed_off"]),
                known_number_declined=bool(data["known_number_declined"]),
                video_unavailable_said=bool(data["video_unavailable_said"]),
                booking=None if data.get("booking") is None else booking_from_dict(data["booking"]),
                turns=int(data["turns"]),
                wants_callback=bool(data.get("wants_callback", False)),
                answered=bool(data.get("answered", False)),
                evidence=tuple(evidence_from_dict(e) for e in data.get("evidence", ())),
                pending_evidence=tuple(
                    evidence_from_dict(e) for e in data.get("pending_evidence", ())
                ),
                caller_name=data.get("caller_name"),
                caller_named=None
                if data.get("caller_named") is None
                else evidence_from_dict(data["caller_named"]),
                asked=tuple(str(s) for s in data.get("asked", ())),
                skipped=tuple(Slot(s) for s in data.get("skipped", ())),
                # States stored before the direct question existed lack these three keys.
                safety_check=SafetyCheck(data.get("safety_check", SafetyCheck.NOT_ASKED.value)),
                check_quote=data.get("check_quote"),
                crisis_says=tuple(str(i) for i in data.get("crisis_says", ())),
                # States stored before missed transfers came back to the engine lack these.
                dialling=data.get("dialling"),
                unreached=tuple(str(t) for t in data.get("unreached", ())),
                heard=tuple(Heard(int(h["turn"]), str(h["text"])) for h in data.get("heard", ())),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidInput(f"call state field is malformed: {exc.__class__.__name__}") from None


def evidence_to_dict(evidence: Evidence) -> dict[str, Any]:
    """A JSON-safe piece of evidence."""
    return {"field": evidence.field, "turn": evidence.turn, "text": evidence.text}


def evidence_from_dict(data: dict[str, Any]) -> Evidence:
    return Evidence(field=str(data["field"]), turn=int(data["turn"]), text=str(data["text"]))


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


def _date_or_none(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def intake_to_dict(intake: Intake) -> dict[str, Any]:
    """A JSON-safe intake (enums as values, windows as dicts)."""
    return {
        "for_whom": _opt(intake.for_whom),
        "client_age": intake.client_age,
        "client_name": intake.client_name,
        "client_name_unconfirmed": intake.client_name_unconfirmed,
        "date_of_birth": None if intake.date_of_birth is None else intake.date_of_birth.isoformat(),
        "modality": _opt(intake.modality),
        "state": intake.state,
        "payment": _opt(intake.payment),
        "payer": intake.payer,
        "out_of_network_payer": intake.out_of_network_payer,
        "concern": intake.concern,
        "availability": [window_to_dict(w) for w in intake.availability],
        "reminder_preference": _opt(intake.reminder_preference),
        "callback_number": intake.callback_number,
        "callback_confirmed": intake.callback_confirmed,
        "email": intake.email,
        "email_unconfirmed": intake.email_unconfirmed,
        "consent_to_text": intake.consent_to_text,
        "telehealth_constraints": constraints_to_dict(intake.telehealth_constraints),
        "specialty": intake.specialty,
        "clinician_preference": intake.clinician_preference,
        "appointment_said": intake.appointment_said,
    }


def intake_from_dict(data: dict[str, Any]) -> Intake:
    tc = data["telehealth_constraints"]
    return Intake(
        for_whom=None if data["for_whom"] is None else ForWhom(data["for_whom"]),
        client_age=data["client_age"],
        client_name=data["client_name"],
        client_name_unconfirmed=bool(data.get("client_name_unconfirmed", False)),
        date_of_birth=_date_or_none(data.get("date_of_birth")),
        modality=None if data["modality"] is None else Modality(data["modality"]),
        state=data["state"],
        payment=None if data["payment"] is None else Payment(data["payment"]),
        payer=data["payer"],
        out_of_network_payer=data.get("out_of_network_payer"),
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
        email_unconfirmed=bool(data.get("email_unconfirmed", False)),
        consent_to_text=data["consent_to_text"],
        telehealth_constraints=None if tc is None else TelehealthConstraints(**tc),
        specialty=data["specialty"],
        clinician_preference=data["clinician_preference"],
        appointment_said=data.get("appointment_said"),
    )


def offer_to_dict(offer: Offer) -> dict[str, Any]:
    """A JSON-safe offer (times as ISO strings with their offset)."""
    slot = offer.slot
    return {
        "clinician_id": slot.clinician_id,
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "kind": slot.kind.value,
        "modality": slot.modality.value,
        "location_id": slot.location_id,
        "when": offer.when,
        "clinician": offer.clinician,
        "location": offer.location,
        "appointment_id": offer.appointment_id,
    }


def offer_from_dict(data: dict[str, Any]) -> Offer:
    slot = CalendarSlot(
        clinician_id=data["clinician_id"],
        start=datetime.fromisoformat(data["start"]),
        end=datetime.fromisoformat(data["end"]),
        kind=ServiceKind(data["kind"]),
        modality=Modality(data["modality"]),
        location_id=data["location_id"],
    )
    return Offer(
        slot=slot,
        when=data["when"],
        clinician=data["clinician"],
        location=data["location"],
        appointment_id=data["appointment_id"],
    )


def _offer_opt(offer: Offer | None) -> dict[str, Any] | None:
    return None if offer is None else offer_to_dict(offer)


def _offer_opt_from(data: dict[str, Any] | None) -> Offer | None:
    return None if data is None else offer_from_dict(data)


def booking_to_dict(booking: Booking) -> dict[str, Any]:
    """A JSON-safe booking conversation."""
    return {
        "stage": booking.stage.value,
        "kind": booking.kind.value,
        "offers": [offer_to_dict(o) for o in booking.offers],
        "shown": sorted(booking.shown),
        "chosen": _offer_opt(booking.chosen),
        "date_of_birth": None
        if booking.date_of_birth is None
        else booking.date_of_birth.isoformat(),
        "client_id": booking.client_id,
        "held": [offer_to_dict(o) for o in booking.held],
        "target": _offer_opt(booking.target),
        "reason": booking.reason,
        "done": _offer_opt(booking.done),
    }


def booking_from_dict(data: dict[str, Any]) -> Booking:
    dob = data["date_of_birth"]
    return Booking(
        stage=Stage(data["stage"]),
        kind=ServiceKind(data["kind"]),
        offers=tuple(offer_from_dict(o) for o in data["offers"]),
        shown=frozenset(data["shown"]),
        chosen=_offer_opt_from(data["chosen"]),
        date_of_birth=None if dob is None else date.fromisoformat(dob),
        client_id=data["client_id"],
        held=tuple(offer_from_dict(o) for o in data["held"]),
        target=_offer_opt_from(data["target"]),
        reason=data["reason"],
        done=_offer_opt_from(data["done"]),
    )
