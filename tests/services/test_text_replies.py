"""Reminder and offer replies by text: accept an opening, confirm, reschedule, a bare CANCEL."""

from __future__ import annotations

from datetime import timedelta

from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import CONTACT, NOW, PHONE, intake, make_scheduling_practice

from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calls import HandoffCategory
from frontdesk.domain.clients import Contact
from frontdesk.domain.events import AppointmentConfirmed
from frontdesk.domain.inquiries import Modality, ReminderPreference
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.domain.reminders import ReplyKind, parse_reply
from frontdesk.services import appointments, openings, waitlist
from frontdesk.services.text_replies import ReplyOutcome, ReplyResult, handle_reply

PRACTICE = make_scheduling_practice()
WAITING = "+13125550188"


def booked() -> tuple[FakeUnitOfWork, str]:
    """A first session booked with reminders to `PHONE`."""
    uow = FakeUnitOfWork()
    with uow:
        for n in range(2):
            uow.inquiries.add(InquiryRecord(id=f"inq{n}", created_at=NOW, updated_at=NOW))
        uow.commit()
    slot = openings.find_openings_for(
        intake=intake(modality=Modality.TELEHEALTH),
        kind=ServiceKind.FIRST_SESSION,
        now=NOW,
        uow=uow,
        practice=PRACTICE,
    )[0]
    appointment_id = appointments.book(
        slot=slot,
        client=ClientRef(inquiry_id="inq0"),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        booked_by_ai=True,
        source=BookingSource.CALL,
        contact=CONTACT,
    )
    return uow, appointment_id


def reply(uow: FakeUnitOfWork, number: str, text: str) -> ReplyResult | None:
    return handle_reply(
        uow=uow, practice=PRACTICE, from_number=number, text=text, kind=parse_reply(text), at=NOW
    )


def test_c_confirms_the_next_appointment_of_that_number() -> None:
    """ "C" from the reminded number confirms its appointment."""
    uow, appointment_id = booked()
    result = reply(uow, PHONE, "C")
    assert result is not None
    assert result.outcome is ReplyOutcome.CONFIRMED
    assert result.appointment_id == appointment_id


def test_r_opens_a_callback_task_naming_the_appointment() -> None:
    """ "R" opens a same-day callback task that names the appointment id, not the text."""
    uow, appointment_id = booked()
    result = reply(uow, PHONE, "R")
    assert result is not None
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.category is HandoffCategory.CALLBACK
    assert task.details["appointment_id"] == appointment_id
    assert task.caller_number == PHONE


def test_a_bare_cancel_also_opens_a_callback_task() -> None:
    """CANCEL is an opt-out by carrier convention; staff still get a task about the booking."""
    uow, appointment_id = booked()
    result = reply(uow, PHONE, "cancel")
    assert result is not None
    assert result.outcome is ReplyOutcome.CANCEL_REQUESTED
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.details["appointment_id"] == appointment_id


def test_yes_to_a_live_offer_books_the_opening() -> None:
    """ "Yes" from a waitlist number holding an offer takes the freed slot."""
    uow, appointment_id = booked()
    waitlist.join(
        intake=intake(modality=Modality.TELEHEALTH),
        kind=ServiceKind.FIRST_SESSION,
        at=NOW,
        uow=uow,
        inquiry_id="inq1",
        contact=Contact(ReminderPreference.SMS, WAITING),
    )
    appointments.cancel(appointment_id=appointment_id, at=NOW, uow=uow, practice=PRACTICE)
    result = reply(uow, WAITING, "Yes please")
    assert result is not None
    assert result.outcome is ReplyOutcome.OFFER_ACCEPTED
    assert result.appointment_id is not None
    with uow:
        record = uow.appointments.get(result.appointment_id)
    assert record is not None
    assert record.appointment.status is AppointmentStatus.BOOKED
    assert record.appointment.client.inquiry_id == "inq1"


def test_yes_after_the_hold_ran_out_hears_it_has_gone() -> None:
    """An acceptance after expiry is answered as gone, and nothing is booked."""
    uow, appointment_id = booked()
    waitlist.join(
        intake=intake(modality=Modality.TELEHEALTH),
        kind=ServiceKind.FIRST_SESSION,
        at=NOW,
        uow=uow,
        inquiry_id="inq1",
        contact=Contact(ReminderPreference.SMS, WAITING),
    )
    appointments.cancel(appointment_id=appointment_id, at=NOW, uow=uow, practice=PRACTICE)
    result = handle_reply(
        uow=uow,
        practice=PRACTICE,
        from_number=WAITING,
        text="yes",
        kind=ReplyKind.CONFIRM,
        at=NOW + timedelta(hours=5),
    )
    assert result is not None
    assert result.outcome is ReplyOutcome.OFFER_GONE


def test_an_unknown_number_gets_no_scheduling_answer() -> None:
    """A confirmation from a number with no appointment is left to the general inbox."""
    uow, _ = booked()
    assert reply(uow, "+13125550100", "C") is None


def test_a_confirmation_is_recorded_as_an_event() -> None:
    """ "C" records `AppointmentConfirmed` for the appointment, by text."""
    uow, appointment_id = booked()
    uow.collect_events()
    reply(uow, PHONE, "C")
    confirmed = [e for e in uow.collect_events() if isinstance(e, AppointmentConfirmed)]
    assert [(e.appointment_id, e.channel) for e in confirmed] == [(appointment_id, "sms")]


def test_yes_from_a_waiting_number_with_no_live_offer_hears_it_has_gone() -> None:
    """A waiting entry that texts YES with nothing offered to it is told the time has gone."""
    uow, _ = booked()
    waitlist.join(
        intake=intake(modality=Modality.TELEHEALTH),
        kind=ServiceKind.FIRST_SESSION,
        at=NOW,
        uow=uow,
        inquiry_id="inq1",
        contact=Contact(ReminderPreference.SMS, WAITING),
    )
    result = reply(uow, WAITING, "YES")
    assert result == ReplyResult(ReplyOutcome.OFFER_GONE)
