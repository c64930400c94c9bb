"""The context pass: what the words around a match say about it.

Cues are phrase patterns from `data/context.toml`, scoped to the clause (negation,
history, recency, the speaker) or the sentence (hypotheticals, immediacy, time). They change
a crisis match's route; they never clear it.

A negation scopes over a match only when nothing but scope-transparent words ("to", "be",
"want", "going") lie between them, and not when it sits in a struggle or a promise ("I
promised my wife I wouldn't", "I keep telling myself not to", "I'm doing my best not to",
"the only reason I haven't", "I can't stop"): not acting is then part of the risk, not its
denial. Time decides emergency: "right now" and the like for any crisis
match; "tonight", "tomorrow", "by morning" for thoughts, intents, plans and self-harm (near
the match, or later in its own clause however long the means and place said between); "an
hour ago" or "last night" for an act already done.

A time of life ("used to", "years ago", "solía", "hace años") and a present one ("now",
"still", "today") reach only over their own clause. Besides the break markers, a clause ends
at a comma or a joining word ("and", "y", "so") with a subject or a Spanish verb in the
first person on each side: in "I used to feel hopeless, I want to kill myself" the wish is
not history, while in "years ago, I tried to kill myself" and "when I was a teen, I wanted
to die" the time heads the clause that follows it (see `Context.clause_ends`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
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
    PROMISE = "promise"


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
    promise_before: int = 8
    historical: int = 8
    hypothetical_before: int = 12
    hypothetical_after: int = 8
    immediacy: int = 10
    time: int = 10
    time_later: int = 18
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

    def overlapping(self, cue: Cue, lo: int, hi: int) -> Iterator[Span]:
        """The `cue` hits that overlap tokens [lo, hi), in text order."""
        found = self._by_kind[cue]
        firsts = self._firsts[cue]
        # Only hits starting in [lo - longest, hi) can overlap; bisect keeps this local.
        for index in range(
            bisect.bisect_left(firsts, lo - self._longest), bisect.bisect_left(firsts, hi)
        ):
            if found[index][2] > lo:
                yield found[index]

    def near(self, cue: Cue, lo: int, hi: int, tokens: Tokens, *, scope: str, at: int) -> bool:
        """Whether a `cue` overlaps tokens [lo, hi) within the clause or sentence of `at`."""
        for _, first, last in self.overlapping(cue, lo, hi):
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
        "_connectors",
        "_cues",
        "_first_person",
        "_openers",
        "_other_reflexive",
        "_possessives",
        "_self_reflexive",
        "_shared",
        "_subjects",
        "_subordinators",
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
        openers: frozenset[str] = frozenset(),
        possessives: frozenset[str] = frozenset(),
        connectors: frozenset[str] = frozenset(),
        subordinators: frozenset[str] = frozenset(),
        subjects: frozenset[str] = frozenset(),
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
        self._openers = openers
        self._possessives = possessives
        self._connectors = connectors
        self._subordinators = subordinators
        self._subjects = subjects
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
        """How far from a match, in tokens, any cue can matter.

        A near time cue's own clause is read for history (`_timely`), and a history cue's
        clause reaches `historical` words past it, so its reach adds twice that. A later
        one (`_said_later`) is read only for where its clause ends, `historical` words past it.
        """
        w = self.windows
        return (
            max(
                w.negation_before + max(w.struggle_before, w.promise_before),
                2 * w.historical,
                w.hypothetical_before,
                max(w.immediacy, w.time) + 2 * w.historical,
                w.time_later + w.historical,
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
        if self._timely(Cue.IMMEDIACY, lo, hi, tokens, first, hits):
            return True
        if acuity is Acuity.NONE:
            return False
        lo, hi = max(0, first - w.time), min(size, last + w.time)
        if self._timely(Cue.SOON, lo, hi, tokens, first, hits):
            return True
        if acuity is Acuity.ACT and self._timely(Cue.RECENT, lo, hi, tokens, first, hits):
            return True
        return hi < size and self._said_later(tokens, first, last, hi, hits)

    def _said_later(self, tokens: Tokens, first: int, last: int, lo: int, hits: CueHits) -> bool:
        """Whether a `soon` time from token `lo` up to `time_later` after the match is its time.

        It is when it ends the same clause, however many words name the means or the place
        between: "I'm going to hang myself with the rope in the garage after everyone is
        asleep tonight". A clause that opens with its own subject in between ("... and my
        sister visits tonight", "... I work today") has a time of its own.
        """
        hi = min(len(tokens), last + self.windows.time_later)
        for _, start, end in hits.overlapping(Cue.SOON, lo, hi):
            if start < last or not tokens.same_sentence(first, start):
                continue
            if self.clause_ends(tokens, (first, last), (start, end), at_subject=True):
                continue
            # In the match's own clause, a history there is the match's (`read`).
            return True
        return False

    def _timely(self, cue: Cue, lo: int, hi: int, tokens: Tokens, at: int, hits: CueHits) -> bool:
        """Whether a time `cue` overlaps tokens [lo, hi) in the sentence of `at`, and is now.

        A time cue in a clause of its own that a history cue marks tells of then, not now:
        "back in 2015 I overdosed, I want to die" is no overdose in progress.
        """
        for _, start, end in hits.overlapping(cue, lo, hi):
            edge = start if start >= at else min(end - 1, at)
            if not tokens.same_sentence(edge, at):
                continue
            if self._in_clause(Cue.HISTORICAL, tokens, start, end, hits) and not self._in_clause(
                Cue.RECENCY, tokens, start, end, hits
            ):
                continue
            return True
        return False

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
        myself") and no struggle or promise frames it in the same stretch between commas: a
        struggle ("trying not to", "telling myself not to", "can't stop") within
        `struggle_before` words, a promise ("promised my wife I wouldn't", "swore I would
        never") within `promise_before`, the person promised to and the "I would" between.
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
            frames = [
                *hits.overlapping(Cue.STRUGGLE, max(0, start - w.struggle_before), end),
                *hits.overlapping(Cue.PROMISE, max(0, start - w.promise_before), end),
            ]
            # A frame a comma parts from the negation frames nothing: "things are hard, I'm
            # not going to kill myself" denies, "it's hard not to" struggles.
            if any(
                tokens.same_clause(h[1], start)
                and h[2] <= end
                and not tokens.pauses_in(h[1], start)
                for h in frames
            ):
                continue
            return True
        return False

    def _in_clause(self, cue: Cue, tokens: Tokens, first: int, last: int, hits: CueHits) -> bool:
        """Whether a `cue` within the history window of tokens [first, last) is in its clause."""
        w = self.windows
        lo, hi = max(0, first - w.historical), min(len(tokens), last + w.historical)
        for _, start, end in hits.overlapping(cue, lo, hi):
            edge = start if start >= first else min(end - 1, first)
            if not tokens.same_clause(edge, first):
                continue
            if end <= first and self.clause_ends(tokens, (start, end), (first, last)):
                continue
            if start >= last and self.clause_ends(
                tokens, (first, last), (start, end), at_subject=True
            ):
                continue
            return True
        return False

    def clause_ends(
        self,
        tokens: Tokens,
        earlier: tuple[int, int],
        later: tuple[int, int],
        *,
        at_subject: bool = False,
    ) -> bool:
        """Whether a clause ends between the token ranges `earlier` and `later` (in order).

        One does at a comma or a joining word ("and", "y", "so") between them, or with
        `at_subject` before a subject pronoun ("i", "she": a transcript has no commas), when
        the words on each side of it, up to a break and at most `historical` words beyond
        the range, hold an opener ("i", "she", "quiero", "voy") that no subordinating word
        leads: "I used to feel hopeless, I want to die", "I want to die I used to be happy"
        and "I want to die, years ago I tried" are two clauses; "years ago, I tried", "when
        I was a teen, I wanted to die", "I tried to, it was years ago" and "I used to feel
        hopeless and want to die" are one. A time said before the risk with no comma ("I
        guess years ago I tried") heads the risk's clause, so `at_subject` is for a time
        after it only.
        """
        words = tokens.text
        reach = self.windows.historical
        left_limit = max(0, earlier[0] - reach)
        right_limit = min(len(tokens), later[1] + reach)
        pauses = tokens.pauses_in(earlier[1] - 1, later[0])
        for joint in range(earlier[1] - 1, later[0]):
            if joint in pauses or (at_subject and words[joint + 1] in self._subjects):
                stop = joint + 1
            elif joint >= earlier[1] and words[joint] in self._connectors:
                stop = joint
            else:
                continue
            if self._opens(tokens, range(stop - 1, left_limit - 1, -1)) and self._opens(
                tokens, range(joint + 1, right_limit)
            ):
                return True
        return False

    def _opens(self, tokens: Tokens, indices: range) -> bool:
        """Whether the words at `indices` (either way), up to a break, open a clause.

        An opener does unless a subordinating word one or two words before leads it ("when
        I was", "cuando mi mamá"); a possessive does where a stretch starts: after a break,
        a comma or a connector, or at the start of the text ("my son tried").
        """
        words = tokens.text
        openers, subordinators = self._openers, self._subordinators
        for index in indices:
            word = words[index]
            if word in BREAKS:
                return False
            if word in openers:
                if not any(words[i] in subordinators for i in range(max(0, index - 2), index)):
                    return True
            elif word in self._possessives and (
                index == 0
                or words[index - 1] in BREAKS
                or words[index - 1] in self._connectors
                or tokens.pauses_in(index - 1, index)
            ):
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
        current = Cue.RECENT if strict_recency else Cue.RECENCY
        if self._in_clause(Cue.HISTORICAL, tokens, first, last, hits) and not self._in_clause(
            current, tokens, first, last, hits
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
