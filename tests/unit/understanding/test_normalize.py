"""Speech-to-text clean-up: tokens, contractions, fillers, stutters and number words."""

from __future__ import annotations

import pytest

from frontdesk.conversation.understanding.normalize import (
    CLAUSE_END,
    clause_words,
    numberize,
    ordinal,
    words,
)


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("Um, I'm looking for a therapist", "i am looking for a therapist"),
        ("im looking for a therapist", "i am looking for a therapist"),
        ("uh i dont know", "i do not know"),
        ("i- i need help", "i need help"),
        ("the the office", "the office"),
        ("shes fifteen", "she is fifteen"),
        ("CAN'T make it", "can not make it"),
        ("uh huh", "uhhuh"),
        ("mm hmm", "uhhuh"),
        ("at 4pm", "at 4 pm"),
        ("11:30am", "11:30 am"),
        ("Dana's office", "dana office"),
        ("4 o'clock", "4 oclock"),
    ],
)
def test_words_undo_speech_to_text_habits(heard: str, expected: str) -> None:
    """Fillers, stutters and missing apostrophes disappear; case and punctuation go."""
    assert " ".join(words(heard)) == expected


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("fifteen", "15"),
        ("twenty one", "21"),
        ("twenty-one", "21"),
        ("three one two", "3 1 2"),
        ("five five five", "5 5 5"),
        ("five oh one", "5 0 1"),
        ("double five", "5 5"),
        ("triple two", "2 2 2"),
        ("oh ok", "oh ok"),
        ("the twenty first", "the 21st"),
        ("the seventh", "the 7th"),
        ("march second", "march 2nd"),
        ("one second", "1 second"),
        ("two thousand and five", "2005"),
        ("nineteen ninety", "19 90"),
    ],
)
def test_number_words_become_digits(heard: str, expected: str) -> None:
    """Spoken numbers turn into digit tokens; repeated digits are never collapsed."""
    assert " ".join(numberize(words(heard))) == expected


@pytest.mark.parametrize(
    ("number", "expected"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (22, "22nd")]
)
def test_ordinal_suffixes(number: int, expected: str) -> None:
    """Ordinals get the English suffix, with the teens all "th"."""
    assert ordinal(number) == expected


def test_clause_words_mark_where_punctuation_ends_a_clause() -> None:
    """Commas, full stops and other stops between clauses are marked; a stop inside "p.m.",
    a decimal or a clause of fillers alone marks nothing extra."""
    assert clause_words("Mondays after three, um, by video.") == (
        "mondays",
        "after",
        "3",
        CLAUSE_END,
        "by",
        "video",
    )
    assert clause_words("at 3 p.m. please") == ("at", "3", "pm", "please")
    assert clause_words("twenty, one") == numberize(words("twenty, one"))
