"""Refuse to work on a database whose schema is not the one this code was written for."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from frontdesk.adapters.db.migrations import head
from frontdesk.domain.errors import ConfigurationError

VERSION_TABLE = "alembic_version"


def require_current_schema(engine: Engine) -> None:
    """Raise `ConfigurationError` unless the database is at the newest migration."""
    with engine.connect() as connection:
        revision = schema_revision(connection)
    expected = head()
    if revision != expected:
        raise ConfigurationError(
            f"the database schema is at revision {revision or 'none'}, this version needs "
            f"{expected}: run `frontdesk migrate`"
        )


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision recorded in the database, read quietly (None if never migrated)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    revisions = list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return revisions[0] if len(revisions) == 1 else None
