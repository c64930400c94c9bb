"""Speech-to-text normalisation that remembers where every token came from.

The screen matches on lower-case word tokens with apostrophes, fillers, stutters and
contractions smoothed out, slang expanded and plausible misspellings of trigger words
corrected; each token keeps the character span of the caller's raw text it stands for, so
verdicts point at what the caller actually said.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping

# A word (with inner apostrophes, and a trailing hyphen when a word was cut off), or a
# sentence-ending character.
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)*(?:-(?![a-z0-9]))?|[.!?;\n]")
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_BREAK_CHARS = frozenset(".!?;\n")
SENTENCE_BREAK = "."
CLAUSE_BREAK = ","
BREAKS = frozenset((SENTENCE_BREAK, CLAUSE_BREAK))
_FUZZY_MIN_LENGTH = 6
_CACHE_LIMIT = 50_000


class Tokens:
    """Normalised words of one utterance, cheap to build and to scan.

    `text[i]` is the i-th word, or a break marker: `"."` ends a sentence, `","` a clause;
    no pattern matches a marker and no gap crosses one. `span(i)` is the raw character span
    a word came from; `corrected` holds the indices of spelling corrections.
    """

    __slots__ = ("_offsets", "_parts", "corrected", "origin", "text")

    def __init__(self, parts: list[str]) -> None:
        # Separators and words alternate: parts[2k + 1] is raw word k.
        self._parts = parts
        self._offsets: list[int] | None = None
        self.text: list[str] = []
        self.origin: list[int] = []
        self.corrected: set[int] = set()

    def __len__(self) -> int:
        return len(self.text)

    def span(self, index: int) -> tuple[int, int]:
        """Raw character offsets of the word at `index` (offsets are summed on first use)."""
        if self._offsets is None:
            self._offsets = list(itertools.accumulate(map(len, self._parts)))
        raw = self.origin[index]
        start, end = self._offsets[2 * raw], self._offsets[2 * raw + 1]
        if self._parts[2 * raw + 1][-1] == "-":
            end -= 1
        return start, end

    def same_clause(self, a: int, b: int) -> bool:
        """Whether no break marker lies between tokens `a` and `b`."""
        lo, hi = (a, b) if a <= b else (b, a)
        words = self.text
        return all(words[i] not in BREAKS for i in range(lo, hi + 1))

    def same_sentence(self, a: int, b: int) -> bool:
        """Whether no sentence marker lies between tokens `a` and `b`."""
        lo, hi = (a, b) if a <= b else (b, a)
        words = self.text
        return all(words[i] != SENTENCE_BREAK for i in range(lo, hi + 1))


def _lower_keeping_offsets(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lower-case to two; keep them as they are so offsets stay aligned.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _deletions(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1 :] for i in range(len(word)))


class Normalizer:
    """Turns raw caller text into `Tokens`; built once per lexicon from its data file."""

    __slots__ = (
        "_clause_breaks",
        "_contractions",
        "_deletes",
        "_expansions",
        "_fillers",
        "_fuzzy_cache",
        "_known",
        "_misspellings",
        "_pieces_cache",
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
        self._pieces_cache: dict[str, tuple[tuple[str, bool], ...]] = {}

    def correct(self, word: str) -> str | None:
        """The trigger word `word` is one edit away from, or `None`."""
        cached = self._fuzzy_cache.get(word, "")
        if cached != "":
            return cached
        found = self._correct_uncached(word)
        if len(self._fuzzy_cache) >= _CACHE_LIMIT:
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

    def tokens(self, text: str) -> Tokens:
        """Normalised tokens of `text`, each traceable to its raw character span."""
        lowered = _lower_keeping_offsets(text)
        parts = _SPLIT.split(lowered)
        raw = parts[1::2]
        out = Tokens(parts)
        words, origin = out.text, out.origin
        pieces_of = self._pieces_cache
        previous = SENTENCE_BREAK
        for index, word in enumerate(raw):
            pieces = pieces_of.get(word)
            if pieces is None:
                if word[-1] == "-":
                    # "w- want": a start cut off and completed by the next word is dropped.
                    following = raw[index + 1] if index + 1 < len(raw) else ""
                    stem = word[:-1]
                    if len(following) > len(stem) and following.startswith(stem):
                        continue
                    pieces = self._pieces(stem)
                else:
                    pieces = self._pieces(word)
                    if len(pieces_of) >= _CACHE_LIMIT:
                        pieces_of.clear()
                    pieces_of[word] = pieces
            for piece, corrected in pieces:
                if piece == previous:
                    continue  # "i i want": stutters collapse; breaks never repeat
                previous = piece
                if corrected:
                    out.corrected.add(len(words))
                words.append(piece)
                origin.append(index)
        return out

    def _pieces(self, word: str) -> tuple[tuple[str, bool], ...]:
        if word in _BREAK_CHARS:
            return ((SENTENCE_BREAK, False),)
        if word in self._clause_breaks:
            return ((CLAUSE_BREAK, False),)
        if "'" in word or "’" in word:
            key = word.replace("’", "'")
            expanded = self._contractions.get(key)
            if expanded is not None:
                return tuple((p, False) for p in expanded)
            word = key[:-2] if key.endswith("'s") else key.replace("'", "")
        if word in self._fillers:
            return ()
        expanded = self._expansions.get(word)
        if expanded is not None:
            return tuple((p, False) for p in expanded)
        fixed = self._misspellings.get(word)
        if fixed is not None:
            return tuple((p, True) for p in fixed.split())
        corrected = self.correct(word)
        if corrected is not None:
            return ((corrected, True),)
        return ((word, False),)
