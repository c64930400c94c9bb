"""Speech-to-text normalisation that remembers where every token came from.

The screen matches on lower-case word tokens with apostrophes, fillers, stutters and
contractions smoothed out, slang expanded and plausible misspellings of trigger words
corrected; each token keeps the character span of the caller's raw text it stands for, so
verdicts point at what the caller actually said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)*|[.!?;\n]")
_BREAK_CHARS = frozenset(".!?;\n")
_HYPHEN_FOLLOWERS = frozenset(" \t,")
_FUZZY_MIN_LENGTH = 5
_FUZZY_CACHE_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised word and the raw character span it came from."""

    text: str
    start: int
    end: int
    sentence: int
    clause: int
    corrected: bool = False


def _lower_keeping_offsets(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lower-case to two; keep them as they are so offsets stay aligned.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _deletions(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1 :] for i in range(len(word)))


class Normalizer:
    """Turns raw caller text into `Token`s; built once per lexicon from its data file."""

    __slots__ = (
        "_clause_breaks",
        "_contractions",
        "_deletes",
        "_expansions",
        "_fillers",
        "_fuzzy_cache",
        "_known",
        "_misspellings",
        "_protected",
        "_targets",
    )

    def __init__(
        self,
        *,
        fillers: Iterable[str],
        contractions: Mapping[str, str],
        expansions: Mapping[str, str],
        misspellings: Mapping[str, str],
        fuzzy_targets: Iterable[str],
        protected: Iterable[str],
        clause_breaks: Iterable[str],
        known_words: Iterable[str] = (),
    ) -> None:
        self._fillers = frozenset(fillers)
        self._contractions = {
            k.replace("’", "'"): tuple(v.split()) for k, v in contractions.items()
        }
        self._expansions = {k: tuple(v.split()) for k, v in expansions.items()}
        self._misspellings = dict(misspellings)
        self._targets = frozenset(fuzzy_targets)
        self._protected = frozenset(protected)
        self._clause_breaks = frozenset(clause_breaks)
        self._known = frozenset(known_words) | self._targets | self._protected
        deletes: dict[str, str | None] = {}
        for target in sorted(self._targets):
            for variant in _deletions(target):
                if variant in deletes and deletes[variant] != target:
                    deletes[variant] = None  # ambiguous: correct to neither
                else:
                    deletes[variant] = target
        self._deletes = deletes
        self._fuzzy_cache: dict[str, str | None] = {}

    def correct(self, word: str) -> str | None:
        """The trigger word `word` is one edit away from, or `None`."""
        cached = self._fuzzy_cache.get(word, "")
        if cached != "":
            return cached
        found = self._correct_uncached(word)
        if len(self._fuzzy_cache) >= _FUZZY_CACHE_LIMIT:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = found
        return found

    def _correct_uncached(self, word: str) -> str | None:
        if len(word) < _FUZZY_MIN_LENGTH or word in self._known or not word.isalpha():
            return None
        candidates: list[str | None] = [self._deletes.get(word)]
        for variant in _deletions(word):
            if variant in self._targets:
                candidates.append(variant)
            candidates.append(self._deletes.get(variant))
        for candidate in candidates:
            if candidate is not None and candidate[0] == word[0]:
                return candidate
        return None

    def tokens(self, text: str) -> list[Token]:
        """Normalised tokens of `text`, each with its raw character span."""
        lowered = _lower_keeping_offsets(text)
        size = len(lowered)
        out: list[Token] = []
        sentence = 0
        clause = 0
        previous = ""
        for found in _TOKEN.finditer(lowered):
            word = found.group()
            start, end = found.span()
            if word in _BREAK_CHARS:
                sentence += 1
                clause += 1
                previous = ""
                continue
            if self._is_cut_off(lowered, word, end, size):
                continue
            for piece, corrected in self._pieces(word):
                if piece in self._clause_breaks:
                    clause += 1
                    previous = ""
                    continue
                if piece == previous:
                    continue  # "i i want": stutters collapse
                previous = piece
                out.append(Token(piece, start, end, sentence, clause, corrected))
        return out

    @staticmethod
    def _is_cut_off(lowered: str, word: str, end: int, size: int) -> bool:
        """A start cut off with a hyphen that the next word completes ("w- want")."""
        if end >= size or lowered[end] != "-":
            return False
        if end + 1 < size and lowered[end + 1] not in _HYPHEN_FOLLOWERS:
            return False
        following = _TOKEN.search(lowered, end)
        if following is None:
            return False
        nxt = following.group()
        return len(nxt) > len(word) and nxt.startswith(word)

    def _pieces(self, word: str) -> Iterable[tuple[str, bool]]:
        if "'" in word or "’" in word:
            key = word.replace("’", "'")
            expanded = self._contractions.get(key)
            if expanded is not None:
                return ((p, False) for p in expanded)
            word = key[:-2] if key.endswith("'s") else key.replace("'", "")
        if word in self._fillers:
            return ()
        expanded = self._expansions.get(word)
        if expanded is not None:
            return ((p, False) for p in expanded)
        fixed = self._misspellings.get(word)
        if fixed is not None:
            return ((p, True) for p in fixed.split())
        corrected = self.correct(word)
        if corrected is not None:
            return ((corrected, True),)
        return ((word, False),)
