"""Alembic migrations shipped inside the package, driven without an alembic.ini.

`upgrade(url)` brings a database to the newest revision (an empty one included);
`current(url)` names the revision a database is at (None before the first migration);
`head()` names the newest revision the code knows.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from frontdesk.adapters.db.engine import make_engine
from frontdesk.adapters.db.tables import metadata

SCRIPT_LOCATION = Path(__file__).resolve().parent
DATABASE_URL_ATTRIBUTE = "frontdesk.database_url"


def alembic_config(database_url: str) -> Config:
    """An Alembic `Config` for this package's migrations against `database_url`.

    The URL travels as an attribute, not an ini option, so `%` in passwords needs no escaping.
    """
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes[DATABASE_URL_ATTRIBUTE] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply every migration up to `revision` (default: the newest)."""
    command.upgrade(alembic_config(database_url), revision)


def current(database_url: str) -> str | None:
    """The revision the database is at, or None if it has never been migrated."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head() -> str:
    """The newest revision shipped with this version of Frontdesk."""
    revision = ScriptDirectory(str(SCRIPT_LOCATION)).get_current_head()
    if revision is None:  # pragma: no cover - the package always ships a first revision
        raise RuntimeError("no migrations found")
    return revision


def run_migrations() -> None:
    """The body of `env.py`: migrate on the engine Frontdesk itself would use for the URL."""
    if context.is_offline_mode():
        raise RuntimeError("offline (SQL script) migrations are not supported")
    url = context.config.attributes.get(DATABASE_URL_ATTRIBUTE)
    if not isinstance(url, str):
        url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to the migrations")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                # SQLite cannot ALTER most things in place; batch mode copies the table.
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
