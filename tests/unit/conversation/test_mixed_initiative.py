"""Callers who don't follow the script: requests anywhere, goodbyes, unclear purposes."""

from __future__ import annotations

from tests.unit.conversation.engine_fakes import context, hang_up, heard, ids, run

from frontdesk.conversation.state import Phase
from frontdesk.conversation.turn import RequestCallback
from frontdesk.conversation.understanding.result import Request, Slot, Topic
from frontdesk.domain.calls import CallResult, Intent
from frontdesk.domain.inquiries import ForWhom, Modality, Payment

APPOINTMENT = heard("I'd like to make an appointment", requests=[Request.APPOINTMENT])
FIRST_TIME = heard("no, this is my first time", affirm=False, intent=Intent.NEW_CLIENT)
YES = heard("yes", affirm=True)
CALL_ME_BACK = heard(
    "please have someone call me back about fees",
    intent=Intent.FEE_QUESTION,
    requests=[Request.CALLBACK],
    topics=[Topic.FEES],
)
NUMBER = heard("312 555 0199", callback_number="+13125550199")
HOURS = heard("what are your hours?", topics=[Topic.HOURS])
MYSELF = heard("therapy for myself", intent=Intent.NEW_CLIENT, for_whom=ForWhom.SELF)
FEES = heard("how much is a session?", topics=[Topic.FEES], intent=Intent.FEE_QUESTION)
BYE = heard("okay thanks, that's all I needed, bye", requests=[Request.GOODBYE], affirm=True)


def test_an_appointment_request_asks_whether_the_client_is_new() -> None:
    """ "I'd like to make an appointment" is answered with the new-or-existing question."""
    turns = run(context([APPOINTMENT]), [APPOINTMENT.text])
    assert ids(turns[-1]) == ["ask_new_or_existing"]


def test_a_first_time_caller_goes_on_to_the_intake() -> None:
    """Saying it is their first time starts a new-client intake."""
    turns = run(context([APPOINTMENT, FIRST_TIME]), [APPOINTMENT.text, FIRST_TIME.text])
    state = turns[-1].state
    assert (state.phase, state.intent) == (Phase.INTAKE, Intent.NEW_CLIENT)


def test_yes_to_having_been_seen_is_an_existing_client() -> None:
    """A yes to "have you had sessions with us before?" verifies an existing client."""
    turns = run(context([APPOINTMENT, YES]), [APPOINTMENT.text, YES.text])
    state = turns[-1].state
    assert (state.phase, state.intent) == (Phase.EXISTING, Intent.EXISTING_CLIENT)


def test_an_unclear_answer_asks_the_new_or_existing_question_again() -> None:
    """An answer that is neither keeps the question pending and asks it in other words."""
    turns = run(context([APPOINTMENT]), [APPOINTMENT.text, "hmm"])
    assert ids(turns[-1])[-1] == "ask_new_or_existing_reworded"


def test_the_new_or_existing_question_is_never_said_a_third_time() -> None:
    """Still unclear after two askings, the caller is offered a message instead."""
    turns = run(context([APPOINTMENT]), [APPOINTMENT.text, "hmm", "hmm"])
    assert ids(turns[-1]) == ["offer_message"]


def test_a_callback_request_answers_the_question_and_asks_for_the_number() -> None:
    """The fee is answered, a callback is promised and the number is asked for."""
    turns = run(context([CALL_ME_BACK]), [CALL_ME_BACK.text])
    assert ids(turns[-1])[-2:] == ["callback_will_call", "ask_callback_known"]
    assert "answer_fees" in ids(turns[-1])


def test_a_number_said_twice_confirms_its_read_back_and_opens_the_callback() -> None:
    """The same number said again at its read-back confirms it; the callback task opens."""
    turns = run(context([CALL_ME_BACK, NUMBER]), [CALL_ME_BACK.text, NUMBER.text, NUMBER.text])
    last = turns[-1]
    assert last.state.result is CallResult.CALLBACK_REQUESTED
    assert last.state.intake.callback_number == "+13125550199"
    assert [a.reason for a in last.actions if isinstance(a, RequestCallback)] == [
        "callback_requested"
    ]


def test_a_hang_up_after_a_callback_request_keeps_the_request() -> None:
    """A caller who asked for a callback and hangs up still gets it, to the known number."""
    turns = run(context([CALL_ME_BACK]), [CALL_ME_BACK.text, hang_up()])
    last = turns[-1]
    assert last.state.result is CallResult.CALLBACK_REQUESTED
    assert [a.reason for a in last.actions if isinstance(a, RequestCallback)] == [
        "callback_requested"
    ]


def test_a_number_offered_after_an_answer_is_kept_and_read_back() -> None:
    """A number said at "anything else?" is read back, then opens a callback."""
    turns = run(context([HOURS, NUMBER, YES]), [HOURS.text, NUMBER.text, YES.text])
    assert ids(turns[2])[-1] == "readback_number"
    assert turns[-1].state.result is CallResult.CALLBACK_REQUESTED


def test_goodbye_after_an_answered_question_is_information_provided() -> None:
    """A goodbye after a mid-intake answer ends as info_provided, with no callback task."""
    turns = run(context([MYSELF, FEES, BYE]), [MYSELF.text, FEES.text, BYE.text])
    last = turns[-1]
    assert last.state.result is CallResult.INFO_PROVIDED
    assert not any(isinstance(a, RequestCallback) for a in last.actions)


def test_a_hang_up_mid_intake_with_nothing_answered_is_abandoned() -> None:
    """Hanging up with the intake undone is abandoned and opens a callback task."""
    turns = run(context([MYSELF]), [MYSELF.text, hang_up()])
    last = turns[-1]
    assert last.state.result is CallResult.ABANDONED
    assert any(isinstance(a, RequestCallback) for a in last.actions)


CONCERN_ASKED = heard(
    "therapy for myself, I'm 30, my name is Jo Lee",
    intent=Intent.NEW_CLIENT,
    for_whom=ForWhom.SELF,
    client_age=30,
    caller_name="Jo Lee",
)
IN_ILLINOIS = heard("I'll be in Illinois", state="IL")
IN_PERSON = heard("in person please", modality=Modality.IN_PERSON)


def test_an_answer_to_another_question_is_kept_and_the_question_reworded() -> None:
    """Another value is recorded, acknowledged, and the pending question asked in other words."""
    turns = run(
        context([CONCERN_ASKED, YES, IN_ILLINOIS]), [CONCERN_ASKED.text, YES.text, IN_ILLINOIS.text]
    )
    assert turns[-1].state.intake.state == "IL"
    assert ids(turns[-1]) == ["noted", "ask_concern_reworded"]


def test_a_question_asked_twice_is_skipped_and_noted_for_staff() -> None:
    """After its second asking the question is skipped, never said a third time."""
    table = [CONCERN_ASKED, YES, IN_ILLINOIS, IN_PERSON]
    turns = run(context(table), [u.text for u in table])
    last = turns[-1]
    assert last.state.skipped == (Slot.CONCERN,)
    said = [line for turn in turns for line in ids(turn)]
    assert said.count("ask_concern") + said.count("ask_concern_reworded") == 2
    assert last.state.intake.modality is Modality.IN_PERSON


def test_a_value_already_given_is_never_asked() -> None:
    """A value volunteered earlier is not asked for when its turn comes."""
    table = [CONCERN_ASKED, YES, IN_ILLINOIS, IN_PERSON]
    turns = run(context(table), [u.text for u in table])
    said = [line for turn in turns for line in ids(turn)]
    assert not {"ask_state", "ask_modality"} & set(said)


def test_facts_said_with_an_appointment_request_are_kept_before_new_or_existing() -> None:
    """ "I'd like to make an appointment, I'm in Illinois, I'd need the sliding scale": the
    state and the way of paying are recorded with their words while new or existing is
    asked, and the intake that follows never asks for them."""
    with_facts = heard(
        "I'd like to make an appointment, I'm in Illinois, I'd need the sliding scale",
        requests=[Request.APPOINTMENT],
        intent=Intent.FEE_QUESTION,
        topics=[Topic.SLIDING_SCALE],
        state="IL",
        payment=Payment.SLIDING_SCALE,
    )
    turns = run(context([with_facts, FIRST_TIME]), [with_facts.text, FIRST_TIME.text])
    asked = turns[1].state
    assert ids(turns[1])[-1] == "ask_new_or_existing"
    assert (asked.intake.state, asked.intake.payment) == ("IL", Payment.SLIDING_SCALE)
    assert {e.field for e in asked.evidence} == {"state", "payment"}
    later = turns[-1].state
    assert (later.phase, later.intake.state) == (Phase.INTAKE, "IL")
    assert not {"ask_state", "ask_payment"} & set(later.asked)
