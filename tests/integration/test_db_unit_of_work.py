"""The in-memory `FakeUnitOfWork` behaves like `SqlAlchemyUnitOfWork` for the same script."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from tests.fakes import FakeUnitOfWork

from frontdesk.adapters.db import SqlAlchemyUnitOfWork
from frontdesk.domain.calls import HandoffCategory, Route, Urgency
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.events import CallEnded, CallStarted, HandoffCreated, TurnTaken
from frontdesk.domain.handoffs import Handoff, HandoffStatus
from frontdesk.domain.inquiries import Intake, Modality
from frontdesk.domain.records import CallRecord, CallStatus, InquiryRecord, TurnRecord
from frontdesk.services.unit_of_work import UnitOfWork

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _outcome(action: Callable[[], object]) -> object:
    """What an action returned, or the name of the domain error it raised."""
    try:
        return action()
    except (Conflict, NotFound) as exc:
        return type(exc).__name__


def script(uow: UnitOfWork) -> list[object]:
    """A call's life with retries, conflicts and rollbacks; returns everything observed."""
    seen: list[object] = []
    call = CallRecord(id="c" * 32, external_id="CA1", started_at=T0, state={"step": ("greet",)})
    other = CallRecord(id="d" * 32, external_id="CA2", started_at=T0 + timedelta(minutes=1))
    with uow:
        uow.calls.add(call)
        uow.calls.add(other)
        uow.events.add(CallStarted(occurred_at=T0, call_id=call.id))
        seen.append(uow.calls.get(call.id))
        uow.commit()
    seen.append(uow.collect_events())

    with uow:  # a second "call started" webhook for the same CallSid
        seen.append(_outcome(lambda: uow.calls.add(replace(call, id="e" * 32))))

    for seq in (0, 1):
        with uow:
            turn = TurnRecord(call_id=call.id, seq=seq, at=T0 + timedelta(seconds=seq))
            seen.append(uow.turns.get(call.id, seq))
            uow.turns.add(turn)
            uow.events.add(TurnTaken(occurred_at=turn.at, call_id=call.id, seq=seq))
            uow.calls.update(replace(call, state={"step": f"after {seq}"}, route=Route.CLINICAL))
            uow.commit()
    with uow:  # a retried webhook for turn 1
        seen.append(uow.turns.get(call.id, 1))
        seen.append(_outcome(lambda: uow.turns.add(TurnRecord(call_id=call.id, seq=1, at=T0))))
    with uow:  # a turn of a call that does not exist
        seen.append(_outcome(lambda: uow.turns.add(TurnRecord(call_id="x" * 32, seq=0, at=T0))))

    with uow:
        inquiry = InquiryRecord(
            id="i" * 32,
            call_id=call.id,
            created_at=T0,
            updated_at=T0,
            intake=Intake(modality=Modality.TELEHEALTH, state="OR"),
        )
        uow.inquiries.add(inquiry)
        for n, urgency in enumerate((Urgency.ROUTINE, Urgency.URGENT, Urgency.URGENT)):
            handoff = Handoff(
                id=f"{n}" * 32,
                call_id=call.id,
                inquiry_id=inquiry.id,
                category=HandoffCategory.CLINICAL,
                urgency=urgency,
                summary=f"task {n}",
                created_at=T0 + timedelta(minutes=10 - n),
                details={"captured": ("state", "modality")},
            )
            uow.handoffs.add(handoff)
            uow.events.add(
                HandoffCreated(
                    occurred_at=handoff.created_at,
                    handoff_id=handoff.id,
                    category=handoff.category,
                    urgency=urgency,
                    call_id=call.id,
                )
            )
        uow.commit()

    with uow:  # changes abandoned without a commit
        uow.calls.update(replace(call, status=CallStatus.ENDED))
        uow.events.add(CallEnded(occurred_at=T0, call_id=call.id))
    with uow:  # changes explicitly rolled back, then others committed
        uow.handoffs.update(uow.handoffs.list_queue()[0].completed(T0 + timedelta(hours=1)))
        uow.rollback()
        uow.handoffs.update(uow.handoffs.list_queue()[-1].completed(T0 + timedelta(hours=2)))
        uow.commit()
    with uow:
        seen.append(_outcome(lambda: uow.inquiries.update(replace(inquiry, id="z" * 32))))
        seen.append(_outcome(lambda: uow.handoffs.update(replace(handoff, id="y" * 32))))
        seen.append(_outcome(lambda: uow.calls.update(replace(call, id="w" * 32))))

    with uow:
        seen.append(uow.calls.get(call.id))
        seen.append(uow.calls.get_by_external_id("CA2"))
        seen.append(uow.calls.list_started_between(T0, T0 + timedelta(hours=1)))
        seen.append(uow.turns.list_for_call(call.id))
        seen.append(uow.inquiries.list_for_call(call.id))
        seen.append(uow.handoffs.list_queue(status=HandoffStatus.OPEN))
        seen.append(uow.handoffs.list_queue(status=HandoffStatus.DONE))
        seen.append(uow.handoffs.list_for_call(call.id))
        seen.append(uow.events.query())
        seen.append(uow.events.query(kinds=["TurnTaken"], since=T0 + timedelta(seconds=1)))
    seen.append(uow.collect_events())
    return seen


def test_fake_and_real_units_of_work_agree(uow: SqlAlchemyUnitOfWork) -> None:
    """The same operations observe the same records, errors and events on both."""
    real = script(uow)
    fake = script(FakeUnitOfWork())
    assert len(real) == len(fake)
    for n, (got, expected) in enumerate(zip(fake, real, strict=True)):
        assert got == expected, f"observation {n} differs"


def test_the_script_observes_conflicts_and_not_found() -> None:
    """The script exercises the error paths, so agreement above means something."""
    seen = script(FakeUnitOfWork())
    assert seen.count("Conflict") == 3
    assert seen.count("NotFound") == 3


def test_the_fake_counts_commits_and_refuses_use_outside_a_block() -> None:
    """The fake records commits and, like the real one, needs a `with` block."""
    fake = FakeUnitOfWork()
    assert not fake.committed
    with pytest.raises(RuntimeError):
        fake.commit()
    with fake:
        fake.commit()
    assert fake.commits == 1


def test_changing_a_read_record_in_place_changes_nothing_stored(uow: SqlAlchemyUnitOfWork) -> None:
    """Mutating the state dict of a call that was read does not reach storage, on either side."""
    for candidate in (uow, FakeUnitOfWork()):
        with candidate:
            candidate.calls.add(CallRecord(id="c" * 32, started_at=T0, state={"n": 1}))
            candidate.commit()
        with candidate:
            read = candidate.calls.get("c" * 32)
            assert read is not None
            read.state["n"] = 2
            candidate.commit()
        with candidate:
            stored = candidate.calls.get("c" * 32)
            assert stored is not None
            assert stored.state == {"n": 1}
