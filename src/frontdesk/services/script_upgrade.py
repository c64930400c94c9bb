"""Bringing a practice's script library up to this version: lines it lacks, lines it has extra.

A new version of Frontdesk may speak a line that a practice's `scripts.yaml` (written by an
older `frontdesk init`) does not have; start-up then refuses the library. `add_missing_lines`
appends the shipped default wording of each missing line to the file, under a comment that
says where it came from, and leaves every line already there as written. The added wording
was never approved by the practice, so a library marked `reviewed: true` is set to
`reviewed: false` (the console's Scripts page lists the added lines as waiting for approval).
Lines the engine does not speak are reported, never removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from frontdesk import __version__
from frontdesk.adapters.located_yaml import read_located_yaml
from frontdesk.adapters.script_file import (
    appended_lines_text,
    default_script_library,
    edited_library_text,
    parse_library_text,
    write_library_text,
)
from frontdesk.conversation.lines import ADD_MISSING_COMMAND, missing_engine_lines, unknown_lines
from frontdesk.conversation.script import ScriptLine


@dataclass(frozen=True, slots=True)
class MissingLines:
    """What `add_missing_lines` found in one library file, and what it did about it."""

    path: Path
    added: tuple[ScriptLine, ...]  # the shipped wording of each missing line, in id order
    unknown: tuple[str, ...]  # lines of the file this version never speaks
    unreviewed: bool  # the file was marked reviewed and is now (or would be) marked unreviewed
    written: bool  # False for a dry run or when nothing was missing


def add_missing_lines(*, path: Path, on: date, dry_run: bool = False) -> MissingLines:
    """Append the shipped wording of every line this version speaks that the library in
    `path` lacks (nothing when none is missing: running it again changes nothing).

    A file that does not parse as a script library is refused (`PracticeFileError` naming
    the line), and nothing is written. `on` dates the comment above the added lines.
    """
    read_located_yaml(path)  # a missing, unreadable or non-UTF-8 file is named as such
    text = path.read_bytes().decode("utf-8")  # line endings kept as written
    library = parse_library_text(text, source=str(path))
    shipped = default_script_library()
    added = tuple(shipped.line(line_id) for line_id in missing_engine_lines(library))
    unknown = tuple(unknown_lines(library))
    unreviewed = bool(added) and library.reviewed
    if not added:
        return MissingLines(path, (), unknown, unreviewed=False, written=False)
    heading = [
        f"--- added by `{ADD_MISSING_COMMAND}` on {on.isoformat()} (Frontdesk {__version__}) ---",
        "The shipped default wording of lines this version speaks and this library lacked.",
        "Not reviewed by the practice: have your clinical lead read and edit each one.",
    ]
    after = appended_lines_text(text, added, heading=heading, source=str(path))
    if unreviewed:
        after = edited_library_text(after, line_id=None, new_text=None, reviewed=False)
    if not dry_run:
        write_library_text(path, after)
    return MissingLines(path, added, unknown, unreviewed=unreviewed, written=not dry_run)
