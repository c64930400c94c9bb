"""`frontdesk outbox`: the outbox listed without message text, and uncertain messages settled."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.domain.messages import Channel, OutboundMessage, Purpose
from frontdesk.entrypoints.cli.main import main

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
BODY = "Reminder: your appointment with Dana is Tuesday at 3 PM."


def message(n: int, **changes: object) -> OutboundMessage:
    values: dict[str, object] = {
        "id": str(n) * 32,
        "to": "+15551234567",
        "channel": Channel.SMS,
        "purpose": Purpose.REMINDER,
        "body": BODY,
        "created_at": NOW + timedelta(minutes=n),
        "send_after": NOW + timedelta(minutes=n),
        "updated_at": NOW,
    }
    values.update(changes)
    return OutboundMessage(**values)  # type: ignore[arg-type]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite file holding a queued and an uncertain message."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    upgrade(url)
    engine = make_engine(url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    with uow:
        uow.messages.add(message(1))
        uow.messages.add(message(2).uncertain(code="lease_expired", at=NOW))
        uow.commit()
    engine.dispose()
    return url


def test_lists_messages_without_their_text(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table shows id, status, channel, purpose and the masked number, never the body."""
    assert main(["outbox"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == [
        "ID",
        "STATUS",
        "CHANNEL",
        "PURPOSE",
        "TO",
        "SEND_AFTER",
        "TRIES",
        "LAST_ERROR",
    ]
    assert [line.split()[:5] for line in lines[1:]] == [
        ["1" * 32, "queued", "sms", "reminder", "********4567"],
        ["2" * 32, "uncertain", "sms", "reminder", "********4567"],
    ]
    assert "Dana" not in out
    assert "5551234567" not in out


def test_json_filtered_by_status(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--status uncertain --json` prints only those messages, as JSON."""
    assert main(["outbox", "--status", "uncertain", "--json"]) == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert (only["id"], only["last_error"], only["to"]) == (
        "2" * 32,
        "lease_expired",
        "********4567",
    )


@pytest.mark.parametrize(("flag", "status"), [("--sent", "sent"), ("--resend", "queued")])
def test_resolve_settles_an_uncertain_message(
    database: str, flag: str, status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`resolve ID --sent` records it sent; `--resend` queues it again."""
    assert main(["outbox", "resolve", "2" * 32, flag]) == 0
    assert capsys.readouterr().out == f"{'2' * 32} {status}\n"
    assert main(["outbox", "--status", status, "--json"]) == 0
    assert "2" * 32 in [m["id"] for m in json.loads(capsys.readouterr().out)]


def test_resolving_a_message_that_is_not_uncertain_fails(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A queued message cannot be resolved; the error says why."""
    assert main(["outbox", "resolve", "1" * 32, "--sent"]) == 2
    assert "not uncertain" in capsys.readouterr().err


def test_empty_outbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty outbox says so."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    upgrade(url)
    assert main(["outbox"]) == 0
    assert capsys.readouterr().out == "no messages\n"
