"""Purge on SQLite and PostgreSQL: expired words go, recent ones stay, the report does not move."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Text, cast, select
from tests.fakes import FakeUnitOfWork
from tests.integration.test_report import PRACTICE, write_history

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine
from frontdesk.adapters.db.tables import (
    CallRow,
    HandoffRow,
    InboundTextRow,
    InquiryRow,
    OutboundMessageRow,
    TurnRow,
)
from frontdesk.analytics.report import build_report
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.handoffs import AttemptOutcome, CallbackAttempt, Handoff
from frontdesk.domain.inbound_texts import InboundStatus, InboundText
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.messages import Channel, MessageStatus, OutboundMessage, Purpose
from frontdesk.domain.records import CallRecord, CallStatus, InquiryRecord, TurnRecord
from frontdesk.domain.retention import REDACTED_SUMMARY, PurgeCounts, Retention
from frontdesk.services import audit, retention
from frontdesk.services.unit_of_work import UnitOfWork

NAME = "Wilhelmina Quarrington"
NUMBER = "+15035550187"
WORDS = "my sister keeps having panic attacks at the bakery"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=200)
RECENT = NOW - timedelta(hours=3)
ONE_DAY = Retention(
    transcripts_days=1,
    voicemail_transcriptions_days=1,
    inbound_texts_days=1,
    finished_outbox_days=1,
    closed_handoffs_days=1,
)


def _call(uow: UnitOfWork, call_id: str, at: datetime) -> None:
    uow.calls.add(
        CallRecord(
            id=call_id,
            started_at=at,
            ended_at=at + timedelta(minutes=5),
            caller_number=NUMBER,
            status=CallStatus.ENDED,
            state={"said": WORDS, "name": NAME},
        )
    )
    uow.turns.add(
        TurnRecord(
            call_id=call_id, seq=0, at=at, caller_text=WORDS, digits="5550187", agent_text=NAME
        )
    )
    uow.inquiries.add(
        InquiryRecord(
            id=f"inq-{call_id}",
            created_at=at,
            updated_at=at,
            call_id=call_id,
            intake=Intake(client_name=NAME, concern=WORDS, callback_number=NUMBER),
        )
    )


def _handoff(uow: UnitOfWork, handoff_id: str, at: datetime, *, done: bool) -> None:
    task = Handoff(
        id=handoff_id,
        category=HandoffCategory.MESSAGE,
        urgency=Urgency.ROUTINE,
        summary=f"{NAME} called: {WORDS}",
        created_at=at,
        caller_number=NUMBER,
        details={
            "reason": "voicemail",
            "voicemail": {"recording_sid": "RE1", "transcription": WORDS, "blank": False},
            "caller_name": NAME,
        },
    )
    uow.handoffs.add(task.completed(at + timedelta(hours=1)) if done else task)
    uow.handoffs.add_attempt(
        CallbackAttempt(
            id=f"a-{handoff_id}",
            handoff_id=handoff_id,
            at=at,
            outcome=AttemptOutcome.LEFT_MESSAGE,
            by="cli",
            note=f"{NAME} asked about {WORDS}",
        )
    )


def _texts_and_messages(uow: UnitOfWork, suffix: str, at: datetime) -> None:
    uow.inbound_texts.add(
        InboundText(
            message_sid=f"SM{suffix}",
            from_number=NUMBER,
            received_at=at,
            claimed_by="w",
            claimed_at=at,
            status=InboundStatus.HANDLED,
            handled_at=at,
            body=WORDS,
        )
    )
    for status in (MessageStatus.SENT, MessageStatus.UNCERTAIN, MessageStatus.QUEUED):
        uow.messages.add(
            OutboundMessage(
                id=f"m{suffix}{status.value}",
                to=NUMBER,
                channel=Channel.SMS,
                purpose=Purpose.REMINDER,
                body=f"Hi {NAME}",
                created_at=at,
                send_after=at,
                updated_at=at,
                status=status,
            )
        )


def _seed(uow: UnitOfWork) -> None:
    with uow:
        _call(uow, "old", OLD)
        _call(uow, "new", RECENT)
        _handoff(uow, "h-old-done", OLD, done=True)
        _handoff(uow, "h-old-open", OLD, done=False)
        _handoff(uow, "h-new-done", RECENT, done=True)
        _texts_and_messages(uow, "old", OLD)
        _texts_and_messages(uow, "new", RECENT)
        uow.commit()


@pytest.fixture
def seeded(uow: SqlAlchemyUnitOfWork) -> SqlAlchemyUnitOfWork:
    """Old and recent calls, hand-offs, texts and messages, all holding one person's words."""
    _seed(uow)
    return uow


def _outcome(uow: UnitOfWork) -> list[object]:
    """Everything a purge may have changed, read through the repositories."""
    with uow:
        return [
            [uow.turns.get(c, 0) for c in ("old", "new")],
            [uow.calls.get(c) for c in ("old", "new")],
            [uow.inquiries.get(f"inq-{c}") for c in ("old", "new")],
            [uow.handoffs.get(h) for h in ("h-old-done", "h-old-open", "h-new-done")],
            uow.handoffs.attempts(["h-old-done", "h-old-open", "h-new-done"]),
            [uow.inbound_texts.get(f"SM{c}") for c in ("old", "new")],
            sorted(m.id for m in uow.messages.list_all()),
            [(r.entry.action, r.entry.detail) for r in uow.audit.search()],
        ]


def test_the_fake_purges_as_the_database_does(seeded: SqlAlchemyUnitOfWork) -> None:
    """`FakeUnitOfWork` removes and redacts exactly what the real repositories do."""
    fake = FakeUnitOfWork()
    _seed(fake)
    for uow in (seeded, fake):
        retention.purge(uow=uow, retention=Retention(), now=NOW, actor="cli")
    assert _outcome(fake) == _outcome(seeded)


def test_purge_removes_what_expired_and_keeps_what_did_not(seeded: SqlAlchemyUnitOfWork) -> None:
    """With the default policy, 200-day-old words go; 3-hour-old ones and open tasks stay."""
    counts = retention.purge(uow=seeded, retention=Retention(), now=NOW, actor="cli")
    assert counts == PurgeCounts(
        transcripts=1,
        voicemail_transcriptions=2,
        inbound_texts=1,
        finished_outbox=1,
        closed_handoffs=1,
    )
    with seeded:
        old_turn = seeded.turns.get("old", 0)
        assert old_turn is not None
        assert (old_turn.caller_text, old_turn.digits, old_turn.agent_text) == (None, None, "")
        new_turn = seeded.turns.get("new", 0)
        assert new_turn is not None
        assert new_turn.caller_text == WORDS
        old_call = seeded.calls.get("old")
        new_call = seeded.calls.get("new")
        assert old_call is not None
        assert old_call.state == {}
        assert old_call.caller_number == NUMBER  # call metadata the report reads stays
        assert new_call is not None
        assert new_call.state["said"] == WORDS
        old_inquiry = seeded.inquiries.get("inq-old")
        assert old_inquiry is not None
        assert old_inquiry.intake.concern is None
        assert old_inquiry.intake.client_name == NAME  # the inquiry stays until erased
        done = seeded.handoffs.get("h-old-done")
        assert done is not None
        assert (done.summary, done.caller_number) == (REDACTED_SUMMARY, None)
        assert done.details == {
            "reason": "voicemail",
            "voicemail": {"recording_sid": "RE1", "blank": False},
            "redacted": True,
        }
        notes = {
            a.handoff_id: a.note for a in seeded.handoffs.attempts(["h-old-done", "h-old-open"])
        }
        assert notes == {"h-old-done": "", "h-old-open": f"{NAME} asked about {WORDS}"}
        still_open = seeded.handoffs.get("h-old-open")
        assert still_open is not None
        assert still_open.summary.startswith(NAME)  # open work is never purged
        assert still_open.details["voicemail"] == {
            "recording_sid": "RE1",
            "transcription": None,
            "blank": False,
        }
        recent = seeded.handoffs.get("h-new-done")
        assert recent is not None
        assert recent.summary.startswith(NAME)
        assert seeded.inbound_texts.get("SMold") is None
        assert seeded.inbound_texts.get("SMnew") is not None
        assert {m.id for m in seeded.messages.list_all()} == {
            "moldqueued",
            "molduncertain",
            "mnewsent",
            "mnewuncertain",
            "mnewqueued",
        }
        [entry] = seeded.audit.search(action="purge")
    assert entry.entry.detail == (
        "transcripts=1 voicemail_transcriptions=2 inbound_texts=1 finished_outbox=1 "
        "closed_handoffs=1"
    )
    again = retention.purge(uow=seeded, retention=Retention(), now=NOW, actor="cli")
    assert again.total == 0


def test_nothing_of_the_persons_words_is_left_in_expired_rows(
    seeded: SqlAlchemyUnitOfWork,
) -> None:
    """After a purge of everything, the name, number and words are in no purged column."""
    retention.purge(uow=seeded, retention=ONE_DAY, now=NOW + timedelta(days=2), actor="cli")
    with seeded:
        session = seeded._require_session()
        turn_words = session.execute(
            select(TurnRow.caller_text, TurnRow.digits, TurnRow.agent_text)
        )
        states = session.scalars(select(cast(CallRow.state, Text)))
        concerns = session.scalars(select(cast(InquiryRow.intake, Text)))
        summaries = session.execute(
            select(
                HandoffRow.summary, HandoffRow.caller_number, cast(HandoffRow.details, Text)
            ).where(HandoffRow.status == "done")
        )
        left = " ".join(
            [str(tuple(r)) for r in turn_words] + list(states) + [str(tuple(r)) for r in summaries]
        )
        intakes = " ".join(concerns)
        texts = session.scalars(select(InboundTextRow.message_sid)).all()
        messages = session.scalars(select(OutboundMessageRow.status)).all()
    for secret in (NAME, WORDS, "5550187"):
        assert secret not in left
    assert WORDS not in intakes
    assert texts == []
    assert sorted(messages) == ["queued", "queued", "uncertain", "uncertain"]


def test_a_dry_run_counts_and_changes_nothing(seeded: SqlAlchemyUnitOfWork) -> None:
    """`dry_run` reports the same counts a purge would, writes nothing and audits nothing."""
    counts = retention.purge(uow=seeded, retention=Retention(), now=NOW, actor="cli", dry_run=True)
    assert counts.total == 6
    with seeded:
        turn = seeded.turns.get("old", 0)
        assert turn is not None
        assert turn.caller_text == WORDS
        assert seeded.audit.count() == 0


def test_the_worker_purges_once_a_day(seeded: SqlAlchemyUnitOfWork) -> None:
    """`purge_if_due` purges, then skips until a day has passed since the audited purge."""
    first = retention.purge_if_due(uow=seeded, retention=Retention(), now=NOW)
    assert first is not None
    assert first.total == 6
    assert (
        retention.purge_if_due(uow=seeded, retention=Retention(), now=NOW + timedelta(hours=23))
        is None
    )
    later = retention.purge_if_due(
        uow=seeded, retention=Retention(), now=NOW + timedelta(days=1, minutes=1)
    )
    assert later is not None
    with seeded:
        assert [r.entry.actor for r in seeded.audit.search(action="purge")] == ["worker", "worker"]


def test_purge_keeps_every_report_figure(uow: SqlAlchemyUnitOfWork, migrated_url: str) -> None:
    """The whole report for the 30 days reported, every metric, daily series and bucket, is
    equal before and after a purge that clears every kind of content in its range."""
    write_history(uow)
    with uow:
        # Give the history's calls and hand-offs the content a purge removes.
        for call in uow.calls.list_started_between(OLD - timedelta(days=3650), NOW):
            uow.calls.update(replace(call, state={"said": WORDS}))
            uow.turns.add(TurnRecord(call_id=call.id, seq=0, at=call.started_at, caller_text=WORDS))
        for task in uow.handoffs.list_queue():
            uow.handoffs.update(replace(task, summary=WORDS, caller_number=NUMBER))
        uow.commit()
    engine = make_engine(migrated_url)
    try:
        start, end = date(2026, 2, 7), date(2026, 3, 8)
        before = build_report(engine, PRACTICE, start=start, end=end)
        counts = retention.purge(
            uow=uow, retention=ONE_DAY, now=datetime(2026, 4, 1, tzinfo=UTC), actor="cli"
        )
        after = build_report(engine, PRACTICE, start=start, end=end)
    finally:
        engine.dispose()
    assert counts.transcripts >= 10
    assert counts.closed_handoffs >= 5
    assert before.value("answered_calls") == 11  # the ten of the week and the evening before
    assert after == before
    assert audit.verify(uow=uow).ok
