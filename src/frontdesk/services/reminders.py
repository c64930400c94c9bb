"""Reminder texts for appointments, queued through the outbox in the caller's unit of work.

`queue_reminders` turns `domain.reminders.reminders_for` into outbox rows keyed by
`ScheduledMessage.key` (so a retried booking queues nothing twice); `withdraw_reminders`
stops the unsent ones of an appointment that was cancelled or moved. Neither commits.
"""

from __future__ import annotations

import logging
from datetime import datetime

from frontdesk.domain.appointments import Appointment
from frontdesk.domain.clients import Contact
from frontdesk.domain.inquiries import Modality, ReminderPreference
from frontdesk.domain.messages import Channel, Purpose
from frontdesk.domain.practice import Practice
from frontdesk.domain.reminders import (
    LINE_FIRST_VIDEO,
    reminder_line,
    reminders_for,
    spoken_number,
)
from frontdesk.services import messages
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

CHANNELS: dict[ReminderPreference, Channel] = {
    ReminderPreference.SMS: Channel.SMS,
    ReminderPreference.EMAIL: Channel.EMAIL,
    ReminderPreference.CALL: Channel.VOICE,
}


def sender_name(practice: Practice) -> str:
    return practice.schedule.reminders.sender_name or practice.name


def queue_reminders(
    uow: UnitOfWork,
    *,
    appointment: Appointment,
    contact: Contact,
    practice: Practice,
    at: datetime,
    call_id: str | None = None,
) -> list[str]:
    """Queue the reminders still due for `appointment`; the outbox ids, earliest first.

    Nothing is queued when the script library lacks the reminder line (the practice has
    not approved reminder wording yet); that is logged by appointment id.
    """
    line = reminder_line(appointment, contact.channel)
    if line not in practice.scripts.lines:
        log.warning("no reminder line %s: appointment_id=%s not reminded", line, appointment.id)
        return []
    if line == LINE_FIRST_VIDEO and not practice.telehealth.join_link:
        log.warning("no telehealth join_link: appointment_id=%s not reminded", appointment.id)
        return []
    clinician = practice.clinician(appointment.clinician_id)
    location = next((loc for loc in practice.locations if loc.id == appointment.location_id), None)
    settings = practice.schedule.reminders
    scheduled = reminders_for(
        appointment,
        contact.channel,
        settings.plan,
        at,
        zone=practice.zone,
        clinician=clinician.display_name if clinician else appointment.clinician_id,
        practice=sender_name(practice),
        link=practice.telehealth.join_link if appointment.modality is Modality.TELEHEALTH else None,
        address=location.address if location is not None else None,
        phone=spoken_number(practice.phones.main),
        quiet=settings.quiet,
    )
    return [
        messages.enqueue(
            uow,
            to=contact.to,
            channel=CHANNELS[contact.channel],
            purpose=Purpose.REMINDER,
            body=practice.scripts.render(message.say),
            at=at,
            send_after=message.send_at,
            dedupe_key=message.key,
            call_id=call_id,
            appointment_id=appointment.id,
            inquiry_id=appointment.client.inquiry_id,
            allow=(practice.name, sender_name(practice)),
        )
        for message in scheduled
    ]


def withdraw_reminders(uow: UnitOfWork, *, appointment_id: str, at: datetime) -> int:
    """Withdraw every unsent reminder of an appointment (cancelled or moved); how many."""
    return len(messages.withdraw(uow, appointment_id=appointment_id, at=at))
