"""Openings on a real database: a widening search reads the same calendar as one read."""

from __future__ import annotations

from datetime import timedelta

from tests.scheduling_practice import NOW, make_scheduling_practice

from frontdesk.adapters.db import SqlAlchemyUnitOfWork
from frontdesk.domain import appointments as rules
from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingRecord, BookingSource
from frontdesk.domain.calendar import BusyInterval, Slot
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.matching import CalendarSnapshot
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.services.openings import _GrowingSnapshot, snapshot

PRACTICE = make_scheduling_practice()
CLINICIANS = frozenset({"ana_lopez", "cleo_park"})


def _seed(uow: SqlAlchemyUnitOfWork) -> None:
    """Bookings of every kind and status, and busy time, on both sides of each read edge."""
    with uow:
        uow.inquiries.add(InquiryRecord(id="inq", created_at=NOW, updated_at=NOW))
        kinds = (ServiceKind.FIRST_SESSION, ServiceKind.ONGOING, ServiceKind.CONSULT)
        for n in range(450):
            clinician = ("ana_lopez", "cleo_park", "ben_carter")[n % 3]
            start = NOW - timedelta(days=9) + timedelta(hours=5 * n)
            slot = Slot(
                clinician, start, start + timedelta(hours=1), kinds[n % 3], Modality.TELEHEALTH
            )
            booked = rules.book(
                slot,
                appointment_id=f"a{n:03d}",
                client=ClientRef("inq"),
                at=NOW - timedelta(days=30),
                booked_by_ai=False,
            )
            uow.appointments.add(BookingRecord(booked, BookingSource.STAFF))
            if n % 4 == 1:
                uow.appointments.update(rules.mark(booked, AppointmentStatus.ATTENDED))
        for clinician in ("ana_lopez", "cleo_park", "ben_carter"):
            busy = [
                BusyInterval(
                    clinician,
                    NOW + timedelta(days=d, hours=20),
                    NOW + timedelta(days=d + 1, hours=4),
                )
                for d in range(-2, 70, 3)
            ]
            uow.busy.replace_imported(clinician, busy)
        uow.commit()


def _content(calendar: CalendarSnapshot) -> tuple[object, ...]:
    appointments = sorted(calendar.appointments, key=lambda a: a.id)
    return (calendar.templates, calendar.exceptions, sorted(calendar.busy, key=repr), appointments)


def test_a_widening_read_holds_what_one_read_of_the_same_horizon_holds(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """Reading 7 days, then 21, then 61 gives, at each step, the calendar one read would give."""
    _seed(uow)
    with uow:
        growing = _GrowingSnapshot(uow, PRACTICE, now=NOW, clinician_ids=CLINICIANS)
        for days in (7, 21, 61):
            widened = growing.up_to(days)
            whole = snapshot(uow, PRACTICE, now=NOW, days=days, clinician_ids=CLINICIANS)
            assert _content(widened) == _content(whole)
            assert len(widened.appointments) == len({a.id for a in widened.appointments})
            assert widened.appointments
