"""Good Faith Estimate due dates under 45 CFR 149.610(b)(1)(vi)."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.good_faith import (
    add_business_days,
    business_days_between,
    gfe_due,
    gfe_due_on_request,
    needs_estimate,
)
from frontdesk.domain.inquiries import Payment
from frontdesk.domain.practice import ServiceKind

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("booked", "session", "due"),
    [
        (MONDAY, date(2026, 3, 4), None),  # 2 business days ahead: no statutory deadline
        (MONDAY, MONDAY, None),  # same day
        (MONDAY, date(2026, 3, 5), date(2026, 3, 3)),  # exactly 3: due next business day
        (MONDAY, date(2026, 3, 13), date(2026, 3, 3)),  # 9: still 1 business day
        (MONDAY, date(2026, 3, 16), date(2026, 3, 5)),  # exactly 10: 3 business days
        (date(2026, 3, 6), date(2026, 3, 11), date(2026, 3, 9)),  # Friday booking: due Monday
        (date(2026, 3, 7), date(2026, 3, 11), date(2026, 3, 9)),  # Saturday booking counts Mon-Wed
        (date(2026, 3, 7), date(2026, 3, 10), None),  # Saturday to Tuesday is 2
    ],
)
def test_due_dates_at_the_boundaries(booked: date, session: date, due: date | None) -> None:
    """Under 3 business days ahead: none; 3 to 9: 1 business day; 10 or more: 3 business days."""
    assert gfe_due(booked, session) == due


def test_holidays_are_not_business_days() -> None:
    """A holiday neither counts toward notice nor can be the due date."""
    holiday = frozenset({date(2026, 3, 3)})
    assert gfe_due(MONDAY, date(2026, 3, 5), holiday) is None  # only Wed and Thu count
    assert gfe_due(MONDAY, date(2026, 3, 6), holiday) == date(2026, 3, 4)


def test_business_day_helpers() -> None:
    """Counting excludes the start and weekends; adding skips weekends."""
    assert business_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert business_days_between(date(2026, 3, 9), date(2026, 3, 6)) == 0
    assert add_business_days(date(2026, 3, 6), 3) == date(2026, 3, 11)
    with pytest.raises(InvalidInput):
        add_business_days(MONDAY, 0)


def test_session_before_booking_is_refused() -> None:
    """A session dated before its booking is an input error."""
    with pytest.raises(InvalidInput):
        gfe_due(MONDAY, date(2026, 3, 1))


@pytest.mark.parametrize(
    ("kind", "payment", "needed"),
    [
        (ServiceKind.FIRST_SESSION, Payment.PRIVATE_PAY, True),
        (ServiceKind.FIRST_SESSION, Payment.SLIDING_SCALE, True),
        (ServiceKind.FIRST_SESSION, Payment.INSURANCE, False),
        (ServiceKind.FIRST_SESSION, None, False),
        (ServiceKind.CONSULT, Payment.PRIVATE_PAY, False),
        (ServiceKind.ONGOING, Payment.PRIVATE_PAY, False),
    ],
)
def test_estimate_task_only_for_self_pay_first_sessions(
    kind: ServiceKind, payment: Payment | None, needed: bool
) -> None:
    """A self-pay first session opens an estimate task; insured clients and other kinds do not."""
    assert needs_estimate(kind, payment) is needed


def test_requested_estimate_is_due_in_three_business_days() -> None:
    """An estimate asked for on a Thursday is due the next Tuesday, skipping the weekend."""
    assert gfe_due_on_request(date(2026, 3, 5)) == date(2026, 3, 10)
