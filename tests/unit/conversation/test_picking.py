"""Which offer the caller means when they name a calendar date ("the one on the 12th")."""

from __future__ import annotations

from datetime import date

from tests.unit.conversation.engine_fakes import context, heard
from tests.unit.conversation.test_existing import FRI, NEXT_THU, THU

from frontdesk.conversation.flows.picking import described, pick_offer
from frontdesk.conversation.understanding.result import Understanding
from frontdesk.domain.inquiries import AvailabilityWindow

HELD = (THU, FRI, NEXT_THU)  # THU and NEXT_THU share weekday, hour and clinician


def on(text: str, *days: date) -> Understanding:
    """`text` understood as naming the calendar dates `days`."""
    return heard(text, availability=tuple(AvailabilityWindow(text, on=d) for d in days))


def test_a_date_tells_apart_weekly_sessions_that_share_everything_else() -> None:
    """ "The one on the 12th" picks the second Thursday, which weekday and hour cannot."""
    ctx = context()
    assert pick_offer(HELD, on("the one on the 12th", date(2026, 3, 12)), ctx) == NEXT_THU
    assert described(HELD, on("the one on the 12th", date(2026, 3, 12)), ctx) == (NEXT_THU,)


def test_a_date_with_an_ordinal_still_picks_the_one_on_that_date() -> None:
    """ "Thursday the 12th, the second one": the date decides; the ordinal adds nothing."""
    words = on("Thursday the 12th, the second one", date(2026, 3, 12))
    assert pick_offer(HELD, words, context()) == NEXT_THU


def test_a_date_that_fits_no_offer_picks_none() -> None:
    """A date none of the offers is on picks nothing and describes nothing."""
    ctx = context()
    assert pick_offer(HELD, on("the one on the 20th", date(2026, 3, 20)), ctx) is None
    assert described(HELD, on("the one on the 20th", date(2026, 3, 20)), ctx) == ()


def test_without_a_date_the_shared_weekday_still_needs_more() -> None:
    """ "The Thursday one" fits two sessions: no single pick from the description."""
    ctx = context()
    assert described(HELD, heard("the Thursday one"), ctx) == (THU, NEXT_THU)


def test_a_position_ruled_out_is_not_the_one_picked() -> None:
    """ "Not the first one, the second one" picks the second; "not the first" alone, none."""
    ctx = context()
    assert pick_offer(HELD, heard("no, not the first one, the second one"), ctx) == FRI
    assert pick_offer(HELD, heard("not the first one"), ctx) is None
