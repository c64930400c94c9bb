"""`frontdesk appointments`: appointments in a date range, any status, for staff."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta

from frontdesk.config import Settings
from frontdesk.domain.audit import Actor, AuditAction
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.cli.commands._scheduling import (
    appointment_json,
    local_iso,
    opened,
    table,
)
from frontdesk.entrypoints.cli.common import add_practice_option, print_json
from frontdesk.services import appointments, audit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "appointments",
        description="List appointments starting between two local dates (inclusive), any "
        "status, by start, each with who booked it (AI or staff): AI bookings are the ones "
        "staff mirror into the EHR.",
    )
    add_practice_option(parser)
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (today)")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (+14 days)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def _day(text: str | None, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date like 2026-03-02") from None


def run(args: argparse.Namespace, settings: Settings) -> int:
    with opened(args, settings) as ctx:
        zone = ctx.practice.zone
        today = ctx.now.astimezone(zone).date()
        first = _day(args.start, today)
        last = _day(args.end, first + timedelta(days=14))
        if last < first:
            raise InvalidInput("--to is before --from")
        start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        records = appointments.list_between(start=start, end=end, uow=ctx.uow)
        found = [r.appointment for r in records]
        audit.record_standalone(
            uow=ctx.uow,
            actor=Actor.CLI,
            action=AuditAction.VIEW,
            object_kind="appointment_list",
            detail=f"from={first.isoformat()} to={last.isoformat()} rows={len(found)}",
            at=ctx.now,
        )
        if args.json:
            print_json([appointment_json(a, ctx.practice) for a in found])
        elif not found:
            print(f"no appointments from {first} to {last}")
        else:
            rows = [
                [
                    a.id,
                    local_iso(a.start, ctx.practice),
                    a.kind.value,
                    a.clinician_id,
                    a.modality.value,
                    a.status.value + (" (late)" if a.late else ""),
                    a.made_by,
                ]
                for a in found
            ]
            print(table(["ID", "START", "KIND", "CLINICIAN", "MODALITY", "STATUS", "BY"], rows))
    return 0
