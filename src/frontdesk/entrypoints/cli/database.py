"""The database a command works on, opened for the length of the command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.config import Settings


@contextmanager
def current_database(settings: Settings) -> Iterator[SqlAlchemyUnitOfWork]:
    """A unit of work on the settings' database, refused unless it is at the newest schema."""
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        yield SqlAlchemyUnitOfWork(make_session_factory(engine))
    finally:
        engine.dispose()
