"""The work queue's pure rules: hand-off statuses, due times from the practice's hours,
the overdue mark and the order staff see."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tests.practice_builders import WEEKDAY_HOURS

from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.handoffs import (
    NOTE_MAX_LENGTH,
    AttemptOutcome,
    CallbackAttempt,
    Handoff,
    HandoffStatus,
)
from frontdesk.domain.practice import OpeningHours
from frontdesk.domain.work_queue import DeskHours, due_at, ordered, queue_item

CHICAGO = ZoneInfo("America/Chicago")
DESK = DeskHours(WEEKDAY_HOURS, CHICAGO, frozenset({date(2026, 3, 6)}))  # a holiday Friday


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026, Chicago time (the 2nd is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=CHICAGO)


def handoff(
    urgency: Urgency = Urgency.SAME_DAY,
    *,
    at: datetime | None = None,
    category: HandoffCategory = HandoffCategory.CALLBACK,
    id: str = "h1",
    details: dict[str, object] | None = None,
) -> Handoff:
    return Handoff(
        id=id,
        category=category,
        urgency=urgency,
        summary="Caller asked for a callback.",
        created_at=at or local(2, 10),
        caller_number="+13125550123",
        details=details or {},
    )


def test_urgent_items_are_due_fifteen_minutes_after_at_any_hour() -> None:
    """A crisis at 11 pm on a Saturday is due at 11:15 pm, not when the office opens."""
    made = local(7, 23)
    assert due_at(handoff(Urgency.URGENT, at=made), DESK) == made + timedelta(minutes=15)


def test_same_day_is_four_hours_of_desk_time() -> None:
    """A 10 am request is due at 2 pm; one at 3 pm is due at 10 am the next open day."""
    assert due_at(handoff(at=local(2, 10)), DESK) == local(2, 14)
    assert due_at(handoff(at=local(2, 15)), DESK) == local(3, 11)


def test_same_day_left_after_hours_counts_from_opening() -> None:
    """A request left at 9 pm Monday is due four hours after Tuesday's 9 am opening."""
    assert due_at(handoff(at=local(2, 21)), DESK) == local(3, 13)


def test_same_day_skips_the_lunch_break_and_holidays() -> None:
    """Thursday 4 pm: 1 h Thursday, Friday is a holiday, 3 h more Monday from 9 am."""
    assert due_at(handoff(at=local(5, 16)), DESK) == local(9, 12)


def test_routine_is_due_at_the_close_of_the_next_open_day() -> None:
    """Routine work made Wednesday is due Thursday at 5 pm; made Thursday, Monday at 5 pm
    (Friday the 6th is a holiday, the weekend is closed)."""
    assert due_at(handoff(Urgency.ROUTINE, at=local(4, 11)), DESK) == local(5, 17)
    assert due_at(handoff(Urgency.ROUTINE, at=local(5, 11)), DESK) == local(9, 17)


def test_a_task_with_its_own_deadline_is_due_at_that_days_close() -> None:
    """A Good Faith Estimate due on a Tuesday is due at that Tuesday's close."""
    task = handoff(Urgency.ROUTINE, details={"due": "2026-03-10"})
    assert due_at(task, DESK) == local(10, 17)


def test_a_deadline_on_a_closed_day_is_due_at_its_end() -> None:
    """A deadline on a Sunday is due at midnight that night."""
    task = handoff(Urgency.ROUTINE, details={"due": "2026-03-08"})
    assert due_at(task, DESK) == local(9, 0)


def test_due_times_are_counted_in_real_time_across_daylight_saving() -> None:
    """Four desk hours from Friday 1 pm before the spring change end Monday at 11 am local."""
    desk = DeskHours(WEEKDAY_HOURS, CHICAGO)
    assert due_at(handoff(at=local(6, 13)), desk) == local(9, 11)


def test_a_practice_without_hours_falls_back_to_the_clock() -> None:
    """No desk hours: same-day is 4 hours, routine 24 hours after the item was made."""
    desk = DeskHours(OpeningHours({}), CHICAGO)
    made = local(2, 10)
    assert due_at(handoff(at=made), desk) == made + timedelta(hours=4)
    assert due_at(handoff(Urgency.ROUTINE, at=made), desk) == made + timedelta(hours=24)


def test_an_item_past_its_due_time_is_overdue_until_done() -> None:
    """Overdue is marked on open items only."""
    item = handoff(at=local(2, 10))
    assert not queue_item(item, desk=DESK, now=local(2, 13), attempts=0).overdue
    assert queue_item(item, desk=DESK, now=local(2, 14), attempts=0).overdue
    done = item.completed(local(2, 15))
    assert not queue_item(done, desk=DESK, now=local(2, 16)).overdue


def test_crisis_items_stand_apart_at_the_top_then_urgency_then_age() -> None:
    """Crisis and emergency first (oldest first), then other urgent, same-day, routine."""
    items = [
        handoff(Urgency.ROUTINE, id="routine", at=local(2, 9)),
        handoff(Urgency.URGENT, id="urgent-callback", at=local(2, 9)),
        handoff(Urgency.URGENT, id="crisis", category=HandoffCategory.CRISIS, at=local(2, 12)),
        handoff(
            Urgency.URGENT, id="emergency", category=HandoffCategory.EMERGENCY, at=local(2, 11)
        ),
        handoff(Urgency.SAME_DAY, id="same-day", at=local(2, 8)),
    ]
    now = local(2, 13)
    assert [i.handoff.id for i in ordered(queue_item(h, desk=DESK, now=now) for h in items)] == [
        "emergency",
        "crisis",
        "urgent-callback",
        "same-day",
        "routine",
    ]


def test_a_wait_ends_at_its_time_and_the_item_is_open_again() -> None:
    """Waiting until 3 pm: still waiting at 2:59 pm, open from 3 pm."""
    waiting = handoff().waiting(at=local(2, 11), until=local(2, 15), on_contact=False)
    assert waiting.current(local(2, 14, 59)).status is HandoffStatus.WAITING
    woken = waiting.current(local(2, 15))
    assert (woken.status, woken.waiting_until) == (HandoffStatus.OPEN, None)


def test_a_wait_needs_a_future_time_or_the_callers_next_contact() -> None:
    """Neither, or a time already past, is refused."""
    item = handoff()
    with pytest.raises(InvalidInput):
        item.waiting(at=local(2, 11), until=None, on_contact=False)
    with pytest.raises(InvalidInput):
        item.waiting(at=local(2, 11), until=local(2, 10), on_contact=False)
    on_contact = item.waiting(at=local(2, 11), until=None, on_contact=True)
    assert on_contact.wake_on_contact
    assert on_contact.current(local(9, 11)) == on_contact


def test_starting_assigns_to_the_person_unless_someone_has_it() -> None:
    """In progress belongs to whoever started it, or stays with the assignee."""
    started = handoff().started(by="u1", at=local(2, 11))
    assert (started.status, started.assigned_to) == (HandoffStatus.IN_PROGRESS, "u1")
    theirs = handoff().assigned("u2").started(by="u1", at=local(2, 11))
    assert theirs.assigned_to == "u2"


def test_a_done_item_is_reopened_before_it_is_worked_again() -> None:
    """Done is final until reopened; reopening keeps the first completion time."""
    done = handoff().completed(local(2, 12))
    with pytest.raises(InvalidInput):
        done.started(by="u1", at=local(2, 13))
    again = done.reopened(local(2, 13)).completed(local(2, 14))
    assert again.completed_at == local(2, 12)


def test_an_attempt_note_has_a_length_limit_and_an_aware_time() -> None:
    """A note over the limit, or a naive time, is refused."""
    with pytest.raises(InvalidInput):
        CallbackAttempt(
            id="a",
            handoff_id="h1",
            at=datetime(2026, 3, 2, tzinfo=UTC),
            outcome=AttemptOutcome.OTHER,
            by="cli",
            note="x" * (NOTE_MAX_LENGTH + 1),
        )
    with pytest.raises(InvalidInput):
        CallbackAttempt(
            id="a",
            handoff_id="h1",
            at=datetime(2026, 3, 2),
            outcome=AttemptOutcome.NO_ANSWER,
            by="cli",
        )


def test_minutes_to_complete_are_whole_minutes_floored_and_none_while_open() -> None:
    """The callback delay the report counts: 89 min 59.9 s is 89, a clock set back is 0."""
    made = handoff(at=local(2, 10))
    assert made.minutes_to_complete is None
    done = made.completed(local(2, 11, 29) + timedelta(seconds=59, microseconds=900_000))
    assert done.minutes_to_complete == 89
    assert made.completed(local(2, 11, 30)).minutes_to_complete == 90
    assert made.completed(local(2, 9, 59)).minutes_to_complete == 0
