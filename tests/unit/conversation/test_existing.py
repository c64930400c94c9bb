"""A verified client with several upcoming appointments picks the one to cancel or move."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tests.unit.conversation.engine_fakes import NOW, ids, said
from tests.unit.conversation.test_booking import BORN, CANCEL, MOVE, OFFERS, asked_dob
from tests.unit.conversation.test_engine import keys_understood

from frontdesk.conversation.engine import EngineContext, resume, step
from frontdesk.conversation.events import CallerPressed, Silence
from frontdesk.conversation.state import CallState, Offer, Phase, Stage
from frontdesk.conversation.turn import (
    Cancel,
    FindOpenings,
    Found,
    HangUp,
    RequestCallback,
    Reschedule,
    Turn,
    Verified,
    Verify,
)
from frontdesk.conversation.understanding.result import Understanding
from frontdesk.domain.appointments import slot_key
from frontdesk.domain.calendar import Slot
from frontdesk.domain.calls import CallResult
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.practice import ServiceKind

CHICAGO = ZoneInfo("America/Chicago")


def appointment(n: int, start: datetime, clinician: str = "Daniel Reyes, LMFT") -> Offer:
    """The client's appointment `appt-n`, read as "Day n" with `clinician`."""
    slot = Slot("dr", start, start + timedelta(minutes=50), ServiceKind.ONGOING, Modality.IN_PERSON)
    return Offer(slot, f"Day {n}", clinician, location="Evanston", appointment_id=f"appt-{n}")


THU = appointment(1, datetime(2026, 3, 5, 10, 0, tzinfo=CHICAGO))  # Thursday 10 am, Reyes
FRI = appointment(2, datetime(2026, 3, 6, 15, 0, tzinfo=CHICAGO), "Maya Okafor, LCSW")
NEXT_THU = appointment(3, datetime(2026, 3, 12, 10, 0, tzinfo=CHICAGO))  # a week after THU
LATER = appointment(4, datetime(2026, 3, 19, 10, 0, tzinfo=CHICAGO))


def verified(first: Understanding, *held: Offer) -> tuple[Turn, EngineContext]:
    """A caller who asked to cancel or move, verified with `held` as their appointments."""
    turn, ctx = asked_dob(first)
    verify = step(turn.state, said(BORN.text), context=ctx)
    assert isinstance(verify.scheduling, Verify)
    return resume(verify, Verified("client-1", held), context=ctx), ctx


def read_whens(turn: Turn) -> list[str]:
    """The `when` of every appointment read in this turn, in the order read."""
    return [dict(s.values)["when"] for s in turn.says if s.line_id == "appointment_option"]


def test_two_appointments_are_read_in_time_order_and_the_caller_is_asked_which() -> None:
    """Two appointments: a count, each numbered soonest first, "which one?", no reason yet."""
    read, _ = verified(CANCEL, FRI, THU)
    assert ids(read) == [
        "appointments_intro",
        "appointment_option",
        "appointment_option",
        "which_appointment_cancel",
    ]
    assert dict(read.says[0].values) == {"count": "two"}
    assert read_whens(read) == ["Day 1", "Day 2"]
    assert [dict(s.values).get("ordinal") for s in read.says[1:3]] == ["First", "Second"]
    assert read.state.booking is not None
    assert read.state.booking.stage is Stage.CHOOSING
    assert read.state.booking.target is None
    assert read.scheduling is None


def test_the_second_appointment_is_cancelled_when_the_caller_picks_it() -> None:
    """ "The second one" is named back, the reason asked, and only that one is cancelled."""
    read, ctx = verified(CANCEL, THU, FRI)
    picked = step(read.state, said("the second one"), context=ctx)
    assert ids(picked) == ["appointment_chosen", "ask_cancel_reason"]
    assert dict(picked.says[0].values)["when"] == "Day 2"
    reason = step(picked.state, said("my schedule changed"), context=ctx)
    assert ids(reason) == ["confirm_cancel"]
    assert dict(reason.says[0].values)["when"] == "Day 2"
    confirmed = step(reason.state, said("yes"), context=ctx)
    assert confirmed.scheduling == Cancel("appt-2", "client-1", "my schedule changed")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("the first one", THU),
        ("the last one", NEXT_THU),
        ("the Friday one", FRI),
        ("the 3 pm one", FRI),
        ("the one with Maya Okafor", FRI),
        ("the second Thursday", NEXT_THU),
        ("Thursday the 12th, the second one", NEXT_THU),
        ("number two", FRI),
        ("three", NEXT_THU),
    ],
)
def test_an_appointment_is_picked_by_position_day_time_or_clinician(
    words: str, expected: Offer
) -> None:
    """Picks read like slot picks: by position, weekday, clock time or clinician."""
    read, ctx = verified(CANCEL, THU, FRI, NEXT_THU)
    picked = step(read.state, said(words), context=ctx)
    assert picked.state.booking is not None
    assert picked.state.booking.target == expected
    assert picked.state.booking.stage is Stage.REASON


@pytest.mark.parametrize(
    "words", ["the Thursday one", "the 10 am one", "with Daniel Reyes", "that one", "another one"]
)
def test_words_that_fit_more_than_one_appointment_are_asked_again(words: str) -> None:
    """Words two weekly sessions share, or that describe none, pick none; the list is read again."""
    read, ctx = verified(CANCEL, THU, FRI, NEXT_THU)
    unclear = step(read.state, said(words), context=ctx)
    assert ids(unclear) == [
        "reprompt_no_match",
        "appointment_option",
        "appointment_option",
        "appointment_option",
        "which_appointment_cancel",
    ]
    assert unclear.state.booking is not None
    assert unclear.state.booking.target is None
    assert unclear.scheduling is None


def test_a_reply_that_picks_none_is_asked_again_then_staff_call_back() -> None:
    """Unclear replies are asked again `max_reprompts` times, then staff call back; nothing is
    cancelled."""
    read, ctx = verified(CANCEL, THU, FRI)
    state = read.state
    for _ in range(ctx.max_reprompts):
        again = step(state, said("hmm I am not sure"), context=ctx)
        assert ids(again)[0] == "reprompt_no_match"
        assert ids(again)[-1] == "which_appointment_cancel"
        state = again.state
    closed = step(state, said("hmm I am not sure"), context=ctx)
    assert ids(closed) == ["booking_failed"]
    assert RequestCallback("cancel") in closed.actions
    assert HangUp() in closed.actions
    assert closed.state.result is CallResult.CALLBACK_REQUESTED
    assert not any(isinstance(a, Cancel) for a in closed.actions)


def test_more_than_three_reads_the_next_three_and_leaves_later_ones_to_staff() -> None:
    """Four appointments: the next three are read, the fourth never; "a later one" is a callback."""
    read, ctx = verified(CANCEL, THU, FRI, NEXT_THU, LATER)
    assert ids(read) == [
        "appointments_intro_many",
        "appointment_option",
        "appointment_option",
        "appointment_option",
        "appointments_later",
        "which_appointment_cancel",
    ]
    assert read_whens(read) == ["Day 1", "Day 2", "Day 3"]
    assert all("Day 4" not in dict(s.values).values() for s in read.says)
    later = step(read.state, said("it's a later one"), context=ctx)
    assert ids(later) == ["appointment_later_callback"]
    assert RequestCallback("cancel") in later.actions
    assert HangUp() in later.actions
    assert later.state.result is CallResult.CALLBACK_REQUESTED


def test_with_more_than_three_one_of_the_three_read_can_still_be_picked() -> None:
    """Four appointments: "the third one" picks the third read, not a later one."""
    read, ctx = verified(CANCEL, THU, FRI, NEXT_THU, LATER)
    picked = step(read.state, said("the third one"), context=ctx)
    assert picked.state.booking is not None
    assert picked.state.booking.target == NEXT_THU


def test_a_reschedule_moves_the_appointment_the_caller_picked() -> None:
    """Moving: "which one would you like to move?", new times exclude it, and it is moved."""
    read, ctx = verified(MOVE, THU, FRI)
    assert ids(read)[-1] == "which_appointment_move"
    picked = step(read.state, said("the Friday one"), context=ctx)
    assert ids(picked) == ["appointment_chosen", "ask_reschedule_reason"]
    reason = step(picked.state, said("a work trip"), context=ctx)
    assert isinstance(reason.scheduling, FindOpenings)
    assert reason.scheduling.kind is ServiceKind.ONGOING
    assert reason.scheduling.exclude == frozenset({slot_key("dr", FRI.slot.start)})
    offers = resume(reason, Found(OFFERS[:1]), context=ctx)
    confirm = step(offers.state, said("the first one"), context=ctx)
    yes = step(confirm.state, said("yes"), context=ctx)
    assert yes.scheduling == Reschedule("appt-2", "client-1", OFFERS[0].slot, "a work trip")


def test_one_appointment_is_read_and_its_reason_asked_as_before() -> None:
    """A single appointment is read at once with the reason question; there is nothing to pick."""
    read, _ = verified(CANCEL, FRI)
    assert ids(read) == ["read_appointment", "ask_cancel_reason"]
    assert read.state.booking is not None
    assert read.state.booking.target == FRI


def test_a_call_stored_while_choosing_continues_after_a_restart() -> None:
    """The choosing stage and the held appointments survive the JSON round trip."""
    read, ctx = verified(CANCEL, THU, FRI)
    loaded = CallState.from_dict(read.state.to_dict())
    assert loaded == read.state
    picked = step(loaded, said("the second one"), context=ctx)
    assert picked.state.booking is not None
    assert picked.state.booking.target == FRI


def test_silence_while_choosing_asks_which_one_again() -> None:
    """Silence repeats the question, not the reason or the list of new times."""
    read, ctx = verified(CANCEL, THU, FRI)
    quiet = step(read.state, Silence(NOW), context=ctx)
    assert ids(quiet) == ["reprompt_silence", "which_appointment_cancel"]
    assert quiet.state.phase is Phase.BOOKING


def test_a_cancel_declined_at_the_read_back_keeps_the_only_appointment() -> None:
    """ "No" when the cancel is read back cancels nothing: the appointment stays, the call ends."""
    read, ctx = verified(CANCEL, THU)
    reason = step(read.state, said("my schedule changed"), context=ctx)
    assert ids(reason) == ["confirm_cancel"]
    kept = step(reason.state, said("no"), context=ctx)
    assert kept.scheduling is None
    assert ids(kept) == ["cancel_kept"]
    assert kept.state.result is CallResult.INFO_PROVIDED


def test_a_cancel_declined_with_several_appointments_asks_which_one_again() -> None:
    """With several appointments, "no" at the read-back reads them again to pick from."""
    read, ctx = verified(CANCEL, THU, FRI)
    picked = step(read.state, said("the second one"), context=ctx)
    reason = step(picked.state, said("my schedule changed"), context=ctx)
    again = step(reason.state, said("no"), context=ctx)
    assert again.scheduling is None
    assert read_whens(again) == ["Day 1", "Day 2"]
    assert again.state.booking is not None
    assert again.state.booking.stage is Stage.CHOOSING


def test_keypad_1_confirms_a_cancel_read_back() -> None:
    """The cancel read-back asks a yes/no question: keypad 1 answers it as yes."""
    read, ctx = verified(CANCEL, THU)
    ctx = keys_understood(ctx)
    reason = step(read.state, said("my schedule changed"), context=ctx)
    confirmed = step(reason.state, CallerPressed(NOW, "1"), context=ctx)
    assert confirmed.scheduling == Cancel("appt-1", "client-1", "my schedule changed")
