"""The idiom allow-list, applied after matching: "this traffic is killing me" is not a crisis."""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import Idiom, Lexicon
from .matcher import merge_windows
from .normalize import Tokens

# Idioms may start this many tokens before the match they excuse.
_IDIOM_REACH = 12


class IdiomCover:
    """Which tokens of an utterance lie inside an allow-listed idiom, and which idiom."""

    __slots__ = ("_at",)

    def __init__(self) -> None:
        self._at: dict[int, Idiom] = {}

    def cover(self, idiom: Idiom, first: int, last: int) -> None:
        """Mark tokens [first, last) as part of `idiom` (the first idiom found wins)."""
        for index in range(first, last):
            self._at.setdefault(index, idiom)

    def over(self, first: int, last: int) -> Idiom | None:
        """The idiom overlapping a match on tokens [first, last), if any.

        A match that only touches an idiom's last word and goes on past it ("killing me,
        me quiero matar" once the repeated "me" is one word) is not excused by it. Nor is a
        match that ends on the first word of an idiom that excuses what is said with a
        means (`Idiom.antecedent`), the means itself: "stockpiling pills" stays risk in "I've
        been stockpiling pills and I'm going to the store".
        """
        for index in range(first, last):
            idiom = self._at.get(index)
            if idiom is None:
                continue
            # The match's first word is the idiom's last, and the match goes on past it.
            edge = index == first and last - first > 1 and self._at.get(first - 1) is idiom
            if edge and self._at.get(first + 1) is not idiom:
                continue
            # The match comes to the means from before it and stops there.
            if (
                idiom.antecedent
                and index == last - 1
                and index > first
                and self._at.get(index - 1) is not idiom
            ):
                continue
            return idiom
        return None


def find_idioms(lexicon: Lexicon, tokens: Tokens, spans: Sequence[tuple[int, int]]) -> IdiomCover:
    """Every allow-listed idiom near the matches on token ranges `spans`.

    Overlapping reaches are merged first, so each stretch of text is scanned once however
    many matches it holds.
    """
    cover = IdiomCover()
    for lo, hi in merge_windows(spans, before=_IDIOM_REACH, after=0):
        for key, first, last in lexicon.idiom_matcher.spans(tokens, lo, hi):
            cover.cover(lexicon.idioms[key], first, last)
    return cover
