"""The phrase pattern language and its matcher."""

from __future__ import annotations

import pytest

from frontdesk.conversation.safety import default_lexicon
from frontdesk.conversation.safety.matcher import PatternSet, expand
from frontdesk.domain.errors import LexiconError

CLASSES = {"kin": frozenset({"son", "daughter"})}
NUMBERS = frozenset({"two", "twenty"})
COMMON = frozenset({"what", "i", "my"})


def hits(pattern: str, text: str) -> list[tuple[int, int]]:
    """Token ranges where `pattern` matches `text` (normalised with the shipped rules)."""
    tokens = default_lexicon().normalizer.tokens(text)
    patterns = PatternSet([(0, pattern)], classes=CLASSES, numbers=NUMBERS, common=COMMON)
    return [(h.first, h.last) for h in patterns.scan(tokens)]


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("want to die", "i want to die", [(1, 4)]),
        ("(want|wish) to die", "i wish to die", [(1, 4)]),
        ("want ~2 die", "i want so much to die", []),
        ("want ~3 die", "i want so much to die", [(1, 6)]),
        ("(be )?dead", "better dead", [(1, 2)]),
        ("kill*", "killing", [(0, 1)]),
        ("took # pills", "took twenty pills", [(0, 3)]),
        ("took # pills", "took 20 pills", [(0, 3)]),
        ("my @kin", "my son", [(0, 2)]),
        ("what ~3 fever", "what about my fever", [(0, 4)]),
        ("what ~3 fever", "fever what now", []),
        ("want ~3 die", "i want. to die", []),
        ("want to die", "i want, but to die", []),
    ],
)
def test_pattern_language(pattern: str, text: str, expected: list[tuple[int, int]]) -> None:
    """Alternatives, optionals, prefixes, numbers, classes and bounded gaps match as documented."""
    assert hits(pattern, text) == expected


def test_backward_anchored_pattern_matches_like_forward() -> None:
    """A pattern that starts with a common word finds the same span as one that does not."""
    assert (
        hits("what ~3 fever", "so what about the fever")
        == hits("(so|what) ~3 fever", "so what about the fever")[-1:]
    )


def test_expand_spells_out_multiword_alternatives() -> None:
    """Multi-word alternatives expand; single-word alternatives stay one word set."""
    assert len(expand("(take my life|end it) now")) == 2
    assert len(expand("(a|b|c) d")) == 1


@pytest.mark.parametrize(
    "pattern",
    ["~2 die", "die ~2", "want ~9 die", "(want to die", "want to die)", "want $ die", "@nope die"],
)
def test_bad_patterns_are_refused(pattern: str) -> None:
    """Gaps at an edge, over-long gaps, unbalanced parentheses and unknown tokens fail to load."""
    with pytest.raises(LexiconError):
        PatternSet([(0, pattern)], classes=CLASSES, numbers=NUMBERS)


def test_explosive_pattern_is_refused() -> None:
    """A pattern that would expand into thousands of phrases is refused at load time."""
    group = "(" + "|".join(f"a{i} b{i}" for i in range(50)) + ")"
    with pytest.raises(LexiconError):
        expand(f"{group} {group}")


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself and I could do it tonight. my son took 20 pills right now",
        "I took 30 pills an hour ago, this traffic is killing me, should I stop my zoloft",
        "quiero matarme y voy a hacerlo hoy. he is hitting me right now. I feel hopeless",
    ],
)
def test_a_pattern_set_without_some_keys_finds_every_other_hit(text: str) -> None:
    """Leaving keys out of a scan removes their hits and nothing else, for every anchor kind."""
    lexicon = default_lexicon()
    matcher = lexicon.matcher
    tokens = lexicon.normalizer.tokens(text)
    every = {(h.key, h.first, h.last) for h in matcher.scan(tokens)}
    keys = sorted({key for key, _, _ in every})
    assert len(keys) >= 3
    for dropped in ({keys[0]}, set(keys[1::2]), set(keys)):
        smaller = matcher.without(dropped)
        found = {(h.key, h.first, h.last) for h in smaller.scan(tokens)}
        assert found == {hit for hit in every if hit[0] not in dropped}
        assert matcher.without(dropped) is smaller
    assert matcher.without(set()) is matcher
