"""The screen's routes, modifiers and verdicts on the shipped lexicon (the specification)."""

from __future__ import annotations

import pytest

from frontdesk.conversation.safety import (
    Category,
    Experiencer,
    Modifier,
    default_lexicon,
    screen,
)
from frontdesk.conversation.safety.screen import MATCHES_PER_RULE
from frontdesk.domain.calls import Route

EMERGENCY = [
    "I took a whole bottle of pills",
    "he's not breathing",
    "I have the gun in my hand right now",
    "I'm going to kill myself tonight",
    "my husband is hitting me right now",
    "she cut herself and it won't stop bleeding",
    "I just swallowed all of my pills",
    "I'm going to kill him",
]
CRISIS = [
    "I want to die",
    "I've been thinking about killing myself",
    "kms",
    "I want to unalive myself",
    "my daughter has been cutting",
    "my partner hits me",
    "I'm going to hurt him",
    "I don't want to live anymore",
    "everyone would be better off without me",
    "I feel suicidal",
    "my son said he wants to die",
    "the voices are telling me to hurt people",
    "my stepdad touches me",
    "how do I poison my neighbour",
    "I wish I could go to sleep and never wake up",
    "I don't see the point in living",
]
SENSITIVE = [
    "I'm not suicidal",
    "I tried to kill myself years ago",
    "what if someone said they wanted to die?",
    "I don't want to die",
    "I used to cut myself in high school",
    "my uncle died by suicide",
    "I feel hopeless",
]
CLINICAL = [
    "should I up my sertraline dose",
    "can you tell me if I have ADHD",
    "is it safe to stop my meds",
    "what's the best treatment for panic attacks",
    "I have a fever and a sore throat, should I get tested?",
    "what are the side effects of lexapro",
]
ADMINISTRATIVE = [
    "I need a copy of my records",
    "my lawyer needs a letter for court",
    "we are in the middle of a custody evaluation",
    "who can see my information",
    "I want to file a complaint",
    "can you waive the cancellation fee",
]
ROUTINE = [
    "I'd like to book an appointment for next Tuesday",
    "do you take Aetna",
    "how do I kill a python process",
    "this traffic is killing me",
    "let's shoot for Tuesday",
    "I could die of embarrassment",
    "my battery died",
    "I want to go to the beach this weekend",
    "how is this hotel rated",
    "how do I poison someone in a video game",
    "shoot me an email with the forms",
    "I didn't mean to hurt her feelings",
    "the cheesecake at that place is to die for",
    "I'd like to take my life back from anxiety",
    "",
]


@pytest.mark.parametrize(
    ("texts", "route"),
    [
        (EMERGENCY, Route.EMERGENCY),
        (CRISIS, Route.CRISIS),
        (SENSITIVE, Route.SENSITIVE),
        (CLINICAL, Route.CLINICAL),
        (ADMINISTRATIVE, Route.ADMINISTRATIVE),
        (ROUTINE, Route.ROUTINE),
    ],
    ids=lambda value: str(value) if isinstance(value, Route) else "",
)
def test_each_route_has_its_examples(texts: list[str], route: Route) -> None:
    """Every example utterance of a route is screened to exactly that route."""
    wrong = {text: str(screen(text).route) for text in texts if screen(text).route is not route}
    assert wrong == {}


@pytest.mark.parametrize(
    ("text", "modifier", "route"),
    [
        ("I'm not going to kill myself", Modifier.NEGATION, Route.SENSITIVE),
        ("I have never wanted to die", Modifier.NEGATION, Route.SENSITIVE),
        ("my son said he wants to die", Modifier.THIRD_PERSON, Route.CRISIS),
        ("my friend is cutting herself", Modifier.THIRD_PERSON, Route.CRISIS),
        ("I overdosed back in 2015", Modifier.HISTORICAL, Route.SENSITIVE),
        ("when I was a teen I wanted to die", Modifier.HISTORICAL, Route.SENSITIVE),
        (
            "what if a client said they wanted to kill themselves",
            Modifier.HYPOTHETICAL,
            Route.SENSITIVE,
        ),
        ("in the movie the character wants to die", Modifier.HYPOTHETICAL, Route.SENSITIVE),
        ("I want to die right now", Modifier.IMMEDIATE, Route.EMERGENCY),
        ("he took all his pills and is not breathing", Modifier.IMMEDIATE, Route.EMERGENCY),
        ("this heat is killing me", Modifier.IDIOM, Route.ROUTINE),
        ("i feel sucidal", Modifier.SPELLING, Route.CRISIS),
    ],
)
def test_modifier_changes_route_as_specified(text: str, modifier: Modifier, route: Route) -> None:
    """Each context modifier is recorded on the match and moves the route as DESIGN.md says."""
    verdict = screen(text)
    assert verdict.route is route
    assert any(modifier in m.modifiers for m in verdict.matches)


@pytest.mark.parametrize(
    "text",
    [
        "I used to be okay but now I want to die",
        "I'm not sure why but I want to die",
        "no, I want to kill myself",
    ],
)
def test_context_does_not_leak_across_clauses(text: str) -> None:
    """A negation or 'used to' in one clause does not soften crisis language in the next."""
    assert screen(text).route is Route.CRISIS


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("i dont want to live", Route.CRISIS),
        ("im gonna kill myself", Route.CRISIS),
        ("i- i wanna unalive myself", Route.CRISIS),
        ("um i uh want to to die", Route.CRISIS),
        ("w- want to die", Route.CRISIS),
        ("i wanna kms rn", Route.EMERGENCY),
        ("i relapsed on sh last night", Route.CRISIS),
        ("i took like twenty pills", Route.EMERGENCY),
        ("I TOOK THIRTY PILLS", Route.EMERGENCY),
        ("i want to kill my self", Route.CRISIS),
        ("thinking about sucide", Route.CRISIS),
        ("i want to kil myself", Route.CRISIS),
        ("I’m going to end my life", Route.CRISIS),
    ],
)
def test_speech_to_text_forms(text: str, route: Route) -> None:
    """Lower case, missing apostrophes, stutters, fillers, slang, number words and misspellings."""
    assert screen(text).route is route


def test_staff_route_keeps_sensitive_category() -> None:
    """A sensitive mention is never lost behind a staff route: its category stays listed."""
    verdict = screen("I tried to kill myself years ago; should I stop my lexapro?")
    assert verdict.route is Route.CLINICAL
    assert Category.SUICIDAL_IDEATION in verdict.categories
    assert Category.MEDICATION in verdict.categories


def test_precedence_order() -> None:
    """Crisis outranks clinical, clinical outranks administrative."""
    assert screen("I want to die and I need a copy of my records").route is Route.CRISIS
    assert screen("should I stop my zoloft and can you send my records").route is Route.CLINICAL


def test_verdict_spans_point_into_raw_text() -> None:
    """Each match's start and end index the caller's raw text and cover the phrase."""
    text = "Hello there. Honestly, I DON'T want to live anymore!!"
    verdict = screen(text)
    match = next(m for m in verdict.matches if m.rule == "si.wish_dead")
    assert text[match.start : match.end] == match.phrase == "DON'T want to live anymore"
    assert match.category is Category.SUICIDAL_IDEATION
    assert match.cssrs_level == 1


def test_verdict_records_rule_experiencer_and_version() -> None:
    """A verdict names its rules, the experiencer and the lexicon version."""
    verdict = screen("my brother said he wants to kill himself")
    assert verdict.experiencer is Experiencer.OTHER
    assert verdict.lexicon_version == default_lexicon().version
    assert {m.rule for m in verdict.matches} >= {"si.kill_self"}
    assert verdict.reason is None


def test_idiom_is_recorded_with_its_reason() -> None:
    """An idiom keeps its match, marks it, routes it routine and names the idiom."""
    verdict = screen("ugh, this traffic is killing me")
    assert verdict.route is Route.ROUTINE
    assert verdict.categories == ()
    (match,) = verdict.matches
    assert match.idiom == "killing_me"
    assert Modifier.IDIOM in match.modifiers
    assert match.base_route is not Route.ROUTINE


def test_idiom_does_not_excuse_a_separate_crisis() -> None:
    """An idiom elsewhere in the utterance does not clear real crisis language."""
    assert screen("this traffic is killing me and honestly I want to die").route is Route.CRISIS


def test_huge_input_is_answered() -> None:
    """A megabyte of text gets a verdict, and crisis language at its end is still found."""
    text = "please book me for tuesday at noon. " * 30_000 + "I want to die"
    verdict = screen(text)
    assert verdict.route is Route.CRISIS
    assert verdict.matches[-1].end == len(text)


def test_verdict_to_dict_has_the_cli_keys() -> None:
    """The plain-data form carries every key the command-line contract promises."""
    data = screen("I want to die").to_dict()
    assert {"route", "categories", "matches", "experiencer", "lexicon_version"} <= set(data)
    match = data["matches"][0]  # type: ignore[index]
    assert {"rule", "phrase", "start", "end", "modifiers"} <= set(match)


def test_many_matches_in_one_input() -> None:
    """Hundreds of idioms and negated mentions are judged, and what follows them still counts."""
    text = "this traffic is killing me. " * 500 + "I am not suicidal. " * 300 + "I want to die"
    verdict = screen(text)
    assert verdict.route is Route.CRISIS
    assert verdict.categories == (Category.SUICIDAL_IDEATION,)
    idioms = [m for m in verdict.matches if m.idiom == "killing_me"]
    negated = [m for m in verdict.matches if Modifier.NEGATION in m.modifiers]
    assert 0 < len(idioms) <= MATCHES_PER_RULE
    assert 0 < len(negated) <= MATCHES_PER_RULE
    assert verdict.matches[-1].route is Route.CRISIS
    assert verdict.matches[-1].end == len(text)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("i reallyyy wanttt to die", Route.CRISIS),
        ("I'm going to killll myselfff in a week", Route.CRISIS),
        ("Today is my birthday. What a niceee day to killll myself.", Route.EMERGENCY),
        ("shhhh the baby is sleeping", Route.ROUTINE),
        ("i'm sooo tired of work", Route.ROUTINE),
    ],
)
def test_drawn_out_words_keep_the_route(text: str, route: Route) -> None:
    """Drawn-out letters ('wanttt', 'killll') change no route; a drawn-out hush is no self-harm."""
    assert screen(text).route is route
