"""Clinician availability and the open slots it leaves, as pure interval arithmetic.

Weekly templates and dated exceptions are wall-clock times in the practice's timezone;
everything else (time off, busy time, slots) is timezone-aware. Local wall times are built
with `zoneinfo` on each date and only then converted to UTC, so a template of "Monday 9 to
5" stays 9 to 5 on both sides of a daylight-saving change. A wall time that does not exist
on a spring-forward date resolves the way `zoneinfo` resolves fold 0 (an hour later).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from operator import attrgetter
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Modality, Weekday
from frontdesk.domain.practice import ServiceKind

ClinicianId = str
SESSION_MODALITIES: frozenset[Modality] = frozenset({Modality.TELEHEALTH, Modality.IN_PERSON})


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{what} must be timezone-aware")


def _require_order(ordered: bool, what: str) -> None:
    if not ordered:
        raise InvalidInput(f"{what} must end after it starts")


def _session_modalities(modalities: frozenset[Modality], location_id: str | None) -> None:
    if not modalities or not modalities <= SESSION_MODALITIES:
        raise InvalidInput("block modalities must be telehealth and/or in_person")
    if Modality.IN_PERSON in modalities and location_id is None:
        raise InvalidInput("an in-person block needs a location_id")


@dataclass(frozen=True, slots=True)
class WeeklyBlock:
    """Recurring working hours of one clinician on one weekday, in the practice's timezone."""

    clinician_id: ClinicianId
    weekday: Weekday
    start: time
    end: time
    location_id: str | None = None
    modalities: frozenset[Modality] = frozenset({Modality.TELEHEALTH})

    def __post_init__(self) -> None:
        _require_order(self.start < self.end, "a weekly block")
        _session_modalities(self.modalities, self.location_id)


@dataclass(frozen=True, slots=True)
class TimeOff:
    """A clinician away between two aware moments (vacation, training, illness)."""

    clinician_id: ClinicianId
    start: datetime
    end: datetime
    reason: str = ""

    def __post_init__(self) -> None:
        _require_aware(self.start, "time off start")
        _require_aware(self.end, "time off end")
        _require_order(self.start < self.end, "time off")


class ExceptionKind(StrEnum):
    EXTRA = "extra"  # hours added on one date, beyond the weekly template
    CLOSED = "closed"  # the template's hours withdrawn on one date (all day, or a range)


@dataclass(frozen=True, slots=True)
class AvailabilityException:
    """A one-date change to a clinician's template, in the practice's timezone.

    `EXTRA` needs `start` and `end` and adds a block; `CLOSED` withdraws the whole date when
    `start`/`end` are None, otherwise only that range.
    """

    clinician_id: ClinicianId
    on: date
    kind: ExceptionKind
    start: time | None = None
    end: time | None = None
    location_id: str | None = None
    modalities: frozenset[Modality] = frozenset({Modality.TELEHEALTH})

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise InvalidInput("an availability exception needs both start and end, or neither")
        if self.start is not None and self.end is not None:
            _require_order(self.start < self.end, "an availability exception")
        if self.kind is ExceptionKind.EXTRA:
            if self.start is None:
                raise InvalidInput("extra hours need start and end")
            _session_modalities(self.modalities, self.location_id)


@dataclass(frozen=True, slots=True)
class AppointmentType:
    """Booking rules for one kind of appointment.

    Buffers keep time free around the session; `minimum_notice` is the least time between
    now and the start; `booking_window` is the furthest ahead a start may be.
    """

    kind: ServiceKind
    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    minimum_notice: timedelta = timedelta(hours=24)
    booking_window: timedelta = timedelta(days=60)

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0):
            raise InvalidInput("appointment duration must be positive")
        if min(self.buffer_before, self.buffer_after, self.minimum_notice) < timedelta(0):
            raise InvalidInput("buffers and minimum notice cannot be negative")
        if self.booking_window <= timedelta(0):
            raise InvalidInput("booking window must be positive")


class BusySource(StrEnum):
    IMPORTED = "imported"  # from the EHR's calendar export
    BOOKED = "booked"  # an appointment held in Frontdesk


@dataclass(frozen=True, slots=True)
class BusyInterval:
    """Time a clinician is already committed; `ref` names the event or appointment id."""

    clinician_id: ClinicianId
    start: datetime
    end: datetime
    source: BusySource = BusySource.IMPORTED
    ref: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.start, "busy start")
        _require_aware(self.end, "busy end")
        _require_order(self.start < self.end, "busy time")


class TakesTime(Protocol):
    """Anything that occupies a clinician's time: a `BusyInterval`, a live appointment."""

    @property
    def clinician_id(self) -> ClinicianId: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable start for one clinician; `location_id` is None for telehealth."""

    clinician_id: ClinicianId
    start: datetime
    end: datetime
    kind: ServiceKind
    modality: Modality
    location_id: str | None = None

    def local_start(self, zone: ZoneInfo) -> datetime:
        return self.start.astimezone(zone)


class _Block(NamedTuple):
    start: int  # seconds since the epoch, UTC
    end: int
    location_id: str | None
    modalities: frozenset[Modality]


@dataclass(slots=True)
class _ClinicianCalendar:
    weekly: dict[int, list[WeeklyBlock]] = field(default_factory=lambda: defaultdict(list))
    extra: dict[date, list[AvailabilityException]] = field(
        default_factory=lambda: defaultdict(list)
    )
    closed_days: set[date] = field(default_factory=set)


def _local(on: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(on, clock, tzinfo=zone).astimezone(UTC)


def _floor(moment: datetime) -> int:
    return math.floor(moment.timestamp())


def _ceil(moment: datetime) -> int:
    return math.ceil(moment.timestamp())


def _merge(intervals: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Union of open intervals as parallel sorted start and end lists."""
    intervals.sort()
    starts: list[int] = []
    ends: list[int] = []
    for start, end in intervals:
        if ends and start < ends[-1]:  # open intervals: a shared end point stays free
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _ceil_to_grid(moment: int, origin: int, step: int) -> int:
    if moment <= origin:
        return origin
    return origin - ((origin - moment) // step) * step


def open_slots(
    templates: Iterable[WeeklyBlock],
    time_off: Iterable[TimeOff],
    exceptions: Iterable[AvailabilityException],
    busy: Iterable[TakesTime],
    appointment_type: AppointmentType,
    *,
    now: datetime,
    horizon_days: int,
    zone: ZoneInfo,
    granularity: timedelta = timedelta(minutes=30),
    modalities: frozenset[Modality] = SESSION_MODALITIES,
    clinician_ids: frozenset[ClinicianId] | None = None,
) -> list[Slot]:
    """Every bookable slot, sorted by start then clinician, one per offered modality.

    See `iter_open_slots` for the rules; this is its result flattened.
    """
    days = iter_open_slots(
        templates,
        time_off,
        exceptions,
        busy,
        appointment_type,
        now=now,
        horizon_days=horizon_days,
        zone=zone,
        granularity=granularity,
        modalities=modalities,
        clinician_ids=clinician_ids,
    )
    return [slot for day in days for slot in day]


def iter_open_slots(
    templates: Iterable[WeeklyBlock],
    time_off: Iterable[TimeOff],
    exceptions: Iterable[AvailabilityException],
    busy: Iterable[TakesTime],
    appointment_type: AppointmentType,
    *,
    now: datetime,
    horizon_days: int,
    zone: ZoneInfo,
    granularity: timedelta = timedelta(minutes=30),
    modalities: frozenset[Modality] = SESSION_MODALITIES,
    clinician_ids: frozenset[ClinicianId] | None = None,
) -> Iterator[list[Slot]]:
    """Every bookable slot, one list per local date in date order, as `open_slots` sorts them.

    Arguments are checked before the first date is produced. Yielding by date lets a
    search stop as soon as the earliest dates settle its answer.

    A start qualifies when the session lies inside a template block (or extra hours) on a
    date within `horizon_days` of today's local date, is at least `minimum_notice` after
    `now`, no later than `booking_window` after it, overlaps no time off or closure, and,
    padded by the buffers, overlaps no busy time. Starts sit on a `granularity` grid from
    each block's start; each day costs a bisect and a walk over the free gaps, never a loop
    over minutes. `clinician_ids` restricts the result to fitting clinicians.
    """
    _require_aware(now, "now")
    if granularity < timedelta(seconds=1):
        raise InvalidInput("granularity must be at least a second")
    if horizon_days < 0:
        raise InvalidInput("horizon_days cannot be negative")
    step = int(granularity.total_seconds())
    kind = appointment_type.kind
    duration = int(appointment_type.duration.total_seconds())
    pad_before = duration + int(appointment_type.buffer_after.total_seconds())
    pad_after = int(appointment_type.buffer_before.total_seconds())
    earliest = _ceil(now + appointment_type.minimum_notice)
    latest = _floor(now + appointment_type.booking_window)
    wanted = modalities & SESSION_MODALITIES

    def chosen(clinician_id: ClinicianId) -> bool:
        return clinician_ids is None or clinician_id in clinician_ids

    calendars: dict[ClinicianId, _ClinicianCalendar] = defaultdict(_ClinicianCalendar)
    for template in templates:
        if chosen(template.clinician_id):
            calendars[template.clinician_id].weekly[template.weekday.number].append(template)
    # Per clinician, open intervals of forbidden *start* times.
    blocked: dict[ClinicianId, list[tuple[int, int]]] = defaultdict(list)
    for exception in exceptions:
        if not chosen(exception.clinician_id):
            continue
        calendar = calendars[exception.clinician_id]
        if exception.kind is ExceptionKind.EXTRA:
            calendar.extra[exception.on].append(exception)
        elif exception.start is None or exception.end is None:
            calendar.closed_days.add(exception.on)
        else:
            closed_from = _floor(_local(exception.on, exception.start, zone))
            closed_to = _ceil(_local(exception.on, exception.end, zone))
            blocked[exception.clinician_id].append((closed_from - duration, closed_to))
    for away in time_off:
        if chosen(away.clinician_id):
            blocked[away.clinician_id].append((_floor(away.start) - duration, _ceil(away.end)))
    floor, ceil = math.floor, math.ceil  # the hot loop: thousands of bookings per search
    for taken in busy:
        owner = taken.clinician_id
        if clinician_ids is None or owner in clinician_ids:
            blocked[owner].append(
                (
                    floor(taken.start.timestamp()) - pad_before,
                    ceil(taken.end.timestamp()) + pad_after,
                )
            )

    merged = {cid: _merge(blocked.get(cid, [])) for cid in sorted(calendars)}
    today = now.astimezone(zone).date()
    days = [today + timedelta(days=n) for n in range(horizon_days + 1)]
    rules = _Rules(kind, duration, step, earliest, latest, wanted, zone)
    return _walk(calendars, merged, days, rules)


class _Rules(NamedTuple):
    kind: ServiceKind
    duration: int
    step: int
    earliest: int
    latest: int
    wanted: frozenset[Modality]
    zone: ZoneInfo


def _walk(
    calendars: dict[ClinicianId, _ClinicianCalendar],
    merged: dict[ClinicianId, tuple[list[int], list[int]]],
    days: list[date],
    rules: _Rules,
) -> Iterator[list[Slot]]:
    """Slots date by date: each clinician's blocks that day, minus their blocked starts."""
    kind, duration, step, earliest, latest, wanted, zone = rules
    wall: dict[tuple[date, time], int] = {}  # shared by clinicians with equal hours
    moments: dict[int, datetime] = {}
    offers: dict[frozenset[Modality], tuple[Modality, ...]] = {}

    def at(day: date, clock: time) -> int:
        seconds = wall.get((day, clock))
        if seconds is None:
            seconds = wall[(day, clock)] = _floor(_local(day, clock, zone))
        return seconds

    def moment(seconds: int) -> datetime:
        value = moments.get(seconds)
        if value is None:
            value = moments[seconds] = datetime.fromtimestamp(seconds, UTC)
        return value

    for day in days:
        slots: list[Slot] = []
        for clinician_id, (starts, ends) in merged.items():
            calendar = calendars[clinician_id]
            if day in calendar.closed_days:
                continue
            blocks = [
                _Block(at(day, b.start), at(day, b.end), b.location_id, b.modalities)
                for b in calendar.weekly.get(day.weekday(), ())
            ]
            blocks.extend(
                _Block(at(day, e.start), at(day, e.end), e.location_id, e.modalities)
                for e in calendar.extra.get(day, ())
                if e.start is not None and e.end is not None
            )
            day_slots: list[Slot] = []
            for block in blocks:
                offered = offers.get(block.modalities)
                if offered is None:
                    offered = offers[block.modalities] = tuple(sorted(block.modalities & wanted))
                if not offered:
                    continue
                for start in _block_starts(block, duration, step, earliest, latest, starts, ends):
                    begins, finishes = moment(start), moment(start + duration)
                    for modality in offered:
                        location = block.location_id if modality is Modality.IN_PERSON else None
                        day_slots.append(
                            Slot(clinician_id, begins, finishes, kind, modality, location)
                        )
            slots.extend(_unique(day_slots) if _overlapping(blocks) else day_slots)
        if slots:
            slots.sort(key=_slot_order)
            yield slots


_slot_order = attrgetter("start", "clinician_id", "modality")


def _block_starts(
    block: _Block,
    duration: int,
    step: int,
    earliest: int,
    latest: int,
    blocked_starts: Sequence[int],
    blocked_ends: Sequence[int],
) -> list[int]:
    """Grid starts in one block outside every blocked open interval of start times."""
    high = min(block.end - duration, latest)  # last admissible start, inclusive
    cursor = _ceil_to_grid(max(block.start, earliest), block.start, step)
    count = len(blocked_starts)
    index = bisect.bisect_right(blocked_ends, cursor)
    out: list[int] = []
    while cursor <= high:
        while index < count and blocked_ends[index] <= cursor:
            index += 1
        if index < count and blocked_starts[index] < cursor:
            cursor = _ceil_to_grid(blocked_ends[index], block.start, step)
            continue
        stop = high if index >= count else min(blocked_starts[index], high)
        while cursor <= stop:
            out.append(cursor)
            cursor += step
    return out


def _overlapping(blocks: list[_Block]) -> bool:
    ordered = sorted(blocks, key=attrgetter("start"))
    return any(later.start < earlier.end for earlier, later in pairwise(ordered))


def _unique(slots: list[Slot]) -> list[Slot]:
    """Drop duplicates that overlapping blocks of one clinician would produce."""
    seen: set[tuple[ClinicianId, datetime, Modality]] = set()
    out: list[Slot] = []
    for slot in slots:
        key = (slot.clinician_id, slot.start, slot.modality)
        if key not in seen:
            seen.add(key)
            out.append(slot)
    return out


def spoken_when(moment: datetime, zone: ZoneInfo) -> str:
    """A start read in the practice's local time: "Tuesday the 9th at 6 pm"."""
    local = moment.astimezone(zone)
    day = local.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    meridiem = "am" if local.hour < 12 else "pm"
    weekday = Weekday.of(local).value.capitalize()  # not %A, which follows the locale
    return f"{weekday} the {day}{suffix} at {hour}{minutes} {meridiem}"
