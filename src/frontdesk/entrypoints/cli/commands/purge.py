"""`frontdesk purge`: remove or redact what the practice's retention settings say expired."""

from __future__ import annotations

import argparse
from dataclasses import asdict, fields
from datetime import UTC, datetime

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.adapters.practice_file import load_practice
from frontdesk.config import Settings
from frontdesk.domain.audit import Actor
from frontdesk.domain.retention import PurgeCounts, RetainedKind, Retention
from frontdesk.entrypoints.cli.common import add_practice_option, print_json, resolve_practice_path
from frontdesk.services import retention


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "purge",
        description="Remove or redact content older than the practice file's `retention` "
        "settings: transcripts, voicemail transcriptions, handled inbound texts, finished "
        "outbox messages, closed hand-offs. Calls, events and hand-off times stay, so every "
        "report figure is unchanged. The purge is recorded in the audit log; the worker "
        "runs it once a day by itself.",
    )
    add_practice_option(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="count what would go, change nothing"
    )
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    practice = load_practice(resolve_practice_path(args, settings))
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        counts = retention.purge(
            uow=SqlAlchemyUnitOfWork(make_session_factory(engine)),
            retention=practice.retention,
            now=datetime.now(UTC),
            actor=Actor.CLI,
            dry_run=args.dry_run,
        )
    finally:
        engine.dispose()
    if args.json:
        print_json({"dry_run": args.dry_run, **asdict(counts)})
    else:
        print(format_counts(counts, practice.retention, dry_run=args.dry_run))
    return 0


def format_counts(counts: PurgeCounts, policy: Retention, *, dry_run: bool) -> str:
    """One line per kind: how many records went (or would go) and after how many days."""
    verb = "would be removed or redacted" if dry_run else "removed or redacted"
    lines = []
    for item in fields(counts):
        kind = RetainedKind(item.name)
        lines.append(
            f"{kind.value.replace('_', ' ')} (kept {policy.days(kind)} days): "
            f"{getattr(counts, item.name)} {verb}"
        )
    return "\n".join(lines)
