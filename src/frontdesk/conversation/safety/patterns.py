"""The phrase-pattern language of the lexicon, compiled to token steps with bounded gaps.

Pattern language (one phrase per string, tokens separated by spaces):

- `word` matches that normalised token; `word*` any token starting with `word`;
- `#` a number (digits or a number word); `@name` any token of a named word class;
- `(a b|c)` alternatives, each a sequence; `x?` or `(a|b)?` makes an item optional;
- `~N` skips up to N tokens (N ≤ 8) inside one sentence.

Every alternative is expanded when the lexicon loads into a sequence of `Step`s, which
`matcher.PatternSet` indexes and walks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from frontdesk.domain.errors import LexiconError

MAX_GAP = 8
MAX_EXPANSIONS = 2048
_PATTERN_ITEM = re.compile(r"\)\?|[()|]|[^\s()|]+")
LITERAL, PREFIX, NUMBER, GAP = 0, 1, 2, 3
_SET_MARK = "="

# (kind, words for a literal, prefix for a prefix, length for a gap)
Step = tuple[int, frozenset[str], str, int]
_NO_WORDS: frozenset[str] = frozenset()


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
                    raise LexiconError(f"unclosed parenthesis in pattern {pattern!r}")
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
            raise LexiconError(f"pattern {pattern!r} expands to too many phrases")
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
        raise LexiconError(f"unbalanced parenthesis in pattern {pattern!r}")
    return [e for e in expansions if e]


def compile_steps(
    atoms: Sequence[str], classes: Mapping[str, frozenset[str]], pattern: str
) -> list[Step]:
    steps: list[Step] = []
    for atom in atoms:
        if atom.startswith("~"):
            if not atom[1:].isdigit() or not 0 < int(atom[1:]) <= MAX_GAP:
                raise LexiconError(f"gap {atom!r} in pattern {pattern!r} must be ~1..~{MAX_GAP}")
            if steps and steps[-1][0] == GAP:
                merged = min(MAX_GAP, steps[-1][3] + int(atom[1:]))
                steps[-1] = (GAP, _NO_WORDS, "", merged)
            else:
                steps.append((GAP, _NO_WORDS, "", int(atom[1:])))
        elif atom.startswith(_SET_MARK):
            steps.append((LITERAL, frozenset(atom[1:].split("|")), "", 0))
        elif atom == "#":
            steps.append((NUMBER, _NO_WORDS, "", 0))
        elif atom.startswith("@"):
            if atom[1:] not in classes:
                raise LexiconError(f"unknown word class {atom!r} in pattern {pattern!r}")
            steps.append((LITERAL, classes[atom[1:]], "", 0))
        elif atom.endswith("*") and len(atom) > 2 and atom[:-1].isalnum():
            steps.append((PREFIX, _NO_WORDS, atom[:-1], 0))
        elif atom.isalnum():
            steps.append((LITERAL, frozenset((atom,)), "", 0))
        else:
            raise LexiconError(f"bad token {atom!r} in pattern {pattern!r}")
    if not steps or steps[0][0] == GAP or steps[-1][0] == GAP:
        raise LexiconError(f"pattern {pattern!r} must start and end with a word")
    return steps


def check(pattern: str, classes: Mapping[str, frozenset[str]]) -> None:
    """Raise `LexiconError` if `pattern` cannot be compiled."""
    for atoms in expand(pattern):
        compile_steps(atoms, classes, pattern)
