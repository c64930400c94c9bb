"""The screen itself: normalise, match, read the context, apply idioms, decide."""

from __future__ import annotations

import logging

from frontdesk.domain.calls import Route, most_severe

from .context import effective_route
from .idioms import find_idioms
from .lexicon import Lexicon, default_lexicon
from .matcher import Hit
from .verdict import SCREEN_ERROR, Category, Experiencer, Match, Modifier, Verdict

logger = logging.getLogger(__name__)


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


def _screen(text: str, lexicon: Lexicon) -> Verdict:
    tokens = lexicon.normalizer.tokens(text)
    hits = lexicon.matcher.scan(tokens)
    if not hits:
        return Verdict(Route.ROUTINE, (), (), Experiencer.UNKNOWN, lexicon.version)
    spans = [(h.first, h.last) for h in hits]
    cues = lexicon.context.scan(tokens, spans)
    idioms = find_idioms(lexicon, tokens, spans)
    matches: list[Match] = []
    for hit in _outermost(hits):
        entry = lexicon.entries[hit.key]
        reading = lexicon.context.read(
            tokens, hit.first, hit.last, cues, staff_route=entry.route.is_staff_only
        )
        start, end = tokens.span(hit.first)[0], tokens.span(hit.last - 1)[1]
        idiom = idioms.over(hit.first, hit.last)
        if idiom is not None:
            route = Route.ROUTINE
            modifiers = (*reading.modifiers, Modifier.IDIOM)
        else:
            route = effective_route(entry.route, reading)
            modifiers = reading.modifiers
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
    return Verdict(route, tuple(categories), tuple(matches), experiencer, lexicon.version)
