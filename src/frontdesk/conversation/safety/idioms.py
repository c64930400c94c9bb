"""The idiom allow-list, applied after matching: "this traffic is killing me" is not a crisis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import Idiom, Lexicon
from .normalize import Token


@dataclass(frozen=True, slots=True)
class IdiomSpan:
    """An idiom found on tokens [first, last)."""

    idiom: Idiom
    first: int
    last: int


def find_idioms(lexicon: Lexicon, tokens: Sequence[Token]) -> list[IdiomSpan]:
    """Every allow-listed idiom in an utterance."""
    return [
        IdiomSpan(lexicon.idioms[h.key], h.first, h.last)
        for h in lexicon.idiom_matcher.scan(tokens)
    ]


def covering_idiom(spans: Sequence[IdiomSpan], first: int, last: int) -> Idiom | None:
    """The idiom overlapping a match on tokens [first, last), if any."""
    for span in spans:
        if span.first < last and first < span.last:
            return span.idiom
    return None
