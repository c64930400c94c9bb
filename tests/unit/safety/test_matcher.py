"""The phrase pattern language and its matcher."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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


def test_a_pattern_set_without_a_key_shares_every_look_up_the_key_is_absent_from() -> None:
    """Leaving a rule out rebuilds only the look-ups its own patterns sit in, the rest are the
    full set's, so dropping rules as a long text goes costs what they own, not the lexicon."""
    lexicon = default_lexicon()
    matcher = lexicon.matcher
    tokens = lexicon.normalizer.tokens(
        "I want to kill myself and I could do it tonight. my son took 20 pills right now"
    )
    dropped = min(h.key for h in matcher.scan(tokens))
    smaller = matcher.without({dropped})

    def owners(groups: tuple[tuple[object, ...], ...]) -> set[object]:
        return {member[0] for group in groups for member in group[4]}  # type: ignore[index]

    def anchored_owners(anchored: object) -> set[object]:
        if anchored is None:
            return set()
        exact, loose, _, _ = anchored  # type: ignore[misc]
        return owners(loose).union(*map(owners, exact.values()))

    shared = rebuilt = 0
    for pair, groups in matcher._by_pair.items():
        if dropped in owners(groups):
            rebuilt += 1
            assert dropped not in owners(smaller._by_pair.get(pair, ()))
        else:
            shared += 1
            assert smaller._by_pair[pair] is groups
    for word, anchored in matcher._by_last.items():
        if dropped not in anchored_owners(anchored):
            assert smaller._by_last[word] is anchored
    for word in tokens.text:
        full = matcher._candidates(word)
        if dropped in anchored_owners(full):
            rebuilt += 1
            assert dropped not in anchored_owners(smaller._candidates(word))
        else:
            assert smaller._candidates(word) is full
    assert rebuilt > 0
    assert shared > 10 * rebuilt
    assert smaller.without({dropped + 1}) is matcher.without({dropped, dropped + 1})


# Patterns that begin alike, forwards and backwards anchored, with gaps after shared words.
_ALIKE = [
    "knife in my hand i am (chopping|cutting) (the )?(onions|meat)",
    "knife in my hand i am cutting ~2 bread",
    "knife in my (hand|hands) (right now )?(and|because) i am (cooking|baking)",
    "knife in my hand ~3 myself",
    "knife (is )?in my hand",
    "i am (on|at) the ledge ~2 (right now|now)",
    "i am on the (roof|bridge) ~2 (right now|now)",
    "my @kin ~2 took (the )?pills",
    "my daughter ~2 took pills",
    "my @kin took # pills",
    "what ~3 (pills|knife)",
]
# The patterns' words and three others a gap may skip (a word said twice in a row is one).
_WORDS = sorted({word for pattern in _ALIKE for word in pattern.split() if word.isalpha()})
_WORDS += ["son", "two", "big", "red", "old"]


def _said(text: str) -> list[str]:
    return text.split(" ")


@given(st.lists(st.sampled_from(_WORDS), max_size=40))
@example(_said("the knife in my hand big red old myself"))  # each gap at its longest
@example(_said("the knife in my hand big red old the myself"))  # and one word too long
@example(_said("i am at the ledge big red now and i am on the roof right now"))
@example(_said("big i am at the ledge big red old now"))
@example(_said("my son big red took the pills my son took two pills what big red old knife"))
@example(_said("my daughter big red took pills my son old big red took pills"))
@example(_said("knife in my hands right now because i am cooking knife in my hand i am cutting"))
@settings(max_examples=300, deadline=None)
def test_patterns_that_begin_alike_find_what_each_finds_alone(words: list[str]) -> None:
    """Patterns read together share the words they start with; every hit is as if alone."""
    tokens = default_lexicon().normalizer.tokens(" ".join(words))
    together = PatternSet(list(enumerate(_ALIKE)), classes=CLASSES, numbers=NUMBERS, common=COMMON)
    alone = [
        (key, first, last)
        for key, pattern in enumerate(_ALIKE)
        for _, first, last in PatternSet(
            [(key, pattern)], classes=CLASSES, numbers=NUMBERS, common=COMMON
        ).spans(tokens)
    ]
    assert sorted(together.spans(tokens)) == sorted(alone)


# Patterns led by a gap after their anchor, forwards ("took ~2 pills") and backwards ("what
# ~3 pills" is anchored on "pills"), each tried only where the word it waits for is in reach.
_GAP_LED = [
    "took ~2 (the )?pills",
    "took ~3 (knife|gun)",
    "my @kin took ~2 pills",
    "what ~3 (pills|knife)",
    "i am ~2 on the (roof|bridge)",
    "knife ~1 in my hand",
]
_GAP_WORDS = sorted({w for p in _GAP_LED for w in p.replace("(", " ").replace(")", " ").split()})
_GAP_WORDS = [w for w in _GAP_WORDS if w.isalpha()] + ["son", "big", "red", "old"]
_BACKWARD = {3}  # keys whose patterns start with a common word: anchored on their last word


@given(
    st.lists(st.sampled_from(_GAP_WORDS), max_size=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
)
@example(_said("took big red old pills took big pills"), 0, 1)
@example(_said("pills big what old pills"), 3, 5)
@example(_said("my son took big pills knife old in my hand"), 6, 7)
@settings(max_examples=300, deadline=None)
def test_gap_led_patterns_find_their_word_across_a_window_edge(
    words: list[str], lo: int, hi: int
) -> None:
    """A pattern waiting on a word past the scanned window still finds it: scanning [lo, hi)
    gives exactly the whole scan's hits anchored there, however few words the window holds."""
    tokens = default_lexicon().normalizer.tokens(" ".join(words))
    patterns = PatternSet(
        list(enumerate(_GAP_LED)), classes=CLASSES, numbers=NUMBERS, common=COMMON
    )

    def anchor(hit: tuple[int, int, int]) -> int:
        key, first, last = hit
        return last - 1 if key in _BACKWARD else first

    whole = patterns.spans(tokens)
    assert sorted(patterns.spans(tokens, lo, hi)) == sorted(
        hit for hit in whole if lo <= anchor(hit) < hi
    )


@given(
    st.lists(st.sampled_from(["took", "pills", "tablets", "two", "20", "the", "big"]), max_size=30)
)
@example(_said("took 20 pills took two tablets took the pills"))
@settings(max_examples=200, deadline=None)
def test_patterns_that_go_on_with_a_number_are_skipped_only_where_none_is_said(
    words: list[str],
) -> None:
    """Patterns whose next step is a number share one test of the next word; each hit is
    found as if the pattern were alone, beside patterns after the same words that need none."""
    patterns = ["took # pills", "took # (tablets|pills)", "took ~2 pills", "the # pills"]
    tokens = default_lexicon().normalizer.tokens(" ".join(words))
    together = PatternSet(list(enumerate(patterns)), classes=CLASSES, numbers=NUMBERS)
    alone = [
        (key, first, last)
        for key, pattern in enumerate(patterns)
        for _, first, last in PatternSet([(key, pattern)], classes=CLASSES, numbers=NUMBERS).spans(
            tokens
        )
    ]
    assert sorted(together.spans(tokens)) == sorted(alone)


# Many ways of going on after one gap and word, as a lexicon's alternatives expand: the gap
# is read once for them all, then their words, and a stop word ends a gap unless a hedge
# follows it ("not" here; "not know" is a hedge).
_AFTER_GAP = [
    "have ~2 (ten|twenty) of (my|the) pills ~3 (now|tonight)",
    "have ~2 (ten|twenty) of the pills right here",
    "have ~2 (ten|twenty) (pills|of)",
    "have ~2 twenty of my pills ~2 not now",
    "have ~2 ten",
]
_AFTER_WORDS = ["have", "ten", "twenty", "of", "my", "the", "pills", "now", "tonight", "right"]
_AFTER_WORDS += ["here", "not", "know", "big", "."]


@given(st.lists(st.sampled_from(_AFTER_WORDS), max_size=40))
@example(_said("have big ten of my pills big not now have ten of the pills right here"))
@example(_said("have not know ten of the pills big big tonight have not ten pills"))
@example(_said("have ten ten of my pills now"))
@example(_said("have ten of twenty of"))  # the gap ends at its first fit, as alone
@settings(max_examples=300, deadline=None)
def test_patterns_that_go_on_alike_after_a_gap_find_what_each_finds_alone(
    words: list[str],
) -> None:
    """Patterns sharing a gap and the words after it read them once; every hit, and where
    it ends, is as if each pattern were matched alone, stop words and hedges included."""
    options = {"classes": CLASSES, "numbers": NUMBERS, "common": COMMON}
    stops = {"gap_stops": frozenset({"not"}), "stop_hedges": frozenset({"know"})}
    tokens = default_lexicon().normalizer.tokens(" ".join(words))
    together = PatternSet(list(enumerate(_AFTER_GAP)), **options, **stops)  # type: ignore[arg-type]
    alone = [
        (key, first, last)
        for key, pattern in enumerate(_AFTER_GAP)
        for _, first, last in PatternSet([(key, pattern)], **options, **stops).spans(tokens)  # type: ignore[arg-type]
    ]
    assert sorted(together.spans(tokens)) == sorted(alone)
