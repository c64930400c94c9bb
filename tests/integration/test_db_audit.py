"""The audit log on SQLite and PostgreSQL: one chain, append-only, tampering found."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.domain.audit import Actor, AuditAction, user_actor
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.handoffs import Handoff
from frontdesk.services import audit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _view(uow: SqlAlchemyUnitOfWork, n: int, *, actor: str = "cli") -> None:
    audit.record_standalone(
        uow=uow,
        actor=actor,
        action=AuditAction.VIEW,
        object_kind="handoff",
        object_id=f"h{n}",
        detail=f"n={n}",
        at=T0 + timedelta(seconds=n),
    )


def test_records_chain_and_verify_on_both_backends(uow: SqlAlchemyUnitOfWork) -> None:
    """Appended records come back in order, chained, and the walk finds nothing broken."""
    for n in range(5):
        _view(uow, n)
    report = audit.verify(uow=uow, batch=2)
    assert report.ok
    assert report.records == 5
    assert report.head is not None
    assert report.head.seq == 5
    assert report.head.entry.at == T0 + timedelta(seconds=4)
    found = audit.entries(uow=uow, object_kind="handoff", object_id="h3")
    assert [r.seq for r in found] == [4]
    assert [r.seq for r in audit.entries(uow=uow, limit=2)] == [5, 4]


def test_a_record_commits_with_its_change_or_not_at_all(uow: SqlAlchemyUnitOfWork) -> None:
    """An entry appended in a unit of work that rolls back leaves no trace; a commit keeps both."""
    task = Handoff(
        id="h" * 32,
        category=HandoffCategory.ADMINISTRATIVE,
        urgency=Urgency.ROUTINE,
        summary="callback",
        created_at=T0,
    )
    with uow:
        uow.handoffs.add(task)
        audit.record(
            uow=uow,
            actor=user_actor("u1"),
            action="create",
            object_kind="handoff",
            object_id=task.id,
        )
        # left without commit
    assert audit.head(uow=uow) is None
    with uow:
        uow.handoffs.add(task)
        audit.record(
            uow=uow,
            actor=user_actor("u1"),
            action="create",
            object_kind="handoff",
            object_id=task.id,
        )
        uow.commit()
    with uow:
        assert uow.handoffs.get(task.id) is not None
        assert uow.audit.count() == 1


def test_an_anchor_stays_on_the_chain_and_a_foreign_one_is_refused(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """The head hash kept earlier is found later; a hash never on the chain is reported."""
    for n in range(3):
        _view(uow, n)
    anchor = audit.head(uow=uow)
    assert anchor is not None
    _view(uow, 3)
    kept = audit.verify(uow=uow, anchor=anchor.hash.upper())
    assert kept.ok
    assert kept.anchor_seq == 3
    foreign = audit.verify(uow=uow, anchor="ab" * 32)
    assert foreign.broken is None
    assert not foreign.ok


def _sqlite_tamper(url: str, statement: str) -> None:
    """Edit the file as someone with write access would: drop the triggers, then change it."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
            connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("statement", "seq"),
    [
        ("UPDATE audit_log SET actor = 'user:someone' WHERE seq = 3", 3),
        ("UPDATE audit_log SET at = '2026-03-01 00:00:00.000000' WHERE seq = 2", 2),
        ("DELETE FROM audit_log WHERE seq = 4", 4),
        ("UPDATE audit_log SET detail = 'called back Jane Doe' WHERE seq = 5", 5),
    ],
)
def test_tampering_with_sqlite_is_found_by_verify(
    uow: SqlAlchemyUnitOfWork, migrated_url: str, statement: str, seq: int
) -> None:
    """An edited or deleted row on SQLite is named by the walk as the first broken record."""
    if not migrated_url.startswith("sqlite"):
        pytest.skip("PostgreSQL refuses the change itself (see the trigger test)")
    for n in range(6):
        _view(uow, n)
    _sqlite_tamper(migrated_url, statement)
    report = audit.verify(uow=uow, batch=2)
    assert not report.ok
    assert report.broken is not None
    assert report.broken.seq == seq


def test_a_rewritten_tail_is_caught_by_the_anchor(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """Deleting the newest records leaves a valid shorter chain, but the stored anchor is gone."""
    if not migrated_url.startswith("sqlite"):
        pytest.skip("PostgreSQL refuses the change itself (see the trigger test)")
    for n in range(4):
        _view(uow, n)
    anchor = audit.head(uow=uow)
    assert anchor is not None
    _sqlite_tamper(migrated_url, "DELETE FROM audit_log WHERE seq = 4")
    report = audit.verify(uow=uow, anchor=anchor.hash)
    assert report.broken is None
    assert report.anchor_seq is None
    assert not report.ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'user:someone' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
        "TRUNCATE audit_log",
    ],
)
def test_the_database_refuses_update_and_delete(
    uow: SqlAlchemyUnitOfWork, migrated_url: str, statement: str
) -> None:
    """Triggers refuse changing or removing audit rows (PostgreSQL also refuses TRUNCATE)."""
    is_sqlite = migrated_url.startswith("sqlite")
    if is_sqlite and statement.startswith("TRUNCATE"):
        pytest.skip("SQLite has no TRUNCATE")
    _view(uow, 1)
    engine = make_engine(migrated_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()
    assert audit.verify(uow=uow).records == 1


def test_concurrent_appends_from_separate_engines_keep_one_chain(migrated_url: str) -> None:
    """Writers on their own connection pools (as separate processes) extend one chain."""
    writers, each = 4, 10
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(worker: int) -> None:
        engine = make_engine(migrated_url)
        try:
            uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
            barrier.wait()
            for n in range(each):
                _view(uow, n, actor=user_actor(f"w{worker}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = make_engine(migrated_url)
    try:
        report = audit.verify(uow=SqlAlchemyUnitOfWork(make_session_factory(engine)), batch=7)
    finally:
        engine.dispose()
    assert report.ok
    assert report.records == writers * each


def test_an_empty_log_verifies(uow: SqlAlchemyUnitOfWork) -> None:
    """A new database has an empty, valid chain and no head."""
    report = audit.verify(uow=uow)
    assert report.ok
    assert report.records == 0
    assert report.head is None
    assert Actor.CLI == "cli"


def _append_from_a_process(url: str, worker: int, each: int) -> None:
    """A separate process appending `each` records through its own engine."""
    engine = make_engine(url)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        for n in range(each):
            _view(uow, n, actor=user_actor(f"p{worker}"))
    finally:
        engine.dispose()


def test_concurrent_appends_from_separate_processes_keep_one_chain(migrated_url: str) -> None:
    """Processes appending at once (the web servers and workers of one deployment) never
    fork the chain: every record follows the one before it."""
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_append_from_a_process, args=(migrated_url, w, 15)) for w in range(3)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0, 0, 0]
    engine = make_engine(migrated_url)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        report = audit.verify(uow=uow)
        actors = {r.entry.actor for r in audit.entries(uow=uow, limit=100)}
    finally:
        engine.dispose()
    assert report.ok
    assert report.records == 45
    assert actors == {"user:p0", "user:p1", "user:p2"}
