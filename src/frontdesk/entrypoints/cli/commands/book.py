"""`frontdesk book`: staff book a new or established client by the phone's matching rules."""

from __future__ import annotations

import argparse
from datetime import datetime

from frontdesk.config import Settings
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Modality, Payment, ReminderPreference
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.entrypoints.cli.commands._scheduling import local_iso, opened
from frontdesk.entrypoints.cli.common import add_practice_option, print_json
from frontdesk.services import clients, staff_booking, staff_matching
from frontdesk.services.staff_audit import CLI

SESSION_MODALITIES = [Modality.TELEHEALTH.value, Modality.IN_PERSON.value]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "book",
        description="Book an appointment as staff. The slot must be open and pass the same "
        "matching rules as a caller's (licensure in the client's state, modality, payer "
        "network, age group, new-client capacity); minimum notice does not apply. Give "
        "--client for an established client (`frontdesk clients add`), with --weekly N to "
        "enter N weekly sessions at once (all open, or none booked), or --name for a new "
        "client (stored as an inquiry). The booking is recorded as made by staff.",
    )
    add_practice_option(parser)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--client", metavar="ID|PHONE", help="an established client: id, or their phone number"
    )
    who.add_argument("--name", help="a new client's full name")
    add_slot_options(parser, required=True)
    parser.add_argument(
        "--kind",
        choices=[k.value for k in ServiceKind],
        help="consult, first_session or ongoing (default: ongoing for --client, "
        "first_session for --name)",
    )
    parser.add_argument(
        "--weekly", type=int, default=1, metavar="N", help="N weekly sessions (--client only)"
    )
    parser.add_argument(
        "--state", help="two-letter state the client is in during sessions (needed for video)"
    )
    parser.add_argument("--phone", help="new client's phone number (reminders)")
    parser.add_argument("--email", help="new client's e-mail address")
    parser.add_argument("--age", type=int, help="new client's age")
    parser.add_argument("--pays", choices=[p.value for p in Payment], help="how they pay")
    parser.add_argument("--payer", help="insurance payer id from the practice file")
    parser.add_argument(
        "--remind",
        choices=[*(r.value for r in ReminderPreference), "none"],
        help="reminder channel (sms to the client's number unless told otherwise)",
    )
    parser.add_argument("--json", action="store_true", help="print the booking as JSON")
    parser.set_defaults(handler=run)


def add_slot_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """--clinician, --at, --modality and --location: the slot staff name (--at always)."""
    parser.add_argument("--clinician", required=required, metavar="ID", help="clinician id")
    parser.add_argument(
        "--at",
        required=True,
        metavar="YYYY-MM-DDTHH:MM",
        help="start, in the practice's local time",
    )
    parser.add_argument(
        "--modality", choices=SESSION_MODALITIES, required=required, help="video or the office"
    )
    parser.add_argument("--location", metavar="ID", help="office id (in_person)")


def local_start(text: str, practice: Practice) -> datetime:
    """A start given in the practice's local time (an offset, if given, is honoured)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a time like 2026-03-03T09:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=practice.zone)
    return moment


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.client is None and args.weekly != 1:
        raise InvalidInput("--weekly is for established clients (--client)")
    default_kind = ServiceKind.ONGOING if args.client else ServiceKind.FIRST_SESSION
    kind = ServiceKind(args.kind) if args.kind else default_kind
    remind = None if args.remind in (None, "none") else ReminderPreference(args.remind)
    with opened(args, settings) as ctx:
        slot = staff_booking.slot_at(
            ctx.practice,
            clinician_id=args.clinician,
            start=local_start(args.at, ctx.practice),
            kind=kind,
            modality=Modality(args.modality),
            location_id=args.location,
        )
        if args.client:
            booking = staff_booking.book_client(
                client_id=clients.resolve(reference=args.client, uow=ctx.uow),
                slot=slot,
                at=ctx.now,
                uow=ctx.uow,
                practice=ctx.practice,
                by=CLI,
                weeks=args.weekly,
                state=args.state,
                reminder=None if args.remind == "none" else remind or ReminderPreference.SMS,
            )
        else:
            booking = staff_booking.book_new_client(
                client=staff_matching.NewClient(
                    name=args.name,
                    phone=args.phone,
                    email=args.email,
                    state=args.state,
                    age=args.age,
                    payment=Payment(args.pays) if args.pays else None,
                    payer=args.payer,
                    reminder=remind,
                ),
                slot=slot,
                at=ctx.now,
                uow=ctx.uow,
                practice=ctx.practice,
                by=CLI,
            )
        starts = [
            local_iso(s.start, ctx.practice)
            for s in staff_booking.weekly_slots(slot, len(booking.appointment_ids), ctx.practice)
        ]
    if args.json:
        print_json(
            {
                "appointments": [
                    {"id": i, "start": s}
                    for i, s in zip(booking.appointment_ids, starts, strict=True)
                ],
                "inquiry_id": booking.inquiry_id,
                "source": "staff",
            }
        )
    else:
        for appointment_id, start in zip(booking.appointment_ids, starts, strict=True):
            print(f"{appointment_id} {start} booked")
        if booking.inquiry_id:
            print(f"inquiry {booking.inquiry_id}")
    return 0
