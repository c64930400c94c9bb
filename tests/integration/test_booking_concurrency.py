"""Twenty threads booking one slot: exactly one succeeds, every other hears `SlotUnavailable`."""

from __future__ import annotations

import threading
from datetime import timedelta

from tests.scheduling_practice import NOW, intake, make_scheduling_practice

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import Slot
from frontdesk.domain.errors import SlotUnavailable
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.services import appointments, openings

THREADS = 20
PRACTICE = make_scheduling_practice()


def _race(url: str, slots: list[Slot]) -> tuple[list[str], list[BaseException]]:
    """Each thread books its slot (all starting together); the ids booked and the errors."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with SqlAlchemyUnitOfWork(factory) as uow:
            for n in range(THREADS):
                uow.inquiries.add(InquiryRecord(id=f"inq{n:02d}", created_at=NOW, updated_at=NOW))
            uow.commit()
        booked: list[str] = []
        errors: list[BaseException] = []
        gate = threading.Barrier(THREADS)

        def attempt(n: int) -> None:
            gate.wait()
            try:
                booked.append(
                    appointments.book(
                        slot=slots[n % len(slots)],
                        client=ClientRef(inquiry_id=f"inq{n:02d}"),
                        at=NOW,
                        uow=SqlAlchemyUnitOfWork(factory),
                        practice=PRACTICE,
                        booked_by_ai=True,
                        source=BookingSource.CALL,
                    )
                )
            except BaseException as exc:  # every outcome is collected and judged below
                errors.append(exc)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return booked, errors
    finally:
        engine.dispose()


def _first_slot(url: str) -> Slot:
    engine = make_engine(url)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        (slot, *_) = openings.find_openings_for(
            intake=intake(), kind=ServiceKind.FIRST_SESSION, now=NOW, uow=uow, practice=PRACTICE
        )
        return slot
    finally:
        engine.dispose()


def test_twenty_threads_booking_one_slot_give_exactly_one_success(migrated_url: str) -> None:
    """One booking wins; the nineteen others get the clear refusal and no other error."""
    slot = _first_slot(migrated_url)
    booked, errors = _race(migrated_url, [slot])
    assert len(booked) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, SlotUnavailable) for error in errors)


def test_overlapping_starts_in_parallel_give_one_booking(migrated_url: str) -> None:
    """9:00 and 9:30 overlap on one clinician: racing threads still leave one live booking."""
    slot = _first_slot(migrated_url)
    later = Slot(
        slot.clinician_id,
        slot.start + timedelta(minutes=30),
        slot.end + timedelta(minutes=30),
        slot.kind,
        slot.modality,
        slot.location_id,
    )
    booked, errors = _race(migrated_url, [slot, later])
    assert len(booked) == 1
    assert all(isinstance(error, SlotUnavailable) for error in errors)
    engine = make_engine(migrated_url)
    try:
        with SqlAlchemyUnitOfWork(make_session_factory(engine)) as uow:
            live = uow.appointments.overlapping(slot.clinician_id, slot.start, later.end)
        assert [a.status for a in live] == [AppointmentStatus.BOOKED]
    finally:
        engine.dispose()


def test_staff_and_callers_racing_for_one_slot_give_exactly_one_booking(
    migrated_url: str,
) -> None:
    """Half the threads book as staff (`frontdesk book`, the calendar), half as callers:
    one booking stands, and every other attempt is refused with `SlotUnavailable`."""
    from frontdesk.domain.inquiries import Payment
    from frontdesk.services import staff_booking, staff_matching
    from frontdesk.services.staff_audit import CLI

    slot = _first_slot(migrated_url)
    engine = make_engine(migrated_url)
    factory = make_session_factory(engine)
    try:
        with SqlAlchemyUnitOfWork(factory) as uow:
            for n in range(THREADS):
                uow.inquiries.add(InquiryRecord(id=f"inq{n:02d}", created_at=NOW, updated_at=NOW))
            uow.commit()
        booked: list[str] = []
        errors: list[BaseException] = []
        gate = threading.Barrier(THREADS)

        def attempt(n: int) -> None:
            gate.wait()
            try:
                if n % 2:
                    made = staff_booking.book_new_client(
                        client=staff_matching.NewClient(
                            name=f"Client {n}", state="IL", payment=Payment.PRIVATE_PAY
                        ),
                        slot=slot,
                        at=NOW,
                        uow=SqlAlchemyUnitOfWork(factory),
                        practice=PRACTICE,
                        by=CLI,
                    )
                    booked.extend(made.appointment_ids)
                else:
                    booked.append(
                        appointments.book(
                            slot=slot,
                            client=ClientRef(inquiry_id=f"inq{n:02d}"),
                            at=NOW,
                            uow=SqlAlchemyUnitOfWork(factory),
                            practice=PRACTICE,
                            booked_by_ai=True,
                            source=BookingSource.CALL,
                        )
                    )
            except BaseException as exc:  # every outcome is collected and judged below
                errors.append(exc)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(booked) == 1
        assert len(errors) == THREADS - 1
        assert all(isinstance(error, SlotUnavailable) for error in errors), errors
        with SqlAlchemyUnitOfWork(factory) as uow:
            live = uow.appointments.overlapping(slot.clinician_id, slot.start, slot.end)
        assert len(live) == 1
    finally:
        engine.dispose()
