"""`frontdesk migrate`: bring the database at FRONTDESK_DATABASE_URL to the newest schema."""

from __future__ import annotations

import argparse

from frontdesk.adapters.db import migrations
from frontdesk.config import Settings
from frontdesk.entrypoints.cli.common import print_json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "migrate",
        description="Apply every pending migration to the database at FRONTDESK_DATABASE_URL "
        "(SQLite file by default) and print the revision it is now at.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    before = migrations.current(settings.database_url)
    migrations.upgrade(settings.database_url)
    after = migrations.current(settings.database_url)
    if args.json:
        print_json({"from": before, "to": after, "changed": before != after})
    elif before == after:
        print(f"database already at revision {after}")
    else:
        print(f"database migrated from revision {before or 'none'} to {after}")
    return 0
