"""In-memory fakes of the scheduling repositories, faithful to the SQL ones.

They live in the `FakeUnitOfWork` store (`store.scheduling`), so they share its
transactions: copied on `__enter__`, kept on commit, dropped on rollback. A second live
booking of one slot key raises `SlotUnavailable` at `add`, as the unique index does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Protocol

from frontdesk.domain.appointments import Appointment, AppointmentId
from frontdesk.domain.bookings import BookingRecord, Opening, OpeningStatus, WaitlistRecord
from frontdesk.domain.calendar import BusyInterval
from frontdesk.domain.clients import Client, ClientId, name_key
from frontdesk.domain.errors import Conflict, NotFound, SlotUnavailable
from frontdesk.domain.waitlist import OfferStatus, WaitlistEntry


@dataclass
class SchedulingStore:
    appointments: dict[AppointmentId, BookingRecord] = field(default_factory=dict)
    busy: list[BusyInterval] = field(default_factory=list)
    clients: dict[ClientId, Client] = field(default_factory=dict)
    waitlist: dict[str, WaitlistRecord] = field(default_factory=dict)
    openings: dict[str, Opening] = field(default_factory=dict)
    locked: list[str] = field(default_factory=list)  # clinician ids locked, in order


class _HasScheduling(Protocol):
    @property
    def scheduling(self) -> SchedulingStore: ...


class _Holds(Protocol):
    @property
    def store(self) -> _HasScheduling: ...


class _Repository:
    def __init__(self, holder: _Holds) -> None:
        self._holder = holder

    @property
    def _data(self) -> SchedulingStore:
        return self._holder.store.scheduling


class FakeAppointmentRepository(_Repository):
    def add(self, record: BookingRecord) -> None:
        appointment = record.appointment
        if appointment.id in self._data.appointments:
            raise Conflict(f"appointment {appointment.id} already exists")
        if appointment.status.holds_slot and self._live_key_taken(appointment):
            raise SlotUnavailable(f"slot {appointment.key} is taken")
        self._data.appointments[appointment.id] = record

    def get(self, appointment_id: AppointmentId) -> BookingRecord | None:
        return self._data.appointments.get(appointment_id)

    def update(self, appointment: Appointment) -> None:
        stored = self._data.appointments.get(appointment.id)
        if stored is None:
            raise NotFound(f"no appointment {appointment.id}")
        if appointment.status.holds_slot and self._live_key_taken(appointment):
            raise SlotUnavailable(f"slot {appointment.key} is taken")
        self._data.appointments[appointment.id] = replace(stored, appointment=appointment)

    def lock_clinician(self, clinician_id: str) -> None:
        self._data.locked.append(clinician_id)

    def overlapping(self, clinician_id: str, start: datetime, end: datetime) -> list[Appointment]:
        found = [
            r.appointment
            for r in self._data.appointments.values()
            if r.appointment.clinician_id == clinician_id
            and r.appointment.status.holds_slot
            and r.appointment.start < end
            and start < r.appointment.end
        ]
        return sorted(found, key=lambda a: (a.start, a.id))

    def between(self, start: datetime, end: datetime) -> list[Appointment]:
        found = [
            r.appointment
            for r in self._data.appointments.values()
            if start <= r.appointment.start < end
        ]
        return sorted(found, key=lambda a: (a.start, a.id))

    def holding(
        self,
        start: datetime,
        end: datetime,
        *,
        clinician_ids: frozenset[str] | None = None,
        capacity_from: datetime | None = None,
        capacity_until: datetime | None = None,
    ) -> list[Appointment]:
        def wanted(a: Appointment) -> bool:
            if clinician_ids is not None and a.clinician_id not in clinician_ids:
                return False
            if a.status.value == "booked" and start <= a.start < end:
                return True
            return (
                a.kind.value == "first_session"
                and a.status.value in ("booked", "attended", "no_show")
                and (capacity_from or start) <= a.start < (capacity_until or end)
            )

        found = [r.appointment for r in self._data.appointments.values() if wanted(r.appointment)]
        return sorted(found, key=lambda a: (a.start, a.id))

    def for_client(self, *, client_id: ClientId) -> list[BookingRecord]:
        found = [
            r
            for r in self._data.appointments.values()
            if r.appointment.client.client_id == client_id
        ]
        return sorted(found, key=lambda r: (r.appointment.start, r.appointment.id))

    def for_inquiries(self, inquiry_ids: Sequence[str]) -> list[BookingRecord]:
        wanted = set(inquiry_ids)
        found = [
            r for r in self._data.appointments.values() if r.appointment.client.inquiry_id in wanted
        ]
        return sorted(found, key=lambda r: (r.appointment.start, r.appointment.id))

    def _live_key_taken(self, appointment: Appointment) -> bool:
        return any(
            r.appointment.id != appointment.id
            and r.appointment.status.holds_slot
            and r.appointment.key == appointment.key
            for r in self._data.appointments.values()
        )


class FakeBusyRepository(_Repository):
    def replace_imported(self, clinician_id: str, intervals: Sequence[BusyInterval]) -> None:
        kept = [b for b in self._data.busy if b.clinician_id != clinician_id]
        self._data.busy[:] = [*kept, *intervals]

    def between(
        self, start: datetime, end: datetime, *, clinician_ids: frozenset[str] | None = None
    ) -> list[BusyInterval]:
        found = [
            b
            for b in self._data.busy
            if b.start < end
            and start < b.end
            and (clinician_ids is None or b.clinician_id in clinician_ids)
        ]
        return sorted(found, key=lambda b: (b.clinician_id, b.start))


class FakeClientRepository(_Repository):
    def add(self, client: Client) -> None:
        if client.id in self._data.clients:
            raise Conflict(f"client {client.id} already exists")
        self._data.clients[client.id] = client

    def get(self, client_id: ClientId) -> Client | None:
        return self._data.clients.get(client_id)

    def with_phone(self, phone: str) -> list[Client]:
        return sorted((c for c in self._data.clients.values() if c.phone == phone), key=_by_id)

    def with_name_and_birth(self, name: str, date_of_birth: date) -> list[Client]:
        return sorted(
            (
                c
                for c in self._data.clients.values()
                if c.date_of_birth == date_of_birth and name_key(c.name) == name_key(name)
            ),
            key=_by_id,
        )


def _by_id(client: Client) -> str:
    return client.id


class FakeWaitlistRepository(_Repository):
    def add(self, record: WaitlistRecord) -> None:
        if record.entry.id in self._data.waitlist:
            raise Conflict(f"waitlist entry {record.entry.id} already exists")
        self._data.waitlist[record.entry.id] = record

    def get(self, entry_id: str) -> WaitlistRecord | None:
        return self._data.waitlist.get(entry_id)

    def update(self, entry: WaitlistEntry) -> None:
        stored = self._data.waitlist.get(entry.id)
        if stored is None:
            raise NotFound(f"no waitlist entry {entry.id}")
        self._data.waitlist[entry.id] = replace(
            stored, entry=replace(stored.entry, status=entry.status)
        )

    def entries(self, *, waiting_only: bool = True) -> list[WaitlistRecord]:
        found = [
            r
            for r in self._data.waitlist.values()
            if not waiting_only or r.entry.status.value == "waiting"
        ]
        return sorted(found, key=lambda r: (r.entry.added_at, r.entry.id))


class FakeOpeningRepository(_Repository):
    def add(self, opening: Opening) -> None:
        if opening.id in self._data.openings:
            raise Conflict(f"opening {opening.id} already exists")
        self._data.openings[opening.id] = opening

    def get(self, opening_id: str) -> Opening | None:
        return self._data.openings.get(opening_id)

    def save(self, opening: Opening) -> None:
        if opening.id not in self._data.openings:
            raise NotFound(f"no opening {opening.id}")
        self._data.openings[opening.id] = opening

    def list_open(self) -> list[Opening]:
        found = [o for o in self._data.openings.values() if o.status is OpeningStatus.OPEN]
        return sorted(found, key=lambda o: (o.created_at, o.id))

    def offered_to(self, entry_id: str) -> list[Opening]:
        found = [
            o
            for o in self._data.openings.values()
            if any(
                offer.entry_id == entry_id and offer.status is OfferStatus.OFFERED
                for offer in o.round.offers
            )
        ]
        return sorted(found, key=lambda o: (o.created_at, o.id))
