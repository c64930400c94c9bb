"""`frontdesk move ID`: staff move a booked appointment to another open time."""

from __future__ import annotations

import argparse

from frontdesk.config import Settings
from frontdesk.domain.errors import NotFound
from frontdesk.domain.inquiries import Modality
from frontdesk.entrypoints.cli.commands._scheduling import appointment_json, opened
from frontdesk.entrypoints.cli.commands.book import add_slot_options, local_start
from frontdesk.entrypoints.cli.common import add_practice_option, print_json
from frontdesk.services import appointments, staff_booking
from frontdesk.services.staff_audit import CLI


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "move",
        description="Move a booked appointment to another time (by default with the same "
        "clinician, the same way and at the same office). The new time must be open and "
        "fit the client as a booking would; the old time is offered to the waitlist.",
    )
    add_practice_option(parser)
    parser.add_argument("id", metavar="ID", help="the appointment id (`frontdesk appointments`)")
    add_slot_options(parser, required=False)
    parser.add_argument("--reason", help="why it moved (kept for staff)")
    parser.add_argument("--json", action="store_true", help="print the new appointment as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with opened(args, settings) as ctx:
        current = appointments.get(appointment_id=args.id, uow=ctx.uow)
        if current is None:
            raise NotFound(f"no appointment {args.id}")
        old = current.appointment
        modality = Modality(args.modality) if args.modality else old.modality
        same_way = modality is old.modality and (args.clinician or old.clinician_id) == (
            old.clinician_id
        )
        slot = staff_booking.slot_at(
            ctx.practice,
            clinician_id=args.clinician or old.clinician_id,
            start=local_start(args.at, ctx.practice),
            kind=old.kind,
            modality=modality,
            location_id=args.location or (old.location_id if same_way else None),
        )
        new_id = staff_booking.move(
            appointment_id=args.id,
            slot=slot,
            at=ctx.now,
            uow=ctx.uow,
            practice=ctx.practice,
            by=CLI,
            reason=args.reason,
        )
        moved = appointments.get(appointment_id=new_id, uow=ctx.uow)
        assert moved is not None
        if args.json:
            print_json(appointment_json(moved.appointment, ctx.practice))
        else:
            print(f"{args.id} moved to {new_id}")
    return 0
