"""SQLAlchemy repositories for scheduling: appointments, busy time, clients, waitlist, openings.

Rows stay private here; domain records go in and come out. The slot guard is two-fold:
`lock_clinician` serialises one clinician's bookings (a PostgreSQL transaction-scoped
advisory lock; SQLite's unit of work already holds the writer lock), and the unique
`live_key` refuses a second live booking of one slot key even without the lock.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Executable, and_, bindparam, delete, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.adapters.db.codec import JSONValue, from_json, to_json
from frontdesk.adapters.db.encrypted import client_lookup, lookup_key, phone_key
from frontdesk.adapters.db.tables import (
    AppointmentRow,
    BusyIntervalRow,
    ClientRow,
    OfferRow,
    OpeningRow,
    WaitlistEntryRow,
)
from frontdesk.domain.appointments import Appointment, AppointmentId, AppointmentStatus, ClientRef
from frontdesk.domain.bookings import (
    BookingRecord,
    BookingSource,
    Opening,
    OpeningStatus,
    WaitlistRecord,
    offer_id,
)
from frontdesk.domain.calendar import BusyInterval, BusySource, Slot
from frontdesk.domain.clients import Client, ClientId, Contact
from frontdesk.domain.errors import Conflict, NotFound, SlotUnavailable
from frontdesk.domain.inquiries import AvailabilityWindow, Modality, ReminderPreference
from frontdesk.domain.matching import MatchCriteria
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.waitlist import (
    Offer,
    OfferStatus,
    OpeningOffers,
    WaitlistEntry,
    WaitlistStatus,
)


def _flush(session: Session, error: Exception) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise error from None  # the driver's message quotes row values


def _contact(channel: str | None, to: str | None) -> Contact | None:
    if channel is None or to is None:
        return None
    return Contact(ReminderPreference(channel), to)


# --- appointments --------------------------------------------------------------------------

_HOLDING = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)
_KINDS = {kind.value: kind for kind in ServiceKind}
_MODALITIES = {modality.value: modality for modality in Modality}
_STATUSES = {status.value: status for status in AppointmentStatus}
_HOLDING_COLUMNS = (
    AppointmentRow.id,
    AppointmentRow.clinician_id,
    AppointmentRow.kind,
    AppointmentRow.start_at,
    AppointmentRow.end_at,
    AppointmentRow.modality,
    AppointmentRow.location_id,
    AppointmentRow.status,
    AppointmentRow.inquiry_id,
    AppointmentRow.client_id,
)

# Statements built once with named parameters: a booking turn runs several of them, and
# building the expression costs more than running it on a small table.
_OVERLAPPING = (
    select(AppointmentRow)
    .where(
        AppointmentRow.clinician_id == bindparam("clinician"),
        AppointmentRow.status == AppointmentStatus.BOOKED.value,
        AppointmentRow.start_at < bindparam("end"),
        AppointmentRow.end_at > bindparam("start"),
    )
    .order_by(AppointmentRow.start_at, AppointmentRow.id)
)
_HOLDING_ALL = select(*_HOLDING_COLUMNS).where(
    or_(
        and_(
            AppointmentRow.start_at >= bindparam("start"),
            AppointmentRow.start_at < bindparam("end"),
            AppointmentRow.status == AppointmentStatus.BOOKED.value,
        ),
        and_(
            AppointmentRow.start_at >= bindparam("capacity_from"),
            AppointmentRow.start_at < bindparam("capacity_until"),
            AppointmentRow.kind == ServiceKind.FIRST_SESSION.value,
            AppointmentRow.status.in_([s.value for s in _HOLDING]),
        ),
    )
)
_HOLDING_OF = _HOLDING_ALL.where(
    AppointmentRow.clinician_id.in_(bindparam("clinicians", expanding=True))
).order_by(AppointmentRow.start_at)
_HOLDING_ALL = _HOLDING_ALL.order_by(AppointmentRow.start_at)


def _rows(session: Session, query: Executable, params: dict[str, object]) -> Sequence[Any]:
    """Plain rows of a prebuilt Core select, after flushing pending changes (as autoflush would)."""
    session.flush()
    return session.connection().execute(query, params).all()


def _holding_appointments(rows: Sequence[Any]) -> list[Appointment]:
    """Appointments from rows of `_HOLDING_COLUMNS` (what a calendar search needs)."""
    kinds, modalities, statuses = _KINDS, _MODALITIES, _STATUSES  # dict lookups: a hot loop
    return [
        Appointment(
            id=found_id,
            clinician_id=clinician_id,
            kind=kinds[kind],
            start=start_at,
            end=end_at,
            modality=modalities[modality],
            client=ClientRef(inquiry_id=inquiry_id, client_id=client_id),
            location_id=location_id,
            status=statuses[status],
        )
        for (
            found_id,
            clinician_id,
            kind,
            start_at,
            end_at,
            modality,
            location_id,
            status,
            inquiry_id,
            client_id,
        ) in rows
    ]


def _appointment(row: AppointmentRow) -> Appointment:
    return Appointment(
        id=row.id,
        clinician_id=row.clinician_id,
        kind=ServiceKind(row.kind),
        start=row.start_at,
        end=row.end_at,
        modality=Modality(row.modality),
        client=ClientRef(inquiry_id=row.inquiry_id, client_id=row.client_id),
        location_id=row.location_id,
        status=AppointmentStatus(row.status),
        booked_by_ai=row.booked_by_ai,
        booked_at=row.booked_at,
        changed_at=row.changed_at,
        cancel_reason=row.cancel_reason,
        reschedule_reason=row.reschedule_reason,
        late=row.late,
        rescheduled_from=row.rescheduled_from,
        rescheduled_to=row.rescheduled_to,
    )


def _appointment_values(appointment: Appointment) -> dict[str, Any]:
    return {
        "clinician_id": appointment.clinician_id,
        "kind": appointment.kind.value,
        "start_at": appointment.start,
        "end_at": appointment.end,
        "modality": appointment.modality.value,
        "location_id": appointment.location_id,
        "status": appointment.status.value,
        "slot_key": appointment.key,
        "live_key": appointment.key if appointment.status.holds_slot else None,
        "inquiry_id": appointment.client.inquiry_id,
        "client_id": appointment.client.client_id,
        "booked_by_ai": appointment.booked_by_ai,
        "booked_at": appointment.booked_at,
        "changed_at": appointment.changed_at,
        "cancel_reason": appointment.cancel_reason,
        "reschedule_reason": appointment.reschedule_reason,
        "late": appointment.late,
        "rescheduled_from": appointment.rescheduled_from,
        "rescheduled_to": appointment.rescheduled_to,
    }


def _booking(row: AppointmentRow) -> BookingRecord:
    return BookingRecord(
        _appointment(row),
        BookingSource(row.source),
        row.call_id,
        _contact(row.contact_channel, row.contact_to),
    )


class SqlAppointmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, record: BookingRecord) -> None:
        appointment = record.appointment
        if self._session.get(AppointmentRow, appointment.id) is not None:
            raise Conflict(f"appointment {appointment.id} already exists")
        contact = record.contact
        row = AppointmentRow(
            id=appointment.id,
            source=record.source.value,
            call_id=record.call_id,
            contact_channel=None if contact is None else contact.channel.value,
            contact_to=None if contact is None else contact.to,
            **_appointment_values(appointment),
        )
        self._session.add(row)
        _flush(self._session, SlotUnavailable(f"slot {appointment.key} is taken"))

    def get(self, appointment_id: AppointmentId) -> BookingRecord | None:
        row = self._session.get(AppointmentRow, appointment_id)
        return None if row is None else _booking(row)

    def update(self, appointment: Appointment) -> None:
        row = self._session.get(AppointmentRow, appointment.id)
        if row is None:
            raise NotFound(f"no appointment {appointment.id}")
        for name, value in _appointment_values(appointment).items():
            setattr(row, name, value)
        _flush(self._session, SlotUnavailable(f"slot {appointment.key} is taken"))

    def lock_clinician(self, clinician_id: str) -> None:
        if self._session.get_bind().dialect.name == "postgresql":
            key = zlib.crc32(f"frontdesk-booking:{clinician_id}".encode())
            self._session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def overlapping(self, clinician_id: str, start: datetime, end: datetime) -> list[Appointment]:
        params = {"clinician": clinician_id, "start": start, "end": end}
        return [_appointment(row) for row in self._session.scalars(_OVERLAPPING, params)]

    def between(self, start: datetime, end: datetime) -> list[Appointment]:
        query = (
            select(AppointmentRow)
            .where(AppointmentRow.start_at >= start, AppointmentRow.start_at < end)
            .order_by(AppointmentRow.start_at, AppointmentRow.id)
        )
        return [_appointment(row) for row in self._session.scalars(query)]

    def holding(
        self,
        start: datetime,
        end: datetime,
        *,
        clinician_ids: frozenset[str] | None = None,
        capacity_from: datetime | None = None,
        capacity_until: datetime | None = None,
    ) -> list[Appointment]:
        # Columns, not ORM entities: a 60-day search reads thousands of rows.
        params: dict[str, object] = {
            "start": start,
            "end": end,
            "capacity_from": capacity_from or start,
            "capacity_until": capacity_until or end,
        }
        if clinician_ids is None:
            return _holding_appointments(_rows(self._session, _HOLDING_ALL, params))
        params["clinicians"] = sorted(clinician_ids)
        return _holding_appointments(_rows(self._session, _HOLDING_OF, params))

    def for_client(self, *, client_id: ClientId) -> list[BookingRecord]:
        query = (
            select(AppointmentRow)
            .where(AppointmentRow.client_id == client_id)
            .order_by(AppointmentRow.start_at, AppointmentRow.id)
        )
        return [_booking(row) for row in self._session.scalars(query)]

    def for_inquiries(self, inquiry_ids: Sequence[str]) -> list[BookingRecord]:
        found: list[BookingRecord] = []
        unique = sorted(set(inquiry_ids))
        for first in range(0, len(unique), 500):
            query = select(AppointmentRow).where(
                AppointmentRow.inquiry_id.in_(unique[first : first + 500])
            )
            found.extend(_booking(row) for row in self._session.scalars(query))
        return sorted(found, key=lambda r: (r.appointment.start, r.appointment.id))


# --- imported busy time --------------------------------------------------------------------


class SqlBusyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def replace_imported(self, clinician_id: str, intervals: Sequence[BusyInterval]) -> None:
        self._session.execute(
            delete(BusyIntervalRow).where(BusyIntervalRow.clinician_id == clinician_id)
        )
        self._session.add_all(
            BusyIntervalRow(clinician_id=clinician_id, start_at=i.start, end_at=i.end, ref=i.ref)
            for i in intervals
        )
        self._session.flush()

    def between(
        self, start: datetime, end: datetime, *, clinician_ids: frozenset[str] | None = None
    ) -> list[BusyInterval]:
        params: dict[str, object] = {"start": start, "end": end}
        query = _BUSY_ALL
        if clinician_ids is not None:
            query, params["clinicians"] = _BUSY_OF, sorted(clinician_ids)
        imported = BusySource.IMPORTED
        return [
            BusyInterval(clinician_id, start_at, end_at, imported, ref)
            for clinician_id, start_at, end_at, ref in _rows(self._session, query, params)
        ]


_BUSY_ALL = select(
    BusyIntervalRow.clinician_id,
    BusyIntervalRow.start_at,
    BusyIntervalRow.end_at,
    BusyIntervalRow.ref,
).where(BusyIntervalRow.start_at < bindparam("end"), BusyIntervalRow.end_at > bindparam("start"))
_BUSY_OF = _BUSY_ALL.where(
    BusyIntervalRow.clinician_id.in_(bindparam("clinicians", expanding=True))
).order_by(BusyIntervalRow.clinician_id, BusyIntervalRow.start_at, BusyIntervalRow.id)
_BUSY_ALL = _BUSY_ALL.order_by(
    BusyIntervalRow.clinician_id, BusyIntervalRow.start_at, BusyIntervalRow.id
)


# --- clients -------------------------------------------------------------------------------


def _client(row: ClientRow) -> Client:
    return Client(
        id=row.id,
        name=row.name,
        date_of_birth=row.date_of_birth,
        phone=row.phone,
        email=row.email,
        created_at=row.created_at,
    )


class SqlClientRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, client: Client) -> None:
        if self._session.get(ClientRow, client.id) is not None:
            raise Conflict(f"client {client.id} already exists")
        self._session.add(
            ClientRow(
                id=client.id,
                name=client.name,
                date_of_birth=client.date_of_birth,
                phone=client.phone,
                email=client.email,
                created_at=client.created_at,
                phone_hmac=phone_key(self._session, client.phone),
                identity_hmac=self._identity(client.name, client.date_of_birth),
            )
        )
        _flush(self._session, Conflict(f"client {client.id} already exists"))

    def get(self, client_id: ClientId) -> Client | None:
        row = self._session.get(ClientRow, client_id)
        return None if row is None else _client(row)

    def with_phone(self, phone: str) -> list[Client]:
        key = phone_key(self._session, phone)
        query = select(ClientRow).where(ClientRow.phone_hmac == key).order_by(ClientRow.id)
        # The blind index narrows; the decrypted number decides (an HMAC can collide).
        return [c for c in map(_client, self._session.scalars(query)) if c.phone == phone]

    def with_name_and_birth(self, name: str, date_of_birth: date) -> list[Client]:
        key = self._identity(name, date_of_birth)
        query = select(ClientRow).where(ClientRow.identity_hmac == key).order_by(ClientRow.id)
        wanted = client_lookup(name, date_of_birth)
        return [
            c
            for c in map(_client, self._session.scalars(query))
            if client_lookup(c.name, c.date_of_birth) == wanted
        ]

    def _identity(self, name: str, date_of_birth: date) -> str:
        return lookup_key(self._session, "client", client_lookup(name, date_of_birth))


# --- waitlist ------------------------------------------------------------------------------


def _waitlist_record(row: WaitlistEntryRow) -> WaitlistRecord:
    windows = cast(list[JSONValue], row.windows)
    entry = WaitlistEntry(
        id=row.id,
        criteria=from_json(MatchCriteria, cast(JSONValue, row.criteria)),
        windows=tuple(from_json(AvailabilityWindow, window) for window in windows),
        added_at=row.added_at,
        status=WaitlistStatus(row.status),
        kind=ServiceKind(row.kind),
    )
    return WaitlistRecord(
        entry,
        inquiry_id=row.inquiry_id,
        client_id=row.client_id,
        call_id=row.call_id,
        contact=_contact(row.contact_channel, row.contact_to),
    )


class SqlWaitlistRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, record: WaitlistRecord) -> None:
        entry = record.entry
        if self._session.get(WaitlistEntryRow, entry.id) is not None:
            raise Conflict(f"waitlist entry {entry.id} already exists")
        contact = record.contact
        self._session.add(
            WaitlistEntryRow(
                id=entry.id,
                added_at=entry.added_at,
                status=entry.status.value,
                kind=entry.kind.value,
                criteria=to_json(entry.criteria),
                windows=[to_json(window) for window in entry.windows],
                inquiry_id=record.inquiry_id,
                client_id=record.client_id,
                call_id=record.call_id,
                contact_channel=None if contact is None else contact.channel.value,
                contact_to=None if contact is None else contact.to,
            )
        )
        _flush(self._session, Conflict(f"waitlist entry {entry.id} cannot be stored"))

    def get(self, entry_id: str) -> WaitlistRecord | None:
        row = self._session.get(WaitlistEntryRow, entry_id)
        return None if row is None else _waitlist_record(row)

    def update(self, entry: WaitlistEntry) -> None:
        row = self._session.get(WaitlistEntryRow, entry.id)
        if row is None:
            raise NotFound(f"no waitlist entry {entry.id}")
        row.status = entry.status.value
        self._session.flush()

    def entries(self, *, waiting_only: bool = True) -> list[WaitlistRecord]:
        query = select(WaitlistEntryRow).order_by(WaitlistEntryRow.added_at, WaitlistEntryRow.id)
        if waiting_only:
            query = query.where(WaitlistEntryRow.status == WaitlistStatus.WAITING.value)
        return [_waitlist_record(row) for row in self._session.scalars(query)]


# --- openings and offers -------------------------------------------------------------------


class SqlOpeningRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, opening: Opening) -> None:
        if self._session.get(OpeningRow, opening.id) is not None:
            raise Conflict(f"opening {opening.id} already exists")
        slot = opening.slot
        self._session.add(
            OpeningRow(
                id=opening.id,
                slot_key=opening.round.slot_key,
                clinician_id=slot.clinician_id,
                kind=slot.kind.value,
                start_at=slot.start,
                end_at=slot.end,
                modality=slot.modality.value,
                location_id=slot.location_id,
                created_at=opening.created_at,
                status=opening.status.value,
                candidates=list(opening.round.candidates),
                filled_by=opening.round.filled_by,
                appointment_id=opening.appointment_id,
            )
        )
        _flush(self._session, Conflict(f"opening {opening.id} cannot be stored"))
        self._save_offers(opening)

    def get(self, opening_id: str) -> Opening | None:
        row = self._session.get(OpeningRow, opening_id)
        return None if row is None else self._opening(row)

    def save(self, opening: Opening) -> None:
        row = self._session.get(OpeningRow, opening.id)
        if row is None:
            raise NotFound(f"no opening {opening.id}")
        row.status = opening.status.value
        row.candidates = list(opening.round.candidates)
        row.filled_by = opening.round.filled_by
        row.appointment_id = opening.appointment_id
        self._save_offers(opening)

    def list_open(self) -> list[Opening]:
        query = (
            select(OpeningRow)
            .where(OpeningRow.status == OpeningStatus.OPEN.value)
            .order_by(OpeningRow.created_at, OpeningRow.id)
        )
        return [self._opening(row) for row in self._session.scalars(query)]

    def offered_to(self, entry_id: str) -> list[Opening]:
        query = (
            select(OpeningRow)
            .join(OfferRow, OfferRow.opening_id == OpeningRow.id)
            .where(OfferRow.entry_id == entry_id, OfferRow.status == OfferStatus.OFFERED.value)
            .order_by(OpeningRow.created_at, OpeningRow.id)
        )
        return [self._opening(row) for row in self._session.scalars(query)]

    def _save_offers(self, opening: Opening) -> None:
        for offer in opening.round.offers:
            key = offer_id(opening.id, offer.entry_id)
            row = self._session.get(OfferRow, key)
            if row is None:
                self._session.add(
                    OfferRow(
                        id=key,
                        opening_id=opening.id,
                        entry_id=offer.entry_id,
                        slot_key=offer.slot_key,
                        offered_at=offer.offered_at,
                        expires_at=offer.expires_at,
                        status=offer.status.value,
                        answered_at=offer.answered_at,
                    )
                )
            else:
                row.status = offer.status.value
                row.answered_at = offer.answered_at
        _flush(self._session, Conflict(f"offers of opening {opening.id} cannot be stored"))

    def _opening(self, row: OpeningRow) -> Opening:
        offers = self._session.scalars(select(OfferRow).where(OfferRow.opening_id == row.id))
        candidates = tuple(cast(list[str], row.candidates))
        order = {entry_id: n for n, entry_id in enumerate(candidates)}
        loaded = sorted(offers, key=lambda o: (o.offered_at, order.get(o.entry_id, len(order))))
        round_ = OpeningOffers(
            slot_key=row.slot_key,
            candidates=candidates,
            offers=tuple(
                Offer(
                    o.entry_id,
                    o.slot_key,
                    o.offered_at,
                    o.expires_at,
                    OfferStatus(o.status),
                    o.answered_at,
                )
                for o in loaded
            ),
            filled_by=row.filled_by,
            withdrawn=row.status == OpeningStatus.WITHDRAWN.value,
        )
        slot = Slot(
            row.clinician_id,
            row.start_at,
            row.end_at,
            ServiceKind(row.kind),
            Modality(row.modality),
            row.location_id,
        )
        return Opening(row.id, slot, row.created_at, round_, row.appointment_id)
