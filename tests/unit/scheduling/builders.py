"""Small builders for the scheduling tests: one practice week in New York."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.domain.appointments import Appointment, ClientRef
from frontdesk.domain.calendar import AppointmentType, Slot, WeeklyBlock
from frontdesk.domain.inquiries import AgeGroup, Modality, Weekday
from frontdesk.domain.practice import Clinician, ServiceKind

ZONE = ZoneInfo("America/New_York")
BOTH = frozenset({Modality.TELEHEALTH, Modality.IN_PERSON})


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware New York wall time."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def clinician(clinician_id: str = "dana", **changes: object) -> Clinician:
    """A clinician who fits the default criteria; keyword changes replace fields."""
    fields: dict[str, object] = {
        "id": clinician_id,
        "name": clinician_id.title(),
        "credentials": "LCSW",
        "licensed_states": frozenset({"NY", "NJ"}),
        "modalities": BOTH,
        "payers": frozenset({"aetna"}),
        "specialties": ("Anxiety", "Couples"),
        "age_groups": frozenset({AgeGroup.ADULT, AgeGroup.OLDER_ADULT}),
        "new_client_capacity": 2,
        "locations": frozenset({"midtown"}),
    }
    fields.update(changes)
    return Clinician(**fields)  # type: ignore[arg-type]


def block(
    clinician_id: str = "dana",
    weekday: Weekday = Weekday.MONDAY,
    start: int = 9,
    end: int = 12,
    *,
    modalities: frozenset[Modality] = BOTH,
    location_id: str | None = "midtown",
) -> WeeklyBlock:
    return WeeklyBlock(clinician_id, weekday, time(start), time(end), location_id, modalities)


def hour_session(
    kind: ServiceKind = ServiceKind.FIRST_SESSION, **changes: timedelta
) -> AppointmentType:
    """A 60-minute session type with no buffers, 1 hour notice and a 30-day window."""
    fields: dict[str, timedelta] = {
        "duration": timedelta(hours=1),
        "minimum_notice": timedelta(hours=1),
        "booking_window": timedelta(days=30),
    }
    fields.update(changes)
    return AppointmentType(kind=kind, **fields)


def slot(
    start: datetime,
    clinician_id: str = "dana",
    *,
    minutes: int = 60,
    kind: ServiceKind = ServiceKind.FIRST_SESSION,
    modality: Modality = Modality.TELEHEALTH,
    location_id: str | None = None,
) -> Slot:
    return Slot(
        clinician_id,
        utc(start),
        utc(start + timedelta(minutes=minutes)),
        kind,
        modality,
        location_id,
    )


def appointment(
    start: datetime,
    appointment_id: str = "a1",
    clinician_id: str = "dana",
    *,
    kind: ServiceKind = ServiceKind.FIRST_SESSION,
    modality: Modality = Modality.TELEHEALTH,
    location_id: str | None = None,
) -> Appointment:
    return Appointment(
        id=appointment_id,
        clinician_id=clinician_id,
        kind=kind,
        start=utc(start),
        end=utc(start + timedelta(hours=1)),
        modality=modality,
        client=ClientRef(inquiry_id="inq-1"),
        location_id=location_id,
        booked_at=utc(start - timedelta(days=3)),
    )
