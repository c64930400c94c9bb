"""The outbox on real databases: repositories, concurrent workers, restarts.

Each test runs on SQLite and, when the server is reachable, on PostgreSQL (marker
`postgres`): there several workers share the queue through `FOR UPDATE SKIP LOCKED`.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.domain.errors import Conflict
from frontdesk.domain.messages import (
    Channel,
    MessageStatus,
    OptOut,
    OutboundMessage,
    Purpose,
)
from frontdesk.domain.records import CallRecord
from frontdesk.services import messages, worker
from frontdesk.services.worker import BatchReport, WorkerPolicy

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
BODY = "Reminder: your appointment with Dana is Tuesday at 3 PM."
POLICY = WorkerPolicy(batch=10)


@pytest.fixture
def engine(migrated_url: str) -> Iterator[Engine]:
    engine = make_engine(migrated_url)
    try:
        yield engine
    finally:
        engine.dispose()


def new_uow(engine: Engine) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(make_session_factory(engine))


def message(n: int = 0, **changes: object) -> OutboundMessage:
    values: dict[str, object] = {
        "id": f"{n:032d}",
        "to": f"+1555{n:07d}",
        "channel": Channel.SMS,
        "purpose": Purpose.REMINDER,
        "body": BODY,
        "created_at": NOW,
        "send_after": NOW + timedelta(seconds=n),
        "updated_at": NOW,
    }
    values.update(changes)
    return OutboundMessage(**values)  # type: ignore[arg-type]


class RecordingNotifier:
    """Thread-safe: remembers every message id it was given and by which thread."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def send(self, outbound: OutboundMessage) -> str:
        with self._lock:
            self.sent.append(outbound.id)
            return f"SM{len(self.sent)}"


class SimulatedCrash(Exception):
    """Stands for the process dying after the provider took the message."""


class CrashAfterSending(RecordingNotifier):
    def send(self, outbound: OutboundMessage) -> str:
        super().send(outbound)
        raise SimulatedCrash


def test_messages_round_trip_with_every_field(uow: SqlAlchemyUnitOfWork) -> None:
    """A stored message comes back equal, references and lease included."""
    with uow:
        uow.calls.add(CallRecord(id="c" * 32, started_at=NOW))
        original = message(
            7,
            dedupe_key="reminder:a1:120m",
            call_id="c" * 32,
            appointment_id="a" * 32,
            last_error="twilio_20503",
        ).claimed(owner="host:1", at=NOW, lease=timedelta(minutes=5))
        uow.messages.add(original)
        uow.commit()
    with uow:
        assert uow.messages.get(original.id) == original
        assert uow.messages.get_by_dedupe_key("reminder:a1:120m") == original
        assert uow.messages.get("x" * 32) is None


def test_a_taken_dedupe_key_is_a_conflict(uow: SqlAlchemyUnitOfWork) -> None:
    """Two rows cannot share a dedupe key; the conflict names no value but the id."""
    with uow:
        uow.messages.add(message(1, dedupe_key="k"))
        uow.commit()
    with uow, pytest.raises(Conflict):
        uow.messages.add(message(2, dedupe_key="k"))


def test_due_returns_queued_messages_soonest_first_up_to_the_limit(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """Only queued rows whose time has come, earliest first, at most `limit`."""
    with uow:
        for n in (3, 1, 2, 9):
            uow.messages.add(message(n))
        uow.messages.add(message(4, status=MessageStatus.SENT))
        uow.commit()
    with uow:
        due = uow.messages.due(NOW + timedelta(seconds=5), limit=2)
    assert [m.id for m in due] == [f"{1:032d}", f"{2:032d}"]


def test_stale_finds_claims_and_sends_whose_lease_ended(uow: SqlAlchemyUnitOfWork) -> None:
    """Expired claims and sends are found; live leases and other states are not."""
    lease = timedelta(minutes=5)
    with uow:
        uow.messages.add(message(1).claimed(owner="w", at=NOW, lease=lease))
        uow.messages.add(
            message(2).claimed(owner="w", at=NOW, lease=lease).sending(at=NOW, lease=lease)
        )
        uow.messages.add(message(3).claimed(owner="w", at=NOW + lease, lease=lease))
        uow.messages.add(message(4))
        uow.commit()
    with uow:
        stale = uow.messages.stale(NOW + lease, limit=10)
        statuses = [m.status for m in uow.messages.list_all()]
    assert [m.id for m in stale] == [f"{1:032d}", f"{2:032d}"]
    assert Counter(statuses) == {
        MessageStatus.CLAIMED: 2,
        MessageStatus.SENDING: 1,
        MessageStatus.QUEUED: 1,
    }


def test_messages_of_one_appointment_soonest_first(uow: SqlAlchemyUnitOfWork) -> None:
    """`for_appointment` finds exactly that appointment's messages, by send time."""
    with uow:
        uow.messages.add(message(2, appointment_id="a1"))
        uow.messages.add(message(1, appointment_id="a1"))
        uow.messages.add(message(3, appointment_id="a2"))
        uow.commit()
    with uow:
        found = uow.messages.for_appointment("a1")
    assert [m.id for m in found] == [f"{1:032d}", f"{2:032d}"]


def test_opt_outs_are_added_found_and_removed(uow: SqlAlchemyUnitOfWork) -> None:
    """An opt-out is stored once per number and can be removed again."""
    with uow:
        uow.opt_outs.add(OptOut("+15551234567", NOW, "STOP"))
        uow.commit()
    with uow:
        assert uow.opt_outs.get("+15551234567") == OptOut("+15551234567", NOW, "STOP")
        with pytest.raises(Conflict):
            uow.opt_outs.add(OptOut("+15551234567", NOW, "STOP"))
    with uow:
        assert uow.opt_outs.remove("+15551234567")
        assert not uow.opt_outs.remove("+15551234567")
        uow.commit()
    with uow:
        assert uow.opt_outs.get("+15551234567") is None


def test_several_workers_send_each_of_200_messages_exactly_once(engine: Engine) -> None:
    """Four workers draining one queue at once send every message once and only once."""
    for n in range(200):
        messages.queue_message(
            uow=new_uow(engine),
            to=f"+1555{n:07d}",
            channel=Channel.SMS,
            purpose=Purpose.REMINDER,
            body=BODY,
            at=NOW,
            dedupe_key=f"reminder:{n}",
        )
    notifier = RecordingNotifier()

    def clock() -> datetime:
        return NOW + timedelta(minutes=1)

    reports: list[BatchReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(owner: str) -> None:
        try:
            start.wait()
            report = worker.drain(
                uow=new_uow(engine), notifier=notifier, clock=clock, owner=owner, policy=POLICY
            )
            reports.append(report)
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(notifier.sent) == 200
    assert Counter(notifier.sent).most_common(1)[0][1] == 1
    assert sum(r.sent for r in reports) == 200
    uow = new_uow(engine)
    with uow:
        assert {m.status for m in uow.messages.list_all()} == {MessageStatus.SENT}
        assert len(uow.events.query(kinds=["MessageSent"])) == 200


def test_a_crash_after_sending_is_not_resent_after_restart(engine: Engine) -> None:
    """A worker dies after the provider took a message; a new process later marks it
    uncertain with a staff task and sends it no second time."""
    message_id = messages.queue_message(
        uow=new_uow(engine),
        to="+15551234567",
        channel=Channel.SMS,
        purpose=Purpose.REMINDER,
        body=BODY,
        at=NOW,
    )
    crashing = CrashAfterSending()
    with pytest.raises(SimulatedCrash):
        worker.drain(
            uow=new_uow(engine), notifier=crashing, clock=lambda: NOW, owner="w1", policy=POLICY
        )
    later = NOW + POLICY.lease
    restarted = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        fresh = RecordingNotifier()
        report = worker.drain(
            uow=new_uow(restarted), notifier=fresh, clock=lambda: later, owner="w2", policy=POLICY
        )
        assert report == BatchReport(uncertain=1)
        assert (crashing.sent, fresh.sent) == ([message_id], [])
        uow = new_uow(restarted)
        with uow:
            stored = uow.messages.get(message_id)
            (task,) = uow.handoffs.list_queue()
        assert stored is not None
        assert stored.status is MessageStatus.UNCERTAIN
        assert task.details["message_id"] == message_id
    finally:
        restarted.dispose()


# SQLite serialises whole transactions instead of locking rows, so this is PostgreSQL only.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.postgres
def test_a_second_worker_skips_rows_the_first_has_locked(migrated_url: str) -> None:
    """While one unit of work holds due rows, another sees only the rest (SKIP LOCKED)."""
    engine = make_engine(migrated_url)
    try:
        first, second = new_uow(engine), new_uow(engine)
        with first:
            for n in range(4):
                first.messages.add(message(n))
            first.commit()
        with first, second:
            held = first.messages.due(NOW + timedelta(minutes=1), limit=2)
            rest = second.messages.due(NOW + timedelta(minutes=1), limit=10)
        assert {m.id for m in held}.isdisjoint(m.id for m in rest)
        assert len(held) + len(rest) == 4
    finally:
        engine.dispose()
