"""The screen itself: normalise, match, read the context, apply idioms, decide."""

from __future__ import annotations

import bisect
import itertools
import logging
import re

from frontdesk.domain.calls import Route, most_severe

from .context import Reading, effective_route
from .idioms import find_idioms
from .lexicon import Lexicon, default_lexicon
from .matcher import Span
from .net import Net, default_net, lift
from .normalize import Tokens
from .verdict import SCREEN_ERROR, Category, Experiencer, Match, Modifier, Verdict

logger = logging.getLogger(__name__)

# Matches kept per rule before the screen keeps only those that say something new: a
# route or an experiencer that rule has not shown yet. The verdict is the same either way.
MATCHES_PER_RULE = 25

# A text longer than one window is screened window by window, each window reading
# `WINDOW_OVERLAP` characters of the text around it, so the work and the memory per window
# are bounded and the cost of a text is linear in its length. What the pass has learnt so
# far (each rule's record, the verdict so far, the readings) is carried from one window to
# the next, so a long text is read as one pass over it would read it, with the same
# skipping. A match's reading depends on at most `Context.horizon` tokens (44) either side,
# which 1.5 KB holds unless the words average over 30 characters; the overlap is work done
# twice (5% of a long text).
WINDOW_CHARS = 65_536
WINDOW_OVERLAP = 1_536
# How far back from a window's end a cut may fall: always after a space, so no word is
# split, and at the same place in whatever repeats within this reach (see `_cuts`).
CUT_SEARCH = 4_096
# How many characters after a candidate cut decide where it falls (see `_cuts`).
_CUT_KEY = 24
# Windows remembered as having changed nothing but where risk was spoken (see `_Pass`);
# past this many the store starts afresh, so memory stays bounded.
_QUIET_LIMIT = 16
_BREAK = re.compile(r"[ \n]")
# Readings kept for reuse; past this many the store starts afresh, so memory stays bounded.
_READINGS_LIMIT = 4_096


def screen(text: str, *, lexicon: Lexicon | None = None, net: Net | None = None) -> Verdict:
    """Screen one caller utterance; any internal failure escalates to `crisis`.

    The rules decide first; the learned net (the shipped one unless `net` is given) may then
    only raise their verdict (`net.lift`).
    """
    version = "unknown"
    try:
        chosen = lexicon if lexicon is not None else default_lexicon()
        version = chosen.version
        verdict = _rules(text, chosen)
        return lift(verdict, text, net if net is not None else default_net(), chosen)
    except Exception as exc:  # fail closed, whatever went wrong
        logger.error("safety screen failed closed: %s", type(exc).__name__)
        return Verdict(
            route=Route.CRISIS,
            categories=(),
            matches=(),
            experiencer=Experiencer.UNKNOWN,
            lexicon_version=version,
            reason=SCREEN_ERROR,
        )


def _cuts(text: str, window: int = WINDOW_CHARS, search: int = CUT_SEARCH) -> list[int]:
    """Where a text is cut into windows of at most `window` characters.

    Each cut falls after a space in the last `search` characters a window may hold, where
    the characters that follow hash lowest. Where a text repeats itself with a period no
    longer than `search` (a flood of one phrase), every cut after the first falls at the
    same point of the period, so the windows between them are the same text and are read
    once (`_Pass`). Where no space falls in reach, the window is cut at its full length.
    """
    cuts = [0]
    reach = min(search, window // 2)
    while len(text) - cuts[-1] > window:
        target = cuts[-1] + window
        cuts.append(_landmark(text, target - reach, target))
    cuts.append(len(text))
    return cuts


def _landmark(text: str, lo: int, hi: int) -> int:
    """The cut in (lo, hi]: after the space or line break whose next characters hash lowest.

    The last of equal hashes is taken, so a repeated stretch always gives the latest of
    its equal points; with no space in reach, `hi` itself.
    """
    best: int | None = None
    cut = hi
    for found in _BREAK.finditer(text, lo, hi):
        after = found.end()
        key = hash(text[after : after + _CUT_KEY])
        if best is None or key <= best:
            best, cut = key, after
    return cut


def screen_rules(text: str, *, lexicon: Lexicon | None = None) -> Verdict:
    """The rules' verdict alone, without the learned net: for training and measuring the net.

    Unlike `screen` it raises on an internal failure; callers never route a call by it.
    """
    return _rules(text, lexicon if lexicon is not None else default_lexicon())


def _rules(text: str, lexicon: Lexicon) -> Verdict:
    """The rules' verdict: one window at a time, one pass over the text."""
    return _screen(text, lexicon)


def _outermost(hits: list[Span]) -> list[Span]:
    """Hits (key, first, last) in text order, dropping any another of the same rule contains."""
    ordered = sorted(hits, key=lambda h: (h[1], -h[2]))
    reach: dict[int, int] = {}
    kept: list[Span] = []
    for hit in ordered:
        key, _, last = hit
        if reach.get(key, -1) >= last:
            continue
        reach[key] = max(reach.get(key, -1), last)
        kept.append(hit)
    return kept


class _RuleRecord:
    """What one rule has shown so far: its matches kept, and the routes and experiencers seen."""

    __slots__ = ("best", "ceiling", "count", "seen")

    def __init__(self, ceiling: Route) -> None:
        self.ceiling = ceiling
        self.best = Route.ROUTINE
        self.count = 0
        self.seen: set[tuple[Route, Experiencer]] = set()

    def settled(self, bound: Route, experiencer: Experiencer) -> bool:
        """Whether a match routed at most `bound`, about `experiencer`, can change nothing.

        It cannot when the rule already reached a higher route, or this route with the
        same experiencer (the verdict's experiencer is read among the deciding matches).
        """
        if bound.severity < self.best.severity:
            return True
        return bound is self.best and (bound, experiencer) in self.seen


def _outranked(bound: Route, top: Route, top_self: bool) -> bool:
    """Whether a match routed at most `bound` can change neither route nor experiencer."""
    return bound.severity < top.severity or (bound is top and top_self)


def _screen(
    text: str, lexicon: Lexicon, window: int = WINDOW_CHARS, search: int = CUT_SEARCH
) -> Verdict:
    """The rules' verdict of `text`, read `window` characters at a time in one pass."""
    state = _Pass(text, lexicon)
    for own_start, own_end in itertools.pairwise(_cuts(text, window, search)):
        state.window(own_start, own_end)
    return _verdict(state.matches, lexicon)


class _Pass:
    """One pass of the rules over a text, fed one window at a time.

    A window owns the characters between two cuts and is read with `WINDOW_OVERLAP`
    characters either side, so each match starting in what it owns is read with the words
    around it. Everything the pass has learnt is kept from window to window: each rule's
    record, the verdict so far, the readings, and where risk was spoken (in the window's
    token positions, moved to the next window's as it starts).

    A rule that can no longer change anything is left out of the scan of later windows
    (`_dead`): the matches the pass keeps, and so its verdict, are the same either way.

    A window that keeps no match changes nothing but where risk was spoken: every other part
    of the state moves only when a match is kept. So such a window is remembered by its
    text, the rules left out, the matches kept so far and where risk was spoken as it began,
    and met again from that same state (a flood of one phrase, cut alike by `_cuts`) it is
    not read again: where risk was spoken is set as the first reading left it.
    """

    __slots__ = (
        "asked",
        "dropped",
        "found",
        "lexicon",
        "matches",
        "quiet",
        "readings",
        "records",
        "spoken",
        "stop",
        "text",
        "top",
        "top_self",
    )

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        # A reading depends only on the tokens within `horizon` of its match, so a repeated
        # stretch of text is read once: long or adversarial input stays cheap.
        self.readings: dict[tuple[object, ...], Reading] = {}
        self.records: dict[int, _RuleRecord] = {}
        self.matches: list[Match] = []
        # The verdict so far: the top live route, whether the caller is its subject, and the
        # categories found. A match that cannot beat them, in a known category, is skipped.
        self.top, self.top_self = Route.ROUTINE, False
        self.found: set[Category] = set()
        # Whether a match kept so far asks the direct question (see `_asks`).
        self.asked = False
        # Where risk a `refers` match ("do it tonight") can point back to ended, sorted; those
        # too far behind every later match are dropped as the scan moves on.
        self.spoken: list[int] = []
        # The token where the last window's own characters ended, in that window.
        self.stop = 0
        # Rules no longer scanned for (see `_dead`).
        self.dropped: frozenset[int] = frozenset()
        # Windows that kept no match, by their text and the pass's state as they began,
        # with where risk was spoken as they ended: the same window read from the same
        # state does the same again, so a text that repeats itself is read once.
        self.quiet: dict[tuple[object, ...], tuple[int, ...]] = {}

    def window(self, own_start: int, own_end: int) -> None:
        """Read the matches starting in characters [own_start, own_end) of the text."""
        text = self.text
        lo = max(0, own_start - WINDOW_OVERLAP)
        hi = min(len(text), own_end + WINDOW_OVERLAP)
        piece = text[lo:hi] if lo or hi < len(text) else text
        # Where risk was spoken, in tokens from this window's own start (the last's stop).
        before = tuple(end - self.stop for end in self.spoken)
        quiet_key = (piece, own_start - lo, own_end - lo, self.dropped, len(self.matches), before)
        after = self.quiet.get(quiet_key)
        if after is not None:
            self.spoken, self.stop = list(after), 0
            return
        tokens = self.lexicon.normalizer.tokens(piece)
        first = tokens.index_at(own_start - lo) if own_start > lo else 0
        stop = tokens.index_at(own_end - lo) if own_end < hi else len(tokens)
        self.spoken = [end + first for end in before]
        self.stop = stop
        # Every hit starting in the owned tokens, and any of its rule's that may contain it.
        matcher = self.lexicon.matcher.without(self.dropped)
        reach = matcher.max_span
        hits = matcher.spans(tokens, first - 2 * reach, stop + reach)
        owned = [h for h in _outermost(hits) if first <= h[1] < stop]
        kept = len(self.matches)
        if owned:
            self._read(tokens, owned, lo)
            if own_end < len(text):
                self.dropped = self._dead()
        if len(self.matches) == kept and hi - lo < len(text):
            # Nothing kept: the window changed only where risk was spoken, and the same
            # window read from the same point will do just that again.
            if len(self.quiet) >= _QUIET_LIMIT:
                self.quiet.clear()
            self.quiet[quiet_key] = tuple(end - stop for end in self.spoken)

    def _dead(self) -> frozenset[int]:
        """Rules whose later matches can change nothing the pass keeps.

        A rule is settled for good once it has `MATCHES_PER_RULE` matches, its category is
        found and its highest route cannot beat the verdict so far, and it cannot be the
        first to ask the direct question: every later match of it is then skipped whatever
        its context (the route so far only rises). Such a match
        still marks where risk was spoken, for a later `refers` match ("do it tonight"), if
        the rule has reached a crisis route in a risk category; those rules are left out
        only once every `refers` rule is settled too.
        """
        entries = self.lexicon.entries
        settled = {
            key
            for key, record in self.records.items()
            if record.count >= MATCHES_PER_RULE
            and entries[key].category in self.found
            and _outranked(record.ceiling, self.top, self.top_self)
            and not (entries[key].ask and not self.asked and not self.top.is_crisis)
        }
        if not all(key in settled for key, entry in enumerate(entries) if entry.refers):
            settled = {
                key
                for key in settled
                if not (
                    self.records[key].best.is_crisis and entries[key].category in _RISK_CATEGORIES
                )
            }
        return frozenset(settled)

    def _read(self, tokens: Tokens, hits: list[Span], offset: int) -> None:
        """Read `hits` (in text order) of a window starting at character `offset`."""
        lexicon = self.lexicon
        spans = [(first, last) for _, first, last in hits]
        context = lexicon.context
        cues = context.scan(tokens, spans)
        idioms = find_idioms(lexicon, tokens, spans)
        words = tokens.text
        text = self.text
        horizon = context.horizon
        readings = self.readings
        records = self.records
        matches = self.matches
        found = self.found
        spoken = self.spoken
        top, top_self = self.top, self.top_self
        asked = self.asked
        antecedent = context.windows.antecedent
        for key, first, last in hits:
            entry = lexicon.entries[key]
            del spoken[: bisect.bisect_left(spoken, first - antecedent)]
            if entry.refers and not (spoken and spoken[0] <= first):
                continue  # "it" names no risk said before: "can we do it tomorrow"
            record = records.get(key)
            if record is None:
                ceiling = Route.EMERGENCY if entry.route.is_crisis else entry.route
                record = records[key] = _RuleRecord(ceiling)
            idiom = idioms.over(first, last)
            # A match that may be the first to ask the direct question is read whatever its
            # route: "I used to feel hopeless" many times, then "I feel hopeless", asks.
            open_question = entry.ask and not asked and not top.is_crisis
            if record.count >= MATCHES_PER_RULE:
                if idiom is not None:
                    continue  # an excused match never moves the verdict
                if record.best.is_crisis and entry.category in _RISK_CATEGORIES:
                    bisect.insort(spoken, last)
                known = entry.category in found and not open_question
                if known and _outranked(record.ceiling, top, top_self):
                    continue
                bound = record.ceiling
                if entry.route.is_crisis and not context.may_be_immediate(
                    tokens, first, last, cues, entry.acuity
                ):
                    bound = entry.route
                if known and _outranked(bound, top, top_self):
                    continue
                if not open_question and record.settled(
                    bound, context.experiencer(tokens, first, last)
                ):
                    continue
            lo = max(0, first - horizon)
            window = (
                key,
                first - lo,
                last - lo,
                *words[lo : last + horizon],
                *(i - first for i in range(first, last) if i in tokens.corrected),
                # Commas may end a clause: where they fall is part of what is read.
                *(
                    (",", *(i - first for i in tokens.pauses_in(lo, last + horizon)))
                    if tokens.pauses
                    else ()
                ),
            )
            reading = readings.get(window)
            if reading is None:
                reading = context.read(
                    tokens,
                    first,
                    last,
                    cues,
                    staff_route=entry.route.is_staff_only,
                    acuity=entry.acuity,
                    strict_recency=entry.category is Category.MEDICAL_EMERGENCY,
                )
                if len(readings) >= _READINGS_LIMIT:
                    readings.clear()
                readings[window] = reading
            if idiom is not None:
                route = Route.ROUTINE
                modifiers = (*reading.modifiers, Modifier.IDIOM)
                # The errand is excused, not the means said with it: an act named later
                # ("then I'll take them all", even one this match spans) may still point
                # back at the means, which is said where the match starts.
                if (
                    idiom.antecedent
                    and entry.category in _RISK_CATEGORIES
                    and effective_route(entry.route, reading).is_crisis
                ):
                    bisect.insort(spoken, first)
            else:
                route = effective_route(entry.route, reading)
                modifiers = reading.modifiers
                shown = (route, reading.experiencer)
                asks = entry.ask and _asking(reading.modifiers, reading.experiencer)
                if (
                    record.count >= MATCHES_PER_RULE
                    and not (open_question and asks)
                    and (route.severity < record.best.severity or shown in record.seen)
                ):
                    continue
                asked = asked or asks
                record.seen.add(shown)
                if route.severity > record.best.severity:
                    record.best = route
                found.add(entry.category)
                if (route.is_crisis and entry.category in _RISK_CATEGORIES) or (
                    entry.ask
                    and entry.construct in _SUICIDE_RISK
                    and _asking(reading.modifiers, reading.experiencer)
                ):
                    bisect.insort(spoken, last)
                if route.severity > top.severity:
                    top, top_self = route, False
                if route is top and reading.experiencer is Experiencer.SELF:
                    top_self = True
            record.count += 1
            start, end = tokens.span(first)[0], tokens.span(last - 1)[1]
            start, end = start + offset, end + offset
            matches.append(
                Match(
                    rule=entry.id,
                    phrase=text[start:end],
                    start=start,
                    end=end,
                    modifiers=modifiers,
                    route=route,
                    category=entry.category,
                    cssrs_level=entry.cssrs_level,
                    base_route=entry.route,
                    idiom=idiom.id if idiom is not None else None,
                    experiencer=reading.experiencer,
                )
            )
        self.top, self.top_self = top, top_self
        self.asked = asked


def _verdict(matches: list[Match], lexicon: Lexicon) -> Verdict:
    """The verdict of matches in text order: the most severe live route decides."""
    if not matches:
        return Verdict(Route.ROUTINE, (), (), Experiencer.UNKNOWN, lexicon.version)
    live = [m for m in matches if m.idiom is None]
    route = most_severe(m.route for m in live)
    categories: list[Category] = []
    for m in live:
        if m.category not in categories:
            categories.append(m.category)
    deciding = {m.experiencer for m in live if m.route is route}
    if Experiencer.SELF in deciding:
        experiencer = Experiencer.SELF
    elif Experiencer.OTHER in deciding:
        experiencer = Experiencer.OTHER
    else:
        experiencer = Experiencer.UNKNOWN
    check = not route.is_crisis and any(_asks(m, lexicon) for m in live)
    return Verdict(
        route, tuple(categories), tuple(matches), experiencer, lexicon.version, safety_check=check
    )


_UNASKED = frozenset({Modifier.NEGATION, Modifier.HISTORICAL, Modifier.HYPOTHETICAL})

# What a later "do it" can point back to: a crisis match of suicide, self-harm or an
# overdose, or a question-raising match of a suicide-risk construct (not hopelessness,
# entrapment or a loss on their own).
_RISK_CATEGORIES = frozenset({Category.SUICIDAL_IDEATION, Category.SELF_HARM, Category.OVERDOSE})
_SUICIDE_RISK = frozenset(
    {"passive_ideation", "active_ideation", "lethal_means", "self_injury", "other_suicidal"}
)


def _asking(modifiers: tuple[Modifier, ...], experiencer: Experiencer) -> bool:
    """Whether a match of an `ask` entry read this way asks: not someone else's, nor denied."""
    return experiencer is not Experiencer.OTHER and _UNASKED.isdisjoint(modifiers)


def _asks(match: Match, lexicon: Lexicon) -> bool:
    """Whether a live match leaves risk possible but not clear, so the caller is asked.

    A match of an `ask` entry does, unless it is about someone else, negated, past or
    hypothetical.
    """
    return _asking(match.modifiers, match.experiencer) and lexicon.entry(match.rule).ask
