"""`frontdesk bench report`: time the measured report over a million recorded calls.

This is a load fixture, not a simulation: calls and their events are written straight into
the tables with `INSERT … SELECT` over a generated sequence (a recursive CTE on SQLite,
`generate_series` on PostgreSQL), so building a million calls takes seconds, not hours. The
mix is deterministic and plausible (intents, after-hours share, crisis and staff-only
routes, abandoned and never-answered calls, repeat callers, hand-offs completed after a
delay, bookings with outcomes, waitlist activity), spread over the 30 days the report
covers, so every query aggregates every row. `frontdesk demo-data` is the realistic history
driven through the real services.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select, text

from frontdesk.adapters.db import make_engine
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.db.tables import CallRow
from frontdesk.adapters.encryption import configured
from frontdesk.adapters.practice_file import load_practice
from frontdesk.analytics.queries import read_engine
from frontdesk.analytics.report import build_report
from frontdesk.bench._database import scratch_database
from frontdesk.bench._encryption import CryptoMeter
from frontdesk.bench._stats import percentile, print_report
from frontdesk.config import Settings
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.practice import Practice

DEFAULT_CALLS = 1_000_000
DEFAULT_RUNS = 5
DAYS = 30
FIRST_DAY = date(2026, 1, 5)
TARGET_SECONDS = 2.0
# Where the span starts in UTC: local midnight of FIRST_DAY in America/Chicago.
SPAN_START = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)


@contextmanager
def example_practice() -> Iterator[Practice]:
    """The shipped example practice, loaded from a temporary copy beside its script file."""
    folder = Path(tempfile.mkdtemp(prefix="frontdesk-bench-"))
    try:
        data = resources.files("frontdesk.data")
        shutil.copyfile(str(data / "example_practice.yaml"), folder / "practice.yaml")
        shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
        yield load_practice(folder / "practice.yaml")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Sql:
    """The few expressions that differ between SQLite and PostgreSQL in the fixture."""

    def __init__(self, dialect: str, calls: int) -> None:
        self.pg = dialect == "postgresql"
        self.calls = calls

    def sequence(self, count: int) -> tuple[str, str]:
        """A `WITH` prefix and a `FROM` clause yielding `i` = 0 … count-1."""
        if self.pg:
            return "", f"generate_series(CAST(0 AS BIGINT), {count - 1}) AS s(i)"
        step = f"SELECT i + 1 FROM s WHERE i < {count - 1}"  # noqa: S608 - an integer
        return f"WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL {step})", "s"

    def moment(self, seconds: str) -> str:
        """SPAN_START plus a whole number of seconds, in the column's stored form."""
        if self.pg:
            return f"(TIMESTAMPTZ '2026-01-05 06:00:00+00' + make_interval(secs => {seconds}))"
        return (
            f"(strftime('%Y-%m-%d %H:%M:%S', '2026-01-05 06:00:00', '+' || ({seconds}) || "
            "' seconds') || '.000000')"
        )

    def stamp(self, seconds: str) -> str:
        """The same moment as ISO 8601 text with its UTC offset, as event payloads hold it."""
        if self.pg:
            pattern = "'YYYY-MM-DD\"T\"HH24:MI:SS+00:00'"
            return f"to_char({self.moment(seconds)} AT TIME ZONE 'UTC', {pattern})"
        return f"(replace({self.moment(seconds)}, ' ', 'T') || '+00:00')"

    def ident(self, number: str, prefix: str = "") -> str:
        if self.pg:
            return f"('{prefix}' || lpad(({number})::text, {32 - len(prefix)}, '0'))"
        return f"('{prefix}' || printf('%0{32 - len(prefix)}d', {number}))"

    def obj(self, *pairs: tuple[str, str]) -> str:
        function = "json_build_object" if self.pg else "json_object"
        items = ", ".join(f"'{key}', {value}" for key, value in pairs)
        return f"{function}({items})"

    def boolean(self, condition: str) -> str:
        return (
            f"({condition})"
            if self.pg
            else f"json(CASE WHEN {condition} THEN 'true' ELSE 'false' END)"
        )

    def flag(self, condition: str) -> str:
        """A boolean column's value (SQLite stores 1 or 0)."""
        return f"({condition})" if self.pg else f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    def text_of(self, value: str) -> str:
        return f"({value})::text" if self.pg else f"CAST({value} AS TEXT)"


# Per-call pseudo-random draws (0-999) from multiplicative hashes of the call number.
R_AFTER = "((i * 2654435761) % 1000)"
R_INTENT = "((i * 7919 + 13) % 100)"
R_ROUTE = "((i * 104729 + 7) % 1000)"
R_END = "((i * 15485863 + 3) % 1000)"
R_BOOK = "((i * 32452843 + 11) % 1000)"
R_MOVE = "((i * 49979687 + 5) % 1000)"

INTENT = f"""CASE
    WHEN {R_INTENT} < 30 THEN 'new_client' WHEN {R_INTENT} < 38 THEN 'consult'
    WHEN {R_INTENT} < 50 THEN 'existing_client' WHEN {R_INTENT} < 55 THEN 'reschedule'
    WHEN {R_INTENT} < 60 THEN 'cancel' WHEN {R_INTENT} < 64 THEN 'waitlist'
    WHEN {R_INTENT} < 72 THEN 'insurance_question' WHEN {R_INTENT} < 78 THEN 'fee_question'
    WHEN {R_INTENT} < 82 THEN 'telehealth_question' WHEN {R_INTENT} < 86 THEN 'provider_question'
    WHEN {R_INTENT} < 92 THEN 'message' WHEN {R_INTENT} < 96 THEN 'speak_to_person'
    ELSE 'other' END"""
ROUTE = f"""CASE
    WHEN {R_ROUTE} < 3 THEN 'emergency' WHEN {R_ROUTE} < 12 THEN 'crisis'
    WHEN {R_ROUTE} < 40 THEN 'clinical' WHEN {R_ROUTE} < 55 THEN 'administrative'
    WHEN {R_ROUTE} < 70 THEN 'sensitive' ELSE 'routine' END"""
RESULT = f"""CASE
    WHEN {R_ROUTE} < 3 THEN 'emergency_directed' WHEN {R_ROUTE} < 12 THEN 'crisis_directed'
    WHEN {R_ROUTE} < 55 THEN 'handed_off' WHEN {R_END} < 60 THEN 'abandoned'
    WHEN {R_INTENT} < 38 AND {R_BOOK} < 300 THEN 'first_session_booked'
    WHEN {R_INTENT} >= 64 AND {R_INTENT} < 86 THEN 'info_provided'
    WHEN {R_INTENT} >= 86 AND {R_INTENT} < 92 THEN 'message_taken'
    ELSE 'callback_requested' END"""
CATEGORY = f"""CASE
    WHEN {R_ROUTE} < 3 THEN 'emergency' WHEN {R_ROUTE} < 12 THEN 'crisis'
    WHEN {R_ROUTE} < 40 THEN 'clinical' WHEN {R_ROUTE} < 55 THEN 'administrative'
    WHEN {R_INTENT} >= 86 AND {R_INTENT} < 92 THEN 'message' ELSE 'callback' END"""
HAS_HANDOFF = f"({R_ROUTE} < 55 OR ({R_END} >= 60 AND {R_INTENT} < 64) OR ({R_INTENT} >= 86))"
BOOKED = f"({R_ROUTE} >= 55 AND {R_END} >= 60 AND {R_INTENT} < 38 AND {R_BOOK} < 300)"
SERVICE = f"CASE WHEN {R_BOOK} < 80 THEN 'consult' ELSE 'first_session' END"
MARK = f"""CASE WHEN {R_BOOK} < 200 THEN 'attended' WHEN {R_BOOK} < 230 THEN 'no_show'
    WHEN {R_BOOK} < 250 THEN 'late_cancelled' ELSE 'cancelled' END"""


def fixture_statements(
    dialect: str, calls: int, turns_per_call: int, rescheduled: float = 0.0
) -> list[str]:
    """The `INSERT … SELECT` statements that write `calls` calls and their events; the
    `rescheduled` share of bookings is moved one to three times before its outcome."""
    sql = _Sql(dialect, calls)
    span = DAYS * 86_400
    started = f"(i * {span} / {calls})"
    ended = f"({started} + 60 + {R_END} % 600)"
    call_id = sql.ident("i")
    number = f"('+1555' || {sql.text_of(f'1000000 + (i * 48271) % {max(1, calls * 7 // 10)}')})"
    with_clause, source = sql.sequence(calls)
    after = f"{R_AFTER} < 380"
    after_column = after if sql.pg else f"CASE WHEN {after} THEN 1 ELSE 0 END"
    # The report matches repeat callers by the number's blind index; a digest of the number
    # stands in for its HMAC (the same width, equal for equal numbers). The number itself is
    # stored as a value of an encrypted column's size, which the report never reads.
    lookup = f"md5({number})" if sql.pg else f"hex({number})"
    sealed = f"('fd1.kbench.' || {lookup} || {lookup})"
    statements = [
        f"""INSERT INTO calls (id, external_id, caller_number, caller_number_hmac, started_at,
            ended_at, status, after_hours, route, intent, result, state)
        {with_clause} SELECT {call_id}, NULL, {sealed}, {lookup}, {sql.moment(started)},
            {sql.moment(ended)}, 'ended', {after_column},
            {ROUTE}, {INTENT}, {RESULT}, {sql.obj()} FROM {source}"""  # noqa: S608 - constants
    ]

    def events(
        kind: str,
        moment: str,
        payload: str,
        where: str = "1 = 1",
        cid: str = call_id,
        fields: tuple[tuple[str, str], ...] = (),
    ) -> str:
        # `fields`: the payload fields the events table also keeps as columns.
        names = "".join(f", {name}" for name, _ in fields)
        values = "".join(f", {value}" for _, value in fields)
        return f"""INSERT INTO events (kind, occurred_at, call_id, payload{names})
        {with_clause} SELECT '{kind}', {sql.moment(moment)}, {cid}, {payload}{values}
        FROM {source} WHERE {where}"""  # noqa: S608 - built from constants and integers

    base = [("occurred_at", sql.stamp(started)), ("call_id", call_id)]
    statements.append(
        events("CallStarted", started, sql.obj(*base, ("after_hours", sql.boolean(after))))
    )
    for seq in range(turns_per_call):
        statements.append(
            events(
                "TurnTaken",
                f"({started} + {seq * 8})",
                sql.obj(*base, ("seq", str(seq)), ("route", "'routine'"), ("intent", INTENT)),
            )
        )
    statements.append(
        events(
            "CallEnded",
            ended,
            sql.obj(
                *base,
                ("route", ROUTE),
                ("intent", INTENT),
                ("result", RESULT),
                ("after_hours", sql.boolean(after)),
            ),
        )
    )
    statements.append(
        events(
            "CrisisFlagged",
            f"({started} + 20)",
            sql.obj(*base, ("seq", "1"), ("route", ROUTE), ("rule_ids", sql.obj())),
            where=f"{R_ROUTE} < 12",
        )
    )
    handoff_id = sql.ident("i", "h")
    statements.append(
        events(
            "HandoffCreated",
            ended,
            sql.obj(
                *base, ("handoff_id", handoff_id), ("category", CATEGORY), ("urgency", "'routine'")
            ),
            where=HAS_HANDOFF,
        )
    )
    # Nine in ten hand-offs are completed, from 5 minutes to about a day after the call.
    delay = f"(300 + ({R_BOOK} * {R_BOOK}) % 86000)"
    done = f"{R_AFTER} % 10 <> 0"
    completed = f"CASE WHEN {done} THEN {sql.moment(f'({ended} + {delay})')} END"
    statements.append(
        f"""INSERT INTO handoffs (id, call_id, inquiry_id, category, urgency, summary, status,
            caller_number, created_at, completed_at, minutes_to_complete, details)
        {with_clause} SELECT {handoff_id}, {call_id}, NULL, {CATEGORY}, 'routine', '',
            CASE WHEN {done} THEN 'done' ELSE 'open' END, {sealed}, {sql.moment(ended)},
            {completed}, CASE WHEN {done} THEN {delay} / 60 END, {sql.obj()}
        FROM {source} WHERE {HAS_HANDOFF}"""  # noqa: S608 - built from constants and integers
    )
    statements.append(
        events(
            "CallbackCompleted",
            f"({ended} + {delay})",
            sql.obj(
                *base, ("handoff_id", handoff_id), ("category", CATEGORY), ("urgency", "'routine'")
            ),
            where=f"{HAS_HANDOFF} AND {done}",
        )
    )
    inquiry_id = sql.ident("i", "q")
    statements.append(
        events(
            "InquiryCaptured",
            ended,
            sql.obj(*base, ("inquiry_id", inquiry_id)),
            where=f"{R_ROUTE} >= 55 AND {R_END} >= 60"
            f" AND ({R_INTENT} < 38 OR ({R_INTENT} >= 60 AND {R_INTENT} < 64))",
        )
    )
    appointment_id = sql.ident("i", "a")
    established = f"({R_INTENT} >= 38 AND {R_INTENT} < 50)"
    statements.append(
        events(
            "AppointmentBooked",
            ended,
            sql.obj(
                *base,
                ("appointment_id", appointment_id),
                ("service", SERVICE),
                ("clinician_id", "'rivera'"),
                ("starts_at", sql.stamp(f"({ended} + 259200)")),
                ("booked_by_ai", sql.boolean(f"{R_BOOK} % 2 = 0")),
                ("source", "'call'"),
                ("established_client", sql.boolean(established)),
                ("private_pay", sql.boolean(f"{R_AFTER} < 400")),
                ("inquiry_id", inquiry_id),
            ),
            where=BOOKED,
            fields=(
                ("appointment_id", appointment_id),
                ("service", SERVICE),
                ("source", "'call'"),
                ("established_client", sql.flag(established)),
                ("booked_by_ai", sql.flag(f"{R_BOOK} % 2 = 0")),
            ),
        )
    )
    # A moved booking's successors are `r1…`, `r2…`, `r3…`, an hour apart; its mark goes
    # to the last of them.
    moved = f"({R_MOVE} < {round(rescheduled * 1000)})"
    hops = f"(1 + {R_MOVE} % 3)"
    chain = [appointment_id, *(sql.ident("i", f"r{hop}") for hop in (1, 2, 3))]
    for hop in (1, 2, 3) if rescheduled > 0 else ():
        at = f"({ended} + {hop * 3600})"
        statements.append(
            events(
                "AppointmentRescheduled",
                at,
                sql.obj(
                    ("occurred_at", sql.stamp(at)),
                    ("appointment_id", chain[hop - 1]),
                    ("new_appointment_id", chain[hop]),
                    ("service", SERVICE),
                    ("established_client", sql.boolean(established)),
                ),
                where=f"{BOOKED} AND {moved} AND {hops} >= {hop}",
                cid="NULL",
                fields=(
                    ("appointment_id", chain[hop - 1]),
                    ("service", SERVICE),
                    ("established_client", sql.flag(established)),
                ),
            )
        )
    marked_id = (
        f"CASE WHEN NOT {moved} THEN {appointment_id} WHEN {hops} = 1 THEN {chain[1]}"
        f" WHEN {hops} = 2 THEN {chain[2]} ELSE {chain[3]} END"
    )
    statements.append(
        events(
            "AppointmentMarked",
            f"({ended} + 262800)",
            sql.obj(
                ("occurred_at", sql.stamp(f"({ended} + 262800)")),
                ("appointment_id", marked_id),
                ("service", SERVICE),
                ("status", MARK),
                ("established_client", sql.boolean(established)),
            ),
            where=f"{BOOKED} AND {R_BOOK} < 270",
            cid="NULL",
            fields=(
                ("appointment_id", marked_id),
                ("service", SERVICE),
                ("status", MARK),
                ("established_client", sql.flag(established)),
            ),
        )
    )
    statements.append(
        events(
            "WaitlistJoined",
            ended,
            sql.obj(*base, ("entry_id", sql.ident("i", "w"))),
            where=f"{R_ROUTE} >= 55 AND {R_INTENT} >= 60 AND {R_INTENT} < 64",
        )
    )
    statements.append(
        events(
            "OfferAccepted",
            f"({ended} + 86400)",
            sql.obj(
                ("occurred_at", sql.stamp(f"({ended} + 86400)")),
                ("offer_id", sql.ident("i", "o")),
                ("entry_id", sql.ident("i", "w")),
                ("appointment_id", sql.ident("i", "b")),
            ),
            where=f"{R_ROUTE} >= 55 AND {R_INTENT} >= 60 AND {R_INTENT} < 62",
            cid="NULL",
            fields=(("appointment_id", sql.ident("i", "b")),),
        )
    )
    # Never-answered calls: one for every thirty answered, with no call record.
    missed = max(1, calls // 30)
    missed_with, missed_source = sql.sequence(missed)
    missed_at = f"(i * {span} / {missed} + 17)"
    missed_id = sql.ident("i", "m")
    missed_payload = sql.obj(
        ("occurred_at", sql.stamp(missed_at)), ("call_id", missed_id), ("reason", "'no-answer'")
    )
    statements.append(
        f"""INSERT INTO events (kind, occurred_at, call_id, payload, status)
        {missed_with} SELECT 'CallMissed', {sql.moment(missed_at)}, {missed_id}, {missed_payload},
            'no-answer'
        FROM {missed_source}"""  # noqa: S608 - built from constants and integers
    )
    return statements


def build_fixture(
    engine: Engine, calls: int, turns_per_call: int, rescheduled: float = 0.0
) -> float:
    """Write the load fixture into an empty, migrated database; the seconds it took."""
    started = time.perf_counter()
    with engine.begin() as connection:
        if connection.execute(select(func.count()).select_from(CallRow)).scalar_one():
            raise InvalidInput("bench report needs an empty database: this one has calls")
        statements = fixture_statements(engine.dialect.name, calls, turns_per_call, rescheduled)
        for statement in statements:
            connection.execute(text(statement))
    _analyse(engine)
    return time.perf_counter() - started


def _analyse(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # Vacuumed as autovacuum would have by the time of a report, so index-only
            # scans need not visit the table.
            for table in ("calls", "events", "handoffs"):
                connection.execute(text(f"VACUUM ANALYZE {table}"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        # The fixture went in as one transaction through the write-ahead log: fold the log
        # into the database file and empty it, as a running server's checkpoints would
        # have. Outside any transaction, so the checkpoint is not held back by our own read.
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()
    # The fixture is written: let the kernel finish writing it back before anything is
    # timed, so the runs measure the report rather than the fixture's disk flush.
    os.sync()


def _count(connection: Connection, table: str) -> int:
    return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608


def _count_kind(connection: Connection, kind: str) -> int:
    query = text("SELECT count(*) FROM events WHERE kind = :kind")
    return int(connection.execute(query, {"kind": kind}).scalar_one())


def run_bench(
    database_url: str, *, calls: int, runs: int, turns_per_call: int, rescheduled: float = 0.0
) -> dict[str, object]:
    """Build the fixture at `database_url`, time the 30-day report `runs` times, summarise."""
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        build_seconds = build_fixture(engine, calls, turns_per_call, rescheduled)
        with engine.connect() as connection:
            rows = {"calls": _count(connection, "calls"), "events": _count(connection, "events")}
            booked, moves = (
                _count_kind(connection, kind)
                for kind in ("AppointmentBooked", "AppointmentRescheduled")
            )
        durations: list[float] = []
        # The report reads no encrypted column: a keyring that counts its work proves it.
        meter = CryptoMeter()
        with configured(meter.keyring()):
            reader = read_engine(database_url)
        with example_practice() as practice:
            start, end = FIRST_DAY, FIRST_DAY + timedelta(days=DAYS - 1)
            # The first report of a process also compiles every statement, opens the
            # connections and, with the objects that makes, sets off a full garbage
            # collection: timed, but apart from the steady-state runs.
            began = time.perf_counter()
            build_report(reader, practice, start=start, end=end)
            first = time.perf_counter() - began
            for _ in range(runs):
                began = time.perf_counter()
                report = build_report(reader, practice, start=start, end=end)
                durations.append(time.perf_counter() - began)
        reader.dispose()
    finally:
        engine.dispose()
    p50, slowest = percentile(durations, 50), max(durations)
    return {
        "bench": "report",
        "backend": make_engine_name(database_url),
        "fixture": {
            "calls": rows["calls"],
            "events": rows["events"],
            "bookings": booked,
            "reschedules": moves,
            "build_seconds": round(build_seconds, 2),
        },
        "range": {"from": start.isoformat(), "to": end.isoformat(), "days": DAYS},
        "answered_calls": report.value("answered_calls"),
        "runs": runs,
        "seconds": {
            "first": round(first, 4),
            "p50": round(p50, 4),
            "max": round(slowest, 4),
            "all": [round(d, 4) for d in durations],
        },
        "target_seconds": TARGET_SECONDS,
        "within_target": slowest <= TARGET_SECONDS,
        "encryption_operations": meter.operations,
    }


def make_engine_name(database_url: str) -> str:
    return "postgresql" if database_url.startswith("postgres") else "sqlite"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--calls", type=int, default=DEFAULT_CALLS, metavar="N")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, metavar="N")
    parser.add_argument(
        "--turns-per-call",
        type=int,
        default=2,
        metavar="N",
        help="TurnTaken events per call, to give the events table a realistic bulk",
    )
    parser.add_argument(
        "--rescheduled",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="the share of bookings (0 to 1) moved one to three times before their outcome",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        metavar="URL",
        help="an EMPTY database to fill (default: a temporary SQLite file, removed after)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.calls < 1 or args.runs < 1 or args.turns_per_call < 0:
        raise InvalidInput("--calls and --runs must be at least 1, --turns-per-call 0 or more")
    if not 0 <= args.rescheduled <= 1:
        raise InvalidInput("--rescheduled is a share of bookings, from 0 to 1")
    with scratch_database(args.database_url or None, "report") as url:
        result = run_bench(
            url,
            calls=args.calls,
            runs=args.runs,
            turns_per_call=args.turns_per_call,
            rescheduled=args.rescheduled,
        )
    print_report(result, as_json=args.json)
    return 0
