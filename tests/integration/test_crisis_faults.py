"""The crisis path under injected failures, on SQLite and PostgreSQL: a process that stops
part-way never leaves an urgent hand-off without its page, nor a crisis text unhandled, nor
an urgent page held for minutes."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from tests.fakes import FakeNotifier
from tests.faults import Faults, ProcessDied
from tests.practice_builders import make_practice

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.script_file import default_script_library
from frontdesk.bootstrap import engine_context
from frontdesk.conversation.events import CallerSaid
from frontdesk.domain.calls import Urgency
from frontdesk.domain.inbound_texts import CLAIM_TIMEOUT, InboundStatus
from frontdesk.domain.messages import Channel, MessageStatus, OutboundMessage, Purpose
from frontdesk.services import messages, sms, voice, worker
from frontdesk.services.telephony import VoiceDeps
from frontdesk.services.worker import WorkerPolicy

T0 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
CALLER = "+13125550177"
CRISIS_WORDS = "honestly I don't want to live anymore"
PRACTICE = make_practice(scripts=default_script_library())
CONTEXT = engine_context(PRACTICE)


def urgent_and_pages(uow: SqlAlchemyUnitOfWork) -> tuple[list[str], list[str]]:
    """The urgent hand-offs' ids and the hand-off ids that have a page queued."""
    with uow:
        urgent = [h.id for h in uow.handoffs.list_queue() if h.urgency is Urgency.URGENT]
        pages = [
            (m.dedupe_key or "").removeprefix("page:")
            for m in uow.messages.list_all()
            if m.purpose is Purpose.PAGE
        ]
    return urgent, pages


def test_a_crisis_turn_keeps_its_page_when_the_process_dies_right_after_it(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """A process that stops right after committing the turn that found the risk has already
    queued the urgent page with it."""
    deps = VoiceDeps(uow=lambda: uow, context=CONTEXT)
    voice.answer_call(call_sid="CA1", caller_number=CALLER, at=T0, deps=deps)
    dying = VoiceDeps(uow=Faults(lambda: uow, die_after_commits=1), context=CONTEXT)
    event = CallerSaid(T0 + timedelta(seconds=5), CRISIS_WORDS, 0.9)
    with contextlib.suppress(ProcessDied):
        reply = voice.take_turn(call_sid="CA1", seq=1, event=event, deps=dying)
        assert reply.route.is_crisis
    urgent, pages = urgent_and_pages(uow)
    assert len(urgent) == 1
    assert pages == urgent


@pytest.mark.parametrize("commits_before_death", [0, 1, 2])
def test_a_crisis_text_killed_mid_handling_is_handled_on_redelivery(
    uow: SqlAlchemyUnitOfWork, commits_before_death: int
) -> None:
    """Killed at any point, a crisis text leaves all or nothing, and its redelivery ends
    with one urgent hand-off, its page and the stored 988 reply."""
    dying = VoiceDeps(
        uow=Faults(lambda: uow, die_after_commits=commits_before_death), context=CONTEXT
    )
    with contextlib.suppress(ProcessDied):
        sms.receive_text(
            message_sid="SM1", from_number=CALLER, body=CRISIS_WORDS, at=T0, deps=dying
        )
    deps = VoiceDeps(uow=lambda: uow, context=CONTEXT)
    result = sms.receive_text(
        message_sid="SM1",
        from_number=CALLER,
        body=CRISIS_WORDS,
        at=T0 + timedelta(seconds=2),
        deps=deps,
    )
    assert result.kind is sms.TextKind.URGENT
    assert result.reply is not None
    assert "988" in result.reply
    urgent, pages = urgent_and_pages(uow)
    assert urgent == pages == [result.handoff_id]
    with uow:
        found = uow.inbound_texts.get("SM1")
    assert found is not None
    assert found.status is InboundStatus.HANDLED


def test_racing_deliveries_of_a_crisis_text_hand_off_and_page_once(migrated_url: str) -> None:
    """Two servers handling the same crisis text at once open one hand-off and one page,
    and both answer with the same 988 reply."""
    barrier = threading.Barrier(2)
    results: list[sms.TextResult] = []

    def deliver() -> None:
        engine = make_engine(migrated_url)
        try:
            own = SqlAlchemyUnitOfWork(make_session_factory(engine))
            deps = VoiceDeps(uow=lambda: own, context=CONTEXT)
            barrier.wait()
            results.append(
                sms.receive_text(
                    message_sid="SM1", from_number=CALLER, body=CRISIS_WORDS, at=T0, deps=deps
                )
            )
        finally:
            engine.dispose()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert results[0] == results[1]
    engine = make_engine(migrated_url)
    try:
        urgent, pages = urgent_and_pages(SqlAlchemyUnitOfWork(make_session_factory(engine)))
    finally:
        engine.dispose()
    assert urgent == pages == [results[0].handoff_id]


def test_the_worker_sweep_handles_a_text_left_claimed_by_a_dead_server(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """A server that dies right after claiming a text leaves its words with the claim; the
    worker's sweep handles it once the claim is stale and queues the reply as a text. (A
    crisis text is claimed and handled in one commit, so it is never left claimed.)"""
    body = "Please call me back about Tuesday"
    dying = VoiceDeps(uow=Faults(lambda: uow, die_after_commits=1), context=CONTEXT)
    with contextlib.suppress(ProcessDied):
        sms.receive_text(message_sid="SM1", from_number=CALLER, body=body, at=T0, deps=dying)
    deps = VoiceDeps(uow=lambda: uow, context=CONTEXT)
    assert sms.sweep_abandoned(deps=deps, now=T0 + CLAIM_TIMEOUT) == 1
    with uow:
        found = uow.inbound_texts.get("SM1")
        tasks = uow.handoffs.list_queue()
        replies = [m for m in uow.messages.list_all() if m.purpose is Purpose.REPLY]
    assert found is not None
    assert (found.status, found.body) == (InboundStatus.HANDLED, None)
    assert [t.id for t in tasks] == [found.handoff_id]
    assert [(m.to, m.body) for m in replies] == [(CALLER, found.reply)]
    assert sms.sweep_abandoned(deps=deps, now=T0 + 2 * CLAIM_TIMEOUT) == 0


class DiesAfterSending(FakeNotifier):
    """Hands the page to the provider, then the worker's process stops before it can record
    the send."""

    def send(self, message: OutboundMessage) -> str:
        super().send(message)
        raise ProcessDied


ON_CALL, FRONT_DESK = "+15550000001", "+15550000002"
PAGING = WorkerPolicy(zone=UTC, page_numbers=(ON_CALL, FRONT_DESK))


def test_a_page_held_by_a_dead_worker_is_sent_again_seconds_later_to_the_next_number(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """On the database, a worker that dies mid-send holds an urgent page for the urgent lease
    only: a worker running that long after sends a copy to the next page number, and the
    first send is left `uncertain`."""
    page = messages.queue_message(
        uow=uow,
        to=ON_CALL,
        channel=Channel.SMS,
        purpose=Purpose.PAGE,
        body="Frontdesk URGENT: crisis call, hand-off abc12345. Call back +13125550177.",
        at=T0,
        dedupe_key="page:h1",
    )
    with contextlib.suppress(ProcessDied):
        worker.drain(
            uow=uow, notifier=DiesAfterSending(), clock=lambda: T0, owner="w1", policy=PAGING
        )
    assert PAGING.urgent_lease <= timedelta(seconds=60)
    later = T0 + PAGING.urgent_lease + timedelta(seconds=1)
    fresh = FakeNotifier()
    worker.drain(uow=uow, notifier=fresh, clock=lambda: later, owner="w2", policy=PAGING)
    assert [m.to for m in fresh.sent] == [FRONT_DESK]
    with uow:
        found = sorted(uow.messages.list_all(), key=lambda m: (m.created_at, m.attempts))
    assert [(m.to, m.status) for m in found] == [
        (ON_CALL, MessageStatus.UNCERTAIN),
        (FRONT_DESK, MessageStatus.SENT),
    ]
    assert found[0].id == page
