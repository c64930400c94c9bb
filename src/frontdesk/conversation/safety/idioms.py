"""The idiom allow-list, applied after matching: "this traffic is killing me" is not a crisis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import Idiom, Lexicon
from .normalize import Tokens

# Idioms may start this many tokens before the match they excuse.
_IDIOM_REACH = 12


@dataclass(frozen=True, slots=True)
class IdiomSpan:
    """An idiom found on tokens [first, last)."""

    idiom: Idiom
    first: int
    last: int


def find_idioms(
    lexicon: Lexicon, tokens: Tokens, spans: Sequence[tuple[int, int]]
) -> list[IdiomSpan]:
    """Every allow-listed idiom overlapping the matches on token ranges `spans`."""
    found: list[IdiomSpan] = []
    for first, last in spans:
        for hit in lexicon.idiom_matcher.scan(tokens, first - _IDIOM_REACH, last):
            if hit.first < last and first < hit.last:
                found.append(IdiomSpan(lexicon.idioms[hit.key], hit.first, hit.last))
    return found


def covering_idiom(spans: Sequence[IdiomSpan], first: int, last: int) -> Idiom | None:
    """The idiom overlapping a match on tokens [first, last), if any."""
    for span in spans:
        if span.first < last and first < span.last:
            return span.idiom
    return None
