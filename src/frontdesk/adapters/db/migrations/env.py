"""Alembic environment: run migrations on the engine Frontdesk would use for the URL."""

from __future__ import annotations

from alembic import context

from frontdesk.adapters.db.engine import make_engine
from frontdesk.adapters.db.migrations import DATABASE_URL_ATTRIBUTE
from frontdesk.adapters.db.tables import metadata


def _database_url() -> str:
    url = context.config.attributes.get(DATABASE_URL_ATTRIBUTE)
    if not isinstance(url, str):
        url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to the migrations")
    return url


def run_migrations_online() -> None:
    engine = make_engine(_database_url())
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


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
