"""Loading the approved script library from YAML.

    version: "2026.1"
    reviewed: false          # the clinical lead sets true after approving every line
    lines:
      greeting: "Thank you for calling {practice_name}."
      crisis_988:
        text: "If you are thinking about suicide, call or text 988 ..."
        whole: true          # read in full, never cut short

Line ids are snake_case; placeholders are plain `{name}`s. Errors name the field and line.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from collections.abc import Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from frontdesk.adapters.located_yaml import (
    LocatedDocument,
    parse_located_yaml,
    problems_from_validation,
    read_located_yaml,
    suggest_fields,
)
from frontdesk.conversation.script import ScriptLibrary, ScriptLine, placeholders_of
from frontdesk.domain.errors import PracticeFileError, ScriptError

DEFAULT_LIBRARY_PACKAGE = "frontdesk.data.scripts"
DEFAULT_LIBRARY_NAME = "default.yaml"

_LINE_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _line_id(value: str) -> str:
    if not _LINE_ID.fullmatch(value):
        raise ValueError(f"{value!r} is not a snake_case line id")
    return value


def _placeholders(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    try:
        placeholders_of(value)
    except ScriptError as exc:
        raise ValueError(str(exc)) from None
    return value


def _line_shorthand(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


def _version_text(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class LineModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Annotated[str, AfterValidator(_placeholders)]
    whole: bool = False


class ScriptFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Annotated[str, BeforeValidator(_version_text)]
    reviewed: bool = False
    lines: dict[
        Annotated[str, AfterValidator(_line_id)],
        Annotated[LineModel, BeforeValidator(_line_shorthand)],
    ] = Field(min_length=1)

    def to_domain(self) -> ScriptLibrary:
        return ScriptLibrary(
            lines={
                line_id: ScriptLine(id=line_id, text=line.text, whole=line.whole)
                for line_id, line in self.lines.items()
            },
            version=self.version,
            reviewed=self.reviewed,
        )


def load_script_library(path: Path) -> ScriptLibrary:
    """The script library in `path`; raises `PracticeFileError` naming field and line."""
    return _library_from(read_located_yaml(path))


def default_script_library_resource() -> Traversable:
    """Where the shipped (unreviewed) default library lives inside the package."""
    return resources.files(DEFAULT_LIBRARY_PACKAGE) / DEFAULT_LIBRARY_NAME


def default_script_library() -> ScriptLibrary:
    """The shipped default library, marked unreviewed unless its file says otherwise."""
    resource = default_script_library_resource()
    source = f"{DEFAULT_LIBRARY_PACKAGE}/{DEFAULT_LIBRARY_NAME}"
    if not resource.is_file():
        raise PracticeFileError("the packaged default script library is missing", path=source)
    return _library_from(parse_located_yaml(resource.read_text(encoding="utf-8"), source=source))


def _library_from(document: LocatedDocument) -> ScriptLibrary:
    try:
        model = ScriptFileModel.model_validate(document.data)
    except ValidationError as exc:
        raise document.fail(
            suggest_fields(problems_from_validation(exc), ScriptFileModel)
        ) from None
    return model.to_domain()


def edited_library_text(
    text: str, *, line_id: str | None, new_text: str | None, reviewed: bool
) -> str:
    """The library file's text with one line's text replaced (when `line_id` is given) and
    `reviewed` set, everything else (comments, order, layout) kept as written.

    The new text is written as one double-quoted scalar. The result is parsed again and
    must give the same library apart from those changes.
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise PracticeFileError("the script library is not a mapping", path="scripts")
    edits: list[tuple[int, int, str]] = []
    lines_node = _value(root, "lines")
    if line_id is not None:
        if new_text is None or not isinstance(lines_node, yaml.MappingNode):
            raise ScriptError(f"script line {line_id!r} is not in the library")
        node = _value(lines_node, line_id)
        if isinstance(node, yaml.MappingNode):
            node = _value(node, "text")
        if not isinstance(node, yaml.ScalarNode):
            raise ScriptError(f"script line {line_id!r} is not in the library")
        edits.append(_replacement(text, node, json.dumps(new_text, ensure_ascii=False)))
    flag = "true" if reviewed else "false"
    reviewed_node = _value(root, "reviewed")
    if isinstance(reviewed_node, yaml.ScalarNode):
        edits.append(_replacement(text, reviewed_node, flag))
    else:
        key = next(k for k, _ in root.value if k.value == "lines")
        at = key.start_mark.index - key.start_mark.column
        edits.append((at, at, f"reviewed: {flag}\n"))
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def appended_lines_text(
    text: str, lines: Sequence[ScriptLine], *, heading: Sequence[str], source: str
) -> str:
    """The library file's text with `lines` appended after the last entry of `lines:`, under
    the comment `heading`; nothing already written (comments, order, layout) is touched.

    Each line is written as the shipped library writes it (a folded `>-` block, or a quoted
    scalar when folding would change its text; `whole: true` kept). The result is parsed
    again and must give the same library plus exactly the lines added.
    """
    before = parse_library_text(text, source=source)  # refuses what does not parse, by line
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines_node = _value(root, "lines") if isinstance(root, yaml.MappingNode) else None
    if not isinstance(lines_node, yaml.MappingNode) or not lines_node.value:
        raise PracticeFileError("the script library has no `lines:` mapping", path=source)
    if lines_node.flow_style:
        raise PracticeFileError(
            "`lines:` is written inline ({...}); put each line on a line of its own before "
            "lines can be appended",
            path=source,
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    indent = " " * lines_node.value[0][0].start_mark.column
    at = _end_of_line(text, _content_end(text, lines_node))
    block = [""] + [f"{indent}# {note}".rstrip() for note in heading]
    for line in lines:
        block += _entry(line, indent)
    added = newline.join(block) + newline
    if at == len(text) and not text.endswith("\n"):
        added = newline + added
    result = text[:at] + added + text[at:]
    after = parse_library_text(result, source=source)
    expected = dict(before.lines) | {line.id: line for line in lines}
    if dict(after.lines) != expected or after.version != before.version:
        raise PracticeFileError(
            "the lines could not be appended without changing others; add them by hand",
            path=source,
        )
    return result


def _content_end(text: str, node: yaml.Node) -> int:
    """Where the last written character of `node` ends (trailing blank lines left out)."""
    while isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        node = node.value[-1][1]
    end = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _end_of_line(text: str, index: int) -> int:
    """The index just past the line break ending the line that holds `index`."""
    found = text.find("\n", index)
    return len(text) if found == -1 else found + 1


_WIDTH = 92  # the shipped library's line width


def _entry(line: ScriptLine, indent: str) -> list[str]:
    """The YAML lines of one script line, at the indentation of the library's other lines."""
    inner = indent + "  "
    if line.whole:
        return [f"{indent}{line.id}:", f"{inner}whole: true", *_scalar(inner, "text", line.text)]
    return _scalar(indent, line.id, line.text)


def _scalar(indent: str, key: str, text: str) -> list[str]:
    """`key: text` folded over several lines at `_WIDTH`, or double-quoted on one line when
    folding would not give back exactly `text` (line breaks, doubled or edge spaces)."""
    body = indent + "  "
    folded = textwrap.wrap(
        text,
        width=max(_WIDTH - len(body), 40),
        break_long_words=False,
        break_on_hyphens=False,
    )
    candidate = [f"{indent}{key}: >-", *(body + part for part in folded)]
    try:
        parsed = yaml.safe_load("\n".join(candidate))
    except yaml.YAMLError:
        parsed = None
    if folded and isinstance(parsed, dict) and parsed.get(key) == text:
        return candidate
    return [f"{indent}{key}: {json.dumps(text, ensure_ascii=False)}"]


def _value(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next((v for k, v in mapping.value if k.value == key), None)


def _replacement(text: str, node: yaml.Node, value: str) -> tuple[int, int, str]:
    """Replace a scalar's span, keeping the line breaks a block scalar's span ends with."""
    start, end = node.start_mark.index, node.end_mark.index
    kept = text[start:end]
    trailing = kept[len(kept.rstrip()) :]
    return start, end, value + trailing


def write_library_text(path: Path, text: str) -> None:
    """Replace the library file atomically (a reader sees the old or the new file)."""
    check = _library_from(parse_located_yaml(text, source=str(path)))
    del check  # parsed in full before anything is written
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    if path.exists():
        os.chmod(temporary, path.stat().st_mode & 0o777)
    os.replace(temporary, path)


def parse_library_text(text: str, *, source: str) -> ScriptLibrary:
    """The library in `text` (the file's content), or `PracticeFileError` naming the line."""
    return _library_from(parse_located_yaml(text, source=source))
