"""Review of the script library: edits and approvals of its lines, by whom and when.

A line is approved when its latest approval was given to the very text it has now (the
approval keeps a digest of that text). An edit, in the console or by hand in the file,
changes the text and so withdraws the approval: the line must be approved again. The
library is reviewed only when every line the product speaks is approved (a line of the file
this version never speaks is shown apart and needs no approval). An edit must keep the line's
placeholders, so the engine can still fill it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from frontdesk.conversation.script import ScriptLibrary, ScriptLine, placeholders_of
from frontdesk.domain.errors import InvalidInput, ScriptError
from frontdesk.domain.records import require_aware

MAX_LINE_LENGTH = 2000


class ReviewAction(StrEnum):
    EDITED = "edited"
    APPROVED = "approved"


def digest(text: str) -> str:
    """The SHA-256 of a line's text: what an approval was given to."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class LineReview:
    """One edit or approval of one line. `text` is the new text of an edit (script text,
    never caller data); `actor` is `user:<id>` or `cli`."""

    line_id: str
    action: ReviewAction
    digest: str
    actor: str
    at: datetime
    text: str | None = None

    def __post_init__(self) -> None:
        require_aware(self.at, "at")


@dataclass(frozen=True, slots=True)
class LineState:
    """A line as the reviewer sees it: its text, placeholders and where its review stands."""

    line: ScriptLine
    approved: bool
    approval: LineReview | None  # the latest approval, of this text or an older one
    edit: LineReview | None  # the latest edit

    @property
    def digest(self) -> str:
        return digest(self.line.text)

    @property
    def placeholders(self) -> list[str]:
        return sorted(self.line.placeholders)


def line_states(library: ScriptLibrary, reviews: Iterable[LineReview]) -> list[LineState]:
    """Every line of the library, in file order, with its review state."""
    approvals: dict[str, LineReview] = {}
    edits: dict[str, LineReview] = {}
    for review in sorted(reviews, key=lambda r: r.at):
        chosen = approvals if review.action is ReviewAction.APPROVED else edits
        chosen[review.line_id] = review
    states = []
    for line_id, line in library.lines.items():
        approval = approvals.get(line_id)
        approved = approval is not None and approval.digest == digest(line.text)
        states.append(LineState(line, approved, approval, edits.get(line_id)))
    return states


def all_approved(states: Iterable[LineState]) -> bool:
    """Whether every given line's current text is approved (the library is then reviewed).

    The caller passes the lines the product speaks; lines it never speaks are left out.
    """
    return all(state.approved for state in states)


def checked_edit(line: ScriptLine, text: str) -> str:
    """The new text for `line`, refused when blank, too long, or when its placeholders are
    not exactly the line's (one left out or one added would break the call)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("a script line cannot be blank")
    if len(cleaned) > MAX_LINE_LENGTH:
        raise InvalidInput(f"a script line is at most {MAX_LINE_LENGTH} characters")
    try:
        found = placeholders_of(cleaned)
    except ScriptError as exc:
        raise InvalidInput(str(exc)) from None
    missing = sorted(line.placeholders - found)
    added = sorted(found - line.placeholders)
    if missing or added:
        named = [f"{{{name}}} is missing" for name in missing]
        named += [f"{{{name}}} is not one of them" for name in added]
        raise InvalidInput(f"line {line.id} must keep its placeholders: {'; '.join(named)}")
    return cleaned


def stale_lines(library: ScriptLibrary, reviews: Iterable[LineReview]) -> list[str]:
    """Ids of lines not approved at their current text (for `frontdesk doctor`)."""
    return [s.line.id for s in line_states(library, reviews) if not s.approved]
