"""Phrase patterns compiled to token steps with bounded gaps, matched in linear time.

Pattern language (one phrase per string, tokens separated by spaces):

- `word` matches that normalised token; `word*` any token starting with `word`;
- `#` a number (digits or a number word); `@name` any token of a named word class;
- `(a b|c)` alternatives, each a sequence; `x?` or `(a|b)?` makes an item optional;
- `~N` skips up to N tokens (N ≤ 8) inside one sentence.

Every alternative is expanded when the lexicon loads; each expansion starts with a concrete
token and is indexed by it, so scanning an utterance costs one dictionary look-up per token
plus a bounded amount of work per candidate: no input can make matching slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from frontdesk.domain.errors import ConfigurationError

from .normalize import Token

MAX_GAP = 8
_PATTERN_ITEM = re.compile(r"\)\?|[()|]|[^\s()|]+")
MAX_EXPANSIONS = 2048
_LITERAL, _PREFIX, _NUMBER, _GAP = 0, 1, 2, 3
_SET_MARK = "="

# (kind, words for a literal, prefix for a prefix, length for a gap)
Step = tuple[int, frozenset[str], str, int]
_NO_WORDS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Hit:
    """One pattern occurrence: the owner's key and the token range [first, last)."""

    key: int
    first: int
    last: int


def _lex(pattern: str) -> list[str]:
    return _PATTERN_ITEM.findall(pattern)


def _parse_sequence(items: list[str], pos: int, pattern: str) -> tuple[list[list[str]], int]:
    """Expansions of the sequence starting at `pos`, up to `|`, `)` or the end."""
    expansions: list[list[str]] = [[]]
    while pos < len(items) and items[pos] not in ("|", ")", ")?"):
        item = items[pos]
        if item == "(":
            options: list[list[str]] = []
            pos += 1
            while True:
                alternative, pos = _parse_sequence(items, pos, pattern)
                options.extend(alternative)
                if pos >= len(items):
                    raise ConfigurationError(f"unclosed parenthesis in pattern {pattern!r}")
                if items[pos] == "|":
                    pos += 1
                    continue
                break
            options = _merge_single_words(options)
            if items[pos] == ")?":
                options.append([])
            pos += 1
        elif item.endswith("?") and len(item) > 1:
            options = [[item[:-1]], []]
            pos += 1
        else:
            options = [[item]]
            pos += 1
        expansions = [e + o for e in expansions for o in options]
        if len(expansions) > MAX_EXPANSIONS:
            raise ConfigurationError(f"pattern {pattern!r} expands to too many phrases")
    return expansions, pos


def _merge_single_words(options: list[list[str]]) -> list[list[str]]:
    """Alternatives that are single plain words become one word-set atom (no expansion)."""
    single = [o[0] for o in options if len(o) == 1 and o[0].isalnum()]
    if len(single) < 2:
        return options
    rest = [o for o in options if not (len(o) == 1 and o[0].isalnum())]
    return [[_SET_MARK + "|".join(single)], *rest]


def expand(pattern: str) -> list[list[str]]:
    """Every token sequence a pattern stands for (alternatives and optionals spelled out)."""
    items = _lex(pattern)
    expansions, pos = _parse_sequence(items, 0, pattern)
    if pos != len(items):
        raise ConfigurationError(f"unbalanced parenthesis in pattern {pattern!r}")
    return [e for e in expansions if e]


def _compile(
    atoms: Sequence[str], classes: Mapping[str, frozenset[str]], pattern: str
) -> list[Step]:
    steps: list[Step] = []
    for atom in atoms:
        if atom.startswith("~"):
            if not atom[1:].isdigit() or not 0 < int(atom[1:]) <= MAX_GAP:
                raise ConfigurationError(
                    f"gap {atom!r} in pattern {pattern!r} must be ~1..~{MAX_GAP}"
                )
            if steps and steps[-1][0] == _GAP:
                merged = min(MAX_GAP, steps[-1][3] + int(atom[1:]))
                steps[-1] = (_GAP, _NO_WORDS, "", merged)
            else:
                steps.append((_GAP, _NO_WORDS, "", int(atom[1:])))
        elif atom.startswith(_SET_MARK):
            steps.append((_LITERAL, frozenset(atom[1:].split("|")), "", 0))
        elif atom == "#":
            steps.append((_NUMBER, _NO_WORDS, "", 0))
        elif atom.startswith("@"):
            if atom[1:] not in classes:
                raise ConfigurationError(f"unknown word class {atom!r} in pattern {pattern!r}")
            steps.append((_LITERAL, classes[atom[1:]], "", 0))
        elif atom.endswith("*") and len(atom) > 2 and atom[:-1].isalnum():
            steps.append((_PREFIX, _NO_WORDS, atom[:-1], 0))
        elif atom.isalnum():
            steps.append((_LITERAL, frozenset((atom,)), "", 0))
        else:
            raise ConfigurationError(f"bad token {atom!r} in pattern {pattern!r}")
    if not steps or steps[0][0] == _GAP or steps[-1][0] == _GAP:
        raise ConfigurationError(f"pattern {pattern!r} must start and end with a word")
    return steps


class PatternSet:
    """Patterns compiled once, each owned by an integer key, scanned over token lists."""

    __slots__ = (
        "_by_prefix",
        "_by_word",
        "_cache",
        "_numbers",
        "_prefix_lengths",
        "_words",
        "numbers",
    )

    def __init__(
        self,
        patterns: Iterable[tuple[int, str]],
        *,
        classes: Mapping[str, frozenset[str]],
        numbers: frozenset[str],
    ) -> None:
        self.numbers = numbers
        self._by_word: dict[str, list[tuple[int, tuple[Step, ...]]]] = {}
        self._by_prefix: dict[str, list[tuple[int, tuple[Step, ...]]]] = {}
        self._numbers: list[tuple[int, tuple[Step, ...]]] = []
        words: set[str] = set()
        for key, pattern in patterns:
            for atoms in expand(pattern):
                steps = tuple(_compile(atoms, classes, pattern))
                kind, first_words, prefix, _ = steps[0]
                compiled = (key, steps[1:])
                if kind == _LITERAL:
                    for word in first_words:
                        self._by_word.setdefault(word, []).append(compiled)
                elif kind == _PREFIX:
                    self._by_prefix.setdefault(prefix, []).append(compiled)
                else:
                    self._numbers.append(compiled)
                for step in steps:
                    words.update(step[1])
        self._words = frozenset(words)
        self._prefix_lengths = tuple(sorted({len(p) for p in self._by_prefix}))
        self._cache: dict[str, tuple[tuple[int, tuple[Step, ...]], ...]] = {}

    @property
    def words(self) -> frozenset[str]:
        """Every literal word the patterns use (the normaliser never 'corrects' these)."""
        return self._words

    def _candidates(self, word: str) -> tuple[tuple[int, tuple[Step, ...]], ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        found = list(self._by_word.get(word, ()))
        for length in self._prefix_lengths:
            if len(word) < length:
                break
            found.extend(self._by_prefix.get(word[:length], ()))
        if word.isdigit() or word in self.numbers:
            found.extend(self._numbers)
        result = tuple(found)
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[word] = result
        return result

    def scan(self, tokens: Sequence[Token]) -> list[Hit]:
        """Every (key, first, last) where a pattern matches; one hit per key and start."""
        hits: list[Hit] = []
        for index, token in enumerate(tokens):
            candidates = self._candidates(token.text)
            if not candidates:
                continue
            seen: set[int] = set()
            for key, steps in candidates:
                if key in seen:
                    continue
                last = self._match(steps, 0, tokens, index + 1, token.sentence)
                if last >= 0:
                    seen.add(key)
                    hits.append(Hit(key, index, last))
        return hits

    def _match(
        self, steps: tuple[Step, ...], k: int, tokens: Sequence[Token], pos: int, sentence: int
    ) -> int:
        if k == len(steps):
            return pos
        kind, words, prefix, gap = steps[k]
        size = len(tokens)
        if kind == _GAP:
            for skip in range(gap + 1):
                at = pos + skip
                if at >= size or tokens[at].sentence != sentence:
                    break
                found = self._match(steps, k + 1, tokens, at, sentence)
                if found >= 0:
                    return found
            return -1
        if pos >= size or tokens[pos].sentence != sentence:
            return -1
        word = tokens[pos].text
        if kind == _LITERAL:
            ok = word in words
        elif kind == _PREFIX:
            ok = word.startswith(prefix)
        else:
            ok = word.isdigit() or word in self.numbers
        return self._match(steps, k + 1, tokens, pos + 1, sentence) if ok else -1
