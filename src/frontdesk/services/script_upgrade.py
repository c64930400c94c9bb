"""Bringing a practice's script library up to this version: lines it lacks, lines it has extra.

A new version of Frontdesk may speak a line that a practice's `scripts.yaml` (written by an
older `frontdesk init`) does not have; start-up then refuses the library. `add_missing_lines`
appends the shipped default wording of each missing line to the file, under a comment that
says where it came from, and leaves every line already there as written. The added wording
was never approved by the practice, so a library marked `reviewed: true` is set to
`reviewed: false` (the console's Scripts page lists the added lines as waiting for approval).
Lines the engine does not speak are reported, never removed. Each added line is recorded in
the audit log (its id, never its wording) in the same unit of work as the file is written;
`missing_lines` only says what would be added, and records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
from frontdesk.domain.audit import AuditAction
from frontdesk.services.staff_audit import ChangedBy, record_change
from frontdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class MissingLines:
    """What `add_missing_lines` found in one library file, and what it did about it."""

    path: Path
    added: tuple[ScriptLine, ...]  # the shipped wording of each missing line, in id order
    unknown: tuple[str, ...]  # lines of the file this version never speaks
    unreviewed: bool  # the file was marked reviewed and is now (or would be) marked unreviewed
    written: bool  # False for a dry run or when nothing was missing


def missing_lines(*, path: Path) -> MissingLines:
    """What `add_missing_lines` would add to the library in `path`, writing and recording
    nothing (a dry run). A file that does not parse is refused as there."""
    return _read(path)[1]


def add_missing_lines(*, path: Path, at: datetime, uow: UnitOfWork, by: ChangedBy) -> MissingLines:
    """Append the shipped wording of every line this version speaks that the library in
    `path` lacks, and record each added line in the audit log (nothing when none is missing:
    running it again changes nothing).

    A file that does not parse as a script library is refused (`PracticeFileError` naming
    the line), and nothing is written. `at` dates the comment above the added lines and the
    audit entries; the file is put back as it was if the entries cannot be committed.
    """
    text, found = _read(path)
    if not found.added:
        return found
    heading = [
        f"--- added by `{ADD_MISSING_COMMAND}` on {at.date().isoformat()} "
        f"(Frontdesk {__version__}) ---",
        "The shipped default wording of lines this version speaks and this library lacked.",
        "Not reviewed by the practice: have your clinical lead read and edit each one.",
    ]
    after = appended_lines_text(text, found.added, heading=heading, source=str(path))
    if found.unreviewed:
        after = edited_library_text(after, line_id=None, new_text=None, reviewed=False)
    with uow:
        for line in found.added:
            record_change(
                uow,
                by=by,
                at=at,
                kind="script_line",
                object_id=line.id,
                detail="review=added wording=shipped_default library_reviewed=false",
                action=AuditAction.CREATE,
            )
        write_library_text(path, after)
        try:
            uow.commit()
        except BaseException:
            write_library_text(path, text)
            raise
    return MissingLines(path, found.added, found.unknown, found.unreviewed, written=True)


def _read(path: Path) -> tuple[str, MissingLines]:
    """The file's text as written, and what it lacks (nothing written yet)."""
    read_located_yaml(path)  # a missing, unreadable or non-UTF-8 file is named as such
    text = path.read_bytes().decode("utf-8")  # line endings kept as written
    library = parse_library_text(text, source=str(path))
    shipped = default_script_library()
    added = tuple(shipped.line(line_id) for line_id in missing_engine_lines(library))
    unknown = tuple(unknown_lines(library))
    unreviewed = bool(added) and library.reviewed
    return text, MissingLines(path, added, unknown, unreviewed=unreviewed, written=False)
