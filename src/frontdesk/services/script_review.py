"""Review of the script library in the console: read its lines, edit one, approve one.

The script file stays the library the engine reads; the database keeps who edited or
approved which line, when, and (for an approval) a digest of the text approved. An edit
rewrites that one line in the file (comments and layout kept), sets the file's `reviewed`
to false and is recorded; an approval is recorded against the line's current text, and
once every line is approved the file's `reviewed` is set to true. So `reviewed: true` in
the file means the clinical lead approved every line as it now reads, and `frontdesk
doctor` reports lines changed by hand since their approval (`stale_lines`).

Lines of the file this version never speaks (`conversation.lines.unknown_lines`: a line an
older version spoke, a misspelt id) are shown apart as unused: they are not reviewed, edited
or approved here, and the library's review does not wait for them.

Edits and approvals name the digest of the text the reviewer saw: a line changed
meanwhile (by another reviewer, or in the file) is refused with `Conflict`, never
overwritten. Edits take effect when the web server and worker next start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frontdesk.adapters.script_file import (
    edited_library_text,
    parse_library_text,
    write_library_text,
)
from frontdesk.conversation.lines import closest_line, require_engine_lines, unknown_lines
from frontdesk.conversation.script import ScriptLibrary, ScriptLine
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.reminders import lint_library
from frontdesk.domain.script_review import (
    LineReview,
    LineState,
    ReviewAction,
    all_approved,
    checked_edit,
    digest,
    line_states,
)
from frontdesk.services.staff_audit import ChangedBy, record_change
from frontdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class UnusedLine:
    """A line of the file this version never speaks, with the line it probably meant."""

    line: ScriptLine
    did_you_mean: str | None


@dataclass(frozen=True, slots=True)
class LibraryReview:
    """The library as the reviewer sees it: the state of every line this version speaks,
    the lines it never speaks, and the file's flag."""

    path: Path
    version: str
    reviewed: bool  # what the file says
    lines: list[LineState]
    unused: list[UnusedLine]

    @property
    def approved(self) -> int:
        return sum(1 for state in self.lines if state.approved)

    def line(self, line_id: str) -> LineState:
        found = next((s for s in self.lines if s.line.id == line_id), None)
        if found is None:
            raise NotFound(f"no script line {line_id}")
        return found


def overview(*, path: Path, uow: UnitOfWork) -> LibraryReview:
    """The library in `path` with each line's text, placeholders and review state."""
    library = _read(path)
    with uow:
        reviews = uow.script_reviews.all()
    unused = [UnusedLine(library.line(i), closest_line(i)) for i in unknown_lines(library)]
    return LibraryReview(
        path, library.version, library.reviewed, _spoken_states(library, reviews), unused
    )


def edit(
    *,
    path: Path,
    line_id: str,
    text: str,
    seen: str,
    at: datetime,
    uow: UnitOfWork,
    by: ChangedBy,
) -> LibraryReview:
    """Replace one line's text (its placeholders kept) and commit; it needs approval again.

    `seen` is the digest of the text the reviewer edited (`Conflict` if it changed since).
    The whole library must still load and hold every line the engine needs.
    """
    with uow:
        before = path.read_text(encoding="utf-8")
        library = parse_library_text(before, source=str(path))
        state = _current(library, uow, line_id, seen)
        new_text = checked_edit(state.line, text)
        if new_text == state.line.text:
            raise InvalidInput(f"line {line_id} already reads so")
        after = edited_library_text(before, line_id=line_id, new_text=new_text, reviewed=False)
        edited = parse_library_text(after, source=str(path))
        require_engine_lines(edited)
        problems = lint_library(edited, [line_id])
        if problems:
            raise InvalidInput(f"a texted line must stay discreet: {'; '.join(problems)}")
        uow.script_reviews.add(
            LineReview(
                line_id=line_id,
                action=ReviewAction.EDITED,
                digest=digest(new_text),
                actor=by.actor,
                at=at,
                text=new_text,
            )
        )
        record_change(
            uow, by=by, at=at, kind="script_line", object_id=line_id, detail="review=edited"
        )
        _write_and_commit(path, before, after, uow)
    return overview(path=path, uow=uow)


def approve(
    *,
    path: Path,
    line_id: str,
    seen: str,
    at: datetime,
    uow: UnitOfWork,
    by: ChangedBy,
) -> LibraryReview:
    """Approve one line as it now reads and commit; the file's `reviewed` becomes true
    when this was the last line waiting. `Conflict` if the text changed since `seen`."""
    with uow:
        before = path.read_text(encoding="utf-8")
        library = parse_library_text(before, source=str(path))
        _current(library, uow, line_id, seen)
        review = LineReview(
            line_id=line_id, action=ReviewAction.APPROVED, digest=seen, actor=by.actor, at=at
        )
        uow.script_reviews.add(review)
        everything = all_approved(_spoken_states(library, uow.script_reviews.all()))
        record_change(
            uow,
            by=by,
            at=at,
            kind="script_line",
            object_id=line_id,
            detail=f"review=approved library_reviewed={str(everything).lower()}",
            action=AuditAction.CHANGE,
        )
        if everything != library.reviewed:
            after = edited_library_text(before, line_id=None, new_text=None, reviewed=everything)
            _write_and_commit(path, before, after, uow)
        else:
            uow.commit()
    return overview(path=path, uow=uow)


def stale_lines(*, path: Path, uow: UnitOfWork) -> list[str]:
    """Lines this version speaks not approved as they now read; empty when nothing was ever
    reviewed in the console (a library reviewed by hand is taken at its word)."""
    library = _read(path)
    with uow:
        reviews = uow.script_reviews.all()
    if not reviews:
        return []
    return [s.line.id for s in _spoken_states(library, reviews) if not s.approved]


def _spoken_states(library: ScriptLibrary, reviews: Iterable[LineReview]) -> list[LineState]:
    """The review state of each line this version speaks, in file order."""
    unused = frozenset(unknown_lines(library))
    return [s for s in line_states(library, reviews) if s.line.id not in unused]


def _read(path: Path) -> ScriptLibrary:
    return parse_library_text(path.read_text(encoding="utf-8"), source=str(path))


def _current(library: ScriptLibrary, uow: UnitOfWork, line_id: str, seen: str) -> LineState:
    states = _spoken_states(library, uow.script_reviews.all())
    state = next((s for s in states if s.line.id == line_id), None)
    if state is None:
        raise NotFound(f"no script line {line_id} that this version speaks")
    if state.digest != seen:
        raise Conflict(f"line {line_id} changed since it was shown; reload and review it again")
    return state


def _write_and_commit(path: Path, before: str, after: str, uow: UnitOfWork) -> None:
    """Write the file, then commit the record; put the old file back if the commit fails."""
    write_library_text(path, after)
    try:
        uow.commit()
    except BaseException:
        write_library_text(path, before)
        raise
