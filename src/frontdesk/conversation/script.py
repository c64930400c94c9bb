"""The approved script library: every caller-facing sentence, by id, with named placeholders.

The practice edits the library and its clinical lead approves it; the engine only ever
names a line id and supplies values. Rendering refuses unknown ids and missing values.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from frontdesk.domain.errors import ScriptError

_FORMATTER = string.Formatter()


def placeholders_of(text: str) -> frozenset[str]:
    """The `{name}` placeholders in a line; positional or formatted fields are refused."""
    names: set[str] = set()
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise ScriptError(f"malformed placeholder in script text: {exc}") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ScriptError(f"placeholder {{{name}}} must be a plain name")
        names.add(name)
    return frozenset(names)


@dataclass(frozen=True, slots=True)
class ScriptLine:
    """One approved sentence (or short paragraph).

    `whole` lines (crisis and emergency wording) are read in full and never cut short.
    """

    id: str
    text: str
    whole: bool = False

    @property
    def placeholders(self) -> frozenset[str]:
        return placeholders_of(self.text)


@dataclass(frozen=True, slots=True)
class Say:
    """An instruction to speak one script line with these placeholder values."""

    line_id: str
    values: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def of(line_id: str, **values: str) -> Say:
        return Say(line_id, tuple(sorted(values.items())))


@dataclass(frozen=True, slots=True)
class ScriptLibrary:
    """The practice's approved lines. `reviewed` is False for the shipped defaults."""

    lines: Mapping[str, ScriptLine]
    version: str = "1"
    reviewed: bool = False

    def line(self, line_id: str) -> ScriptLine:
        try:
            return self.lines[line_id]
        except KeyError:
            raise ScriptError(f"script line {line_id!r} is not in the library") from None

    def render(self, say: Say) -> str:
        """The caller-facing text of `say`; fails loudly on an unknown id or missing value."""
        line = self.line(say.line_id)
        values = dict(say.values)
        missing = sorted(line.placeholders - values.keys())
        if missing:
            raise ScriptError(f"script line {say.line_id!r} needs values for {missing}")
        return line.text.format_map(values)

    def missing(self, line_ids: Iterable[str]) -> list[str]:
        """The ids of `line_ids` this library lacks, sorted."""
        return sorted(set(line_ids) - self.lines.keys())

    def unknown(self, line_ids: Iterable[str]) -> list[str]:
        """The ids of this library outside `line_ids` (lines nothing speaks), sorted."""
        return sorted(self.lines.keys() - set(line_ids))

    def require(self, line_ids: Iterable[str], *, whole: Iterable[str] = ()) -> None:
        """Refuse a library that lacks any line the engine may speak, or that lets a line in
        `whole` (the crisis wording, the direct safety question) be cut short."""
        missing = self.missing(line_ids)
        if missing:
            raise ScriptError(f"the script library is missing required lines: {missing}")
        partial = sorted(i for i in set(whole) if i in self.lines and not self.lines[i].whole)
        if partial:
            raise ScriptError(f"these lines must be read whole (whole: true): {partial}")
