"""Intake: which question comes next, how an answer fills the intake, and read-backs.

Several values in one sentence fill at once and are never asked again; a new value for a
field replaces the old one, which is how corrections work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace

from frontdesk.conversation.flows.answers import out_of_network, program_plans, state_plan
from frontdesk.conversation.flows.base import EngineContext, listing, say, spell_number
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import (
    CallState,
    Evidence,
    Phase,
    merge_evidence,
    with_evidence,
)
from frontdesk.conversation.understanding.asides import told
from frontdesk.conversation.understanding.people import name_shaped
from frontdesk.conversation.understanding.result import (
    Request,
    Slot,
    SlotValues,
    Topic,
    Understanding,
)
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

    `readback` is an intake awaiting the caller's yes before it replaces the current one;
    `recorded` says whether any value was taken in (a name kept aside, a question settled or
    words heard as someone else's are matched, but record nothing to tell the caller of).
    """

    state: CallState
    says: tuple[Say, ...] = ()
    matched: bool = False
    readback: Intake | None = None
    recorded: bool = False


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
    insurance = insurance and state.payer_program is None  # read once the state is known
    order: list[tuple[Slot, bool]] = [
        (Slot.FOR_WHOM, open_(Slot.FOR_WHOM, intake.for_whom)),
        (Slot.CLIENT_AGE, open_(Slot.CLIENT_AGE, intake.client_age)),
        (Slot.CLIENT_NAME, open_(Slot.CLIENT_NAME, intake.client_name)),
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
            and open_(Slot.EMAIL, None if intake.email_unconfirmed else intake.email),
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
    """The question that asks for `slot`, worded for what is already known.

    The second time a question is said (`state.asked` holds its line twice) it comes in
    other words: the line's `_reworded` twin.
    """
    first = first_wording(state, slot)
    if state.asked.count(first.line_id) < 2:
        return first
    reworded = _REWORDED.get(Line(first.line_id))
    return first if reworded is None else Say(reworded.value, first.values)


def first_wording(state: CallState, slot: Slot) -> Say:
    """The question for `slot` as it is first put."""
    intake = state.intake
    if slot is Slot.CLIENT_AGE:
        if intake.for_whom is ForWhom.SELF:
            return say(Line.ASK_AGE_SELF)
        if intake.for_whom is ForWhom.CHILD:
            return say(Line.ASK_AGE_CHILD)
        return say(Line.ASK_AGE_OTHER)
    if slot is Slot.CLIENT_NAME and state.phase is Phase.INTAKE:
        self_ = intake.for_whom is ForWhom.SELF
        return say(Line.ASK_NAME_SELF if self_ else Line.ASK_NEW_CLIENT_NAME)
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
    Slot.NEW_OR_EXISTING: Line.ASK_NEW_OR_EXISTING,
    Slot.MESSAGE: Line.ASK_EXISTING_NEED,
    Slot.CONFIRMATION: Line.SAY_YES_OR_NO,
    Slot.EMAIL: Line.ASK_EMAIL,
    Slot.DATE_OF_BIRTH: Line.ASK_AGE_OTHER,
}


_REWORDED: dict[Line, Line] = {
    line: Line(f"{line.value}_reworded")
    for line in Line
    if f"{line.value}_reworded" in Line.__members__.values()
}
"""Each question line and the line that asks the same in other words."""


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


@dataclass(slots=True)
class _Reading:
    """What one utterance changes, built up by the readers and the asked slot's handler."""

    changes: dict[str, object] = field(default_factory=dict)
    flags: dict[str, object] = field(default_factory=dict)
    settled: set[Slot] = field(default_factory=set)
    says: list[Say] = field(default_factory=list)
    cited: dict[str, Evidence] = field(default_factory=dict)  # values from an earlier turn

    def set(self, name: str, value: object) -> None:
        self.changes[name] = value


def asks_something(u: Understanding) -> bool:
    """Whether the utterance asks a question: its yes or no then answers nothing of ours."""
    questions = {Intent.INSURANCE_QUESTION, Intent.FEE_QUESTION, Intent.TELEHEALTH_QUESTION}
    asks = bool(u.topics) or bool(questions & set(u.intents)) or u.text.rstrip().endswith("?")
    return asks or u.aside


def absorb(
    state: CallState, understanding: Understanding, context: EngineContext, *, low_confidence: bool
) -> Absorbed:
    """Fill the intake from one understood utterance, given the question being asked.

    Every utterance is read for every slot (values said outright count whatever was
    asked); then the handler of the asked slot reads what only makes sense as its answer
    ("yes", a bare number, free words). Each value recorded cites this turn's words.
    """
    reading = _Reading(settled=set(state.settled))
    _read_stated(state, understanding, context.practice, reading)
    handler = _ANSWER_HANDLERS.get(state.asking) if state.asking is not None else None
    handled = handler is not None and handler(state, understanding, reading)
    dont_know = Request.DONT_KNOW in understanding.requests
    if not handled and dont_know and state.asking in _SKIPPABLE:
        assert state.asking is not None
        reading.settled.add(state.asking)
        reading.says.append(say(Line.DONT_KNOW_OK))
    _read_kept_program(state, context.practice, reading)
    _check_against_practice(state, context.practice, reading)
    _read_appointment_said(state, understanding, reading)
    return _absorbed(state, understanding, reading, low_confidence=low_confidence)


def _read_stated(state: CallState, u: Understanding, practice: Practice, reading: _Reading) -> None:
    """Values the caller stated outright, whichever question was asked."""
    slots = u.slots
    for name in ("for_whom", "client_age", "client_name", "state", "payment", "email"):
        value = getattr(slots, name)
        if value is not None:
            reading.set(name, value)
    said_for = state.intake.for_whom
    if slots.for_whom is ForWhom.SELF and said_for not in (None, ForWhom.SELF) and not u.correction:
        # "an appointment for me at 2 pm" from the parent of a client already named is about
        # who is calling, not a change of whom the care is for; "actually it's for me" is.
        del reading.changes["for_whom"]
    if slots.reminder_preference is not None:
        reading.set("reminder_preference", slots.reminder_preference)
    if slots.date_of_birth is not None:
        reading.set("date_of_birth", slots.date_of_birth)  # offered: kept, never asked
    if slots.specialty is not None:
        reading.set("specialty", slots.specialty)
    if slots.clinician is not None:
        reading.set("clinician_preference", slots.clinician)
    if slots.consent_to_text is False and not asks_something(u):
        # A refusal ("please don't text me") counts whenever it is said; consent only as
        # the answer to its question.
        reading.set("consent_to_text", False)
    if slots.availability and not (u.times_asked and state.intake.availability):
        # Times only asked about ("do you have anything on Friday?") say what the caller is
        # looking for when they have said nothing else; they correct no times given before.
        reading.set("availability", slots.availability)
    if slots.modality is not None:
        reading.set("modality", slots.modality)
    _read_concern(state, u, reading)
    _read_payer(state, u, practice, reading)
    _read_caller_name(state, u, reading)
    number = slots.callback_number or keypad_number(u.digits)
    if number is not None:
        reading.set("callback_number", number)
        reading.set("callback_confirmed", False)
    elif slots.this_number and state.caller_number and not state.known_number_declined:
        # "This number is good", whatever was asked: the number calling, as its yes would be.
        reading.set("callback_number", state.caller_number)
        reading.set("callback_confirmed", True)


def _read_concern(state: CallState, u: Understanding, reading: _Reading) -> None:
    """The concern wherever it is said; the same concern said again keeps its first words."""
    said = u.slots.concern
    if said is None:
        return
    before = state.intake.concern
    if before is None or said.casefold() not in before.casefold():
        reading.set("concern", said)


CONCERN_FIELDS = frozenset({"concern", "specialty"})
"""What a concern said beside a yes fills: it never conflicts with the value read back."""


def with_concern_said(state: CallState, u: Understanding) -> CallState:
    """`state` with a concern said beside another answer ("yes, and it's mostly anxiety" at a
    read-back) recorded, with the specialty it names, citing this turn's words."""
    reading = _Reading()
    _read_concern(state, u, reading)
    if u.slots.specialty is not None:
        reading.set("specialty", u.slots.specialty)
    if not reading.changes or state.phase is not Phase.INTAKE:
        return state
    cited = with_evidence((), reading.changes, turn=state.turns, text=u.text.strip())
    return state.evolve(
        intake=state.intake.merged(**reading.changes),
        evidence=merge_evidence(state.evidence, cited),
    )


_EXISTING_NEEDS = frozenset({Intent.EXISTING_CLIENT, Intent.RESCHEDULE, Intent.CANCEL})


def _read_appointment_said(state: CallState, u: Understanding, reading: _Reading) -> None:
    """An existing client's times: said with the need ("move my appointment on Tuesday",
    "is my session Thursday still on") they name the appointment, kept as said; said on
    their own ("the afternoon") they are the time wanted instead, kept as availability."""
    if state.phase is not Phase.EXISTING or "availability" not in reading.changes:
        return
    if _EXISTING_NEEDS & set(u.intents):
        del reading.changes["availability"]
        reading.set("appointment_said", u.text.strip())


def _read_caller_name(state: CallState, u: Understanding, reading: _Reading) -> None:
    """The caller's own name ("this is Jane Doe") is the client's once the care is for them.

    Said before it is known whom the care is for, it is kept aside with its words and
    becomes the client's name (citing those words) when the caller says it is for them.
    """
    name, named = state.caller_name, state.caller_named
    if u.slots.caller_name is not None:
        name, named = u.slots.caller_name, Evidence("client_name", state.turns, u.text.strip())
        reading.flags.update(caller_name=name, caller_named=named)
    who = reading.changes.get("for_whom", state.intake.for_whom)
    unnamed = state.intake.client_name is None and "client_name" not in reading.changes
    if name and named and who is ForWhom.SELF and unnamed:
        reading.set("client_name", name)
        reading.cited["client_name"] = named


def _read_payer(state: CallState, u: Understanding, practice: Practice, reading: _Reading) -> None:
    """A payer the caller says is theirs; one named in a question is only answered."""
    slots = u.slots
    if slots.payer_question:
        return
    asked = Topic.INSURANCE in u.topics  # then the answer already says whether it is taken
    if slots.payer_program is not None:
        where = reading.changes.get("state", state.intake.state)
        if not isinstance(where, str):
            # "Medicaid" in a practice of several states: no state's plan is guessed; it is
            # kept until the client's state is known, and then read for that state.
            reading.flags["payer_program"] = slots.payer_program
            if not asked:
                reading.says.extend(program_plans(slots.payer_program, practice))
            return
        slots = state_plan(slots, where, practice)
    _take_payer(state, slots, practice, reading, announce=not asked)


def _take_payer(
    state: CallState, slots: SlotValues, practice: Practice, reading: _Reading, *, announce: bool
) -> None:
    """Record a payer in network, or an insurer not in network (and say which, if `announce`)."""
    if slots.payer is not None:
        reading.set("payer", slots.payer)
        reading.set("out_of_network_payer", None)  # "no wait, it's Aetna" replaces it
        reading.flags["payer_unlisted"] = None
        reading.flags["payer_program"] = None
        if slots.payment is None:
            reading.set("payment", Payment.INSURANCE)
        payer = practice.payer(slots.payer)
        if payer is not None and announce:
            reading.says.append(say(Line.PAYER_ACCEPTED, payer=payer.name))
    elif slots.payer_unlisted is not None:
        # Kept as the caller's insurer, out of network: never as a payer id, and never with
        # `payment` insurance, which would be matched and booked as in network.
        reading.set("out_of_network_payer", slots.payer_unlisted)
        if reading.changes.get("payer", state.intake.payer) is not None:
            reading.set("payer", None)
        reading.flags["payer_unlisted"] = slots.payer_unlisted
        reading.flags["payer_program"] = None
        reading.settled.add(Slot.PAYER)
        if reading.changes.get("payment", state.intake.payment) is Payment.INSURANCE:
            reading.set("payment", None)
        if announce:
            reading.says.extend(out_of_network(slots.payer_unlisted, practice))


def _read_kept_program(state: CallState, practice: Practice, reading: _Reading) -> None:
    """ "Medicaid" kept from earlier, read once the client's state is known."""
    where = reading.changes.get("state", state.intake.state)
    if state.payer_program is None or "payer_program" in reading.flags:
        return
    if not isinstance(where, str) or "payer" in reading.changes:
        return
    plan = state_plan(SlotValues(payer_program=state.payer_program), where, practice)
    _take_payer(state, plan, practice, reading, announce=True)


# --- the asked slot's answer ------------------------------------------------------------------
# Each handler reads what only makes sense as the answer to its own question and says
# whether it took the utterance as that answer.

AnswerHandler = Callable[[CallState, Understanding, _Reading], bool]


def _yes_or_no(u: Understanding) -> bool | None:
    """The caller's yes or no, unless its "no" takes back another value ("no wait, we're in
    Indiana"). Said before a question ("yes that's fine, do you have anyone who works with
    kids?") it counts, and the question is answered too; a bare acknowledgement before one
    ("okay, how much is it?") answers nothing."""
    if not asks_something(u):
        return None if u.slots.takes_back(u.affirm) else u.affirm
    # What the question names ("anyone who works with kids?") is no value the "no" takes back.
    said = replace(u.slots, specialty=None, age_group=None, clinician=None)
    answer = u.affirm_before_question
    return None if said.takes_back(answer) else answer


def _callback_number_answer(state: CallState, u: Understanding, reading: _Reading) -> bool:
    if "callback_number" in reading.changes or not state.caller_number:
        return False
    if state.known_number_declined:
        return False
    answer = _yes_or_no(u)
    if answer is True:
        reading.set("callback_number", state.caller_number)
        reading.set("callback_confirmed", True)
    elif answer is False:
        reading.flags["known_number_declined"] = True
    return answer is not None


def _consent_answer(state: CallState, u: Understanding, reading: _Reading) -> bool:
    answer = u.slots.consent_to_text if not asks_something(u) else None
    if answer is None:
        answer = _yes_or_no(u)
        if answer is not None and _answers_another_question(state, reading):
            return False
    if answer is not None:
        reading.set("consent_to_text", answer)
    return answer is not None


def _telehealth_answer(state: CallState, u: Understanding, reading: _Reading) -> bool:
    """Private space, device and connection: a plain yes or no answers all three."""
    slots = u.slots
    blanket = _yes_or_no(u)
    told = (slots.private_space, slots.device, slots.connection)
    if asks_something(u) and blanket is None:
        return False
    if all(v is None for v in told) and _answers_another_question(state, reading):
        blanket = None
    if blanket is None and all(v is None for v in told):
        if Request.DONT_KNOW in u.requests:
            reading.set("telehealth_constraints", TelehealthConstraints(notes=u.text.strip()))
            return True
        return False
    space, device, connection = (blanket if v is None else v for v in told)
    notes = u.text.strip() if False in (space, device, connection) else None
    reading.set("telehealth_constraints", TelehealthConstraints(space, device, connection, notes))
    return True


def _answers_another_question(state: CallState, reading: _Reading) -> bool:
    """Whether the utterance gave another answer, which a bare yes or no beside it may be
    about ("Yes, I'd like it at 11:15 on March 1st" at the telehealth set-up question)."""
    intake = state.intake
    return any(
        value not in (None, ()) and value != getattr(intake, name, None)
        for name, value in reading.changes.items()
        if name not in _NOT_ANSWERS
    )


_NOT_ANSWERS = CONCERN_FIELDS | {"clinician_preference", "callback_confirmed"}
"""What a yes or no may be said beside and still answer the question: a concern or a
clinician named in passing, or a question's own words ("anyone who works with kids?")."""


def _concern_answer(state: CallState, u: Understanding, reading: _Reading) -> bool:
    """A concern in the answer is read with every other value (`_read_stated`); asked for
    it, "pass" or a plain "no" skips the question. Anything else (an aside, a question,
    another answer) leaves it pending: it is asked once more, in other words."""
    if "concern" in reading.changes:
        return True
    if Request.DONT_KNOW in u.requests or (u.affirm is False and not u.slots.takes_back(False)):
        reading.settled.add(Slot.CONCERN)
        return True
    return False


def _availability_answer(state: CallState, u: Understanding, reading: _Reading) -> bool:
    if "availability" in reading.changes:
        return True
    if Request.DONT_KNOW in u.requests:
        reading.settled.add(Slot.AVAILABILITY)
        return True
    # Free words that speak of days, times or a schedule ("whenever my shift allows") are
    # kept as said; a greeting, thanks, an aside, a question ("do you know the date of my
    # next day off") or words about something else are not.
    text = u.text.strip()
    free = text and u.said_anything and u.speaks_of_time and u.affirm is None
    free = free and not asks_something(u) and not told(text)[1]
    if free and not reading.changes:
        reading.set("availability", (AvailabilityWindow(text=text),))
        return True
    return False


def _modality_again_answer(state: CallState, u: Understanding, reading: _Reading) -> bool:
    """After "offered in person only": "would in-person sessions work for you?"."""
    if not state.video_unavailable_said or "modality" in reading.changes:
        return False
    answer = _yes_or_no(u)
    if answer is not None:
        reading.set("modality", Modality.IN_PERSON if answer else Modality.TELEHEALTH)
    return answer is not None


def _email_answer(state: CallState, u: Understanding, reading: _Reading) -> bool:
    if "email" in reading.changes or not u.text.strip() or state.reprompts < 1:
        return False
    # An address heard twice without being understood: staff confirm it on the callback.
    reading.settled.add(Slot.EMAIL)
    reading.says.append(say(Line.DONT_KNOW_OK))
    return True


def _client_name_answer(state: CallState, u: Understanding, reading: _Reading) -> bool:
    """The name as said; never a yes or no, a question, or words that answer another
    question ("text me", "video is fine")."""
    if "client_name" in reading.changes:
        return True
    text = u.text.strip()
    if not text or Request.DONT_KNOW in u.requests or u.affirm is not None:
        return False
    if asks_something(u) or reading.changes or u.requests or not name_shaped(text):
        return False
    if u.answers_another:
        return False
    # A greeting or thanks ("good morning") says nothing, and a number ("twelve") is an age.
    if not u.said_anything or any(word.isdigit() for word in u.normalized.split()):
        return False
    reading.set("client_name", text)
    return True


_ANSWER_HANDLERS: dict[Slot, AnswerHandler] = {
    Slot.CLIENT_NAME: _client_name_answer,
    Slot.CALLBACK_NUMBER: _callback_number_answer,
    Slot.CONSENT_TO_TEXT: _consent_answer,
    Slot.TELEHEALTH_PRIVATE_SPACE: _telehealth_answer,
    Slot.CONCERN: _concern_answer,
    Slot.AVAILABILITY: _availability_answer,
    Slot.MODALITY: _modality_again_answer,
    Slot.EMAIL: _email_answer,
}


def _check_against_practice(state: CallState, practice: Practice, reading: _Reading) -> None:
    """Video for a service offered in person only (or the reverse), or a state not covered."""
    if reading.changes.get("modality") is Modality.TELEHEALTH and not state.video_unavailable_said:
        service = practice.service(service_kind(state.intent))
        if service is not None and not service.telehealth:
            reading.set("modality", None)
            reading.flags["video_unavailable_said"] = True
            location = practice.locations[0].address if practice.locations else practice.name
            reading.says.append(
                say(Line.TELEHEALTH_NOT_OFFERED, service=service.name, location=location)
            )
    if reading.changes.get("modality") is Modality.IN_PERSON:
        service = practice.service(service_kind(state.intent))
        if service is not None and not service.in_person:
            # Kept as the caller's preference for later sessions; this service is by video.
            reading.says.append(say(Line.IN_PERSON_NOT_OFFERED, service=service.name))
    new_state = reading.changes.get("state")
    if isinstance(new_state, str) and practice.states and new_state not in practice.states:
        reading.says.append(say(Line.STATE_NOT_COVERED, states=listing(sorted(practice.states))))


def _absorbed(
    state: CallState, u: Understanding, reading: _Reading, *, low_confidence: bool
) -> Absorbed:
    """The reading applied: values with their evidence, or held for a read-back."""
    changes, says = reading.changes, reading.says
    if state.phase is not Phase.INTAKE:
        # Existing clients and messages need a name and a number, not an intake; an existing
        # client's clinician and times are kept for staff as well. A caller waiting for a call
        # back keeps what they volunteer in answer ("insurance, Aetna" asked for the number):
        # staff see it with the task instead of asking again. The request itself names only
        # what it is about ("call me back about my insurance").
        if state.phase is not Phase.HANDOFF or state.asking is None:
            wanted = _EXISTING_FIELDS if state.phase is Phase.EXISTING else _CONTACT_FIELDS
            changes = {k: v for k, v in changes.items() if k in wanted}
        says = []
    intake = state.intake
    if "client_name" in changes:
        changes = {**changes, "client_name_unconfirmed": False}  # read back, or not, anew
    if "email" in changes:
        changes = {**changes, "email_unconfirmed": False}
    matched = bool(changes) or bool(reading.flags) or reading.settled != set(state.settled)
    updated = intake.merged(**changes) if changes else intake
    said = u.text.strip() or (f"DIGITS: {u.digits}" if u.digits else "")
    known = {e.field for e in state.evidence}
    fresh = [
        name
        for name, value in changes.items()
        if name in _EVIDENCED
        and value is not None
        and (value != getattr(intake, name) or name not in known)
    ]
    cited = with_evidence(
        (), (n for n in fresh if n not in reading.cited), turn=state.turns, text=said
    )
    cited = (*cited, *(reading.cited[n] for n in fresh if n in reading.cited))
    next_state = state.evolve(settled=frozenset(reading.settled), **reading.flags)
    needs_readback = "callback_number" in changes and not changes.get("callback_confirmed")
    # A name is read back: a new client's goes on the appointment and every staff view, an
    # existing client's is what they are verified and called back by.
    needs_readback = needs_readback or (
        state.phase in (Phase.INTAKE, Phase.EXISTING)
        and changes.get("client_name", intake.client_name) != intake.client_name
    )
    # An e-mail address is always read back: one wrong letter loses every reminder.
    needs_readback = needs_readback or changes.get("email", intake.email) != intake.email
    needs_readback = needs_readback or ("email" in changes and intake.email_unconfirmed)
    if low_confidence and _readable(changes):
        held = next_state.evolve(pending_evidence=cited)
        return Absorbed(held, tuple(says), matched=True, readback=updated, recorded=True)
    if needs_readback:
        # Only what is read back waits for the yes; the rest said with it ("Riley Patel, in
        # person, it's mostly school stress") is kept now, so a hang-up or a crisis loses none.
        kept = {k: v for k, v in changes.items() if k not in _HELD_FOR_READBACK}
        now = [e for e in cited if e.field not in _HELD_FOR_READBACK]
        held = next_state.evolve(
            intake=_unconfirmed_said_again(intake.merged(**kept) if kept else intake, changes),
            evidence=merge_evidence(state.evidence, tuple(now)),
            pending_evidence=tuple(e for e in cited if e.field in _HELD_FOR_READBACK),
        )
        return Absorbed(held, tuple(says), matched=True, readback=updated, recorded=True)
    grounded = next_state.evolve(
        intake=updated, evidence=merge_evidence(state.evidence, cited), pending_evidence=()
    )
    return Absorbed(grounded, tuple(says), matched=matched, recorded=bool(changes))


def _unconfirmed_said_again(intake: Intake, changes: dict[str, object]) -> Intake:
    """`intake` without the unconfirmed number or address the caller has just said again: it
    waits for its read-back as a new one would, and is kept unconfirmed if that is given up."""
    cleared: dict[str, object] = {}
    if "callback_number" in changes and intake.callback_number and not intake.callback_confirmed:
        cleared["callback_number"] = None
    if "email" in changes and intake.email_unconfirmed:
        cleared.update(email=None, email_unconfirmed=False)
    return intake.merged(**cleared) if cleared else intake


_EVIDENCED = frozenset(f.name for f in fields(Intake)) - {
    "callback_confirmed",
    "client_name_unconfirmed",
    "email_unconfirmed",
}
_HELD_FOR_READBACK = frozenset(
    {
        "client_name",
        "client_name_unconfirmed",
        "callback_number",
        "callback_confirmed",
        "email",
        "email_unconfirmed",
    }
)
"""Values read back before they are kept: a name, a number, an e-mail address."""


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
_CONTACT_FIELDS = _HELD_FOR_READBACK
_EXISTING_FIELDS = _CONTACT_FIELDS | {"clinician_preference", "availability", "appointment_said"}
_READ_BACK = ("for_whom", "client_age", "state", "modality", "payment", "payer", "callback_number")


def _readable(changes: dict[str, object]) -> bool:
    return any(changes.get(name) is not None for name in _READ_BACK)


def spelled_name(state: CallState) -> Say | None:
    """The pending name spelled letter by letter ("J A M I E, R I V E R A"); None if none."""
    pending = state.pending
    if pending is None or not pending.client_name:
        return None
    if pending.client_name == state.intake.client_name:
        return None
    letters = ", ".join(" ".join(part.upper()) for part in pending.client_name.split())
    return say(Line.READBACK_NAME_SPELLED, letters=letters)


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
    if pending.client_name and pending.client_name != current.client_name:
        return say(Line.READBACK_NAME, name=pending.client_name)
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
