"""Appointments: find openings, book atomically, cancel, reschedule and record attendance.

Every use case is one unit of work and one commit. Booking locks the clinician's bookings
(`AppointmentRepository.lock_clinician`), reloads what that clinician holds around the
slot, refuses a slot that is no longer free (`SlotUnavailable`: the caller hears it has
gone and gets the next options) and lets the unique live slot key stop anything that
slipped past. A booking queues its reminders and, for a self-pay first session, opens the
Good Faith Estimate task in the same commit. Nothing here charges anyone: a late
cancellation is recorded as `late` for staff.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from frontdesk.domain import appointments as rules
from frontdesk.domain.appointments import (
    Appointment,
    AppointmentId,
    AppointmentStatus,
    ClientRef,
)
from frontdesk.domain.bookings import BookingRecord, BookingSource
from frontdesk.domain.calendar import Slot, iter_open_slots
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.clients import ClientId, Contact
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted, SlotUnavailable
from frontdesk.domain.events import (
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentMarked,
    AppointmentRescheduled,
)
from frontdesk.domain.good_faith import gfe_due, needs_estimate
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.inquiries import Payment
from frontdesk.domain.matching import (
    CapacityLedger,
)
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import CallId, require_aware
from frontdesk.domain.records import new_id as _new_id
from frontdesk.services.callbacks import open_handoff
from frontdesk.services.reminders import queue_reminders, withdraw_reminders
from frontdesk.services.unit_of_work import UnitOfWork

_NEIGHBOURHOOD = timedelta(days=1)  # bookings reloaded around a slot (longer than any session)


def book(
    *,
    slot: Slot,
    client: ClientRef,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    booked_by_ai: bool,
    source: BookingSource,
    call_id: CallId | None = None,
    contact: Contact | None = None,
    payment: Payment | None = None,
) -> AppointmentId:
    """Book `slot` atomically and commit; `SlotUnavailable` if it was taken meanwhile.

    Queues the reminders (when `contact` is given) and, for a self-pay first session
    (`payment`), opens a Good Faith Estimate task, all in the same commit.
    """
    require_aware(at, "at")
    with uow:
        appointment = reserve(
            uow,
            slot=slot,
            client=client,
            at=at,
            practice=practice,
            booked_by_ai=booked_by_ai,
            source=source,
            call_id=call_id,
            contact=contact,
            payment=payment,
        )
        commit_booking(uow, slot)
    return appointment.id


def commit_booking(uow: UnitOfWork, slot: Slot) -> None:
    """Commit a booking's unit of work; a unique-key race lost at commit means the slot
    went to someone else (`SlotUnavailable`)."""
    try:
        uow.commit()
    except SlotUnavailable:
        raise
    except Conflict:
        key = rules.slot_key(slot.clinician_id, slot.start)
        raise SlotUnavailable(f"slot {key} is taken") from None


def reserve(
    uow: UnitOfWork,
    *,
    slot: Slot,
    client: ClientRef,
    at: datetime,
    practice: Practice,
    booked_by_ai: bool,
    source: BookingSource,
    call_id: CallId | None = None,
    contact: Contact | None = None,
    payment: Payment | None = None,
    replacing: AppointmentId | None = None,
) -> Appointment:
    """The booking step inside the caller's open unit of work (never commits).

    `replacing` names an appointment being moved: its time does not count against the slot.
    """
    clinician = practice.clinician(slot.clinician_id)
    if clinician is None:
        raise NotFound(f"clinician {slot.clinician_id} is not in the practice")
    service = practice.service(slot.kind)
    if service is not None and not service.allows(slot.modality):
        raise InvalidInput(f"{slot.kind.value} is not offered {slot.modality.value}")
    uow.appointments.lock_clinician(slot.clinician_id)
    nearby = [
        a
        for a in uow.appointments.overlapping(
            slot.clinician_id, slot.start - _NEIGHBOURHOOD, slot.end + _NEIGHBOURHOOD
        )
        if a.id != replacing
    ]
    rules.ensure_bookable(slot, nearby)
    # A freed slot offered to the waitlist, or one staff choose, may be at short notice.
    short_notice = source in (BookingSource.WAITLIST, BookingSource.STAFF)
    _ensure_still_open(uow, slot, nearby, at=at, practice=practice, short_notice=short_notice)
    appointment = rules.book(
        slot, appointment_id=_new_id(), client=client, at=at, booked_by_ai=booked_by_ai
    )
    uow.appointments.add(BookingRecord(appointment, source, call_id, contact))
    if contact is not None:
        queue_reminders(
            uow, appointment=appointment, contact=contact, practice=practice, at=at, call_id=call_id
        )
    if replacing is not None:
        return appointment  # a move: `AppointmentRescheduled` tells the story, not a booking
    uow.events.add(
        AppointmentBooked(
            occurred_at=at,
            appointment_id=appointment.id,
            service=appointment.kind.value,
            clinician_id=appointment.clinician_id,
            starts_at=appointment.start,
            booked_by_ai=booked_by_ai,
            source=source.value,
            established_client=client.client_id is not None,
            private_pay=payment in (Payment.PRIVATE_PAY, Payment.SLIDING_SCALE),
            call_id=call_id,
            inquiry_id=client.inquiry_id,
        )
    )
    if needs_estimate(appointment.kind, payment):
        phone = contact.to if contact is not None and contact.to.startswith("+") else None
        open_estimate_task(
            uow,
            appointment=appointment,
            at=at,
            practice=practice,
            call_id=call_id,
            caller_number=phone,
        )
    return appointment


def _ensure_still_open(
    uow: UnitOfWork,
    slot: Slot,
    nearby: list[Appointment],
    *,
    at: datetime,
    practice: Practice,
    short_notice: bool = False,
) -> None:
    """Refuse a slot the calendar no longer offers (hours changed, busy time, buffers, capacity)."""
    zone = practice.zone
    schedule = practice.schedule
    days = (slot.start.astimezone(zone).date() - at.astimezone(zone).date()).days
    if days < 0:
        raise InvalidInput(f"slot {rules.slot_key(slot.clinician_id, slot.start)} is in the past")
    one = frozenset({slot.clinician_id})
    imported = uow.busy.between(
        slot.start - _NEIGHBOURHOOD, slot.end + _NEIGHBOURHOOD, clinician_ids=one
    )
    kind_rules = schedule.appointment_type(slot.kind)
    if short_notice:
        kind_rules = replace(kind_rules, minimum_notice=timedelta(0))
    for day in iter_open_slots(
        schedule.templates,
        schedule.time_off,
        schedule.closures(one),
        [*imported, *nearby],
        kind_rules,
        now=at,
        horizon_days=days,
        zone=zone,
        granularity=schedule.granularity,
        modalities=frozenset({slot.modality}),
        clinician_ids=one,
    ):
        if day and day[0].start.astimezone(zone).date() != slot.start.astimezone(zone).date():
            continue
        if any(
            s.start == slot.start and s.end == slot.end and s.location_id == slot.location_id
            for s in day
        ):
            if slot.kind is ServiceKind.FIRST_SESSION:
                clinician = practice.clinician(slot.clinician_id)
                assert clinician is not None
                # Only this clinician's first sessions count against their capacity.
                week = uow.appointments.holding(
                    slot.start - timedelta(days=8),
                    slot.end + timedelta(days=8),
                    clinician_ids=one,
                )
                if not CapacityLedger({clinician.id: clinician}, week, zone=zone).admits(slot):
                    raise SlotUnavailable(
                        f"clinician {slot.clinician_id} has no new-client place that week"
                    )
            return
    raise SlotUnavailable(f"slot {rules.slot_key(slot.clinician_id, slot.start)} is not open")


def open_estimate_task(
    uow: UnitOfWork,
    *,
    appointment: Appointment,
    at: datetime,
    practice: Practice,
    call_id: CallId | None = None,
    caller_number: str | None = None,
) -> Handoff:
    """The Good Faith Estimate task for a self-pay first session, due per the No Surprises Act.

    A booking fewer than 3 business days ahead has no statutory deadline; the task is
    still opened, without a due date, and says the estimate should go out before the session.
    The client's number (when they gave one) rides on the task so staff need not look it up.
    """
    zone = practice.zone
    booked_on = at.astimezone(zone).date()
    due = gfe_due(booked_on, appointment.start.astimezone(zone).date(), practice.schedule.holidays)
    due_text = (
        f"due {due.isoformat()}"
        if due is not None
        else "no statutory deadline (booked under 3 business days ahead); send before the session"
    )
    return open_handoff(
        uow,
        category=HandoffCategory.TASK,
        urgency=Urgency.SAME_DAY
        if due is not None and due <= booked_on + timedelta(days=1)
        else Urgency.ROUTINE,
        summary=(
            f"Good Faith Estimate for appointment {appointment.id} "
            f"(self-pay first session): {due_text}."
        ),
        at=at,
        call_id=call_id,
        inquiry_id=appointment.client.inquiry_id,
        caller_number=caller_number,
        details={
            "task": "good_faith_estimate",
            "appointment_id": appointment.id,
            "due": None if due is None else due.isoformat(),
            "session_date": appointment.start.astimezone(zone).date().isoformat(),
        },
    )


def _load(
    uow: UnitOfWork, appointment_id: AppointmentId, client_id: ClientId | None
) -> BookingRecord:
    record = uow.appointments.get(appointment_id)
    if record is None:
        raise NotFound(f"no appointment {appointment_id}")
    if client_id is not None and record.appointment.client.client_id != client_id:
        raise NotPermitted(f"appointment {appointment_id} is not this client's")
    return record


def upcoming_for(*, client_id: ClientId, now: datetime, uow: UnitOfWork) -> list[Appointment]:
    """A verified client's booked appointments from `now` on, soonest first."""
    with uow:
        return upcoming_within(uow, client_id=client_id, now=now)


def upcoming_within(uow: UnitOfWork, *, client_id: ClientId, now: datetime) -> list[Appointment]:
    """`upcoming_for` inside the caller's open unit of work."""
    records = uow.appointments.for_client(client_id=client_id)
    return [
        r.appointment
        for r in records
        if r.appointment.status is AppointmentStatus.BOOKED and r.appointment.start >= now
    ]


def cancel(
    *,
    appointment_id: AppointmentId,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    reason: str | None = None,
    client_id: ClientId | None = None,
    offer_to_waitlist: bool = True,
) -> Appointment:
    """Cancel a booked appointment and commit; `late` inside the policy window (never charged).

    Unsent reminders are withdrawn and the freed slot is offered to the waitlist. With
    `client_id` (a verified caller) the appointment must be theirs (`NotPermitted`).
    """
    require_aware(at, "at")
    with uow:
        cancelled = cancel_within(
            uow,
            appointment_id=appointment_id,
            at=at,
            practice=practice,
            reason=reason,
            client_id=client_id,
            offer_to_waitlist=offer_to_waitlist,
        )
        uow.commit()
    return cancelled


def cancel_within(
    uow: UnitOfWork,
    *,
    appointment_id: AppointmentId,
    at: datetime,
    practice: Practice,
    reason: str | None = None,
    client_id: ClientId | None = None,
    offer_to_waitlist: bool = True,
) -> Appointment:
    """`cancel` inside the caller's open unit of work (never commits)."""
    require_aware(at, "at")
    record = _load(uow, appointment_id, client_id)
    cancelled, late = rules.cancel(
        record.appointment, at, practice.cancellation_policy, reason=reason
    )
    uow.appointments.update(cancelled)
    withdraw_reminders(uow, appointment_id=appointment_id, at=at)
    uow.events.add(
        AppointmentCancelled(
            occurred_at=at,
            appointment_id=cancelled.id,
            service=cancelled.kind.value,
            late=late,
            established_client=cancelled.client.client_id is not None,
        )
    )
    if offer_to_waitlist:
        _offer_freed(uow, cancelled, at=at, practice=practice)
    return cancelled


def reschedule(
    *,
    appointment_id: AppointmentId,
    slot: Slot,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    booked_by_ai: bool,
    reason: str | None = None,
    client_id: ClientId | None = None,
) -> AppointmentId:
    """Move a booked appointment to `slot` and commit; the new appointment's id.

    The new slot is booked through the same locked path (`SlotUnavailable` if taken); the
    old one is closed as rescheduled (`late` inside the policy window), its reminders
    withdrawn, new ones queued, and the freed slot offered to the waitlist.
    """
    require_aware(at, "at")
    with uow:
        new_id = reschedule_within(
            uow,
            appointment_id=appointment_id,
            slot=slot,
            at=at,
            practice=practice,
            booked_by_ai=booked_by_ai,
            reason=reason,
            client_id=client_id,
        )
        commit_booking(uow, slot)
    return new_id


def reschedule_within(
    uow: UnitOfWork,
    *,
    appointment_id: AppointmentId,
    slot: Slot,
    at: datetime,
    practice: Practice,
    booked_by_ai: bool,
    reason: str | None = None,
    client_id: ClientId | None = None,
) -> AppointmentId:
    """`reschedule` inside the caller's open unit of work (never commits)."""
    require_aware(at, "at")
    record = _load(uow, appointment_id, client_id)
    old = record.appointment
    if slot.kind is not old.kind:
        slot = replace(slot, kind=old.kind)
    closed, _, _ = rules.reschedule(
        old,
        slot,
        new_id=old.id,
        at=at,
        policy=practice.cancellation_policy,
        booked_by_ai=booked_by_ai,
        reason=reason,
    )
    for clinician_id in sorted({old.clinician_id, slot.clinician_id}):
        uow.appointments.lock_clinician(clinician_id)
    # Close the old booking first, so a move to an overlapping time is allowed.
    uow.appointments.update(replace(closed, rescheduled_to=None))
    new = reserve(
        uow,
        slot=slot,
        client=old.client,
        at=at,
        practice=practice,
        booked_by_ai=booked_by_ai,
        source=record.source,
        call_id=record.call_id,
        contact=record.contact,
        replacing=old.id,
    )
    new = replace(new, reschedule_reason=reason, rescheduled_from=old.id)
    uow.appointments.update(new)
    uow.appointments.update(replace(closed, rescheduled_to=new.id))
    withdraw_reminders(uow, appointment_id=old.id, at=at)
    uow.events.add(
        AppointmentRescheduled(
            occurred_at=at,
            appointment_id=old.id,
            new_appointment_id=new.id,
            service=old.kind.value,
            established_client=old.client.client_id is not None,
        )
    )
    _offer_freed(uow, old, at=at, practice=practice)
    return new.id


def mark(
    *, appointment_id: AppointmentId, status: AppointmentStatus, at: datetime, uow: UnitOfWork
) -> Appointment:
    """Record attendance (attended, no_show, late_cancelled, cancelled) and commit.

    Marking a booked appointment cancelled withdraws its unsent reminders; marking the
    status it already has changes nothing and records no event.
    """
    with uow:
        marked = mark_within(uow, appointment_id=appointment_id, status=status, at=at)
        uow.commit()
    return marked


def mark_within(
    uow: UnitOfWork, *, appointment_id: AppointmentId, status: AppointmentStatus, at: datetime
) -> Appointment:
    """`mark` inside the caller's open unit of work (never commits)."""
    require_aware(at, "at")
    if status not in rules.OUTCOMES:
        raise InvalidInput(f"{status} is not an attendance outcome")
    record = _load(uow, appointment_id, None)
    before = record.appointment
    marked = rules.mark(before, status)
    if marked is before:
        return before
    marked = replace(marked, changed_at=at)
    uow.appointments.update(marked)
    if before.status is AppointmentStatus.BOOKED:
        withdraw_reminders(uow, appointment_id=appointment_id, at=at)
    uow.events.add(
        AppointmentMarked(
            occurred_at=at,
            appointment_id=marked.id,
            service=marked.kind.value,
            status=marked.status.value,
            established_client=marked.client.client_id is not None,
        )
    )
    return marked


def get(*, appointment_id: AppointmentId, uow: UnitOfWork) -> BookingRecord | None:
    """One appointment as stored, any status; None for an unknown id."""
    with uow:
        return uow.appointments.get(appointment_id)


def list_between(*, start: datetime, end: datetime, uow: UnitOfWork) -> list[BookingRecord]:
    """Appointments (any status) starting in `[start, end)`, by start."""
    with uow:
        found = uow.appointments.between(start, end)
        records = [uow.appointments.get(a.id) for a in found]
    return [r for r in records if r is not None]


def _offer_freed(
    uow: UnitOfWork, appointment: Appointment, *, at: datetime, practice: Practice
) -> None:
    if appointment.start <= at:
        return
    from frontdesk.services.waitlist import open_opening  # waitlist books through this module

    freed = Slot(
        appointment.clinician_id,
        appointment.start,
        appointment.end,
        appointment.kind,
        appointment.modality,
        appointment.location_id,
    )
    open_opening(uow, slot=freed, at=at, practice=practice)
