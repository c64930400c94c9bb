"""`frontdesk call`: talk to the call engine in the terminal, as a caller would.

Type what the caller says; an empty line is silence, `DIGITS: 123` presses keys, and
Ctrl-D hangs up. The agent's lines are printed, with the route and intent of each turn in
a dim status line. The call runs through the real services and database.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bootstrap import Services, build
from frontdesk.config import Settings
from frontdesk.entrypoints.cli.commands.simulate import DEFAULT_CALLER, parse_script
from frontdesk.entrypoints.cli.common import add_practice_option, resolve_practice_path
from frontdesk.services.calls import TurnResult, end_call, handle_turn, start_call

DIM, RESET = "\x1b[2m", "\x1b[0m"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("call", description=__doc__)
    parser.add_argument("--caller", default=DEFAULT_CALLER, metavar="NUMBER")
    add_practice_option(parser)
    parser.set_defaults(handler=run)


def _show(result: TurnResult, out: TextIO, *, color: bool) -> None:
    for text in result.texts:
        print(f"agent> {text}", file=out)
    status = (
        f"[route {result.route.value} · intent {result.intent.value if result.intent else '-'}]"
    )
    print(f"{DIM}{status}{RESET}" if color else status, file=out)
    if result.transfer_to:
        print(f"[transferring to {result.transfer_to}]", file=out)


def converse(services: Services, caller: str | None, source: TextIO, out: TextIO) -> TurnResult:
    """Run one call reading caller lines from `source` until the call ends or input does."""
    color = out.isatty()
    result = start_call(
        external_id=None,
        caller_number=caller,
        at=services.clock(),
        uow=services.uow(),
        context=services.engine,
    )
    _show(result, out, color=color)
    while not result.ended:
        print("you> ", end="", file=out, flush=True)
        line = source.readline()
        if not line:
            print(file=out)
            return end_call(
                call_id=result.call_id,
                at=services.clock(),
                uow=services.uow(),
                context=services.engine,
            )
        turns = parse_script([line]) or []
        if not turns:
            continue
        result = handle_turn(
            call_id=result.call_id,
            event=turns[0].event(services.clock()),
            uow=services.uow(),
            context=services.engine,
        )
        _show(result, out, color=color)
    return result


def run(args: argparse.Namespace, settings: Settings) -> int:
    upgrade(settings.database_url)
    services = build(settings, practice_file=resolve_practice_path(args, settings))
    converse(services, args.caller or None, sys.stdin, sys.stdout)
    return 0
