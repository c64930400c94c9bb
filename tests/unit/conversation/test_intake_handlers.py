"""Intake, one asked slot at a time: what each handler records, and the evidence it keeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests.unit.conversation.engine_fakes import CALLER, context, heard

from frontdesk.conversation.flows.intake import absorb
from frontdesk.conversation.state import CallState, Evidence, Phase
from frontdesk.conversation.understanding.result import Request, Slot, Topic, Understanding
from frontdesk.domain.calls import Intent
from frontdesk.domain.inquiries import (
    AgeGroup,
    AvailabilityWindow,
    ForWhom,
    Intake,
    Modality,
    Payment,
    ReminderPreference,
    TelehealthConstraints,
    Weekday,
)

CTX = context()


def asking(slot: Slot, **state: object) -> CallState:
    """A new-client intake waiting on `slot`, at turn 5."""
    base = CallState(
        phase=Phase.INTAKE, asking=slot, intent=Intent.NEW_CLIENT, caller_number=CALLER, turns=5
    )
    return base.evolve(**state)


def take(state: CallState, u: Understanding) -> CallState:
    return absorb(state, u, CTX, low_confidence=False).state


def test_every_recorded_value_cites_the_turn_and_the_words() -> None:
    """Values stated at any question are recorded with this turn's number and words."""
    said = heard("I'm in Illinois and want video", state="IL", modality=Modality.TELEHEALTH)
    state = take(asking(Slot.CONCERN), said)
    assert state.intake.state == "IL"
    assert set(state.evidence) == {
        Evidence("modality", 5, said.text),
        Evidence("state", 5, said.text),
    }


def test_a_correction_replaces_the_value_and_its_evidence() -> None:
    """A new value for a field replaces the old one and what it cited."""
    before = asking(
        Slot.MODALITY,
        intake=Intake(state="IL"),
        evidence=(Evidence("state", 2, "Illinois"),),
    )
    state = take(before, heard("actually Wisconsin", state="WI", correction=True))
    assert state.intake.state == "WI"
    assert state.evidence == (Evidence("state", 5, "actually Wisconsin"),)


def test_a_value_said_again_keeps_its_first_evidence() -> None:
    """Restating a value already recorded leaves its evidence where it was first said."""
    before = asking(
        Slot.STATE,
        intake=Intake(for_whom=ForWhom.SELF),
        evidence=(Evidence("for_whom", 1, "for myself"),),
    )
    state = take(before, heard("Illinois, for me", state="IL", for_whom=ForWhom.SELF))
    assert Evidence("for_whom", 1, "for myself") in state.evidence


def test_a_read_back_value_cites_its_words_only_once_confirmed() -> None:
    """A number awaiting its read-back is not evidence yet; it is held with the number."""
    absorbed = absorb(
        asking(Slot.CALLBACK_NUMBER),
        heard("312 555 0142", callback_number="+13125550142"),
        CTX,
        low_confidence=False,
    )
    assert absorbed.readback is not None
    assert absorbed.state.evidence == ()
    assert absorbed.state.pending_evidence == (Evidence("callback_number", 5, "312 555 0142"),)


def test_a_question_at_the_concern_question_leaves_it_pending() -> None:
    """ "Do you take Aetna?" at the concern question records nothing and settles nothing."""
    question = heard("do you take Aetna?", topics=[Topic.INSURANCE])
    state = take(asking(Slot.CONCERN), question)
    assert state.intake.concern is None
    assert Slot.CONCERN not in state.settled


def test_an_answer_to_another_question_is_kept_and_the_concern_stays_open() -> None:
    """A state said at the concern question is the state; the concern is still to be asked."""
    state = take(asking(Slot.CONCERN), heard("Illinois", state="IL"))
    assert (state.intake.concern, state.intake.state) == (None, "IL")
    assert Slot.CONCERN not in state.settled


def test_the_concern_is_the_callers_own_words_with_its_evidence() -> None:
    """A concern is kept as said, citing the turn, at its own question or at another one."""
    for slot in (Slot.CONCERN, Slot.PAYMENT):
        state = take(asking(slot), heard("panic attacks", concern="panic attacks"))
        assert state.intake.concern == "panic attacks"
        assert Evidence("concern", 5, "panic attacks") in state.evidence


def test_the_same_concern_said_again_keeps_its_first_words() -> None:
    """ "Anxiety" restated inside a longer sentence keeps the record; a new concern replaces."""
    before = asking(
        Slot.STATE,
        intake=Intake(concern="it's mostly anxiety"),
        evidence=(Evidence("concern", 2, "it's mostly anxiety"),),
    )
    same = take(before, heard("anxiety, like I said", concern="anxiety"))
    assert same.intake.concern == "it's mostly anxiety"
    assert same.evidence == (Evidence("concern", 2, "it's mostly anxiety"),)
    other = take(before, heard("and trouble sleeping", concern="trouble sleeping"))
    assert other.intake.concern == "trouble sleeping"


def test_declining_the_concern_question_settles_it() -> None:
    """ "Pass" or a plain no at the concern question skips it; it is not asked again."""
    for u in (heard("pass", requests={Request.DONT_KNOW}), heard("no", affirm=False)):
        state = take(asking(Slot.CONCERN), u)
        assert state.intake.concern is None
        assert Slot.CONCERN in state.settled


def test_okay_with_a_question_does_not_answer_the_telehealth_set_up() -> None:
    """ "Okay, how much is it?" at the set-up question records no set-up."""
    question = heard("okay, how much is it?", affirm=True, private_space=True, topics=[Topic.FEES])
    state = take(asking(Slot.TELEHEALTH_PRIVATE_SPACE), question)
    assert state.intake.telehealth_constraints is None


def test_yes_to_the_set_up_question_answers_all_three() -> None:
    """A plain yes covers the private space, the device and the connection."""
    state = take(asking(Slot.TELEHEALTH_PRIVATE_SPACE), heard("yes", affirm=True))
    assert state.intake.telehealth_constraints == TelehealthConstraints(True, True, True)


def test_a_set_up_stated_elsewhere_is_not_recorded() -> None:
    """Telehealth set-up comes only from an answer to that question."""
    state = take(asking(Slot.PAYMENT), heard("I have a laptop", device=True))
    assert state.intake.telehealth_constraints is None


def test_consent_to_text_comes_only_from_its_question() -> None:
    """Consent said at another question is not recorded; at its own question it is."""
    said = heard("text me", consent_to_text=True)
    assert take(asking(Slot.REMINDER_PREFERENCE), said).intake.consent_to_text is None
    assert take(asking(Slot.CONSENT_TO_TEXT), said).intake.consent_to_text is True


def test_a_refusal_to_be_texted_counts_whenever_it_is_said() -> None:
    """ "Please don't text me" is recorded even before consent is asked."""
    said = heard("please don't text me", consent_to_text=False)
    assert take(asking(Slot.REMINDER_PREFERENCE), said).intake.consent_to_text is False


def test_a_payer_only_asked_about_is_not_recorded() -> None:
    """A payer named in a question keeps the caller's own payer."""
    before = asking(Slot.AVAILABILITY, intake=Intake(payment=Payment.INSURANCE, payer="bcbs"))
    question = heard(
        "do you take Aetna?", payer="aetna", payer_question=True, topics=[Topic.INSURANCE]
    )
    assert take(before, question).intake.payer == "bcbs"


def test_an_insurer_only_asked_about_is_never_kept_as_out_of_network() -> None:
    """ "Do you take Humana?" is answered, not recorded; "I have Humana" is kept as the
    client's insurer, out of network, beside the private pay already said."""
    before = asking(Slot.AVAILABILITY, intake=Intake(payment=Payment.PRIVATE_PAY))
    question = heard(
        "do you take Humana?",
        payer_unlisted="Humana",
        payer_question=True,
        topics=[Topic.INSURANCE],
    )
    assert take(before, question).intake.out_of_network_payer is None
    theirs = take(before, heard("I have Humana", payer_unlisted="Humana")).intake
    assert theirs.out_of_network_payer == "Humana"
    assert theirs.payment is Payment.PRIVATE_PAY
    assert theirs.payer is None


def test_yes_is_never_the_clients_name() -> None:
    """A yes or no at the name question records no name."""
    assert take(asking(Slot.CLIENT_NAME), heard("yes", affirm=True)).intake.client_name is None


def test_another_questions_answer_is_never_the_clients_name() -> None:
    """ "Text me" at the name question is a name in shape only: none is recorded."""
    said = replace(heard("text me"), answers_another=True)
    assert take(asking(Slot.CLIENT_NAME), said).intake.client_name is None


def test_the_name_is_taken_as_said_and_read_back() -> None:
    """A new client's name is held for its read-back, citing the words it came from."""
    absorbed = absorb(asking(Slot.CLIENT_NAME), heard("Jamie Rivera"), CTX, low_confidence=False)
    assert absorbed.readback is not None
    assert absorbed.readback.client_name == "Jamie Rivera"
    assert absorbed.state.pending_evidence == (Evidence("client_name", 5, "Jamie Rivera"),)


def test_an_existing_clients_name_is_read_back_too() -> None:
    """An existing client's name is verified and called back by: it is read back first."""
    existing = asking(Slot.CLIENT_NAME, phase=Phase.EXISTING)
    absorbed = absorb(existing, heard("Maria Gomez"), CTX, low_confidence=False)
    assert absorbed.state.intake.client_name is None
    assert absorbed.readback is not None
    assert absorbed.readback.client_name == "Maria Gomez"


def test_the_callers_own_name_is_the_clients_once_the_care_is_for_them() -> None:
    """ "This is Jane Doe" said first becomes the client's name when the care is for the
    caller, citing the words of the introduction."""
    intro = heard("this is Jane Doe", caller_name="Jane Doe")
    first = take(asking(Slot.FOR_WHOM), intro)
    assert first.intake.client_name is None
    absorbed = absorb(
        first.evolve(turns=6),
        heard("it's for me", for_whom=ForWhom.SELF),
        CTX,
        low_confidence=False,
    )
    assert absorbed.readback is not None
    assert absorbed.readback.client_name == "Jane Doe"
    assert Evidence("client_name", 5, "this is Jane Doe") in absorbed.state.pending_evidence


def test_a_name_for_someone_else_is_not_the_callers() -> None:
    """The caller's own name is not the client's name when the care is for their child."""
    intro = heard("this is Jane Doe, for my son", caller_name="Jane Doe", for_whom=ForWhom.CHILD)
    assert take(asking(Slot.FOR_WHOM), intro).intake.client_name is None


def test_free_words_at_the_availability_question_are_kept_for_staff() -> None:
    """Unparsed availability words are kept as the caller said them."""
    state = take(asking(Slot.AVAILABILITY), heard("whenever my shift allows"))
    assert state.intake.availability == (AvailabilityWindow(text="whenever my shift allows"),)


def test_a_question_at_the_availability_question_is_not_availability() -> None:
    """A question asked when availability was asked is not kept as availability."""
    question = heard("what are your hours?", topics=[Topic.HOURS])
    assert take(asking(Slot.AVAILABILITY), question).intake.availability == ()


def test_yes_to_the_known_number_confirms_it() -> None:
    """Yes to "is the number you're calling from best?" records that number, confirmed."""
    state = take(asking(Slot.CALLBACK_NUMBER), heard("yes", affirm=True))
    assert (state.intake.callback_number, state.intake.callback_confirmed) == (CALLER, True)
    assert state.evidence == (Evidence("callback_number", 5, "yes"),)


def test_this_number_said_at_another_question_confirms_the_number_calling() -> None:
    """ "This number works" at the reminder question records the number calling, confirmed,
    with its words; the reminder question stays open."""
    state = take(asking(Slot.REMINDER_PREFERENCE), heard("this number works", this_number=True))
    assert (state.intake.callback_number, state.intake.callback_confirmed) == (CALLER, True)
    assert state.evidence == (Evidence("callback_number", 5, "this number works"),)
    assert state.intake.reminder_preference is None


def test_this_number_after_the_number_calling_was_declined_records_nothing() -> None:
    """Once the caller said the number calling is not the best one, "this number" is no
    answer: nothing is recorded."""
    said = heard("this number is good", this_number=True)
    state = take(asking(Slot.CALLBACK_NUMBER, known_number_declined=True), said)
    assert state.intake.callback_number is None


def test_text_is_fine_at_another_question_chooses_text_reminders_not_consent() -> None:
    """ "Text is fine" at the age question keeps text reminders; consent to text still waits
    for its own question, which says texts are not fully private."""
    said = heard("text is fine", reminder_preference=ReminderPreference.SMS, consent_to_text=True)
    state = take(asking(Slot.CLIENT_AGE), said)
    assert state.intake.reminder_preference is ReminderPreference.SMS
    assert state.intake.consent_to_text is None
    assert Slot.CLIENT_AGE not in state.settled


def test_dont_know_skips_a_skippable_question() -> None:
    """ "I don't know" at the state question settles it without a value."""
    state = take(asking(Slot.STATE), heard("I don't know", requests=[Request.DONT_KNOW]))
    assert Slot.STATE in state.settled
    assert state.intake.state is None


def test_for_me_in_passing_keeps_whom_the_care_is_for() -> None:
    """ "An appointment for me at 2 pm" after "it's for my son" keeps the child; a correction
    ("actually it's for me") changes it."""
    child = asking(Slot.AVAILABILITY, intake=Intake(for_whom=ForWhom.CHILD))
    passing = heard("can you make an appointment for me at 2 pm", for_whom=ForWhom.SELF)
    assert take(child, passing).intake.for_whom is ForWhom.CHILD
    corrected = heard("actually it's for me", for_whom=ForWhom.SELF, correction=True)
    assert take(child, corrected).intake.for_whom is ForWhom.SELF


def test_a_sentence_at_the_name_question_is_no_name() -> None:
    """Words the name reader did not take are kept as the name only when they look like one."""
    sentence = heard("The only problem is that I won't be there... I just want peace.")
    assert take(asking(Slot.CLIENT_NAME), sentence).intake.client_name is None
    absorbed = absorb(asking(Slot.CLIENT_NAME), heard("Jamie O'Neil"), CTX, low_confidence=False)
    assert absorbed.readback is not None
    assert absorbed.readback.client_name == "Jamie O'Neil"


def test_a_greeting_a_number_or_a_pause_at_the_name_question_is_no_name() -> None:
    """Words the name reader left are never the name when they greet, count or stall."""
    greeting = replace(heard("good morning"), said_anything=False)
    number = replace(heard("twelve"), normalized="12")
    stalling = heard("let me think")
    for words in (greeting, number, stalling):
        assert take(asking(Slot.CLIENT_NAME), words).intake.client_name is None
        assert take(asking(Slot.CLIENT_NAME), words).pending_evidence == ()


def test_free_words_about_something_else_are_not_availability() -> None:
    """Words that speak of no day, time or schedule are not kept as availability."""
    said = replace(heard("let me know if I need a visa to go to Sudan"), speaks_of_time=False)
    state = take(asking(Slot.AVAILABILITY), said)
    assert state.intake.availability == ()
    assert Slot.AVAILABILITY not in state.settled


def test_a_yes_before_a_question_answers_the_texting_question() -> None:
    """ "Yes that's fine, do you have anyone who works with kids?" records consent to text."""
    said = replace(
        heard(
            "yes that's fine, do you have anyone who works with kids?",
            affirm=True,
            topics=[Topic.SPECIALTIES],
            specialty="play therapy",
        ),
        affirm_before_question=True,
    )
    state = take(asking(Slot.CONSENT_TO_TEXT), said)
    assert state.intake.consent_to_text is True
    assert Evidence("consent_to_text", 5, said.text) in state.evidence


def test_a_no_before_a_question_answers_the_set_up_question() -> None:
    """ "No, I don't have a private space, am I talking to a person?" records the set-up."""
    said = replace(
        heard(
            "no, I don't have a private space, am I talking to a real person?",
            affirm=False,
            topics=[Topic.AUTOMATED],
            private_space=False,
        ),
        affirm_before_question=False,
    )
    state = take(asking(Slot.TELEHEALTH_PRIVATE_SPACE), said)
    constraints = state.intake.telehealth_constraints
    assert constraints is not None
    assert (constraints.private_space, constraints.device) == (False, False)


def test_a_yes_before_a_question_beside_another_answer_answers_nothing() -> None:
    """ "Yes, we're in Wisconsin, what are your hours?" keeps the state, not a set-up."""
    said = replace(
        heard(
            "yes, we're in Wisconsin, what are your hours?",
            affirm=True,
            topics=[Topic.HOURS],
            state="WI",
        ),
        affirm_before_question=True,
    )
    state = take(asking(Slot.TELEHEALTH_PRIVATE_SPACE), said)
    assert state.intake.telehealth_constraints is None
    assert state.intake.state == "WI"


def test_a_no_before_a_question_naming_an_age_group_answers_the_set_up() -> None:
    """What the question names ("anyone who works with kids?") is not taken back by the "no"."""
    said = replace(
        heard(
            "no, I don't have a private space. do you have anyone who works with kids?",
            affirm=False,
            topics=[Topic.SPECIALTIES],
            private_space=False,
            specialty="play therapy",
            age_group=AgeGroup.CHILD,
        ),
        affirm_before_question=False,
    )
    state = take(asking(Slot.TELEHEALTH_PRIVATE_SPACE), said)
    constraints = state.intake.telehealth_constraints
    assert constraints is not None
    assert constraints.private_space is False


def test_a_caller_waiting_for_a_call_back_keeps_what_they_volunteer() -> None:
    """Asked for the number to call back, "insurance, Aetna" is kept for staff to see."""
    waiting = CallState(
        phase=Phase.HANDOFF, asking=Slot.CALLBACK_NUMBER, wants_callback=True, turns=5
    )
    said = heard("insurance, Aetna", payment=Payment.INSURANCE, payer="aetna")
    state = take(waiting, said)
    assert (state.intake.payment, state.intake.payer) == (Payment.INSURANCE, "aetna")
    assert Evidence("payer", 5, said.text) in state.evidence


def test_an_existing_client_leaving_a_message_still_gives_no_intake() -> None:
    """An existing client's message phase takes a name and a number, not intake values."""
    messaging = CallState(phase=Phase.MESSAGE, asking=Slot.CALLBACK_NUMBER, turns=5)
    state = take(messaging, heard("insurance, Aetna", payment=Payment.INSURANCE, payer="aetna"))
    assert (state.intake.payment, state.intake.payer) == (None, None)


def test_the_call_back_request_itself_names_only_its_topic() -> None:
    """ "Call me back about my insurance", the request itself, says no way to pay."""
    requesting = CallState(phase=Phase.HANDOFF, asking=None, wants_callback=True, turns=5)
    said = heard("please have someone call me back about my insurance", payment=Payment.INSURANCE)
    assert take(requesting, said).intake.payment is None


def test_times_only_asked_about_correct_no_times_given_before() -> None:
    """ "Do you have anything on Friday?" at the consent question asks what the practice has:
    the Tuesday mornings said earlier stay; a caller who gave no times is looking for Friday,
    and a caller who says when they are free ("actually Fridays work better") corrects it."""
    tuesdays = AvailabilityWindow("Tuesday mornings", weekdays=frozenset({Weekday.TUESDAY}))
    friday = (AvailabilityWindow("do you have anything on Friday?", on=date(2025, 6, 13)),)
    given = asking(Slot.CONSENT_TO_TEXT, intake=Intake(availability=(tuesdays,)))
    asked = replace(heard("do you have anything on Friday?", availability=friday), times_asked=True)
    assert take(given, asked).intake.availability == (tuesdays,)
    assert take(asking(Slot.CONSENT_TO_TEXT), asked).intake.availability == friday
    said = heard("actually Fridays work better", availability=friday, correction=True)
    assert take(given, said).intake.availability == friday
