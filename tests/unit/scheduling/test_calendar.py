"""Open slots from weekly templates, exceptions, time off and busy time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.calendar import (
    AppointmentType,
    AvailabilityException,
    BusyInterval,
    ExceptionKind,
    Slot,
    TimeOff,
    WeeklyBlock,
    open_slots,
    spoken_when,
)
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Modality, Weekday
from frontdesk.domain.practice import ServiceKind

from .builders import ZONE, block, hour_session, local

MONDAY = date(2026, 3, 2)  # EST; the clocks go forward on Sunday 8 March 2026
NOW = local(date(2026, 3, 1), 8)  # Sunday morning
VIDEO = frozenset({Modality.TELEHEALTH})


def _starts(slots: list[Slot], clinician_id: str = "dana") -> list[datetime]:
    return sorted({s.start.astimezone(ZONE) for s in slots if s.clinician_id == clinician_id})


def _open(
    templates: list[WeeklyBlock],
    *,
    time_off: tuple[TimeOff, ...] = (),
    exceptions: tuple[AvailabilityException, ...] = (),
    busy: tuple[BusyInterval, ...] = (),
    kind: AppointmentType | None = None,
    now: datetime = NOW,
    horizon_days: int = 6,
    modalities: frozenset[Modality] = VIDEO,
    granularity: timedelta = timedelta(hours=1),
) -> list[Slot]:
    return open_slots(
        templates,
        time_off,
        exceptions,
        busy,
        kind or hour_session(),
        now=now,
        horizon_days=horizon_days,
        zone=ZONE,
        granularity=granularity,
        modalities=modalities,
    )


def test_weekly_block_yields_grid_starts_that_fit_the_session() -> None:
    """A 9-12 Monday block with hour sessions offers 9, 10 and 11, all aware and in UTC."""
    slots = _open([block()])
    assert _starts(slots) == [local(MONDAY, 9), local(MONDAY, 10), local(MONDAY, 11)]
    assert all(s.start.tzinfo is UTC for s in slots)
    assert all(s.kind is ServiceKind.FIRST_SESSION for s in slots)


def test_dst_change_week_keeps_local_wall_times() -> None:
    """Across the spring-forward Sunday, 9 am local stays 9 am: 14:00 UTC before, 13:00 after."""
    slots = _open([block(end=10)], horizon_days=10)
    starts = [s.start for s in slots]
    assert starts == [
        datetime(2026, 3, 2, 14, tzinfo=UTC),
        datetime(2026, 3, 9, 13, tzinfo=UTC),
    ]
    assert {s.start.astimezone(ZONE).hour for s in slots} == {9}


def test_fall_back_week_keeps_local_wall_times() -> None:
    """After the clocks go back on 1 November 2026, 9 am local is 14:00 UTC again."""
    now = local(date(2026, 10, 25), 8)
    slots = _open([block(end=10)], now=now, horizon_days=10)
    assert [s.start for s in slots] == [
        datetime(2026, 10, 26, 13, tzinfo=UTC),
        datetime(2026, 11, 2, 14, tzinfo=UTC),
    ]


def test_modalities_give_one_slot_each_and_in_person_names_the_location() -> None:
    """A block for video and in person yields both; only the in-person slot has a location."""
    slots = _open([block(end=10)], modalities=frozenset({Modality.TELEHEALTH, Modality.IN_PERSON}))
    assert {(s.modality, s.location_id) for s in slots} == {
        (Modality.TELEHEALTH, None),
        (Modality.IN_PERSON, "midtown"),
    }


def test_block_without_the_wanted_modality_offers_nothing() -> None:
    """A video-only block offers no in-person slot."""
    templates = [block(modalities=VIDEO, location_id=None)]
    assert _open(templates, modalities=frozenset({Modality.IN_PERSON})) == []


def test_busy_time_removes_overlapping_starts_only() -> None:
    """A 10:00-10:50 busy event removes the 10 o'clock start and leaves 9 and 11."""
    busy = (BusyInterval("dana", local(MONDAY, 10), local(MONDAY, 10, 50)),)
    assert _starts(_open([block()], busy=busy)) == [local(MONDAY, 9), local(MONDAY, 11)]


def test_back_to_back_is_allowed_without_buffers() -> None:
    """A session may start the minute a busy event ends and end the minute another begins."""
    busy = (
        BusyInterval("dana", local(MONDAY, 9), local(MONDAY, 10)),
        BusyInterval("dana", local(MONDAY, 11), local(MONDAY, 12)),
    )
    assert _starts(_open([block()], busy=busy)) == [local(MONDAY, 10)]


def test_buffers_keep_time_free_around_busy_events() -> None:
    """With a 10-minute buffer after sessions, an 11:00 busy start rules out the 10:00 start."""
    busy = (BusyInterval("dana", local(MONDAY, 11), local(MONDAY, 12)),)
    kind = hour_session(buffer_after=timedelta(minutes=10))
    assert _starts(_open([block()], busy=busy, kind=kind)) == [local(MONDAY, 9)]


def test_buffer_before_pushes_start_past_a_busy_end_on_the_grid() -> None:
    """A 15-minute buffer before sessions after a 9:00-9:50 event moves the next start to 10:15."""
    busy = (BusyInterval("dana", local(MONDAY, 9), local(MONDAY, 9, 50)),)
    kind = hour_session(buffer_before=timedelta(minutes=15))
    slots = _open([block()], busy=busy, kind=kind, granularity=timedelta(minutes=15))
    assert _starts(slots)[0] == local(MONDAY, 10, 15)


def test_minimum_notice_drops_starts_too_soon() -> None:
    """With 24 hours' notice on Monday at 9:30, Monday is closed and Tuesday 10:00 is first."""
    now = local(MONDAY, 9, 30)
    templates = [block(), block(weekday=Weekday.TUESDAY)]
    kind = hour_session(minimum_notice=timedelta(hours=24))
    starts = _starts(_open(templates, now=now, kind=kind))
    assert starts[0] == local(date(2026, 3, 3), 10)


def test_booking_window_caps_how_far_ahead() -> None:
    """A 7-day booking window drops the Monday 8 days out, however wide the horizon."""
    kind = hour_session(booking_window=timedelta(days=7))
    starts = _starts(_open([block(end=10)], kind=kind, horizon_days=20))
    assert starts == [local(MONDAY, 9)]


def test_time_off_removes_the_days_it_covers() -> None:
    """Time off from Monday 10:30 to the end of the day leaves only the 9 o'clock start."""
    away = TimeOff("dana", local(MONDAY, 10, 30), local(MONDAY, 23), "training")
    assert _starts(_open([block()], time_off=(away,))) == [local(MONDAY, 9)]


def test_closed_exception_withdraws_a_date_or_a_range() -> None:
    """A closed date offers nothing that day; a closed range only removes what it overlaps."""
    whole = AvailabilityException("dana", MONDAY, ExceptionKind.CLOSED)
    assert _open([block()], exceptions=(whole,)) == []
    morning = AvailabilityException("dana", MONDAY, ExceptionKind.CLOSED, time(9), time(10))
    assert _starts(_open([block()], exceptions=(morning,))) == [
        local(MONDAY, 10),
        local(MONDAY, 11),
    ]


def test_extra_hours_add_a_block_on_one_date() -> None:
    """Extra Saturday hours add that Saturday's starts and no other weekend day."""
    saturday = date(2026, 3, 7)
    extra = AvailabilityException(
        "dana", saturday, ExceptionKind.EXTRA, time(10), time(12), None, VIDEO
    )
    starts = _starts(_open([], exceptions=(extra,)))
    assert starts == [local(saturday, 10), local(saturday, 11)]


def test_overlapping_blocks_do_not_duplicate_slots() -> None:
    """Two overlapping blocks on one day give each start once."""
    templates = [block(end=11), block(start=10, end=12)]
    slots = _open(templates)
    assert len(slots) == len({(s.start, s.modality) for s in slots}) == 3


def test_busy_time_of_one_clinician_leaves_another_free() -> None:
    """Busy time is per clinician: Sam's busy Monday does not remove Dana's slots."""
    busy = (BusyInterval("sam", local(MONDAY, 9), local(MONDAY, 12)),)
    slots = _open([block(), block("sam")], busy=busy)
    assert len(_starts(slots, "dana")) == 3
    assert _starts(slots, "sam") == []


def test_slots_are_sorted_by_start_then_clinician() -> None:
    """The result is ordered by start and, at equal starts, by clinician id."""
    slots = _open([block("sam"), block("dana")])
    keys = [(s.start, s.clinician_id) for s in slots]
    assert keys == sorted(keys)
    assert keys[0][1] == "dana"


def test_clinician_filter_restricts_result() -> None:
    """Passing clinician ids leaves out everyone else."""
    slots = open_slots(
        [block("sam"), block("dana")],
        (),
        (),
        (),
        hour_session(),
        now=NOW,
        horizon_days=6,
        zone=ZONE,
        clinician_ids=frozenset({"sam"}),
    )
    assert slots
    assert {s.clinician_id for s in slots} == {"sam"}


@pytest.mark.parametrize(
    "build",
    [
        lambda: WeeklyBlock("dana", Weekday.MONDAY, time(12), time(9)),
        lambda: WeeklyBlock(
            "dana", Weekday.MONDAY, time(9), time(12), None, frozenset({Modality.IN_PERSON})
        ),
        lambda: TimeOff("dana", datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 10)),
        lambda: BusyInterval("dana", local(MONDAY, 10), local(MONDAY, 9)),
        lambda: AvailabilityException("dana", MONDAY, ExceptionKind.EXTRA),
        lambda: AppointmentType(ServiceKind.CONSULT, timedelta(0)),
    ],
)
def test_invalid_calendar_values_are_refused(build: object) -> None:
    """Backwards ranges, naive times, in-person blocks with no place and empty sessions fail."""
    with pytest.raises(InvalidInput):
        build()  # type: ignore[operator]


def test_naive_now_is_refused() -> None:
    """Slot generation needs an aware `now`."""
    with pytest.raises(InvalidInput):
        _open([block()], now=datetime(2026, 3, 1, 8))


def test_spoken_when_reads_local_time() -> None:
    """Starts are read in the practice's zone with an ordinal day and a short hour."""
    assert (
        spoken_when(local(date(2026, 3, 10), 18).astimezone(UTC), ZONE)
        == "Tuesday the 10th at 6 pm"
    )
    assert spoken_when(local(date(2026, 3, 1), 9, 30), ZONE) == "Sunday the 1st at 9:30 am"
    assert spoken_when(local(date(2026, 3, 12), 12), ZONE) == "Thursday the 12th at 12 pm"


def _reference_starts(
    busy: list[tuple[int, int]], kind: AppointmentType, step_minutes: int
) -> list[datetime]:
    """Brute force: try every grid start in a Monday 9-17 block and test each busy event."""
    out = []
    cursor = local(MONDAY, 9)
    while cursor + kind.duration <= local(MONDAY, 17):
        padded_start = cursor - kind.buffer_before
        padded_end = cursor + kind.duration + kind.buffer_after
        clashes = any(
            padded_start < local(MONDAY, 9) + timedelta(minutes=b_end)
            and local(MONDAY, 9) + timedelta(minutes=b_start) < padded_end
            for b_start, b_end in busy
        )
        if not clashes and cursor >= NOW + kind.minimum_notice:
            out.append(cursor)
        cursor += timedelta(minutes=step_minutes)
    return out


@settings(max_examples=150, deadline=None)
@given(
    busy=st.lists(
        st.tuples(st.integers(-120, 540), st.integers(1, 180)).map(lambda p: (p[0], p[0] + p[1])),
        max_size=8,
    ),
    duration=st.sampled_from([15, 45, 50, 60, 90]),
    before=st.sampled_from([0, 5, 10]),
    after=st.sampled_from([0, 10, 15]),
    step=st.sampled_from([5, 15, 30, 60]),
)
def test_interval_arithmetic_matches_brute_force(
    busy: list[tuple[int, int]], duration: int, before: int, after: int, step: int
) -> None:
    """For any busy events, buffers and grid, the fast walk finds exactly the brute-force starts."""
    kind = hour_session(
        duration=timedelta(minutes=duration),
        buffer_before=timedelta(minutes=before),
        buffer_after=timedelta(minutes=after),
    )
    nine = local(MONDAY, 9)
    intervals = tuple(
        BusyInterval("dana", nine + timedelta(minutes=a), nine + timedelta(minutes=b))
        for a, b in busy
    )
    slots = _open(
        [block(start=9, end=17)],
        busy=intervals,
        kind=kind,
        horizon_days=1,
        granularity=timedelta(minutes=step),
    )
    assert _starts(slots) == _reference_starts(busy, kind, step)
