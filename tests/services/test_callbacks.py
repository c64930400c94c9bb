"""The callback queue service: ordering, completion and its event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.fakes import FakeUnitOfWork

from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.errors import InvalidInput, NotFound
from frontdesk.domain.events import CallbackCompleted
from frontdesk.domain.handoffs import Handoff, HandoffStatus
from frontdesk.services import callbacks

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def queue_with(*specs: tuple[str, Urgency, int]) -> FakeUnitOfWork:
    """A fake holding one open hand-off per (id, urgency, minutes after T0)."""
    uow = FakeUnitOfWork()
    with uow:
        for handoff_id, urgency, minutes in specs:
            uow.handoffs.add(
                Handoff(
                    id=handoff_id,
                    category=HandoffCategory.CALLBACK,
                    urgency=urgency,
                    summary="Caller asked for a callback about fees.",
                    created_at=T0 + timedelta(minutes=minutes),
                    caller_number="+15035550100",
                )
            )
        uow.commit()
    return uow


def test_open_tasks_list_most_urgent_then_oldest() -> None:
    """Urgent tasks come first, then same-day, then routine; oldest first within each."""
    uow = queue_with(
        ("routine-old", Urgency.ROUTINE, 0),
        ("urgent-new", Urgency.URGENT, 30),
        ("same-day", Urgency.SAME_DAY, 5),
        ("urgent-old", Urgency.URGENT, 10),
    )
    assert [h.id for h in callbacks.list_open(uow=uow)] == [
        "urgent-old",
        "urgent-new",
        "same-day",
        "routine-old",
    ]


def test_complete_marks_done_records_when_and_emits_an_event() -> None:
    """Completing a task stores its completion time and records `CallbackCompleted`."""
    uow = queue_with(("a", Urgency.URGENT, 0), ("b", Urgency.ROUTINE, 0))
    at = T0 + timedelta(hours=2)
    done = callbacks.complete(
        handoff_id="a", at=at, actor="user:staff1", source="192.0.2.4", uow=uow
    )
    assert (done.status, done.completed_at) == (HandoffStatus.DONE, at)
    with uow:
        [change] = uow.audit.search()
    assert (change.entry.actor, change.entry.action, change.entry.object_id) == (
        "user:staff1",
        "change",
        "a",
    )
    assert (change.entry.source, change.entry.detail, change.entry.at) == (
        "192.0.2.4",
        "status=done",
        at,
    )
    assert [h.id for h in callbacks.list_open(uow=uow)] == ["b"]
    assert [(h.id, h.status) for h in callbacks.list_all(uow=uow)] == [
        ("a", HandoffStatus.DONE),
        ("b", HandoffStatus.OPEN),
    ]
    assert uow.collect_events() == [
        CallbackCompleted(
            occurred_at=at,
            handoff_id="a",
            category=HandoffCategory.CALLBACK,
            urgency=Urgency.URGENT,
        )
    ]


def test_completing_twice_keeps_the_first_time() -> None:
    """The callback-speed metric needs the first callback, so a second `done` changes nothing."""
    uow = queue_with(("a", Urgency.URGENT, 0))
    first = T0 + timedelta(hours=1)
    callbacks.complete(handoff_id="a", at=first, actor="cli", uow=uow)
    uow.collect_events()
    again = callbacks.complete(handoff_id="a", at=first + timedelta(hours=1), actor="cli", uow=uow)
    assert again.completed_at == first
    assert uow.collect_events() == []
    with uow:
        assert uow.audit.count() == 1


def test_completing_an_unknown_task_is_not_found() -> None:
    """An id that names no task raises `NotFound` and commits nothing."""
    uow = queue_with(("a", Urgency.URGENT, 0))
    with pytest.raises(NotFound):
        callbacks.complete(handoff_id="nope", at=T0, actor="cli", uow=uow)
    assert uow.commits == 1


def test_completion_time_must_be_aware() -> None:
    """A naive completion time is refused before anything is read."""
    uow = queue_with(("a", Urgency.URGENT, 0))
    with pytest.raises(InvalidInput):
        callbacks.complete(handoff_id="a", at=datetime(2026, 3, 2, 9, 0), actor="cli", uow=uow)
