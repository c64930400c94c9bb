"""Hand-offs: the callback tasks and urgent pages that put a person on a call's case.

A hand-off carries everything staff need to act without asking the caller again: the
category and urgency, a summary composed by the call engine (who called, for whom, why,
the route and the caller's own words where they matter) and the captured `details`.

Staff work it through four statuses: `open` (nobody on it yet), `in_progress` (someone is
on it), `waiting` (snoozed until a time, or until the caller calls or texts again) and
`done`. Each try to reach the caller is a `CallbackAttempt` with its outcome and a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.records import CallId, HandoffId, InquiryId, require_aware


class HandoffStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # until `waiting_until`, or until the caller calls or texts again
    DONE = "done"


class AttemptOutcome(StrEnum):
    """What came of one try to reach the caller."""

    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"
    SCHEDULED = "scheduled"
    DID_NOT_SCHEDULE = "did_not_schedule"
    OTHER = "other"


NOTE_MAX_LENGTH = 2000
"""The longest note staff may keep with an attempt (a few paragraphs)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Handoff:
    """A task for staff; `completed_at` records when someone first called back."""

    id: HandoffId
    category: HandoffCategory
    urgency: Urgency
    summary: str
    created_at: datetime
    call_id: CallId | None = None
    inquiry_id: InquiryId | None = None
    caller_number: str | None = None  # E.164; staff need it to call back
    status: HandoffStatus = HandoffStatus.OPEN
    completed_at: datetime | None = None
    details: dict[str, object] = field(default_factory=dict)  # JSON-serialisable
    assigned_to: str | None = None  # the staff user's id
    waiting_until: datetime | None = None  # while `waiting`: back in the queue at this time
    wake_on_contact: bool = False  # while `waiting`: back when the caller calls or texts
    status_changed_at: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.created_at, "created_at")
        require_aware(self.completed_at, "completed_at")
        require_aware(self.waiting_until, "waiting_until")
        require_aware(self.status_changed_at, "status_changed_at")

    @property
    def is_open(self) -> bool:
        """Not done yet: open, in progress or waiting."""
        return self.status is not HandoffStatus.DONE

    @property
    def minutes_to_complete(self) -> int | None:
        """Whole minutes from being made to being done (floored, never below zero); None
        while not done. The report's callback speed counts hand-offs by this figure."""
        if self.completed_at is None:
            return None
        return max(0, int((self.completed_at - self.created_at) // timedelta(minutes=1)))

    @property
    def is_urgent_route(self) -> bool:
        """Crisis and emergency hand-offs stand apart at the top of the work queue."""
        return self.category in (HandoffCategory.CRISIS, HandoffCategory.EMERGENCY)

    def current(self, now: datetime) -> Handoff:
        """This task as it stands at `now`: a wait whose time has come is open again."""
        require_aware(now, "now")
        if (
            self.status is HandoffStatus.WAITING
            and self.waiting_until is not None
            and self.waiting_until <= now
        ):
            return self._moved(HandoffStatus.OPEN, self.waiting_until)
        return self

    def completed(self, at: datetime) -> Handoff:
        """This task marked done at `at`; a task already done keeps its first completion."""
        require_aware(at, "at")
        if not self.is_open:
            return self
        done = self._moved(HandoffStatus.DONE, at)
        return replace(done, completed_at=at if self.completed_at is None else self.completed_at)

    def started(self, *, by: str | None, at: datetime) -> Handoff:
        """Someone is on it: in progress, and theirs (`by`) unless it was already assigned."""
        self._require_not_done()
        moved = self._moved(HandoffStatus.IN_PROGRESS, at)
        return replace(moved, assigned_to=self.assigned_to or by)

    def waiting(self, *, at: datetime, until: datetime | None, on_contact: bool) -> Handoff:
        """Snoozed until `until`, or until the caller calls or texts again, or both."""
        self._require_not_done()
        require_aware(until, "until")
        if until is None and not on_contact:
            raise InvalidInput("a wait needs a time or the caller's next contact")
        if until is not None and until <= at:
            raise InvalidInput("a wait must end after now")
        moved = self._moved(HandoffStatus.WAITING, at)
        return replace(moved, waiting_until=until, wake_on_contact=on_contact)

    def reopened(self, at: datetime) -> Handoff:
        """Back in the queue as open; a task done before keeps its first completion time."""
        return self._moved(HandoffStatus.OPEN, at)

    def assigned(self, user_id: str | None) -> Handoff:
        """Given to one staff user (or to nobody)."""
        return replace(self, assigned_to=user_id)

    def _moved(self, status: HandoffStatus, at: datetime) -> Handoff:
        require_aware(at, "at")
        return replace(
            self,
            status=status,
            status_changed_at=at,
            waiting_until=None,
            wake_on_contact=False,
        )

    def _require_not_done(self) -> None:
        if not self.is_open:
            raise InvalidInput("the task is done; reopen it first")


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackAttempt:
    """One try to reach the caller about a hand-off: when, by whom, what came of it."""

    id: str
    handoff_id: HandoffId
    at: datetime
    outcome: AttemptOutcome
    by: str  # the actor, e.g. `user:<id>` or `cli`
    note: str = ""

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        if len(self.note) > NOTE_MAX_LENGTH:
            raise InvalidInput(f"a note holds at most {NOTE_MAX_LENGTH} characters")


def queue_key(handoff: Handoff) -> tuple[int, datetime, str]:
    """Callback-queue order: most urgent first, then oldest first, then by id for stability."""
    return (handoff.urgency.rank, handoff.created_at, handoff.id)
