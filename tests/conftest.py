"""Fixtures shared by every test layer: databases on SQLite and, when reachable, PostgreSQL.

`database_url` is an empty database: a SQLite file under `tmp_path`, and a freshly created,
uniquely named PostgreSQL database (marked `postgres`, dropped afterwards). The server is
`postgresql://postgres@127.0.0.1:5432/test` unless `FRONTDESK_TEST_POSTGRES_URL` names
another maintenance database; when none answers, the PostgreSQL cases skip and say why.
`migrated_url` is the same database at the newest migration; `uow` a unit of work on it.

Every database a test opens in this process encrypts with `TEST_KEYRING` (fixed keys, so a
failure reproduces); tests of the development key file step out of it with `unconfigured()`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.engine import normalise_url
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.encryption import Keyring, configured

TEST_KEYRING = Keyring(
    encrypt_id="ktest1",
    keys={"ktest1": bytes(range(32))},
    blind_index_key=bytes(range(32, 64)),
    source="the test keyring",
)

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(autouse=True, scope="session")
def test_keyring() -> Iterator[Keyring]:
    """The keys every engine made by a test uses unless it is given others."""
    with configured(TEST_KEYRING):
        yield TEST_KEYRING


def postgres_database() -> Iterator[str]:
    """Create a uniquely named database on the test server, yield its URL, drop it."""
    admin_url = make_url(normalise_url(os.environ.get("FRONTDESK_TEST_POSTGRES_URL", POSTGRES_URL)))
    name = f"frontdesk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    try:
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            where = f"{admin_url.host or 'localhost'}:{admin_url.port or 5432}"
            pytest.skip(f"PostgreSQL not reachable at {where}: {reason}")
        yield admin_url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'frontdesk.db'}"
    else:
        yield from postgres_database()


@pytest.fixture
def migrated_url(database_url: str) -> str:
    """The `database_url` database brought to the newest migration."""
    upgrade(database_url)
    return database_url


@pytest.fixture
def uow(migrated_url: str) -> Iterator[SqlAlchemyUnitOfWork]:
    """A unit of work on a migrated database; its engine is disposed afterwards."""
    engine = make_engine(migrated_url)
    try:
        yield SqlAlchemyUnitOfWork(make_session_factory(engine))
    finally:
        engine.dispose()
