"""`frontdesk demo`: the example practice, alive, in a browser.

The first run writes the fictional example practice into a folder (practice file, script
library, SQLite database), then builds a realistic history by driving the real services
(`frontdesk demo-data`). Every run then serves the web application with the call
simulator, the staff console, the report and the ROI calculator, and prints their
addresses with the sign-in of the demo's admin account (`demo`, a new random password on
every run).
"""

from __future__ import annotations

import argparse
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.passwords import Argon2Passwords
from frontdesk.bootstrap import load_safety_data
from frontdesk.config import Environment, Settings
from frontdesk.domain.errors import ConfigurationError
from frontdesk.entrypoints.cli.commands import demo_data, init, serve
from frontdesk.entrypoints.cli.common import PRACTICE_FILE_NAME
from frontdesk.services import staff

DEFAULT_DIRECTORY = Path("demo")
HISTORY_DAYS = 60
CALLS_PER_MONTH = 360
SEED = 7
DEMO_ADMIN = "demo"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIRECTORY,
        metavar="DIR",
        help=f"where the demo practice lives (default ./{DEFAULT_DIRECTORY})",
    )
    parser.add_argument("--host", default=serve.DEFAULT_HOST, help="address to serve on")
    parser.add_argument("--port", type=int, default=serve.DEFAULT_PORT, help="port to serve on")
    parser.add_argument(
        "--days",
        type=int,
        default=HISTORY_DAYS,
        metavar="N",
        help=f"days of demo history built on the first run (default {HISTORY_DAYS})",
    )
    parser.add_argument(
        "--no-serve",
        action="store_true",
        help="prepare the practice and its history, then stop",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.environment is Environment.PRODUCTION:
        raise ConfigurationError("frontdesk demo is not for FRONTDESK_ENVIRONMENT=production")
    load_safety_data()  # a broken screen stops the demo before it writes or builds anything
    directory: Path = args.dir
    practice_path = directory / PRACTICE_FILE_NAME
    demo_settings = Settings(
        database_url=init.database_url_for(directory, settings),
        practice_file=practice_path,
        simulator_enabled=True,
    )

    if not practice_path.is_file():
        status = init.run(argparse.Namespace(directory=directory, force=False), demo_settings)
        if status != 0:
            return status
    upgrade(demo_settings.database_url)

    if _has_no_calls(demo_settings.database_url):
        print(f"Building {args.days} days of demo activity through the real services…")
        history = argparse.Namespace(
            days=args.days,
            calls_per_month=CALLS_PER_MONTH,
            seed=SEED,
            until=None,
            practice=practice_path,
        )
        with _quiet("frontdesk"):  # a line per turn of ~700 calls would bury the addresses
            status = demo_data.run(history, demo_settings)
        if status != 0:
            return status

    password = _demo_admin(demo_settings.database_url)
    base = f"http://{args.host}:{args.port}"
    print()
    print(f"Demo practice: {practice_path}")
    print(f"  staff console:  {base}/  (sign in as {DEMO_ADMIN} / {password})")
    print(f"  call simulator: {base}/simulator")
    print(f"  report:         {base}/reports")
    print(f"  ROI calculator: {base}/roi")
    print(f"  API document:   {base}/openapi.json")
    print("From a shell, the other commands reach the demo practice with:")
    print(f"  export FRONTDESK_PRACTICE_FILE={practice_path.resolve()}")
    if "database_url" not in settings.model_fields_set:  # else it is already exported
        print(f"  export FRONTDESK_DATABASE_URL={demo_settings.database_url}")
    if args.no_serve:
        return 0
    print("Serving; Ctrl-C stops.")
    return serve.run(
        argparse.Namespace(host=args.host, port=args.port, migrate=False, practice=practice_path),
        demo_settings,
    )


def _demo_admin(database_url: str) -> str:
    """A fresh random password for the demo's admin account (made on the first run): the
    demo never has a known default password."""
    password = secrets.token_urlsafe(12)
    engine = make_engine(database_url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    at = datetime.now(UTC)
    try:
        with uow:
            exists = uow.staff.get_by_username(DEMO_ADMIN) is not None
        if exists:
            staff.reset_password(
                username=DEMO_ADMIN,
                password=password,
                uow=uow,
                passwords=Argon2Passwords(),
                at=at,
                actor="cli",
            )
        else:
            staff.add_user(
                username=DEMO_ADMIN,
                password=password,
                role="admin",
                clinician_id=None,
                clinicians=(),
                uow=uow,
                passwords=Argon2Passwords(),
                at=at,
                actor="cli",
            )
    finally:
        engine.dispose()
    return password


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Informational log lines of `name` withheld for the block (warnings still shown)."""
    logger = logging.getLogger(name)
    level = logger.level
    if logger.getEffectiveLevel() < logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _has_no_calls(database_url: str) -> bool:
    """True for a fresh demo database, so the history is built only once."""
    engine = make_engine(database_url)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with uow:
            epoch = datetime(1970, 1, 1, tzinfo=UTC)
            return not uow.calls.list_started_between(epoch, datetime.now(UTC))
    finally:
        engine.dispose()
