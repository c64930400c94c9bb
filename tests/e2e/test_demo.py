"""`frontdesk demo`: the example practice with a history, prepared once and then served."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.entrypoints.cli.main import main


def _calls(database: Path) -> int:
    engine = make_engine(f"sqlite:///{database}")
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with uow:
            epoch = datetime(1970, 1, 1, tzinfo=UTC)
            return len(uow.calls.list_started_between(epoch, datetime.now(UTC)))
    finally:
        engine.dispose()


@pytest.fixture
def demo_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for the demo, with no database or practice file chosen by the environment."""
    monkeypatch.delenv("FRONTDESK_DATABASE_URL", raising=False)
    monkeypatch.delenv("FRONTDESK_PRACTICE_FILE", raising=False)
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "WARNING")
    return tmp_path / "demo"


def test_first_run_writes_the_practice_and_builds_a_history(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first run writes the example practice, fills its database and names the pages."""
    assert main(["demo", "--dir", str(demo_dir), "--days", "2", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert (demo_dir / "practice.yaml").is_file()
    assert (demo_dir / "scripts.yaml").is_file()
    assert _calls(demo_dir / "frontdesk.db") > 0
    for page in ("/simulator", "/reports", "/roi"):
        assert f"http://127.0.0.1:8000{page}" in out


def test_second_run_keeps_the_history_it_built(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Running the demo again reuses the folder and adds no second history."""
    assert main(["demo", "--dir", str(demo_dir), "--days", "2", "--no-serve"]) == 0
    first = _calls(demo_dir / "frontdesk.db")
    capsys.readouterr()
    assert main(["demo", "--dir", str(demo_dir), "--days", "2", "--no-serve"]) == 0
    assert _calls(demo_dir / "frontdesk.db") == first
    assert "Building" not in capsys.readouterr().out


def test_demo_refuses_production(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo never runs with production settings."""
    monkeypatch.setenv("FRONTDESK_ENVIRONMENT", "production")
    monkeypatch.setenv("FRONTDESK_TWILIO_AUTH_TOKEN", "x" * 32)
    monkeypatch.setenv("FRONTDESK_NOTIFIER", "twilio")
    monkeypatch.setenv("FRONTDESK_TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    assert main(["demo", "--dir", str(demo_dir), "--no-serve"]) == 2
    assert "production" in capsys.readouterr().err
    assert not demo_dir.exists()


def test_the_printed_exports_reach_the_demo_practice_and_database(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The `export` lines the demo prints are enough for `frontdesk report` to read it."""
    assert main(["demo", "--dir", str(demo_dir), "--days", "2", "--no-serve"]) == 0
    exports = [
        line.split("export ", 1)[1].split("=", 1)
        for line in capsys.readouterr().out.splitlines()
        if line.strip().startswith("export ")
    ]
    assert [name for name, _ in exports] == ["FRONTDESK_PRACTICE_FILE", "FRONTDESK_DATABASE_URL"]
    for name, value in exports:
        monkeypatch.setenv(name, value)
    assert main(["report", "--json", "--days", "90"]) == 0
    assert json.loads(capsys.readouterr().out)["metrics"]["answered_calls"] > 0


def test_building_the_history_keeps_the_turn_by_turn_log_out_of_the_terminal(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """At the INFO log level the history is built without a log line per call turn."""
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "INFO")
    caplog.set_level(logging.INFO)
    assert main(["demo", "--dir", str(demo_dir), "--days", "2", "--no-serve"]) == 0
    assert not [r for r in caplog.records if r.name == "frontdesk.services.calls"]
    assert logging.getLogger("frontdesk").level == logging.NOTSET
