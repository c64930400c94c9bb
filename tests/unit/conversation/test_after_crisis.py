"""After the crisis wording the caller is never stuck, and an emergency says one thing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.unit.conversation.engine_fakes import NOW, context, heard, ids, practice, run

from frontdesk.conversation.engine import EngineContext
from frontdesk.conversation.events import TransferMissed
from frontdesk.conversation.lines import CRISIS_PATH_LINES
from frontdesk.conversation.state import Phase
from frontdesk.conversation.turn import (
    Handoff,
    HangUp,
    PageStaff,
    RequestCallback,
    Transfer,
    TransferTarget,
    Turn,
)
from frontdesk.conversation.understanding.result import Request
from frontdesk.domain.calls import Intent, Route
from frontdesk.domain.practice import CrisisResources, PhoneNumbers, Practice

CRISIS = "I keep thinking about killing myself"
EMERGENCY = "I took the whole bottle a few minutes ago"
PERSON = heard("can I talk to a real person", intent=Intent.SPEAK_TO_PERSON)
LIFELINE = heard("can you connect me to 988", requests=[Request.CONNECT_LIFELINE])
BOOK = heard("can I still book an appointment", requests=[Request.SCHEDULING])
NEW_CLIENT = heard("I wanted to start therapy", intent=Intent.NEW_CLIENT)
BYE = heard("okay, bye", requests=[Request.GOODBYE])
TABLE = [PERSON, LIFELINE, BOOK, NEW_CLIENT, BYE]


def ctx(
    *,
    on_call: str | None = "+13125550102",
    front_desk: str | None = "+13125550101",
    connect_to_988: bool = False,
) -> EngineContext:
    base = practice()
    chosen: Practice = replace(
        base,
        phones=PhoneNumbers(main=base.phones.main, front_desk=front_desk, on_call=on_call),
        crisis=CrisisResources(connect_to_988=connect_to_988),
    )
    return context(
        TABLE, routes={CRISIS: Route.CRISIS, EMERGENCY: Route.EMERGENCY}, practice_=chosen
    )


def transfers(turn: Turn) -> list[Transfer]:
    return [a for a in turn.actions if isinstance(a, Transfer)]


def rendered(context_: EngineContext, turn: Turn) -> str:
    return " ".join(context_.practice.scripts.render(s) for s in turn.says)


def test_asking_for_a_person_after_the_crisis_wording_transfers_to_on_call() -> None:
    """ "Can I talk to a person" after the 988 wording connects the caller to on-call."""
    turn = run(ctx(), [CRISIS, PERSON.text])[-1]
    assert ids(turn) == ["crisis_transfer_on_call"]
    assert transfers(turn) == [Transfer(TransferTarget.ON_CALL)]
    assert not any(isinstance(a, Handoff | PageStaff) for a in turn.actions)


def test_without_on_call_a_person_in_hours_is_the_front_desk() -> None:
    """With no on-call number, a caller in front-desk hours is connected to the front desk."""
    turn = run(ctx(on_call=None), [CRISIS, PERSON.text])[-1]
    assert ids(turn) == ["crisis_transfer_front_desk"]
    assert transfers(turn) == [Transfer(TransferTarget.FRONT_DESK)]


def test_with_nobody_to_connect_the_caller_hears_that_the_team_will_reach_out() -> None:
    """After hours with no on-call number, the caller hears the team was alerted, and 988."""
    c = ctx(on_call=None)
    turn = run(c, [CRISIS, PERSON.text], after_hours=True)[-1]
    assert ids(turn) == ["crisis_no_person"]
    assert transfers(turn) == []
    assert "988" in rendered(c, turn)


def test_a_person_asked_for_with_the_crisis_words_is_connected_right_after_the_wording() -> None:
    """Crisis words and a request for a person in one breath: the whole 988 wording, then the
    transfer."""
    words = "I want to die, can I talk to a real person"
    c = context(
        [heard(words, intent=Intent.SPEAK_TO_PERSON)],
        routes={words: Route.CRISIS},
    )
    turn = run(c, [words])[-1]
    assert ids(turn) == ["crisis", "crisis_transfer_on_call"]
    assert PageStaff("crisis") in turn.actions
    assert transfers(turn) == [Transfer(TransferTarget.ON_CALL)]


@pytest.mark.parametrize("asked", [BOOK.text, NEW_CLIENT.text])
def test_asking_to_book_after_the_crisis_wording_hears_a_team_member_will_call(asked: str) -> None:
    """A booking request hears that a team member will call about scheduling, backed by one
    callback task; it never reopens booking."""
    turns = run(ctx(), [CRISIS, asked, asked, asked])
    assert [ids(t) for t in turns[2:]] == [
        ["crisis_booking_later"],
        ["crisis_booking_later"],
        ["crisis_repeat"],
    ]
    callbacks = [a for t in turns[2:] for a in t.actions if isinstance(a, RequestCallback)]
    assert callbacks == [RequestCallback("scheduling_after_crisis")]
    assert all(t.scheduling is None for t in turns)
    assert turns[-1].state.phase is Phase.CRISIS_CLOSED


def test_asking_for_988_dials_it_when_the_practice_allows() -> None:
    """With `crisis.connect_to_988`, "connect me to 988" transfers the call to the lifeline."""
    turn = run(ctx(connect_to_988=True), [CRISIS, LIFELINE.text])[-1]
    assert ids(turn) == ["crisis_connect_988"]
    assert transfers(turn) == [Transfer(TransferTarget.LIFELINE)]


def test_asking_for_988_without_the_setting_repeats_how_to_reach_it() -> None:
    """Without the setting, the call never dials 988; the caller hears how to reach it."""
    turn = run(ctx(), [CRISIS, LIFELINE.text])[-1]
    assert ids(turn) == ["crisis_repeat"]
    assert transfers(turn) == []


def test_no_line_is_said_more_than_twice_and_the_call_closes_kindly() -> None:
    """Silence after silence: the resources twice, the options twice, then a goodbye and a
    hang-up — never the same line a third time."""
    turns = run(ctx(), [CRISIS, None, None, None, None, None, None])
    assert [ids(t) for t in turns[2:7]] == [
        ["crisis_repeat"],
        ["crisis_repeat"],
        ["crisis_options"],
        ["crisis_options"],
        ["crisis_goodbye"],
    ]
    assert HangUp() in turns[6].actions
    assert turns[6].state.phase is Phase.ENDED
    assert ids(turns[7]) == []


def test_repeated_crisis_words_never_hear_one_line_three_times() -> None:
    """More crisis words keep hearing the resources, at most twice each, and alert nobody twice."""
    turns = run(ctx(), [CRISIS] * 5)
    spoken = [line for t in turns for line in ids(t)]
    assert all(spoken.count(line) <= 2 for line in CRISIS_PATH_LINES)
    pages = [a for t in turns for a in t.actions if isinstance(a, PageStaff)]
    assert pages == [PageStaff("crisis")]


def test_goodbye_after_the_crisis_wording_ends_the_call() -> None:
    """A caller who says goodbye hears a short close with 988 and the call hangs up."""
    c = ctx()
    turn = run(c, [CRISIS, BYE.text])[-1]
    assert ids(turn) == ["crisis_goodbye"]
    assert HangUp() in turn.actions
    assert "988" in rendered(c, turn)


def test_an_emergency_with_on_call_says_stay_on_the_line_never_hang_up() -> None:
    """With an on-call number the emergency turn says to stay on the line while connecting,
    never "hang up and call 911" in the same turn."""
    c = ctx()
    turn = run(c, [EMERGENCY])[-1]
    text = rendered(c, turn).lower()
    assert ids(turn) == ["emergency_connecting"]
    assert transfers(turn) == [Transfer(TransferTarget.ON_CALL)]
    assert "connecting you" in text
    assert "hang up" not in text
    assert "911" in text


def test_an_emergency_without_on_call_says_hang_up_and_call_never_connecting() -> None:
    """Without an on-call number the emergency turn says to call 911, and connects nobody."""
    c = ctx(on_call=None)
    turn = run(c, [EMERGENCY])[-1]
    text = rendered(c, turn).lower()
    assert ids(turn) == ["emergency"]
    assert transfers(turn) == []
    assert "hang up and call 911" in text
    assert "connecting" not in text


MISSED = TransferMissed(NOW)


def test_a_missed_transfer_says_nobody_could_be_reached_and_keeps_listening() -> None:
    """Nobody answered on-call: the caller hears staff were alerted and 988, the call is
    not over, and asking again rings the front desk in hours, never on-call a second time."""
    c = ctx()
    turns = run(c, [CRISIS, PERSON.text, MISSED, PERSON.text])
    missed, again = turns[-2], turns[-1]
    assert ids(missed) == ["crisis_no_person"]
    assert missed.state.phase is not Phase.ENDED
    assert not any(isinstance(a, HangUp | Transfer) for a in missed.actions)
    assert missed.state.unreached == (TransferTarget.ON_CALL.value,)
    assert transfers(again) == [Transfer(TransferTarget.FRONT_DESK)]


def test_when_every_person_went_unanswered_asking_again_never_rings() -> None:
    """On-call and the front desk both missed: "a person" hears the no-person wording."""
    turns = run(ctx(), [CRISIS, PERSON.text, MISSED, PERSON.text, MISSED, PERSON.text])
    assert transfers(turns[-1]) == []
    assert ids(turns[-1]) in (["crisis_no_person"], ["crisis_repeat"])


def test_a_missed_emergency_transfer_says_the_911_wording_never_connecting() -> None:
    """The emergency's on-call transfer went unanswered: the 911 wording (hang up and call),
    not "stay on the line"; emergency words said again are not connected to on-call again."""
    c = ctx()
    turns = run(c, [EMERGENCY, MISSED, EMERGENCY])
    assert ids(turns[1]) == ["emergency_connecting"]
    assert ids(turns[2]) == ["emergency"]
    assert "911" in rendered(c, turns[2])
    assert transfers(turns[3]) == []
    assert ids(turns[3]) != ["emergency_connecting"]


def test_the_988_transfer_missed_is_not_rung_again() -> None:
    """A practice that dials 988: when that transfer fails, asking again hears the wording."""
    c = ctx(connect_to_988=True)
    turns = run(c, [CRISIS, LIFELINE.text, MISSED, LIFELINE.text])
    assert transfers(turns[2]) == [Transfer(TransferTarget.LIFELINE)]
    assert transfers(turns[-1]) == []


def test_a_missed_transfer_on_a_routine_call_leaves_the_message_to_the_edge() -> None:
    """Outside the crisis path the transfer ended the call; the engine says nothing more."""
    c = ctx()
    turns = run(c, [PERSON.text, MISSED])
    assert transfers(turns[1]) == [Transfer(TransferTarget.FRONT_DESK)]
    assert turns[2].says == ()
    assert turns[2].actions == ()
