"""Which offer the caller means: a position, a date, a time, a weekday or a clinician."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from tests.unit.conversation.engine_fakes import context, heard
from tests.unit.conversation.test_existing import CHICAGO, FRI, NEXT_THU, THU, appointment

from frontdesk.conversation.flows.picking import pick_offer
from frontdesk.conversation.state import Offer
from frontdesk.conversation.understanding.choices import read_choice
from frontdesk.conversation.understanding.normalize import numberize, words
from frontdesk.conversation.understanding.result import Understanding

HELD = (THU, FRI, NEXT_THU)  # THU and NEXT_THU share weekday, hour and clinician


def test_a_date_tells_apart_weekly_sessions_that_share_everything_else() -> None:
    """ "The one on the 12th" picks the second Thursday, which weekday and hour cannot."""
    ctx = context()
    assert pick_offer(HELD, heard("the one on the 12th"), ctx) == NEXT_THU


def test_a_date_with_an_ordinal_still_picks_the_one_on_that_date() -> None:
    """ "Thursday the 12th, the second one": the date decides; the ordinal adds nothing."""
    words = heard("Thursday the 12th, the second one")
    assert pick_offer(HELD, words, context()) == NEXT_THU


def test_a_date_that_fits_no_offer_picks_none() -> None:
    """A date none of the offers is on picks nothing."""
    ctx = context()
    assert pick_offer(HELD, heard("the one on the 20th"), ctx) is None


def test_without_a_date_the_shared_weekday_still_needs_more() -> None:
    """ "The Thursday one" fits two sessions: no single pick from the description."""
    ctx = context()
    assert pick_offer(HELD, heard("the Thursday one"), ctx) is None


def test_a_position_ruled_out_is_not_the_one_picked() -> None:
    """ "Not the first one, the second one" picks the second; "not the first" alone, none."""
    ctx = context()
    assert pick_offer(HELD, heard("no, not the first one, the second one"), ctx) == FRI
    assert pick_offer(HELD, heard("not the first one"), ctx) is None


APRIL = date(2026, 4, 1)
FIRST_1PM = appointment(1, datetime(2026, 4, 2, 13, 0, tzinfo=CHICAGO), "Maya Okafor, LCSW")
SECOND_3RD = appointment(2, datetime(2026, 4, 3, 12, 0, tzinfo=CHICAGO), "Priya Natarajan, PsyD")
THIRD_6TH = appointment(3, datetime(2026, 4, 6, 12, 0, tzinfo=CHICAGO), "Maya Okafor, LCSW")
EARLY = (FIRST_1PM, SECOND_3RD, THIRD_6TH)  # Thursday the 2nd at 1 pm, Friday the 3rd, Monday


def april(text: str) -> Understanding:
    """`text` as understood on April 1st, when the offers above were read."""
    return replace(heard(text), choice=read_choice(numberize(words(text)), today=APRIL))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the third one", THIRD_6TH),
        ("the second one", SECOND_3RD),
        ("the first one", FIRST_1PM),
        ("the one with Priya", SECOND_3RD),
        ("the one on the 3rd", SECOND_3RD),
        ("the 1 pm", FIRST_1PM),
        ("the one at one", FIRST_1PM),
        ("the Monday one", THIRD_6TH),
        ("the last one", THIRD_6TH),
        ("the second one, with Priya", SECOND_3RD),
        ("the second one with Maya", THIRD_6TH),  # the second of Maya's two
    ],
)
def test_a_pick_is_resolved_against_the_offers_read(text: str, expected: Offer) -> None:
    """Positions, dates, times and clinicians are read against the offers, never confused."""
    assert pick_offer(EARLY, april(text), context()) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the one with Maya",  # two offers with Maya
        "do you have anything Friday morning?",  # a request, not a choice
        "the Saturday one",  # no Saturday offered: a wish for another day
        "the fourth one",  # only three were read
    ],
)
def test_words_that_fit_no_single_offer_pick_none(text: str) -> None:
    """Nothing is picked on a guess: words fitting none or several offers pick none."""
    assert pick_offer(EARLY, april(text), context()) is None


def test_a_time_that_fits_no_offer_is_dropped_as_misheard() -> None:
    """ "The 4 pm with Priya": no 4 pm was offered, so the clinician decides."""
    assert pick_offer(EARLY, april("the 4 pm with Priya"), context()) == SECOND_3RD


WEEKLY = (
    appointment(1, datetime(2026, 3, 19, 15, 0, tzinfo=CHICAGO), "Jordan Whitfield, LPC"),
    appointment(2, datetime(2026, 3, 26, 15, 0, tzinfo=CHICAGO), "Jordan Whitfield, LPC"),
    appointment(3, datetime(2026, 4, 2, 15, 0, tzinfo=CHICAGO), "Jordan Whitfield, LPC"),
)
"""Thursdays the 19th, the 26th and the 2nd at 3 pm, read on Thursday 26 February."""


def february(text: str) -> Understanding:
    """`text` as understood on Thursday 26 February, weeks before the offers above."""
    return replace(heard(text), choice=read_choice(numberize(words(text)), today=date(2026, 2, 26)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 26th please", WEEKLY[1]),  # today is the 26th: still the offer read
        ("the one on the 2nd", WEEKLY[2]),  # the coming 2nd is in March: the offer is April's
        ("the 19th works", WEEKLY[0]),
    ],
)
def test_a_day_of_the_month_names_the_offer_read_on_it_weeks_away(
    text: str, expected: Offer
) -> None:
    """Offers are read by weekday and day of the month, so "the 26th" picks the offer on a
    26th even a month on (seed 11: it was taken as today and other times were offered)."""
    assert pick_offer(WEEKLY, february(text), context()) == expected


@pytest.mark.parametrize("text", ["today", "tomorrow", "March 2nd", "the one on the 20th"])
def test_a_day_that_is_no_offers_day_of_the_month_still_picks_none(text: str) -> None:
    """ "Today" on the 26th, or "March 2nd", is no offer read on a 26th or an April 2nd."""
    assert pick_offer(WEEKLY, february(text), context()) is None


def test_an_ordinal_past_the_offers_read_is_a_day_of_the_month() -> None:
    """ "The 4th please" when three offers were read and one is on the 4th picks that one
    (seed 11 call 40: it was heard as a fourth position and the same times read again)."""
    week = (
        appointment(1, datetime(2026, 3, 3, 15, 0, tzinfo=CHICAGO), "Jordan Whitfield, LPC"),
        appointment(2, datetime(2026, 3, 4, 16, 0, tzinfo=CHICAGO), "Jordan Whitfield, LPC"),
        appointment(3, datetime(2026, 3, 5, 15, 0, tzinfo=CHICAGO), "Jordan Whitfield, LPC"),
    )
    assert pick_offer(week, february("the 4th please"), context()) == week[1]
    assert pick_offer(EARLY, april("the fourth one"), context()) is None  # none on a 4th
