"""Inbound texts about scheduling: offers taken by text, confirmations, reschedules, CANCEL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import CONTACT, NOW, PHONE, intake, make_scheduling_practice
from tests.unit.conversation.engine_fakes import context

from frontdesk.adapters.script_file import default_script_library
from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calls import HandoffCategory
from frontdesk.domain.clients import Contact
from frontdesk.domain.events import AppointmentConfirmed
from frontdesk.domain.inquiries import Modality, ReminderPreference
from frontdesk.domain.messages import Purpose
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.domain.schedule import WaitlistSettings
from frontdesk.domain.waitlist import WaitlistStatus
from frontdesk.services import appointments, messages, openings, sms, waitlist
from frontdesk.services.sms import TextKind, TextResult
from frontdesk.services.telephony import VoiceDeps

# Two offers live at once, so a taken opening has someone to tell that it has gone.
PRACTICE = replace(
    make_scheduling_practice(waitlist=WaitlistSettings(hold=timedelta(hours=2), batch=2)),
    scripts=default_script_library(),
)
FIRST = ServiceKind.FIRST_SESSION
WAITING = ("+13125550161", "+13125550162")


def deps(uow: FakeUnitOfWork) -> VoiceDeps:
    return VoiceDeps(uow=lambda: uow, context=context(practice_=PRACTICE))


def text(uow: FakeUnitOfWork, number: str, body: str, at: datetime = NOW) -> TextResult:
    return sms.receive_text(
        message_sid=f"SM{number[-4:]}{body[:8]}{at.timestamp():.0f}",
        from_number=number,
        body=body,
        at=at,
        deps=deps(uow),
    )


def booked_with_waitlist() -> tuple[FakeUnitOfWork, str, list[str]]:
    """A video first session reminded to `PHONE`, and two entries waiting for such a slot."""
    uow = FakeUnitOfWork()
    with uow:
        for n in range(3):
            uow.inquiries.add(InquiryRecord(id=f"inq{n}", created_at=NOW, updated_at=NOW))
        uow.commit()
    slot = openings.find_openings_for(
        intake=intake(modality=Modality.TELEHEALTH), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
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
    entries = [
        waitlist.join(
            intake=intake(modality=Modality.TELEHEALTH),
            kind=FIRST,
            at=NOW + timedelta(minutes=n),
            uow=uow,
            inquiry_id=f"inq{n + 1}",
            contact=Contact(ReminderPreference.SMS, WAITING[n]),
        )
        for n in range(2)
    ]
    return uow, appointment_id, entries


def offer_texts(uow: FakeUnitOfWork) -> list[tuple[str, str]]:
    with uow:
        return [(m.to, m.body) for m in uow.messages.list_all() if m.purpose is Purpose.OFFER]


def test_a_cancellation_fills_from_the_waitlist_by_text_end_to_end() -> None:
    """The freed slot is texted to both entries; the first YES books it, the other hears it
    has gone."""
    uow, appointment_id, entries = booked_with_waitlist()
    appointments.cancel(appointment_id=appointment_id, at=NOW, uow=uow, practice=PRACTICE)
    offered = offer_texts(uow)
    assert sorted(to for to, _ in offered) == list(WAITING)
    assert all("a time opened" in body and "Reply YES" in body for _, body in offered)
    assert all(messages.lint_body(body, allow=(PRACTICE.name,)) == [] for _, body in offered)

    result = text(uow, WAITING[0], "YES", NOW + timedelta(minutes=30))

    assert result.kind is TextKind.SCHEDULING
    assert result.reply is not None
    assert "you are booked" in result.reply
    with uow:
        taken = uow.waitlist.get(entries[0])
        booked = [
            a
            for a in uow.appointments.between(NOW, NOW + timedelta(days=30))
            if a.status is AppointmentStatus.BOOKED
        ]
    assert taken is not None
    assert taken.entry.status is WaitlistStatus.BOOKED
    assert [a.client.inquiry_id for a in booked] == ["inq1"]
    gone = [(to, body) for to, body in offer_texts(uow) if "has been taken" in body]
    assert [to for to, _ in gone] == [WAITING[1]]


def test_yes_after_the_opening_was_taken_hears_it_is_gone() -> None:
    """A second YES to an opening another entry took is answered with the "gone" line."""
    uow, appointment_id, _ = booked_with_waitlist()
    appointments.cancel(appointment_id=appointment_id, at=NOW, uow=uow, practice=PRACTICE)
    text(uow, WAITING[0], "YES", NOW + timedelta(minutes=10))
    late = text(uow, WAITING[1], "yes", NOW + timedelta(minutes=20))
    assert late.kind is TextKind.SCHEDULING
    assert late.reply is not None
    assert "no longer available" in late.reply


def test_c_confirms_the_appointment_with_the_approved_line_and_an_event() -> None:
    """ "C" from the reminded number is answered with the confirmation line naming the time,
    and recorded as `AppointmentConfirmed` by text."""
    uow, appointment_id, _ = booked_with_waitlist()
    uow.collect_events()
    result = text(uow, PHONE, "C")
    assert result.kind is TextKind.SCHEDULING
    assert result.reply is not None
    assert "is confirmed" in result.reply
    assert "Tuesday" in result.reply
    confirmed = [e for e in uow.collect_events() if isinstance(e, AppointmentConfirmed)]
    assert [(e.appointment_id, e.channel) for e in confirmed] == [(appointment_id, "sms")]


def test_r_opens_a_callback_task_and_says_someone_will_call() -> None:
    """ "R" opens a callback task about the appointment and is answered with the approved line."""
    uow, appointment_id, _ = booked_with_waitlist()
    result = text(uow, PHONE, "R")
    assert result.kind is TextKind.SCHEDULING
    assert result.reply is not None
    assert "will call you" in result.reply
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.id == result.handoff_id
    assert task.category is HandoffCategory.CALLBACK
    assert task.details["appointment_id"] == appointment_id


def test_a_bare_cancel_opts_out_and_opens_a_callback_task() -> None:
    """CANCEL is STOP by carrier convention: the number opts out, gets no reply, and staff
    get a task about its appointment."""
    uow, appointment_id, _ = booked_with_waitlist()
    result = text(uow, PHONE, "Cancel")
    assert result.kind is TextKind.STOP
    assert result.reply is None
    assert messages.is_opted_out(uow=uow, number=PHONE)
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.id == result.handoff_id
    assert task.details["appointment_id"] == appointment_id


def test_stop_opens_no_task() -> None:
    """A plain STOP only opts the number out: no callback task is opened."""
    uow, _, _ = booked_with_waitlist()
    result = text(uow, PHONE, "STOP")
    assert (result.kind, result.reply, result.handoff_id) == (TextKind.STOP, None, None)
    with uow:
        assert uow.handoffs.list_queue() == []


def test_help_is_answered_with_the_shipped_line_signed_by_the_sender_name() -> None:
    """HELP is answered with the shipped `sms_help` line, naming the practice as texts do."""
    uow, _, _ = booked_with_waitlist()
    result = text(uow, PHONE, "HELP")
    assert result.kind is TextKind.HELP
    assert result.reply is not None
    assert result.reply.startswith(f"{PRACTICE.schedule.reminders.sender_name or PRACTICE.name}:")
    assert "STOP" in result.reply


def test_a_confirmation_from_an_unknown_number_becomes_a_message() -> None:
    """ "C" from a number with no appointment or offer opens a general callback task."""
    uow, _, _ = booked_with_waitlist()
    result = text(uow, "+13125550100", "C")
    assert result.kind is TextKind.MESSAGE
    assert result.handoff_id is not None
