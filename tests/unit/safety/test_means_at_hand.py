"""Lethal means said to be at hand, and an intent with a means, are not routine.

A caller who tells a therapy practice that a gun, a noose or a bottle of pills is right
there is asked the direct question; with an ending ("I'm done", "this is it", "goodbye")
or an intent to take the pills it is crisis, and a time that is near makes it an
emergency. Tools, a gun put away, a dose with a meal and an ordinary day stay routine.
"""

from __future__ import annotations

import pytest

from frontdesk.conversation.safety import screen
from frontdesk.domain.calls import Route

ASKED = [
    "I have a gun right here",
    "I've got a gun next to me",
    "I've got a bottle of pills right here",
    "I have 50 pills right here",
    "i have a handful of pills in front of me",
]

CRISIS_AT_LEAST = [
    "i have a gun right here and i'm done",
    "I have a gun right here and I can't do this anymore",
    "I have a gun right here and this is it",
    "I have a gun right here, goodbye",
    "i'm done. i've got my dad's gun right here",
    "I have 50 pills right here and I'm done",
    "I've got a bottle of pills right here and I'm going to take them",
]

EMERGENCY = [
    "I have a gun right here and tonight I'm done",
    "I have a bottle of pills right here and I'm going to take them all tonight",
]

ROUTINE = [
    "I have a gun safe",
    "I have a glue gun right here",
    "I have my pills right here to take with dinner",
    "I have my pills right here",
    "I'm going to take my pills tonight",
    "the chicken needs a deep cut",
    "I'm done with work for today",
    "I have a knife right here to cut the bread",
]


@pytest.mark.parametrize("text", ASKED)
def test_means_at_hand_asks_the_direct_question(text: str) -> None:
    verdict = screen(text)
    assert verdict.safety_check, (text, verdict.route)
    assert not verdict.route.is_crisis, (text, verdict.route)


@pytest.mark.parametrize("text", CRISIS_AT_LEAST)
def test_means_at_hand_with_an_ending_is_crisis(text: str) -> None:
    assert screen(text).route.is_crisis, text


@pytest.mark.parametrize("text", EMERGENCY)
def test_means_at_hand_with_an_ending_and_a_time_is_an_emergency(text: str) -> None:
    assert screen(text).route is Route.EMERGENCY, text


@pytest.mark.parametrize("text", ROUTINE)
def test_everyday_things_stay_routine(text: str) -> None:
    verdict = screen(text)
    assert verdict.route is Route.ROUTINE, (text, verdict.route)
    assert not verdict.safety_check, text


def test_a_gun_for_the_range_tonight_still_escalates() -> None:
    assert screen("I have my dad's gun for the range tonight").route.is_crisis
