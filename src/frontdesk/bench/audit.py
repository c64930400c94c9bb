"""`frontdesk bench audit`: the cost of the audit log's hash chain.

On a fresh database (a temporary SQLite file, or an empty PostgreSQL database named by
`--database-url`): W writer threads, each with its own engine (as separate processes
would), append `--appends` entries one transaction each, as a page view records one;
this gives appends per second and the latency of one append, lock wait included. Then the
chain is filled up to `--records` entries with a bulk load (hashes computed as an append
computes them) and `audit verify` walks it whole. Reports the seconds and records per
second of the walk, and exits 1 unless the chain verifies with every record on it.
"""

from __future__ import annotations

import argparse
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import insert

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.db.tables import AuditLogRow
from frontdesk.bench._database import add_database_option, scratch_database
from frontdesk.bench._stats import latency_summary, print_report, run_together
from frontdesk.config import Settings
from frontdesk.domain.audit import AuditEntry, AuditRecord, chain
from frontdesk.domain.errors import InvalidInput
from frontdesk.services import audit

LOAD_BATCH = 5000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", description=__doc__)
    parser.add_argument("--appends", type=int, default=2000, metavar="N")
    parser.add_argument("--writers", type=int, default=4, metavar="W")
    parser.add_argument("--records", type=int, default=100_000, metavar="N")
    add_database_option(parser, "--database-url")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.appends < 1 or args.writers < 1 or args.records < args.appends:
        raise InvalidInput(
            "--appends and --writers must be at least 1, --records at least --appends"
        )
    with scratch_database(args.database_url, "audit") as url:
        report = measure(url, appends=args.appends, writers=args.writers, records=args.records)
    print_report(report, as_json=args.json)
    return 0 if report["chain_ok"] else 1


def _entry(n: int, actor: str, at: datetime) -> AuditEntry:
    return AuditEntry(
        at=at,
        actor=actor,
        action="view",
        object_kind="call",
        object_id=f"{n:032x}",
        source="192.0.2.10",
        detail="part=transcript",
    )


def measure(url: str, *, appends: int, writers: int, records: int) -> dict[str, object]:
    """Concurrent appends, a bulk fill to `records`, and one full `verify` walk."""
    upgrade(url)
    engine = make_engine(url)
    backend = engine.dialect.name
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        if audit.head(uow=uow) is not None:
            raise InvalidInput("the benchmark needs a database with an empty audit log")
        durations: list[float] = []
        lock = threading.Lock()
        barrier = threading.Barrier(writers)
        shares = [appends // writers + (1 if w < appends % writers else 0) for w in range(writers)]

        def write(worker: int, count: int) -> None:
            own = make_engine(url)
            try:
                writer_uow = SqlAlchemyUnitOfWork(make_session_factory(own))
                barrier.wait()
                for n in range(count):
                    started = time.perf_counter()
                    writer_uow_entry = _entry(n, f"user:w{worker}", datetime.now(UTC))
                    with writer_uow:
                        writer_uow.audit.append(writer_uow_entry)
                        writer_uow.commit()
                    with lock:
                        durations.append(time.perf_counter() - started)
            finally:
                own.dispose()

        append_seconds = run_together([partial(write, w, share) for w, share in enumerate(shares)])

        _fill(uow, records)
        started = time.perf_counter()
        report = audit.verify(uow=uow)
        verify_seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    return {
        "backend": backend,
        "writers": writers,
        "appends": appends,
        "appends_per_second": round(appends / append_seconds, 1) if append_seconds else 0.0,
        "append_latency": latency_summary(durations),
        "records": report.records,
        "verify_seconds": round(verify_seconds, 3),
        "verified_per_second": round(report.records / verify_seconds) if verify_seconds else 0,
        "chain_ok": report.ok and report.records == records,
    }


def _fill(uow: SqlAlchemyUnitOfWork, records: int) -> None:
    """Extend the chain to `records` entries in bulk, each hashed as an append hashes it."""
    last: AuditRecord | None = audit.head(uow=uow)
    moment = datetime.now(UTC)
    while last is None or last.seq < records:
        rows = []
        with uow:
            for _ in range(min(LOAD_BATCH, records - (0 if last is None else last.seq))):
                seq = 1 if last is None else last.seq + 1
                last = chain(last, _entry(seq, "worker", moment + timedelta(microseconds=seq)))
                entry = last.entry
                rows.append(
                    {
                        "seq": last.seq,
                        "at": entry.at,
                        "actor": entry.actor,
                        "action": entry.action,
                        "object_kind": entry.object_kind,
                        "object_id": entry.object_id,
                        "source": entry.source,
                        "detail": entry.detail,
                        "prev_hash": last.prev_hash,
                        "hash": last.hash,
                    }
                )
            uow._require_session().execute(insert(AuditLogRow), rows)
            uow.commit()
