"""`frontdesk ics export|import`: a clinician's bookings as iCalendar; EHR busy time in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from frontdesk.config import Settings
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.cli.commands._scheduling import opened
from frontdesk.entrypoints.cli.common import add_practice_option
from frontdesk.services import calendar_sync


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ics",
        description="`export` writes one clinician's bookings (a month back, a year ahead) "
        "as an iCalendar feed; AI bookings carry CATEGORIES:FRONTDESK-AI. `import` replaces "
        "the clinician's imported busy time with the events of an iCalendar file.",
    )
    actions = parser.add_subparsers(dest="ics_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write the clinician's bookings as .ics")
    add_practice_option(export)
    export.add_argument("--clinician", required=True, metavar="ID", help="clinician id")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (default stdout)")
    export.set_defaults(handler=run)
    load = actions.add_parser("import", help="replace the clinician's busy time from a .ics file")
    add_practice_option(load)
    load.add_argument("--clinician", required=True, metavar="ID", help="clinician id")
    load.add_argument("file", type=Path, metavar="FILE", help="an iCalendar (.ics) file")
    load.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with opened(args, settings) as ctx:
        if args.ics_action == "export":
            feed = calendar_sync.export_ics(
                clinician_id=args.clinician, at=ctx.now, uow=ctx.uow, practice=ctx.practice
            )
            if args.out is None:
                sys.stdout.buffer.write(feed)
            else:
                args.out.write_bytes(feed)
            return 0
        try:
            data = args.file.read_bytes()
        except OSError:
            raise InvalidInput(f"cannot read {args.file}") from None
        count = calendar_sync.import_ics(
            clinician_id=args.clinician,
            ics_bytes=data,
            at=ctx.now,
            uow=ctx.uow,
            practice=ctx.practice,
        )
        print(f"{args.clinician}: {count} busy intervals imported")
    return 0
