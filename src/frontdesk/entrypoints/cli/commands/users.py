"""`frontdesk users add|list|disable|enable|reset-password`: staff accounts of the console.

The first admin is made here. A password is typed twice at a prompt, read from standard
input (`--password-stdin`, one line) or generated and printed once (`--generate-password`);
it never goes on the command line, where other users of the machine can see it. The
second factor is set up by the person at their first sign-in.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from datetime import UTC, datetime

from frontdesk.adapters.passwords import Argon2Passwords
from frontdesk.adapters.practice_file import load_practice
from frontdesk.config import Settings
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.staff import Role
from frontdesk.entrypoints.cli.common import add_practice_option, print_json, resolve_practice_path
from frontdesk.entrypoints.cli.database import current_database
from frontdesk.services import staff

ACTOR = "cli"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "users",
        description="Staff accounts of the console. Roles: front_desk, clinician (linked to "
        "a clinician id of the practice file), admin, auditor (read-only).",
    )
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add an account; prints its id")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--clinician", metavar="ID", help="the clinician id (role clinician)")
    add_practice_option(add)
    _password_options(add)
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help="list accounts (never a secret)")
    listing.add_argument("--json", action="store_true", help="one JSON document")
    listing.set_defaults(handler=run_list)

    for name, text, flag in (
        ("disable", "disable an account and end its sessions", True),
        ("enable", "enable a disabled account again", False),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("username")
        action.set_defaults(handler=run_disable, disabled=flag)

    reset = actions.add_parser(
        "reset-password", help="set a new password; ends the account's sessions and lockout"
    )
    reset.add_argument("username")
    reset.add_argument(
        "--reset-second-factor",
        action="store_true",
        help="also forget the authenticator and recovery codes (set up again at sign-in)",
    )
    _password_options(reset)
    reset.set_defaults(handler=run_reset)


def _password_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    source.add_argument(
        "--generate-password", action="store_true", help="make a random password and print it"
    )


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The new password, and whether it was generated (then it is printed)."""
    if args.generate_password:
        return secrets.token_urlsafe(18), True
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InvalidInput("no password on standard input")
        return line, False
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise InvalidInput("the two passwords differ; nothing was changed")
    return first, False


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    clinicians: frozenset[str] = frozenset()
    if args.role == Role.CLINICIAN.value:
        practice = load_practice(resolve_practice_path(args, settings))
        clinicians = frozenset(c.id for c in practice.clinicians)
    password, generated = _password(args)
    with current_database(settings) as uow:
        account = staff.add_user(
            username=args.username,
            password=password,
            role=args.role,
            clinician_id=args.clinician,
            clinicians=clinicians,
            uow=uow,
            passwords=Argon2Passwords(),
            at=datetime.now(UTC),
            actor=ACTOR,
        )
    print(account.id)
    if generated:
        print(f"password: {password}")
    return 0


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    with current_database(settings) as uow:
        accounts = staff.list_users(uow=uow)
    rows = [
        {
            "id": a.id,
            "username": a.user.username,
            "role": a.user.role.value,
            "clinician": a.user.clinician_id,
            "second_factor": a.totp_confirmed,
            "recovery_codes_left": len(a.recovery_codes),
            "disabled": a.disabled,
        }
        for a in accounts
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no staff accounts yet: `frontdesk users add NAME --role admin` makes the first")
        return 0
    for row in rows:
        state = "disabled" if row["disabled"] else "enabled"
        factor = "2FA" if row["second_factor"] else "no 2FA yet"
        linked = f" clinician={row['clinician']}" if row["clinician"] else ""
        print(f"{row['username']:<24} {row['role']:<11} {state:<8} {factor}{linked}")
    return 0


def run_disable(args: argparse.Namespace, settings: Settings) -> int:
    with current_database(settings) as uow:
        account = staff.set_disabled(
            username=args.username,
            disabled=args.disabled,
            uow=uow,
            at=datetime.now(UTC),
            actor=ACTOR,
        )
    print(f"{account.user.username}: {'disabled' if account.disabled else 'enabled'}")
    return 0


def run_reset(args: argparse.Namespace, settings: Settings) -> int:
    password, generated = _password(args)
    with current_database(settings) as uow:
        account = staff.reset_password(
            username=args.username,
            password=password,
            uow=uow,
            passwords=Argon2Passwords(),
            at=datetime.now(UTC),
            actor=ACTOR,
            reset_totp=args.reset_second_factor,
        )
    print(f"{account.user.username}: password changed, sessions ended")
    if generated:
        print(f"password: {password}")
    return 0
