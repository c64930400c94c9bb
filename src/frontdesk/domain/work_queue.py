"""The work queue: when each hand-off is due, whether it is overdue, and the order staff see.

Due times follow urgency and the front desk's hours in the practice file:

- `urgent` (crisis, emergency, pages): 15 minutes after it was made, at any hour; a crisis
  does not wait for the office to open.
- `same_day`: 4 hours of front-desk time after it was made (a 10 am request is due at
  2 pm; one left at 9 pm is due 4 hours into the next open day).
- `routine`: by the close of the next open day after the day it was made.
- A staff task carrying its own deadline (`details["due"]`, a date, as Good Faith
  Estimates do) is due at the close of that day, or at its end when the desk is closed.

Holidays in the practice file are closed days. A practice file without hours falls back to
the clock: 4 hours for same-day, 24 for routine.

Order: crisis and emergency items first (they stand apart on the page), then by urgency,
then oldest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.domain.calls import Urgency
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.inquiries import Weekday
from frontdesk.domain.practice import OpeningHours
from frontdesk.domain.records import require_aware

URGENT_WITHIN = timedelta(minutes=15)
SAME_DAY_OPEN_TIME = timedelta(hours=4)
SEARCH_DAYS = 60  # how far ahead an open day is looked for before falling back to the clock


@dataclass(frozen=True, slots=True)
class DeskHours:
    """The front desk's hours, timezone and closed days: what due times are counted in."""

    hours: OpeningHours
    zone: ZoneInfo
    holidays: frozenset[date] = frozenset()

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The open periods of one local day as aware datetimes, earliest first."""
        if day in self.holidays:
            return []
        ranges = self.hours.periods.get(Weekday.of(day), ())
        return sorted(
            (_at(day, r.start, self.zone), _at(day, r.end, self.zone))
            for r in ranges
            if r.end > r.start
        )

    @property
    def has_hours(self) -> bool:
        return any(self.hours.periods.values())

    def open_days(self, first: date) -> Iterator[tuple[date, list[tuple[datetime, datetime]]]]:
        """Days from `first` on that have open periods, for up to `SEARCH_DAYS` days."""
        for offset in range(SEARCH_DAYS):
            day = first + timedelta(days=offset)
            periods = self.periods_on(day)
            if periods:
                yield day, periods


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    # In UTC, so differences and sums are real elapsed time across a DST change.
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def due_at(handoff: Handoff, desk: DeskHours) -> datetime:
    """When staff should have acted on this hand-off (see the module docstring)."""
    made = handoff.created_at
    deadline = handoff.details.get("due")
    if isinstance(deadline, str):
        try:
            day = date.fromisoformat(deadline)
        except ValueError:
            day = None
        if day is not None:
            periods = desk.periods_on(day)
            return periods[-1][1] if periods else _at(day + timedelta(days=1), time(0), desk.zone)
    if handoff.urgency is Urgency.URGENT:
        return made + URGENT_WITHIN
    if handoff.urgency is Urgency.SAME_DAY:
        return after_open_time(made, SAME_DAY_OPEN_TIME, desk) or made + SAME_DAY_OPEN_TIME
    return close_of_next_open_day(made, desk) or made + timedelta(hours=24)


def after_open_time(start: datetime, span: timedelta, desk: DeskHours) -> datetime | None:
    """The moment `span` of front-desk open time has passed after `start`; None without
    open hours in the search window."""
    require_aware(start, "start")
    left = span
    local = start.astimezone(desk.zone)
    for _, periods in desk.open_days(local.date()):
        for opens, closes in periods:
            begin = max(opens, start)
            if begin >= closes:
                continue
            if closes - begin >= left:
                return begin + left
            left -= closes - begin
    return None


def close_of_next_open_day(start: datetime, desk: DeskHours) -> datetime | None:
    """The closing time of the first open day after `start`'s local day."""
    require_aware(start, "start")
    following = start.astimezone(desk.zone).date() + timedelta(days=1)
    for _, periods in desk.open_days(following):
        return periods[-1][1]
    return None


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A hand-off as the work queue shows it at one moment."""

    handoff: Handoff
    due: datetime
    overdue: bool
    age: timedelta  # since the hand-off was made (for crisis items: the time since the call)
    attempts: int = 0


def queue_item(handoff: Handoff, *, desk: DeskHours, now: datetime, attempts: int = 0) -> QueueItem:
    """One hand-off placed in the queue at `now` (a wait whose time came counts as open)."""
    current = handoff.current(now)
    due = due_at(current, desk)
    return QueueItem(
        handoff=current,
        due=due,
        overdue=current.is_open and due <= now,
        age=max(now - current.created_at, timedelta(0)),
        attempts=attempts,
    )


def queue_order(item: QueueItem) -> tuple[int, int, datetime, str]:
    """Crisis and emergency first, then most urgent, then oldest, then by id."""
    handoff = item.handoff
    return (
        0 if handoff.is_urgent_route else 1,
        handoff.urgency.rank,
        handoff.created_at,
        handoff.id,
    )


def ordered(items: Iterable[QueueItem]) -> list[QueueItem]:
    return sorted(items, key=queue_order)
