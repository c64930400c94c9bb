"""Savepoints: a failed step inside a unit of work is undone alone, on SQLite and PostgreSQL.

A call's turn performs its scheduling steps inside the one transaction that stores the turn.
When a booking loses its slot at the very last moment (the unique live-slot key refuses the
row), only that step is undone: the caller hears the slot was taken and new options, and the
turn is stored, instead of the whole turn failing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Self

from sqlalchemy import Engine
from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import NOW
from tests.services.test_call_booking import (
    _confirming,
    _ctx,
    _first_open,
    _practice,
    book_for_client,
)

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.scheduling_repositories import SqlAppointmentRepository
from frontdesk.conversation.events import CallerSaid
from frontdesk.domain.appointments import Appointment
from frontdesk.domain.errors import SlotUnavailable
from frontdesk.domain.events import MessageTaken
from frontdesk.domain.records import InquiryRecord
from frontdesk.services import appointments
from frontdesk.services.call_report import report
from frontdesk.services.calls import handle_turn
from frontdesk.services.unit_of_work import UnitOfWork


def _inquiry(inquiry_id: str) -> InquiryRecord:
    return InquiryRecord(id=inquiry_id, created_at=NOW, updated_at=NOW)


def _savepoint_keeps_earlier_work(uow: UnitOfWork) -> None:
    with uow:
        uow.inquiries.add(_inquiry("kept"))
        uow.events.add(MessageTaken(occurred_at=NOW, handoff_id="h-kept"))
        try:
            with uow.savepoint():
                uow.inquiries.add(_inquiry("undone"))
                uow.events.add(MessageTaken(occurred_at=NOW, handoff_id="h-undone"))
                raise SlotUnavailable("taken")
        except SlotUnavailable:
            pass
        with uow.savepoint():
            uow.inquiries.add(_inquiry("after"))
        uow.commit()
    with uow:
        assert uow.inquiries.get("kept") is not None
        assert uow.inquiries.get("undone") is None
        assert uow.inquiries.get("after") is not None
    handoffs = [getattr(e, "handoff_id", None) for e in uow.collect_events()]
    assert handoffs == ["h-kept"]


def test_a_failed_savepoint_undoes_its_rows_and_events_and_keeps_the_rest(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """Rows and events added inside a savepoint that raised are gone; the rest commits."""
    _savepoint_keeps_earlier_work(uow)


def test_the_in_memory_unit_of_work_keeps_the_same_savepoint_contract() -> None:
    """The fake undoes a failed savepoint exactly as the database does."""
    _savepoint_keeps_earlier_work(FakeUnitOfWork())


class _BlindAppointments(SqlAppointmentRepository):
    """The overlap check misses every booking, as if a rival committed just after it ran."""

    def overlapping(self, clinician_id: str, start: object, end: object) -> list[Appointment]:
        return []


class _LateRivalUnitOfWork(SqlAlchemyUnitOfWork):
    def __enter__(self) -> Self:
        super().__enter__()
        self.appointments = _BlindAppointments(self._require_session())
        return self


def test_a_slot_lost_at_the_write_is_said_as_taken_and_the_turn_is_stored(
    migrated_url: str,
) -> None:
    """The unique slot key refusing the booking row: "just taken", new options, turn kept."""
    engine = make_engine(migrated_url)
    try:
        _lose_the_slot_at_the_write(SqlAlchemyUnitOfWork, _LateRivalUnitOfWork, engine)
    finally:
        engine.dispose()


def _lose_the_slot_at_the_write(
    plain: type[SqlAlchemyUnitOfWork], late_rival: type[SqlAlchemyUnitOfWork], engine: Engine
) -> None:
    factory = make_session_factory(engine)
    uow = plain(factory)
    practice = _practice()
    slot = _first_open(uow, practice)  # type: ignore[arg-type]
    call_id = _confirming(uow, practice, slot)  # type: ignore[arg-type]
    rival, _ = book_for_client(uow, practice, slot)
    late = late_rival(factory)
    result = handle_turn(
        call_id=call_id,
        event=CallerSaid(NOW + timedelta(seconds=8), "yes"),
        uow=late,
        context=_ctx(practice),
    )
    lines = [s.line_id for s in result.says]
    assert lines[:2] == ["slot_taken", "offer_more"]
    assert not result.ended
    stored = report(call_id=call_id, uow=uow)
    assert [t.seq for t in stored.turns][-1] == result.seq
    booked = appointments.list_between(start=slot.start, end=slot.end, uow=uow)
    assert [r.appointment.client.client_id for r in booked] == [rival]
