"""Long and repetitive input: bounded work, and the verdict of the whole text is exact."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.conversation.safety import (
    Category,
    Experiencer,
    Modifier,
    default_lexicon,
    screen,
)
from frontdesk.conversation.safety.screen import (
    MATCHES_PER_RULE,
    WINDOW_CHARS,
    WINDOW_OVERLAP,
    _screen,
)
from frontdesk.domain.calls import Route, most_severe

SENTENCES = [
    "I want to die",
    "I am not suicidal",
    "my son wants to die",
    "I tried to kill myself years ago",
    "this traffic is killing me",
    "he is hitting me right now",
    "my husband hits me",
    "should I stop my zoloft",
    "can you send my records",
    "I'd like to book for Tuesday",
    "what if someone wanted to die",
    "he just stabbed his brother",
    "I feel hopeless",
    "my son has a knife and says he will kill his brother",
    "kill myself",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=120))
def test_whole_text_verdict_equals_its_sentences(sentences: list[str]) -> None:
    """However many sentences repeat, the route and categories are those of the parts."""
    verdict = screen(". ".join(sentences))
    parts = [screen(s) for s in sentences]
    assert verdict.route is most_severe(p.route for p in parts)
    assert set(verdict.categories) == {c for p in parts for c in p.categories}
    deciding = {p.experiencer for p in parts if p.route is verdict.route}
    if Experiencer.SELF in deciding:
        assert verdict.experiencer is Experiencer.SELF


def test_an_immediate_mention_after_thousands_of_negated_ones_is_found() -> None:
    """Capping the matches kept never hides a later, more severe use of the same rule."""
    text = "I am not suicidal. " * 3000 + "I am suicidal right now"
    verdict = screen(text)
    assert verdict.route is Route.EMERGENCY
    assert verdict.matches[-1].route is Route.EMERGENCY


def test_the_caller_is_found_among_many_third_party_mentions() -> None:
    """A first-person mention after many about someone else still makes the caller the subject."""
    text = "my son wants to die. " * 400 + "I want to die"
    verdict = screen(text)
    assert verdict.route is Route.CRISIS
    assert verdict.experiencer is Experiencer.SELF


def test_every_category_is_reported_after_the_route_is_settled() -> None:
    """Once the route is emergency, a new category later in the text is still listed."""
    text = "he is hitting me right now. " * 500 + "should I stop my zoloft"
    verdict = screen(text)
    assert verdict.route is Route.EMERGENCY
    assert Category.MEDICATION in verdict.categories
    assert Category.ABUSE_VIOLENCE in verdict.categories


@pytest.mark.parametrize("repeats", [30, 6_000])
def test_the_question_is_asked_after_many_matches_that_do_not_ask(repeats: int) -> None:
    """Past the matches kept per rule, the first match that asks is still kept, and asks."""
    past = "I used to feel hopeless. " * repeats
    assert screen("I feel hopeless").safety_check is True
    assert screen(past).safety_check is False
    verdict = screen(past + "I feel hopeless")
    assert verdict.route is Route.SENSITIVE
    assert verdict.safety_check is True
    assert verdict.matches[-1].modifiers == ()


def test_matches_kept_per_rule_are_bounded() -> None:
    """A 100 KB input of one repeated phrase keeps a bounded number of matches."""
    text = ("kill myself " * 10_000)[:100_000]
    verdict = screen(text)
    assert verdict.route is Route.CRISIS
    rules = {m.rule for m in verdict.matches}
    assert len(verdict.matches) <= MATCHES_PER_RULE * len(rules)


def test_adversarial_inputs_are_answered() -> None:
    """Dense, repetitive and punctuation-only inputs of 100 KB all get a verdict."""
    inputs = [
        ("he is beating me and i want to kill myself. " * 3000)[:100_000],
        ("my son took pills right now not " * 4000)[:100_000],
        "." * 100_000,
        "- " * 50_000,
        "i " * 50_000,
    ]
    routes = [screen(text).route for text in inputs]
    assert routes[:2] == [Route.EMERGENCY, Route.CLINICAL]
    assert routes[2:] == [Route.ROUTINE] * 3


FILLER = "please book me for tuesday at noon. "


def _around_cut(phrase: str) -> str:
    """A text longer than two windows with `phrase` starting just past the first window."""
    lead = FILLER * (WINDOW_CHARS // len(FILLER))
    return lead + phrase + " " + FILLER * (2 * WINDOW_CHARS // len(FILLER))


@pytest.mark.parametrize(
    ("phrase", "route"),
    [
        ("I want to kill myself", Route.CRISIS),
        ("honestly I am not going to kill myself", Route.SENSITIVE),
        ("I took 30 pills an hour ago", Route.EMERGENCY),
        ("this traffic is killing me", Route.ROUTINE),
    ],
)
def test_a_long_text_is_read_window_by_window_with_context(phrase: str, route: Route) -> None:
    """Language at a window's edge is read with its context, and its span indexes the text."""
    text = _around_cut(phrase)
    assert len(text) > 2 * WINDOW_CHARS
    verdict = screen(text)
    assert verdict.route is route
    for match in verdict.matches:
        assert text[match.start : match.end] == match.phrase


def test_windowed_verdict_equals_the_whole_text_verdict() -> None:
    """Screening a long mixed text window by window gives the verdict of reading it whole."""
    lexicon = default_lexicon()
    parts = [
        "I am not suicidal. ",
        "this traffic is killing me. ",
        "my son took pills right now. ",
        "I just wish it would all go away. ",
        "I used to cut myself. ",
        "can you send my records. ",
    ]
    text = "".join(parts[(i * 7) % len(parts)] for i in range(12_000))
    assert len(text) > 2 * WINDOW_CHARS
    whole, windowed = _screen(text, lexicon, window=len(text) + 1), _screen(text, lexicon)
    assert windowed.route is whole.route
    assert set(windowed.categories) == set(whole.categories)
    assert windowed.experiencer is whole.experiencer
    assert windowed.safety_check is whole.safety_check
    assert windowed.matches == whole.matches
    per_rule = Counter(m.rule for m in windowed.matches if Modifier.IDIOM not in m.modifiers)
    assert max(per_rule.values()) <= MATCHES_PER_RULE + len(Route) * len(Experiencer)


def test_window_overlap_holds_the_context_horizon() -> None:
    """A window reads enough text around it for every token a match's reading can depend on."""
    horizon = default_lexicon().context.horizon
    assert horizon * (30 + 1) <= WINDOW_OVERLAP
