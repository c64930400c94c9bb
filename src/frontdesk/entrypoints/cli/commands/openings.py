"""`frontdesk openings`: the open slots of the next days, for staff."""

from __future__ import annotations

import argparse

from frontdesk.config import Settings
from frontdesk.domain.practice import ServiceKind
from frontdesk.entrypoints.cli.commands._scheduling import local_iso, opened, slot_json, table
from frontdesk.entrypoints.cli.common import add_practice_option, print_json
from frontdesk.services import openings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "openings",
        description="List every open slot of one appointment kind in the next N days, by "
        "start then clinician, one line per modality; first sessions respect each "
        "clinician's weekly new-client capacity.",
    )
    add_practice_option(parser)
    parser.add_argument("--days", type=int, default=14, metavar="N", help="days ahead (14)")
    parser.add_argument(
        "--kind",
        choices=[kind.value for kind in ServiceKind],
        default=ServiceKind.FIRST_SESSION.value,
        help="appointment kind (first_session)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with opened(args, settings) as ctx:
        slots = openings.open_slots_for(
            kind=ServiceKind(args.kind),
            now=ctx.now,
            days=args.days,
            uow=ctx.uow,
            practice=ctx.practice,
        )
        if args.json:
            print_json([slot_json(slot, ctx.practice) for slot in slots])
        elif not slots:
            print(f"no open {args.kind} slots in the next {args.days} days")
        else:
            rows = [
                [
                    local_iso(s.start, ctx.practice),
                    s.clinician_id,
                    s.modality.value,
                    s.location_id or "-",
                ]
                for s in slots
            ]
            print(table(["START", "CLINICIAN", "MODALITY", "LOCATION"], rows))
    return 0
