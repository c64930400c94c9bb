"""When a Good Faith Estimate is due for a private-pay booking (No Surprises Act).

45 CFR 149.610(b)(1)(vi) sets the timing for uninsured and self-pay individuals: when the
item or service is scheduled at least 3 business days before it is furnished, the estimate
is due no later than 1 business day after the date of scheduling; when scheduled at least
10 business days before, no later than 3 business days after scheduling. (An estimate
requested without scheduling is due within 3 business days of the request:
`gfe_due_on_request`.)

Business days are Monday to Friday, excluding the holidays the practice lists. "Booked at
least N business days ahead" counts the business days after the booking date up to and
including the session date, so booking on Monday for Thursday is 3 business days ahead.
This reading counts a session date itself and so asks for an estimate in every case the
narrower reading would; staff should confirm it with the practice's compliance adviser.
"""

from __future__ import annotations

from datetime import date, timedelta

from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Payment
from frontdesk.domain.practice import ServiceKind

SHORT_NOTICE_DAYS = 3  # at least this many business days ahead: due within 1 business day
LONG_NOTICE_DAYS = 10  # at least this many: due within 3 business days


SELF_PAY: frozenset[Payment] = frozenset({Payment.PRIVATE_PAY, Payment.SLIDING_SCALE})


def needs_estimate(kind: ServiceKind, payment: Payment | None) -> bool:
    """Whether booking this opens a Good Faith Estimate task: a self-pay first session.

    Sliding-scale clients pay the practice directly, so they are self-pay under the rule.
    """
    return kind is ServiceKind.FIRST_SESSION and payment in SELF_PAY


def is_business_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in holidays  # Saturday is 5, Sunday 6


def business_days_between(start: date, end: date, holidays: frozenset[date] = frozenset()) -> int:
    """Business days after `start` up to and including `end` (0 when `end` is not later)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if is_business_day(day, holidays):
            count += 1
        day += timedelta(days=1)
    return count


def add_business_days(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The `days`-th business day after `start` (`start` itself never counts)."""
    if days < 1:
        raise InvalidInput("business days to add must be at least 1")
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            left -= 1
    return day


def gfe_due(
    booked_at_local_date: date,
    session_date: date,
    holidays: frozenset[date] = frozenset(),
) -> date | None:
    """The latest date the Good Faith Estimate may be given, or None when none is required.

    Booked fewer than 3 business days ahead, the rule sets no deadline (None); the
    practice may still give an estimate. Both dates are in the practice's local time.
    """
    if session_date < booked_at_local_date:
        raise InvalidInput("a session cannot be booked after its date")
    ahead = business_days_between(booked_at_local_date, session_date, holidays)
    if ahead >= LONG_NOTICE_DAYS:
        return add_business_days(booked_at_local_date, 3, holidays)
    if ahead >= SHORT_NOTICE_DAYS:
        return add_business_days(booked_at_local_date, 1, holidays)
    return None


def gfe_due_on_request(requested_on: date, holidays: frozenset[date] = frozenset()) -> date:
    """The latest date for an estimate a self-pay caller asks for without booking."""
    return add_business_days(requested_on, 3, holidays)
