"""Phrase patterns matched over token lists in linear time.

The pattern language is described in `patterns.py`. Every alternative is expanded when the
lexicon loads; each expansion starts with a concrete token and is indexed by it, so
scanning an utterance costs a set test per token plus a bounded amount of work per
candidate: no input can make matching slow.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from .normalize import BREAKS, Tokens
from .patterns import GAP as _GAP
from .patterns import LITERAL as _LITERAL
from .patterns import NUMBER as _NUMBER
from .patterns import PREFIX as _PREFIX
from .patterns import Step, check, compile_steps, expand

__all__ = ["Hit", "PatternSet", "Span", "check", "expand", "merge_windows"]

_CACHE_LIMIT = 100_000
# Pattern sets less some keys (`PatternSet.without`) kept for reuse.
_VARIANTS_LIMIT = 16
_FAIL = -2  # positions returned by a successful match are >= -1 (backwards, at the start)


@dataclass(frozen=True, slots=True)
class Hit:
    """One pattern occurrence: the owner's key and the token range [first, last)."""

    key: int
    first: int
    last: int


# A hit as a plain tuple (key, first, last): see `PatternSet.spans`.
Span = tuple[int, int, int]


# A pattern's key, its remaining steps, and a cheap test tried before any walk: the words
# its next one or two steps accept (None where a step is not a plain word set), or, when
# it goes on with a gap of N, the words one of the next N + 1 tokens must be.
Compiled = tuple[
    int, tuple[Step, ...], frozenset[str] | None, frozenset[str] | None, frozenset[str] | None, int
]


# Members of one group walked together: the literal words their remaining steps start with
# form a tree, so patterns that begin alike ("in my hand i am chopping …", "in my hand i am
# slicing …") read those words once, and where a gap of N and a word follow, the members
# waiting on that word are tried only if one of the next N + 1 tokens is it.
# A node: the next nodes, each with the words that lead to it, then its ends, each a
# pre-check (near, gap) and the members whose literal words end at that node: (order, key,
# steps, the index of the first step left). The next nodes keep the word sets the patterns
# share, not a look-up per word, so a tree's memory follows its patterns, not their word
# classes; and a group's tree is built only when a text first needs it. Where several members
# wait on the same gap and word, the gap is read once for all of them and the rest of their
# steps, from that word on, form a tree of its own (the end's last item; None for one member):
# 820 ways of saying 'have ~2 (ten|twenty ...) of (my|the) @pills ...' share their words.
_Member = tuple[int, int, tuple["Step", ...], int]
_End = tuple[frozenset[str] | None, int, tuple[_Member, ...], "_Node | None"]
_Node = tuple[tuple[tuple[frozenset[str], "_Node"], ...], tuple[_End, ...]]
# A node while the tree is built: children by word set, then ends by pre-check.
_Building = tuple[dict[frozenset[str], Any], dict[tuple[frozenset[str] | None, int], list[Any]]]


# Patterns sharing one pre-check, so the check runs once for all of them:
# (one, two, near, gap, members, tree, counted), each member a key and its remaining steps,
# the place for the tree they are walked by (see `_tree`), built the first time a text needs
# it, None for a lone member, matched as it is; and whether every member goes on with a
# number ("took # pills" after "took"), so a word that is none skips them all at once.
Group = tuple[
    frozenset[str] | None,
    frozenset[str] | None,
    frozenset[str] | None,
    int,
    tuple[tuple[int, tuple[Step, ...]], ...],
    list[_Node | None] | None,
    bool,
]


def _tree(members: Sequence[tuple[int, tuple[Step, ...]]]) -> _Node:
    """The members' literal beginnings as a tree (see `_Node`), each member numbered in order."""
    return _tree_from([(order, key, steps, 0) for order, (key, steps) in enumerate(members)])


def _tree_from(members: Iterable[_Member]) -> _Node:
    """A tree of `members` (order, key, steps, the index of the first step each has left)."""
    root: _Building = ({}, {})
    for order, key, steps, depth in members:
        node = root
        while depth < len(steps) and steps[depth][0] == _LITERAL:
            node = node[0].setdefault(steps[depth][1], ({}, {}))
            depth += 1
        near, gap = None, 0
        if depth + 1 < len(steps) and steps[depth][0] == _GAP and steps[depth + 1][0] == _LITERAL:
            near, gap = steps[depth + 1][1], steps[depth][3]
        node[1].setdefault((near, gap), []).append((order, key, steps, depth))

    def frozen(node: _Building) -> _Node:
        ends = tuple(
            (
                near,
                gap,
                tuple(found),
                _tree_from((o, k, steps, d + 1) for o, k, steps, d in found)
                if near is not None and len(found) > 1
                else None,
            )
            for (near, gap), found in node[1].items()
        )
        return tuple((options, frozen(child)) for options, child in node[0].items()), ends

    return frozen(root)


def _group(
    one: frozenset[str] | None,
    two: frozenset[str] | None,
    near: frozenset[str] | None,
    gap: int,
    members: tuple[tuple[int, tuple[Step, ...]], ...],
) -> Group:
    counted = all(steps and steps[0][0] == _NUMBER for _, steps in members)
    return (one, two, near, gap, members, [None] if len(members) > 1 else None, counted)


def _grouped(compiled: Iterable[Compiled]) -> tuple[Group, ...]:
    """Patterns gathered by their pre-check, in order of first appearance."""
    groups: dict[
        tuple[frozenset[str] | None, frozenset[str] | None, frozenset[str] | None, int],
        list[tuple[int, tuple[Step, ...]]],
    ] = {}
    for key, steps, one, two, near, gap in compiled:
        groups.setdefault((one, two, near, gap), []).append((key, steps))
    return tuple(_group(*check, tuple(members)) for check, members in groups.items())


# Groups of one anchor word, those whose next word is fixed indexed by that word, so an
# anchor costs one look-up for them; the others (led by a gap) are tried in turn.
# The keys owning any of them come third, so a set less some keys (`PatternSet.without`)
# tells at once whether it can share the full set's; fourth, the next words each key's
# patterns are indexed under, so leaving a key out rebuilds only those entries.
Anchored = tuple[
    dict[str, tuple[Group, ...]], tuple[Group, ...], frozenset[int], dict[int, frozenset[str]]
]
_NO_GROUPS: tuple[Group, ...] = ()


def _anchored(groups: Iterable[Group]) -> Anchored:
    groups = tuple(groups)
    exact: dict[str, list[Group]] = {}
    loose: list[Group] = []
    placed: dict[int, set[str]] = {}
    for group in groups:
        if group[0] is None:
            loose.append(group)
        else:
            for word in group[0]:
                exact.setdefault(word, []).append(group)
            for key, _ in group[4]:
                placed.setdefault(key, set()).update(group[0])
    owners = frozenset(key for group in groups for key, _ in group[4])
    return (
        {word: tuple(found) for word, found in exact.items()},
        tuple(loose),
        owners,
        {key: frozenset(words) for key, words in placed.items()},
    )


def _groups_less(groups: tuple[Group, ...], dropped: frozenset[int]) -> tuple[Group, ...]:
    """`groups` less the patterns `dropped` keys own: the same tuple if they own none there."""
    if all(dropped.isdisjoint(key for key, _ in group[4]) for group in groups):
        return groups
    kept: list[Group] = []
    for one, two, near, gap, members, _, _ in groups:
        left = tuple(member for member in members if member[0] not in dropped)
        if left:
            kept.append(_group(one, two, near, gap, left))
    return tuple(kept)


def _anchored_less(anchored: Anchored | None, dropped: frozenset[int]) -> Anchored | None:
    """`anchored` less the patterns `dropped` keys own, or None if none is left.

    The same object when they own none of it: a pattern set less a few keys shares the rest,
    and of the groups by next word only those the keys' patterns are in are rebuilt.
    """
    if anchored is None or dropped.isdisjoint(anchored[2]):
        return anchored
    exact, loose, owners, placed = anchored
    gone = dropped & owners
    smaller = dict(exact)
    for word in frozenset().union(*(placed.get(key, ()) for key in gone)):
        left = _groups_less(exact[word], dropped)
        if left:
            smaller[word] = left
        else:
            del smaller[word]
    fewer = _groups_less(loose, dropped)
    if not (smaller or fewer):
        return None
    kept = {key: words for key, words in placed.items() if key not in gone}
    return smaller, fewer, owners - gone, kept


def _compiled(key: int, steps: tuple[Step, ...]) -> Compiled:
    one = steps[0][1] if steps and steps[0][0] == _LITERAL else None
    two = steps[1][1] if one is not None and len(steps) > 1 and steps[1][0] == _LITERAL else None
    near: frozenset[str] | None = None
    gap = 0
    if steps and steps[0][0] == _GAP and steps[1][0] == _LITERAL:
        near, gap = steps[1][1], steps[0][3]
    return (key, steps, one, two, near, gap)


def merge_windows(
    spans: Iterable[tuple[int, int]], *, before: int, after: int
) -> list[tuple[int, int]]:
    """Token ranges [first - before, last + after) of `spans`, overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        lo, hi = max(0, first - before), last + after
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _near(
    anchored: Anchored, nearby: Set[str]
) -> tuple[dict[str, tuple[Group, ...]], tuple[Group, ...]]:
    """`anchored`'s groups by next word, and those led by a gap whose word is in `nearby`.

    A group led by a gap is tried only where one of the next few tokens is one of its words
    (`near`): where none of them is anywhere in reach it can never be, so leaving it out
    changes no hit. Groups keep their order, so hits come in the same order too.
    """
    exact, loose, _, _ = anchored
    return exact, tuple(
        group for group in loose if group[2] is None or not group[2].isdisjoint(nearby)
    )


def _positions(words: list[str], start: int, stop: int, wanted: Set[str]) -> Iterator[int]:
    """Indices in [start, stop) whose word is in `wanted` (the test runs at C speed)."""
    return itertools.compress(itertools.count(start), map(wanted.__contains__, words[start:stop]))


class PatternSet:
    """Patterns compiled once, each owned by an integer key, scanned over token lists.

    Patterns are indexed by their first word and, when their second step is a word too, by
    the pair: a common first word ("my", "i") costs one look-up, not a trial of every
    pattern that starts with it.
    """

    __slots__ = (
        "_base",
        "_by_last",
        "_by_pair",
        "_by_prefix",
        "_by_word",
        "_cache",
        "_dropped",
        "_gap_stops",
        "_last_words",
        "_numbers",
        "_pair_firsts",
        "_prefix_lengths",
        "_start_pairs",
        "_stop_hedges",
        "_without",
        "_words",
        "max_span",
        "numbers",
    )

    def __init__(
        self,
        patterns: Iterable[tuple[int, str]],
        *,
        classes: Mapping[str, frozenset[str]],
        numbers: frozenset[str],
        common: frozenset[str] = frozenset(),
        gap_stops: frozenset[str] = frozenset(),
        stop_hedges: frozenset[str] = frozenset(),
    ) -> None:
        self.numbers = numbers
        # A gap never skips over a break marker or one of these (negations, for the lexicon),
        # unless the stop word comes just before one of `stop_hedges`: "I don't know" is a
        # hedge, not a negation ("I have the pills, I dunno, I'm gonna take them all").
        self._gap_stops = BREAKS | gap_stops
        self._stop_hedges = stop_hedges
        by_last: dict[str, list[Compiled]] = {}
        by_pair: dict[tuple[str, str], list[Compiled]] = {}
        self._by_word: dict[str, list[Compiled]] = {}
        self._by_prefix: dict[str, list[Compiled]] = {}
        self._numbers: list[Compiled] = []
        words: set[str] = set()
        # The most tokens any occurrence can cover: a bound a caller may rely on.
        self.max_span = 0
        for key, pattern in patterns:
            for atoms in expand(pattern):
                steps = tuple(compile_steps(atoms, classes, pattern))
                span = sum(step[3] if step[0] == _GAP else 1 for step in steps)
                self.max_span = max(self.max_span, span)
                for step in steps:
                    words.update(step[1])
                kind, first_words, prefix, _ = steps[0]
                last_kind, last_words, _, _ = steps[-1]
                if (
                    kind == _LITERAL
                    and len(steps) > 1
                    and first_words & common
                    and last_kind == _LITERAL
                    and not last_words & common
                ):
                    # Starts with a common word ("what ~5 @medical"): anchor on the last
                    # step and match backwards, so "what" alone costs nothing.
                    backwards = _compiled(key, tuple(reversed(steps[:-1])))
                    for word in last_words:
                        by_last.setdefault(word, []).append(backwards)
                    continue
                if kind == _LITERAL and len(steps) > 1 and steps[1][0] == _LITERAL:
                    paired = _compiled(key, steps[2:])
                    for word in first_words:
                        for second in steps[1][1]:
                            by_pair.setdefault((word, second), []).append(paired)
                    continue
                compiled = _compiled(key, steps[1:])
                if kind == _LITERAL:
                    for word in first_words:
                        self._by_word.setdefault(word, []).append(compiled)
                elif kind == _PREFIX:
                    self._by_prefix.setdefault(prefix, []).append(compiled)
                else:
                    self._numbers.append(compiled)
        self._words = frozenset(words)
        self._by_last = {word: _anchored(_grouped(found)) for word, found in by_last.items()}
        self._by_pair = {pair: _grouped(found) for pair, found in by_pair.items()}
        self._pair_firsts = frozenset(first for first, _ in self._by_pair)
        self._prefix_lengths = tuple(sorted({len(p) for p in self._by_prefix}))
        # Which last words and which pairs each key's patterns are indexed by (see `without`).
        self._last_words: dict[int, set[str]] = {}
        for word, found in by_last.items():
            for compiled in found:
                self._last_words.setdefault(compiled[0], set()).add(word)
        self._start_pairs: dict[int, set[tuple[str, str]]] = {}
        for pair, found in by_pair.items():
            for compiled in found:
                self._start_pairs.setdefault(compiled[0], set()).add(pair)
        self._cache: dict[str, Anchored | None] = {}
        self._without: dict[frozenset[int], PatternSet] = {}
        # A set less some keys (`without`) reads its full set's tables less those keys'.
        self._base: PatternSet | None = None
        self._dropped: frozenset[int] = frozenset()

    def without(self, keys: Set[int]) -> PatternSet:
        """These patterns less those `keys` own: a scan of it finds every other key's hits.

        A screen drops the rules that can no longer change its verdict as it goes, so the
        smaller set is built from this one's tables, rebuilding only the entries the dropped
        keys' patterns are in (the rest are shared), and its look-ups by word are this
        set's less those keys', made as words come: its cost follows the dropped rules,
        not the text. The last few are kept, as the same rules drop text after text, and a
        new one starts from the kept one that leaves out the most of the same keys (the
        screen drops more rules window by window), so only the others are filtered out.
        """
        if self._base is not None:
            return self._base.without(self._dropped.union(keys))
        if not keys:
            return self
        dropped = frozenset(keys)
        found = self._without.get(dropped)
        if found is not None:
            return found
        parent = self
        for kept in self._without.values():
            if kept._dropped < dropped and len(kept._dropped) > len(parent._dropped):
                parent = kept
        newly = dropped - parent._dropped
        by_last = dict(parent._by_last)
        for word in set().union(*(self._last_words.get(key, ()) for key in newly)):
            anchored = by_last.get(word)
            if anchored is None:
                continue  # the parent has left out every pattern there already
            left = _anchored_less(anchored, newly)
            if left is None:
                del by_last[word]
            else:
                by_last[word] = left
        by_pair = dict(parent._by_pair)
        for pair in set().union(*(self._start_pairs.get(key, ()) for key in newly)):
            groups = by_pair.get(pair)
            if groups is None:
                continue
            groups = _groups_less(groups, newly)
            if groups:
                by_pair[pair] = groups
            else:
                del by_pair[pair]
        smaller = PatternSet.__new__(PatternSet)
        smaller.numbers = self.numbers
        smaller.max_span = self.max_span
        smaller._gap_stops = self._gap_stops
        smaller._stop_hedges = self._stop_hedges
        smaller._words = self._words
        smaller._by_last = by_last
        smaller._by_pair = by_pair
        smaller._pair_firsts = frozenset(first for first, _ in by_pair)
        smaller._cache = {}
        smaller._base = self
        smaller._dropped = dropped
        if len(self._without) >= _VARIANTS_LIMIT:
            self._without.clear()
        self._without[dropped] = smaller
        return smaller

    @property
    def words(self) -> frozenset[str]:
        """Every literal word the patterns use (the normaliser never 'corrects' these)."""
        return self._words

    def _candidates(self, word: str) -> Anchored | None:
        """Patterns that may start at `word` without a pair look-up (cached per word)."""
        if self._base is not None:
            # The full set's, unless the dropped keys own some of it (then made once here).
            full = self._base._candidates(word)
            if full is None or self._dropped.isdisjoint(full[2]):
                return full
            if word not in self._cache:
                self._remember(word, _anchored_less(full, self._dropped))
            return self._cache[word]
        if word in self._cache:
            return self._cache[word]
        found = list(self._by_word.get(word, ()))
        for length in self._prefix_lengths:
            if len(word) < length:
                break
            found.extend(self._by_prefix.get(word[:length], ()))
        if word.isdigit() or word in self.numbers:
            found.extend(self._numbers)
        result = _anchored(_grouped(found)) if found else None
        self._remember(word, result)
        return result

    def _remember(self, word: str, found: Anchored | None) -> None:
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = found

    def scan(self, tokens: Tokens, lo: int = 0, hi: int | None = None) -> list[Hit]:
        """Every hit starting in tokens [lo, hi); one hit per key and start."""
        return [Hit(key, first, last) for key, first, last in self.spans(tokens, lo, hi)]

    def spans(self, tokens: Tokens, lo: int = 0, hi: int | None = None) -> list[Span]:
        """`scan`'s hits as plain (key, first, last) tuples, in the same order.

        A screen of a long text holds thousands of hits while it reads a window. Tuples of
        numbers stop being tracked by the garbage collector the first time it sees them, so
        they never reach its oldest generation; objects do, and enough of them make it walk
        every object in the process (the lexicon's tables among them) again and again, a
        cost that grew faster than the text.

        The tables this scan consults are built for the words present, once per call, so
        the work per token is a set membership test; only the positions where a pattern
        can start are visited, each kind of anchor in its own tight loop.
        """
        words = tokens.text
        size = len(words)
        stop = size if hi is None else min(hi, size)
        start = max(0, lo)
        if stop <= start:
            return []
        present = set(words[start:stop])
        singles: dict[str, Anchored] = {}
        for word in present:
            found = self._candidates(word)
            if found is not None:
                singles[word] = found
        by_last = self._by_last
        lasts = present.intersection(by_last)
        # A group led by a gap waits for a word near its anchor: one absent from every place
        # its check could look at leaves the group out of this scan, so a common anchor ("took",
        # "son") costs only the groups whose word the text has, not one test of each per token.
        reach = self.max_span + 1
        nearby = present.union(words[max(0, start - reach) : start], words[stop : stop + reach])
        backwards_of = {word: _near(by_last[word], nearby) for word in lasts}
        forwards_of = {word: _near(found, nearby) for word, found in singles.items()}
        has_pairs = not present.isdisjoint(self._pair_firsts)
        hits: list[Span] = []
        walk = self._walk
        numbers = self.numbers
        # One forward hit per key and start: the longest, whichever anchor found it.
        forward: dict[tuple[int, int], int] = {}
        if has_pairs:
            by_pair = self._by_pair
            pair_stop = min(stop, size - 1)
            # Which adjacent pairs start a pattern is decided in C, over zipped tuples.
            starts = itertools.compress(
                itertools.count(start),
                map(
                    by_pair.__contains__,
                    zip(words[start:pair_stop], words[start + 1 : pair_stop + 1], strict=True),
                ),
            )
            for index in starts:
                after = words[index + 2] if index + 2 < size else ""
                later = words[index + 3] if index + 3 < size else ""
                for one, two, near, gap, members, tree, counted in by_pair[
                    (words[index], words[index + 1])
                ]:
                    if (
                        (
                            one is not None
                            and (after not in one or (two is not None and later not in two))
                        )
                        or (
                            near is not None and near.isdisjoint(words[index + 2 : index + 3 + gap])
                        )
                        or (counted and not (after.isdigit() or after in numbers))
                    ):
                        continue
                    for key, last in walk(tree, members, words, index + 2, 1):
                        if last > forward.get((key, index), -1):
                            forward[(key, index)] = last
        if lasts or singles:
            for index in _positions(words, start, stop, lasts.union(singles)):
                word = words[index]
                backwards = backwards_of.get(word)
                if backwards is not None:
                    before = words[index - 1] if index > 0 else ""
                    earlier = words[index - 2] if index > 1 else ""
                    exact, loose = backwards
                    for one, two, near, gap, members, tree, counted in itertools.chain(
                        exact.get(before, _NO_GROUPS), loose
                    ):
                        if (
                            (
                                one is not None
                                and (before not in one or (two is not None and earlier not in two))
                            )
                            or (
                                near is not None
                                and near.isdisjoint(words[max(0, index - 1 - gap) : index])
                            )
                            or (counted and not (before.isdigit() or before in numbers))
                        ):
                            continue
                        for key, found_at in walk(tree, members, words, index - 1, -1):
                            hits.append((key, found_at + 1, index + 1))
                forwards = forwards_of.get(word)
                if forwards is not None:
                    after = words[index + 1] if index + 1 < size else ""
                    later = words[index + 2] if index + 2 < size else ""
                    exact, loose = forwards
                    for one, two, near, gap, members, tree, counted in itertools.chain(
                        exact.get(after, _NO_GROUPS), loose
                    ):
                        if (
                            (
                                one is not None
                                and (after not in one or (two is not None and later not in two))
                            )
                            or (
                                near is not None
                                and near.isdisjoint(words[index + 1 : index + 2 + gap])
                            )
                            or (counted and not (after.isdigit() or after in numbers))
                        ):
                            continue
                        for key, last in walk(tree, members, words, index + 1, 1):
                            if last > forward.get((key, index), -1):
                                forward[(key, index)] = last
        hits.extend((key, index, last) for (key, index), last in forward.items())
        return hits

    def _walk(
        self,
        place: list[_Node | None] | None,
        members: tuple[tuple[int, tuple[Step, ...]], ...],
        words: list[str],
        pos: int,
        direction: int,
    ) -> list[tuple[int, int]]:
        """Each member that matches from `pos`: (key, `_match`'s result), in the members' order.

        The same results as matching every member alone: a literal word admits no choice,
        so reading it once for all the members that start with it changes nothing.
        """
        if place is None:
            key, steps = members[0]
            last = self._match(steps, 0, words, pos, direction)
            return [(key, last)] if last >= -1 else []
        tree = place[0]
        if tree is None:
            tree = place[0] = _tree(members)
        found = self._walk_node(tree, words, pos, direction)
        if len(found) > 1:
            found.sort()
        return [(key, last) for _, key, last in found]

    def _walk_node(
        self, tree: _Node, words: list[str], pos: int, direction: int
    ) -> list[tuple[int, int, int]]:
        """Each member of `tree` that matches from `pos`: (order, key, `_match`'s result)."""
        found: list[tuple[int, int, int]] = []
        size = len(words)
        match = self._match
        nodes = [(tree, pos)]
        while nodes:
            (children, ends), at = nodes.pop()
            for near, gap, waiting, shared in ends:
                if near is not None:
                    lo, hi = (at, at + gap + 1) if direction > 0 else (max(0, at - gap), at + 1)
                    if at < 0 or near.isdisjoint(words[lo:hi]):
                        continue
                    if shared is not None:
                        # Each member's result is its match from the first place the gap
                        # may end, as `_match` gives it: the places are the same for all.
                        done: set[int] = set()
                        for spot in self._gap_ends(near, gap, words, at, direction):
                            for order, key, last in self._walk_node(shared, words, spot, direction):
                                if order not in done:
                                    done.add(order)
                                    found.append((order, key, last))
                        continue
                for order, key, steps, depth in waiting:
                    last = match(steps, depth, words, at, direction)
                    if last >= -1:
                        found.append((order, key, last))
            if children and 0 <= at < size:
                word = words[at]
                nodes.extend(
                    (child, at + direction) for options, child in children if word in options
                )
        return found

    def _gap_ends(
        self, follow: frozenset[str], gap: int, words: list[str], pos: int, direction: int
    ) -> list[int]:
        """Where a gap of up to `gap` words from `pos` may end on one of `follow`, in order.

        The places `_match` tries for a gap followed by a word step, with the same stops.
        """
        size = len(words)
        stops, hedges = self._gap_stops, self._stop_hedges
        spots: list[int] = []
        for skip in range(gap + 1):
            at = pos + skip * direction
            if not 0 <= at < size:
                break
            word = words[at]
            fits = word in follow
            if (
                word in stops
                and not fits
                and not (word not in BREAKS and at + 1 < size and words[at + 1] in hedges)
            ):
                break
            if fits:
                spots.append(at)
        return spots

    def _match(
        self, steps: tuple[Step, ...], k: int, words: list[str], pos: int, direction: int = 1
    ) -> int:
        """Match `steps[k:]` from `pos`, walking in `direction` (1 or -1).

        Returns the position just past the last word matched (at least -1), or `_FAIL`.
        """
        size = len(words)
        while k < len(steps):
            kind, options, prefix, gap = steps[k]
            if kind == _GAP:
                # A gap sits between word steps; try only where the next step fits. It may
                # end on a stop word the next step names, never skip over one.
                follow_kind, follow_options, _, _ = steps[k + 1]
                stops, hedges = self._gap_stops, self._stop_hedges
                for skip in range(gap + 1):
                    at = pos + skip * direction
                    if not 0 <= at < size:
                        break
                    word = words[at]
                    fits = follow_kind != _LITERAL or word in follow_options
                    if (
                        word in stops
                        and not (fits and follow_kind == _LITERAL)
                        and not (word not in BREAKS and at + 1 < size and words[at + 1] in hedges)
                    ):
                        break
                    if not fits:
                        continue
                    found = self._match(steps, k + 1, words, at, direction)
                    if found >= -1:
                        return found
                return _FAIL
            if not 0 <= pos < size:
                return _FAIL
            word = words[pos]
            if kind == _LITERAL:
                if word not in options:
                    return _FAIL
            elif kind == _PREFIX:
                if not word.startswith(prefix):
                    return _FAIL
            elif not (word.isdigit() or word in self.numbers):
                return _FAIL
            k += 1
            pos += direction
        return pos
