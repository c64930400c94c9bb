"""`frontdesk purge` against a SQLite file and the shipped example practice."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.domain.records import CallRecord, CallStatus, TurnRecord
from frontdesk.entrypoints.cli.main import main

WORDS = "I have been feeling low since the move"


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    """The shipped example practice with the default script library beside it."""
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), tmp_path / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    return tmp_path / "practice.yaml"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite file with a call from 100 days ago and one from today."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    upgrade(url)
    engine = make_engine(url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    now = datetime.now(UTC)
    with uow:
        for call_id, at in (("a" * 32, now - timedelta(days=100)), ("b" * 32, now)):
            uow.calls.add(CallRecord(id=call_id, started_at=at, status=CallStatus.ENDED))
            uow.turns.add(TurnRecord(call_id=call_id, seq=0, at=at, caller_text=WORDS))
        uow.commit()
    engine.dispose()
    return url


def _words(url: str) -> list[str | None]:
    engine = make_engine(url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    try:
        with uow:
            return [
                turn.caller_text
                for call_id in ("a" * 32, "b" * 32)
                for turn in uow.turns.list_for_call(call_id)
            ]
    finally:
        engine.dispose()


def test_a_dry_run_counts_and_a_purge_removes(
    database: str, practice_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--dry-run` says what would go and keeps it; `purge` removes the 100-day-old words,
    keeps today's, prints one line per kind and audits the purge."""
    assert main(["purge", "--practice", str(practice_file), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "transcripts (kept 90 days): 1 would be removed or redacted" in out
    assert _words(database) == [WORDS, WORDS]
    assert main(["purge", "--practice", str(practice_file), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts == {
        "dry_run": False,
        "transcripts": 1,
        "voicemail_transcriptions": 0,
        "inbound_texts": 0,
        "finished_outbox": 0,
        "closed_handoffs": 0,
    }
    assert _words(database) == [None, WORDS]
    assert main(["audit", "log", "--action", "purge", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["actor"], entry["object_kind"]) == ("cli", "retention")
    assert entry["detail"].startswith("transcripts=1 ")
