"""`frontdesk cancel ID`: staff cancel a booked appointment for the client."""

from __future__ import annotations

import argparse

from frontdesk.config import Settings
from frontdesk.entrypoints.cli.commands._scheduling import appointment_json, opened
from frontdesk.entrypoints.cli.common import add_practice_option, print_json
from frontdesk.services import staff_booking
from frontdesk.services.staff_audit import CLI


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "cancel",
        description="Cancel a booked appointment. Inside the practice's notice window it is "
        "recorded as a late cancellation (flagged for staff, never charged); unsent reminders "
        "are withdrawn and the freed time is offered to the waitlist.",
    )
    add_practice_option(parser)
    parser.add_argument("id", metavar="ID", help="the appointment id (`frontdesk appointments`)")
    parser.add_argument("--reason", help="why (kept for staff)")
    parser.add_argument("--json", action="store_true", help="print the appointment as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with opened(args, settings) as ctx:
        cancelled = staff_booking.cancel(
            appointment_id=args.id,
            at=ctx.now,
            uow=ctx.uow,
            practice=ctx.practice,
            by=CLI,
            reason=args.reason,
        )
        if args.json:
            print_json(appointment_json(cancelled, ctx.practice))
        else:
            print(f"{cancelled.id} {cancelled.status.value}")
    return 0
