"""Callback numbers and ages read from speech."""

from __future__ import annotations

import pytest

from frontdesk.conversation.understanding import choice
from frontdesk.conversation.understanding.normalize import numberize, words
from frontdesk.conversation.understanding.numbers import age, e164, phone_number


def _tokens(text: str) -> tuple[str, ...]:
    return numberize(words(text))


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("five five five, two one two, three four five six", "+15552123456"),
        ("312 555 0142", "+13125550142"),
        ("three one two five five five oh one four two", "+13125550142"),
        ("three one two double five five oh one four two", "+13125550142"),
        ("1-312-555-0142", "+13125550142"),
        ("+1 (312) 555-0142", "+13125550142"),
        ("one three one two five five five zero one four two", "+13125550142"),
        ("my number is 312 555 0142 thanks", "+13125550142"),
    ],
)
def test_phone_numbers_spoken_or_typed_become_e164(heard: str, expected: str) -> None:
    """Digits said one by one, in groups, with "oh", "double" or a leading 1 give E.164."""
    assert phone_number(_tokens(heard)) == expected


@pytest.mark.parametrize(
    "heard",
    [
        "555 0142",  # no area code
        "012 555 0142",  # area code starts with 0
        "112 555 0142",  # area code starts with 1
        "312 055 0142",  # exchange starts with 0
        "312 555 01422",  # eleven digits without a leading 1
        "411 555 0142",  # N11 code
        "my daughter is fifteen",
    ],
)
def test_impossible_numbers_are_refused(heard: str) -> None:
    """Numbers of the wrong length or with impossible area codes are not callback numbers."""
    assert phone_number(_tokens(heard)) is None


def test_e164_rejects_non_digits() -> None:
    """Only digit strings can be numbers."""
    assert e164("31255501a2") is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("he's fifteen", 15),
        ("my 15 year old", 15),
        ("she is 8", 8),
        ("I'm 34", 34),
        ("she just turned nine", 9),
        ("he is only 6", 6),
        ("a sixteen yo", 16),
        ("she's twelve years old", 12),
        ("he's sixteen and struggling", 16),
        ("I'm 29 and looking for someone", 29),
        ("my son is 12", 12),
        ("actually, my partner is 29, not 61", 29),
        ("my wife is 45 years old", 45),
    ],
)
def test_stated_ages_are_read(heard: str, expected: int) -> None:
    """An age said as an age is read without the question being asked."""
    assert age(_tokens(heard)) == expected


@pytest.mark.parametrize(
    "heard",
    [
        "I'm 5 minutes away",
        "for 2 years",
        "twelve",
        "at 4 pm",
        "room 12",
        "she is 200",
        "I'm 2 blocks away",
        "I'm 30 minutes late",
        "I'm 3 stops out",
    ],
)
def test_numbers_that_are_not_ages_are_ignored(heard: str) -> None:
    """Durations, times and bare numbers are not ages unless the flow asked for one."""
    assert age(_tokens(heard)) is None


def test_a_distance_is_no_age_even_asked() -> None:
    """Asked the age, "2 blocks away" is still a distance; "2" alone is the age."""
    assert age(_tokens("2 blocks away"), bare=True) is None
    assert age(_tokens("2"), bare=True) == 2


def test_bare_number_is_an_age_when_asked() -> None:
    """After "how old is the client?", a bare "twelve" is the age."""
    assert age(_tokens("twelve"), bare=True) == 12
    assert age(_tokens("about 7"), bare=True) == 7


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("private pay and 14", 14),
        ("self pay and fourteen", 14),
        ("Aetna and 9", 9),
        ("my son and he's 14", 14),
    ],
)
def test_an_age_listed_after_another_answer_is_read_when_asked(heard: str, expected: int) -> None:
    """Asked the age, a number listed after "and" beside another answer is the age, as it
    is after a comma ("private pay, 14")."""
    assert age(_tokens(heard), bare=True) == expected


@pytest.mark.parametrize(
    "heard",
    [
        "Tuesdays and 3",
        "Tuesdays and 3 pm",
        "between 3 and 4",
        "mornings or 5",
        "at 3 pm and 5",
        "tomorrow or 10",
        "Aetna and 14 dollars copay",
    ],
)
def test_a_number_listed_after_a_time_is_no_age(heard: str) -> None:
    """A number listed after a day or a time, or counting dollars, is part of a time or a
    count, even asked the age."""
    assert age(_tokens(heard), bare=True) is None


def test_an_age_after_and_unasked_still_needs_stating() -> None:
    """Unasked, "private pay and 14" states no age; "private pay and she's 14" does."""
    assert age(_tokens("private pay and 14")) is None
    assert age(_tokens("private pay and she's 14")) == 14


def test_a_number_denied_is_never_the_age() -> None:
    """The number after "not" is the one being corrected away, even when an age is asked."""
    assert age(_tokens("14, not 16"), bare=True) == 14
    assert age(_tokens("not 16"), bare=True) is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("the second one", 2),
        ("the 2nd one please", 2),
        ("I'll take the first one", 1),
        ("the third", 3),
        ("option 3", 3),
        ("number two", 2),
        ("the last one", -1),
        ("yes", None),
        ("the 21st of march", None),
        ("one second", None),
    ],
)
def test_choice_among_offered_options(heard: str, expected: int | None) -> None:
    """Ordinals and "option N" pick an offered option; dates and "one second" do not."""
    assert choice(heard) == expected
