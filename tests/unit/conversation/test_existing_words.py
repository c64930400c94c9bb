"""An existing client's words are kept: their name, clinician, the appointment and the time
they want instead, and words that answer another question are acknowledged, not missed."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from tests.unit.conversation.engine_fakes import context, heard, ids, run

from frontdesk.conversation.state import Phase
from frontdesk.domain.calls import Intent
from frontdesk.domain.inquiries import AvailabilityWindow, ForWhom

AFTERNOON = AvailabilityWindow(text="the afternoon", start=time(12), end=time(17))
TUESDAY = AvailabilityWindow(text="on Tuesday")
MOVE = heard("I need to move my appointment", intent=Intent.RESCHEDULE)
MOVE_TUESDAY = heard(
    "I need to move my appointment on Tuesday", intent=Intent.RESCHEDULE, availability=(TUESDAY,)
)
NAMED = heard(
    "hey it's Maria Gomez, I need to move my appointment",
    intent=Intent.RESCHEDULE,
    caller_name="Maria Gomez",
    for_whom=ForWhom.SELF,
)
PARENT = heard(
    "this is Maria Gomez, I need to move my daughter's appointment",
    intent=Intent.RESCHEDULE,
    caller_name="Maria Gomez",
)
THURSDAY = heard("can we do Thursday instead")
LATER = heard("the afternoon", availability=(AFTERNOON,))
UM = replace(heard("um"), said_anything=False)
WITH_MAYA = replace(
    heard(
        "I'm a client of Maya and I need to reschedule",
        intent=Intent.EXISTING_CLIENT,
        clinician="maya",
    ),
    intents=(Intent.EXISTING_CLIENT, Intent.RESCHEDULE),
)
YES = heard("yes", affirm=True)


def test_the_callers_own_name_said_with_the_need_is_read_back_not_asked() -> None:
    """ "Hey, it's Maria Gomez, I need to move my appointment": the name is read back."""
    turn = run(context([NAMED]), [NAMED.text])[-1]
    assert ids(turn) == ["existing_start", "readback_name"]
    assert turn.state.pending is not None
    assert turn.state.pending.client_name == "Maria Gomez"


def test_a_parents_own_name_with_a_childs_appointment_is_not_the_clients() -> None:
    """Nothing says the appointment is the caller's own: the client's name is asked."""
    turn = run(context([PARENT]), [PARENT.text])[-1]
    assert ids(turn) == ["existing_start", "ask_client_name"]


def test_words_for_another_question_at_the_name_question_are_noted() -> None:
    """ "Can we do Thursday instead" at the name question is kept and acknowledged, then the
    name is asked in other words; "um" is still not caught."""
    turns = run(context([MOVE, THURSDAY, UM]), [MOVE.text, THURSDAY.text])
    assert ids(turns[-1]) == ["noted", "ask_client_name_reworded"]
    missed = run(context([MOVE, UM]), [MOVE.text, UM.text])[-1]
    assert ids(missed)[0] == "reprompt_no_match"


def test_words_for_another_question_at_the_name_read_back_are_noted() -> None:
    """At the read-back, "can we do Thursday instead" is noted and the name read again."""
    turn = run(context([NAMED, THURSDAY]), [NAMED.text, THURSDAY.text])[-1]
    assert ids(turn) == ["noted", "readback_name"]


def test_a_new_clients_words_for_no_question_are_still_not_caught() -> None:
    """Mid-intake, words that fill nothing keep the old reprompt: intake keeps fields."""
    new = heard("I'm looking for a therapist", intent=Intent.NEW_CLIENT)
    turn = run(context([new, THURSDAY]), [new.text, THURSDAY.text])[-1]
    assert ids(turn)[0] == "reprompt_no_match"


def test_the_time_said_with_the_need_names_the_appointment_and_a_later_one_is_wanted() -> None:
    """ "Move my appointment on Tuesday" keeps the words as the appointment meant, not as
    availability; "the afternoon" said later is the time wanted instead, with its turn."""
    turns = run(context([MOVE_TUESDAY, LATER]), [MOVE_TUESDAY.text, LATER.text])
    state = turns[-1].state
    assert state.intake.appointment_said == MOVE_TUESDAY.text
    assert state.intake.availability == (AFTERNOON,)
    cited = {e.field: e.turn for e in state.evidence}
    assert cited == {"appointment_said": 1, "availability": 2}


def test_the_clinician_an_existing_client_names_is_kept_and_the_need_is_the_purpose() -> None:
    """ "I'm a client of Maya and I need to reschedule" keeps Maya and is a reschedule."""
    turn = run(context([WITH_MAYA]), [WITH_MAYA.text])[-1]
    assert turn.state.intent is Intent.RESCHEDULE
    assert turn.state.phase is Phase.EXISTING
    assert turn.state.intake.clinician_preference == "maya"
