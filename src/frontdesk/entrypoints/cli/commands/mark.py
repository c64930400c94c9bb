"""`frontdesk mark ID STATUS`: record attendance for an appointment."""

from __future__ import annotations

import argparse

from frontdesk.config import Settings
from frontdesk.domain.appointments import OUTCOMES, AppointmentStatus
from frontdesk.entrypoints.cli.commands._scheduling import appointment_json, opened
from frontdesk.entrypoints.cli.common import add_practice_option, print_json
from frontdesk.services import staff_booking
from frontdesk.services.staff_audit import CLI


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "mark",
        description="Record what happened to an appointment. Nothing is charged: a late "
        "cancellation is flagged for staff.",
    )
    add_practice_option(parser)
    parser.add_argument("id", metavar="ID", help="the appointment id (`frontdesk appointments`)")
    parser.add_argument(
        "status", metavar="STATUS", choices=sorted(s.value for s in OUTCOMES), help="the outcome"
    )
    parser.add_argument("--json", action="store_true", help="print the appointment as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with opened(args, settings) as ctx:
        marked = staff_booking.mark(
            appointment_id=args.id,
            status=AppointmentStatus(args.status),
            at=ctx.now,
            uow=ctx.uow,
            by=CLI,
        )
        if args.json:
            print_json(appointment_json(marked, ctx.practice))
        else:
            print(f"{marked.id} {marked.status.value}")
    return 0
