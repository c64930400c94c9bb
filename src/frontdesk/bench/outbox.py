"""`frontdesk bench outbox`: outbox worker throughput and the exactly-once check under load.

Queues N synthetic reminders on a fresh database (a temporary SQLite file, or a PostgreSQL
database named by `--database`, whose outbox tables must be empty), then lets W worker
threads drain the queue at once through a notifier that only counts. Reports messages per
second (claim, hand-over commit, send and record), how the work was shared, and how many
messages were sent more than once or not at all (both must be zero; exit status 1 if not).
"""

from __future__ import annotations

import argparse
import threading
from collections import Counter
from datetime import UTC, datetime
from functools import partial

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bench._database import add_database_option, scratch_database
from frontdesk.bench._stats import print_report, run_together
from frontdesk.config import Settings
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.messages import Channel, MessageStatus, OutboundMessage, Purpose
from frontdesk.services import messages, worker
from frontdesk.services.worker import WorkerPolicy

BODY = "Reminder: your appointment is Tuesday at 3 PM. Reply C to confirm or R to reschedule."


class _CountingNotifier:
    """Counts each message id handed over, and by which worker; sends nothing."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.by_worker: Counter[str] = Counter()
        self._lock = threading.Lock()

    def send(self, message: OutboundMessage) -> str:
        with self._lock:
            self.sent[message.id] += 1
            self.by_worker[message.lease_owner or "?"] += 1
            return f"bench-{message.id}"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "outbox",
        description=__doc__,
    )
    parser.add_argument("--messages", type=int, default=1000, metavar="N")
    parser.add_argument("--workers", type=int, default=4, metavar="W")
    parser.add_argument("--batch", type=int, default=50, metavar="N")
    add_database_option(parser, "--database")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.messages < 1 or args.workers < 1 or args.batch < 1:
        raise InvalidInput("--messages, --workers and --batch must be at least 1")
    with scratch_database(args.database, "outbox") as url:
        report = measure(url, messages_count=args.messages, workers=args.workers, batch=args.batch)
    print_report(report, as_json=args.json)
    return 0 if report["duplicates"] == 0 and report["missing"] == 0 else 1


def measure(url: str, *, messages_count: int, workers: int, batch: int) -> dict[str, object]:
    """Queue, drain with `workers` threads, and check every message went out exactly once."""
    upgrade(url)
    engine = make_engine(url)
    backend = engine.dialect.name
    try:
        factory = make_session_factory(engine)
        now = datetime.now(UTC)
        uow = SqlAlchemyUnitOfWork(factory)
        with uow:
            if uow.messages.list_all():
                raise InvalidInput("the benchmark needs a database with an empty outbox")
            for n in range(messages_count):
                messages.enqueue(
                    uow,
                    to=f"+1555{n % 10_000_000:07d}",
                    channel=Channel.SMS,
                    purpose=Purpose.REMINDER,
                    body=BODY,
                    at=now,
                    dedupe_key=f"bench:{n}",
                )
            uow.commit()
        notifier = _CountingNotifier()
        policy = WorkerPolicy(batch=batch)
        barrier = threading.Barrier(workers)

        def clock() -> datetime:
            return datetime.now(UTC)

        def work(owner: str) -> None:
            barrier.wait()
            worker.drain(
                uow=SqlAlchemyUnitOfWork(factory),
                notifier=notifier,
                clock=clock,
                owner=owner,
                policy=policy,
            )

        elapsed = run_together([partial(work, f"bench-{i}") for i in range(workers)])
        with uow:
            rows = uow.messages.list_all()
        sent_rows = sum(1 for row in rows if row.status is MessageStatus.SENT)
    finally:
        engine.dispose()
    return {
        "backend": backend,
        "messages": messages_count,
        "workers": workers,
        "batch": batch,
        "seconds": round(elapsed, 3),
        "messages_per_second": round(messages_count / elapsed, 1) if elapsed else 0.0,
        "sent_by_worker": dict(sorted(notifier.by_worker.items())),
        "sent_rows": sent_rows,
        "duplicates": sum(count - 1 for count in notifier.sent.values() if count > 1),
        "missing": messages_count - len(notifier.sent),
    }
