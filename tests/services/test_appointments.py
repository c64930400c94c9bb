"""Finding openings, atomic booking, reminders, Good Faith Estimate tasks, cancel, move, mark."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import CONTACT, NOW, intake, make_scheduling_practice

from frontdesk.domain.appointments import AppointmentStatus, ClientRef, slot_key
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import Slot
from frontdesk.domain.calls import HandoffCategory
from frontdesk.domain.clients import Contact
from frontdesk.domain.errors import InvalidInput, NotPermitted, SlotUnavailable
from frontdesk.domain.events import AppointmentBooked, AppointmentMarked
from frontdesk.domain.inquiries import Modality, Payment, ReminderPreference
from frontdesk.domain.messages import MessageStatus, Purpose
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.services import appointments, clients, openings

PRACTICE = make_scheduling_practice()
FIRST = ServiceKind.FIRST_SESSION


def with_inquiry(uow: FakeUnitOfWork, inquiry_id: str = "inq1") -> ClientRef:
    with uow:
        uow.inquiries.add(InquiryRecord(id=inquiry_id, created_at=NOW, updated_at=NOW))
        uow.commit()
    return ClientRef(inquiry_id=inquiry_id)


def first_offer(uow: FakeUnitOfWork, practice: Practice = PRACTICE, **changes: object) -> Slot:
    offered = openings.find_openings_for(
        intake=intake(**changes), kind=FIRST, now=NOW, uow=uow, practice=practice
    )
    assert offered
    return offered[0]


def book(uow: FakeUnitOfWork, slot: Slot, client: ClientRef, **extra: object) -> str:
    values: dict[str, object] = {
        "slot": slot,
        "client": client,
        "at": NOW,
        "uow": uow,
        "practice": PRACTICE,
        "booked_by_ai": True,
        "source": BookingSource.CALL,
    }
    values.update(extra)
    return appointments.book(**values)  # type: ignore[arg-type]


def test_openings_are_at_most_three_fitting_slots_read_in_local_time() -> None:
    """A hybrid Aetna caller in Illinois is offered three slots, the first read in Chicago time."""
    uow = FakeUnitOfWork()
    offered = openings.find_openings_for(
        intake=intake(), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )
    assert len(offered) == 3
    assert {slot.clinician_id for slot in offered} <= {"ana_lopez", "cleo_park"}
    described = openings.describe(offered[0], PRACTICE)
    assert described.when == "Tuesday the 3rd at 9 am"
    assert described.clinician == "Ana Lopez, LCSW"


def test_no_fit_gives_no_openings() -> None:
    """A caller whose payer no clinician takes is offered nothing (waitlist or callback)."""
    uow = FakeUnitOfWork()
    offered = openings.find_openings_for(
        intake=intake(payer="cigna"), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )
    assert offered == []


def test_asking_for_others_excludes_the_slots_already_offered() -> None:
    """Slot keys already offered are never offered again."""
    uow = FakeUnitOfWork()
    first = openings.find_openings_for(
        intake=intake(), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )
    keys = frozenset(slot_key(s.clinician_id, s.start) for s in first)
    more = openings.find_openings_for(
        intake=intake(), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE, exclude=keys
    )
    assert more
    assert not {slot_key(s.clinician_id, s.start) for s in more} & keys


def test_a_booked_slot_is_no_longer_offered_and_cannot_be_booked_twice() -> None:
    """After a booking the slot leaves the offers and a second booking is refused."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    slot = first_offer(uow)
    appointment_id = book(uow, slot, client)
    with uow:
        stored = uow.appointments.get(appointment_id)
    assert stored is not None
    assert stored.appointment.booked_by_ai
    offered = openings.find_openings_for(
        intake=intake(), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )
    assert slot_key(slot.clinician_id, slot.start) not in {
        slot_key(s.clinician_id, s.start) for s in offered
    }
    with pytest.raises(SlotUnavailable):
        book(uow, slot, client)


def test_an_overlapping_start_on_the_same_clinician_is_refused() -> None:
    """A 9:30 start is refused against a booked 9:00 hour though its slot key differs."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    slot = first_offer(uow)
    book(uow, slot, client)
    later = Slot(
        slot.clinician_id,
        slot.start + timedelta(minutes=30),
        slot.end + timedelta(minutes=30),
        slot.kind,
        slot.modality,
        slot.location_id,
    )
    with pytest.raises(SlotUnavailable):
        book(uow, later, client)


def test_a_slot_outside_the_hours_is_refused() -> None:
    """A made-up slot on a Sunday is not bookable."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    sunday = datetime(2026, 3, 8, 16, 0, tzinfo=NOW.tzinfo)
    slot = Slot("ana_lopez", sunday, sunday + timedelta(hours=1), FIRST, Modality.TELEHEALTH)
    with pytest.raises(SlotUnavailable):
        book(uow, slot, client)


def test_booking_records_the_event_for_metrics() -> None:
    """`AppointmentBooked` carries the service, source and AI flag."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    uow.collect_events()
    appointment_id = book(uow, first_offer(uow), client, call_id=None)
    (event,) = [e for e in uow.collect_events() if isinstance(e, AppointmentBooked)]
    assert event.appointment_id == appointment_id
    assert event.service == "first_session"
    assert event.source == "call"
    assert event.booked_by_ai is True


def test_booking_queues_discreet_reminders_keyed_by_appointment() -> None:
    """Reminders go out 48 and 2 hours ahead through the outbox with stable dedupe keys."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    slot = first_offer(uow, modality=Modality.TELEHEALTH)
    appointment_id = book(uow, slot, client, contact=CONTACT)
    with uow:
        queued = [m for m in uow.messages.list_all() if m.appointment_id == appointment_id]
    # Booked 24 hours ahead: the 48-hour reminder would be in the past, so only one is due.
    assert [m.dedupe_key for m in queued] == [f"reminder:{appointment_id}:120m"]
    assert all(m.purpose is Purpose.REMINDER and m.to == CONTACT.to for m in queued)
    assert all("https://doxy.example/room" in m.body for m in queued)


def test_private_pay_first_session_opens_a_good_faith_estimate_task_with_its_due_date() -> None:
    """Booked 10+ business days ahead, the estimate is due 3 business days after booking."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    far = NOW + timedelta(days=21)
    offered = openings.open_slots_for(kind=FIRST, now=far, days=3, uow=uow, practice=PRACTICE)
    book(uow, offered[0], client, payment=Payment.PRIVATE_PAY)
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.category is HandoffCategory.TASK
    assert task.details["due"] == date(2026, 3, 5).isoformat()  # Monday + 3 business days


def test_short_notice_private_pay_still_opens_the_task_without_a_deadline() -> None:
    """Booked 1 business day ahead there is no statutory deadline, but staff still get a task."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    book(uow, first_offer(uow), client, payment=Payment.SLIDING_SCALE)
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.details["due"] is None
    assert "no statutory deadline" in task.summary
    assert "send before the session" in task.summary


def test_estimate_task_carries_the_clients_number() -> None:
    """Staff working the queue see the client's number on the estimate task itself."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    texts = Contact(ReminderPreference.SMS, "+13125550147")
    book(uow, first_offer(uow), client, payment=Payment.PRIVATE_PAY, contact=texts)
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.caller_number == "+13125550147"


def test_insured_booking_opens_no_estimate_task() -> None:
    """An insured first session needs no Good Faith Estimate."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    book(uow, first_offer(uow), client, payment=Payment.INSURANCE)
    with uow:
        assert uow.handoffs.list_queue() == []


def test_cancel_inside_the_window_is_late_and_withdraws_reminders() -> None:
    """A cancellation under 24 hours ahead is flagged late and its queued reminders are closed."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    slot = first_offer(uow)
    appointment_id = book(uow, slot, client, contact=CONTACT)
    cancelled = appointments.cancel(
        appointment_id=appointment_id,
        at=slot.start - timedelta(hours=3),
        uow=uow,
        practice=PRACTICE,
        reason="work",
    )
    assert cancelled.status is AppointmentStatus.LATE_CANCELLED
    assert cancelled.late
    with uow:
        statuses = {m.status for m in uow.messages.list_all() if m.appointment_id == appointment_id}
    assert statuses == {MessageStatus.WITHDRAWN}
    assert first_offer(uow).start == slot.start  # the slot is free again


def test_a_verified_client_cannot_cancel_someone_elses_appointment() -> None:
    """With a client id the appointment must belong to that client."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    appointment_id = book(uow, first_offer(uow), client)
    other = clients.add(
        name="Pat Doe", date_of_birth=date(1990, 1, 2), phone="+13125550111", at=NOW, uow=uow
    )
    with pytest.raises(NotPermitted):
        appointments.cancel(
            appointment_id=appointment_id, at=NOW, uow=uow, practice=PRACTICE, client_id=other
        )


def test_reschedule_moves_the_booking_and_frees_the_old_slot() -> None:
    """The old appointment is closed as rescheduled, linked to its successor at the new time."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    first, second, *_ = openings.find_openings_for(
        intake=intake(), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )
    old_id = book(uow, first, client)
    new_id = appointments.reschedule(
        appointment_id=old_id,
        slot=second,
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        booked_by_ai=True,
        reason="conflict",
    )
    with uow:
        old = uow.appointments.get(old_id)
        new = uow.appointments.get(new_id)
    assert old is not None
    assert new is not None
    assert old.appointment.status is AppointmentStatus.RESCHEDULED
    assert old.appointment.rescheduled_to == new_id
    assert new.appointment.rescheduled_from == old_id
    assert new.appointment.start == second.start
    kinds = [e.kind for e in uow.collect_events()]
    assert kinds.count("AppointmentRescheduled") == 1
    assert kinds.count("AppointmentBooked") == 1  # the move is not a second booking


def test_reschedule_to_a_taken_slot_changes_nothing() -> None:
    """Moving onto a booked slot is refused and the original booking stays."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    first, second, *_ = openings.find_openings_for(
        intake=intake(), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )
    old_id = book(uow, first, client)
    book(uow, second, client)
    with pytest.raises(SlotUnavailable):
        appointments.reschedule(
            appointment_id=old_id,
            slot=second,
            at=NOW,
            uow=uow,
            practice=PRACTICE,
            booked_by_ai=True,
        )
    with uow:
        stored = uow.appointments.get(old_id)
    assert stored is not None
    assert stored.appointment.status is AppointmentStatus.BOOKED


@pytest.mark.parametrize(
    "status",
    [
        AppointmentStatus.ATTENDED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.LATE_CANCELLED,
        AppointmentStatus.CANCELLED,
    ],
)
def test_mark_records_the_outcome_and_an_event(status: AppointmentStatus) -> None:
    """Staff outcomes are stored and recorded as `AppointmentMarked`."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    appointment_id = book(uow, first_offer(uow), client)
    uow.collect_events()
    marked = appointments.mark(appointment_id=appointment_id, status=status, at=NOW, uow=uow)
    assert marked.status is status
    (event,) = uow.collect_events()
    assert isinstance(event, AppointmentMarked)
    assert event.status == status.value


def test_mark_refuses_a_status_that_is_not_an_outcome() -> None:
    """`rescheduled` is not something staff mark."""
    uow = FakeUnitOfWork()
    client = with_inquiry(uow)
    appointment_id = book(uow, first_offer(uow), client)
    with pytest.raises(InvalidInput):
        appointments.mark(
            appointment_id=appointment_id, status=AppointmentStatus.RESCHEDULED, at=NOW, uow=uow
        )


def test_holidays_close_every_clinician() -> None:
    """No slot is offered on a practice holiday."""
    uow = FakeUnitOfWork()
    holiday = date(2026, 3, 3)
    practice = make_scheduling_practice(holidays=frozenset({holiday}))
    slots = openings.open_slots_for(kind=FIRST, now=NOW, days=7, uow=uow, practice=practice)
    assert slots
    assert all(s.start.astimezone(practice.zone).date() != holiday for s in slots)


def _only(practice: Practice, kind: ServiceKind, **flags: bool) -> Practice:
    """`practice` with the service of `kind` offered only as `flags` say."""
    services = tuple(replace(s, **flags) if s.kind is kind else s for s in practice.services)
    return replace(practice, services=services)


@pytest.mark.parametrize("said", [Modality.IN_PERSON, Modality.HYBRID, None])
def test_a_service_not_offered_in_person_is_never_offered_or_booked_in_person(
    said: Modality | None,
) -> None:
    """A consult the practice file marks `in_person: false` is offered by video only, even to
    a caller who wants the office, and an in-person consult slot cannot be booked."""
    practice = _only(PRACTICE, ServiceKind.CONSULT, in_person=False, telehealth=True)
    uow = FakeUnitOfWork()
    offered = openings.find_openings_for(
        intake=intake(modality=said), kind=ServiceKind.CONSULT, now=NOW, uow=uow, practice=practice
    )
    assert offered
    assert {slot.modality for slot in offered} == {Modality.TELEHEALTH}
    in_person = replace(offered[0], modality=Modality.IN_PERSON, location_id="main_office")
    with pytest.raises(InvalidInput):
        book(uow, in_person, with_inquiry(uow), practice=practice)


@pytest.mark.parametrize("said", [Modality.TELEHEALTH, Modality.HYBRID, None])
def test_a_service_not_offered_by_video_is_never_offered_or_booked_by_video(
    said: Modality | None,
) -> None:
    """A first session the practice file marks `telehealth: false` is offered in person only,
    and a video first-session slot cannot be booked."""
    practice = _only(PRACTICE, FIRST, telehealth=False, in_person=True)
    uow = FakeUnitOfWork()
    offered = openings.find_openings_for(
        intake=intake(modality=said), kind=FIRST, now=NOW, uow=uow, practice=practice
    )
    assert offered
    assert {slot.modality for slot in offered} == {Modality.IN_PERSON}
    video = replace(offered[0], modality=Modality.TELEHEALTH, location_id=None)
    with pytest.raises(InvalidInput):
        book(uow, video, with_inquiry(uow), practice=practice)


def test_staff_listings_leave_out_the_ways_a_service_is_not_offered() -> None:
    """Open consult slots listed for staff are video slots only when consults are not in person."""
    practice = _only(PRACTICE, ServiceKind.CONSULT, in_person=False, telehealth=True)
    listed = openings.open_slots_for(
        kind=ServiceKind.CONSULT, now=NOW, days=7, uow=FakeUnitOfWork(), practice=practice
    )
    assert listed
    assert {slot.modality for slot in listed} == {Modality.TELEHEALTH}
