"""The practice file's scheduling sections: availability, time off, exceptions, appointment
types, slot granularity, reminders, holidays and waitlist offers.

Each section model validates its own fields; `schedule_problems` checks what spans sections
(clinician and location ids, modalities a clinician offers) and `schedule_config` builds the
domain `ScheduleConfig`. Times are wall-clock times in the practice's timezone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from frontdesk.adapters.located_yaml import Loc, Problem
from frontdesk.domain.calendar import (
    SESSION_MODALITIES,
    AppointmentType,
    AvailabilityException,
    ExceptionKind,
    TimeOff,
    WeeklyBlock,
)
from frontdesk.domain.inquiries import Modality, Weekday
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.reminders import QuietHours, ReminderPlan
from frontdesk.domain.schedule import (
    ReminderSettings,
    ScheduleConfig,
    WaitlistSettings,
)

_RANGE = re.compile(r"\s*([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})\s*")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _clock_pair(value: str) -> tuple[time, time]:
    match = _RANGE.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a time range like 09:00-13:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h2 == 24 and m2 == 0:
        h2, m2 = 23, 59
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(f"{value!r} is not a valid time of day range")
    return time(h1, m1), time(h2, m2)


def _hours(value: str) -> str:
    start, end = _clock_pair(value)
    if start >= end:
        raise ValueError(f"{value!r} ends before it starts")
    return value


def _quiet(value: str) -> str:
    start, end = _clock_pair(value)
    if start == end:
        raise ValueError(f"{value!r} is empty")
    return value  # may wrap past midnight


def _moment(value: object) -> object:
    """`2026-07-06 00:00` or a bare date (midnight), read as practice-local wall time."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date and time like 2026-07-06 09:00") from None
    return value


Hours = Annotated[str, AfterValidator(_hours)]
QuietText = Annotated[str, AfterValidator(_quiet)]
LocalMoment = Annotated[datetime, BeforeValidator(_moment)]


class BlockModel(_Section):
    """One stretch of working hours; `modalities` default to what the clinician offers."""

    hours: Hours
    location: str | None = None
    modalities: list[Modality] | None = Field(default=None, min_length=1)


class WeekModel(_Section):
    monday: list[BlockModel] = []
    tuesday: list[BlockModel] = []
    wednesday: list[BlockModel] = []
    thursday: list[BlockModel] = []
    friday: list[BlockModel] = []
    saturday: list[BlockModel] = []
    sunday: list[BlockModel] = []


class TimeOffModel(_Section):
    clinician: str
    from_: LocalMoment = Field(alias="from")
    to: LocalMoment
    reason: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> TimeOffModel:
        if self.to <= self.from_:
            raise ValueError("time off must end after it starts")
        return self


class ExceptionModel(_Section):
    """One date: `extra` hours added, or `closed` (true for the whole day, or a range)."""

    clinician: str
    date: date
    extra: Hours | None = None
    closed: bool | Hours = False
    location: str | None = None
    modalities: list[Modality] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_kind(self) -> ExceptionModel:
        if (self.extra is None) == (self.closed is False):
            raise ValueError("give either `extra: HH:MM-HH:MM` or `closed`, not both or neither")
        return self


class AppointmentTypeModel(_Section):
    duration_minutes: int = Field(gt=0, le=480)
    buffer_before_minutes: int = Field(default=0, ge=0, le=240)
    buffer_after_minutes: int = Field(default=0, ge=0, le=240)
    minimum_notice_hours: int = Field(default=24, ge=0, le=24 * 60)
    booking_window_days: int = Field(default=60, gt=0, le=366)

    def to_domain(self, kind: ServiceKind) -> AppointmentType:
        return AppointmentType(
            kind,
            timedelta(minutes=self.duration_minutes),
            buffer_before=timedelta(minutes=self.buffer_before_minutes),
            buffer_after=timedelta(minutes=self.buffer_after_minutes),
            minimum_notice=timedelta(hours=self.minimum_notice_hours),
            booking_window=timedelta(days=self.booking_window_days),
        )


class AppointmentTypesModel(_Section):
    consult: AppointmentTypeModel | None = None
    first_session: AppointmentTypeModel | None = None
    ongoing: AppointmentTypeModel | None = None


class RemindersModel(_Section):
    offsets_hours: list[Annotated[int, Field(gt=0, le=24 * 14)]] = [48, 2]
    quiet_hours: QuietText | None = "21:00-08:00"
    sender_name: str | None = None
    follow_up_window_hours: int = Field(default=24, gt=0, le=24 * 30)

    def to_domain(self) -> ReminderSettings:
        offsets = tuple(timedelta(hours=h) for h in sorted(set(self.offsets_hours), reverse=True))
        quiet = None
        if self.quiet_hours is not None:
            quiet = QuietHours(*_clock_pair(self.quiet_hours))
        sender = self.sender_name.strip() if self.sender_name else None
        return ReminderSettings(
            ReminderPlan(offsets),
            quiet,
            sender or None,
            follow_up_window=timedelta(hours=self.follow_up_window_hours),
        )


class WaitlistModel(_Section):
    offer_hold_minutes: int = Field(default=120, gt=0, le=7 * 24 * 60)
    offers_at_once: int = Field(default=1, ge=1, le=20)

    def to_domain(self) -> WaitlistSettings:
        return WaitlistSettings(timedelta(minutes=self.offer_hold_minutes), self.offers_at_once)


class ClinicianLike(Protocol):
    """What the scheduling cross-checks read of a clinician section."""

    @property
    def id(self) -> str: ...
    @property
    def modalities(self) -> list[Modality]: ...
    @property
    def locations(self) -> list[str]: ...
    @property
    def availability(self) -> WeekModel | None: ...


class SchedulingSections(Protocol):
    """The scheduling fields of the practice model."""

    @property
    def clinicians(self) -> Sequence[ClinicianLike]: ...
    @property
    def time_off(self) -> list[TimeOffModel]: ...
    @property
    def availability_exceptions(self) -> list[ExceptionModel]: ...
    @property
    def appointment_types(self) -> AppointmentTypesModel: ...
    @property
    def slot_granularity_minutes(self) -> int: ...
    @property
    def reminders(self) -> RemindersModel: ...
    @property
    def holidays(self) -> list[date]: ...
    @property
    def waitlist(self) -> WaitlistModel: ...


def _offered(clinician: ClinicianLike) -> frozenset[Modality]:
    chosen = set(clinician.modalities)
    if Modality.HYBRID in chosen:
        chosen |= SESSION_MODALITIES
    return frozenset(chosen) & SESSION_MODALITIES


def _block_modalities(
    clinician: ClinicianLike, location: str | None, given: list[Modality] | None
) -> frozenset[Modality]:
    if given is not None:
        return frozenset(given)
    offered = _offered(clinician)
    return offered if location is not None else offered - {Modality.IN_PERSON}


def _block_problems(
    loc: Loc, clinician: ClinicianLike, location: str | None, given: list[Modality] | None
) -> Iterator[Problem]:
    modalities = _block_modalities(clinician, location, given)
    if given is not None:
        for j, modality in enumerate(given):
            if modality is Modality.HYBRID:
                yield Problem((*loc, "modalities", j), "a block is telehealth and/or in_person")
            elif modality not in _offered(clinician):
                yield Problem(
                    (*loc, "modalities", j),
                    f"clinician {clinician.id!r} does not offer {modality.value} sessions",
                )
    if location is not None and location not in clinician.locations:
        known = ", ".join(clinician.locations) or "none"
        yield Problem(
            (*loc, "location"),
            f"clinician {clinician.id!r} does not see clients at {location!r} (locations: {known})",
        )
    if Modality.IN_PERSON in modalities and location is None:
        yield Problem(loc, "in-person hours need a `location`")
    if not modalities & SESSION_MODALITIES:
        yield Problem(loc, "these hours offer no session modality (give `modalities`)")


def schedule_problems(model: SchedulingSections) -> Iterator[Problem]:
    """Scheduling rules that span sections, each at the field a person must change."""
    by_id = {c.id: c for c in model.clinicians}
    for i, clinician in enumerate(model.clinicians):
        week = clinician.availability
        if week is None:
            continue
        for day in Weekday:
            blocks: list[BlockModel] = getattr(week, day.value)
            for j, block in enumerate(blocks):
                loc: Loc = ("clinicians", i, "availability", day.value, j)
                yield from _block_problems(loc, clinician, block.location, block.modalities)
    for i, away in enumerate(model.time_off):
        if away.clinician not in by_id:
            yield _unknown(("time_off", i, "clinician"), away.clinician, by_id)
    for i, exception in enumerate(model.availability_exceptions):
        owner = by_id.get(exception.clinician)
        if owner is None:
            yield _unknown(("availability_exceptions", i, "clinician"), exception.clinician, by_id)
        elif exception.extra is not None:
            yield from _block_problems(
                ("availability_exceptions", i), owner, exception.location, exception.modalities
            )
    if 24 * 60 % model.slot_granularity_minutes:
        yield Problem(("slot_granularity_minutes",), "must divide a day (e.g. 15, 30 or 60)")


def _unknown(loc: Loc, clinician_id: str, known: dict[str, ClinicianLike]) -> Problem:
    names = ", ".join(sorted(known)) or "none"
    return Problem(loc, f"unknown clinician id {clinician_id!r} (clinicians: {names})")


def schedule_config(model: SchedulingSections, zone: ZoneInfo) -> ScheduleConfig:
    """The domain `ScheduleConfig` of a validated practice model."""
    by_id = {c.id: c for c in model.clinicians}
    templates: list[WeeklyBlock] = []
    for clinician in model.clinicians:
        week = clinician.availability
        if week is None:
            continue
        for day in Weekday:
            for block in getattr(week, day.value):
                start, end = _clock_pair(block.hours)
                modalities = _block_modalities(clinician, block.location, block.modalities)
                location = block.location if Modality.IN_PERSON in modalities else None
                templates.append(WeeklyBlock(clinician.id, day, start, end, location, modalities))
    time_off = tuple(
        TimeOff(a.clinician, _aware(a.from_, zone), _aware(a.to, zone), a.reason.strip())
        for a in model.time_off
    )
    exceptions: list[AvailabilityException] = []
    for e in model.availability_exceptions:
        if e.extra is not None:
            start, end = _clock_pair(e.extra)
            modalities = _block_modalities(by_id[e.clinician], e.location, e.modalities)
            location = e.location if Modality.IN_PERSON in modalities else None
            exceptions.append(
                AvailabilityException(
                    e.clinician, e.date, ExceptionKind.EXTRA, start, end, location, modalities
                )
            )
        elif isinstance(e.closed, str):
            start, end = _clock_pair(e.closed)
            exceptions.append(
                AvailabilityException(e.clinician, e.date, ExceptionKind.CLOSED, start, end)
            )
        else:
            exceptions.append(AvailabilityException(e.clinician, e.date, ExceptionKind.CLOSED))
    default = ScheduleConfig()
    kinds = model.appointment_types
    types = tuple(
        given.to_domain(kind) if given is not None else default.appointment_type(kind)
        for kind, given in (
            (ServiceKind.CONSULT, kinds.consult),
            (ServiceKind.FIRST_SESSION, kinds.first_session),
            (ServiceKind.ONGOING, kinds.ongoing),
        )
    )
    return ScheduleConfig(
        templates=tuple(templates),
        time_off=time_off,
        exceptions=tuple(exceptions),
        appointment_types=types,
        granularity=timedelta(minutes=model.slot_granularity_minutes),
        reminders=model.reminders.to_domain(),
        holidays=frozenset(model.holidays),
        waitlist=model.waitlist.to_domain(),
    )


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
