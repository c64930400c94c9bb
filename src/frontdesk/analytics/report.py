"""The measured report: every tracked metric for a date range in the practice's timezone.

`build_report` runs the SQL aggregations of `frontdesk.analytics.queries` in one read-only
transaction and folds them with the pure functions of `frontdesk.analytics.metrics`. The
labels and definitions of the metrics live in `metrics.toml`, beside this module.
"""

from __future__ import annotations

import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources

from sqlalchemy import Engine
from sqlalchemy.pool import StaticPool

from frontdesk.analytics import metrics as m
from frontdesk.analytics import queries as q
from frontdesk.domain.calls import HandoffCategory
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.practice import Practice

DEFAULT_DAYS = 30
MAX_DAYS = 3660

MetricValue = int | Decimal | None


class Unit(StrEnum):
    COUNT = "count"
    SHARE = "share"
    MINUTES = "minutes"
    USD = "usd"


@dataclass(frozen=True, slots=True)
class Definition:
    key: str
    label: str
    unit: Unit
    definition: str


@dataclass(frozen=True, slots=True)
class Metric:
    """One figure of the report, with what it means."""

    key: str
    label: str
    unit: Unit
    value: MetricValue
    definition: str


@dataclass(frozen=True, slots=True)
class Report:
    """Every measured metric for `start`..`end` (whole local days, both included)."""

    practice: str
    timezone: str
    start: date
    end: date
    recovery_window_hours: int
    metrics: tuple[Metric, ...]
    daily: tuple[m.DailyCalls, ...]
    funnel: m.FunnelCounts
    handoff_routes: tuple[tuple[HandoffCategory, int], ...]
    callback_delays: tuple[m.SpeedBucket, ...]

    def metric(self, key: str) -> Metric:
        """The metric named `key`; `KeyError` for a name the report does not have."""
        for metric in self.metrics:
            if metric.key == key:
                return metric
        raise KeyError(key)

    def value(self, key: str) -> MetricValue:
        return self.metric(key).value


@cache
def definitions() -> tuple[Definition, ...]:
    """The metric definitions shipped in `metrics.toml`, in report order."""
    text = resources.files("frontdesk.analytics").joinpath("metrics.toml").read_text("utf-8")
    return tuple(
        Definition(
            key=item["key"],
            label=item["label"],
            unit=Unit(item["unit"]),
            definition=item["definition"],
        )
        for item in tomllib.loads(text)["metric"]
    )


def date_range(
    start: date | None, end: date | None, *, today: date, days: int = DEFAULT_DAYS
) -> tuple[date, date]:
    """The report's days: both given, or `days` days ending at `end` (default today) or
    starting at `start`. Raises `InvalidInput` for a backwards or overlong range."""
    if end is None:
        end = today if start is None else start + timedelta(days=days - 1)
    if start is None:
        start = end - timedelta(days=days - 1)
    if end < start:
        raise InvalidInput("the report range ends before it starts (`to` is before `from`)")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"the report range is limited to {MAX_DAYS} days")
    return start, end


def window(practice: Practice, start: date, end: date) -> q.Window:
    """The UTC span of local days `start`..`end` (midnight to midnight, DST respected)."""
    zone = practice.zone
    return q.Window(
        start=datetime.combine(start, time(0), zone),
        end=datetime.combine(end + timedelta(days=1), time(0), zone),
        zone=zone,
    )


def build_report(
    engine: Engine,
    practice: Practice,
    *,
    start: date,
    end: date,
    recovery_window: timedelta = q.DEFAULT_RECOVERY_WINDOW,
) -> Report:
    """Measure every metric for local days `start`..`end` from the recorded calls and events."""
    span = window(practice, start, end)

    def read_follow_ups() -> tuple[int, int, int]:
        with engine.connect() as connection:
            missed = q.missed_calls(connection, span)
            recovered = q.recovered_calls(connection, span, recovery_window)
            return missed, recovered, q.inquiries(connection, span)

    def read_counts() -> tuple[
        q.CallTotals,
        tuple[m.DailyCalls, ...],
        m.AppointmentCounts,
        tuple[m.SpeedBucket, ...],
        q.EventTotals,
    ]:
        with engine.connect() as connection:
            unanswered = q.unanswered_per_day(connection, span)
            per_day = q.calls_per_day(connection, span, unanswered)
            totals = q.call_totals(connection, span, per_day, unanswered)
            daily = q.daily_calls(connection, span, per_day)
            appointments = m.appointment_counts(q.appointment_rows(connection, span))
            delays = q.callback_delays(connection, span)
            return totals, daily, appointments, delays, q.event_totals(connection, span)

    # The halves share no figure that must agree, so they may read on two connections at
    # once, split to take about as long as each other over a million calls (follow-ups:
    # missed, recovered, inquiries; counts: calls per day, totals, appointments, callback
    # speed, the other event counts); one connection shared by everyone (an in-memory
    # database) reads them in turn.
    if isinstance(engine.pool, StaticPool):
        (missed, recovered, inquiries), (totals, daily, appointments, delays, events) = (
            read_follow_ups(),
            read_counts(),
        )
    else:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="frontdesk-report") as pool:
            follow_ups = pool.submit(read_follow_ups)
            totals, daily, appointments, delays, events = read_counts()
            missed, recovered, inquiries = follow_ups.result()
    calls = m.CallCounts(
        answered=totals.answered,
        after_hours=totals.after_hours,
        missed=missed,
        abandoned=totals.abandoned,
        recovered=recovered,
    )
    funnel = m.funnel(
        inquiries=inquiries,
        consult_intent_calls=totals.consult_intent_unbooked,
        appointments=appointments,
    )
    speed = m.callback_speed(delays)
    value = m.first_session_value(practice)
    values: dict[str, MetricValue] = {
        "answered_calls": calls.answered,
        "after_hours_calls": calls.after_hours,
        "after_hours_share": m.after_hours_share(calls),
        "missed_calls": calls.missed,
        "abandoned_calls": calls.abandoned,
        "recovered_calls": calls.recovered,
        "recovery_rate": m.recovery_rate(calls),
        "new_client_inquiries": funnel.inquiries,
        "consult_requests": funnel.consult_requests,
        "consults_booked": funnel.consults_booked,
        "first_sessions_booked": funnel.first_sessions_booked,
        "first_sessions_completed": funnel.first_sessions_completed,
        "first_sessions_cancelled": funnel.first_sessions_cancelled,
        "first_sessions_no_show": funnel.first_sessions_no_show,
        "established_client_bookings": appointments.established_booked,
        "established_client_no_shows": appointments.established_no_show,
        "late_cancellations": events.late_cancellations,
        "waitlist_additions": events.waitlist_additions,
        "waitlist_rebooked": events.waitlist_rebooked,
        "insurance_questions": totals.insurance_questions,
        "fee_questions": totals.fee_questions,
        "crisis_handoffs": events.handoffs_of(HandoffCategory.CRISIS, HandoffCategory.EMERGENCY),
        "staff_only_handoffs": events.handoffs_of(
            HandoffCategory.CLINICAL, HandoffCategory.ADMINISTRATIVE
        ),
        "callbacks_completed": speed.count,
        "callback_median_minutes": speed.median_minutes,
        "callback_p90_minutes": speed.p90_minutes,
        "first_sessions_via_frontdesk_completed": funnel.first_sessions_via_frontdesk_completed,
        "first_session_value": value,
        "recovered_first_session_value": m.recovered_value(
            funnel.first_sessions_via_frontdesk_completed, value
        ),
    }
    return Report(
        practice=practice.name,
        timezone=practice.timezone,
        start=start,
        end=end,
        recovery_window_hours=int(recovery_window.total_seconds() // 3600),
        metrics=tuple(
            Metric(d.key, d.label, d.unit, values[d.key], d.definition) for d in definitions()
        ),
        daily=daily,
        funnel=funnel,
        handoff_routes=events.handoffs,
        callback_delays=delays,
    )
