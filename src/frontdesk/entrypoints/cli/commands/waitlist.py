"""`frontdesk waitlist`: who is waiting, in the order they joined."""

from __future__ import annotations

import argparse

from frontdesk.config import Settings
from frontdesk.domain.audit import Actor, AuditAction
from frontdesk.domain.bookings import WaitlistRecord
from frontdesk.domain.practice import Practice
from frontdesk.entrypoints.cli.commands._scheduling import local_iso, opened, table
from frontdesk.entrypoints.cli.common import add_practice_option, print_json
from frontdesk.services import audit, waitlist


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "waitlist",
        description="List the waiting entries (with --all, booked and removed ones too) "
        "with what each needs and when they are free.",
    )
    add_practice_option(parser)
    parser.add_argument("--all", action="store_true", help="include booked and removed entries")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def entry_json(record: WaitlistRecord, practice: Practice) -> dict[str, object]:
    entry = record.entry
    criteria = entry.criteria
    return {
        "id": entry.id,
        "added_at": local_iso(entry.added_at, practice),
        "status": entry.status.value,
        "kind": entry.kind.value,
        "modality": None if criteria.modality is None else criteria.modality.value,
        "state": criteria.state,
        "payment": None if criteria.payment is None else criteria.payment.value,
        "payer": criteria.payer,
        "age_group": None if criteria.age_group is None else criteria.age_group.value,
        "specialty": criteria.specialty,
        "clinician": criteria.clinician_id,
        "windows": [window.text for window in entry.windows],
        "inquiry_id": record.inquiry_id,
        "client_id": record.client_id,
    }


def run(args: argparse.Namespace, settings: Settings) -> int:
    with opened(args, settings) as ctx:
        records = waitlist.list_entries(uow=ctx.uow, waiting_only=not args.all)
        found = [entry_json(r, ctx.practice) for r in records]
        audit.record_standalone(
            uow=ctx.uow,
            actor=Actor.CLI,
            action=AuditAction.VIEW,
            object_kind="waitlist",
            detail=f"scope={'all' if args.all else 'waiting'} rows={len(found)}",
            at=ctx.now,
        )
        if args.json:
            print_json(found)
        elif not found:
            print("nobody is waiting")
        else:
            rows = [
                [
                    str(e["id"]),
                    str(e["added_at"]),
                    str(e["status"]),
                    str(e["kind"]),
                    str(e["modality"] or "-"),
                    str(e["payer"] or e["payment"] or "-"),
                    "; ".join(str(w) for w in e["windows"]) or "any time",  # type: ignore[attr-defined]
                ]
                for e in found
            ]
            print(table(["ID", "ADDED", "STATUS", "KIND", "MODALITY", "PAYS", "WINDOWS"], rows))
    return 0
