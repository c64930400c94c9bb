"""Inbound texts claimed by message id on the real database, on both backends: one claim
wins, the answer is read back, and a retried delivery is handled once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from tests.fakes import FakeUnitOfWork
from tests.practice_builders import make_practice
from tests.unit.conversation.engine_fakes import context

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.script_file import default_script_library
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.inbound_texts import InboundStatus, InboundText
from frontdesk.services import sms
from frontdesk.services.telephony import VoiceDeps
from frontdesk.services.unit_of_work import UnitOfWork

T0 = datetime(2026, 3, 2, 14, 30, 15, 123456, tzinfo=UTC)
NUMBER = "+13125550177"
PRACTICE = make_practice(scripts=default_script_library())


def claim(sid: str = "SM1", by: str = "a" * 32) -> InboundText:
    return InboundText(
        message_sid=sid, from_number=NUMBER, received_at=T0, claimed_by=by, claimed_at=T0
    )


@contextmanager
def unit_of_work_on(url: str) -> Iterator[SqlAlchemyUnitOfWork]:
    """A unit of work on its own engine, as another app server would have."""
    engine = make_engine(url)
    try:
        yield SqlAlchemyUnitOfWork(make_session_factory(engine))
    finally:
        engine.dispose()


def test_a_claim_and_its_answer_round_trip(uow: SqlAlchemyUnitOfWork) -> None:
    """A claimed text, then its stored answer, come back exactly as written."""
    with uow:
        uow.inbound_texts.add(claim())
        uow.commit()
    with uow:
        assert uow.inbound_texts.get("SM1") == claim()
        assert uow.inbound_texts.get("SM2") is None
    answered = claim().handled(
        kind="message", reply="We received your message.", handoff_id="h" * 32, at=T0
    )
    with uow:
        uow.inbound_texts.update(answered)
        uow.commit()
    with uow:
        found = uow.inbound_texts.get("SM1", for_update=True)
    assert found == answered
    assert found is not None
    assert found.status is InboundStatus.HANDLED


def test_a_second_claim_of_one_message_id_loses(uow: SqlAlchemyUnitOfWork) -> None:
    """Claiming a message id that is taken is a `Conflict` and leaves the first claim."""
    with uow:
        uow.inbound_texts.add(claim())
        uow.commit()
    with uow, pytest.raises(Conflict):
        uow.inbound_texts.add(claim(by="b" * 32))
    with uow:
        assert uow.inbound_texts.get("SM1") == claim()


def test_updating_an_unknown_text_is_not_found(uow: SqlAlchemyUnitOfWork) -> None:
    """An answer for a text that was never claimed is refused."""
    with uow, pytest.raises(NotFound):
        uow.inbound_texts.update(claim("SM9").released())


def test_concurrent_claims_of_one_message_id_get_one_success(migrated_url: str) -> None:
    """Two servers claiming the same message id at once: one row, one `Conflict`."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(by: str) -> None:
        with unit_of_work_on(migrated_url) as uow:
            barrier.wait()
            try:
                with uow:
                    uow.inbound_texts.add(claim(by=by))
                    uow.commit()
                outcomes.append("claimed")
            except Conflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=take, args=(by * 32,)) for by in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["claimed", "conflict"]


def script(uow: UnitOfWork) -> list[object]:
    """Claims, a lost claim, a rollback, a release and an answer; everything observed."""
    seen: list[object] = []
    with uow:
        uow.inbound_texts.add(claim())
        uow.commit()
    try:
        with uow:
            uow.inbound_texts.add(claim(by="b" * 32))
    except Conflict:
        seen.append("Conflict")
    with uow:
        uow.inbound_texts.update(claim().released())
    with uow:
        seen.append(uow.inbound_texts.get("SM1"))
        uow.inbound_texts.update(claim().released())
        uow.commit()
    with uow:
        seen.append(uow.inbound_texts.get("SM1"))
    return seen


def test_the_fake_behaves_like_the_database(uow: SqlAlchemyUnitOfWork) -> None:
    """`FakeUnitOfWork` keeps and refuses inbound texts as the database does."""
    assert script(FakeUnitOfWork()) == script(uow)


def deliver_on(
    url: str, *, at: datetime = T0, before: Callable[[], object] = list
) -> sms.TextResult:
    """One delivery of the text `SM1`, handled by a server of its own."""
    with unit_of_work_on(url) as uow:
        deps = VoiceDeps(uow=lambda: uow, context=context(practice_=PRACTICE))
        before()
        return sms.receive_text(
            message_sid="SM1", from_number=NUMBER, body="Please call me back", at=at, deps=deps
        )


def test_a_retried_webhook_is_handled_once_on_the_database(migrated_url: str) -> None:
    """Two deliveries of one text racing on two servers open one task between them; the
    other is told it is a duplicate or repeats the same answer, as does a later retry."""
    barrier = threading.Barrier(2)
    results: list[sms.TextResult] = []

    def race() -> None:
        results.append(deliver_on(migrated_url, before=barrier.wait))

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with unit_of_work_on(migrated_url) as uow, uow:
        tasks = uow.handoffs.list_queue()
    # The loser either finds the text in hand or, once the winner finished, its answer.
    handled = next(r for r in results if r.kind is sms.TextKind.MESSAGE)
    assert len(results) == 2
    assert [t.id for t in tasks] == [handled.handoff_id]
    assert all(r in (handled, sms.TextResult(sms.TextKind.DUPLICATE)) for r in results)
    assert deliver_on(migrated_url, at=T0 + timedelta(minutes=5)) == handled
