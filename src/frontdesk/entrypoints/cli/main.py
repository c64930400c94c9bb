"""The `frontdesk` command-line program.

Sub-commands live one per module in `frontdesk.entrypoints.cli.commands`; each exposes
`register(subparsers)` and sets a `handler(args, settings) -> int` default, and only the
module of the command being run is imported. Errors from the core are translated here,
once, into a message on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager

from pydantic import ValidationError

from frontdesk import __version__
from frontdesk.config import Settings
from frontdesk.domain.errors import FrontdeskError
from frontdesk.entrypoints.cli.commands import COMMANDS
from frontdesk.entrypoints.cli.lazy import add_commands

EXIT_USAGE = 2

log = logging.getLogger("frontdesk.cli")


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser for `argv`: every command listed, the one it names fully built."""
    parser = argparse.ArgumentParser(
        prog="frontdesk",
        description="An AI front desk for therapy practices.",
    )
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_commands(subparsers, COMMANDS, argv)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    tokens = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(tokens).parse_args(tokens)
    try:
        settings = Settings()
    except (ValidationError, FrontdeskError) as exc:
        print(f"frontdesk: invalid settings: {exc}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    # Migration progress is noise on a terminal; warnings and errors still show.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        with _settings_keys(settings):
            result: int = args.handler(args, settings)
    except FrontdeskError as exc:
        print(f"frontdesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`frontdesk callbacks --json | head`); stop quietly.
        sys.stderr.close()
        return 0
    except Exception as exc:
        # The one place an unexpected failure meets the user: a line, never a traceback
        # (the traceback goes to the debug log, for whoever asks for it).
        log.debug("%s failed", args.command, exc_info=True)
        print(f"frontdesk: {describe_failure(exc)}", file=sys.stderr)
        return EXIT_USAGE
    return result


def _settings_keys(settings: Settings) -> AbstractContextManager[None]:
    """Every database the command opens uses the keys the settings name, if they name any."""
    # Imported here: many commands never touch the database or its keys.
    from frontdesk.adapters.encryption import configured
    from frontdesk.bootstrap import settings_keyring

    return configured(lambda: settings_keyring(settings))


def describe_failure(exc: Exception) -> str:
    """A one-line account of an unexpected error that never quotes data: SQL statements and
    their parameters are left out, only what the operator can act on is kept."""
    database_errors = sys.modules.get("sqlalchemy.exc")
    if database_errors is not None and isinstance(exc, database_errors.DBAPIError):
        if exc.statement is None or isinstance(exc, database_errors.OperationalError):
            # Connecting failed (or the server went away): the driver's first line names
            # the host and the reason, never a statement or a value.
            reason = str(exc.orig).strip().splitlines()[0] if exc.statement is None else ""
            detail = f": {reason}" if reason else f" ({type(exc.orig).__name__})"
            return f"the database (FRONTDESK_DATABASE_URL) cannot be reached or used{detail}"
        return f"the database refused a statement ({type(exc.orig).__name__})"
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    return (
        f"unexpected {type(exc).__name__}; run with FRONTDESK_LOG_LEVEL=DEBUG to see where it "
        "happened"
    )
