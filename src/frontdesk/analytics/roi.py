"""ROI planning model: what answering every call at once could recover for a practice.

The headline figure is deliberately simple and conservative:

    monthly recovered first-session value
        = therapy-related calls a month
        × share of those calls with intake or scheduling intent
        × lift from answering immediately (share of those callers who would otherwise be lost)
        × average value of a first session

With 360 calls, 42% intent, 25% lift and $150 this is exactly $5,670.00 a month.

A longer-term projection (consult conversion, first-session show rate, sessions per client,
payer mix) and a low / base / high sensitivity grid are kept apart from the headline. They
are planning math, not guaranteed revenue, and every figure they produce says so.

Everything here is a pure function over frozen dataclasses with `Decimal` money, so a CLI,
a web page or a test can call it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeAlias

from frontdesk.domain.errors import InvalidInput

PLANNING_ESTIMATE = "planning estimate, not guaranteed revenue"
MONTHS_PER_YEAR = 12
CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
DEFAULT_LIFT_SPREAD = Decimal("0.10")
DEFAULT_INTENT_SPREAD = Decimal("0.10")

Rate: TypeAlias = Decimal
Money: TypeAlias = Decimal
Triple: TypeAlias = tuple[Decimal, Decimal, Decimal]


def to_cents(amount: Decimal) -> Money:
    """Round a dollar amount to whole cents, halves away from zero as on an invoice."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidInput(f"{name} must be a decimal number, got {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidInput(f"{name} must be a finite number, got {number}")
    return number


def _rate(name: str, value: object) -> None:
    number = _decimal(name, value)
    if not ZERO <= number <= ONE:
        raise InvalidInput(f"{name} must be between 0 and 1 inclusive, got {number}")


def _non_negative(name: str, value: object) -> None:
    number = _decimal(name, value)
    if number < ZERO:
        raise InvalidInput(f"{name} must be 0 or more, got {number}")


def _count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{name} must be a whole number, got {type(value).__name__}")
    if value < 0:
        raise InvalidInput(f"{name} must be 0 or more, got {value}")


@dataclass(frozen=True, slots=True)
class RoiInputs:
    """The four inputs of the headline model; validated on construction."""

    monthly_calls: int
    intent_rate: Rate
    lift: Rate
    first_session_value: Money

    def __post_init__(self) -> None:
        _count("monthly_calls", self.monthly_calls)
        _rate("intent_rate", self.intent_rate)
        _rate("lift", self.lift)
        _non_negative("first_session_value", self.first_session_value)


def recovered_first_sessions(inputs: RoiInputs) -> Decimal:
    """First sessions a month that immediate answering recovers (calls × intent × lift)."""
    return inputs.monthly_calls * inputs.intent_rate * inputs.lift


def monthly_recovered_value(inputs: RoiInputs) -> Money:
    """Monthly recovered first-session value in dollars, rounded to cents."""
    return to_cents(recovered_first_sessions(inputs) * inputs.first_session_value)


@dataclass(frozen=True, slots=True)
class LongTermInputs:
    """Optional assumptions for the longer-term projection; validated on construction.

    The defaults are placeholders, not measurements: they are round, deliberately modest
    figures chosen so that the projection is not flattering, and every practice should
    replace them with its own numbers before relying on the result.

    - `consult_to_first_session` (0.60): share of recovered callers who go on to book a
      first session after a consult or intake call.
    - `first_session_show_rate` (0.85): share of booked first sessions that are attended;
      first appointments are missed more often than later ones.
    - `sessions_per_client` (6): average sessions a client attends, the first included;
      many clients in routine outpatient care attend only a handful of sessions.
    - `private_pay_share` (0.40): share of clients who pay privately; the rest use insurance.
    - `private_pay_fee` ($150): what a private-pay client pays for one session.
    - `insurance_reimbursement` ($90) and `client_responsibility` ($30): what the payer pays
      and what the insured client pays (copay, coinsurance) for one session.
    """

    consult_to_first_session: Rate = Decimal("0.60")
    first_session_show_rate: Rate = Decimal("0.85")
    sessions_per_client: Decimal = Decimal(6)
    private_pay_share: Rate = Decimal("0.40")
    private_pay_fee: Money = Decimal(150)
    insurance_reimbursement: Money = Decimal(90)
    client_responsibility: Money = Decimal(30)

    def __post_init__(self) -> None:
        _rate("consult_to_first_session", self.consult_to_first_session)
        _rate("first_session_show_rate", self.first_session_show_rate)
        if _decimal("sessions_per_client", self.sessions_per_client) < ONE:
            raise InvalidInput(
                f"sessions_per_client must be 1 or more, got {self.sessions_per_client}"
            )
        _rate("private_pay_share", self.private_pay_share)
        _non_negative("private_pay_fee", self.private_pay_fee)
        _non_negative("insurance_reimbursement", self.insurance_reimbursement)
        _non_negative("client_responsibility", self.client_responsibility)


class Unit(StrEnum):
    COUNT = "count"
    USD = "usd"


@dataclass(frozen=True, slots=True)
class ProjectionLine:
    """One figure of the projection, a month's worth and a year's worth, with its caveat."""

    key: str
    description: str
    unit: Unit
    monthly: Decimal
    annual: Decimal
    basis: str = PLANNING_ESTIMATE


@dataclass(frozen=True, slots=True)
class LongTermProjection:
    """What one month (and one year) of recovered callers could be worth over their care."""

    assumptions: LongTermInputs
    value_per_session: Money
    lines: tuple[ProjectionLine, ...]
    basis: str = PLANNING_ESTIMATE

    def line(self, key: str) -> ProjectionLine:
        """The line named `key`; raises `InvalidInput` for an unknown key."""
        for candidate in self.lines:
            if candidate.key == key:
                return candidate
        raise InvalidInput(f"no projection line named {key}")


def value_per_session(assumptions: LongTermInputs) -> Money:
    """Average collected value of one session across the payer mix, rounded to cents."""
    private = assumptions.private_pay_share * assumptions.private_pay_fee
    insured = (ONE - assumptions.private_pay_share) * (
        assumptions.insurance_reimbursement + assumptions.client_responsibility
    )
    return to_cents(private + insured)


def long_term_projection(
    inputs: RoiInputs, assumptions: LongTermInputs | None = None
) -> LongTermProjection:
    """Project recovered callers through conversion, attendance, retention and payer mix.

    Each monthly figure is the course-of-care value of one month's recovered callers; the
    annual figure is twelve such months. Money is rounded to cents only at the end of each
    line, so the annual figure is not twelve times a rounded monthly one.
    """
    chosen = assumptions if assumptions is not None else LongTermInputs()
    recovered = recovered_first_sessions(inputs)
    booked = recovered * chosen.consult_to_first_session
    attended = booked * chosen.first_session_show_rate
    sessions = attended * chosen.sessions_per_client
    per_session = value_per_session(chosen)
    value = sessions * per_session

    def counted(key: str, description: str, monthly: Decimal) -> ProjectionLine:
        return ProjectionLine(key, description, Unit.COUNT, monthly, monthly * MONTHS_PER_YEAR)

    lines = (
        counted("recovered_callers", "callers with intake intent recovered", recovered),
        counted("first_sessions_booked", "first sessions booked", booked),
        counted("first_sessions_attended", "first sessions attended", attended),
        counted("sessions_delivered", "sessions over the course of care", sessions),
        ProjectionLine(
            "course_of_care_value",
            "value of those sessions across the payer mix",
            Unit.USD,
            to_cents(value),
            to_cents(value * MONTHS_PER_YEAR),
        ),
    )
    return LongTermProjection(assumptions=chosen, value_per_session=per_session, lines=lines)


class Scenario(StrEnum):
    LOW = "low"
    BASE = "base"
    HIGH = "high"


SCENARIOS = (Scenario.LOW, Scenario.BASE, Scenario.HIGH)


@dataclass(frozen=True, slots=True)
class SensitivityRow:
    """The headline figure for one combination of intent and lift scenarios."""

    intent_scenario: Scenario
    lift_scenario: Scenario
    intent_rate: Rate
    lift: Rate
    monthly_recovered_value: Money
    basis: str = PLANNING_ESTIMATE


def default_range(base: Rate, spread: Decimal) -> Triple:
    """Low and high `spread` either side of `base`, kept inside 0–1."""
    return (max(ZERO, base - spread), base, min(ONE, base + spread))


def _triple(name: str, values: Triple) -> Triple:
    if len(values) != len(SCENARIOS):
        raise InvalidInput(f"{name} needs exactly low, base and high values")
    for scenario, value in zip(SCENARIOS, values, strict=True):
        _rate(f"{name} {scenario}", value)
    low, base, high = values
    if not low <= base <= high:
        raise InvalidInput(f"{name} values must be ordered low <= base <= high")
    return values


def sensitivity_table(
    inputs: RoiInputs,
    *,
    lift: Triple | None = None,
    intent: Triple | None = None,
) -> tuple[SensitivityRow, ...]:
    """The headline figure over a low / base / high grid of intent and lift.

    Rows run intent low→high, and within each intent lift low→high: nine rows in all. When a
    range is not given it is the input's value with 10 points either side, kept inside 0–1.
    """
    lifts = _triple("lift", lift or default_range(inputs.lift, DEFAULT_LIFT_SPREAD))
    intents = _triple(
        "intent_rate", intent or default_range(inputs.intent_rate, DEFAULT_INTENT_SPREAD)
    )
    rows: list[SensitivityRow] = []
    for intent_scenario, intent_rate in zip(SCENARIOS, intents, strict=True):
        for lift_scenario, lift_rate in zip(SCENARIOS, lifts, strict=True):
            case = RoiInputs(
                monthly_calls=inputs.monthly_calls,
                intent_rate=intent_rate,
                lift=lift_rate,
                first_session_value=inputs.first_session_value,
            )
            rows.append(
                SensitivityRow(
                    intent_scenario=intent_scenario,
                    lift_scenario=lift_scenario,
                    intent_rate=intent_rate,
                    lift=lift_rate,
                    monthly_recovered_value=monthly_recovered_value(case),
                )
            )
    return tuple(rows)
