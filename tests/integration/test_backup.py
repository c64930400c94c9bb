"""Backups and restores as docs/deploy.md describes them, on live databases."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from tests.conftest import postgres_database

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.engine import normalise_url
from frontdesk.adapters.db.migrations import head, upgrade
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.domain.records import CallRecord, new_id

T0 = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


def _add_calls(url: str, count: int) -> list[str]:
    engine = make_engine(url)
    ids = [new_id() for _ in range(count)]
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        for call_id in ids:
            with uow:
                uow.calls.add(CallRecord(id=call_id, external_id=f"CA{call_id}", started_at=T0))
                uow.commit()
    finally:
        engine.dispose()
    return ids


def _has_calls(url: str, ids: list[str]) -> bool:
    engine = make_engine(url)
    try:
        require_current_schema(engine)
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with uow:
            return all(uow.calls.get(call_id) is not None for call_id in ids)
    finally:
        engine.dispose()


@pytest.fixture
def two_postgres_databases() -> Iterator[tuple[str, str]]:
    """A database to back up and an empty one to restore into (skipped without a server)."""
    source = postgres_database()
    target = postgres_database()
    try:
        yield next(source), next(target)
    finally:
        for generator in (source, target):
            next(generator, None)


@pytest.mark.postgres
def test_pg_dump_of_a_live_database_restores_whole(
    two_postgres_databases: tuple[str, str], tmp_path: Path
) -> None:
    """`pg_dump -Fc` taken while calls are being written restores with `pg_restore` into an
    empty database at the same schema revision, with every call committed before it."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    source, target = two_postgres_databases
    upgrade(source)
    before = _add_calls(source, 5)
    writing = threading.Thread(target=_add_calls, args=(source, 20))
    writing.start()
    dump = tmp_path / "frontdesk.dump"
    try:
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(source)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        writing.join()
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(target)}", str(dump)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert _has_calls(target, before)


def test_the_sqlite_backup_api_copies_a_live_database(tmp_path: Path) -> None:
    """The SQLite online backup (`Connection.backup`, or `sqlite3 DB ".backup FILE"`) of a
    database in WAL mode, taken while calls are written, opens at the newest schema with
    every call committed before it."""
    source = tmp_path / "frontdesk.db"
    url = f"sqlite:///{source}"
    upgrade(url)
    before = _add_calls(url, 5)
    writing = threading.Thread(target=_add_calls, args=(url, 20))
    writing.start()
    copy = tmp_path / "backup.db"
    try:
        with sqlite3.connect(source) as live, sqlite3.connect(copy) as backup:
            live.backup(backup)
        live.close()
        backup.close()
    finally:
        writing.join()
    copied = f"sqlite:///{copy}"
    assert _has_calls(copied, before)
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("SELECT version_num FROM alembic_version").fetchone() == (head(),)
    check.close()


def _libpq(url: str) -> str:
    """A SQLAlchemy URL as the libpq connection string the PostgreSQL tools take."""
    return (
        make_url(normalise_url(url))
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )
