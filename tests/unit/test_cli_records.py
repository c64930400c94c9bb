"""`frontdesk records export|erase` against a SQLite file."""

from __future__ import annotations

import io
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.domain.records import CallRecord, CallStatus, TurnRecord
from frontdesk.entrypoints.cli.main import main

NUMBER = "+15035550187"
WORDS = "I have been feeling low since the move"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite file holding one call from the number."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    upgrade(url)
    engine = make_engine(url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    at = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    with uow:
        uow.calls.add(
            CallRecord(id="c" * 32, started_at=at, caller_number=NUMBER, status=CallStatus.ENDED)
        )
        uow.turns.add(TurnRecord(call_id="c" * 32, seq=0, at=at, caller_text=WORDS))
        uow.commit()
    engine.dispose()
    return url


def test_export_writes_an_owner_only_file_with_everything(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--out FILE` writes the JSON document 0600; its calls carry the transcript."""
    out = tmp_path / "person.json"
    assert main(["records", "export", "--phone", NUMBER, "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "frontdesk-person-records/1"
    assert [c["caller_number"] for c in document["calls"]] == [NUMBER]
    assert [t["caller_text"] for t in document["turns"]] == [WORDS]
    assert capsys.readouterr().out == ""


def test_erase_asks_for_confirmation_then_redacts(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without `--yes` and no terminal the erase is refused; with it, the words are gone."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["records", "erase", "--phone", NUMBER]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["records", "erase", "--phone", NUMBER, "--yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("erased: calls=1 ")
    assert "kept: 0 appointments (billing records)" in out
    assert main(["records", "export", "--client", "nobody"]) == 2
    capsys.readouterr()
    assert main(["audit", "log", "--json"]) == 0
    actions = [e["action"] for e in json.loads(capsys.readouterr().out)]
    assert actions == ["erase"]
    engine = make_engine(database)
    try:
        with SqlAlchemyUnitOfWork(make_session_factory(engine)) as uow:
            turn = uow.turns.get("c" * 32, 0)
    finally:
        engine.dispose()
    assert turn is not None
    assert turn.caller_text is None
