"""Asides: a question or a request for something else names nothing about the client."""

from __future__ import annotations

import pytest

from frontdesk.conversation.understanding.asides import on_call, substance
from frontdesk.conversation.understanding.normalize import words


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("what fun things are there in Boston", ""),
        ("I'm in Ohio, what are your hours?", "I'm in Ohio"),
        ("send me an uber to arrive at 5pm", ""),
        ("actually can someone just call me back", ""),
        ("sorry, hold on. how cold is it in Wisconsin today", "sorry, hold on"),
    ],
)
def test_asides_are_left_out(said: str, kept: str) -> None:
    """Clauses that ask something or ask for something off the call are left out."""
    assert on_call(said) == (kept, True)


@pytest.mark.parametrize(
    "said",
    [
        "can I come in Tuesday at 5?",
        "Book it for the 7th at half past 4 in the afternoon",
        "can you add my daughter to the wait list",
        "tuesdays and thursdays after 5",
        "we live in Indiana, the name is Jamie Patel",
    ],
)
def test_clauses_about_the_call_are_kept_whole(said: str) -> None:
    """A clause that names the care, or points at what is being arranged, is about the call."""
    assert on_call(said) == (said, False)


def test_greetings_and_thanks_say_nothing() -> None:
    """ "Good morning" and "hi there, thanks" have no substance; "mornings" has."""
    assert substance(words("good morning")) == ()
    assert substance(words("hi there, thanks")) == ()
    assert substance(words("good morning, mornings work")) == ("mornings", "work")
