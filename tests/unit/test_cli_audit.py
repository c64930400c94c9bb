"""`frontdesk audit`: verify, anchor and log on a SQLite file, and the reads it records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.handoffs import Handoff
from frontdesk.entrypoints.cli.main import main

TASK = "t" * 32


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite file named by FRONTDESK_DATABASE_URL, holding one open task."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    upgrade(url)
    engine = make_engine(url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    with uow:
        uow.handoffs.add(
            Handoff(
                id=TASK,
                category=HandoffCategory.MESSAGE,
                urgency=Urgency.ROUTINE,
                summary="Caller: Wilhelmina Quarrington wants a call back.",
                created_at=datetime.now(UTC) - timedelta(hours=1),
                caller_number="+15035550100",
            )
        )
        uow.commit()
    engine.dispose()
    return url


def _log(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["audit", "log", "--json"]) == 0
    entries: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return entries


def test_the_callback_queue_records_who_looked_and_who_changed(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`callbacks` records a view of the queue, `callbacks done` a change of the task."""
    assert main(["callbacks"]) == 0
    assert main(["callbacks", "done", TASK]) == 0
    entries = _log(capsys)
    assert [(e["actor"], e["action"], e["object_kind"], e["object_id"]) for e in entries] == [
        ("cli", "change", "handoff", TASK),
        ("cli", "view", "handoff_queue", None),
    ]
    assert entries[1]["detail"] == "scope=open rows=1"
    dumped = json.dumps(entries)
    assert "Quarrington" not in dumped
    assert "5550100" not in dumped


def test_verify_says_intact_and_anchor_prints_the_head(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An untouched chain verifies (exit 0); the anchor is the head hash, found later."""
    assert main(["audit", "anchor"]) == 1
    assert "empty" in capsys.readouterr().err
    assert main(["callbacks"]) == 0
    capsys.readouterr()
    assert main(["audit", "anchor"]) == 0
    anchor = capsys.readouterr().out.strip()
    assert len(anchor) == 64
    assert main(["callbacks"]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--anchor", anchor]) == 0
    out = capsys.readouterr().out
    assert "audit chain intact: 2 records, head 2" in out
    assert "anchor found at record 1" in out
    assert main(["audit", "verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["ok"], report["records"], report["broken"]) == (True, 2, None)


def test_verify_names_the_first_tampered_record(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row edited in the file (triggers dropped first) fails verify with exit 1 and its
    number; a foreign anchor is reported as not on the chain."""
    for _ in range(3):
        assert main(["callbacks"]) == 0
    engine = make_engine(database)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET detail = 'scope=open rows=0' WHERE seq = 2"))
    engine.dispose()
    capsys.readouterr()
    assert main(["audit", "verify", "--anchor", "ab" * 32]) == 1
    err = capsys.readouterr().err
    assert "BROKEN at record 2" in err
    assert "1 records before it are intact" in err
    assert "NOT on the chain" in err


def test_a_malformed_anchor_is_a_usage_error(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An anchor that is not 64 hex digits is refused with the fix, exit 2."""
    assert main(["audit", "verify", "--anchor", "not-a-hash"]) == 2
    assert "64 hex digits" in capsys.readouterr().err


def test_log_filters_and_prints_a_table(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`audit log` shows entries newest first and filters by object, actor and action."""
    assert main(["audit", "log"]) == 0
    assert capsys.readouterr().out.strip() == "no audit entries"
    assert main(["callbacks"]) == 0
    assert main(["callbacks", "done", TASK]) == 0
    capsys.readouterr()
    assert main(["audit", "log", "--kind", "handoff", "--id", TASK, "--action", "change"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["SEQ", "AT", "ACTOR", "ACTION", "OBJECT", "SOURCE", "DETAIL"]
    assert lines[1].split()[2:] == ["cli", "change", f"handoff:{TASK}", "-", "status=done"]
    assert len(lines) == 2
    assert main(["audit", "log", "--actor", "worker"]) == 0
    assert capsys.readouterr().out.strip() == "no audit entries"
