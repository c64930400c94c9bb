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


# Taking all of one's pills, in any word order, is crisis; a time that is near makes it an
# emergency. A dose taken as the doctor said, or all week, is not.
ALL_THE_PILLS = [
    ("I'm going to take my pills, all of them, tonight", Route.EMERGENCY),
    ("I'm going to take my pills, every one, tonight", Route.EMERGENCY),
    ("i'm gonna take my meds all at once", Route.CRISIS),
    ("I'm going to take my pills, all of them", Route.CRISIS),
    ("I'm going to take the whole bottle tonight", Route.EMERGENCY),
    ("I took all my pills this week like the doctor said", Route.ROUTINE),
    ("I'm going to take my pills all week", Route.ROUTINE),
    ("I'm going to take my pills tonight", Route.ROUTINE),
]
# Cutting deep, said as an intent, is self-harm; with a time it is an emergency. A cut into
# a thing is not.
CUT_DEEP = [
    ("I'm going to cut deep tonight", Route.EMERGENCY),
    ("tonight im gonna cut deep", Route.EMERGENCY),
    ("I'm going to cut deeper this time", Route.CRISIS),
    ("I'm going to cut deep into the roast tonight", Route.ROUTINE),
    ("the chicken needs a deep cut", Route.ROUTINE),
]


@pytest.mark.parametrize(("text", "route"), ALL_THE_PILLS + CUT_DEEP)
def test_an_intent_with_a_means(text: str, route: Route) -> None:
    assert screen(text).route is route, text
