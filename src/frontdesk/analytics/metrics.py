"""Measured metrics as pure functions over small typed aggregates.

The database side (`frontdesk.analytics.queries`) reduces millions of recorded calls and
events to a few hundred rows: calls per hour, appointments per outcome, callback delays
per minute. Everything here folds those rows into the figures a practice reads, and states
the invariants that keep them honest (booked never exceeds requested, completed never
exceeds booked). Nothing here reads a clock or a database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.practice import Practice, ServiceKind

CENT = Decimal("0.01")
Minutes = int


class Outcome(StrEnum):
    """Where a booked appointment stands: its latest recorded outcome, or still pending."""

    PENDING = "pending"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    LATE_CANCELLED = "late_cancelled"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"

    @property
    def is_cancellation(self) -> bool:
        return self in (Outcome.CANCELLED, Outcome.LATE_CANCELLED)


@dataclass(frozen=True, slots=True)
class DailyCalls:
    """One local day: calls answered, calls never answered, and calls abandoned mid-way."""

    day: date
    answered: int = 0
    missed: int = 0
    abandoned: int = 0


@dataclass(frozen=True, slots=True)
class CallCounts:
    """Call totals for a range; `recovered` counts missed or abandoned calls followed up."""

    answered: int = 0
    after_hours: int = 0
    missed: int = 0
    abandoned: int = 0
    recovered: int = 0

    def __post_init__(self) -> None:
        _non_negative(self)
        if self.after_hours > self.answered:
            raise InvalidInput("after_hours cannot exceed answered calls")
        if self.abandoned > self.answered:
            raise InvalidInput("abandoned cannot exceed answered calls")
        if self.recovered > self.missed + self.abandoned:
            raise InvalidInput("recovered cannot exceed missed and abandoned calls")


@dataclass(frozen=True, slots=True)
class AppointmentRow:
    """How many appointments of one kind, booked in the range, reached one outcome."""

    service: str
    established_client: bool
    via_frontdesk: bool
    outcome: Outcome
    count: int


@dataclass(frozen=True, slots=True)
class FunnelCounts:
    """Inquiry → consult → first session → completed, with the first sessions' other ends.

    Consult requests include every consult booked, so booked never exceeds requested; the
    first-session outcomes are of the first sessions booked in the range, so they never
    add up to more than were booked.
    """

    inquiries: int = 0
    consult_requests: int = 0
    consults_booked: int = 0
    first_sessions_booked: int = 0
    first_sessions_completed: int = 0
    first_sessions_cancelled: int = 0
    first_sessions_no_show: int = 0
    first_sessions_via_frontdesk_completed: int = 0

    def __post_init__(self) -> None:
        _non_negative(self)
        if self.consults_booked > self.consult_requests:
            raise InvalidInput("consults booked cannot exceed consult requests")
        ended = (
            self.first_sessions_completed
            + self.first_sessions_cancelled
            + self.first_sessions_no_show
        )
        if ended > self.first_sessions_booked:
            raise InvalidInput("first-session outcomes cannot exceed first sessions booked")
        if self.first_sessions_via_frontdesk_completed > self.first_sessions_completed:
            raise InvalidInput("completed via Frontdesk cannot exceed completed first sessions")

    @property
    def stages(self) -> tuple[tuple[str, int], ...]:
        """The four funnel bars, in order, for charts and tables."""
        return (
            ("inquiries", self.inquiries),
            ("consults booked", self.consults_booked),
            ("first sessions booked", self.first_sessions_booked),
            ("first sessions completed", self.first_sessions_completed),
        )


@dataclass(frozen=True, slots=True)
class AppointmentCounts:
    """Appointment figures for a range, first sessions kept apart from established clients."""

    consults_booked: int = 0
    first_sessions_booked: int = 0
    first_sessions_completed: int = 0
    first_sessions_cancelled: int = 0
    first_sessions_late_cancelled: int = 0
    first_sessions_no_show: int = 0
    first_sessions_via_frontdesk_completed: int = 0
    established_booked: int = 0
    established_no_show: int = 0
    established_cancelled: int = 0


@dataclass(frozen=True, slots=True)
class SpeedBucket:
    """`count` callbacks completed `minutes` whole minutes after their call ended."""

    minutes: Minutes
    count: int


@dataclass(frozen=True, slots=True)
class CallbackSpeed:
    """Median and 90th percentile of callback delay, in whole minutes, over `count` callbacks."""

    count: int
    median_minutes: Minutes | None
    p90_minutes: Minutes | None


def _non_negative(value: object) -> None:
    for name in getattr(value, "__slots__", ()):
        number = getattr(value, name)
        if isinstance(number, int) and number < 0:
            raise InvalidInput(f"{name} cannot be negative")


# --- appointments --------------------------------------------------------------------------


def appointment_counts(rows: Iterable[AppointmentRow]) -> AppointmentCounts:
    """Fold per-outcome rows into totals; rescheduled appointments live on as their successor.

    First sessions count only for clients new to the practice; established clients' bookings
    of any kind are counted apart.
    """
    totals: dict[str, int] = {}

    def add(name: str, count: int) -> None:
        totals[name] = totals.get(name, 0) + count

    for row in rows:
        if row.outcome is Outcome.RESCHEDULED:
            continue
        if row.established_client:
            add("established_booked", row.count)
            if row.outcome is Outcome.NO_SHOW:
                add("established_no_show", row.count)
            elif row.outcome.is_cancellation:
                add("established_cancelled", row.count)
        elif row.service == ServiceKind.CONSULT:
            add("consults_booked", row.count)
        elif row.service == ServiceKind.FIRST_SESSION:
            add("first_sessions_booked", row.count)
            if row.outcome is Outcome.ATTENDED:
                add("first_sessions_completed", row.count)
                if row.via_frontdesk:
                    add("first_sessions_via_frontdesk_completed", row.count)
            elif row.outcome is Outcome.NO_SHOW:
                add("first_sessions_no_show", row.count)
            elif row.outcome.is_cancellation:
                add("first_sessions_cancelled", row.count)
                if row.outcome is Outcome.LATE_CANCELLED:
                    add("first_sessions_late_cancelled", row.count)
    return AppointmentCounts(**totals)


def funnel(
    *, inquiries: int, consult_intent_calls: int, appointments: AppointmentCounts
) -> FunnelCounts:
    """The funnel; a consult request is a consult-intent call without a booked consult, or
    a booked consult (so booked ≤ requested holds by definition)."""
    return FunnelCounts(
        inquiries=inquiries,
        consult_requests=consult_intent_calls + appointments.consults_booked,
        consults_booked=appointments.consults_booked,
        first_sessions_booked=appointments.first_sessions_booked,
        first_sessions_completed=appointments.first_sessions_completed,
        first_sessions_cancelled=appointments.first_sessions_cancelled,
        first_sessions_no_show=appointments.first_sessions_no_show,
        first_sessions_via_frontdesk_completed=appointments.first_sessions_via_frontdesk_completed,
    )


# --- rates and money -----------------------------------------------------------------------


def share(part: int, whole: int) -> Decimal | None:
    """`part / whole` to four decimal places, or None when there is nothing to divide."""
    if part < 0 or whole < 0:
        raise InvalidInput("a share needs counts of 0 or more")
    if part > whole:
        raise InvalidInput("a share's part cannot exceed its whole")
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def after_hours_share(calls: CallCounts) -> Decimal | None:
    """Share of answered calls that came in outside the front desk's opening hours."""
    return share(calls.after_hours, calls.answered)


def recovery_rate(calls: CallCounts) -> Decimal | None:
    """Share of missed or abandoned calls that were followed up within the window."""
    return share(calls.recovered, calls.missed + calls.abandoned)


def first_session_value(practice: Practice) -> Decimal | None:
    """The practice's average first-session value: the private-pay figure in the practice
    file, else the first-session fee; None when neither is known."""
    if practice.private_pay_first_session_value is not None:
        return practice.private_pay_first_session_value
    service = practice.service(ServiceKind.FIRST_SESSION)
    return None if service is None else service.fee


def recovered_value(completed_via_frontdesk: int, value: Decimal | None) -> Decimal | None:
    """Completed first sessions that came through Frontdesk × the first-session value."""
    if completed_via_frontdesk < 0:
        raise InvalidInput("completed first sessions cannot be negative")
    if value is None:
        return None
    if value < 0:
        raise InvalidInput("the first-session value cannot be negative")
    return (value * completed_via_frontdesk).quantize(CENT, rounding=ROUND_HALF_UP)


# --- percentiles ---------------------------------------------------------------------------


def percentile(buckets: Sequence[SpeedBucket], q: float) -> Minutes | None:
    """The nearest-rank `q`-th percentile (0 < q ≤ 100) of a histogram; None when empty.

    Nearest rank always returns an observed value: the smallest value with at least
    `q` percent of the observations at or below it.
    """
    if not 0 < q <= 100:
        raise InvalidInput("a percentile must be above 0 and at most 100")
    ordered = sorted((b for b in buckets if b.count > 0), key=lambda b: b.minutes)
    total = sum(b.count for b in ordered)
    if total == 0:
        return None
    rank = max(1, math.ceil(q / 100 * total))
    seen = 0
    for bucket in ordered:
        seen += bucket.count
        if seen >= rank:
            return bucket.minutes
    raise AssertionError("unreachable: the last bucket reaches every rank")  # pragma: no cover


def histogram(samples: Iterable[Minutes]) -> tuple[SpeedBucket, ...]:
    """Samples counted per value, smallest first (for tests and small in-memory inputs)."""
    counts: dict[Minutes, int] = {}
    for sample in samples:
        if sample < 0:
            raise InvalidInput("a callback delay cannot be negative")
        counts[sample] = counts.get(sample, 0) + 1
    return tuple(SpeedBucket(m, c) for m, c in sorted(counts.items()))


def callback_speed(buckets: Sequence[SpeedBucket]) -> CallbackSpeed:
    """Median and 90th-percentile callback delay of a histogram."""
    return CallbackSpeed(
        count=sum(b.count for b in buckets),
        median_minutes=percentile(buckets, 50),
        p90_minutes=percentile(buckets, 90),
    )
