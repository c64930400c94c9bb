"""Engines: URL forms accepted, SQLite configured for safe concurrent use."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from frontdesk.adapters.db import make_engine, normalise_url, sqlite_url
from frontdesk.domain.errors import ConfigurationError


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/fd", "postgresql+psycopg://u:p@db:5432/fd"),
        ("postgresql://u@db/fd", "postgresql+psycopg://u@db/fd"),
        ("postgresql+psycopg://u@db/fd", "postgresql+psycopg://u@db/fd"),
        ("sqlite:///frontdesk.db", "sqlite:///frontdesk.db"),
        ("data/frontdesk.db", "sqlite:///data/frontdesk.db"),
    ],
)
def test_urls_are_normalised_to_the_drivers_frontdesk_uses(given: str, expected: str) -> None:
    """PostgreSQL URLs use psycopg 3 and a bare path names a SQLite file."""
    assert normalise_url(given) == expected


def test_sqlite_url_is_absolute(tmp_path: Path) -> None:
    """`sqlite_url` names the file wherever the process later runs from."""
    assert sqlite_url(tmp_path / "x.db") == f"sqlite:///{tmp_path.resolve()}/x.db"


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    """Every SQLite connection has foreign keys on, WAL journaling and a busy timeout."""
    engine = make_engine(sqlite_url(tmp_path / "x.db"))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    finally:
        engine.dispose()


def test_in_memory_sqlite_is_one_shared_database() -> None:
    """`sqlite://` gives one database that every connection of the engine sees."""
    engine = make_engine("sqlite://")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT x FROM t")).scalar() == 1
    finally:
        engine.dispose()


def test_other_databases_are_refused_by_name() -> None:
    """A MySQL URL is a configuration error that names the backend, not the URL."""
    with pytest.raises(ConfigurationError, match="'mysql'") as caught:
        make_engine("mysql://user:secret@db/fd")
    assert "secret" not in str(caught.value)
