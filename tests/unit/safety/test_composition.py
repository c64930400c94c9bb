"""Risk composed from word lists: whoever, whatever stance, method and time, the route holds.

Each sentence joins an experiencer (the caller or someone they name), a stance (a wish, an
intent or a plan, or an act done), a method, and a time; the route follows from the parts
alone, as DESIGN.md's route table says.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.conversation.safety import Modifier, screen
from frontdesk.domain.calls import Route


@dataclass(frozen=True)
class Person:
    """How a sentence names its experiencer and agrees with them."""

    subject: str
    be: str
    present: str  # the verb ending of the third person singular, or ""
    reflexive: str
    possessive: str


PEOPLE = [
    Person("I", "am", "", "myself", "my"),
    Person("honestly I", "am", "", "myself", "my"),
    Person("I think I", "am", "", "myself", "my"),
    Person("my son", "is", "s", "himself", "his"),
    Person("my sister", "is", "s", "herself", "her"),
    Person("he", "is", "s", "himself", "his"),
]

# Stances towards a future act: "{be}" and "{s}" agree with the experiencer.
FUTURE_STANCES = [
    "want{s} to",
    "{be} going to",
    "{be} planning to",
    "{be} ready to",
    "{be} gonna",
    "will",
]
# Methods with their object: "{self}" and "{poss}" agree with the experiencer.
METHODS = [
    "kill {self}",
    "end {poss} life",
    "hang {self}",
    "shoot {self}",
    "jump off a bridge",
    "overdose on {poss} pills",
    "take all of {poss} pills",
]
SOON = ["tonight", "tomorrow", "by morning", "in an hour", "right now"]
# Being about to act is imminent whatever time is said.
IMMINENT = "{be} about to"
LATER = ["", "someday", "next month"]
# Acts already done, and times that make them current or history.
ACTS = [
    "took 30 pills",
    "swallowed a whole bottle of pills",
    "overdosed on {poss} meds",
    "took an overdose",
]
RECENT = ["a few minutes ago", "an hour ago", "earlier today", "just now", ""]
HISTORY = ["years ago", "back in 2015", "when {pronoun} was a teen"]


def _fill(template: str, person: Person) -> str:
    pronoun = "I" if person.reflexive == "myself" else "he"
    return template.format(
        be=person.be,
        s=person.present,
        self=person.reflexive,
        poss=person.possessive,
        pronoun=pronoun,
    )


def _future(person: Person, stance: str, method: str, time: str) -> str:
    return " ".join(
        part for part in (person.subject, _fill(f"{stance} {method}", person), time) if part
    )


people = st.sampled_from(PEOPLE)


@settings(max_examples=150, deadline=None)
@given(people, st.sampled_from(FUTURE_STANCES), st.sampled_from(METHODS), st.sampled_from(SOON))
def test_a_stance_towards_a_method_soon_is_an_emergency(
    person: Person, stance: str, method: str, time: str
) -> None:
    """Anyone's wish, intent or plan to use a method tonight, tomorrow or now is an emergency."""
    text = _future(person, stance, method, time)
    assert screen(text).route is Route.EMERGENCY, text


@settings(max_examples=20, deadline=None)
@given(people)
def test_being_about_to_act_is_an_emergency(person: Person) -> None:
    """'About to' use a method is an emergency even with no time or a later one."""
    for method in METHODS:
        for time in LATER:
            text = _future(person, IMMINENT, method, time)
            assert screen(text).route is Route.EMERGENCY, text


@settings(max_examples=150, deadline=None)
@given(people, st.sampled_from(FUTURE_STANCES), st.sampled_from(METHODS), st.sampled_from(LATER))
def test_a_stance_towards_a_method_later_is_a_crisis(
    person: Person, stance: str, method: str, time: str
) -> None:
    """The same wish, intent or plan with no near time is a crisis, whoever it is about."""
    text = _future(person, stance, method, time)
    assert screen(text).route is Route.CRISIS, text


@settings(max_examples=100, deadline=None)
@given(people, st.sampled_from(METHODS), st.sampled_from(["", "tonight", "tomorrow"]))
def test_a_denied_intent_is_sensitive(person: Person, method: str, time: str) -> None:
    """A negation over the intent itself softens it to sensitive, whatever the time."""
    negated = f"{person.subject} {person.be} not going to"
    text = " ".join(part for part in (negated, _fill(method, person), time) if part)
    assert screen(text).route is Route.SENSITIVE, text


@settings(max_examples=100, deadline=None)
@given(people, st.sampled_from(ACTS), st.sampled_from(RECENT))
def test_an_act_just_done_is_an_emergency(person: Person, act: str, time: str) -> None:
    """An overdose taken minutes or hours ago, or just now, is an emergency."""
    text = " ".join(part for part in (person.subject, _fill(act, person), time) if part)
    assert screen(text).route is Route.EMERGENCY, text


@settings(max_examples=100, deadline=None)
@given(people, st.sampled_from(ACTS), st.sampled_from(HISTORY))
def test_an_act_long_ago_is_history(person: Person, act: str, time: str) -> None:
    """The same act years ago, or in one's teens, is history: kept, never escalated."""
    text = " ".join((person.subject, _fill(act, person), _fill(time, person)))
    verdict = screen(text)
    assert not verdict.route.is_crisis, text
    assert any(
        m.base_route.is_crisis and m.route is Route.SENSITIVE and Modifier.HISTORICAL in m.modifiers
        for m in verdict.matches
    ), text
