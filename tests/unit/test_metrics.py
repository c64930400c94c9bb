"""Pure metric definitions: funnel invariants, outcomes, shares, money and percentiles."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.practice_builders import make_practice

from frontdesk.analytics.metrics import (
    AppointmentCounts,
    AppointmentRow,
    CallCounts,
    FunnelCounts,
    Outcome,
    SpeedBucket,
    after_hours_share,
    appointment_counts,
    callback_speed,
    first_session_value,
    funnel,
    histogram,
    percentile,
    recovered_value,
    recovery_rate,
    share,
)
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.practice import ServiceKind

appointment_rows = st.lists(
    st.builds(
        AppointmentRow,
        service=st.sampled_from(["consult", "first_session", "ongoing", "group"]),
        established_client=st.booleans(),
        via_frontdesk=st.booleans(),
        outcome=st.sampled_from(list(Outcome)),
        count=st.integers(min_value=0, max_value=50),
    ),
    max_size=30,
)


@given(rows=appointment_rows, inquiries=st.integers(0, 100), calls=st.integers(0, 100))
def test_funnel_invariants_hold_for_any_appointment_history(
    rows: list[AppointmentRow], inquiries: int, calls: int
) -> None:
    """Whatever the outcomes, booked ≤ requested and completed + cancelled + no-show ≤ booked."""
    result = funnel(
        inquiries=inquiries, consult_intent_calls=calls, appointments=appointment_counts(rows)
    )
    assert result.consults_booked <= result.consult_requests
    assert (
        result.first_sessions_completed
        + result.first_sessions_cancelled
        + result.first_sessions_no_show
        <= result.first_sessions_booked
    )
    assert result.first_sessions_via_frontdesk_completed <= result.first_sessions_completed


@pytest.mark.parametrize(
    "fields",
    [
        {"consult_requests": 1, "consults_booked": 2},
        {"first_sessions_booked": 1, "first_sessions_completed": 1, "first_sessions_no_show": 1},
        {
            "first_sessions_booked": 2,
            "first_sessions_completed": 1,
            "first_sessions_via_frontdesk_completed": 2,
        },
        {"inquiries": -1},
    ],
)
def test_funnel_refuses_counts_that_break_an_invariant(fields: dict[str, int]) -> None:
    """A funnel whose stages contradict each other cannot be built."""
    with pytest.raises(InvalidInput):
        FunnelCounts(**fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"answered": 1, "after_hours": 2},
        {"answered": 1, "abandoned": 2},
        {"answered": 5, "missed": 1, "abandoned": 1, "recovered": 3},
        {"missed": -1},
    ],
)
def test_call_counts_refuse_impossible_totals(fields: dict[str, int]) -> None:
    """After-hours and abandoned calls are answered calls; recoveries need missed calls."""
    with pytest.raises(InvalidInput):
        CallCounts(**fields)


def test_appointment_counts_keep_first_sessions_apart_from_established_clients() -> None:
    """Established clients' bookings never count as first sessions; reschedules drop out."""
    rows = [
        AppointmentRow("first_session", False, True, Outcome.ATTENDED, 3),
        AppointmentRow("first_session", False, False, Outcome.ATTENDED, 2),
        AppointmentRow("first_session", False, True, Outcome.NO_SHOW, 1),
        AppointmentRow("first_session", False, True, Outcome.LATE_CANCELLED, 1),
        AppointmentRow("first_session", False, True, Outcome.CANCELLED, 2),
        AppointmentRow("first_session", False, True, Outcome.PENDING, 4),
        AppointmentRow("first_session", False, True, Outcome.RESCHEDULED, 5),
        AppointmentRow("first_session", True, True, Outcome.ATTENDED, 7),
        AppointmentRow("ongoing", True, False, Outcome.NO_SHOW, 2),
        AppointmentRow("ongoing", True, False, Outcome.CANCELLED, 1),
        AppointmentRow("consult", False, True, Outcome.PENDING, 6),
    ]
    assert appointment_counts(rows) == AppointmentCounts(
        consults_booked=6,
        first_sessions_booked=13,
        first_sessions_completed=5,
        first_sessions_cancelled=3,
        first_sessions_late_cancelled=1,
        first_sessions_no_show=1,
        first_sessions_via_frontdesk_completed=3,
        established_booked=10,
        established_no_show=2,
        established_cancelled=1,
    )


def test_consult_requests_are_unbooked_consult_calls_plus_booked_consults() -> None:
    """A consult request is a consult call that booked nothing, or a booked consult."""
    result = funnel(
        inquiries=9, consult_intent_calls=4, appointments=AppointmentCounts(consults_booked=3)
    )
    assert (result.consult_requests, result.consults_booked) == (7, 3)
    assert result.stages[0] == ("inquiries", 9)


def test_shares_round_to_four_places_and_are_empty_without_a_whole() -> None:
    """Shares are exact decimals to four places; nothing to divide gives no share."""
    assert share(1, 3) == Decimal("0.3333")
    assert share(2, 3) == Decimal("0.6667")
    assert share(0, 0) is None
    assert after_hours_share(CallCounts(answered=10, after_hours=3)) == Decimal("0.3000")
    assert recovery_rate(CallCounts(answered=4, missed=2, abandoned=2, recovered=1)) == Decimal(
        "0.2500"
    )
    with pytest.raises(InvalidInput):
        share(4, 3)


def test_first_session_value_prefers_the_private_pay_figure() -> None:
    """The practice's private-pay first-session value wins over the first-session fee."""
    practice = make_practice()
    fee = practice.service(ServiceKind.FIRST_SESSION)
    assert fee is not None
    assert first_session_value(replace(practice, private_pay_first_session_value=None)) == fee.fee
    chosen = replace(practice, private_pay_first_session_value=Decimal("140"))
    assert first_session_value(chosen) == Decimal("140")
    no_first = replace(
        practice,
        private_pay_first_session_value=None,
        services=tuple(s for s in practice.services if s.kind is not ServiceKind.FIRST_SESSION),
    )
    assert first_session_value(no_first) is None


def test_recovered_value_is_completed_sessions_times_value_in_cents() -> None:
    """Measured value = completed first sessions through Frontdesk × first-session value."""
    assert recovered_value(12, Decimal("150")) == Decimal("1800.00")
    assert recovered_value(3, Decimal("149.995")) == Decimal("449.99")
    assert recovered_value(0, Decimal("150")) == Decimal("0.00")
    assert recovered_value(5, None) is None
    with pytest.raises(InvalidInput):
        recovered_value(-1, Decimal("150"))


def test_percentiles_use_the_nearest_rank() -> None:
    """Median and p90 pick observed values by nearest rank, so they never invent a delay."""
    buckets = histogram([10, 30, 90, 200, 360])
    assert percentile(buckets, 50) == 90
    assert percentile(buckets, 90) == 360
    assert percentile(histogram([5, 7]), 50) == 5
    assert percentile(histogram(range(1, 11)), 90) == 9
    assert percentile((), 50) is None
    assert callback_speed(buckets).count == 5
    assert callback_speed(()).median_minutes is None


def test_percentile_refuses_an_out_of_range_rank() -> None:
    """A percentile outside (0, 100] is a programming error reported clearly."""
    with pytest.raises(InvalidInput):
        percentile(histogram([1]), 0)
    with pytest.raises(InvalidInput):
        histogram([-1])


@given(samples=st.lists(st.integers(0, 10_000), min_size=1, max_size=200), q=st.integers(1, 100))
def test_histogram_percentile_equals_sorted_sample_percentile(samples: list[int], q: int) -> None:
    """A percentile over counted buckets equals the nearest rank over the raw samples."""
    ordered = sorted(samples)
    expected = ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]
    assert percentile(histogram(samples), q) == expected


def test_empty_buckets_are_ignored() -> None:
    """Buckets with no observations do not move a percentile."""
    assert percentile((SpeedBucket(1, 0), SpeedBucket(4, 2)), 50) == 4
