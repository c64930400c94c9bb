"""The report's reads: SQL aggregation with SQLAlchemy Core, on SQLite and PostgreSQL alike.

Every query groups in the database and returns a handful of rows (per hour, per category,
per outcome); Python never walks the calls or events themselves. Calls are read from the
`calls` table, whose route, intent, result and after-hours columns are the call record that
`CallStarted` and `CallEnded` mirror; everything else comes from the `events` log. The
indexes these queries lean on are in revision 0004 (`report_indexes`) and later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    String,
    and_,
    case,
    create_engine,
    event,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy import (
    cast as sql_cast,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from frontdesk.adapters.db.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    attach_keys,
    make_engine,
    normalise_url,
)
from frontdesk.adapters.db.tables import CallRow, EventRow, HandoffRow, UtcDateTime
from frontdesk.analytics.metrics import (
    AppointmentRow,
    DailyCalls,
    Outcome,
    SpeedBucket,
)
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route

DEFAULT_RECOVERY_WINDOW = timedelta(hours=48)
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
# `CallMissed` reasons for calls nobody answered; `abandoned` and `transfer_missed` calls were
# answered by Frontdesk first.
NEVER_ANSWERED = ("no-answer", "busy", "failed", "canceled")

WORK_MEM_KIB = 65_536  # PostgreSQL `work_mem` of each report connection

# --- the read engine -----------------------------------------------------------------------


def read_engine(database_url: str) -> Engine:
    """An engine for reading the report: on SQLite a deferred, read-only transaction.

    Frontdesk's own engine takes SQLite's write lock at the start of every transaction (a
    use case reads, then writes). A report only reads, and may take a second over a large
    history: in WAL mode a deferred transaction reads one consistent snapshot while calls
    keep being written. PostgreSQL readers never block writers; there the report's
    connections turn JIT compilation off and give grouping more memory.
    """
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "postgresql":
        return _postgresql_reader(database_url)
    if url.database in (None, "", ":memory:"):
        return make_engine(database_url)
    engine = create_engine(url, hide_parameters=True)  # parameters carry PHI
    attach_keys(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA query_only = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _postgresql_reader(database_url: str) -> Engine:
    engine = make_engine(database_url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The report's queries are estimated costly enough for PostgreSQL to JIT-compile
        # them, which takes longer than running them: each is a few index ranges.
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SET jit = off")
            # Room to group a month of calls in memory rather than spilling to disk.
            cursor.execute(f"SET work_mem = '{WORK_MEM_KIB}kB'")
        finally:
            cursor.close()
        dbapi_connection.commit()

    return engine


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

DAYS_PER_STATEMENT = 100  # SQLite allows 500 terms in one compound SELECT


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

    def __add__(self, other: CallTotals) -> CallTotals:
        return CallTotals(*(getattr(self, n) + getattr(other, n) for n in self.__slots__))

    def __sub__(self, other: CallTotals) -> CallTotals:
        return CallTotals(*(getattr(self, n) - getattr(other, n) for n in self.__slots__))


def _when(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """Rows meeting `condition`, as an aggregate (`count(*) FILTER (WHERE …)`)."""
    return func.count().filter(condition)


def _call_sums() -> list[ColumnElement[int]]:
    """One column per `CallTotals` field, summed over the rows in one pass (no grouping)."""
    result, intent, route = CallRow.result, CallRow.intent, CallRow.route
    return [
        func.count(),
        _when(CallRow.after_hours.is_(True)),
        _when(result == CallResult.ABANDONED.value),
        _when(
            and_(
                intent == Intent.CONSULT.value,
                or_(result.is_(None), result != CallResult.CONSULT_BOOKED.value),
            )
        ),
        _when(intent == Intent.INSURANCE_QUESTION.value),
        _when(intent == Intent.FEE_QUESTION.value),
        _when(route.in_([Route.CRISIS.value, Route.EMERGENCY.value])),
        _when(route.in_([Route.CLINICAL.value, Route.ADMINISTRATIVE.value])),
    ]


def local_days(window: Window) -> list[tuple[date, datetime, datetime]]:
    """Each local day of the window with its UTC start and end (23 or 25 hours across DST)."""
    days: list[tuple[date, datetime, datetime]] = []
    day = window.start.astimezone(window.zone).date()
    while True:
        start = max(window.start, datetime.combine(day, time(0), window.zone))
        if start >= window.end:
            return days
        end = min(window.end, datetime.combine(day + timedelta(days=1), time(0), window.zone))
        days.append((day, start, end))
        day += timedelta(days=1)


def _calls_in(start: datetime, end: datetime, *conditions: ColumnElement[bool]) -> Any:
    """`count(*)` of calls started in `[start, end)` meeting `conditions`, as a scalar
    subquery: each is one range of one index (`started_at` last in every calls index)."""
    return (
        select(func.count())
        .select_from(CallRow)
        .where(*conditions, CallRow.started_at >= start, CallRow.started_at < end)
        .scalar_subquery()
    )


def calls_per_day(
    connection: Connection, window: Window, unanswered: dict[date, CallTotals]
) -> list[tuple[date, CallTotals]]:
    """Answered and abandoned calls for each local day, each count one index range, less
    the `unanswered` records of each day (`unanswered_per_day`)."""
    days = local_days(window)
    totals: list[tuple[date, CallTotals]] = []
    abandoned = CallRow.result == CallResult.ABANDONED.value
    for first in range(0, len(days), DAYS_PER_STATEMENT):
        chunk = days[first : first + DAYS_PER_STATEMENT]
        selects = [
            select(
                literal(n).label("n"),
                _calls_in(start, end).label("answered"),
                _calls_in(start, end, abandoned).label("abandoned"),
            )
            for n, (_, start, end) in enumerate(chunk)
        ]
        query = selects[0] if len(selects) == 1 else union_all(*selects)
        for n, answered, n_abandoned in connection.execute(query):
            day = chunk[n][0]
            totals.append((day, CallTotals(answered=int(answered), abandoned=int(n_abandoned))))
    return sorted(
        (day, t - replace(unanswered.get(day, CallTotals()), **_ONLY_DAILY)) for day, t in totals
    )


_ONLY_DAILY = {name: 0 for name in CallTotals.__slots__ if name not in ("answered", "abandoned")}


def call_totals(
    connection: Connection,
    window: Window,
    per_day: list[tuple[date, CallTotals]],
    unanswered_by_day: dict[date, CallTotals],
) -> CallTotals:
    """The window's call totals: the daily counts summed, the rest one index range each,
    less the unanswered records (`unanswered_per_day`)."""
    start, end = window.start, window.end
    intent, route, result = CallRow.intent, CallRow.route, CallRow.result
    query = select(
        _calls_in(start, end, CallRow.after_hours == true()),
        _calls_in(start, end, intent == Intent.CONSULT.value)
        - _calls_in(
            start, end, intent == Intent.CONSULT.value, result == CallResult.CONSULT_BOOKED.value
        ),
        _calls_in(start, end, intent == Intent.INSURANCE_QUESTION.value),
        _calls_in(start, end, intent == Intent.FEE_QUESTION.value),
        _calls_in(start, end, route.in_([Route.CRISIS.value, Route.EMERGENCY.value])),
        _calls_in(start, end, route.in_([Route.CLINICAL.value, Route.ADMINISTRATIVE.value])),
    )
    after_hours, consult, insurance, fee, crisis, staff = connection.execute(query).one()
    unanswered = sum(unanswered_by_day.values(), CallTotals())
    daily = sum((t for _, t in per_day), CallTotals())
    measured = CallTotals(
        answered=daily.answered,
        after_hours=int(after_hours),
        abandoned=daily.abandoned,
        consult_intent_unbooked=int(consult),
        insurance_questions=int(insurance),
        fee_questions=int(fee),
        crisis_calls=int(crisis),
        staff_only_calls=int(staff),
    )
    return measured - replace(unanswered, answered=0, abandoned=0)


def unanswered_per_day(connection: Connection, window: Window) -> dict[date, CallTotals]:
    """Call records kept for calls nobody answered, per local day, to take off the totals."""
    bucket = utc_bucket(CallRow.started_at, literal_column(str(window.bucket_width)))
    never = (
        select(EventRow.call_id)
        .where(_events(["CallMissed"], replace(window, end=_FAR_FUTURE)))
        .where(EventRow.status.in_(NEVER_ANSWERED))
    )
    query = (
        select(bucket.label("bucket"), *_call_sums())
        .where(_in_window(CallRow.started_at, window), CallRow.id.in_(never))
        .group_by(bucket)
    )
    per_day: dict[date, CallTotals] = {}
    for bucket_text, *counts in connection.execute(query):
        day = window.local_day(bucket_text).date()
        per_day[day] = per_day.get(day, CallTotals()) + CallTotals(*(int(c) for c in counts))
    return per_day


def daily_calls(
    connection: Connection, window: Window, per_day: list[tuple[date, CallTotals]]
) -> tuple[DailyCalls, ...]:
    """Answered, missed and abandoned calls per local day, every day of the window listed."""
    event_bucket = utc_bucket(EventRow.occurred_at, literal_column(str(window.bucket_width)))
    missed = (
        select(event_bucket.label("bucket"), func.count())
        .where(_events(["CallMissed"], window), EventRow.status.in_(NEVER_ANSWERED))
        .group_by(event_bucket)
    )
    missed_by_day: dict[date, int] = {}
    for bucket, n in connection.execute(missed):
        day = window.local_day(bucket).date()
        missed_by_day[day] = missed_by_day.get(day, 0) + int(n)
    return tuple(
        DailyCalls(day, totals.answered, missed_by_day.get(day, 0), totals.abandoned)
        for day, totals in per_day
    )


def missed_calls(connection: Connection, window: Window) -> int:
    """`CallMissed` events in the window for calls nobody answered."""
    query = select(func.count()).where(
        _events(["CallMissed"], window), EventRow.status.in_(NEVER_ANSWERED)
    )
    return int(connection.execute(query).scalar_one())


def recovered_calls(
    connection: Connection, window: Window, within: timedelta = DEFAULT_RECOVERY_WINDOW
) -> int:
    """Missed or abandoned calls in the window followed, within `within`, by a completed
    callback for that call, or by a later call from the same number (matched by its blind
    index, never the number) that captured an inquiry or booked an appointment.

    Each candidate is checked with a few index probes: a month holds tens of thousands of
    candidates but hundreds of thousands of callbacks, inquiries and bookings, so joining
    the candidates against those (measured on both backends) reads far more than seeking
    each candidate's own callback and its number's next calls. The abandoned calls come
    from the calls-by-result index alone (revision 0017), and each candidate's deadline is
    worked out once, where it is read, rather than in each test that uses it.
    """
    seconds: ColumnElement[int] = literal_column(str(int(within.total_seconds())))
    _other = EventRow.__table__.alias("other")
    abandoned_moment = func.coalesce(CallRow.ended_at, CallRow.started_at)
    abandoned = select(
        CallRow.id.label("call_id"),
        CallRow.caller_number_hmac.label("number"),
        abandoned_moment.label("moment"),
        plus_seconds(abandoned_moment, seconds).label("deadline"),
    ).where(
        _in_window(CallRow.started_at, window),
        CallRow.result == CallResult.ABANDONED.value,
        ~exists().where(
            _other.c.call_id == CallRow.id,
            _other.c.kind == "CallMissed",
            _other.c.status.in_(NEVER_ANSWERED),
        ),
    )
    missed_calls_row = CallRow.__table__.alias("missed_call")
    never_answered = (
        select(
            EventRow.call_id.label("call_id"),
            missed_calls_row.c.caller_number_hmac.label("number"),
            EventRow.occurred_at.label("moment"),
            plus_seconds(EventRow.occurred_at, seconds).label("deadline"),
        )
        .select_from(EventRow)
        .outerjoin(missed_calls_row, missed_calls_row.c.id == EventRow.call_id)
        .where(_events(["CallMissed"], window), EventRow.status.in_(NEVER_ANSWERED))
    )
    candidates = union_all(abandoned, never_answered).subquery("candidate")
    deadline = candidates.c.deadline

    done = EventRow.__table__.alias("done")
    called_back = exists().where(
        done.c.call_id == candidates.c.call_id,
        done.c.kind == "CallbackCompleted",
        done.c.occurred_at > candidates.c.moment,
        done.c.occurred_at <= deadline,
    )
    later = CallRow.__table__.alias("later")
    followed = EventRow.__table__.alias("followed")
    # A call nobody answered may have no call record, hence no number to look for.
    came_back = and_(
        candidates.c.number.is_not(None),
        exists().where(
            later.c.caller_number_hmac == candidates.c.number,
            later.c.started_at > candidates.c.moment,
            later.c.started_at <= deadline,
            exists().where(
                followed.c.call_id == later.c.id,
                followed.c.kind.in_(["InquiryCaptured", "AppointmentBooked"]),
            ),
        ),
    )
    query = select(func.count()).select_from(candidates).where(or_(called_back, came_back))
    return int(connection.execute(query).scalar_one())


# --- events and hand-offs ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventTotals:
    """Counts of the events the report reads beside calls and appointments (new-client
    inquiries apart: `inquiries`)."""

    waitlist_additions: int = 0
    waitlist_rebooked: int = 0
    late_cancellations: int = 0
    handoffs: tuple[tuple[HandoffCategory, int], ...] = ()

    def handoffs_of(self, *categories: HandoffCategory) -> int:
        return sum(n for category, n in self.handoffs if category in categories)


def _count(connection: Connection, query: Any) -> int:
    return int(connection.execute(query).scalar_one() or 0)


def handoff_routes(
    connection: Connection, window: Window
) -> tuple[tuple[HandoffCategory, int], ...]:
    """Hand-offs made in the window per category (the hand-off record `HandoffCreated` marks)."""
    counts = connection.execute(
        select(
            *(
                select(func.count())
                .select_from(HandoffRow)
                .where(HandoffRow.category == category.value)
                .where(_in_window(HandoffRow.created_at, window))
                .scalar_subquery()
                for category in HandoffCategory
            )
        )
    ).one()
    return tuple((category, int(n)) for category, n in zip(HandoffCategory, counts, strict=True))


def inquiries(connection: Connection, window: Window) -> int:
    """Inquiries captured in the window: one per call, as a call may confirm its intake
    more than once; each captured outside a call (no call id) counts alone."""
    # Grouped rather than `count(DISTINCT …)`, so PostgreSQL may hash instead of sorting.
    per_call = (
        select(EventRow.call_id.label("call_id"), func.count().label("n"))
        .where(_events(["InquiryCaptured"], window))
        .group_by(EventRow.call_id)
        .subquery("per_call")
    )
    return _count(
        connection,
        select(func.sum(case((per_call.c.call_id.is_(None), per_call.c.n), else_=1))).select_from(
            per_call
        ),
    )


def event_totals(connection: Connection, window: Window) -> EventTotals:
    """Waitlist joins and fills, late cancellations, and hand-offs by route."""
    joined = _count(connection, select(func.count()).where(_events(["WaitlistJoined"], window)))
    rebooked = _count(connection, select(func.count()).where(_events(["OfferAccepted"], window)))
    late = _count(
        connection,
        select(func.count(func.distinct(EventRow.appointment_id))).where(
            _events(["AppointmentCancelled", "AppointmentMarked"], window),
            or_(
                and_(EventRow.kind == "AppointmentCancelled", EventRow.late.is_(True)),
                and_(EventRow.kind == "AppointmentMarked", EventRow.status == "late_cancelled"),
            ),
        ),
    )
    return EventTotals(
        waitlist_additions=joined,
        waitlist_rebooked=rebooked,
        late_cancellations=late,
        handoffs=handoff_routes(connection, window),
    )


# --- appointments --------------------------------------------------------------------------

_OUTCOME_KINDS = ("AppointmentMarked", "AppointmentCancelled")


def _outcome_status(event: Any) -> ColumnElement[str]:
    """The outcome an `AppointmentMarked` or `AppointmentCancelled` event records."""
    return case(
        (
            event.c.kind == "AppointmentCancelled",
            case(
                (event.c.late.is_(True), literal(Outcome.LATE_CANCELLED.value, String())),
                else_=literal(Outcome.CANCELLED.value, String()),
            ),
        ),
        else_=event.c.status,
    )


def _booking_columns() -> list[ColumnElement[Any]]:
    """What an `AppointmentBooked` event is counted by: service, established client (1 or
    0) and whether Frontdesk made it (1 or 0)."""
    via = or_(EventRow.booked_by_ai.is_(True), EventRow.source.in_(["call", "waitlist"]))
    return [
        EventRow.service.label("service"),
        case((EventRow.established_client.is_(True), 1), else_=0).label("established"),
        case((via, 1), else_=0).label("via"),
    ]


def _outcomes_along_chains(window: Window) -> Any:
    """Bookings counted by their latest outcome, each chain walked from its booking
    (PostgreSQL). Each step seeks the appointment index for the reschedules of the
    appointment reached so far, carrying along what the booking is counted by; each
    appointment of a chain then seeks its own marks and cancellations, and the latest of
    a chain is taken by ranking them. Every join has that index on one side, so however
    PostgreSQL misjudges the bookings and reschedules of the window (statistics from before
    the window's events were written say there are none), it cannot pair two unindexed
    intermediate results row by row, as it did joining the reschedules to the bookings:
    minutes for 20,000 bookings, a third of them moved."""
    move = EventRow.__table__.alias("move")
    # Unbounded text, as the successors read from the payload are.
    chain = (
        select(
            EventRow.id.label("booking"),
            sql_cast(EventRow.appointment_id, String()).label("current"),
            *_booking_columns(),
        )
        .where(_events(["AppointmentBooked"], window))
        .cte("chain", recursive=True)
    )
    successor = cast("ColumnElement[str]", move.c.payload["new_appointment_id"].as_string())
    chain = chain.union_all(
        select(chain.c.booking, successor, chain.c.service, chain.c.established, chain.c.via).join(
            move,
            and_(
                move.c.appointment_id == chain.c.current,
                move.c.kind == "AppointmentRescheduled",
                move.c.occurred_at >= window.start,
            ),
        )
    )
    outcome_event = EventRow.__table__.alias("outcome_event")
    ranked = (
        select(
            chain.c.service,
            chain.c.established,
            chain.c.via,
            _outcome_status(outcome_event).label("status"),
            func.row_number()
            .over(
                partition_by=chain.c.booking,
                order_by=(
                    outcome_event.c.occurred_at.desc().nulls_last(),
                    outcome_event.c.id.desc(),
                ),
            )
            .label("rank"),
        )
        .select_from(chain)
        .outerjoin(
            outcome_event,
            and_(
                outcome_event.c.appointment_id == chain.c.current,
                outcome_event.c.kind.in_(_OUTCOME_KINDS),
                outcome_event.c.occurred_at >= window.start,
            ),
        )
        .subquery("ranked")
    )
    outcome = func.coalesce(ranked.c.status, Outcome.PENDING.value).label("outcome")
    return (
        select(ranked.c.service, ranked.c.established, ranked.c.via, outcome, func.count())
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.service, ranked.c.established, ranked.c.via, outcome)
    )


def _outcomes_per_booking(window: Window) -> Any:
    """Bookings counted by their latest outcome, looked up from each booking: its own marks
    and cancellations (a short range of the appointment index), and those of each
    appointment it was moved to (SQLite indexes `moved` by root once for the statement).
    On SQLite this skips sorting, storing and indexing every ranked outcome before joining
    them back to the bookings; walking every booking's chain and ranking (as on
    PostgreSQL) sorts them all, half again as long over the bench's 100,000 bookings."""
    booked = (
        select(EventRow.appointment_id.label("appointment_id"), *_booking_columns())
        .where(_events(["AppointmentBooked"], window))
        .cte("booked")
    )
    moves = (
        select(EventRow.appointment_id.label("old"), _field("new_appointment_id").label("new"))
        .where(_events(["AppointmentRescheduled"], replace(window, end=_FAR_FUTURE)))
        .cte("moves")
    )
    # The successors of the bookings that were moved, walked from the few reschedules
    # rather than looked up for every booking. Unbounded text, as the successors read from
    # the payload are.
    moved = (
        select(moves.c.old.label("root"), moves.c.new.label("current"))
        .join(booked, booked.c.appointment_id == moves.c.old)
        .cte("moved", recursive=True)
    )
    moved = moved.union_all(
        select(moved.c.root, moves.c.new).join(moves, moves.c.old == moved.c.current)
    )

    def outcomes_of(event: Any, *where: ColumnElement[bool]) -> Any:
        return select(
            event.c.occurred_at.label("at"),
            event.c.id.label("id"),
            _outcome_status(event).label("status"),
        ).where(*where, event.c.kind.in_(_OUTCOME_KINDS), event.c.occurred_at >= window.start)

    own = EventRow.__table__.alias("own")
    successor = EventRow.__table__.alias("successor")
    outcomes = union_all(
        outcomes_of(own, own.c.appointment_id == booked.c.appointment_id).correlate(booked),
        outcomes_of(successor, moved.c.root == booked.c.appointment_id)
        .select_from(moved.join(successor, successor.c.appointment_id == moved.c.current))
        .correlate(booked),
    ).subquery("outcomes")
    latest = (
        select(outcomes.c.status)
        .order_by(outcomes.c.at.desc(), outcomes.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    outcome = func.coalesce(latest, Outcome.PENDING.value).label("outcome")
    per_booking = select(booked.c.service, booked.c.established, booked.c.via, outcome).subquery(
        "per_booking"
    )
    columns = (
        per_booking.c.service,
        per_booking.c.established,
        per_booking.c.via,
        per_booking.c.outcome,
    )
    return select(*columns, func.count()).group_by(*columns)


def appointment_rows(connection: Connection, window: Window) -> tuple[AppointmentRow, ...]:
    """Appointments booked in the window, counted by service, client, channel and their
    latest recorded outcome (marks and cancellations up to now).

    A reschedule moves a booking to a successor without a new `AppointmentBooked`, so the
    outcome of a booking is the latest outcome anywhere along its chain of reschedules.
    """
    if connection.dialect.name == "postgresql":
        query = _outcomes_along_chains(window)
    else:
        query = _outcomes_per_booking(window)
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
    """Hand-offs completed in the window, per whole minute from being made to being done.

    A loose scan of the `(minutes_to_complete, completed_at)` index: each distinct number
    of minutes is found with one seek past the one before, and its hand-offs completed in
    the window are one range of the index. The work grows with the distinct delays (a
    few thousand even for callbacks days late) and the hand-offs in the window, and
    nothing is sorted, where grouping the window's hand-offs by their delay sorted them all.
    """
    minutes = HandoffRow.minutes_to_complete
    after = HandoffRow.__table__.alias("after")
    first = select(func.min(minutes).label("minutes")).where(minutes.is_not(None))
    delays = first.cte("delays", recursive=True)
    following = (
        select(func.min(after.c.minutes_to_complete))
        .where(after.c.minutes_to_complete > delays.c.minutes)
        .scalar_subquery()
    )
    delays = delays.union_all(select(following).where(delays.c.minutes.is_not(None)))
    completed = (
        select(func.count())
        .select_from(HandoffRow)
        .where(minutes == delays.c.minutes, _in_window(HandoffRow.completed_at, window))
        .scalar_subquery()
    )
    per_minute = (
        select(delays.c.minutes.label("minutes"), completed.label("n"))
        .where(delays.c.minutes.is_not(None))
        .subquery("per_minute")
    )
    query = (
        select(per_minute.c.minutes, per_minute.c.n)
        .where(per_minute.c.n > 0)
        .order_by(per_minute.c.minutes)
    )
    return tuple(SpeedBucket(int(m), int(n)) for m, n in connection.execute(query))
