"""An existing client's opening sentence: who is calling, and that the appointment is theirs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from frontdesk.conversation.understanding.result import Understanding
from frontdesk.domain.inquiries import ForWhom

Hear = Callable[..., Understanding]


@pytest.mark.parametrize(
    ("heard", "name"),
    [
        (
            "hey it's Maria Gomez, I'm already a client, I need to move my appointment",
            "Maria Gomez",
        ),
        ("hi, it is Jordan Lee calling about my session", "Jordan Lee"),
    ],
)
def test_its_before_a_written_name_introduces_the_caller(hear: Hear, heard: str, name: str) -> None:
    """ "Hey, it's Maria Gomez" introduces the caller, as "this is Maria Gomez" does."""
    slots = hear(heard).slots
    assert (slots.caller_name, slots.client_name) == (name, None)


@pytest.mark.parametrize(
    "heard",
    [
        "it's been a rough week, I need to cancel",
        "it's Tuesday, I need to cancel",
        "it's maria gomez, I need to cancel",
        "it's urgent, please call me",
    ],
)
def test_its_before_words_not_written_as_a_name_introduces_no_one(hear: Hear, heard: str) -> None:
    """ "It's been a rough week" or "it's urgent" names no one: only a name written as one
    (two capitalised words) follows "it's" as an introduction."""
    assert hear(heard).slots.caller_name is None


@pytest.mark.parametrize(
    "heard",
    [
        "I need to move my appointment on Tuesday",
        "I'm already a client with Dana",
        "I am a current client and I'm running late",
        "is my session still on",
    ],
)
def test_my_appointment_or_being_a_client_is_the_callers_own(hear: Hear, heard: str) -> None:
    """ "My appointment" and "I'm already a client" say the care is the caller's own."""
    assert hear(heard).slots.for_whom is ForWhom.SELF


@pytest.mark.parametrize(
    ("heard", "whom"),
    [
        ("I need to move my daughter's appointment", None),
        ("I need to cancel my appointment for my son", ForWhom.CHILD),
        ("I am calling because my client needs therapy", ForWhom.OTHER),
    ],
)
def test_someone_elses_appointment_is_not_the_callers(
    hear: Hear, heard: str, whom: ForWhom | None
) -> None:
    """ "My daughter's appointment" or "my client needs therapy" is not the caller's own."""
    assert hear(heard).slots.for_whom is whom
