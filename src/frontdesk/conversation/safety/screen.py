"""The screen itself: normalise, match, read the context, apply idioms, decide."""

from __future__ import annotations

import logging

from frontdesk.domain.calls import Route, most_severe

from .context import Reading, effective_route
from .idioms import find_idioms
from .lexicon import Lexicon, default_lexicon
from .matcher import Hit
from .verdict import SCREEN_ERROR, Category, Experiencer, Match, Modifier, Verdict

logger = logging.getLogger(__name__)

# Matches kept per rule before the screen keeps only those that say something new: a
# route or an experiencer that rule has not shown yet. The verdict is the same either way.
MATCHES_PER_RULE = 25


def screen(text: str, *, lexicon: Lexicon | None = None) -> Verdict:
    """Screen one caller utterance; any internal failure escalates to `crisis`."""
    version = "unknown"
    try:
        chosen = lexicon if lexicon is not None else default_lexicon()
        version = chosen.version
        return _screen(text, chosen)
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


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Hits in text order, dropping any that another hit of the same rule contains."""
    ordered = sorted(hits, key=lambda h: (h.first, -h.last))
    reach: dict[int, int] = {}
    kept: list[Hit] = []
    for hit in ordered:
        if reach.get(hit.key, -1) >= hit.last:
            continue
        reach[hit.key] = max(reach.get(hit.key, -1), hit.last)
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


def _screen(text: str, lexicon: Lexicon) -> Verdict:
    tokens = lexicon.normalizer.tokens(text)
    hits = lexicon.matcher.scan(tokens)
    if not hits:
        return Verdict(Route.ROUTINE, (), (), Experiencer.UNKNOWN, lexicon.version)
    spans = [(h.first, h.last) for h in hits]
    context = lexicon.context
    cues = context.scan(tokens, spans)
    idioms = find_idioms(lexicon, tokens, spans)
    words = tokens.text
    horizon = context.horizon
    # A reading depends only on the tokens within `horizon` of its match, so a repeated
    # stretch of text is read once: long or adversarial input stays cheap.
    readings: dict[tuple[object, ...], Reading] = {}
    records: dict[int, _RuleRecord] = {}
    matches: list[Match] = []
    # The verdict so far: the top live route, whether the caller is its subject, and the
    # categories found. A match that cannot beat them, in a known category, is skipped.
    top, top_self = Route.ROUTINE, False
    found: set[Category] = set()
    for hit in _outermost(hits):
        entry = lexicon.entries[hit.key]
        record = records.get(hit.key)
        if record is None:
            ceiling = Route.EMERGENCY if entry.route.is_crisis else entry.route
            record = records[hit.key] = _RuleRecord(ceiling)
        idiom = idioms.over(hit.first, hit.last)
        if record.count >= MATCHES_PER_RULE:
            if idiom is not None:
                continue  # an excused match never moves the verdict
            known = entry.category in found
            if known and _outranked(record.ceiling, top, top_self):
                continue
            bound = record.ceiling
            if entry.route.is_crisis and not context.may_be_immediate(
                tokens, hit.first, hit.last, cues, entry.acuity
            ):
                bound = entry.route
            if known and _outranked(bound, top, top_self):
                continue
            if record.settled(bound, context.experiencer(tokens, hit.first, hit.last)):
                continue
        lo = max(0, hit.first - horizon)
        window = (
            hit.key,
            hit.first - lo,
            hit.last - lo,
            *words[lo : hit.last + horizon],
            *(i - hit.first for i in range(hit.first, hit.last) if i in tokens.corrected),
        )
        reading = readings.get(window)
        if reading is None:
            reading = context.read(
                tokens,
                hit.first,
                hit.last,
                cues,
                staff_route=entry.route.is_staff_only,
                acuity=entry.acuity,
            )
            readings[window] = reading
        if idiom is not None:
            route = Route.ROUTINE
            modifiers = (*reading.modifiers, Modifier.IDIOM)
        else:
            route = effective_route(entry.route, reading)
            modifiers = reading.modifiers
            shown = (route, reading.experiencer)
            if record.count >= MATCHES_PER_RULE and (
                route.severity < record.best.severity or shown in record.seen
            ):
                continue
            record.seen.add(shown)
            if route.severity > record.best.severity:
                record.best = route
            found.add(entry.category)
            if route.severity > top.severity:
                top, top_self = route, False
            if route is top and reading.experiencer is Experiencer.SELF:
                top_self = True
        record.count += 1
        start, end = tokens.span(hit.first)[0], tokens.span(hit.last - 1)[1]
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


def _asks(match: Match, lexicon: Lexicon) -> bool:
    """Whether a live match leaves risk possible but not clear, so the caller is asked.

    A match of an `ask` entry does, unless it is about someone else, negated, past or
    hypothetical.
    """
    if match.experiencer is Experiencer.OTHER or _UNASKED.intersection(match.modifiers):
        return False
    return lexicon.entry(match.rule).ask
