"""`frontdesk report` and `frontdesk bench report` from the command line, on SQLite."""

from __future__ import annotations

import csv
import io
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.adapters.db import make_engine
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.db.tables import CallRow, EventRow
from frontdesk.bench.report import build_fixture, run_bench
from frontdesk.entrypoints.cli.main import main

CALLS = 600
RANGE = ["--from", "2026-01-05", "--to", "2026-02-03"]


@pytest.fixture(scope="module")
def practice_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example practice with the default script library beside it."""
    folder = tmp_path_factory.mktemp("practice")
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), folder / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
    return folder / "practice.yaml"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small bulk-loaded history: the bench fixture at 600 calls over 30 days."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'report.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        build_fixture(engine, CALLS, 1)
    finally:
        engine.dispose()
    return url


def run(
    args: list[str],
    database: str,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str, str]:
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", database)
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "WARNING")
    capsys.readouterr()
    status = main(["report", "--practice", str(practice_file), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_text_and_csv_agree(
    database: str,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The three outputs carry the same figures for the same range."""
    status, out, _ = run([*RANGE, "--json"], database, practice_file, monkeypatch, capsys)
    assert status == 0
    document = json.loads(out)
    metrics = document["metrics"]
    assert (document["from"], document["to"]) == ("2026-01-05", "2026-02-03")
    assert metrics["answered_calls"] == CALLS
    assert metrics["missed_calls"] == CALLS // 30
    assert len(document["daily"]) == 30
    assert sum(day["answered"] for day in document["daily"]) == CALLS
    assert metrics["first_session_value"] == 175.0
    assert metrics["recovered_first_session_value"] == pytest.approx(
        175.0 * metrics["first_sessions_via_frontdesk_completed"]
    )
    assert metrics["consults_booked"] <= metrics["consult_requests"]
    assert metrics["first_sessions_completed"] <= metrics["first_sessions_booked"]

    status, out, _ = run([*RANGE, "--csv"], database, practice_file, monkeypatch, capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert [row["key"] for row in rows] == list(metrics)
    by_key = {row["key"]: row["value"] for row in rows}
    assert by_key["answered_calls"] == str(CALLS)
    assert rows[0]["from"] == "2026-01-05"

    status, out, _ = run(RANGE, database, practice_file, monkeypatch, capsys)
    assert status == 0
    assert "Answered calls" in out
    assert f"{CALLS:,}" in out


def test_html_is_written_to_the_named_file(
    database: str,
    practice_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--html FILE` writes one self-contained page and says where."""
    target = tmp_path / "report.html"
    status, out, _ = run(
        [*RANGE, "--html", str(target)], database, practice_file, monkeypatch, capsys
    )
    assert status == 0
    assert out.strip() == f"wrote {target}"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "http://" not in page
    assert "https://" not in page


def test_a_range_that_ends_before_it_starts_is_refused(
    database: str,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--to` before `--from` is a clear error with exit status 2."""
    status, _, err = run(
        ["--from", "2026-02-01", "--to", "2026-01-01"], database, practice_file, monkeypatch, capsys
    )
    assert status == 2
    assert "ends before it starts" in err


def test_only_from_gives_thirty_days(
    database: str,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With only `--from`, the range is that day and the 29 after it."""
    status, out, _ = run(
        ["--from", "2026-01-05", "--json"], database, practice_file, monkeypatch, capsys
    )
    assert status == 0
    assert json.loads(out)["to"] == "2026-02-03"


def test_an_unmigrated_database_is_refused(
    tmp_path: Path,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The report asks for `frontdesk migrate` rather than failing on a missing table."""
    status, _, err = run(
        ["--json"], f"sqlite:///{tmp_path / 'empty.db'}", practice_file, monkeypatch, capsys
    )
    assert status == 2
    assert "frontdesk migrate" in err


def test_bench_report_smoke(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bench builds a tiny fixture, times the report and prints one JSON object."""
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "WARNING")
    capsys.readouterr()
    status = main(["bench", "report", "--json", "--calls", "90", "--runs", "2"])
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert result["fixture"]["calls"] == 90
    assert result["answered_calls"] == 90
    assert len(result["seconds"]["all"]) == 2
    assert result["seconds"]["max"] >= result["seconds"]["p50"]
    assert result["seconds"]["first"] > 0  # timed apart from the two steady-state runs
    assert result["encryption_operations"] == 0  # the report opens no encrypted value


def test_the_fixture_writes_calls_and_their_events(database: str) -> None:
    """Every fixture call has its start and end events, besides the never-answered calls."""
    engine = make_engine(database)
    try:
        with engine.connect() as connection:
            calls = connection.execute(select(func.count()).select_from(CallRow)).scalar_one()
            started = connection.execute(
                select(func.count()).where(EventRow.kind == "CallStarted")
            ).scalar_one()
            ended = connection.execute(
                select(func.count()).where(EventRow.kind == "CallEnded")
            ).scalar_one()
    finally:
        engine.dispose()
    assert calls == started == ended == CALLS


def test_bench_report_on_both_backends(database_url: str) -> None:
    """The bulk fixture, with half its bookings rescheduled, and the timed report work on
    SQLite and PostgreSQL alike."""
    result = run_bench(database_url, calls=120, runs=1, turns_per_call=1, rescheduled=0.5)
    fixture = result["fixture"]
    assert isinstance(fixture, dict)
    assert fixture["calls"] == 120
    assert 0 < fixture["bookings"] < fixture["reschedules"] <= 3 * fixture["bookings"]
    assert fixture["events"] > 2 * 120
    assert result["answered_calls"] == 120
    assert result["backend"] == ("sqlite" if database_url.startswith("sqlite") else "postgresql")
