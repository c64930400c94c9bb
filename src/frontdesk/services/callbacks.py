"""The staff callback queue: list what is waiting, mark a task done."""

from __future__ import annotations

from datetime import datetime

from frontdesk.domain.audit import AuditAction
from frontdesk.domain.errors import NotFound
from frontdesk.domain.events import CallbackCompleted
from frontdesk.domain.handoffs import Handoff, HandoffStatus
from frontdesk.domain.records import HandoffId, require_aware
from frontdesk.services import audit
from frontdesk.services.unit_of_work import UnitOfWork


def list_open(*, uow: UnitOfWork) -> list[Handoff]:
    """Open hand-offs, most urgent first, then oldest first."""
    with uow:
        return uow.handoffs.list_queue(status=HandoffStatus.OPEN)


def list_all(*, uow: UnitOfWork) -> list[Handoff]:
    """Every hand-off, open or done, in the same queue order."""
    with uow:
        return uow.handoffs.list_queue()


def complete(
    *,
    handoff_id: HandoffId,
    at: datetime,
    actor: str,
    uow: UnitOfWork,
    source: str | None = None,
) -> Handoff:
    """Mark a hand-off done at `at`, record `CallbackCompleted` and audit the change as
    `actor` (from `source`) in the same transaction; the first completion stays.

    Completing a task that is already done changes nothing and records no event. Raises
    `NotFound` for an unknown id and `InvalidInput` for a naive `at`.
    """
    require_aware(at, "at")
    with uow:
        handoff = uow.handoffs.get(handoff_id)
        if handoff is None:
            raise NotFound(f"no callback task {handoff_id}")
        if not handoff.is_open:
            return handoff
        done = handoff.completed(at)
        uow.handoffs.update(done)
        uow.events.add(
            CallbackCompleted(
                occurred_at=at,
                handoff_id=done.id,
                call_id=done.call_id,
                category=done.category,
                urgency=done.urgency,
            )
        )
        audit.record(
            uow=uow,
            actor=actor,
            action=AuditAction.CHANGE,
            object_kind="handoff",
            object_id=done.id,
            source=source,
            detail="status=done",
            at=at,
        )
        uow.commit()
    return done
