"""Booking, cancelling, rescheduling and marking appointments as pure transitions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from frontdesk.domain.appointments import (
    AppointmentStatus,
    AttendanceCategory,
    ClientRef,
    attendance_category,
    book,
    cancel,
    ensure_bookable,
    mark,
    overlaps,
    reschedule,
    slot_key,
)
from frontdesk.domain.calendar import BusySource
from frontdesk.domain.errors import Conflict, InvalidInput, SlotUnavailable
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.practice import CancellationPolicy, ServiceKind

from .builders import appointment, local, slot

POLICY = CancellationPolicy(notice_hours=24)
START = local(date(2026, 3, 10), 18)


def test_book_copies_the_slot_and_marks_ai_bookings() -> None:
    """A booking takes the slot's clinician, times, kind, modality and location, flagged as AI."""
    offered = slot(START, modality=Modality.IN_PERSON, location_id="midtown")
    at = START - timedelta(days=2)
    booked = book(
        offered, appointment_id="a9", client=ClientRef(inquiry_id="inq-7"), at=at, booked_by_ai=True
    )
    assert (booked.clinician_id, booked.start, booked.end) == ("dana", offered.start, offered.end)
    assert booked.location_id == "midtown"
    assert booked.status is AppointmentStatus.BOOKED
    assert booked.booked_by_ai is True
    assert booked.booked_at == at
    assert booked.as_busy().source is BusySource.BOOKED


def test_book_refuses_a_slot_that_has_started() -> None:
    """A slot at or before the booking moment cannot be booked."""
    with pytest.raises(InvalidInput):
        book(
            slot(START),
            appointment_id="a9",
            client=ClientRef(client_id="c1"),
            at=START,
            booked_by_ai=False,
        )


def test_client_ref_needs_an_id() -> None:
    """An appointment must say whom it is for, by inquiry or client id."""
    with pytest.raises(InvalidInput):
        ClientRef()


def test_slot_key_is_the_same_for_equal_instants_in_any_zone() -> None:
    """The key names clinician and UTC minute, so the same instant in two zones collides."""
    assert (
        slot_key("dana", START)
        == slot_key("dana", START.astimezone(UTC))
        == "dana@2026-03-10T22:00Z"
    )
    assert appointment(START).key == slot_key("dana", START)
    with pytest.raises(InvalidInput):
        slot_key("dana", datetime(2026, 3, 10, 18))


@pytest.mark.parametrize(
    ("hours_before", "late", "status"),
    [
        (48, False, AppointmentStatus.CANCELLED),
        (24, False, AppointmentStatus.CANCELLED),
        (23.99, True, AppointmentStatus.LATE_CANCELLED),
        (1, True, AppointmentStatus.LATE_CANCELLED),
    ],
)
def test_cancellation_inside_the_notice_window_is_late(
    hours_before: float, late: bool, status: AppointmentStatus
) -> None:
    """Exactly 24 hours ahead is on time; any later is a late cancellation, flagged not charged."""
    at = START - timedelta(hours=hours_before)
    cancelled, was_late = cancel(appointment(START), at, POLICY, reason="work trip")
    assert was_late is late
    assert cancelled.status is status
    assert cancelled.late is late
    assert cancelled.cancel_reason == "work trip"
    assert cancelled.changed_at == at


def test_cancel_twice_is_a_conflict() -> None:
    """An appointment already cancelled cannot be cancelled again."""
    cancelled, _ = cancel(appointment(START), START - timedelta(days=3), POLICY)
    with pytest.raises(Conflict):
        cancel(cancelled, START - timedelta(days=2), POLICY)


def test_reschedule_closes_the_old_and_links_the_new() -> None:
    """Rescheduling yields the old one marked rescheduled and a linked booking in the new slot."""
    old = appointment(START)
    new_slot = slot(START + timedelta(days=7))
    at = START - timedelta(hours=2)
    closed, successor, late = reschedule(
        old, new_slot, new_id="a2", at=at, policy=POLICY, booked_by_ai=True, reason="sick"
    )
    assert late is True
    assert closed.status is AppointmentStatus.RESCHEDULED
    assert (closed.rescheduled_to, successor.rescheduled_from) == ("a2", old.id)
    assert successor.start == new_slot.start
    assert successor.client == old.client
    assert successor.status is AppointmentStatus.BOOKED
    assert successor.reschedule_reason == "sick"


@pytest.mark.parametrize("status", sorted(AppointmentStatus))
def test_mark_from_booked(status: AppointmentStatus) -> None:
    """Staff may record any outcome on a booking, but not 'rescheduled' (a reschedule does that)."""
    booked = appointment(START)
    if status is AppointmentStatus.RESCHEDULED:
        with pytest.raises(InvalidInput):
            mark(booked, status)
    else:
        assert mark(booked, status).status is status


def test_mark_corrects_outcomes_but_not_rescheduled_or_back_to_booked() -> None:
    """Outcomes can be corrected; rescheduled is final and nothing returns to booked."""
    no_show = mark(appointment(START), AppointmentStatus.NO_SHOW)
    assert mark(no_show, AppointmentStatus.ATTENDED).status is AppointmentStatus.ATTENDED
    assert mark(no_show, AppointmentStatus.NO_SHOW) is no_show
    with pytest.raises(InvalidInput):
        mark(no_show, AppointmentStatus.BOOKED)
    moved = replace(appointment(START), status=AppointmentStatus.RESCHEDULED)
    with pytest.raises(InvalidInput):
        mark(moved, AppointmentStatus.ATTENDED)


def test_late_cancel_mark_sets_the_late_flag() -> None:
    """Marking late-cancelled by hand flags it late for staff."""
    assert mark(appointment(START), AppointmentStatus.LATE_CANCELLED).late is True


def test_first_session_no_shows_are_kept_apart() -> None:
    """A first-session no-show and an established cancellation land in different buckets."""
    first = mark(appointment(START), AppointmentStatus.NO_SHOW)
    ongoing = mark(appointment(START, kind=ServiceKind.ONGOING), AppointmentStatus.CANCELLED)
    assert attendance_category(first) is AttendanceCategory.FIRST_SESSION_NO_SHOW
    assert attendance_category(ongoing) is AttendanceCategory.ESTABLISHED_CANCELLATION
    assert attendance_category(appointment(START)) is AttendanceCategory.OPEN


def test_overlaps_sees_only_live_bookings_of_the_same_clinician() -> None:
    """An overlapping live booking blocks the slot; a cancelled or another clinician's does not."""
    offered = slot(START + timedelta(minutes=30))
    live = appointment(START)
    assert overlaps(offered, [live])
    assert not overlaps(offered, [cancel(live, START - timedelta(days=2), POLICY)[0]])
    assert not overlaps(offered, [appointment(START, clinician_id="sam")])
    assert not overlaps(slot(START + timedelta(hours=1)), [live])


def test_appointment_refuses_hybrid_and_naive_times() -> None:
    """An appointment is one modality and has aware times."""
    with pytest.raises(InvalidInput):
        replace(appointment(START), modality=Modality.HYBRID)
    with pytest.raises(InvalidInput):
        replace(appointment(START), start=START.replace(tzinfo=None))


def test_ensure_bookable_refuses_overlaps_at_other_starts() -> None:
    """A slot half an hour into a live booking is unavailable; a free one passes."""
    live = appointment(START)
    with pytest.raises(SlotUnavailable):
        ensure_bookable(slot(START + timedelta(minutes=30)), [live])
    ensure_bookable(slot(START + timedelta(hours=1)), [live])
    ensure_bookable(slot(START), [cancel(live, START - timedelta(days=2), POLICY)[0]])
