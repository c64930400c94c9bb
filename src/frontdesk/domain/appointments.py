"""Appointments and the pure transitions between their states.

Each transition takes an appointment and returns a new one; nothing is mutated and
nothing is stored here. Persistence enforces "a slot is booked once" with a unique
constraint on `slot_key` (clinician and start) among live bookings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from frontdesk.domain.calendar import BusyInterval, BusySource, Slot
from frontdesk.domain.errors import Conflict, InvalidInput, SlotUnavailable
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.practice import CancellationPolicy, ServiceKind

AppointmentId = str


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    LATE_CANCELLED = "late_cancelled"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"

    @property
    def holds_slot(self) -> bool:
        """Whether an appointment in this state keeps its slot from being booked again."""
        return self is AppointmentStatus.BOOKED


# Outcomes staff may record (`frontdesk mark ID STATUS`); staff may also correct one
# outcome to another. A rescheduled appointment lives on as its successor and is final.
OUTCOMES: frozenset[AppointmentStatus] = frozenset(
    {
        AppointmentStatus.ATTENDED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.LATE_CANCELLED,
        AppointmentStatus.CANCELLED,
    }
)
_ALLOWED: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    AppointmentStatus.BOOKED: OUTCOMES,
    **dict.fromkeys(OUTCOMES, OUTCOMES),
    AppointmentStatus.RESCHEDULED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class ClientRef:
    """Who the appointment is for, by id only: a prospective client's inquiry or a client."""

    inquiry_id: str | None = None
    client_id: str | None = None

    def __post_init__(self) -> None:
        if self.inquiry_id is None and self.client_id is None:
            raise InvalidInput("an appointment needs an inquiry_id or a client_id")

    @property
    def label(self) -> str:
        """The id staff see in feeds and lists (the client id when there is one)."""
        return f"client {self.client_id}" if self.client_id else f"inquiry {self.inquiry_id}"


@dataclass(frozen=True, slots=True)
class Appointment:
    """A booked session. `booked_by_ai` marks bookings staff should mirror into the EHR.

    `late` is True when a cancellation or reschedule came inside the policy's notice
    window: flagged for staff, never charged by the system.
    """

    id: AppointmentId
    clinician_id: str
    kind: ServiceKind
    start: datetime
    end: datetime
    modality: Modality
    client: ClientRef
    location_id: str | None = None
    status: AppointmentStatus = AppointmentStatus.BOOKED
    booked_by_ai: bool = False
    booked_at: datetime | None = None
    changed_at: datetime | None = None
    cancel_reason: str | None = None
    reschedule_reason: str | None = None
    late: bool = False
    rescheduled_from: AppointmentId | None = None
    rescheduled_to: AppointmentId | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise InvalidInput("appointment times must be timezone-aware")
        if not self.start < self.end:
            raise InvalidInput("an appointment must end after it starts")
        if self.modality is Modality.HYBRID:
            raise InvalidInput("an appointment is either telehealth or in person")

    @property
    def key(self) -> str:
        return slot_key(self.clinician_id, self.start)

    @property
    def made_by(self) -> str:
        """Who booked it, as staff see it: "AI" (a call, a text, a waitlist offer) or "staff"."""
        return "AI" if self.booked_by_ai else "staff"

    @property
    def is_first_session(self) -> bool:
        return self.kind is ServiceKind.FIRST_SESSION

    def as_busy(self) -> BusyInterval:
        """The time this appointment takes from its clinician's calendar."""
        return BusyInterval(self.clinician_id, self.start, self.end, BusySource.BOOKED, self.id)


def slot_key(clinician_id: str, start: datetime) -> str:
    """A stable text key for one clinician's start, for the unique booking constraint."""
    if start.tzinfo is None:
        raise InvalidInput("slot start must be timezone-aware")
    return f"{clinician_id}@{start.astimezone(UTC).strftime('%Y-%m-%dT%H:%MZ')}"


def book(
    slot: Slot,
    *,
    appointment_id: AppointmentId,
    client: ClientRef,
    at: datetime,
    booked_by_ai: bool,
) -> Appointment:
    """A new appointment in `slot`; a slot that has already started cannot be booked."""
    if slot.start <= at:
        raise InvalidInput(f"slot {slot_key(slot.clinician_id, slot.start)} is in the past")
    return Appointment(
        id=appointment_id,
        clinician_id=slot.clinician_id,
        kind=slot.kind,
        start=slot.start,
        end=slot.end,
        modality=slot.modality,
        client=client,
        location_id=slot.location_id,
        booked_by_ai=booked_by_ai,
        booked_at=at,
    )


def is_late(start: datetime, at: datetime, policy: CancellationPolicy) -> bool:
    """Whether a change at `at` falls inside the policy's notice window before `start`.

    Exactly `notice_hours` ahead is on time; any later is late.
    """
    return start - at < timedelta(hours=policy.notice_hours)


def _require_booked(appointment: Appointment, verb: str) -> None:
    if appointment.status is not AppointmentStatus.BOOKED:
        raise Conflict(f"appointment {appointment.id} is {appointment.status}, cannot {verb}")


def cancel(
    appointment: Appointment,
    at: datetime,
    policy: CancellationPolicy,
    *,
    reason: str | None = None,
) -> tuple[Appointment, bool]:
    """The appointment cancelled at `at`, and whether the cancellation is late."""
    _require_booked(appointment, "cancel")
    late = is_late(appointment.start, at, policy)
    status = AppointmentStatus.LATE_CANCELLED if late else AppointmentStatus.CANCELLED
    cancelled = replace(appointment, status=status, changed_at=at, cancel_reason=reason, late=late)
    return cancelled, late


def reschedule(
    appointment: Appointment,
    slot: Slot,
    *,
    new_id: AppointmentId,
    at: datetime,
    policy: CancellationPolicy,
    booked_by_ai: bool,
    reason: str | None = None,
) -> tuple[Appointment, Appointment, bool]:
    """The old appointment closed as rescheduled, its successor, and whether it was late."""
    _require_booked(appointment, "reschedule")
    late = is_late(appointment.start, at, policy)
    successor = replace(
        book(
            slot, appointment_id=new_id, client=appointment.client, at=at, booked_by_ai=booked_by_ai
        ),
        kind=appointment.kind,
        reschedule_reason=reason,
        rescheduled_from=appointment.id,
    )
    closed = replace(
        appointment,
        status=AppointmentStatus.RESCHEDULED,
        changed_at=at,
        reschedule_reason=reason,
        late=late,
        rescheduled_to=new_id,
    )
    return closed, successor, late


def mark(appointment: Appointment, status: AppointmentStatus) -> Appointment:
    """The appointment with a staff-recorded outcome; marking the same status is a no-op."""
    if status is appointment.status:
        return appointment
    if status not in _ALLOWED[appointment.status]:
        raise InvalidInput(
            f"appointment {appointment.id} cannot go from {appointment.status} to {status}"
        )
    return replace(appointment, status=status, late=status is AppointmentStatus.LATE_CANCELLED)


class AttendanceCategory(StrEnum):
    """How outcomes are counted apart in reports."""

    FIRST_SESSION_NO_SHOW = "first_session_no_show"
    ESTABLISHED_CANCELLATION = "established_cancellation"
    ESTABLISHED_NO_SHOW = "established_no_show"
    FIRST_SESSION_CANCELLATION = "first_session_cancellation"
    ATTENDED = "attended"
    OPEN = "open"


def attendance_category(appointment: Appointment) -> AttendanceCategory:
    """The reporting bucket of an appointment: first sessions are kept apart from the rest."""
    status = appointment.status
    first = appointment.is_first_session
    if status is AppointmentStatus.ATTENDED:
        return AttendanceCategory.ATTENDED
    if status is AppointmentStatus.NO_SHOW:
        return (
            AttendanceCategory.FIRST_SESSION_NO_SHOW
            if first
            else AttendanceCategory.ESTABLISHED_NO_SHOW
        )
    if status in (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED):
        return (
            AttendanceCategory.FIRST_SESSION_CANCELLATION
            if first
            else AttendanceCategory.ESTABLISHED_CANCELLATION
        )
    return AttendanceCategory.OPEN


def overlaps(slot: Slot, appointments: Iterable[Appointment]) -> bool:
    """Whether any live appointment of the slot's clinician overlaps the slot."""
    return any(
        a.clinician_id == slot.clinician_id
        and a.status.holds_slot
        and a.start < slot.end
        and slot.start < a.end
        for a in appointments
    )


def ensure_bookable(slot: Slot, appointments: Iterable[Appointment]) -> None:
    """Refuse a slot that a live appointment of its clinician now overlaps.

    The unique `slot_key` only stops two bookings at the same start; this check, run
    inside the booking transaction with the clinician's bookings locked, also stops an
    overlapping booking at a different start (a 9:30 against a 9:00 hour).
    """
    if overlaps(slot, appointments):
        raise SlotUnavailable(f"slot {slot_key(slot.clinician_id, slot.start)} is taken")
