"""The client's state, from names, cities and codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.places import state
from frontdesk.conversation.understanding.result import Slot, Understanding


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("we live in Ohio", "OH"),
        ("I'm in Chicago", "IL"),
        ("she's at college in Madison", "WI"),
        ("I'm in west virginia", "WV"),
        ("new york", "NY"),
        ("we live in kansas city", "MO"),
        ("we're near Pleasant Hill", "CA"),
        ("washington dc", "DC"),
        ("I live in Ohio but she's at college in Michigan", "MI"),
        ("no I said Wisconsin not Illinois", "WI"),
    ],
)
def test_states_by_name_or_city(heard: str, expected: str) -> None:
    """State names and major cities give a code; the last place named wins."""
    assert state(words(heard)) == expected


@pytest.mark.parametrize("heard", ["in", "oh ok", "ok", "me", "tx", "I'm in the office"])
def test_codes_are_not_read_unless_asked(heard: str) -> None:
    """ "in", "oh", "ok", "me" and even "tx" are words, not states, unless the flow asked."""
    assert state(words(heard)) is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [("texas", "TX"), ("tx", "TX"), ("it's TX", "TX"), ("n y", "NY"), ("oh", "OH"), ("ok", "OK")],
)
def test_codes_when_the_state_was_asked(heard: str, expected: str) -> None:
    """After "which state?", a bare or spelled code is the answer."""
    assert state(words(heard), expecting=True) == expected


@pytest.mark.parametrize("heard", ["my daughter Charlotte", "Austin is my son", "kansas city"])
def test_cities_need_a_word_of_place(heard: str) -> None:
    """City names that are also first names count only after "in", "near", "from" …."""
    assert state(words(heard)) is None


def test_a_city_alone_answers_which_state() -> None:
    """After "which state?", a bare city is enough."""
    assert state(words("Charlotte"), expecting=True) == "NC"


def test_common_word_codes_need_to_be_the_whole_answer() -> None:
    """ "I'm in the office" says nothing about Indiana even when the state was asked."""
    assert state(words("I'm in the office"), expecting=True) is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("do you take Blue Cross Blue Shield of Illinois?", None),
        ("we're in Ohio, do you take Blue Cross Blue Shield of Illinois?", "OH"),
        ("I have Blue Cross Blue Shield of Illinois and I live in Wisconsin", "WI"),
    ],
)
def test_a_state_inside_a_payer_name_is_not_where_the_client_is(
    hear: Callable[..., Understanding], heard: str, expected: str | None
) -> None:
    """A plan named for a state ("... of Illinois") names the payer, never the client's state."""
    understood = hear(heard)
    assert understood.slots.payer == "bcbs-il"
    assert understood.slots.state == expected


@pytest.mark.parametrize(
    "heard",
    [
        "oh, um, i'm having trouble finding my luggage i was on delta flight ab123 out of new york",
        "i need to let my bank know i am traveling to chicago",
        "i want to see the list of transactions on my bank of hawaii",
        "find something fun for me to do in dallas",
        "sorry, hold on. where is the closest walmart to boise, idaho",
        "i am needing you to tell me how to get to dallas, texas, by bus",
    ],
)
def test_a_place_for_something_else_is_not_where_the_client_is(
    hear: Callable[..., Understanding], heard: str
) -> None:
    """A flight, a trip, a bank or an errand names a place that is not where the client is."""
    assert hear(heard).slots.state is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("we live in Columbus, Ohio", "OH"),
        ("it's for my son, Illinois", "IL"),
        ("telehealth for my daughter in Ohio, we have Aetna", "OH"),
        ("I'm going to be in Wisconsin for sessions", "WI"),
        ("looking for a therapist in Chicago", "IL"),
        ("um, Indiana", "IN"),
    ],
)
def test_a_place_said_of_where_someone_is_is_the_clients(
    hear: Callable[..., Understanding], heard: str, expected: str
) -> None:
    """ "We live in", "a therapist in", "my daughter in", a state alone tell where the client is."""
    assert hear(heard).slots.state == expected


@pytest.mark.parametrize(
    "heard",
    [
        "Michigan",
        "Detroit",
        "I'd say Michigan",
        "probably Michigan",
        "um, somewhere in Michigan",
        "we're in Michigan",
        "she goes to college in Detroit",
        "in Detroit, Michigan",
    ],
)
def test_asked_for_the_state_a_place_given_as_the_answer_counts(
    hear: Callable[..., Understanding], heard: str
) -> None:
    """After "which state?", a place said as the answer or of where someone is is the answer;
    cities count without a word of place."""
    assert hear(heard, expecting=Slot.STATE).slots.state == "MI"


@pytest.mark.parametrize(
    "heard",
    [
        "we just got back from Michigan",
        "i need to know what the traffic is like on the way to phoenix",
        "i need to know the routing number for my wells fargo account",
        "tell me something interesting about new york state",
        "explain why was my card declined at boston market",
        "i would like to apply for a visa card",
        "i need a new card because my dog chewed on it",
        "hi, can you tell me the interest on my ira",
        "oh, um, what kind of mpg does this car get in the city",
        "oh, um, what are the ingredients in gumbo",
    ],
)
def test_asked_for_the_state_a_place_said_of_something_else_answers_nothing(
    hear: Callable[..., Understanding], heard: str
) -> None:
    """After "which state?", a place in words about something else (a route, a bank, a shop)
    is not where the client is; the "i" and "a" of a sentence spell no code; and fillers left
    of an aside ("oh, um") are no "OH"."""
    assert hear(heard, expecting=Slot.STATE).slots.state is None
