"""Intake: which question comes next, how an answer fills the intake, and read-backs.

Several values in one sentence fill at once and are never asked again; a new value for a
field replaces the old one, which is how corrections work.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.conversation.flows.base import EngineContext, listing, money, say, spell_number
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import CallState, Phase
from frontdesk.conversation.understanding.result import Request, Slot, Understanding
from frontdesk.domain.calls import Intent
from frontdesk.domain.inquiries import (
    AvailabilityWindow,
    ForWhom,
    Intake,
    Modality,
    Payment,
    ReminderPreference,
    TelehealthConstraints,
)
from frontdesk.domain.practice import Practice, ServiceKind


@dataclass(frozen=True, slots=True)
class Absorbed:
    """An answer taken in: the new state, what to say about it, whether anything matched.

    `readback` is an intake awaiting the caller's yes before it replaces the current one.
    """

    state: CallState
    says: tuple[Say, ...] = ()
    matched: bool = False
    readback: Intake | None = None


def service_kind(intent: Intent | None) -> ServiceKind:
    """The service a new caller is after: a consult when they asked for one."""
    return ServiceKind.CONSULT if intent is Intent.CONSULT else ServiceKind.FIRST_SESSION


def next_intake_slot(state: CallState) -> Slot | None:
    """The next question of a new-client intake, skipping what is known or settled."""
    intake, settled = state.intake, state.settled

    def open_(slot: Slot, value: object) -> bool:
        return value in (None, ()) and slot not in settled

    telehealth = intake.modality in (Modality.TELEHEALTH, Modality.HYBRID)
    insurance = intake.payment is Payment.INSURANCE and state.payer_unlisted is None
    order: list[tuple[Slot, bool]] = [
        (Slot.FOR_WHOM, open_(Slot.FOR_WHOM, intake.for_whom)),
        (Slot.CLIENT_AGE, open_(Slot.CLIENT_AGE, intake.client_age)),
        (Slot.CONCERN, open_(Slot.CONCERN, intake.concern)),
        (Slot.STATE, open_(Slot.STATE, intake.state)),
        (Slot.MODALITY, open_(Slot.MODALITY, intake.modality)),
        (
            Slot.TELEHEALTH_PRIVATE_SPACE,
            telehealth and open_(Slot.TELEHEALTH_PRIVATE_SPACE, intake.telehealth_constraints),
        ),
        (Slot.PAYMENT, open_(Slot.PAYMENT, intake.payment)),
        (Slot.PAYER, insurance and open_(Slot.PAYER, intake.payer)),
        (Slot.AVAILABILITY, open_(Slot.AVAILABILITY, intake.availability)),
        (Slot.REMINDER_PREFERENCE, open_(Slot.REMINDER_PREFERENCE, intake.reminder_preference)),
        (
            Slot.EMAIL,
            intake.reminder_preference is ReminderPreference.EMAIL
            and open_(Slot.EMAIL, intake.email),
        ),
        (
            Slot.CALLBACK_NUMBER,
            not intake.callback_confirmed and Slot.CALLBACK_NUMBER not in settled,
        ),
        (
            Slot.CONSENT_TO_TEXT,
            intake.reminder_preference is ReminderPreference.SMS
            and open_(Slot.CONSENT_TO_TEXT, intake.consent_to_text),
        ),
    ]
    return next((slot for slot, wanted in order if wanted), None)


def ask(state: CallState, slot: Slot) -> Say:
    """The question that asks for `slot`, worded for what is already known."""
    intake = state.intake
    if slot is Slot.CLIENT_AGE:
        if intake.for_whom is ForWhom.SELF:
            return say(Line.ASK_AGE_SELF)
        if intake.for_whom is ForWhom.CHILD:
            return say(Line.ASK_AGE_CHILD)
        return say(Line.ASK_AGE_OTHER)
    if slot is Slot.CALLBACK_NUMBER:
        if state.caller_number and not state.known_number_declined:
            return say(Line.ASK_CALLBACK_KNOWN, digits=spell_number(state.caller_number))
        return say(Line.ASK_CALLBACK_NUMBER)
    if slot is Slot.MODALITY and state.video_unavailable_said:
        return say(Line.ASK_MODALITY_AGAIN)
    if slot is Slot.PAYMENT and state.payer_unlisted is not None:
        return say(Line.ASK_PAYMENT_AGAIN)
    return say(_QUESTIONS[slot])


_QUESTIONS: dict[Slot, Line] = {
    Slot.FOR_WHOM: Line.ASK_FOR_WHOM,
    Slot.CONCERN: Line.ASK_CONCERN,
    Slot.STATE: Line.ASK_STATE,
    Slot.MODALITY: Line.ASK_MODALITY,
    Slot.TELEHEALTH_PRIVATE_SPACE: Line.ASK_TELEHEALTH_SETUP,
    Slot.TELEHEALTH_DEVICE: Line.ASK_TELEHEALTH_SETUP,
    Slot.TELEHEALTH_CONNECTION: Line.ASK_TELEHEALTH_SETUP,
    Slot.PAYMENT: Line.ASK_PAYMENT,
    Slot.PAYER: Line.ASK_PAYER,
    Slot.AVAILABILITY: Line.ASK_AVAILABILITY,
    Slot.REMINDER_PREFERENCE: Line.ASK_REMINDER,
    Slot.CONSENT_TO_TEXT: Line.ASK_CONSENT_TO_TEXT,
    Slot.CLIENT_NAME: Line.ASK_CLIENT_NAME,
    Slot.MESSAGE: Line.ASK_EXISTING_NEED,
    Slot.CONFIRMATION: Line.SAY_YES_OR_NO,
    Slot.EMAIL: Line.ASK_EMAIL,
    Slot.DATE_OF_BIRTH: Line.ASK_AGE_OTHER,
}


def keypad_number(digits: str | None) -> str | None:
    """A North American number typed on the keypad, in E.164; None when it is not one."""
    if digits is None:
        return None
    clean = "".join(ch for ch in digits if ch.isdigit())
    if len(clean) == 10:
        return f"+1{clean}"
    if len(clean) == 11 and clean.startswith("1"):
        return f"+{clean}"
    return None


def absorb(
    state: CallState, understanding: Understanding, context: EngineContext, *, low_confidence: bool
) -> Absorbed:
    """Fill the intake from one understood utterance, given the question being asked."""
    practice = context.practice
    slots, asking, text = understanding.slots, state.asking, understanding.text.strip()
    intake = state.intake
    changes: dict[str, object] = {}
    settled = set(state.settled)
    says: list[Say] = []
    flags: dict[str, object] = {}

    for name in ("for_whom", "client_age", "client_name", "state", "payment", "email"):
        value = getattr(slots, name)
        if value is not None:
            changes[name] = value
    if slots.concern is not None:
        changes["concern"] = slots.concern
    if slots.reminder_preference is not None:
        changes["reminder_preference"] = slots.reminder_preference
    if slots.specialty is not None:
        changes["specialty"] = slots.specialty
    if slots.clinician is not None:
        changes["clinician_preference"] = slots.clinician
    if slots.consent_to_text is not None:
        changes["consent_to_text"] = slots.consent_to_text
    if slots.availability:
        changes["availability"] = slots.availability
    if slots.modality is not None:
        changes["modality"] = slots.modality
    if slots.payer is not None:
        changes["payer"] = slots.payer
        flags["payer_unlisted"] = None
        if slots.payment is None:
            changes["payment"] = Payment.INSURANCE
        payer = practice.payer(slots.payer)
        if payer is not None:
            says.append(say(Line.PAYER_ACCEPTED, payer=payer.name))
    elif slots.payer_unlisted is not None:
        flags["payer_unlisted"] = slots.payer_unlisted
        settled.add(Slot.PAYER)
        if changes.get("payment", intake.payment) is Payment.INSURANCE:
            changes["payment"] = None
        says.extend(_unlisted_payer(slots.payer_unlisted, practice))
    number = slots.callback_number or keypad_number(understanding.digits)
    if number is not None:
        changes["callback_number"] = number
        changes["callback_confirmed"] = False

    device = (slots.private_space, slots.device, slots.connection)
    if any(v is not None for v in device):
        current = intake.telehealth_constraints or TelehealthConstraints()
        if state.asking is Slot.TELEHEALTH_PRIVATE_SPACE and understanding.affirm is not None:
            # A plain yes or no answers the whole question: space, device and connection.
            blanket = understanding.affirm
            current = TelehealthConstraints(blanket, blanket, blanket, current.notes)
        changes["telehealth_constraints"] = TelehealthConstraints(
            private_space=slots.private_space
            if slots.private_space is not None
            else current.private_space,
            device=slots.device if slots.device is not None else current.device,
            connection=slots.connection if slots.connection is not None else current.connection,
            notes=current.notes,
        )

    dont_know = Request.DONT_KNOW in understanding.requests
    affirm = understanding.affirm
    if asking is Slot.CALLBACK_NUMBER and number is None:
        if affirm is True and state.caller_number and not state.known_number_declined:
            changes["callback_number"] = state.caller_number
            changes["callback_confirmed"] = True
        elif affirm is False and state.caller_number and not state.known_number_declined:
            flags["known_number_declined"] = True
    elif asking is Slot.CONSENT_TO_TEXT and "consent_to_text" not in changes:
        if affirm is not None:
            changes["consent_to_text"] = affirm
    elif asking is Slot.TELEHEALTH_PRIVATE_SPACE and "telehealth_constraints" not in changes:
        if affirm is True:
            changes["telehealth_constraints"] = TelehealthConstraints(True, True, True)
        elif affirm is False or dont_know:
            changes["telehealth_constraints"] = TelehealthConstraints(notes=text or None)
    elif asking is Slot.CONCERN and "concern" not in changes:
        if dont_know or affirm is False:
            settled.add(Slot.CONCERN)
        elif text and len(text.split()) >= 2:
            changes["concern"] = text
    elif asking is Slot.AVAILABILITY and "availability" not in changes:
        if dont_know:
            settled.add(Slot.AVAILABILITY)
        elif text and affirm is None:
            changes["availability"] = (AvailabilityWindow(text=text),)
    elif asking is Slot.CLIENT_NAME and "client_name" not in changes and text and not dont_know:
        changes["client_name"] = text
    elif asking is Slot.MODALITY and state.video_unavailable_said and "modality" not in changes:
        if affirm is True:
            changes["modality"] = Modality.IN_PERSON
        elif affirm is False:
            changes["modality"] = Modality.TELEHEALTH
    elif asking is Slot.EMAIL and "email" not in changes and text and state.reprompts >= 1:
        # An address heard twice without being understood: staff confirm it on the callback.
        settled.add(Slot.EMAIL)
        says.append(say(Line.DONT_KNOW_OK))
    elif asking is not None and dont_know and asking in _SKIPPABLE:
        settled.add(asking)
        says.append(say(Line.DONT_KNOW_OK))

    modality = changes.get("modality")
    if modality is Modality.TELEHEALTH and not state.video_unavailable_said:
        service = practice.service(service_kind(state.intent))
        if service is not None and not service.telehealth:
            changes["modality"] = None
            flags["video_unavailable_said"] = True
            location = practice.locations[0].address if practice.locations else practice.name
            says.append(say(Line.TELEHEALTH_NOT_OFFERED, service=service.name, location=location))
    new_state = changes.get("state")
    if isinstance(new_state, str) and practice.states and new_state not in practice.states:
        says.append(say(Line.STATE_NOT_COVERED, states=listing(sorted(practice.states))))

    if state.phase is not Phase.INTAKE:
        # Existing clients, messages and hand-offs need a name and a number, not an intake.
        changes = {k: v for k, v in changes.items() if k in _CONTACT_FIELDS}
        says = []
    matched = bool(changes) or bool(flags) or settled != set(state.settled)
    updated = intake.merged(**changes) if changes else intake
    next_state = state.evolve(settled=frozenset(settled), **flags)
    needs_readback = "callback_number" in changes and not changes.get("callback_confirmed")
    # An e-mail address is always read back: one wrong letter loses every reminder.
    needs_readback = needs_readback or changes.get("email", intake.email) != intake.email
    if needs_readback or (low_confidence and _readable(changes)):
        return Absorbed(next_state, tuple(says), matched=True, readback=updated)
    return Absorbed(next_state.evolve(intake=updated), tuple(says), matched=matched)


_SKIPPABLE = frozenset(
    {
        Slot.CLIENT_AGE,
        Slot.STATE,
        Slot.MODALITY,
        Slot.PAYMENT,
        Slot.PAYER,
        Slot.REMINDER_PREFERENCE,
        Slot.CONSENT_TO_TEXT,
        Slot.FOR_WHOM,
        Slot.EMAIL,
    }
)
_CONTACT_FIELDS = frozenset({"client_name", "callback_number", "callback_confirmed", "email"})
_READ_BACK = ("for_whom", "client_age", "state", "modality", "payment", "payer", "callback_number")


def _readable(changes: dict[str, object]) -> bool:
    return any(changes.get(name) is not None for name in _READ_BACK)


def _unlisted_payer(name: str, practice: Practice) -> list[Say]:
    says = [say(Line.PAYER_NOT_ACCEPTED, payer=name), say(Line.PAYER_ALTERNATIVES)]
    scale = practice.sliding_scale
    if scale.offered and scale.minimum_fee is not None and scale.maximum_fee is not None:
        says.append(
            say(
                Line.SLIDING_SCALE_AVAILABLE,
                minimum=money(scale.minimum_fee),
                maximum=money(scale.maximum_fee),
            )
        )
    return says


def spoken_email(address: str) -> str:
    """An e-mail address as it is read aloud: "jane dot doe at example dot com"."""
    spoken = address.replace("@", " at ").replace(".", " dot ")
    return spoken.replace("_", " underscore ").replace("-", " dash ")


def readback(state: CallState, context: EngineContext) -> Say:
    """The read-back of a pending value: digit by digit for a number."""
    pending = state.pending
    if pending is None:
        return say(Line.SAY_YES_OR_NO)
    current = state.intake
    if pending.callback_number and pending.callback_number != current.callback_number:
        return say(Line.READBACK_NUMBER, digits=spell_number(pending.callback_number))
    if pending.email and pending.email != current.email:
        return say(Line.READBACK_EMAIL, email=spoken_email(pending.email))
    words: list[str] = []
    for name in _READ_BACK:
        value = getattr(pending, name)
        if value is None or value == getattr(current, name):
            continue
        if name == "payer":
            payer = context.practice.payer(str(value))
            words.append(payer.name if payer else str(value))
        elif name == "callback_number":
            words.append(spell_number(str(value)))
        else:
            words.append(str(value).replace("_", " "))
    return say(Line.READBACK_VALUE, value=listing(words) if words else "that")
