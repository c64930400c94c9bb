"""`frontdesk audit`: check the audit chain, print its anchor, list recent entries."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.config import Settings
from frontdesk.domain.audit import AuditRecord
from frontdesk.entrypoints.cli.common import print_json
from frontdesk.services import audit
from frontdesk.services.audit import ChainReport

EXIT_BROKEN = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "audit",
        description="The audit log of access and changes (never their content). `verify` "
        "walks the hash chain and names the first broken record; `anchor` prints the head "
        "hash to keep somewhere else; `log` lists recent entries.",
    )
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check the chain (exit 1 and name the first broken record if not intact)"
    )
    verify.add_argument(
        "--anchor",
        metavar="HASH",
        help="a head hash printed earlier by `audit anchor`: check it is still on the chain",
    )
    verify.add_argument("--json", action="store_true", help="print one JSON document")
    anchor = actions.add_parser("anchor", help="print the head hash (store it elsewhere)")
    anchor.add_argument("--json", action="store_true", help="print number, time and hash")
    log = actions.add_parser("log", help="list entries, newest first")
    log.add_argument("--kind", metavar="KIND", help="only entries about this object kind")
    log.add_argument("--id", metavar="ID", help="only entries about this object id")
    log.add_argument("--actor", metavar="ACTOR", help="only this actor (e.g. user:ID, cli)")
    log.add_argument("--action", metavar="ACTION", help="only this action (e.g. view, export)")
    log.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50)")
    log.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        if args.audit_action == "verify":
            return _verify(args, uow)
        if args.audit_action == "anchor":
            return _anchor(args, uow)
        found = audit.entries(
            uow=uow,
            object_kind=args.kind,
            object_id=args.id,
            actor=args.actor,
            action=args.action,
            limit=args.limit,
        )
        if args.json:
            print_json([as_json(r) for r in found])
        else:
            print(format_table(found))
        return 0
    finally:
        engine.dispose()


def _verify(args: argparse.Namespace, uow: SqlAlchemyUnitOfWork) -> int:
    report = audit.verify(uow=uow, anchor=args.anchor)
    if args.json:
        print_json(report_json(report))
    else:
        for line in describe(report):
            print(line, file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else EXIT_BROKEN


def _anchor(args: argparse.Namespace, uow: SqlAlchemyUnitOfWork) -> int:
    head = audit.head(uow=uow)
    if args.json:
        print_json(None if head is None else as_json(head))
    elif head is None:
        print("the audit log is empty: nothing to anchor yet", file=sys.stderr)
        return EXIT_BROKEN
    else:
        print(head.hash)
    return 0


def describe(report: ChainReport) -> list[str]:
    """What `audit verify` says: intact with its size and head, or the first break."""
    lines = []
    if report.broken is not None:
        lines.append(
            f"audit chain BROKEN at record {report.broken.seq}: {report.broken.reason} "
            f"({report.records} records before it are intact)"
        )
    elif report.head is None:
        lines.append("audit chain intact: empty")
    else:
        lines.append(
            f"audit chain intact: {report.records} records, head {report.head.seq} "
            f"at {_iso(report.head.entry.at)} hash {report.head.hash}"
        )
    if report.anchor is not None:
        if report.anchor_seq is None:
            lines.append(
                f"anchor {report.anchor} is NOT on the chain: records up to it were "
                "rewritten or removed"
            )
        else:
            lines.append(f"anchor found at record {report.anchor_seq}")
    return lines


def report_json(report: ChainReport) -> dict[str, object]:
    """The verification as plain JSON values."""
    return {
        "ok": report.ok,
        "records": report.records,
        "head": None if report.head is None else as_json(report.head),
        "broken": None
        if report.broken is None
        else {"seq": report.broken.seq, "reason": report.broken.reason},
        "anchor": report.anchor,
        "anchor_seq": report.anchor_seq,
    }


def as_json(record: AuditRecord) -> dict[str, object]:
    """A record as plain JSON values (time in ISO 8601 UTC)."""
    entry = record.entry
    return {
        "seq": record.seq,
        "at": _iso(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "object_kind": entry.object_kind,
        "object_id": entry.object_id,
        "source": entry.source,
        "detail": entry.detail,
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def format_table(records: list[AuditRecord]) -> str:
    """Entries as aligned text columns, newest first."""
    if not records:
        return "no audit entries"
    headers = ["SEQ", "AT", "ACTOR", "ACTION", "OBJECT", "SOURCE", "DETAIL"]
    rows = [
        [
            str(r.seq),
            _iso(r.entry.at),
            r.entry.actor,
            r.entry.action,
            r.entry.object_kind + (f":{r.entry.object_id}" if r.entry.object_id else ""),
            r.entry.source or "-",
            r.entry.detail,
        ]
        for r in records
    ]
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in [headers, *rows]
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
