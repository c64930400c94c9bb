"""Every record goes through the real repositories and comes back unchanged, on both backends."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.events import (
    CallbackCompleted,
    CallbackRequested,
    CallEnded,
    CallStarted,
    CrisisFlagged,
    Event,
    HandoffCreated,
    InquiryCaptured,
    MessageTaken,
    TurnTaken,
)
from frontdesk.domain.handoffs import Handoff, HandoffStatus
from frontdesk.domain.inquiries import (
    AvailabilityWindow,
    ForWhom,
    Intake,
    Modality,
    Payment,
    ReminderPreference,
    TelehealthConstraints,
    Weekday,
)
from frontdesk.domain.records import (
    CallRecord,
    CallStatus,
    InquiryRecord,
    InquiryStatus,
    TurnKind,
    TurnRecord,
    new_id,
)

T0 = datetime(2026, 3, 2, 14, 30, 15, 123456, tzinfo=UTC)


def a_call(**changes: object) -> CallRecord:
    call = CallRecord(
        id=new_id(),
        external_id=f"CA{new_id()}",
        caller_number="+15035550142",
        started_at=T0,
        ended_at=T0 + timedelta(minutes=4),
        status=CallStatus.ENDED,
        after_hours=True,
        route=Route.SENSITIVE,
        intent=Intent.NEW_CLIENT,
        result=CallResult.CONSULT_BOOKED,
        state={"flow": "intake", "asked": ["for_whom", "state"], "n": 3, "nested": {"ok": True}},
    )
    return replace(call, **changes)  # type: ignore[arg-type]


def a_full_intake() -> Intake:
    return Intake(
        for_whom=ForWhom.CHILD,
        client_age=12,
        client_name="Sam",
        modality=Modality.TELEHEALTH,
        state="OR",
        payment=Payment.INSURANCE,
        payer="aetna",
        concern="trouble sleeping since the move",
        availability=(
            AvailabilityWindow(
                text="Tuesdays and Thursdays after 4",
                weekdays=frozenset({Weekday.TUESDAY, Weekday.THURSDAY}),
                start=time(16, 0),
            ),
            AvailabilityWindow(text="March 9 in the morning", on=date(2026, 3, 9), end=time(12, 0)),
        ),
        reminder_preference=ReminderPreference.SMS,
        callback_number="+15035550142",
        callback_confirmed=True,
        email="parent@example.org",
        consent_to_text=True,
        telehealth_constraints=TelehealthConstraints(
            private_space=True, device=True, connection=None, notes="shares a laptop"
        ),
        specialty="anxiety",
        clinician_preference="dr-lee",
    )


def a_handoff(call_id: str | None, **changes: object) -> Handoff:
    handoff = Handoff(
        id=new_id(),
        call_id=call_id,
        category=HandoffCategory.CLINICAL,
        urgency=Urgency.SAME_DAY,
        summary="Parent of a 12-year-old asks about medication; clinician callback promised.",
        created_at=T0,
        caller_number="+15035550142",
        details={"for_whom": "child", "client_age": 12, "words": "can she keep taking it"},
    )
    return replace(handoff, **changes)  # type: ignore[arg-type]


def every_event(call_id: str) -> list[Event]:
    at = T0
    return [
        CallStarted(occurred_at=at, call_id=call_id, after_hours=True),
        TurnTaken(occurred_at=at, call_id=call_id, seq=1, route=Route.CRISIS, intent=None),
        CrisisFlagged(
            occurred_at=at, call_id=call_id, seq=1, route=Route.CRISIS, rule_ids=("si.1", "si.4")
        ),
        HandoffCreated(
            occurred_at=at,
            handoff_id="h1",
            category=HandoffCategory.CRISIS,
            urgency=Urgency.URGENT,
            call_id=call_id,
        ),
        InquiryCaptured(occurred_at=at, inquiry_id="i1", call_id=call_id),
        CallbackRequested(occurred_at=at, handoff_id="h2", call_id=None),
        MessageTaken(occurred_at=at, handoff_id="h3", call_id=call_id),
        CallEnded(
            occurred_at=at + timedelta(minutes=5),
            call_id=call_id,
            route=Route.CRISIS,
            intent=Intent.OTHER,
            result=CallResult.CRISIS_DIRECTED,
            after_hours=True,
        ),
        CallbackCompleted(
            occurred_at=at + timedelta(hours=1),
            handoff_id="h1",
            category=HandoffCategory.CRISIS,
            urgency=Urgency.URGENT,
            call_id=call_id,
        ),
    ]


def test_call_round_trip(uow: SqlAlchemyUnitOfWork) -> None:
    """A call with every field set comes back equal, by id and by external id."""
    call = a_call()
    with uow:
        uow.calls.add(call)
        uow.commit()
    with uow:
        assert uow.calls.get(call.id) == call
        assert call.external_id is not None
        assert uow.calls.get_by_external_id(call.external_id, for_update=True) == call
        assert uow.calls.get("missing") is None


def test_call_update_persists_the_engine_state(uow: SqlAlchemyUnitOfWork) -> None:
    """Updating a call replaces its state and outcome, so a restarted process continues it."""
    call = a_call(ended_at=None, status=CallStatus.IN_PROGRESS, result=None)
    with uow:
        uow.calls.add(call)
        uow.commit()
    later = replace(call, state={"flow": "booking", "offered": ["s1", "s2"]}, route=Route.CRISIS)
    with uow:
        uow.calls.update(later)
        uow.commit()
    with uow:
        assert uow.calls.get(call.id) == later


def test_call_state_comes_back_as_json(uow: SqlAlchemyUnitOfWork) -> None:
    """Tuples in the engine state come back as lists, even within the same unit of work."""
    call = a_call(state={"asked": ("a", "b")})
    with uow:
        uow.calls.add(call)
        stored = uow.calls.get(call.id)
        assert stored is not None
        assert stored.state == {"asked": ["a", "b"]}


def test_calls_listed_by_start_time(uow: SqlAlchemyUnitOfWork) -> None:
    """Calls in a half-open time range come back oldest first."""
    calls = [a_call(started_at=T0 + timedelta(hours=h), ended_at=None) for h in (2, 0, 1, 3)]
    with uow:
        for call in calls:
            uow.calls.add(call)
        uow.commit()
    with uow:
        found = uow.calls.list_started_between(T0, T0 + timedelta(hours=3))
    assert [c.started_at for c in found] == [T0 + timedelta(hours=h) for h in (0, 1, 2)]


def test_moments_come_back_in_utc(uow: SqlAlchemyUnitOfWork) -> None:
    """A start time given in another zone comes back as the same instant, in UTC."""
    pacific = timezone(timedelta(hours=-8))
    call = a_call(started_at=datetime(2026, 3, 2, 6, 0, tzinfo=pacific), ended_at=None)
    with uow:
        uow.calls.add(call)
        uow.commit()
    with uow:
        stored = uow.calls.get(call.id)
    assert stored is not None
    assert stored.started_at == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert stored.started_at.utcoffset() == timedelta(0)


def test_duplicate_external_id_is_a_conflict(uow: SqlAlchemyUnitOfWork) -> None:
    """A second call with a taken CallSid is refused; the first is untouched."""
    first = a_call()
    with uow:
        uow.calls.add(first)
        uow.commit()
    with uow, pytest.raises(Conflict):
        uow.calls.add(a_call(external_id=first.external_id))
    with uow:
        assert uow.calls.get(first.id) == first


def test_turn_round_trip_in_seq_order(uow: SqlAlchemyUnitOfWork) -> None:
    """A call's turns come back equal and in `seq` order."""
    call = a_call()
    turns = [
        TurnRecord(
            call_id=call.id,
            seq=seq,
            at=T0 + timedelta(seconds=seq),
            kind=TurnKind.SPEECH if seq else TurnKind.CALL_STARTED,
            caller_text=None if seq == 0 else f"utterance {seq}",
            digits="1" if seq == 2 else None,
            confidence=None if seq == 0 else 0.875,
            agent_text=f"reply {seq}",
            line_ids=("greeting.welcome", "intake.for_whom"),
            route=Route.SENSITIVE if seq == 2 else Route.ROUTINE,
            intent=Intent.NEW_CLIENT if seq else None,
            categories=("self_harm",) if seq == 2 else (),
        )
        for seq in (2, 0, 1)
    ]
    with uow:
        uow.calls.add(call)
        for turn in turns:
            uow.turns.add(turn)
        uow.commit()
    with uow:
        assert uow.turns.list_for_call(call.id) == sorted(turns, key=lambda t: t.seq)
        assert uow.turns.get(call.id, 2) == turns[0]
        assert uow.turns.get(call.id, 9) is None


def test_a_turn_cannot_be_recorded_twice(uow: SqlAlchemyUnitOfWork) -> None:
    """The same `(call_id, seq)` is refused, whether committed earlier or added just now."""
    call = a_call()
    turn = TurnRecord(call_id=call.id, seq=1, at=T0, caller_text="hello")
    with uow:
        uow.calls.add(call)
        uow.turns.add(turn)
        with pytest.raises(Conflict):
            uow.turns.add(replace(turn, caller_text="hello again"))
    with uow:
        uow.calls.add(call)
        uow.turns.add(turn)
        uow.commit()
    with uow, pytest.raises(Conflict):
        uow.turns.add(replace(turn, caller_text="retried webhook"))
    with uow:
        assert uow.turns.list_for_call(call.id) == [turn]


@contextlib.contextmanager
def unit_of_work_on(url: str) -> Iterator[SqlAlchemyUnitOfWork]:
    """A unit of work on its own engine, as another app server would have."""
    engine = make_engine(url)
    try:
        yield SqlAlchemyUnitOfWork(make_session_factory(engine))
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_duplicate_turn_from_an_open_transaction_is_a_conflict(migrated_url: str) -> None:
    """A server that checked before another committed the same turn still gets `Conflict`."""
    call = a_call()
    turn = TurnRecord(call_id=call.id, seq=1, at=T0)
    with unit_of_work_on(migrated_url) as first, unit_of_work_on(migrated_url) as second:
        with first:
            first.calls.add(call)
            first.commit()
        with second:
            assert second.turns.get(call.id, 1) is None
            with first:
                first.turns.add(turn)
                first.commit()
            with pytest.raises(Conflict):
                second.turns.add(replace(turn, agent_text="second"))
        with first:
            assert first.turns.list_for_call(call.id) == [turn]


def test_concurrent_writers_of_one_turn_get_one_success(migrated_url: str) -> None:
    """Two threads recording the same turn at once: one row, one `Conflict`."""
    call = a_call()
    with unit_of_work_on(migrated_url) as setup, setup:
        setup.calls.add(call)
        setup.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def record(text: str) -> None:
        with unit_of_work_on(migrated_url) as uow:
            barrier.wait()
            try:
                with uow:
                    uow.turns.add(TurnRecord(call_id=call.id, seq=1, at=T0, agent_text=text))
                    uow.commit()
                outcomes.append("stored")
            except Conflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=record, args=(text,)) for text in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "stored"]
    with unit_of_work_on(migrated_url) as check, check:
        assert [t.seq for t in check.turns.list_for_call(call.id)] == [1]


def test_a_turn_needs_its_call(uow: SqlAlchemyUnitOfWork) -> None:
    """A turn of an unknown call is refused by the foreign key."""
    with uow, pytest.raises(Conflict):
        uow.turns.add(TurnRecord(call_id=new_id(), seq=0, at=T0))


def test_inquiry_round_trip_with_a_full_intake(uow: SqlAlchemyUnitOfWork) -> None:
    """An inquiry with every intake field set comes back equal, then updated."""
    call = a_call()
    inquiry = InquiryRecord(
        id=new_id(),
        call_id=call.id,
        created_at=T0,
        updated_at=T0,
        status=InquiryStatus.CAPTURED,
        intake=a_full_intake(),
    )
    empty = InquiryRecord(id=new_id(), created_at=T0, updated_at=T0)
    with uow:
        uow.calls.add(call)
        uow.inquiries.add(inquiry)
        uow.inquiries.add(empty)
        uow.commit()
    with uow:
        assert uow.inquiries.get(inquiry.id) == inquiry
        assert uow.inquiries.get(empty.id) == empty
        assert uow.inquiries.list_for_call(call.id) == [inquiry]
    booked = replace(inquiry, status=InquiryStatus.BOOKED, updated_at=T0 + timedelta(days=1))
    with uow:
        uow.inquiries.update(booked)
        uow.commit()
    with uow:
        assert uow.inquiries.get(inquiry.id) == booked


def test_handoff_round_trip_and_completion(uow: SqlAlchemyUnitOfWork) -> None:
    """A hand-off comes back equal, linked to its call and inquiry, and stays done once done."""
    call = a_call()
    inquiry = InquiryRecord(id=new_id(), call_id=call.id, created_at=T0, updated_at=T0)
    handoff = a_handoff(call.id, inquiry_id=inquiry.id)
    with uow:
        uow.calls.add(call)
        uow.inquiries.add(inquiry)
        uow.handoffs.add(handoff)
        uow.commit()
    with uow:
        assert uow.handoffs.get(handoff.id) == handoff
        assert uow.handoffs.list_for_call(call.id) == [handoff]
    done = handoff.completed(T0 + timedelta(minutes=30))
    with uow:
        uow.handoffs.update(done)
        uow.commit()
    with uow:
        stored = uow.handoffs.get(handoff.id)
        assert stored == done
        assert stored is not None
        assert stored.status is HandoffStatus.DONE


def test_handoff_queue_is_most_urgent_then_oldest(uow: SqlAlchemyUnitOfWork) -> None:
    """Open hand-offs list urgent before same-day before routine, oldest first within each."""
    specs = [
        (Urgency.ROUTINE, 0, HandoffStatus.OPEN),
        (Urgency.URGENT, 3, HandoffStatus.OPEN),
        (Urgency.SAME_DAY, 1, HandoffStatus.OPEN),
        (Urgency.URGENT, 1, HandoffStatus.OPEN),
        (Urgency.URGENT, 0, HandoffStatus.DONE),
        (Urgency.ROUTINE, -1, HandoffStatus.OPEN),
    ]
    handoffs = [
        a_handoff(
            None,
            urgency=urgency,
            created_at=T0 + timedelta(hours=hours),
            status=status,
            completed_at=T0 + timedelta(hours=5) if status is HandoffStatus.DONE else None,
        )
        for urgency, hours, status in specs
    ]
    with uow:
        for handoff in handoffs:
            uow.handoffs.add(handoff)
        uow.commit()
    with uow:
        queue = uow.handoffs.list_queue(status=HandoffStatus.OPEN)
        everything = uow.handoffs.list_queue()
    assert [(h.urgency, h.created_at - T0) for h in queue] == [
        (Urgency.URGENT, timedelta(hours=1)),
        (Urgency.URGENT, timedelta(hours=3)),
        (Urgency.SAME_DAY, timedelta(hours=1)),
        (Urgency.ROUTINE, timedelta(hours=-1)),
        (Urgency.ROUTINE, timedelta(0)),
    ]
    assert [h.id for h in everything] == [handoffs[i].id for i in (4, 3, 1, 2, 5, 0)]


def test_update_of_an_unknown_record_is_not_found(uow: SqlAlchemyUnitOfWork) -> None:
    """Updating a call, inquiry or hand-off that was never added raises `NotFound`."""
    with uow:
        with pytest.raises(NotFound):
            uow.calls.update(a_call())
        with pytest.raises(NotFound):
            uow.inquiries.update(InquiryRecord(id=new_id(), created_at=T0, updated_at=T0))
        with pytest.raises(NotFound):
            uow.handoffs.update(a_handoff(None))


def test_every_event_round_trips_and_is_collected_after_commit(uow: SqlAlchemyUnitOfWork) -> None:
    """Each event kind is stored, read back equal in time order, and collected once."""
    call = a_call()
    events = every_event(call.id)
    with uow:
        for event in events:
            uow.events.add(event)
        assert uow.collect_events() == []
        uow.commit()
    assert uow.collect_events() == events
    assert uow.collect_events() == []
    with uow:
        assert uow.events.query() == events
        assert uow.events.query(kinds=["CallEnded", "CallbackCompleted"]) == events[-2:]
        assert uow.events.query(since=T0 + timedelta(minutes=1)) == events[-2:]
        assert uow.events.query(until=T0 + timedelta(minutes=1)) == events[:-2]


def test_leaving_without_commit_discards_changes_and_events(uow: SqlAlchemyUnitOfWork) -> None:
    """Nothing written in a block without `commit()` survives it, events included."""
    call = a_call()
    with uow:
        uow.calls.add(call)
        uow.events.add(CallStarted(occurred_at=T0, call_id=call.id))
    with uow:
        assert uow.calls.get(call.id) is None
        assert uow.events.query() == []
    assert uow.collect_events() == []


def test_an_error_inside_the_block_rolls_back(uow: SqlAlchemyUnitOfWork) -> None:
    """An exception in the block leaves the database as it was."""
    call = a_call()

    def fail_midway() -> None:
        with uow:
            uow.calls.add(call)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    with uow:
        assert uow.calls.get(call.id) is None


def test_naive_datetimes_are_refused() -> None:
    """Records and events refuse naive datetimes rather than guess a zone."""
    naive = datetime(2026, 3, 2, 14, 30)
    with pytest.raises(InvalidInput):
        a_call(started_at=naive)
    with pytest.raises(InvalidInput):
        TurnRecord(call_id="c", seq=0, at=naive)
    with pytest.raises(InvalidInput):
        CallStarted(occurred_at=naive, call_id="c")
    with pytest.raises(InvalidInput):
        a_handoff(None).completed(naive)
