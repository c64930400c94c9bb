"""Hand-offs: the callback tasks and urgent pages that put a person on a call's case.

A hand-off carries everything staff need to act without asking the caller again: the
category and urgency, a summary composed by the call engine (who called, for whom, why,
the route and the caller's own words where they matter) and the captured `details`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.records import CallId, HandoffId, InquiryId, require_aware


class HandoffStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


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

    def __post_init__(self) -> None:
        require_aware(self.created_at, "created_at")
        require_aware(self.completed_at, "completed_at")

    @property
    def is_open(self) -> bool:
        return self.status is HandoffStatus.OPEN

    def completed(self, at: datetime) -> Handoff:
        """This task marked done at `at`; a task already done keeps its first completion."""
        require_aware(at, "at")
        if not self.is_open:
            return self
        return replace(self, status=HandoffStatus.DONE, completed_at=at)


def queue_key(handoff: Handoff) -> tuple[int, datetime, str]:
    """Callback-queue order: most urgent first, then oldest first, then by id for stability."""
    return (handoff.urgency.rank, handoff.created_at, handoff.id)
