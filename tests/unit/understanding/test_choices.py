"""How a caller's words name one of the options read to them."""

from __future__ import annotations

from datetime import date, time

import pytest

from frontdesk.conversation.understanding.choices import read_choice
from frontdesk.conversation.understanding.normalize import numberize, words
from frontdesk.conversation.understanding.result import Choice, SaidTime

TODAY = date(2026, 4, 1)


def read(text: str) -> Choice:
    return read_choice(numberize(words(text)), today=TODAY)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("the third one", 3),
        ("the second one please", 2),
        ("the first one", 1),
        ("the third", 3),
        ("number two", 2),
        ("option 3", 3),
        ("three", 3),
        ("one", 1),
        ("the last one", -1),
        ("the earliest one", 1),
    ],
)
def test_a_position_names_no_date_or_time(text: str, position: int) -> None:
    """A position is only a position: its words add no day of the month and no clock time."""
    said = read(text)
    assert said.position == position
    assert (said.dates, said.times, said.weekdays) == (frozenset(), (), frozenset())


@pytest.mark.parametrize(
    "text", ["the one with Maya", "the Friday one", "that one", "the morning one", "one second"]
)
def test_the_pronoun_one_is_neither_a_position_nor_1_oclock(text: str) -> None:
    """ "The one with Maya", "the Friday one": "one" is a pronoun, not option 1 or 1 o'clock."""
    said = read(text)
    assert said.position is None
    assert said.times == ()


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("the one on the 3rd", date(2026, 4, 3)),
        ("on the third", date(2026, 4, 3)),
        ("the 3rd of April", date(2026, 4, 3)),
        ("April 3rd", date(2026, 4, 3)),
        ("Friday the 3rd", date(2026, 4, 3)),
        ("the one on the 12th please", date(2026, 4, 12)),
    ],
)
def test_an_ordinal_with_a_date_cue_is_a_day_of_the_month(text: str, day: date) -> None:
    """ "On the 3rd", "the 3rd of April", "Friday the 3rd" name a date, not a position."""
    said = read(text)
    assert said.dates == frozenset({day})
    assert said.position is None


def test_clock_times_are_exact_with_am_or_pm_and_on_the_dial_without() -> None:
    """ "The 1 pm" is 13:00; "the one at 1" is 1 on the dial, morning or afternoon."""
    assert read("the 1 pm").times == (SaidTime(13, 0, exact=True),)
    assert read("the one at one").times == (SaidTime(1, 0),)
    assert read("the 6 with Dr Reyes").times == (SaidTime(6, 0),)


def test_weekdays_and_parts_of_day_are_read() -> None:
    """ "Friday morning" names a weekday and a part of the day."""
    said = read("Friday morning")
    assert said.weekdays == frozenset({4})
    assert said.parts_of_day == ((time(8), time(12)),)


def test_positions_ruled_out_are_kept_apart() -> None:
    """ "Not the first one, the second" rules out 1 and picks 2."""
    said = read("no, not the first one, the second")
    assert (said.position, said.ruled_out) == (2, frozenset({1}))


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("do you have anything Friday morning?", True),
        ("is there something on Tuesday", True),
        ("any times next week", True),
        ("the Friday one", False),
        ("Friday works", False),
    ],
)
def test_a_question_about_times_asks_rather_than_chooses(text: str, asks: bool) -> None:
    """ "Do you have anything Friday morning?" asks for times; "the Friday one" chooses."""
    assert read(text).asks_for_times is asks
