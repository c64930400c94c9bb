"""The callback queue service: ordering, completion and its event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.fakes import FakeUnitOfWork

from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.errors import InvalidInput, NotFound
from frontdesk.domain.events import CallbackCompleted, HandoffCreated
from frontdesk.domain.handoffs import AttemptOutcome, Handoff, HandoffStatus
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


def test_open_handoff_adds_an_open_task_with_its_creation_event() -> None:
    """A hand-off opened inside a unit of work is stored open, as given, with a fresh id and
    `HandoffCreated`, and both are kept only when the caller commits."""
    uow = FakeUnitOfWork()
    with uow:
        opened = callbacks.open_handoff(
            uow,
            category=HandoffCategory.MESSAGE,
            urgency=Urgency.SAME_DAY,
            summary="Caller left a message about fees.",
            at=T0,
            details={"reason": "message"},
            caller_number="+15035550100",
        )
        uow.commit()
    assert len(opened.id) == 32
    assert (opened.status, opened.created_at, opened.details) == (
        HandoffStatus.OPEN,
        T0,
        {"reason": "message"},
    )
    assert callbacks.list_open(uow=uow) == [opened]
    assert uow.collect_events() == [
        HandoffCreated(
            occurred_at=T0,
            handoff_id=opened.id,
            category=HandoffCategory.MESSAGE,
            urgency=Urgency.SAME_DAY,
        )
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


def audit_details(uow: FakeUnitOfWork) -> list[tuple[str, str, str | None, str]]:
    """(actor, action, object id, detail) of every committed audit entry, oldest first."""
    with uow:
        records = uow.audit.search(limit=1000)
    return [
        (r.entry.actor, r.entry.action, r.entry.object_id, r.entry.detail)
        for r in reversed(records)
    ]


def test_an_attempt_is_logged_with_its_outcome_and_note_and_starts_the_task() -> None:
    """The first attempt on an open task makes it in progress, assigned to whoever tried."""
    uow = queue_with(("a", Urgency.URGENT, 0))
    at = T0 + timedelta(minutes=20)
    logged = callbacks.record_attempt(
        handoff_id="a",
        outcome=AttemptOutcome.NO_ANSWER,
        note="  Rang twice, no voicemail box.  ",
        at=at,
        uow=uow,
        user_id="u1",
        actor="user:u1",
        source="10.0.0.5",
    )
    assert (logged.attempt.outcome, logged.attempt.note, logged.attempt.by) == (
        AttemptOutcome.NO_ANSWER,
        "Rang twice, no voicemail box.",
        "user:u1",
    )
    assert (logged.handoff.status, logged.handoff.assigned_to) == (HandoffStatus.IN_PROGRESS, "u1")
    with uow:
        assert [a.id for a in uow.handoffs.attempts(["a"])] == [logged.attempt.id]
        assert uow.handoffs.get("a") == logged.handoff
    assert [e.kind for e in uow.collect_events()] == ["CallbackAttempted"]
    assert audit_details(uow)[-1] == (
        "user:u1",
        "change",
        "a",
        "attempt=no_answer status=in_progress",
    )


def test_an_attempt_that_finishes_the_task_completes_it_once() -> None:
    """`then=done` completes the task and records `CallbackCompleted` with the attempt."""
    uow = queue_with(("a", Urgency.SAME_DAY, 0))
    at = T0 + timedelta(hours=1)
    logged = callbacks.record_attempt(
        handoff_id="a",
        outcome=AttemptOutcome.SCHEDULED,
        at=at,
        uow=uow,
        then=HandoffStatus.DONE,
        actor="cli",
    )
    assert (logged.handoff.status, logged.handoff.completed_at) == (HandoffStatus.DONE, at)
    assert [e.kind for e in uow.collect_events()] == ["CallbackAttempted", "CallbackCompleted"]
    later = callbacks.record_attempt(
        handoff_id="a",
        outcome=AttemptOutcome.OTHER,
        at=at + timedelta(hours=1),
        uow=uow,
        actor="cli",
    )
    assert later.handoff.completed_at == at
    assert [e.kind for e in uow.collect_events()] == ["CallbackAttempted"]


def test_an_attempt_can_leave_the_task_waiting_for_the_caller() -> None:
    """Left a message: the task waits until the caller calls or texts again."""
    uow = queue_with(("a", Urgency.SAME_DAY, 0))
    logged = callbacks.record_attempt(
        handoff_id="a",
        outcome=AttemptOutcome.LEFT_MESSAGE,
        at=T0 + timedelta(hours=1),
        uow=uow,
        then=HandoffStatus.WAITING,
        actor="cli",
    )
    assert (logged.handoff.status, logged.handoff.wake_on_contact) == (HandoffStatus.WAITING, True)


def test_an_overlong_note_is_refused_and_nothing_is_stored() -> None:
    """A note past the limit is a clear error; no attempt, no change, no audit entry."""
    uow = queue_with(("a", Urgency.SAME_DAY, 0))
    with pytest.raises(InvalidInput):
        callbacks.record_attempt(
            handoff_id="a",
            outcome=AttemptOutcome.OTHER,
            note="x" * 5000,
            at=T0,
            uow=uow,
            actor="cli",
        )
    with uow:
        assert uow.handoffs.attempts(["a"]) == []
    assert uow.commits == 1


def test_a_waiting_task_wakes_when_its_caller_calls_again() -> None:
    """`wake_on_contact` reopens tasks of that number only, inside the caller's commit."""
    uow = queue_with(("a", Urgency.SAME_DAY, 0), ("b", Urgency.SAME_DAY, 1))
    callbacks.wait(
        handoff_id="a", at=T0 + timedelta(hours=1), on_contact=True, uow=uow, actor="cli"
    )
    timed = T0 + timedelta(days=2)
    callbacks.wait(handoff_id="b", at=T0 + timedelta(hours=1), until=timed, uow=uow, actor="cli")
    with uow:
        assert callbacks.wake_on_contact(uow=uow, number="+15035550199", at=T0) == []
        woken = callbacks.wake_on_contact(
            uow=uow, number="+15035550100", at=T0 + timedelta(hours=3)
        )
        uow.commit()
    assert woken == ["a"]
    statuses = {h.id: h.status for h in callbacks.list_open(uow=uow)}
    assert statuses == {"a": HandoffStatus.OPEN, "b": HandoffStatus.WAITING}
    assert [e.kind for e in uow.collect_events()] == ["HandoffWoken"]
    assert audit_details(uow)[-1] == ("system", "change", "a", "status=open wake=contact")


def test_start_assign_and_reopen_move_the_task_and_are_audited() -> None:
    """Each change is one commit with one audit entry naming the actor and the status."""
    uow = queue_with(("a", Urgency.SAME_DAY, 0))
    started = callbacks.start(handoff_id="a", at=T0, uow=uow, user_id="u1", actor="user:u1")
    assert (started.status, started.assigned_to) == (HandoffStatus.IN_PROGRESS, "u1")
    given = callbacks.assign(handoff_id="a", user_id="u2", at=T0, uow=uow, actor="user:u1")
    assert given.assigned_to == "u2"
    callbacks.complete(handoff_id="a", at=T0 + timedelta(hours=1), uow=uow, actor="user:u2")
    reopened = callbacks.reopen(handoff_id="a", at=T0 + timedelta(hours=2), uow=uow, actor="cli")
    assert (reopened.status, reopened.completed_at) == (HandoffStatus.OPEN, T0 + timedelta(hours=1))
    assert [d[3] for d in audit_details(uow)] == [
        "status=in_progress",
        "assigned=yes",
        "status=done",
        "status=open",
    ]


def test_a_done_task_cannot_be_snoozed() -> None:
    """Waiting is for work still to do: a done task must be reopened first."""
    uow = queue_with(("a", Urgency.SAME_DAY, 0))
    callbacks.complete(handoff_id="a", at=T0, uow=uow, actor="cli")
    with pytest.raises(InvalidInput):
        callbacks.wait(handoff_id="a", at=T0, on_contact=True, uow=uow, actor="cli")
