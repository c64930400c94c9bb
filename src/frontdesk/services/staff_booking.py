"""Staff booking: a person at the front desk books, moves and cancels, by the phone's rules.

The console's calendar and `frontdesk book` come here. A slot staff choose must pass the
same matching rules a caller's would (licensure follows the client's state, modality,
payer network, age group, accepting new clients, new-client capacity) and is booked
through the same locked path (`services.appointments.reserve`), so staff can never
overbook or double-book; the only rule relaxed for staff is the minimum notice. Every
booking is recorded with source `staff` and `booked_by_ai` false.

A new client is stored as an inquiry with what staff entered (name, number, state, how
they pay). An established client (`frontdesk clients add`) may be given several weekly
sessions at once: every week must be open, or nothing is booked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from frontdesk.domain.appointments import Appointment, AppointmentId, AppointmentStatus, ClientRef
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import Slot
from frontdesk.domain.clients import ClientId, Contact
from frontdesk.domain.errors import InvalidInput, NotFound, SlotUnavailable
from frontdesk.domain.inquiries import Modality, ReminderPreference
from frontdesk.domain.matching import MatchCriteria
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import InquiryId, InquiryRecord, InquiryStatus, new_id, require_aware
from frontdesk.services import appointments
from frontdesk.services.call_booking import contact_of
from frontdesk.services.staff_audit import ChangedBy, record_change
from frontdesk.services.staff_matching import (
    NewClient,
    client_criteria,
    moved_criteria,
    require_fit,
)
from frontdesk.services.unit_of_work import UnitOfWork

MAX_WEEKS = 26  # the most weekly sessions entered at once (half a year)


@dataclass(frozen=True, slots=True)
class StaffBooking:
    """What a staff booking made: the appointments (soonest first) and, for a new client,
    the inquiry that now holds what staff entered."""

    appointment_ids: tuple[AppointmentId, ...]
    inquiry_id: InquiryId | None = None


def slot_at(
    practice: Practice,
    *,
    clinician_id: str,
    start: datetime,
    kind: ServiceKind,
    modality: Modality,
    location_id: str | None = None,
) -> Slot:
    """The slot staff name: its end from the kind's length; an office visit at the
    clinician's only office when none is named. Whether it is open is checked on booking."""
    require_aware(start, "start")
    clinician = practice.clinician(clinician_id)
    if clinician is None:
        raise NotFound(f"clinician {clinician_id} is not in the practice")
    if modality is Modality.HYBRID:
        raise InvalidInput("a session is either telehealth or in_person")
    if modality is Modality.TELEHEALTH:
        location_id = None
    elif location_id is None:
        if len(clinician.locations) != 1:
            raise InvalidInput(f"name the office: {', '.join(sorted(clinician.locations))}")
        (location_id,) = clinician.locations
    elif location_id not in clinician.locations:
        raise InvalidInput(f"clinician {clinician_id} does not see clients at {location_id}")
    duration = practice.schedule.appointment_type(kind).duration
    return Slot(clinician_id, start, start + duration, kind, modality, location_id)


def book_new_client(
    *,
    client: NewClient,
    slot: Slot,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    by: ChangedBy,
) -> StaffBooking:
    """Book a consult or first session for a prospective client and commit.

    `NotPermitted` names the matching rules the clinician or slot fails for this client;
    `SlotUnavailable` when the slot is not open (taken, outside hours, capacity full).
    """
    require_aware(at, "at")
    if slot.kind is ServiceKind.ONGOING:
        raise InvalidInput("a new client starts with a consult or a first session")
    intake = client.intake(modality=slot.modality, clinician_id=slot.clinician_id)
    criteria = MatchCriteria.from_intake(intake, new_client=True)
    require_fit(slot, criteria, practice)
    inquiry_id = new_id()
    with uow:
        uow.inquiries.add(
            InquiryRecord(
                id=inquiry_id,
                created_at=at,
                updated_at=at,
                status=InquiryStatus.BOOKED,
                intake=intake,
            )
        )
        appointment = appointments.reserve(
            uow,
            slot=slot,
            client=ClientRef(inquiry_id=inquiry_id),
            at=at,
            practice=practice,
            booked_by_ai=False,
            source=BookingSource.STAFF,
            contact=contact_of(intake, None),
            payment=intake.payment,
        )
        record_change(
            uow,
            by=by,
            at=at,
            kind="inquiry",
            object_id=inquiry_id,
            detail="source=staff",
            action=AuditAction.CREATE,
        )
        _record_booked(uow, by, at, [appointment.id])
        appointments.commit_booking(uow, slot)
    return StaffBooking((appointment.id,), inquiry_id)


def book_client(
    *,
    client_id: ClientId,
    slot: Slot,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    by: ChangedBy,
    weeks: int = 1,
    state: str | None = None,
    reminder: ReminderPreference | None = ReminderPreference.SMS,
) -> StaffBooking:
    """Book an established client into `slot`, and the same time in each of the next
    `weeks - 1` weeks (local wall time, across daylight-saving changes), and commit.

    Every week must be open and fit, or nothing is booked: the error names the first week
    that is not. A video session needs the client's `state` unless the client has already
    been seen by this clinician (licensure was settled when care began).
    """
    require_aware(at, "at")
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput(f"weeks must be between 1 and {MAX_WEEKS}")
    with uow:
        found = uow.clients.get(client_id)
        if found is None:
            raise NotFound(f"no client {client_id}")
        criteria = client_criteria(uow, client_id, slot.clinician_id, slot.modality, state)
        require_fit(slot, criteria, practice)
        contact = _client_contact(found.phone, found.email, reminder)
        made: list[AppointmentId] = []
        for week, weekly in enumerate(weekly_slots(slot, weeks, practice), start=1):
            try:
                with uow.savepoint():
                    appointment = appointments.reserve(
                        uow,
                        slot=weekly,
                        client=ClientRef(client_id=client_id),
                        at=at,
                        practice=practice,
                        booked_by_ai=False,
                        source=BookingSource.STAFF,
                        contact=contact,
                    )
            except SlotUnavailable as exc:
                when = weekly.start.astimezone(practice.zone).strftime("%Y-%m-%d %H:%M")
                raise SlotUnavailable(f"week {week} ({when}): {exc}; nothing was booked") from None
            made.append(appointment.id)
        _record_booked(uow, by, at, made)
        appointments.commit_booking(uow, slot)
    return StaffBooking(tuple(made))


def move(
    *,
    appointment_id: AppointmentId,
    slot: Slot,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    by: ChangedBy,
    reason: str | None = None,
) -> AppointmentId:
    """Move a booked appointment to `slot` (same kind) and commit; the new appointment's id.

    The client's matching rules still hold: a prospective client's from their inquiry, an
    established client's with the clinician they are in care with.
    """
    require_aware(at, "at")
    with uow:
        record = uow.appointments.get(appointment_id)
        if record is None:
            raise NotFound(f"no appointment {appointment_id}")
        old = record.appointment
        slot = replace(slot, kind=old.kind)
        require_fit(slot, moved_criteria(uow, old, slot.clinician_id, slot.modality), practice)
        new = appointments.reschedule_within(
            uow,
            appointment_id=appointment_id,
            slot=slot,
            at=at,
            practice=practice,
            booked_by_ai=False,
            reason=reason,
        )
        _record_appointment(uow, by, at, appointment_id, "status=rescheduled")
        _record_booked(uow, by, at, [new])
        appointments.commit_booking(uow, slot)
    return new


def cancel(
    *,
    appointment_id: AppointmentId,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    by: ChangedBy,
    reason: str | None = None,
) -> Appointment:
    """Cancel a booked appointment for the client and commit (`late` inside the policy
    window, never charged); the freed time is offered to the waitlist."""
    require_aware(at, "at")
    with uow:
        cancelled = appointments.cancel_within(
            uow, appointment_id=appointment_id, at=at, practice=practice, reason=reason
        )
        _record_appointment(uow, by, at, appointment_id, f"status={cancelled.status.value}")
        uow.commit()
    return cancelled


def mark(
    *,
    appointment_id: AppointmentId,
    status: AppointmentStatus,
    at: datetime,
    uow: UnitOfWork,
    by: ChangedBy,
) -> Appointment:
    """Record what happened (attended, no-show, late cancellation, cancelled) and commit;
    marking the status it already has changes and records nothing."""
    with uow:
        before = uow.appointments.get(appointment_id)
        marked = appointments.mark_within(uow, appointment_id=appointment_id, status=status, at=at)
        if before is None or before.appointment.status is not marked.status:
            _record_appointment(uow, by, at, appointment_id, f"status={status.value}")
        uow.commit()
    return marked


def _record_booked(
    uow: UnitOfWork, by: ChangedBy, at: datetime, appointment_ids: list[AppointmentId]
) -> None:
    for appointment_id in appointment_ids:
        _record_appointment(
            uow, by, at, appointment_id, "status=booked source=staff", AuditAction.CREATE
        )


def _record_appointment(
    uow: UnitOfWork,
    by: ChangedBy,
    at: datetime,
    appointment_id: AppointmentId,
    detail: str,
    action: AuditAction = AuditAction.CHANGE,
) -> None:
    """Audit a staff change to (or creation of) one appointment, in the open unit of work."""
    record_change(
        uow,
        by=by,
        at=at,
        kind="appointment",
        object_id=appointment_id,
        detail=detail,
        action=action,
    )


def weekly_slots(slot: Slot, weeks: int, practice: Practice) -> list[Slot]:
    """The slot and the same local wall time in each following week."""
    zone = practice.zone
    local = slot.start.astimezone(zone).replace(tzinfo=None)
    length = slot.end - slot.start
    out: list[Slot] = []
    for week in range(weeks):
        start = (local + timedelta(weeks=week)).replace(tzinfo=zone)
        out.append(replace(slot, start=start, end=start + length))
    return out


def _client_contact(
    phone: str, email: str | None, reminder: ReminderPreference | None
) -> Contact | None:
    if reminder is None:
        return None
    if reminder is ReminderPreference.EMAIL:
        if email is None:
            raise InvalidInput("the client has no e-mail address for reminders")
        return Contact(reminder, email)
    return Contact(reminder, phone)
