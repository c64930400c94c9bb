"""The staff callback queue: open a task, list what waits, work it, log each try, finish it.

Every change takes the `actor` who made it (`user:<id>`, `cli`, `api-token`) and the
request's `source` address, commits once, and is recorded in the audit log in the same
commit. A task's statuses are `open`, `in_progress`, `waiting` and `done`
(`frontdesk.domain.handoffs`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from frontdesk.domain.audit import Actor, AuditAction
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.errors import InvalidInput, NotFound
from frontdesk.domain.events import (
    CallbackAttempted,
    CallbackCompleted,
    HandoffCreated,
    HandoffWoken,
)
from frontdesk.domain.handoffs import (
    AttemptOutcome,
    CallbackAttempt,
    Handoff,
    HandoffStatus,
)
from frontdesk.domain.records import CallId, HandoffId, InquiryId, new_id, require_aware
from frontdesk.services import audit
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

OBJECT_KIND = "handoff"


def open_handoff(
    uow: UnitOfWork,
    *,
    category: HandoffCategory,
    urgency: Urgency,
    summary: str,
    at: datetime,
    details: dict[str, object],
    call_id: CallId | None = None,
    inquiry_id: InquiryId | None = None,
    caller_number: str | None = None,
) -> Handoff:
    """Add a new open hand-off for staff with its `HandoffCreated` event, inside the
    caller's open unit of work (commits nothing): the one way every hand-off is opened."""
    handoff = Handoff(
        id=new_id(),
        category=category,
        urgency=urgency,
        summary=summary,
        created_at=at,
        call_id=call_id,
        inquiry_id=inquiry_id,
        caller_number=caller_number,
        details=details,
    )
    uow.handoffs.add(handoff)
    uow.events.add(
        HandoffCreated(
            occurred_at=at,
            handoff_id=handoff.id,
            category=category,
            urgency=urgency,
            call_id=call_id,
        )
    )
    return handoff


def list_open(*, uow: UnitOfWork) -> list[Handoff]:
    """Hand-offs not done yet (open, in progress, waiting), most urgent first, then oldest."""
    with uow:
        return uow.handoffs.list_active()


def list_all(*, uow: UnitOfWork) -> list[Handoff]:
    """Every hand-off, open or done, in the same queue order."""
    with uow:
        return uow.handoffs.list_queue()


def complete(
    *,
    handoff_id: HandoffId,
    at: datetime,
    uow: UnitOfWork,
    actor: str,
    source: str | None = None,
) -> Handoff:
    """Mark a hand-off done at `at` and record `CallbackCompleted`; the first completion stays.

    Completing a task that is already done changes nothing and records no event; a task
    reopened and done again keeps its first completion time and records no second event
    (the callback-speed metric counts the first). Raises `NotFound` for an unknown id and
    `InvalidInput` for a naive `at`.
    """
    require_aware(at, "at")

    def change(handoff: Handoff) -> Handoff | None:
        return handoff.completed(at) if handoff.is_open else None

    return _change(uow, handoff_id, change, actor, source, at, "status=done")


def start(
    *,
    handoff_id: HandoffId,
    at: datetime,
    uow: UnitOfWork,
    user_id: str | None = None,
    actor: str,
    source: str | None = None,
) -> Handoff:
    """Someone is on it: `in_progress`, and assigned to `user_id` unless assigned already."""
    require_aware(at, "at")

    def change(handoff: Handoff) -> Handoff | None:
        if handoff.status is HandoffStatus.IN_PROGRESS and (
            user_id is None or handoff.assigned_to is not None
        ):
            return None
        return handoff.started(by=user_id, at=at)

    return _change(uow, handoff_id, change, actor, source, at, "status=in_progress")


def wait(
    *,
    handoff_id: HandoffId,
    at: datetime,
    uow: UnitOfWork,
    until: datetime | None = None,
    on_contact: bool = False,
    actor: str,
    source: str | None = None,
) -> Handoff:
    """Snooze a task until `until`, or until the caller calls or texts again, or both.

    At `until` it is open again; a call or text from its number wakes it sooner
    (`wake_on_contact`). Raises `InvalidInput` without either, or for a time not after `at`.
    """
    require_aware(at, "at")
    require_aware(until, "until")

    def change(handoff: Handoff) -> Handoff:
        return handoff.current(at).waiting(at=at, until=until, on_contact=on_contact)

    wake = "contact" if until is None else ("time_or_contact" if on_contact else "time")
    return _change(uow, handoff_id, change, actor, source, at, f"status=waiting wake={wake}")


def reopen(
    *,
    handoff_id: HandoffId,
    at: datetime,
    uow: UnitOfWork,
    actor: str,
    source: str | None = None,
) -> Handoff:
    """Put a task back in the queue as `open` (a done one keeps its first completion time)."""
    require_aware(at, "at")

    def change(handoff: Handoff) -> Handoff | None:
        return None if handoff.status is HandoffStatus.OPEN else handoff.reopened(at)

    return _change(uow, handoff_id, change, actor, source, at, "status=open")


def assign(
    *,
    handoff_id: HandoffId,
    user_id: str | None,
    at: datetime,
    uow: UnitOfWork,
    actor: str,
    source: str | None = None,
) -> Handoff:
    """Give a task to one staff user (`None`: to nobody)."""
    require_aware(at, "at")
    detail = "assigned=" + ("yes" if user_id else "no")
    return _change(uow, handoff_id, lambda h: h.assigned(user_id), actor, source, at, detail)


def _change(
    uow: UnitOfWork,
    handoff_id: HandoffId,
    change: Callable[[Handoff], Handoff | None],
    actor: str,
    source: str | None,
    at: datetime,
    detail: str,
) -> Handoff:
    """Apply `change` to one task and commit it with its audit entry (`detail`); a change
    that returns None has nothing to do, and the task is returned unchanged and unrecorded."""
    with uow:
        handoff = _load(uow, handoff_id)
        changed = change(handoff)
        if changed is None:
            return handoff
        uow.handoffs.update(changed)
        _record_completion(uow, handoff, changed, at)
        _audit(uow, actor, source, changed, at, detail)
        uow.commit()
    return changed


def _record_completion(uow: UnitOfWork, before: Handoff, after: Handoff, at: datetime) -> None:
    """`CallbackCompleted` when a change finishes an open task never done before: a task
    reopened and done again keeps its first completion, which the speed metric counts."""
    if after.status is HandoffStatus.DONE and before.is_open and before.completed_at is None:
        uow.events.add(
            CallbackCompleted(
                occurred_at=at,
                handoff_id=after.id,
                call_id=after.call_id,
                category=after.category,
                urgency=after.urgency,
            )
        )


@dataclass(frozen=True, slots=True)
class AttemptLogged:
    attempt: CallbackAttempt
    handoff: Handoff


def record_attempt(
    *,
    handoff_id: HandoffId,
    outcome: AttemptOutcome,
    at: datetime,
    uow: UnitOfWork,
    note: str = "",
    then: HandoffStatus | None = None,
    user_id: str | None = None,
    actor: str,
    source: str | None = None,
) -> AttemptLogged:
    """Log one try to reach the caller, with its outcome and a note, and move the task on.

    After the attempt the task is `then`: `done` completes it (as `complete`), `waiting`
    waits for the caller to call or text back, `open` leaves it in the queue; by default an
    open task becomes `in_progress`. A task already done takes the attempt and stays done.
    """
    require_aware(at, "at")
    note = note.strip()
    with uow:
        handoff = _load(uow, handoff_id).current(at)
        attempt = CallbackAttempt(
            id=new_id(),
            handoff_id=handoff.id,
            at=at,
            outcome=outcome,
            by=actor,
            note=note,
        )
        uow.handoffs.add_attempt(attempt)
        moved = _after_attempt(handoff, then, at, user_id)
        if moved != handoff:
            uow.handoffs.update(moved)
        uow.events.add(
            CallbackAttempted(
                occurred_at=at,
                handoff_id=handoff.id,
                call_id=handoff.call_id,
                inquiry_id=handoff.inquiry_id,
                outcome=outcome.value,
            )
        )
        _record_completion(uow, handoff, moved, at)
        # Ids are random hex and may hold digit runs the audit log refuses: none in details.
        detail = f"attempt={outcome.value} status={moved.status.value}"
        _audit(uow, actor, source, moved, at, detail)
        uow.commit()
    return AttemptLogged(attempt=attempt, handoff=moved)


def _after_attempt(
    handoff: Handoff, then: HandoffStatus | None, at: datetime, user_id: str | None
) -> Handoff:
    if not handoff.is_open:
        if then not in (None, HandoffStatus.DONE):
            raise InvalidInput("the task is done; reopen it first")
        return handoff
    if then is HandoffStatus.DONE:
        return handoff.completed(at)
    if then is HandoffStatus.WAITING:
        return handoff.waiting(at=at, until=None, on_contact=True)
    if then is HandoffStatus.OPEN:
        return handoff if handoff.status is HandoffStatus.OPEN else handoff.reopened(at)
    if handoff.status is HandoffStatus.IN_PROGRESS:
        return handoff
    return handoff.started(by=user_id, at=at)


def wake_on_contact(*, uow: UnitOfWork, number: str | None, at: datetime) -> list[HandoffId]:
    """Inside the caller's unit of work: the tasks waiting for this number to call or text
    again are open again (`HandoffWoken`). Returns their ids; commits nothing itself."""
    if not number:
        return []
    woken = []
    for handoff in uow.handoffs.waiting_on_contact(number):
        opened = handoff.reopened(at)
        uow.handoffs.update(opened)
        uow.events.add(HandoffWoken(occurred_at=at, handoff_id=opened.id, call_id=opened.call_id))
        _audit(uow, Actor.SYSTEM, None, opened, at, "status=open wake=contact")
        woken.append(opened.id)
    if woken:
        log.info("waiting tasks woken by contact count=%d", len(woken))
    return woken


def _load(uow: UnitOfWork, handoff_id: HandoffId) -> Handoff:
    handoff = uow.handoffs.get(handoff_id)
    if handoff is None:
        raise NotFound(f"no callback task {handoff_id}")
    return handoff


def _audit(
    uow: UnitOfWork, actor: str, source: str | None, handoff: Handoff, at: datetime, detail: str
) -> None:
    audit.record(
        uow=uow,
        actor=actor,
        action=AuditAction.CHANGE,
        object_kind=OBJECT_KIND,
        object_id=handoff.id,
        source=source,
        detail=detail,
        at=at,
    )
