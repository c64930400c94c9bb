"""The database adapter: SQLAlchemy models, repositories, unit of work and migrations.

engine = make_engine(settings.database_url)
uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
"""

from __future__ import annotations

from frontdesk.adapters.db.engine import (
    make_engine,
    make_session_factory,
    normalise_url,
    sqlite_url,
)
from frontdesk.adapters.db.unit_of_work import SqlAlchemyUnitOfWork

__all__ = [
    "SqlAlchemyUnitOfWork",
    "make_engine",
    "make_session_factory",
    "normalise_url",
    "sqlite_url",
]
