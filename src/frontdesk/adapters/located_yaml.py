"""YAML documents that remember where every value came from.

Practice and script files are edited by hand, so every complaint about them names the
field and the line. This module turns YAML text into plain Python data plus a map from
each field path to its line, and turns pydantic validation errors into such complaints.

Plain scalars follow a deliberately small rule set, close to YAML 1.2, so that classic
YAML 1.1 surprises cannot reach the schema: `17:00` stays the text "17:00" (not 1020
minutes), `+13125550142` stays text, `NO` and `off` stay text (pydantic still reads them
as booleans where a boolean is expected), and decimals keep their written digits.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import yaml
from pydantic import BaseModel, ValidationError

from frontdesk.domain.errors import PracticeFileError

Loc: TypeAlias = tuple[str | int, ...]

_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_TRUE = frozenset({"true"})
_FALSE = frozenset({"false"})
_NULL = frozenset({"", "~", "null"})
_KEY_MARKER = "[key]"
# libyaml composes the same nodes and marks, several times faster, when PyYAML was built with it.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a document: where (a field path) and what."""

    loc: Loc
    message: str


@dataclass(frozen=True, slots=True)
class LocatedDocument:
    """Plain data parsed from YAML, with the 1-based line of every key and list item."""

    source: str
    data: object
    lines: Mapping[Loc, int]

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest enclosing field when `loc` is absent."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                return line
        return None

    def fail(self, problems: Sequence[Problem]) -> PracticeFileError:
        """One error listing every problem, the first by line as its headline."""
        ordered = sorted(problems, key=lambda p: (self.line_of(p.loc) or 0, format_loc(p.loc)))
        first, rest = ordered[0], ordered[1:]
        message = _describe(first)
        if rest:
            more = "\n".join(
                f"  {self.source}:{self.line_of(p.loc) or 1}: {_describe(p)}" for p in rest
            )
            message = f"{message}\n{len(rest)} more problem(s):\n{more}"
        return PracticeFileError(message, path=self.source, line=self.line_of(first.loc) or 1)


def format_loc(loc: Loc) -> str:
    """`('clinicians', 1, 'licensed_states', 0)` as `clinicians[1].licensed_states[0]`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _describe(problem: Problem) -> str:
    where = format_loc(problem.loc)
    return f"{where}: {problem.message}" if where else problem.message


def read_located_yaml(path: Path) -> LocatedDocument:
    """Read and parse a YAML file whose top level must be a mapping."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PracticeFileError("no such file", path=source) from None
    except OSError as exc:
        raise PracticeFileError(f"cannot be read ({exc.strerror})", path=source) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PracticeFileError("is not UTF-8 text", path=source) from None
    return parse_located_yaml(text, source=source)


def parse_located_yaml(text: str, *, source: str) -> LocatedDocument:
    """Parse YAML text (one document, a mapping at the top) into located plain data."""
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            raise PracticeFileError(
                "tab character in indentation; indent with spaces", path=source, line=number
            )
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise PracticeFileError(f"invalid YAML: {problem}", path=source, line=where) from None
    except yaml.YAMLError as exc:
        raise PracticeFileError(f"invalid YAML: {exc}", path=source) from None
    if root is None or (isinstance(root, yaml.ScalarNode) and _scalar(root) is None):
        raise PracticeFileError("the file is empty", path=source)
    if not isinstance(root, yaml.MappingNode):
        raise PracticeFileError(
            "the top level must be a mapping of field: value", path=source, line=_line(root)
        )
    lines: dict[Loc, int] = {(): _line(root)}
    data = _convert(root, (), lines, source)
    return LocatedDocument(source=source, data=data, lines=lines)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _convert(node: yaml.Node, loc: Loc, lines: dict[Loc, int], source: str) -> object:
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise PracticeFileError(
                    f"{format_loc(loc) or 'top level'}: keys must be plain names",
                    path=source,
                    line=_line(key_node),
                )
            key = str(key_node.value)
            child = (*loc, key)
            if key in result:
                raise PracticeFileError(
                    f"{format_loc(child)}: duplicate key (first given on line {lines[child]})",
                    path=source,
                    line=_line(key_node),
                )
            lines[child] = _line(key_node)
            result[key] = _convert(value_node, child, lines, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        items: list[object] = []
        for index, item_node in enumerate(node.value):
            child = (*loc, index)
            lines[child] = _line(item_node)
            items.append(_convert(item_node, child, lines, source))
        return items
    return _scalar(node)


def _scalar(node: yaml.Node) -> object:
    text = str(node.value)
    if getattr(node, "style", None) or node.tag == "tag:yaml.org,2002:str":
        return text  # quoted, block or explicitly tagged text
    lowered = text.lower()
    if lowered in _NULL:
        return None
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    return text


def problems_from_validation(error: ValidationError) -> list[Problem]:
    """Each pydantic error as a problem at its field path, in words a file editor reads."""
    problems: list[Problem] = []
    for item in error.errors(include_url=False, include_input=False):
        loc: Loc = tuple(part for part in item["loc"] if part != _KEY_MARKER)
        kind = item["type"]
        message = str(item["msg"])
        if kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            message = "unknown field"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        elif message.startswith("Assertion failed, "):
            message = message.removeprefix("Assertion failed, ")
        problems.append(Problem(loc, message))
    return problems


def suggest_fields(problems: Iterable[Problem], model: type[BaseModel]) -> list[Problem]:
    """Unknown-field problems gain a "did you mean" hint drawn from the schema's field names."""
    known = sorted(_field_names(model))
    result: list[Problem] = []
    for problem in problems:
        if problem.message == "unknown field" and problem.loc:
            name = str(problem.loc[-1])
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            if close:
                problem = Problem(problem.loc, f"unknown field (did you mean {close[0]!r}?)")
        result.append(problem)
    return result


def _field_names(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for inner in _models_in(info.annotation):
            names |= _field_names(inner, seen)
    return names


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()):
        found.extend(_models_in(arg))
    return found
