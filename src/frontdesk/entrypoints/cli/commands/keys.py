"""`frontdesk keys`: make encryption keys, rotate stored values to the newest, verify them.

frontdesk keys generate FILE [--env]   a new key file (0600), or the same as two variables
frontdesk keys add [FILE] [--id ID]    a new key that encrypts from now on; old ones still read
frontdesk keys rotate [--batch N]      re-encrypt every value with the newest key, resumable
frontdesk keys verify [--json]         prove every stored value decrypts; exit 1 if not
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import Engine

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.key_rotation import (
    DEFAULT_BATCH,
    TableRotation,
    Verification,
    pending_rows,
    rotate,
    verify,
)
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.adapters.encryption import Keyring, keyring_of, read_key_file, write_key_file
from frontdesk.bootstrap import settings_keyring
from frontdesk.config import Settings
from frontdesk.domain.audit import Actor, AuditAction
from frontdesk.domain.errors import ConfigurationError, InvalidInput
from frontdesk.entrypoints.cli.common import print_json
from frontdesk.services import audit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "keys",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="keys_action", metavar="ACTION", required=True)

    generate = actions.add_parser("generate", help="write a new key file (mode 0600)")
    generate.add_argument("file", type=Path, nargs="?", metavar="FILE")
    generate.add_argument(
        "--env",
        action="store_true",
        help="print FRONTDESK_ENCRYPTION_KEYS and FRONTDESK_BLIND_INDEX_KEY instead of a file",
    )

    add = actions.add_parser("add", help="add a key that encrypts from now on")
    add.add_argument(
        "file", type=Path, nargs="?", metavar="FILE", help="default: FRONTDESK_KEY_FILE"
    )
    add.add_argument("--id", default=None, metavar="ID", help="the new key's id")
    add.add_argument(
        "--env",
        action="store_true",
        help="print the keys from the environment with a new one, as two variables",
    )

    rotation = actions.add_parser(
        "rotate", help="re-encrypt stored values with the newest key (safe while running)"
    )
    rotation.add_argument("--batch", type=int, default=DEFAULT_BATCH, metavar="N")
    rotation.add_argument("--json", action="store_true", help="print one JSON object")
    rotation.add_argument(
        "--dry-run", action="store_true", help="only count the rows still to re-encrypt"
    )

    check = actions.add_parser("verify", help="prove every stored value decrypts")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.keys_action == "generate":
        return _generate(args)
    if args.keys_action == "add":
        return _add(args, settings)
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        if args.keys_action == "rotate":
            return _rotate(args, engine)
        return _verify(args, engine)
    finally:
        engine.dispose()


def _generate(args: argparse.Namespace) -> int:
    keyring = Keyring.generate()
    if args.env:
        for name, value in keyring.to_environment().items():
            print(f"{name}={value}")
        return 0
    if args.file is None:
        raise InvalidInput("name the key file to write (or use --env)")
    write_key_file(args.file, keyring)
    print(f"wrote {args.file} (mode 0600) with key {keyring.encrypt_id}")
    print("set FRONTDESK_KEY_FILE to it, and back it up apart from the database")
    return 0


def _add(args: argparse.Namespace, settings: Settings) -> int:
    if args.env:
        current = settings_keyring(settings)
        if current is None or settings.key_file is not None:
            raise ConfigurationError(
                "--env adds to FRONTDESK_ENCRYPTION_KEYS and FRONTDESK_BLIND_INDEX_KEY: set them"
            )
        updated = current.with_new_key(args.id)
        for name, value in updated.to_environment().items():
            print(f"{name}={value}")
        return 0
    path: Path | None = args.file or settings.key_file
    if path is None:
        raise InvalidInput("name the key file (or set FRONTDESK_KEY_FILE)")
    updated = read_key_file(path).with_new_key(args.id)
    write_key_file(path, updated, replace=True)
    print(f"added key {updated.encrypt_id} to {path}; new values are encrypted with it")
    print("restart every web process and worker, then run `frontdesk keys rotate`")
    return 0


def _rotate(args: argparse.Namespace, engine: Engine) -> int:
    if args.batch < 1:
        raise InvalidInput("--batch must be at least 1")
    if args.dry_run:
        pending = pending_rows(engine)
        if args.json:
            print_json({"pending": pending})
        else:
            for table, rows in pending.items():
                print(f"{table}: {rows} rows to re-encrypt")
        return 0

    def report(step: TableRotation) -> None:
        if not args.json:
            done = step.rewritten + step.changed_meanwhile
            print(f"{step.table}: {done}/{step.pending}", file=sys.stderr, flush=True)

    keyring = keyring_of(engine.dialect)
    results = rotate(engine, batch=args.batch, progress=report)
    left = pending_rows(engine)
    rewritten = sum(r.rewritten for r in results)
    audit.record_standalone(
        uow=SqlAlchemyUnitOfWork(make_session_factory(engine)),
        actor=Actor.CLI,
        action=AuditAction.KEY_ROTATE,
        object_kind="encryption_key",
        object_id=keyring.encrypt_id,
        detail=f"rows={rewritten:_} left={sum(left.values()):_}",
    )
    if args.json:
        print_json(
            {
                "tables": [
                    {
                        "table": r.table,
                        "pending": r.pending,
                        "rewritten": r.rewritten,
                        "changed_meanwhile": r.changed_meanwhile,
                    }
                    for r in results
                ],
                "left": left,
            }
        )
    else:
        for r in results:
            print(f"{r.table}: {r.rewritten} rows re-encrypted", end="")
            print(f", {r.changed_meanwhile} changed meanwhile" if r.changed_meanwhile else "")
        remaining = sum(left.values())
        print(
            "every value is sealed with the newest key"
            if not remaining
            else (f"{remaining} rows changed while rotating: run `frontdesk keys rotate` again")
        )
    return 0 if not sum(left.values()) else 1


def _verify(args: argparse.Namespace, engine: Engine) -> int:
    result: Verification = verify(engine)
    audit.record_standalone(
        uow=SqlAlchemyUnitOfWork(make_session_factory(engine)),
        actor=Actor.CLI,
        action="key_verify",
        object_kind="database",
        detail=f"values={sum(c.values for c in result.tables):_} "
        f"failures={sum(c.failures for c in result.tables):_}",
    )
    if args.json:
        print_json(
            {
                "ok": result.ok,
                "tables": [
                    {
                        "table": c.table,
                        "rows": c.rows,
                        "values": c.values,
                        "by_key": c.by_key,
                        "plain": c.plain,
                        "failures": c.failures,
                    }
                    for c in result.tables
                ],
                "failures": [
                    {"table": f.table, "row": f.row, "column": f.column, "problem": f.problem}
                    for f in result.failures
                ],
            }
        )
    else:
        for c in result.tables:
            keys = ", ".join(f"{key}: {n}" for key, n in sorted(c.by_key.items())) or "none"
            line = f"{c.table}: {c.rows} rows, {c.values} values (keys {keys})"
            extra = [f"{c.plain} plain"] if c.plain else []
            extra += [f"{c.failures} failing"] if c.failures else []
            print(line + (f"; {', '.join(extra)}" if extra else ""))
        for f in result.failures:
            print(f"FAIL {f.table} {f.row} {f.column}: {f.problem}")
        print("every stored value decrypts" if result.ok else "verification failed")
    return 0 if result.ok else 1
