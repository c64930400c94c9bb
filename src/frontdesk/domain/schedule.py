"""The practice's scheduling settings: availability, appointment types, reminders, holidays.

Read from the practice file's scheduling sections (`frontdesk.adapters.schedule_schema`);
every field has a default so a practice without them still loads (and simply has no
openings until availability is written down).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from frontdesk.domain.calendar import (
    AppointmentType,
    AvailabilityException,
    ExceptionKind,
    TimeOff,
    WeeklyBlock,
)
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.reminders import QuietHours, ReminderPlan

DEFAULT_APPOINTMENT_TYPES: tuple[AppointmentType, ...] = (
    AppointmentType(
        ServiceKind.CONSULT,
        timedelta(minutes=15),
        buffer_after=timedelta(minutes=5),
        minimum_notice=timedelta(hours=4),
        booking_window=timedelta(days=21),
    ),
    AppointmentType(
        ServiceKind.FIRST_SESSION,
        timedelta(minutes=60),
        buffer_after=timedelta(minutes=10),
        minimum_notice=timedelta(hours=24),
        booking_window=timedelta(days=60),
    ),
    AppointmentType(
        ServiceKind.ONGOING,
        timedelta(minutes=50),
        buffer_after=timedelta(minutes=10),
        minimum_notice=timedelta(hours=24),
        booking_window=timedelta(days=90),
    ),
)


DEFAULT_REMINDER_PLAN = ReminderPlan()
DEFAULT_QUIET_HOURS = QuietHours(time(21), time(8))


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """When reminders go out, when no text may, whose name they carry, and how long after
    a missed call its follow-up text is still worth sending."""

    plan: ReminderPlan = DEFAULT_REMINDER_PLAN
    quiet: QuietHours | None = DEFAULT_QUIET_HOURS
    sender_name: str | None = None  # None: the practice's name
    follow_up_window: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class WaitlistSettings:
    """How openings are offered to the waitlist: hold per offer, offers live at once."""

    hold: timedelta = timedelta(hours=2)
    batch: int = 1

    def __post_init__(self) -> None:
        if self.hold <= timedelta(0) or self.batch < 1:
            raise InvalidInput("the waitlist needs a positive hold and batch")


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """Everything the calendar needs from the practice file."""

    templates: tuple[WeeklyBlock, ...] = ()
    time_off: tuple[TimeOff, ...] = ()
    exceptions: tuple[AvailabilityException, ...] = ()
    appointment_types: tuple[AppointmentType, ...] = DEFAULT_APPOINTMENT_TYPES
    granularity: timedelta = timedelta(minutes=30)
    reminders: ReminderSettings = ReminderSettings()
    holidays: frozenset[date] = frozenset()
    waitlist: WaitlistSettings = WaitlistSettings()

    def appointment_type(self, kind: ServiceKind) -> AppointmentType:
        """The booking rules of `kind` (the shipped defaults when the file names none)."""
        for found in self.appointment_types:
            if found.kind is kind:
                return found
        for found in DEFAULT_APPOINTMENT_TYPES:
            if found.kind is kind:
                return found
        raise InvalidInput(f"no appointment type {kind}")  # pragma: no cover - every kind has one

    def closures(self, clinician_ids: frozenset[str]) -> tuple[AvailabilityException, ...]:
        """The dated exceptions plus a whole-day closure per holiday for every clinician."""
        holidays = tuple(
            AvailabilityException(cid, day, ExceptionKind.CLOSED)
            for day in sorted(self.holidays)
            for cid in sorted(clinician_ids)
        )
        return self.exceptions + holidays
