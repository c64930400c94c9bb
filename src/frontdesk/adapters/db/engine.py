"""Engines and sessions for SQLite (the default) and PostgreSQL (psycopg 3), from one URL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from frontdesk.adapters.encryption import (
    Keyring,
    attach,
    configured_keyring,
    keyring_for_database,
)
from frontdesk.domain.errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5
"""A PostgreSQL server that accepts connections and never answers is given up on after this."""
POSTGRES_LOCK_TIMEOUT_MS = 10_000
"""A statement waiting this long for a lock another connection holds fails, so a stuck lock
cannot hold every worker thread (callers are answered at the edge meanwhile)."""


def normalise_url(url: str) -> str:
    """A SQLAlchemy URL: a bare path means a SQLite file; PostgreSQL URLs use psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{url}"
    scheme, rest = url.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


def sqlite_url(path: Path) -> str:
    """The URL of the SQLite database file at `path` (e.g. `frontdesk init DIR`)."""
    return f"sqlite:///{path.resolve()}"


DATABASE_FILE_MODE = 0o600
"""A SQLite file (and so its WAL and shared-memory files, which SQLite creates with the
database's mode) is readable by its owner alone."""


def make_engine(url: str, *, echo: bool = False, keyring: Keyring | None = None) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and real transactions.

    Bound parameters are hidden from every log line and error message the engine makes
    (`hide_parameters`): they carry caller words, names and numbers. The encrypted columns
    use `keyring`, else the configured one (`frontdesk.adapters.encryption.configured`),
    else in development the key file beside a SQLite file. A new SQLite file is created
    0600. Raises `ConfigurationError` (naming only the scheme) for URLs of other databases.
    """
    parsed = make_url(normalise_url(url))
    backend = parsed.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise ConfigurationError(
            f"FRONTDESK_DATABASE_URL: unsupported database {backend!r} (use sqlite or postgresql)"
        )
    in_memory = backend == "sqlite" and parsed.database in (None, "", ":memory:")
    engine = _make(parsed, backend, in_memory=in_memory, echo=echo)
    if backend == "sqlite" and not in_memory:
        path = Path(str(parsed.database))

        @event.listens_for(engine, "do_connect")
        def _create_private(*_args: Any) -> None:
            create_private_file(path)

    attach_keys(engine, keyring)
    return engine


def attach_keys(engine: Engine, keyring: Keyring | None = None) -> None:
    """Give `engine` the keys its encrypted columns use: `keyring`, else the configured
    one, else (development) the key file beside its SQLite file, found or made at first
    use so that an engine never used leaves no file."""
    backend, database = engine.dialect.name, engine.url.database
    chosen = keyring or configured_keyring()
    attach(engine, chosen or (lambda: keyring_for_database(backend, database)))


def create_private_file(path: Path) -> None:
    """Create the SQLite file at `path` empty and 0600 unless it exists (a missing folder
    is left for SQLite to report)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DATABASE_FILE_MODE)
    except (FileExistsError, FileNotFoundError, NotADirectoryError):
        return
    os.close(fd)


def _make(parsed: Any, backend: str, *, in_memory: bool, echo: bool) -> Engine:
    if backend == "postgresql":
        return create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            pool_pre_ping=True,
            connect_args={
                "connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS,
                "options": f"-c lock_timeout={POSTGRES_LOCK_TIMEOUT_MS}",
            },
        )
    options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if in_memory:
        # One connection shared by everyone, or each would see its own empty database.
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    engine = create_engine(parsed, **options)
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock up front: a use case reads then writes, and a deferred
        # transaction that later needs to write fails at once instead of waiting its turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (records are copied out anyway)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
