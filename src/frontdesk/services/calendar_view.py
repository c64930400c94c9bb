"""The staff calendar: appointments of a day or a week, by clinician and office, with names.

What staff see in the console's calendar: each appointment with the client's name (an
established client's, or the name a prospective client gave), who booked it (AI or staff)
and what may still be done with it. Names are PHI: they are read here for the page and
never logged. A clinician's view is limited to their own clients by the caller
(`clinician_id`); this module applies whatever limit it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.domain.appointments import Appointment, AppointmentStatus
from frontdesk.domain.bookings import BookingRecord
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.practice import Practice
from frontdesk.services.unit_of_work import UnitOfWork

VIDEO = "video"  # the "location" of telehealth appointments in the calendar's filter


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One appointment as the calendar shows it."""

    appointment: Appointment
    client_name: str | None
    established: bool

    @property
    def made_by(self) -> str:
        return self.appointment.made_by

    @property
    def open(self) -> bool:
        """Still booked: it may be moved or cancelled."""
        return self.appointment.status is AppointmentStatus.BOOKED


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    entries: list[CalendarEntry]


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def calendar(
    *,
    first: date,
    days: int,
    uow: UnitOfWork,
    practice: Practice,
    clinician_id: str | None = None,
    location: str | None = None,
) -> list[CalendarDay]:
    """Every appointment (any status but moved) from `first` for `days` local days, one
    list per day, by start; of one clinician and one office (or `VIDEO`) when given."""
    zone = practice.zone
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(first + timedelta(days=days), time(0), tzinfo=zone)
    with uow:
        found = uow.appointments.between(start, end)
        records = [r for r in (uow.appointments.get(a.id) for a in found) if r is not None]
        chosen = [r for r in records if _wanted(r, clinician_id, location)]
        names = _names(uow, chosen)
    by_day: dict[date, list[CalendarEntry]] = {first + timedelta(days=n): [] for n in range(days)}
    for record in chosen:
        appointment = record.appointment
        client = appointment.client
        by_day.setdefault(appointment.start.astimezone(zone).date(), []).append(
            CalendarEntry(
                appointment,
                names.get(client.client_id or client.inquiry_id or ""),
                client.client_id is not None,
            )
        )
    return [CalendarDay(day, entries) for day, entries in sorted(by_day.items())]


def appointment_entry(*, appointment_id: str, uow: UnitOfWork) -> CalendarEntry | None:
    """One appointment with its client's name, or None."""
    with uow:
        record = uow.appointments.get(appointment_id)
        if record is None:
            return None
        names = _names(uow, [record])
    client = record.appointment.client
    return CalendarEntry(
        record.appointment,
        names.get(client.client_id or client.inquiry_id or ""),
        client.client_id is not None,
    )


def _wanted(record: BookingRecord, clinician_id: str | None, location: str | None) -> bool:
    appointment = record.appointment
    if appointment.status is AppointmentStatus.RESCHEDULED:
        return False  # shown as its successor
    if clinician_id is not None and appointment.clinician_id != clinician_id:
        return False
    if location is None:
        return True
    if location == VIDEO:
        return appointment.modality is Modality.TELEHEALTH
    return appointment.location_id == location


def _names(uow: UnitOfWork, records: list[BookingRecord]) -> dict[str, str]:
    """Client id or inquiry id -> the name staff know them by."""
    names: dict[str, str] = {}
    for record in records:
        client = record.appointment.client
        if client.client_id is not None and client.client_id not in names:
            found = uow.clients.get(client.client_id)
            if found is not None:
                names[client.client_id] = found.name
        elif client.inquiry_id is not None and client.inquiry_id not in names:
            inquiry = uow.inquiries.get(client.inquiry_id)
            if inquiry is not None and inquiry.intake.client_name:
                names[client.inquiry_id] = inquiry.intake.client_name
    return names
