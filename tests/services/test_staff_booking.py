"""Staff booking: the phone's matching rules and locked booking path, recorded as staff."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import NOW, PHONE, make_scheduling_practice

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import Slot
from frontdesk.domain.errors import InvalidInput, NotFound, NotPermitted, SlotUnavailable
from frontdesk.domain.events import AppointmentBooked
from frontdesk.domain.inquiries import Modality, Payment, ReminderPreference
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryStatus
from frontdesk.services import audit, clients, staff_booking, staff_matching
from frontdesk.services.staff_audit import ChangedBy
from frontdesk.services.staff_matching import NewClient

PRACTICE = make_scheduling_practice()
ZONE = PRACTICE.zone
BY = ChangedBy("user:u1", "127.0.0.1")
FIRST = ServiceKind.FIRST_SESSION
ONGOING = ServiceKind.ONGOING


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime.combine(date(2026, month, day), time(hour, minute), tzinfo=ZONE)


def slot(
    clinician: str = "ana_lopez",
    start: datetime | None = None,
    kind: ServiceKind = FIRST,
    modality: Modality = Modality.TELEHEALTH,
    location: str | None = None,
) -> Slot:
    return staff_booking.slot_at(
        PRACTICE,
        clinician_id=clinician,
        start=start or local(3, 10),
        kind=kind,
        modality=modality,
        location_id=location,
    )


def newcomer(**changes: object) -> NewClient:
    values: dict[str, object] = {
        "name": "  Jordan   Avery ",
        "phone": "(312) 555-0177",
        "state": "il",
        "age": 34,
        "payment": Payment.INSURANCE,
        "payer": "aetna",
    }
    values.update(changes)
    return NewClient(**values)  # type: ignore[arg-type]


def book_new(uow: FakeUnitOfWork, chosen: Slot, **changes: object) -> staff_booking.StaffBooking:
    return staff_booking.book_new_client(
        client=newcomer(**changes), slot=chosen, at=NOW, uow=uow, practice=PRACTICE, by=BY
    )


def established(uow: FakeUnitOfWork) -> str:
    return clients.add(
        name="Riley Stone", date_of_birth=date(1988, 5, 1), phone=PHONE, at=NOW, uow=uow
    )


def test_a_new_client_is_booked_as_staff_with_an_inquiry_holding_what_staff_entered() -> None:
    """The booking is staff-made (not AI), and the inquiry keeps the normalised intake."""
    uow = FakeUnitOfWork()
    booking = book_new(uow, slot())
    (appointment_id,) = booking.appointment_ids
    with uow:
        record = uow.appointments.get(appointment_id)
        assert booking.inquiry_id is not None
        inquiry = uow.inquiries.get(booking.inquiry_id)
    assert record is not None
    assert inquiry is not None
    assert record.source is BookingSource.STAFF
    assert record.appointment.booked_by_ai is False
    assert record.appointment.start == local(3, 10)
    assert record.contact is not None
    assert record.contact.to == PHONE
    assert record.contact.channel is ReminderPreference.SMS
    assert inquiry.status is InquiryStatus.BOOKED
    assert inquiry.intake.client_name == "Jordan Avery"
    assert inquiry.intake.state == "IL"
    booked = [e for e in uow.collect_events() if isinstance(e, AppointmentBooked)]
    assert [(e.source, e.booked_by_ai) for e in booked] == [("staff", False)]
    recorded = audit.entries(uow=uow, actor="user:u1")
    assert {(r.entry.action, r.entry.object_kind, r.entry.object_id) for r in recorded} == {
        ("create", "inquiry", booking.inquiry_id),
        ("create", "appointment", appointment_id),
    }
    assert all(r.entry.source == "127.0.0.1" for r in recorded)
    assert not any("Jordan" in r.entry.detail or "555" in r.entry.detail for r in recorded)


def test_staff_are_not_held_to_the_minimum_notice() -> None:
    """Two hours ahead is too soon for a caller but staff may book it."""
    uow = FakeUnitOfWork()
    booking = book_new(uow, slot(start=local(2, 11)))
    assert len(booking.appointment_ids) == 1


def test_a_clinician_outside_the_clients_network_is_refused_by_name_of_the_rule() -> None:
    """A Cigna client cannot be booked with Ana, and nothing is stored."""
    uow = FakeUnitOfWork()
    with pytest.raises(NotPermitted, match="payer_network"):
        book_new(uow, slot(), payer="cigna")
    with uow:
        assert uow.appointments.between(NOW, NOW + timedelta(days=30)) == []


def test_video_needs_the_state_the_client_is_in() -> None:
    """Licensure follows the client: no state, no video session with a new client."""
    uow = FakeUnitOfWork()
    with pytest.raises(NotPermitted, match="state_licensure"):
        book_new(uow, slot(), state=None)
    with pytest.raises(NotPermitted, match="state_licensure"):
        book_new(uow, slot(), state="TX")


def test_a_time_outside_the_clinicians_hours_is_not_open() -> None:
    """Ana works mornings; 2 pm is refused as not open."""
    uow = FakeUnitOfWork()
    with pytest.raises(SlotUnavailable, match="not open"):
        book_new(uow, slot(start=local(3, 14)))


def test_a_taken_or_overlapping_time_is_refused() -> None:
    """Staff cannot double-book: the same start, or one overlapping it, is refused."""
    uow = FakeUnitOfWork()
    book_new(uow, slot())
    with pytest.raises(SlotUnavailable):
        book_new(uow, slot(), name="Sam Other")
    with pytest.raises(SlotUnavailable):
        book_new(uow, slot(start=local(3, 10, 30)), name="Sam Other")


def test_new_client_capacity_holds_for_staff_too() -> None:
    """Cleo takes one new client a week: a second first session that week is refused."""
    uow = FakeUnitOfWork()
    book_new(uow, slot("cleo_park", local(3, 13)))
    with pytest.raises(SlotUnavailable, match="new-client place"):
        book_new(uow, slot("cleo_park", local(5, 13)), name="Sam Other")


def test_an_office_visit_defaults_to_the_clinicians_only_office() -> None:
    """In person with Ana needs no office named: she has one."""
    chosen = slot(modality=Modality.IN_PERSON)
    assert chosen.location_id == "main_office"
    with pytest.raises(InvalidInput):
        slot(modality=Modality.IN_PERSON, location="elsewhere")


def test_a_consult_by_office_is_refused_where_the_practice_offers_it_by_video_only() -> None:
    """The consult is video only in this practice."""
    uow = FakeUnitOfWork()
    with pytest.raises(InvalidInput, match="consult"):
        book_new(uow, slot(kind=ServiceKind.CONSULT, modality=Modality.IN_PERSON))


def test_weekly_sessions_keep_their_local_time_across_daylight_saving() -> None:
    """Four Tuesdays at 10 am in Chicago, across the March clock change."""
    uow = FakeUnitOfWork()
    client_id = established(uow)
    booking = staff_booking.book_client(
        client_id=client_id,
        slot=slot(kind=ONGOING, modality=Modality.IN_PERSON),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        by=BY,
        weeks=4,
    )
    assert len(booking.appointment_ids) == 4
    with uow:
        found = [uow.appointments.get(i) for i in booking.appointment_ids]
    starts = [r.appointment.start.astimezone(ZONE) for r in found if r is not None]
    assert [(s.date().isoformat(), s.hour) for s in starts] == [
        ("2026-03-03", 10),
        ("2026-03-10", 10),
        ("2026-03-17", 10),
        ("2026-03-24", 10),
    ]
    assert starts[0].utcoffset() != starts[-1].utcoffset()
    assert all(r is not None and r.source is BookingSource.STAFF for r in found)


def test_weekly_sessions_are_all_booked_or_none() -> None:
    """A taken third week refuses the series, names the week, and books nothing."""
    uow = FakeUnitOfWork()
    book_new(uow, slot(start=local(17, 10)))
    client_id = established(uow)
    with pytest.raises(SlotUnavailable, match=r"week 3 \(2026-03-17 10:00\).*nothing was booked"):
        staff_booking.book_client(
            client_id=client_id,
            slot=slot(kind=ONGOING, modality=Modality.IN_PERSON),
            at=NOW,
            uow=uow,
            practice=PRACTICE,
            by=BY,
            weeks=4,
        )
    with uow:
        assert uow.appointments.for_client(client_id=client_id) == []
    assert len(audit.entries(uow=uow, object_kind="appointment")) == 1  # the earlier booking


def test_an_established_clients_video_session_with_a_new_clinician_needs_their_state() -> None:
    """Licensure is settled only with a clinician already seeing the client."""
    uow = FakeUnitOfWork()
    client_id = established(uow)

    def book(chosen: Slot, state: str | None = None) -> staff_booking.StaffBooking:
        return staff_booking.book_client(
            client_id=client_id, slot=chosen, at=NOW, uow=uow, practice=PRACTICE, by=BY, state=state
        )

    with pytest.raises(NotPermitted, match="state_licensure"):
        book(slot(kind=ONGOING))
    book(slot(kind=ONGOING, modality=Modality.IN_PERSON))
    assert book(slot(start=local(4, 10), kind=ONGOING)).appointment_ids
    assert book(slot("cleo_park", local(3, 13), kind=ONGOING), state="MN").appointment_ids


def test_weeks_out_of_range_are_refused() -> None:
    """Zero weeks, or more than half a year, is a mistake."""
    uow = FakeUnitOfWork()
    client_id = established(uow)
    for weeks in (0, staff_booking.MAX_WEEKS + 1):
        with pytest.raises(InvalidInput, match="weeks"):
            staff_booking.book_client(
                client_id=client_id,
                slot=slot(),
                at=NOW,
                uow=uow,
                practice=PRACTICE,
                by=BY,
                weeks=weeks,
            )


def test_move_books_the_new_time_and_closes_the_old_one() -> None:
    """A staff move keeps the client and kind; the old appointment is rescheduled."""
    uow = FakeUnitOfWork()
    (old_id,) = book_new(uow, slot()).appointment_ids
    new_id = staff_booking.move(
        appointment_id=old_id,
        slot=slot(start=local(4, 11)),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        by=BY,
    )
    with uow:
        old = uow.appointments.get(old_id)
        new = uow.appointments.get(new_id)
    assert old is not None
    assert new is not None
    assert old.appointment.status is AppointmentStatus.RESCHEDULED
    assert new.appointment.start == local(4, 11)
    assert new.appointment.client == old.appointment.client
    assert new.appointment.booked_by_ai is False


def test_move_keeps_the_clients_matching_rules() -> None:
    """A new client in Illinois cannot be moved to a clinician outside their network."""
    uow = FakeUnitOfWork()
    (old_id,) = book_new(uow, slot()).appointment_ids
    with pytest.raises(NotPermitted, match="payer_network"):
        staff_booking.move(
            appointment_id=old_id,
            slot=slot("ben_carter", local(4, 10), modality=Modality.IN_PERSON),
            at=NOW,
            uow=uow,
            practice=PRACTICE,
            by=BY,
        )


def test_cancel_and_mark_record_the_outcome() -> None:
    """Cancelling frees the time; marking records attendance, idempotently."""
    uow = FakeUnitOfWork()
    first, second = (
        book_new(uow, slot(start=local(day, 10)), name=f"Client {day}").appointment_ids[0]
        for day in (3, 4)
    )
    cancelled = staff_booking.cancel(
        appointment_id=first, at=NOW, uow=uow, practice=PRACTICE, by=BY
    )
    assert cancelled.status is AppointmentStatus.CANCELLED
    book_new(uow, slot(start=local(3, 10)), name="Client again")
    later = local(4, 12)
    marked = staff_booking.mark(
        appointment_id=second, status=AppointmentStatus.NO_SHOW, at=later, uow=uow, by=BY
    )
    assert marked.status is AppointmentStatus.NO_SHOW
    again = staff_booking.mark(
        appointment_id=second, status=AppointmentStatus.NO_SHOW, at=later, uow=uow, by=BY
    )
    assert again.status is AppointmentStatus.NO_SHOW
    changes = audit.entries(uow=uow, action="change")
    assert [(r.entry.object_id, r.entry.detail) for r in reversed(changes)] == [
        (first, "status=cancelled"),
        (second, "status=no_show"),
    ]


def test_openings_for_a_new_client_follow_the_matching_rules() -> None:
    """A Cigna client in Illinois has no openings; an Aetna one sees Ana and Cleo only."""
    uow = FakeUnitOfWork()
    none = staff_matching.openings_for_new_client(
        client=newcomer(payer="cigna"), kind=FIRST, now=NOW, days=14, uow=uow, practice=PRACTICE
    )
    assert none == []
    some = staff_matching.openings_for_new_client(
        client=newcomer(), kind=FIRST, now=NOW, days=14, uow=uow, practice=PRACTICE
    )
    assert {s.clinician_id for s in some} == {"ana_lopez", "cleo_park"}


def test_an_established_client_is_found_by_id_or_by_their_only_phone_number() -> None:
    """A number two clients share must be told apart by id; an unknown one is not found."""
    uow = FakeUnitOfWork()
    client_id = established(uow)
    assert clients.resolve(reference=client_id, uow=uow) == client_id
    assert clients.resolve(reference="(312) 555-0177", uow=uow) == client_id
    with pytest.raises(NotFound):
        clients.resolve(reference="312-555-0199", uow=uow)
    with pytest.raises(NotFound):
        clients.resolve(reference="not-an-id", uow=uow)
    clients.add(name="Sam Stone", date_of_birth=date(2012, 1, 1), phone=PHONE, at=NOW, uow=uow)
    with pytest.raises(InvalidInput, match="several clients"):
        clients.resolve(reference=PHONE, uow=uow)


def test_a_move_lists_only_times_that_fit_the_client_with_the_same_clinician() -> None:
    """A new client without a state may be moved to Ana's office times, never to video."""
    uow = FakeUnitOfWork()
    (booked,) = book_new(
        uow, slot(modality=Modality.IN_PERSON), state=None, payment=Payment.PRIVATE_PAY
    ).appointment_ids
    found = staff_matching.openings_for_move(
        appointment_id=booked, now=NOW, days=7, uow=uow, practice=PRACTICE
    )
    assert found
    assert {s.clinician_id for s in found} == {"ana_lopez"}
    assert {s.modality for s in found} == {Modality.IN_PERSON}
