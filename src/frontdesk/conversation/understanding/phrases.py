"""Word-sequence patterns, the small language the JSON lexicons are written in.

A pattern is words separated by spaces. A word may list alternatives ("son|daughter"),
"*" matches exactly one word and "~" zero to three words; a leading "^" anchors the
pattern to the start of the utterance (its first or second word) and a trailing "$" to
its end. Matching is on whole words of
the normalised utterance, so "no" never matches inside "know".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_GAP = 3


@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled phrase; `source` is the text it was written as."""

    source: str
    parts: tuple[frozenset[str], ...]
    anchored: bool = False
    whole: bool = False  # must reach the end of the utterance

    def find(self, tokens: Sequence[str]) -> tuple[int, int] | None:
        """The first (start, end) token span this pattern matches, or None."""
        starts = range(min(2, len(tokens))) if self.anchored else range(len(tokens))
        for start in starts:
            end = _match(self.parts, 0, tokens, start)
            if end is not None and (not self.whole or end == len(tokens)):
                return start, end
        return None


def compile_pattern(source: str) -> Pattern:
    """A pattern from its written form ("cancel ~ appointment|session")."""
    anchored, whole = source.startswith("^"), source.endswith("$")
    words = source.removeprefix("^").removesuffix("$").split()
    parts = tuple(frozenset(word.split("|")) for word in words)
    return Pattern(source, parts, anchored, whole)


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
