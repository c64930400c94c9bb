"""The `frontdesk` command-line program.

Sub-commands live one per module in `frontdesk.entrypoints.cli.commands`; each exposes
`register(subparsers)` and sets a `handler(args, settings) -> int` default. Errors from the
core are translated here, once, into a message on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from frontdesk import __version__
from frontdesk.config import Settings
from frontdesk.domain.errors import FrontdeskError
from frontdesk.entrypoints.cli import commands

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk",
        description="An AI front desk for therapy practices.",
    )
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
    return result
