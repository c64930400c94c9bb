"""`frontdesk worker`: send the outbox's due messages (reminders, follow-ups, offers, pages)
and keep the waitlist moving (lapsed offer holds expire, the next entry is asked)."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from types import FrameType

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.key_check import require_usable_keys
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.adapters.notify import build_notifier
from frontdesk.adapters.practice_file import load_practice
from frontdesk.bootstrap import engine_context, load_safety_data
from frontdesk.config import Settings
from frontdesk.deployment import require_ready
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.practice import Practice
from frontdesk.entrypoints.cli.common import add_practice_option, print_json, resolve_practice_path
from frontdesk.services import worker
from frontdesk.services.telephony import VoiceDeps
from frontdesk.services.worker import BatchReport, WorkerPolicy

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 15.0
DEFAULT_BATCH = 50


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "worker",
        description="Send the outbox's due messages through the notifier chosen by "
        "FRONTDESK_NOTIFIER, honouring opt-outs, consent and the practice file's quiet "
        "hours (reminders.quiet_hours). Runs until "
        "interrupted, or once with --once. Each message is sent at most once: one found "
        "mid-send after a crash is marked uncertain and a staff task opened. Every pass "
        "first expires lapsed waitlist offers and texts the next waiting entry.",
    )
    add_practice_option(parser)
    parser.add_argument(
        "--once", action="store_true", help="send everything due now, print totals and exit"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"seconds between passes when running continuously (default {DEFAULT_INTERVAL:g})",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=DEFAULT_BATCH,
        metavar="N",
        help=f"messages claimed per pass (default {DEFAULT_BATCH})",
    )
    parser.add_argument("--json", action="store_true", help="print the totals as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.batch < 1:
        raise InvalidInput("--batch must be at least 1")
    if args.interval <= 0:
        raise InvalidInput("--interval must be positive")
    load_safety_data()  # the worker answers no one yet, but never runs on a broken screen
    practice_file = resolve_practice_path(args, settings)
    require_ready(settings, practice_file)
    practice = load_practice(practice_file)
    notifier = build_notifier(settings, practice)
    policy = WorkerPolicy.for_practice(practice, batch=args.batch)
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        require_usable_keys(engine)  # else every message it claims would fail to open
        sessions = make_session_factory(engine)
        uow = SqlAlchemyUnitOfWork(sessions)
        texts = VoiceDeps(
            uow=lambda: SqlAlchemyUnitOfWork(sessions), context=engine_context(practice)
        )
        owner = worker.default_owner()
        if args.once:
            totals = worker.drain(
                uow=uow,
                notifier=notifier,
                clock=_now,
                owner=owner,
                policy=policy,
                practice=practice,
                texts=texts,
            )
        else:
            totals = _run_until_stopped(
                args.interval, uow, notifier, owner, policy, practice, texts
            )
    finally:
        engine.dispose()
    if args.json:
        print_json(asdict(totals))
    else:
        print(format_totals(totals))
    return 0


def _run_until_stopped(
    interval: float,
    uow: SqlAlchemyUnitOfWork,
    notifier: worker.Notifier,
    owner: str,
    policy: WorkerPolicy,
    practice: Practice,
    texts: VoiceDeps,
) -> BatchReport:
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    log.info("worker %s started; passes every %g s", owner, interval)
    try:
        return worker.run_forever(
            uow=uow,
            notifier=notifier,
            clock=_now,
            owner=owner,
            interval=interval,
            stop=stop,
            policy=policy,
            practice=practice,
            texts=texts,
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def format_totals(report: BatchReport) -> str:
    """`sent 3, suppressed 1, skipped 0, deferred 0, retried 0, failed 0, uncertain 0`."""
    return ", ".join(f"{name} {count}" for name, count in asdict(report).items())


def _now() -> datetime:
    return datetime.now(UTC)
