"""The concern: which clauses of an utterance say why the caller wants care."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from frontdesk.conversation.understanding.concerns import concern, is_concern, is_question
from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.result import Understanding

Hear = Callable[..., Understanding]


@pytest.mark.parametrize(
    ("heard", "kept"),
    [
        (
            "it's for me, I'm in Ohio, I've been having panic attacks",
            "I've been having panic attacks",
        ),
        (
            "we live in Wisconsin. it's mostly arguing with my partner",
            "it's mostly arguing with my partner",
        ),
        ("feeling low since the move and in person please", "feeling low since the move"),
        ("my son can't sit still in class", "my son can't sit still in class"),
        ("he's not sleeping well", "he's not sleeping well"),
        ("trouble sleeping and nightmares", "trouble sleeping and nightmares"),
        ("I'd like to set up therapy for my anxiety", "I'd like to set up therapy for my anxiety"),
        ("how much is it? I've been really down lately", "I've been really down lately"),
    ],
)
def test_the_concern_clauses_are_kept_in_the_callers_words(heard: str, kept: str) -> None:
    """Only the clauses that describe a difficulty are kept, as said; neighbours stay joined."""
    assert concern(heard) == kept


@pytest.mark.parametrize(
    "heard",
    [
        "what kinds of fun things are there in boston for tourists",
        "please go and change the pin on my bank account to be 1234",
        "i'm having trouble finding my luggage, i was on a flight out of new york",
        "i'm in the mood for italian, are there any good places around",
        "i need help with my 401k rollover since i got a new job",
        "i'm afraid this charge on my account is fraud",
        "do you have anyone who works with anxiety?",
        "does someone there treat ADHD",
        "is autism covered by my plan",
        "sorry, I meant to say I'm 34, not 41",
        "no problems with the internet",
        "good morning",
        "Mondays after school",
        "weekday evenings after work",
        "okay thanks, that's all I needed, bye",
    ],
)
def test_asides_questions_greetings_and_other_answers_are_no_concern(heard: str) -> None:
    """Off-topic requests, questions (even about a difficulty), greetings, denials and other
    answers state no concern."""
    assert concern(heard) is None


def test_a_question_is_told_by_its_first_words_not_only_its_mark() -> None:
    """ "do you treat ADHD" asks without a question mark; "can't sleep" states."""
    assert is_question(words("do you treat ADHD"))
    assert is_question(words("how do I deal with stress"))
    assert not is_question(words("can't sleep at night"))
    assert not is_question(words("has been having tantrums"))
    assert not is_concern(words("I've been anxious"), asks=True)


def test_an_insurer_or_clinician_name_is_no_difficulty() -> None:
    """ "Optum Behavioral Health" names an insurer; the same clause with a difficulty counts."""
    names = (("optum", "behavioral", "health"),)
    assert concern("through Optum Behavioral Health", names=names) is None
    assert concern("Optum Behavioral Health, for his behavior", names=names) == "for his behavior"


def test_an_insurer_named_in_the_utterance_is_not_the_concern(hear: Hear) -> None:
    """Understanding leaves the practice's insurers out of the concern."""
    assert hear("I'm with Blue Cross Blue Shield").slots.concern is None
    assert hear("mostly anxiety, and I'm with Blue Cross").slots.concern == "mostly anxiety"
