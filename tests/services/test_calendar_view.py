"""The staff calendar and waitlist board: names, sources, filters and suitable openings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import NOW, PHONE, intake, make_scheduling_practice

from frontdesk.domain.appointments import ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.inquiries import Intake, Modality, Payment
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.services import (
    appointments,
    calendar_view,
    clients,
    staff_booking,
    staff_matching,
    waitlist,
    waitlist_board,
)
from frontdesk.services.staff_audit import ChangedBy

PRACTICE = make_scheduling_practice()
ZONE = PRACTICE.zone
BY = ChangedBy("user:u1")
TUESDAY = date(2026, 3, 3)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def seeded() -> tuple[FakeUnitOfWork, str, str]:
    """Tuesday: an AI booking with Ana by video, a staff booking with Ana at the office."""
    uow = FakeUnitOfWork()
    with uow:
        uow.inquiries.add(
            InquiryRecord(
                id="inq-ai",
                created_at=NOW,
                updated_at=NOW,
                intake=Intake(client_name="Casey Lee", state="IL"),
            )
        )
        uow.commit()
    ai = appointments.book(
        slot=staff_booking.slot_at(
            PRACTICE,
            clinician_id="ana_lopez",
            start=at(TUESDAY, 9),
            kind=ServiceKind.FIRST_SESSION,
            modality=Modality.TELEHEALTH,
        ),
        client=ClientRef(inquiry_id="inq-ai"),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        booked_by_ai=True,
        source=BookingSource.CALL,
    )
    client_id = clients.add(
        name="Riley Stone", date_of_birth=date(1988, 5, 1), phone=PHONE, at=NOW, uow=uow
    )
    (staff,) = staff_booking.book_client(
        client_id=client_id,
        slot=staff_booking.slot_at(
            PRACTICE,
            clinician_id="ana_lopez",
            start=at(TUESDAY, 11),
            kind=ServiceKind.ONGOING,
            modality=Modality.IN_PERSON,
        ),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        by=BY,
    ).appointment_ids
    return uow, ai, staff


def test_a_day_lists_appointments_with_client_names_and_who_booked_them() -> None:
    """Names come from the inquiry or the client record; the source is AI or staff."""
    uow, ai, staff = seeded()
    (day,) = calendar_view.calendar(first=TUESDAY, days=1, uow=uow, practice=PRACTICE)
    assert [(e.appointment.id, e.client_name, e.made_by, e.established) for e in day.entries] == [
        (ai, "Casey Lee", "AI", False),
        (staff, "Riley Stone", "staff", True),
    ]


def test_filters_by_clinician_and_by_office_or_video() -> None:
    """Another clinician's calendar is empty; video and the office split Ana's day."""
    uow, ai, staff = seeded()

    def ids(**filters: str) -> list[str]:
        (day,) = calendar_view.calendar(
            first=TUESDAY, days=1, uow=uow, practice=PRACTICE, **filters
        )
        return [e.appointment.id for e in day.entries]

    assert ids(clinician_id="cleo_park") == []
    assert ids(location=calendar_view.VIDEO) == [ai]
    assert ids(location="main_office") == [staff]


def test_a_week_has_seven_days_from_monday_and_moves_show_once() -> None:
    """A moved appointment is shown as its successor only."""
    uow, ai, _ = seeded()
    moved = staff_booking.move(
        appointment_id=ai,
        slot=staff_booking.slot_at(
            PRACTICE,
            clinician_id="ana_lopez",
            start=at(TUESDAY + timedelta(days=1), 10),
            kind=ServiceKind.FIRST_SESSION,
            modality=Modality.TELEHEALTH,
        ),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        by=BY,
    )
    week = calendar_view.calendar(
        first=calendar_view.week_start(TUESDAY), days=7, uow=uow, practice=PRACTICE
    )
    assert [d.day.weekday() for d in week] == list(range(7))
    shown = [e.appointment.id for d in week for e in d.entries]
    assert moved in shown
    assert ai not in shown


def test_the_board_lists_suitable_open_times_for_each_waiting_entry() -> None:
    """An Aetna client in Illinois sees times with Ana or Cleo only, oldest entry first."""
    uow = FakeUnitOfWork()
    first = waitlist.join(
        intake=intake(client_name="Pat Doe"), kind=ServiceKind.FIRST_SESSION, at=NOW, uow=uow
    )
    second = waitlist.join(
        intake=intake(payment=Payment.INSURANCE, payer="cigna"),
        kind=ServiceKind.FIRST_SESSION,
        at=NOW + timedelta(hours=1),
        uow=uow,
    )
    rows = waitlist_board.board(now=NOW + timedelta(days=2), uow=uow, practice=PRACTICE)
    assert [r.record.entry.id for r in rows] == [first, second]
    assert rows[0].waited_days == 2
    assert rows[0].suitable
    assert {s.clinician_id for s in rows[0].suitable} <= {"ana_lopez", "cleo_park"}
    assert rows[1].suitable == []


def test_offer_now_offers_a_time_once_and_never_a_taken_one() -> None:
    """The first offer opens a round; a second of the same time, or of a booked one, is
    refused, so nobody is texted twice about one time."""
    import pytest

    from frontdesk.domain.errors import Conflict, SlotUnavailable

    uow = FakeUnitOfWork()
    waitlist.join(
        intake=intake(client_name="Pat Doe"), kind=ServiceKind.FIRST_SESSION, at=NOW, uow=uow
    )
    later = NOW + timedelta(days=1)
    (row,) = waitlist_board.board(now=later, uow=uow, practice=PRACTICE)
    first, second = row.suitable[:2]
    assert waitlist_board.offer_now(slot=first, at=later, uow=uow, practice=PRACTICE)
    with pytest.raises(Conflict, match="already been offered"):
        waitlist_board.offer_now(slot=first, at=later, uow=uow, practice=PRACTICE)
    staff_booking.book_new_client(
        client=staff_matching.NewClient(name="Other", state="IL", payment=Payment.PRIVATE_PAY),
        slot=second,
        at=later,
        uow=uow,
        practice=PRACTICE,
        by=BY,
    )
    with pytest.raises(SlotUnavailable):
        waitlist_board.offer_now(slot=second, at=later, uow=uow, practice=PRACTICE)
