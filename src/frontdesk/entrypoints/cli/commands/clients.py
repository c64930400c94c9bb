"""`frontdesk clients add`: seed the established clients callers are verified against."""

from __future__ import annotations

import argparse
from datetime import date

from frontdesk.config import Settings
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.cli.commands._scheduling import opened
from frontdesk.entrypoints.cli.common import add_practice_option
from frontdesk.services import clients


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "clients",
        description="An existing client is verified by the number they call from, their "
        "name and their date of birth before any appointment is disclosed or changed.",
    )
    actions = parser.add_subparsers(dest="clients_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a client; prints the new client id")
    add_practice_option(add)
    add.add_argument("--name", required=True, help="full name as the client says it")
    add.add_argument("--dob", required=True, metavar="YYYY-MM-DD", help="date of birth")
    add.add_argument("--phone", required=True, help="phone number (E.164, or 10 US digits)")
    add.add_argument("--email", help="e-mail address for reminders")
    add.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        born = date.fromisoformat(args.dob)
    except ValueError:
        raise InvalidInput("--dob is not a date like 1990-04-12") from None
    with opened(args, settings) as ctx:
        client_id = clients.add(
            name=args.name,
            date_of_birth=born,
            phone=args.phone,
            email=args.email,
            at=ctx.now,
            uow=ctx.uow,
        )
    print(client_id)
    return 0
