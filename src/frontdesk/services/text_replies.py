"""Text replies about scheduling: accept a waitlist offer, confirm, ask to reschedule.

`services.sms` screens every inbound text and applies STOP / START / HELP first; what is
left and reads as a scheduling reply (`domain.reminders.parse_reply`) comes here:

- CONFIRM ("C", "YES") from a number holding a live waitlist offer takes the opening
  (booked through the same locked path as a call); otherwise it confirms the number's next
  appointment (recorded as `AppointmentConfirmed`); from a number still waiting whose offer
  has gone (taken, withdrawn or lapsed), it is answered as gone.
- RESCHEDULE ("R") opens a callback task for staff naming the appointment.
- A bare CANCEL is an opt-out by carrier convention (already applied by the SMS service);
  it also opens a callback task, since the client may have meant the appointment.

Nothing here logs or stores the text itself; tasks name ids only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from frontdesk.domain.appointments import Appointment, AppointmentStatus
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.errors import Conflict, InvalidInput
from frontdesk.domain.events import AppointmentConfirmed, CallbackRequested
from frontdesk.domain.messages import Channel, normalise_number
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import require_aware
from frontdesk.domain.reminders import ReplyKind
from frontdesk.services import waitlist
from frontdesk.services.callbacks import open_handoff
from frontdesk.services.unit_of_work import UnitOfWork

LOOK_AHEAD = timedelta(days=120)  # how far ahead a reply may refer to


class ReplyOutcome(StrEnum):
    OFFER_ACCEPTED = "offer_accepted"
    OFFER_GONE = "offer_gone"
    CONFIRMED = "confirmed"
    RESCHEDULE_REQUESTED = "reschedule_requested"
    CANCEL_REQUESTED = "cancel_requested"


@dataclass(frozen=True, slots=True)
class ReplyResult:
    outcome: ReplyOutcome
    appointment_id: str | None = None
    handoff_id: str | None = None


def handle_reply(
    *,
    uow: UnitOfWork,
    practice: Practice,
    from_number: str,
    text: str,
    kind: ReplyKind,
    at: datetime,
) -> ReplyResult | None:
    """What a scheduling reply did, or None when it is not one (the caller opens a task)."""
    require_aware(at, "at")
    try:
        number = normalise_number(from_number)
    except InvalidInput:
        return None
    if kind is ReplyKind.CONFIRM:
        entry_id = _entry_with_offer(uow, number)
        if entry_id is not None:
            try:
                booked = waitlist.accept_offer(entry_id=entry_id, at=at, uow=uow, practice=practice)
            except Conflict:  # expired, taken by someone else, or booked another way
                return ReplyResult(ReplyOutcome.OFFER_GONE)
            return ReplyResult(ReplyOutcome.OFFER_ACCEPTED, appointment_id=booked)
        upcoming = next_appointment(uow, number=number, at=at)
        if upcoming is None:
            # Still waiting, but the offer was taken, withdrawn or had lapsed and moved on.
            return ReplyResult(ReplyOutcome.OFFER_GONE) if _waiting(uow, number) else None
        with uow:
            uow.events.add(
                AppointmentConfirmed(
                    occurred_at=at, appointment_id=upcoming.id, channel=Channel.SMS.value
                )
            )
            uow.commit()
        return ReplyResult(ReplyOutcome.CONFIRMED, appointment_id=upcoming.id)
    if kind is ReplyKind.RESCHEDULE:
        upcoming = next_appointment(uow, number=number, at=at)
        task = _callback(uow, number, upcoming, "asked by text to reschedule", at)
        return ReplyResult(
            ReplyOutcome.RESCHEDULE_REQUESTED,
            appointment_id=None if upcoming is None else upcoming.id,
            handoff_id=task,
        )
    if kind is ReplyKind.STOP and text.strip().upper() == "CANCEL":
        upcoming = next_appointment(uow, number=number, at=at)
        if upcoming is None:
            return None
        task = _callback(
            uow, number, upcoming, "texted CANCEL (an opt-out; may mean the appointment)", at
        )
        return ReplyResult(
            ReplyOutcome.CANCEL_REQUESTED, appointment_id=upcoming.id, handoff_id=task
        )
    return None


def next_appointment(uow: UnitOfWork, *, number: str, at: datetime) -> Appointment | None:
    """The soonest booked appointment whose reminders go to `number` (or whose client has it)."""
    with uow:
        clients = {c.id for c in uow.clients.with_phone(number)}
        for appointment in uow.appointments.between(at, at + LOOK_AHEAD):
            if appointment.status is not AppointmentStatus.BOOKED:
                continue
            if appointment.client.client_id in clients:
                return appointment
            record = uow.appointments.get(appointment.id)
            if record is not None and record.contact is not None and record.contact.to == number:
                return appointment
    return None


def _entry_with_offer(uow: UnitOfWork, number: str) -> str | None:
    with uow:
        for record in uow.waitlist.entries():
            contact = record.contact
            if (
                contact is not None
                and contact.to == number
                and uow.openings.offered_to(record.entry.id)
            ):
                return record.entry.id
    return None


def _waiting(uow: UnitOfWork, number: str) -> bool:
    with uow:
        return any(
            record.contact is not None and record.contact.to == number
            for record in uow.waitlist.entries()
        )


def _callback(
    uow: UnitOfWork, number: str, appointment: Appointment | None, why: str, at: datetime
) -> str:
    about = (
        f"appointment {appointment.id}" if appointment is not None else "no upcoming appointment"
    )
    with uow:
        task = open_handoff(
            uow,
            category=HandoffCategory.CALLBACK,
            urgency=Urgency.SAME_DAY,
            summary=f"Client {why} ({about}); call them back.",
            at=at,
            inquiry_id=None if appointment is None else appointment.client.inquiry_id,
            caller_number=number,
            details={
                "task": "scheduling_reply",
                "appointment_id": None if appointment is None else appointment.id,
            },
        )
        uow.events.add(CallbackRequested(occurred_at=at, handoff_id=task.id))
        uow.commit()
    return task.id
