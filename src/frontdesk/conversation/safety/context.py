"""The context pass: what the words around a match say about it.

Cues are phrase patterns from `data/context.toml`, scoped to the clause (negation,
history, recency, the speaker) or the sentence (hypotheticals, immediacy, time). They change
a crisis match's route; they never clear it.

A negation scopes over a match only when nothing but scope-transparent words ("to", "be",
"want", "going") lie between them, and not when it sits in a struggle or a promise ("I
promised not to", "the only reason I haven't", "I can't stop"): not acting is then part of
the risk, not its denial. Time decides emergency: "right now" and the like for any crisis
match; "tonight", "tomorrow", "by morning" for thoughts, intents, plans and self-harm; "an
hour ago" or "last night" for an act already done.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.calls import Route

from .matcher import PatternSet, Span, merge_windows
from .normalize import BREAKS, Tokens
from .verdict import Experiencer, Modifier


class Cue(StrEnum):
    """Kinds of context cue; each names a list of patterns in `context.toml`."""

    NEGATION = "negation"
    HISTORICAL = "historical"
    RECENCY = "recency"
    HYPOTHETICAL = "hypothetical"
    IMMEDIACY = "immediacy"
    SOON = "soon"
    RECENT = "recent"
    STRUGGLE = "struggle"


_CUE_ORDER = tuple(Cue)

# C-SSRS levels (see `verdict.Match`): from non-specific active thoughts up, a time that is
# near makes the risk acute; level 6 is behaviour, which a recent time makes current.
INTENT_FROM_LEVEL = 2
ACT_LEVEL = 6


class Acuity(StrEnum):
    """Which time cues can make a crisis match an emergency."""

    NONE = "none"  # a passive wish, a topic: only "right now" and the like
    INTENT = "intent"  # thoughts, intent, plan, self-harm: also "tonight", "tomorrow"
    ACT = "act"  # an act done: also "an hour ago", "last night"


@dataclass(frozen=True, slots=True)
class Windows:
    """How many tokens each cue may sit away from the match it modifies."""

    negation_before: int = 6
    struggle_before: int = 4
    historical: int = 8
    hypothetical_before: int = 12
    hypothetical_after: int = 8
    immediacy: int = 10
    time: int = 10
    person_before: int = 8
    antecedent: int = 40


@dataclass(frozen=True, slots=True)
class Reading:
    """What the context pass concluded about one match."""

    modifiers: tuple[Modifier, ...]
    experiencer: Experiencer


class CueHits:
    """Cue occurrences in one utterance, by kind and sorted by position."""

    __slots__ = ("_by_kind", "_firsts", "_longest")

    def __init__(self, hits: Sequence[Span]) -> None:
        # Each hit a (key, first, last) tuple (`PatternSet.spans`).
        self._by_kind: dict[Cue, list[Span]] = {cue: [] for cue in Cue}
        for hit in sorted(hits, key=lambda h: h[1]):
            self._by_kind[_CUE_ORDER[hit[0]]].append(hit)
        self._firsts = {cue: [h[1] for h in found] for cue, found in self._by_kind.items()}
        self._longest = max((last - first for _, first, last in hits), default=0)

    def starting_in(self, cue: Cue, lo: int, hi: int) -> list[Span]:
        """The `cue` hits that start in tokens [lo, hi), in text order."""
        firsts = self._firsts[cue]
        found = self._by_kind[cue]
        return found[bisect.bisect_left(firsts, lo) : bisect.bisect_left(firsts, hi)]

    def near(self, cue: Cue, lo: int, hi: int, tokens: Tokens, *, scope: str, at: int) -> bool:
        """Whether a `cue` overlaps tokens [lo, hi) within the clause or sentence of `at`."""
        found = self._by_kind[cue]
        firsts = self._firsts[cue]
        # Only hits starting in [lo - longest, hi) can overlap; bisect keeps this local.
        for index in range(
            bisect.bisect_left(firsts, lo - self._longest), bisect.bisect_left(firsts, hi)
        ):
            _, first, last = found[index]
            if last <= lo:
                continue
            edge = first if first >= at else min(last - 1, at)
            if scope == "clause" and not tokens.same_clause(edge, at):
                continue
            if not tokens.same_sentence(edge, at):
                continue
            return True
        return False


class Context:
    """Compiled cue patterns and person words, from `context.toml`."""

    __slots__ = (
        "_cues",
        "_first_person",
        "_other_reflexive",
        "_self_reflexive",
        "_shared",
        "_third_person",
        "_transparent",
        "windows",
    )

    def __init__(
        self,
        *,
        cues: Mapping[Cue, Sequence[str]],
        first_person: frozenset[str],
        third_person: frozenset[str],
        self_reflexive: frozenset[str],
        other_reflexive: frozenset[str],
        windows: Windows,
        classes: Mapping[str, frozenset[str]],
        numbers: frozenset[str],
        transparent: frozenset[str] = frozenset(),
        shared: frozenset[str] = frozenset(),
    ) -> None:
        patterns = [
            (_CUE_ORDER.index(cue), pattern) for cue, group in cues.items() for pattern in group
        ]
        self._cues = PatternSet(patterns, classes=classes, numbers=numbers)
        self._first_person = first_person
        self._third_person = third_person
        self._self_reflexive = self_reflexive
        self._other_reflexive = other_reflexive
        self._transparent = transparent
        self._shared = shared
        self.windows = windows

    @property
    def words(self) -> frozenset[str]:
        """Every word the cues use."""
        return (
            self._cues.words
            | self._first_person
            | self._third_person
            | self._self_reflexive
            | self._other_reflexive
        )

    @property
    def reach(self) -> int:
        """How far from a match, in tokens, any cue can matter."""
        w = self.windows
        return (
            max(
                w.negation_before + w.struggle_before,
                w.historical,
                w.hypothetical_before,
                w.immediacy,
                w.time,
            )
            + 4
        )

    @property
    def horizon(self) -> int:
        """How far from a match any token can change its reading.

        Cues are scanned from `reach + max_span` tokens before each match, so every cue
        that can touch a match's windows is found, and a cue is decided by the tokens it
        covers: a reading depends on nothing beyond this distance.
        """
        return self.reach + 2 * self._cues.max_span

    def may_be_immediate(
        self, tokens: Tokens, first: int, last: int, hits: CueHits, acuity: Acuity = Acuity.NONE
    ) -> bool:
        """Whether a cue that makes tokens [first, last) immediate is near (an upper bound)."""
        return self._immediate(tokens, first, last, hits, acuity)

    def _immediate(
        self, tokens: Tokens, first: int, last: int, hits: CueHits, acuity: Acuity
    ) -> bool:
        w = self.windows
        size = len(tokens)
        lo, hi = max(0, first - w.immediacy), min(size, last + w.immediacy)
        if hits.near(Cue.IMMEDIACY, lo, hi, tokens, scope="sentence", at=first):
            return True
        if acuity is Acuity.NONE:
            return False
        lo, hi = max(0, first - w.time), min(size, last + w.time)
        if hits.near(Cue.SOON, lo, hi, tokens, scope="sentence", at=first):
            return True
        return acuity is Acuity.ACT and hits.near(
            Cue.RECENT, lo, hi, tokens, scope="sentence", at=first
        )

    def scan(self, tokens: Tokens, spans: Sequence[tuple[int, int]]) -> CueHits:
        """Every cue near the matches on token ranges `spans`."""
        hits: list[Span] = []
        # Wide enough that any cue touching a match's windows starts and ends inside one.
        reach = self.reach + self._cues.max_span
        for lo, hi in merge_windows(spans, before=reach, after=reach):
            hits.extend(self._cues.spans(tokens, lo, hi))
        return CueHits(hits)

    def experiencer(self, tokens: Tokens, first: int, last: int) -> Experiencer:
        """Whose experience tokens [first, last) describe: reflexives first, then the subject.

        A subject asked about as sharing the speaker's experience ("does anyone else want
        to die") is the speaker.
        """
        words = tokens.text
        for word in words[first:last]:
            if word in self._self_reflexive:
                return Experiencer.SELF
            if word in self._other_reflexive:
                return Experiencer.OTHER
        for index in range(first - 1, max(-1, first - 1 - self.windows.person_before), -1):
            word = words[index]
            if word in BREAKS:
                break
            if word in self._first_person:
                return Experiencer.SELF
            if word in self._shared and index + 1 < len(words) and words[index + 1] == "else":
                return Experiencer.SELF
            if word in self._third_person:
                return Experiencer.OTHER
        return Experiencer.UNKNOWN

    def negated(self, tokens: Tokens, first: int, hits: CueHits) -> bool:
        """Whether a negation in the clause scopes over the match starting at `first`.

        It does when only transparent words separate it from the match ("not going to kill
        myself") and no struggle or promise frames it ("promised not to", "can't stop").
        """
        w = self.windows
        words = tokens.text
        for _, start, end in hits.starting_in(
            Cue.NEGATION, max(0, first - w.negation_before), first
        ):
            if not tokens.same_clause(start, first):
                continue
            if any(word not in self._transparent for word in words[end:first]):
                continue
            frame = hits.starting_in(Cue.STRUGGLE, max(0, start - w.struggle_before), end)
            if any(tokens.same_clause(h[1], start) and h[2] <= end for h in frame):
                continue
            return True
        return False

    def read(
        self,
        tokens: Tokens,
        first: int,
        last: int,
        hits: CueHits,
        *,
        staff_route: bool = False,
        acuity: Acuity = Acuity.NONE,
        strict_recency: bool = False,
    ) -> Reading:
        """Modifiers and experiencer of the match on tokens [first, last).

        For clinical and administrative matches the speaker's person is not a modifier:
        "can you send my records" is about the caller whoever says "you". `acuity` says
        which time cues make the match immediate. A past time in the match's clause makes
        it history unless a present one ("now", "again", "still") is there too; with
        `strict_recency` only a recent time ("an hour ago", "last night", "today") keeps it
        current, so "I was hit by a car last year and now I have anxiety" tells of an old
        injury, not of one now.
        """
        w = self.windows
        size = len(tokens)
        modifiers: list[Modifier] = []
        if self.negated(tokens, first, hits):
            modifiers.append(Modifier.NEGATION)
        experiencer = self.experiencer(tokens, first, last)
        if experiencer is Experiencer.OTHER and not staff_route:
            modifiers.append(Modifier.THIRD_PERSON)
        lo, hi = max(0, first - w.historical), min(size, last + w.historical)
        current = Cue.RECENT if strict_recency else Cue.RECENCY
        if hits.near(Cue.HISTORICAL, lo, hi, tokens, scope="clause", at=first) and not hits.near(
            current, lo, hi, tokens, scope="clause", at=first
        ):
            modifiers.append(Modifier.HISTORICAL)
        if hits.near(
            Cue.HYPOTHETICAL,
            max(0, first - w.hypothetical_before),
            min(size, last + w.hypothetical_after),
            tokens,
            scope="sentence",
            at=first,
        ):
            modifiers.append(Modifier.HYPOTHETICAL)
        if self._immediate(tokens, first, last, hits, acuity):
            modifiers.append(Modifier.IMMEDIATE)
        if any(i in tokens.corrected for i in range(first, last)):
            modifiers.append(Modifier.SPELLING)
        return Reading(tuple(modifiers), experiencer)


def effective_route(base: Route, reading: Reading) -> Route:
    """The route a crisis-level match takes in its context; other routes pass through.

    Negated or historical mentions, and hypotheticals not about the speaker, become
    `sensitive`; immediacy turns crisis into `emergency`; nothing becomes `routine`.
    """
    if not base.is_crisis:
        return base
    mods = reading.modifiers
    if Modifier.NEGATION in mods or Modifier.HISTORICAL in mods:
        return Route.SENSITIVE
    if Modifier.HYPOTHETICAL in mods and reading.experiencer is not Experiencer.SELF:
        return Route.SENSITIVE
    if Modifier.IMMEDIATE in mods:
        return Route.EMERGENCY
    return base
