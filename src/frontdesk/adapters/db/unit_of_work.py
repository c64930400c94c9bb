"""`SqlAlchemyUnitOfWork`: one database transaction per `with` block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.adapters.db.audit import SqlAuditRepository
from frontdesk.adapters.db.inbound_texts import SqlInboundTextRepository
from frontdesk.adapters.db.people import SqlPersonRepository
from frontdesk.adapters.db.repositories import (
    SqlCallRepository,
    SqlEventRepository,
    SqlHandoffRepository,
    SqlInquiryRepository,
    SqlMessageRepository,
    SqlOptOutRepository,
    SqlTurnRepository,
)
from frontdesk.adapters.db.retention import SqlRetentionRepository
from frontdesk.adapters.db.scheduling_repositories import (
    SqlAppointmentRepository,
    SqlBusyRepository,
    SqlClientRepository,
    SqlOpeningRepository,
    SqlWaitlistRepository,
)
from frontdesk.adapters.db.script_reviews import SqlScriptReviewRepository
from frontdesk.adapters.db.staff import (
    SqlSignInFailureRepository,
    SqlStaffRepository,
    SqlStaffSessionRepository,
)
from frontdesk.domain.errors import Conflict
from frontdesk.domain.events import Event


class SqlAlchemyUnitOfWork:
    """The `UnitOfWork` protocol over a SQLAlchemy session; reusable for one block at a time."""

    calls: SqlCallRepository
    turns: SqlTurnRepository
    inquiries: SqlInquiryRepository
    handoffs: SqlHandoffRepository
    events: SqlEventRepository
    messages: SqlMessageRepository
    opt_outs: SqlOptOutRepository
    inbound_texts: SqlInboundTextRepository
    appointments: SqlAppointmentRepository
    busy: SqlBusyRepository
    clients: SqlClientRepository
    waitlist: SqlWaitlistRepository
    openings: SqlOpeningRepository
    audit: SqlAuditRepository
    script_reviews: SqlScriptReviewRepository
    retention: SqlRetentionRepository
    people: SqlPersonRepository
    staff: SqlStaffRepository
    staff_sessions: SqlStaffSessionRepository
    sign_in_failures: SqlSignInFailureRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._collected: list[Event] = []

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open")
        session = self._session_factory()
        self._session = session
        self.calls = SqlCallRepository(session)
        self.turns = SqlTurnRepository(session)
        self.inquiries = SqlInquiryRepository(session)
        self.handoffs = SqlHandoffRepository(session)
        self.events = SqlEventRepository(session)
        self.messages = SqlMessageRepository(session)
        self.opt_outs = SqlOptOutRepository(session)
        self.inbound_texts = SqlInboundTextRepository(session)
        self.appointments = SqlAppointmentRepository(session)
        self.busy = SqlBusyRepository(session)
        self.clients = SqlClientRepository(session)
        self.waitlist = SqlWaitlistRepository(session)
        self.openings = SqlOpeningRepository(session)
        self.audit = SqlAuditRepository(session)
        self.script_reviews = SqlScriptReviewRepository(session)
        self.retention = SqlRetentionRepository(session)
        self.people = SqlPersonRepository(session)
        self.staff = SqlStaffRepository(session)
        self.staff_sessions = SqlStaffSessionRepository(session)
        self.sign_in_failures = SqlSignInFailureRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self._require_session()
        try:
            self.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        session = self._require_session()
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            self.events.pending.clear()
            # The driver's message quotes row values, which may be sensitive.
            raise Conflict("a concurrent change took the same key; nothing was written") from None
        self._collected.extend(self.events.pending)
        self.events.pending.clear()

    def rollback(self) -> None:
        self._require_session().rollback()
        self.events.pending.clear()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """`SAVEPOINT` … `RELEASE`, or `ROLLBACK TO` it (and its events dropped) on an error."""
        session = self._require_session()
        pending = len(self.events.pending)
        nested = session.begin_nested()
        try:
            yield
        except BaseException:
            nested.rollback()
            del self.events.pending[pending:]
            raise
        nested.commit()

    def collect_events(self) -> list[Event]:
        collected, self._collected = self._collected, []
        return collected

    def _require_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session
