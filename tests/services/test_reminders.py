"""Reminders queued with a booking, on the shipped example practice and its script library."""

from __future__ import annotations

import shutil
from datetime import timedelta
from importlib import resources
from pathlib import Path

from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import CONTACT, NOW

from frontdesk.adapters.practice_file import load_practice
from frontdesk.domain.appointments import ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.messages import MessageStatus, Purpose
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.services import appointments, messages, openings
from frontdesk.services.reminders import sender_name


def example_practice(folder: Path) -> Practice:
    """The shipped example practice with the shipped default library beside it."""
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), folder / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
    return load_practice(folder / "practice.yaml")


def test_booking_on_the_example_practice_queues_its_reminders(tmp_path: Path) -> None:
    """Booking a first session with a contact queues one discreet reminder per offset,
    rendered from the shipped reminder line and signed with the sender name."""
    practice = example_practice(tmp_path)
    uow = FakeUnitOfWork()
    with uow:
        uow.inquiries.add(InquiryRecord(id="inq0", created_at=NOW, updated_at=NOW))
        uow.commit()
    slot = next(  # far enough ahead for every offset of the plan
        s
        for s in openings.open_slots_for(
            kind=ServiceKind.FIRST_SESSION, now=NOW, days=21, uow=uow, practice=practice
        )
        if s.start >= NOW + timedelta(days=4)
    )
    appointment_id = appointments.book(
        slot=slot,
        client=ClientRef(inquiry_id="inq0"),
        at=NOW,
        uow=uow,
        practice=practice,
        booked_by_ai=True,
        source=BookingSource.CALL,
        contact=CONTACT,
    )
    with uow:
        queued = [
            m for m in uow.messages.for_appointment(appointment_id) if m.purpose is Purpose.REMINDER
        ]
    assert len(queued) == len(practice.schedule.reminders.plan.offsets)
    assert {m.status for m in queued} == {MessageStatus.QUEUED}
    assert {m.to for m in queued} == {CONTACT.to}
    for message in queued:
        assert message.body.startswith(f"{sender_name(practice)}: your first appointment")
        assert messages.lint_body(message.body, allow=(practice.name,)) == []
