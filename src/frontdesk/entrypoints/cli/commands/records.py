"""`frontdesk records`: a person's records on request, exported as JSON or erased."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.config import Settings
from frontdesk.domain.audit import Actor
from frontdesk.domain.errors import InvalidInput
from frontdesk.services import records
from frontdesk.services.records import PersonRecords

FORMAT = "frontdesk-person-records/1"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "records",
        description="A person's records on request. `export` writes everything held about "
        "them as one JSON document; `erase` redacts them where the practice may (see "
        "docs/privacy.md). Both are recorded in the audit log.",
    )
    actions = parser.add_subparsers(dest="records_action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write everything held about a person (JSON)")
    erase = actions.add_parser("erase", help="redact a person's records where the practice may")
    for action in (export, erase):
        who = action.add_mutually_exclusive_group(required=True)
        who.add_argument("--phone", metavar="NUMBER", help="the person's phone number")
        who.add_argument("--client", metavar="ID", help="an established client's id")
    export.add_argument(
        "--out", metavar="FILE", type=Path, help="write to FILE (created 0600), not stdout"
    )
    erase.add_argument(
        "--yes", action="store_true", help="erase without asking (required when not a terminal)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.records_action == "erase" and not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInput("erasing cannot be undone: add --yes to confirm")
        answer = input("Erasing cannot be undone. Type 'erase' to go on: ")
        if answer.strip() != "erase":
            print("nothing erased", file=sys.stderr)
            return 1
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        if args.records_action == "export":
            found = records.export(
                uow=uow, actor=Actor.CLI, phone=args.phone, client_id=args.client
            )
            _write(as_json(found), args.out)
            return 0
        found = records.erase(uow=uow, actor=Actor.CLI, phone=args.phone, client_id=args.client)
    finally:
        engine.dispose()
    kept = {b.appointment.client.client_id for b in found.appointments}
    print(f"erased: {found.counts()}")
    print(
        f"kept: {len(found.appointments)} appointments (billing records), "
        f"{sum(1 for c in found.clients if c.id in kept)} client records with appointments, "
        f"{'the opt-out' if found.opt_out else 'no opt-out'}"
    )
    return 0


def _write(document: dict[str, Any], out: Path | None) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    # Created owner-only from the start: the file holds everything about a person.
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {out}", file=sys.stderr)


def _plain(value: Any) -> Any:
    """A record as JSON values: dataclasses as objects, enums by value, times in ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def as_json(found: PersonRecords) -> dict[str, Any]:
    """The export document: its format, then every kind of record in full."""
    return {"format": FORMAT, **_plain(found)}
