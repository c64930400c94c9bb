"""The report's reads: SQL aggregation with SQLAlchemy Core, on SQLite and PostgreSQL alike.

Every query groups in the database and returns a handful of rows (per hour, per category,
per outcome); Python never walks the calls or events themselves. Calls are read from the
`calls` table, whose route, intent, result and after-hours columns are the call record that
`CallStarted` and `CallEnded` mirror; everything else comes from the `events` log. The
indexes these queries lean on are in revision 0003 (`report_indexes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    case,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from frontdesk.adapters.db.tables import CallRow, EventRow, UtcDateTime
from frontdesk.analytics.metrics import (
    AppointmentRow,
    CallCounts,
    DailyCalls,
    Outcome,
    SpeedBucket,
)
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route

DEFAULT_RECOVERY_WINDOW = timedelta(hours=48)

# --- portable SQL pieces -------------------------------------------------------------------


class utc_bucket(FunctionElement[str]):  # noqa: N801 - SQL functions read as lower case
    """A UTC moment truncated to the hour (or minute) as text `YYYY-MM-DD HH[:MI]`."""

    type = String()
    inherit_cache = True


@compiles(utc_bucket, "sqlite")
def _bucket_sqlite(element: utc_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    column, width = list(element.clauses)
    # SQLite holds UTC moments as `YYYY-MM-DD HH:MM:SS.ffffff` text: a prefix is a bucket.
    return f"substr({compiler.process(column, **kw)}, 1, {compiler.process(width, **kw)})"


@compiles(utc_bucket, "postgresql")
def _bucket_postgresql(element: utc_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    column, width = list(element.clauses)
    pattern = "YYYY-MM-DD HH24" if compiler.process(width, **kw) == "13" else "YYYY-MM-DD HH24:MI"
    return f"to_char({compiler.process(column, **kw)} AT TIME ZONE 'UTC', '{pattern}')"


class minutes_between(FunctionElement[int]):  # noqa: N801
    """Whole minutes from the first moment to the second (floored)."""

    type = Integer()
    inherit_cache = True


@compiles(minutes_between, "sqlite")
def _minutes_sqlite(element: minutes_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = (compiler.process(c, **kw) for c in element.clauses)
    seconds = (
        f"(CAST(strftime('%s', {second}) AS INTEGER) - CAST(strftime('%s', {first}) AS INTEGER))"
    )
    return f"(CASE WHEN {seconds} < 0 THEN -1 ELSE {seconds} / 60 END)"


@compiles(minutes_between, "postgresql")
def _minutes_postgresql(element: minutes_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(floor(extract(epoch FROM ({second} - {first})) / 60) AS INTEGER)"


class plus_seconds(FunctionElement[datetime]):  # noqa: N801
    """A stored moment plus a whole number of seconds, comparable with stored moments."""

    type = UtcDateTime()
    inherit_cache = True


@compiles(plus_seconds, "sqlite")
def _plus_sqlite(element: plus_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = (compiler.process(c, **kw) for c in element.clauses)
    # strftime keeps the stored text form (with fractions), so comparisons stay textual.
    return f"strftime('%Y-%m-%d %H:%M:%f000', {moment}, '+' || {seconds} || ' seconds')"


@compiles(plus_seconds, "postgresql")
def _plus_postgresql(element: plus_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    moment, seconds = (compiler.process(c, **kw) for c in element.clauses)
    return f"({moment} + make_interval(secs => {seconds}))"


def _field(name: str) -> ColumnElement[str]:
    """A text field of an event's JSON payload (SQLAlchemy's cross-dialect accessor)."""
    return cast("ColumnElement[str]", EventRow.payload[name].as_string())


def _flag(name: str) -> ColumnElement[bool]:
    """A boolean field of an event's JSON payload."""
    return cast("ColumnElement[bool]", EventRow.payload[name].as_boolean())


# --- the window ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open span of time `[start, end)` reported in the practice's timezone."""

    start: datetime
    end: datetime
    zone: ZoneInfo

    def __post_init__(self) -> None:
        if self.start.utcoffset() is None or self.end.utcoffset() is None:
            raise ValueError("a report window needs aware moments")
        if self.end <= self.start:
            raise ValueError("a report window must end after it starts")

    @property
    def bucket_width(self) -> int:
        """13 characters (hours) when every offset in the window is whole hours, else 16."""
        moment = self.start
        while moment <= self.end:
            offset = moment.astimezone(self.zone).utcoffset() or timedelta()
            if offset.total_seconds() % 3600:
                return 16
            moment += timedelta(hours=12)
        return 13

    def local_day(self, bucket: str) -> datetime:
        """The local moment a UTC bucket's text starts at."""
        fmt = "%Y-%m-%d %H" if len(bucket) == 13 else "%Y-%m-%d %H:%M"
        return datetime.strptime(bucket, fmt).replace(tzinfo=UTC).astimezone(self.zone)


def _in_window(column: Any, window: Window) -> ColumnElement[bool]:
    return and_(column >= window.start, column < window.end)


def _events(kinds: Sequence[str], window: Window) -> ColumnElement[bool]:
    kind = EventRow.kind == kinds[0] if len(kinds) == 1 else EventRow.kind.in_(kinds)
    return and_(kind, _in_window(EventRow.occurred_at, window))


# --- calls ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallTotals:
    """Call counts by what the call record says: route, intent, result, after hours."""

    answered: int = 0
    after_hours: int = 0
    abandoned: int = 0
    consult_intent_unbooked: int = 0
    insurance_questions: int = 0
    fee_questions: int = 0
    crisis_calls: int = 0
    staff_only_calls: int = 0


def call_totals(connection: Connection, window: Window) -> CallTotals:
    """Totals over calls started in the window, grouped in SQL by their outcome columns."""
    query = (
        select(
            CallRow.after_hours,
            CallRow.route,
            CallRow.intent,
            CallRow.result,
            func.count().label("n"),
        )
        .where(_in_window(CallRow.started_at, window))
        .group_by(CallRow.after_hours, CallRow.route, CallRow.intent, CallRow.result)
    )
    totals = dict.fromkeys(CallTotals.__slots__, 0)
    for after_hours, route, intent, result, n in connection.execute(query):
        totals["answered"] += n
        totals["after_hours"] += n if after_hours else 0
        totals["abandoned"] += n if result == CallResult.ABANDONED else 0
        if intent == Intent.CONSULT and result != CallResult.CONSULT_BOOKED:
            totals["consult_intent_unbooked"] += n
        totals["insurance_questions"] += n if intent == Intent.INSURANCE_QUESTION else 0
        totals["fee_questions"] += n if intent == Intent.FEE_QUESTION else 0
        totals["crisis_calls"] += n if route in (Route.CRISIS, Route.EMERGENCY) else 0
        totals["staff_only_calls"] += n if route in (Route.CLINICAL, Route.ADMINISTRATIVE) else 0
    return CallTotals(**totals)


def daily_calls(connection: Connection, window: Window) -> tuple[DailyCalls, ...]:
    """Answered, missed and abandoned calls per local day, every day of the window listed."""
    width = window.bucket_width
    call_bucket = utc_bucket(CallRow.started_at, literal_column(str(width))).label("bucket")
    abandoned = case((CallRow.result == CallResult.ABANDONED.value, 1), else_=0)
    calls = (
        select(call_bucket, func.count().label("n"), func.sum(abandoned).label("abandoned"))
        .where(_in_window(CallRow.started_at, window))
        .group_by(call_bucket)
    )
    event_bucket = utc_bucket(EventRow.occurred_at, literal_column(str(width))).label("bucket")
    missed = (
        select(event_bucket, func.count().label("n"))
        .where(_events(["CallMissed"], window), _field("reason") != "abandoned")
        .group_by(event_bucket)
    )
    days: dict[Any, list[int]] = {}
    day = window.start.astimezone(window.zone).date()
    last = (window.end - timedelta(microseconds=1)).astimezone(window.zone).date()
    while day <= last:
        days[day] = [0, 0, 0]
        day += timedelta(days=1)
    for bucket, n, n_abandoned in connection.execute(calls):
        counts = days.setdefault(window.local_day(bucket).date(), [0, 0, 0])
        counts[0] += n
        counts[2] += int(n_abandoned or 0)
    for bucket, n in connection.execute(missed):
        days.setdefault(window.local_day(bucket).date(), [0, 0, 0])[1] += n
    return tuple(DailyCalls(d, a, m, ab) for d, (a, m, ab) in sorted(days.items()))


def missed_calls(connection: Connection, window: Window) -> int:
    """`CallMissed` events in the window other than abandonments (never answered at all)."""
    query = select(func.count()).where(
        _events(["CallMissed"], window), _field("reason") != "abandoned"
    )
    return int(connection.execute(query).scalar_one())


def recovered_calls(
    connection: Connection, window: Window, within: timedelta = DEFAULT_RECOVERY_WINDOW
) -> int:
    """Missed or abandoned calls in the window followed, within `within`, by a completed
    callback for that call, or by a later call from the same number that captured an
    inquiry or booked an appointment."""
    seconds = int(within.total_seconds())
    abandoned = select(
        CallRow.id.label("call_id"),
        CallRow.caller_number.label("number"),
        func.coalesce(CallRow.ended_at, CallRow.started_at).label("moment"),
    ).where(_in_window(CallRow.started_at, window), CallRow.result == CallResult.ABANDONED.value)
    missed_calls_row = CallRow.__table__.alias("missed_call")
    never_answered = (
        select(
            EventRow.call_id.label("call_id"),
            missed_calls_row.c.caller_number.label("number"),
            EventRow.occurred_at.label("moment"),
        )
        .select_from(EventRow)
        .outerjoin(missed_calls_row, missed_calls_row.c.id == EventRow.call_id)
        .where(_events(["CallMissed"], window), _field("reason") != "abandoned")
    )
    candidates = union_all(abandoned, never_answered).subquery("candidate")
    deadline = plus_seconds(candidates.c.moment, literal_column(str(seconds)))

    done = EventRow.__table__.alias("done")
    called_back = exists().where(
        done.c.call_id == candidates.c.call_id,
        done.c.kind == "CallbackCompleted",
        done.c.occurred_at > candidates.c.moment,
        done.c.occurred_at <= deadline,
    )
    later = CallRow.__table__.alias("later")
    followed = EventRow.__table__.alias("followed")
    came_back = exists().where(
        later.c.caller_number == candidates.c.number,
        later.c.started_at > candidates.c.moment,
        later.c.started_at <= deadline,
        exists().where(
            followed.c.call_id == later.c.id,
            followed.c.kind.in_(["InquiryCaptured", "AppointmentBooked"]),
        ),
    )
    query = select(func.count()).select_from(candidates).where(or_(called_back, came_back))
    return int(connection.execute(query).scalar_one())


def call_counts(
    connection: Connection,
    window: Window,
    totals: CallTotals,
    within: timedelta = DEFAULT_RECOVERY_WINDOW,
) -> CallCounts:
    """The call totals the metrics fold: answered, after hours, missed, abandoned, recovered."""
    return CallCounts(
        answered=totals.answered,
        after_hours=totals.after_hours,
        missed=missed_calls(connection, window),
        abandoned=totals.abandoned,
        recovered=recovered_calls(connection, window, within),
    )


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventTotals:
    """Counts of the events the report reads beside calls and appointments."""

    inquiries: int = 0
    waitlist_additions: int = 0
    waitlist_rebooked: int = 0
    late_cancellations: int = 0
    crisis_flagged_calls: int = 0
    handoffs: tuple[tuple[HandoffCategory, int], ...] = ()

    def handoffs_of(self, *categories: HandoffCategory) -> int:
        return sum(n for category, n in self.handoffs if category in categories)


def _count(connection: Connection, query: Any) -> int:
    return int(connection.execute(query).scalar_one() or 0)


def event_totals(connection: Connection, window: Window) -> EventTotals:
    """Inquiries, waitlist joins and fills, late cancellations, crisis calls, hand-offs."""
    inquiries = _count(
        connection,
        select(func.count(func.distinct(_field("inquiry_id")))).where(
            _events(["InquiryCaptured"], window)
        ),
    )
    joined = _count(connection, select(func.count()).where(_events(["WaitlistJoined"], window)))
    rebooked = _count(connection, select(func.count()).where(_events(["OfferAccepted"], window)))
    late = _count(
        connection,
        select(func.count(func.distinct(_field("appointment_id")))).where(
            _events(["AppointmentCancelled", "AppointmentMarked"], window),
            or_(
                and_(EventRow.kind == "AppointmentCancelled", _flag("late").is_(True)),
                and_(EventRow.kind == "AppointmentMarked", _field("status") == "late_cancelled"),
            ),
        ),
    )
    crisis = _count(
        connection,
        select(func.count(func.distinct(EventRow.call_id))).where(
            _events(["CrisisFlagged"], window)
        ),
    )
    category = _field("category").label("category")
    handoff_query = (
        select(category, func.count()).where(_events(["HandoffCreated"], window)).group_by(category)
    )
    found = {str(c): int(n) for c, n in connection.execute(handoff_query)}
    handoffs = tuple((c, int(found.get(c.value, 0))) for c in HandoffCategory)
    return EventTotals(
        inquiries=inquiries,
        waitlist_additions=joined,
        waitlist_rebooked=rebooked,
        late_cancellations=late,
        crisis_flagged_calls=crisis,
        handoffs=handoffs,
    )


# --- appointments --------------------------------------------------------------------------

_OUTCOME_KINDS = ("AppointmentMarked", "AppointmentCancelled", "AppointmentRescheduled")


def appointment_rows(connection: Connection, window: Window) -> tuple[AppointmentRow, ...]:
    """Appointments booked in the window, counted by service, client, channel and their
    latest recorded outcome (marks, cancellations and reschedules up to now)."""
    appointment_id = _field("appointment_id")
    via = or_(_flag("booked_by_ai").is_(True), _field("source").in_(["call", "waitlist"]))
    booked = (
        select(
            appointment_id.label("appointment_id"),
            _field("service").label("service"),
            case((_flag("established_client").is_(True), 1), else_=0).label("established"),
            case((via, 1), else_=0).label("via"),
        )
        .where(_events(["AppointmentBooked"], window))
        .subquery("booked")
    )
    status = case(
        (EventRow.kind == "AppointmentRescheduled", literal(Outcome.RESCHEDULED.value)),
        (
            EventRow.kind == "AppointmentCancelled",
            case(
                (_flag("late").is_(True), literal(Outcome.LATE_CANCELLED.value)),
                else_=literal(Outcome.CANCELLED.value),
            ),
        ),
        else_=_field("status"),
    )
    ranked = (
        select(
            appointment_id.label("appointment_id"),
            status.label("status"),
            func.row_number()
            .over(
                partition_by=appointment_id,
                order_by=(EventRow.occurred_at.desc(), EventRow.id.desc()),
            )
            .label("rank"),
        )
        .where(EventRow.kind.in_(_OUTCOME_KINDS), EventRow.occurred_at >= window.start)
        .subquery("ranked")
    )
    latest = select(ranked.c.appointment_id, ranked.c.status).where(ranked.c.rank == 1)
    latest_sq = latest.subquery("latest")
    outcome = func.coalesce(latest_sq.c.status, Outcome.PENDING.value).label("outcome")
    query = (
        select(booked.c.service, booked.c.established, booked.c.via, outcome, func.count())
        .select_from(booked)
        .outerjoin(latest_sq, latest_sq.c.appointment_id == booked.c.appointment_id)
        .group_by(booked.c.service, booked.c.established, booked.c.via, outcome)
    )
    rows = []
    for service, established, via_frontdesk, value, n in connection.execute(query):
        known = value in Outcome._value2member_map_
        rows.append(
            AppointmentRow(
                service=str(service),
                established_client=bool(established),
                via_frontdesk=bool(via_frontdesk),
                outcome=Outcome(value) if known else Outcome.PENDING,
                count=int(n),
            )
        )
    return tuple(rows)


# --- callbacks -----------------------------------------------------------------------------


def callback_delays(connection: Connection, window: Window) -> tuple[SpeedBucket, ...]:
    """Callbacks completed in the window per whole minute after their call ended."""
    done = EventRow.__table__.alias("done")
    ended = EventRow.__table__.alias("ended")
    minutes = minutes_between(ended.c.occurred_at, done.c.occurred_at)
    clamped = case((minutes < 0, 0), else_=minutes).label("minutes")
    query = (
        select(clamped, func.count())
        .select_from(done)
        .join(ended, and_(ended.c.call_id == done.c.call_id, ended.c.kind == "CallEnded"))
        .where(done.c.kind == "CallbackCompleted", _in_window(done.c.occurred_at, window))
        .group_by(clamped)
        .order_by(clamped)
    )
    return tuple(SpeedBucket(int(m), int(n)) for m, n in connection.execute(query))
