"""The ROI planning model: headline value, validation, long-term projection, sensitivity."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.analytics.roi import (
    PLANNING_ESTIMATE,
    LongTermInputs,
    RoiInputs,
    Scenario,
    Unit,
    long_term_projection,
    monthly_recovered_value,
    recovered_first_sessions,
    sensitivity_table,
    value_per_session,
)
from frontdesk.domain.errors import InvalidInput


def reference() -> RoiInputs:
    """The reference practice: 360 calls, 42% intent, 25% lift, $150 first session."""
    return RoiInputs(
        monthly_calls=360,
        intent_rate=Decimal("0.42"),
        lift=Decimal("0.25"),
        first_session_value=Decimal(150),
    )


def inputs(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "monthly_calls": 360,
        "intent_rate": Decimal("0.42"),
        "lift": Decimal("0.25"),
        "first_session_value": Decimal(150),
    }
    return base | changes


def test_reference_case_recovers_exactly_5670_dollars_a_month() -> None:
    """360 calls x 42% x 25% x $150 is exactly $5,670.00, to the cent."""
    value = monthly_recovered_value(reference())
    assert value == Decimal("5670.00")
    assert str(value) == "5670.00"


def test_reference_case_recovers_37_point_8_first_sessions() -> None:
    """The reference case recovers 37.8 first sessions a month before valuing them."""
    assert recovered_first_sessions(reference()) == Decimal("37.8")


def test_value_is_rounded_half_up_to_cents() -> None:
    """Fractions of a cent round to the nearest cent, halves upward."""
    half = RoiInputs(
        monthly_calls=1,
        intent_rate=Decimal("0.5"),
        lift=Decimal("0.01"),
        first_session_value=Decimal("1"),
    )
    third = RoiInputs(
        monthly_calls=3,
        intent_rate=Decimal("0.111"),
        lift=Decimal(1),
        first_session_value=Decimal(1),
    )
    assert monthly_recovered_value(half) == Decimal("0.01")
    assert monthly_recovered_value(third) == Decimal("0.33")


def test_boundary_values_are_accepted() -> None:
    """Zero calls, rates of exactly 0 and 1 and a zero value are all valid inputs."""
    edge = RoiInputs(
        monthly_calls=0, intent_rate=Decimal(0), lift=Decimal(1), first_session_value=Decimal(0)
    )
    assert monthly_recovered_value(edge) == Decimal("0.00")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"monthly_calls": -1}, "monthly_calls must be 0 or more, got -1"),
        ({"monthly_calls": 12.5}, "monthly_calls must be a whole number"),
        ({"monthly_calls": True}, "monthly_calls must be a whole number"),
        ({"intent_rate": Decimal("1.01")}, "intent_rate must be between 0 and 1 inclusive"),
        ({"intent_rate": Decimal("-0.1")}, "intent_rate must be between 0 and 1 inclusive"),
        ({"lift": Decimal("1.5")}, "lift must be between 0 and 1 inclusive, got 1.5"),
        ({"lift": Decimal("-0.01")}, "lift must be between 0 and 1 inclusive"),
        ({"lift": 0.25}, "lift must be a decimal number, got float"),
        ({"lift": Decimal("NaN")}, "lift must be a finite number"),
        ({"first_session_value": Decimal(-150)}, "first_session_value must be 0 or more"),
        ({"first_session_value": Decimal("Infinity")}, "first_session_value must be a finite"),
    ],
)
def test_invalid_inputs_are_refused_naming_the_input_and_range(
    changes: dict[str, object], expected: str
) -> None:
    """Each out-of-range or mistyped input raises InvalidInput naming it and what is allowed."""
    with pytest.raises(InvalidInput, match=expected):
        RoiInputs(**inputs(**changes))  # type: ignore[arg-type]


def hand_case() -> tuple[RoiInputs, LongTermInputs]:
    """100 calls, 50% intent, 20% lift; 50% convert, 80% show, 10 sessions, 25% private pay."""
    headline = RoiInputs(
        monthly_calls=100,
        intent_rate=Decimal("0.5"),
        lift=Decimal("0.2"),
        first_session_value=Decimal(999),
    )
    assumptions = LongTermInputs(
        consult_to_first_session=Decimal("0.5"),
        first_session_show_rate=Decimal("0.8"),
        sessions_per_client=Decimal(10),
        private_pay_share=Decimal("0.25"),
        private_pay_fee=Decimal(200),
        insurance_reimbursement=Decimal(80),
        client_responsibility=Decimal(20),
    )
    return headline, assumptions


def test_long_term_projection_matches_a_hand_computed_case() -> None:
    """10 recovered -> 5 booked -> 4 attended -> 40 sessions at $125 = $5,000 a month."""
    headline, assumptions = hand_case()
    projection = long_term_projection(headline, assumptions)
    monthly = {line.key: line.monthly for line in projection.lines}
    annual = {line.key: line.annual for line in projection.lines}
    assert projection.value_per_session == Decimal("125.00")
    assert monthly == {
        "recovered_callers": Decimal(10),
        "first_sessions_booked": Decimal(5),
        "first_sessions_attended": Decimal(4),
        "sessions_delivered": Decimal(40),
        "course_of_care_value": Decimal("5000.00"),
    }
    assert annual == {
        "recovered_callers": Decimal(120),
        "first_sessions_booked": Decimal(60),
        "first_sessions_attended": Decimal(48),
        "sessions_delivered": Decimal(480),
        "course_of_care_value": Decimal("60000.00"),
    }


def test_every_long_term_line_is_labelled_a_planning_estimate() -> None:
    """The projection and each of its lines say they are not guaranteed revenue."""
    projection = long_term_projection(*hand_case())
    assert projection.basis == PLANNING_ESTIMATE == "planning estimate, not guaranteed revenue"
    assert {line.basis for line in projection.lines} == {PLANNING_ESTIMATE}
    assert projection.line("course_of_care_value").unit is Unit.USD
    assert projection.line("sessions_delivered").unit is Unit.COUNT


def test_default_assumptions_apply_when_none_are_given() -> None:
    """Without assumptions the documented defaults give $132 a session and $15,268.18."""
    projection = long_term_projection(reference())
    assert projection.assumptions == LongTermInputs()
    assert projection.value_per_session == Decimal("132.00")
    assert projection.line("course_of_care_value").monthly == Decimal("15268.18")


def test_annual_value_is_rounded_once_not_twelve_rounded_months() -> None:
    """The annual figure is twelve unrounded months, rounded once: $183,218.11, not .16."""
    projection = long_term_projection(reference())
    assert projection.line("course_of_care_value").annual == Decimal("183218.11")


def test_value_per_session_blends_private_pay_and_insurance() -> None:
    """All private pay is the fee; no private pay is reimbursement plus client share."""
    private = LongTermInputs(private_pay_share=Decimal(1), private_pay_fee=Decimal(175))
    insured = LongTermInputs(
        private_pay_share=Decimal(0),
        insurance_reimbursement=Decimal("85.50"),
        client_responsibility=Decimal("19.25"),
    )
    assert value_per_session(private) == Decimal("175.00")
    assert value_per_session(insured) == Decimal("104.75")


def test_unknown_projection_line_is_refused() -> None:
    """Asking the projection for a line it does not have raises InvalidInput."""
    with pytest.raises(InvalidInput, match="no projection line named revenue"):
        long_term_projection(reference()).line("revenue")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"consult_to_first_session": Decimal("1.2")}, "consult_to_first_session must be between"),
        ({"first_session_show_rate": Decimal(-1)}, "first_session_show_rate must be between"),
        ({"sessions_per_client": Decimal("0.5")}, "sessions_per_client must be 1 or more"),
        ({"private_pay_share": Decimal(2)}, "private_pay_share must be between 0 and 1"),
        ({"private_pay_fee": Decimal(-1)}, "private_pay_fee must be 0 or more"),
        ({"insurance_reimbursement": Decimal(-5)}, "insurance_reimbursement must be 0 or more"),
        ({"client_responsibility": Decimal(-5)}, "client_responsibility must be 0 or more"),
    ],
)
def test_invalid_long_term_assumptions_are_refused(
    changes: dict[str, Decimal], expected: str
) -> None:
    """Each out-of-range long-term assumption raises InvalidInput naming it."""
    with pytest.raises(InvalidInput, match=expected):
        LongTermInputs(**changes)


def test_sensitivity_grid_has_nine_rows_in_scenario_order() -> None:
    """The grid runs intent low->high and, within each, lift low->high."""
    rows = sensitivity_table(reference())
    assert [(row.intent_scenario, row.lift_scenario) for row in rows] == [
        (intent, lift)
        for intent in (Scenario.LOW, Scenario.BASE, Scenario.HIGH)
        for lift in (Scenario.LOW, Scenario.BASE, Scenario.HIGH)
    ]
    assert {row.basis for row in rows} == {PLANNING_ESTIMATE}


def test_sensitivity_defaults_to_ten_points_either_side() -> None:
    """Without ranges the grid uses 32/42/52% intent and 15/25/35% lift; base is the headline."""
    rows = sensitivity_table(reference())
    assert sorted({row.intent_rate for row in rows}) == [
        Decimal(x) for x in ("0.32", "0.42", "0.52")
    ]
    assert sorted({row.lift for row in rows}) == [Decimal(x) for x in ("0.15", "0.25", "0.35")]
    (base,) = [r for r in rows if r.intent_scenario == r.lift_scenario == Scenario.BASE]
    assert base.monthly_recovered_value == Decimal("5670.00")
    assert rows[0].monthly_recovered_value == Decimal("2592.00")
    assert rows[-1].monthly_recovered_value == Decimal("9828.00")


def test_sensitivity_default_range_stays_inside_zero_and_one() -> None:
    """A lift of 5% and an intent of 95% give a low lift of 0 and a high intent of 1."""
    edge = RoiInputs(**inputs(lift=Decimal("0.05"), intent_rate=Decimal("0.95")))  # type: ignore[arg-type]
    rows = sensitivity_table(edge)
    assert min(row.lift for row in rows) == Decimal(0)
    assert max(row.intent_rate for row in rows) == Decimal(1)


def test_sensitivity_uses_the_ranges_given() -> None:
    """Explicit low/base/high triples are used as given."""
    rows = sensitivity_table(
        reference(),
        lift=(Decimal("0.10"), Decimal("0.20"), Decimal("0.30")),
        intent=(Decimal("0.40"), Decimal("0.50"), Decimal("0.60")),
    )
    assert (rows[0].intent_rate, rows[0].lift) == (Decimal("0.40"), Decimal("0.10"))
    assert rows[0].monthly_recovered_value == Decimal("2160.00")
    assert rows[4].monthly_recovered_value == Decimal("5400.00")


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        ({"lift": (Decimal("0.3"), Decimal("0.2"), Decimal("0.4"))}, "lift values must be ordered"),
        ({"intent": (Decimal("0.1"), Decimal("0.4"), Decimal("1.1"))}, "intent_rate high must be"),
        ({"lift": (Decimal("-0.1"), Decimal("0.2"), Decimal("0.4"))}, "lift low must be between"),
    ],
)
def test_invalid_sensitivity_ranges_are_refused(
    ranges: dict[str, tuple[Decimal, Decimal, Decimal]], expected: str
) -> None:
    """Unordered or out-of-range scenario values raise InvalidInput naming the scenario."""
    with pytest.raises(InvalidInput, match=expected):
        sensitivity_table(reference(), **ranges)


rates = st.decimals(min_value=0, max_value=1, places=2)


@given(
    calls=st.integers(min_value=0, max_value=10_000),
    intent=rates,
    lift=rates,
    value=st.decimals(min_value=0, max_value=1_000, places=2),
)
def test_sensitivity_grid_is_monotonic_in_lift_and_intent(
    calls: int, intent: Decimal, lift: Decimal, value: Decimal
) -> None:
    """More lift or more intent never lowers the recovered value anywhere in the grid."""
    rows = sensitivity_table(
        RoiInputs(monthly_calls=calls, intent_rate=intent, lift=lift, first_session_value=value)
    )
    grid = [[rows[3 * i + j].monthly_recovered_value for j in range(3)] for i in range(3)]
    for i in range(3):
        assert grid[i] == sorted(grid[i])
        assert [grid[0][i], grid[1][i], grid[2][i]] == sorted([grid[0][i], grid[1][i], grid[2][i]])
