"""Word-sequence patterns, the small language the JSON lexicons are written in.

A pattern is words separated by spaces. A word may list alternatives ("son|daughter"),
"*" matches exactly one word and "~" zero to three words; a leading "^" anchors the
pattern to the start of the utterance (its first or second word) and a trailing "$" to
its end. Matching is on whole words of
the normalised utterance, so "no" never matches inside "know".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

_GAP = 3
_WILD = frozenset({"*", "~"})


@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled phrase; `source` is the text it was written as."""

    source: str
    parts: tuple[frozenset[str], ...]
    anchored: bool = False
    whole: bool = False  # must reach the end of the utterance
    lead: tuple[str, ...] = ()  # the words a match can start with; () when any word can

    def find(self, tokens: Sequence[str]) -> tuple[int, int] | None:
        """The first (start, end) token span this pattern matches, or None."""
        every = range(min(2, len(tokens))) if self.anchored else range(len(tokens))
        starts = self._lead_positions(tokens, every) if self.lead else every
        for start in starts:
            end = _match(self.parts, 0, tokens, start)
            if end is not None and (not self.whole or end == len(tokens)):
                return start, end
        return None

    def _lead_positions(self, tokens: Sequence[str], starts: range) -> Sequence[int]:
        """Positions, in order, where the first word of the pattern is said."""
        where = positions(tokens)
        if len(self.lead) == 1:
            found: Sequence[int] = where.get(self.lead[0], ())
        else:
            found = sorted(i for word in self.lead for i in where.get(word, ()))
        return [i for i in found if i < starts.stop] if self.anchored else found


def positions(tokens: Sequence[str]) -> Mapping[str, tuple[int, ...]]:
    """Where each word occurs in `tokens`, shared by every pattern tried on one utterance."""
    if isinstance(tokens, tuple):
        return _positions(tokens)
    return _index(tokens)


@lru_cache(maxsize=4)
def _positions(tokens: tuple[str, ...]) -> Mapping[str, tuple[int, ...]]:
    return _index(tokens)


def _index(tokens: Sequence[str]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        found.setdefault(token, []).append(i)
    return {token: tuple(where) for token, where in found.items()}


def compile_pattern(source: str) -> Pattern:
    """A pattern from its written form ("cancel ~ appointment|session")."""
    anchored, whole = source.startswith("^"), source.endswith("$")
    words = source.removeprefix("^").removesuffix("$").split()
    parts = tuple(frozenset(word.split("|")) for word in words)
    lead = tuple(sorted(parts[0])) if parts and not parts[0] & _WILD else ()
    return Pattern(source, parts, anchored, whole, lead)


def compile_all(sources: Iterable[str]) -> tuple[Pattern, ...]:
    return tuple(compile_pattern(s) for s in sources)


def first(patterns: Iterable[Pattern], tokens: Sequence[str]) -> tuple[int, int] | None:
    """The earliest span any of the patterns matches, or None."""
    spans = [span for p in patterns if (span := p.find(tokens)) is not None]
    return min(spans) if spans else None


def _match(parts: tuple[frozenset[str], ...], k: int, tokens: Sequence[str], i: int) -> int | None:
    """End index when parts[k:] match tokens from i, trying short gaps first."""
    if k == len(parts):
        return i
    part = parts[k]
    if "~" in part:
        for skip in range(_GAP + 1):
            if i + skip > len(tokens):
                break
            end = _match(parts, k + 1, tokens, i + skip)
            if end is not None:
                return end
        return None
    if i >= len(tokens):
        return None
    if "*" in part or tokens[i] in part:
        return _match(parts, k + 1, tokens, i + 1)
    return None
