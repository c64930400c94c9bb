"""`frontdesk demo-data`: a short history through the real services, reproducible by seed."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from frontdesk.entrypoints.cli.main import main

DAYS = ["--days", "3", "--calls-per-month", "300", "--until", "2026-03-06"]
RANGE = ["--from", "2026-03-04", "--to", "2026-03-06"]


@pytest.fixture(scope="module")
def practice_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example practice with the default script library beside it."""
    folder = tmp_path_factory.mktemp("practice")
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), folder / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
    return folder / "practice.yaml"


def demo_report(
    database: Path,
    seed: int,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[str, dict[str, object]]:
    """Run demo-data into a fresh database, then return its summary and the JSON report."""
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "WARNING")
    practice = ["--practice", str(practice_file)]
    capsys.readouterr()
    assert main(["demo-data", *DAYS, "--seed", str(seed), *practice]) == 0
    summary = capsys.readouterr().out
    assert main(["report", *RANGE, "--json", *practice]) == 0
    document: dict[str, object] = json.loads(capsys.readouterr().out)
    return summary, document


def test_same_seed_same_history_and_a_consistent_report(
    tmp_path: Path,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two runs with one seed give the same report; it is non-empty and adds up."""
    summary, first = demo_report(tmp_path / "a.db", 11, practice_file, monkeypatch, capsys)
    _, second = demo_report(tmp_path / "b.db", 11, practice_file, monkeypatch, capsys)
    assert first == second
    assert "demo history 2026-03-04 to 2026-03-06" in summary

    metrics = first["metrics"]
    assert isinstance(metrics, dict)
    daily = first["daily"]
    assert isinstance(daily, list)
    assert metrics["answered_calls"] > 10
    assert metrics["callbacks_completed"] > 0
    assert metrics["new_client_inquiries"] > 0
    assert metrics["established_client_bookings"] > 0
    assert sum(day["answered"] for day in daily) == metrics["answered_calls"]
    assert sum(day["missed"] for day in daily) == metrics["missed_calls"]
    assert metrics["after_hours_calls"] <= metrics["answered_calls"]
    assert metrics["recovered_calls"] <= metrics["missed_calls"] + metrics["abandoned_calls"]
    assert metrics["consults_booked"] <= metrics["consult_requests"]
    outcomes = (
        metrics["first_sessions_completed"]
        + metrics["first_sessions_cancelled"]
        + metrics["first_sessions_no_show"]
    )
    assert outcomes <= metrics["first_sessions_booked"]


def test_four_weeks_have_established_clients_and_waitlist_rebookings(
    tmp_path: Path,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Four weeks of history have weekly sessions for established clients and an opening
    rebooked from the waitlist by a "YES" text (a single week may, by chance, free no slot a
    waiting person fits)."""
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "WARNING")
    practice = ["--practice", str(practice_file)]
    month = ["--days", "28", "--calls-per-month", "300", "--until", "2026-03-06", "--seed", "11"]
    assert main(["demo-data", *month, *practice]) == 0
    capsys.readouterr()
    assert main(["report", "--from", "2026-02-07", "--to", "2026-03-06", "--json", *practice]) == 0
    metrics = json.loads(capsys.readouterr().out)["metrics"]
    assert metrics["established_client_bookings"] > 10
    assert metrics["waitlist_rebooked"] >= 1
    assert metrics["waitlist_additions"] > metrics["waitlist_rebooked"]


def test_another_seed_gives_another_history(
    tmp_path: Path,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The seed matters: a different one draws a different day of calls."""
    _, first = demo_report(tmp_path / "a.db", 11, practice_file, monkeypatch, capsys)
    _, other = demo_report(tmp_path / "c.db", 12, practice_file, monkeypatch, capsys)
    assert first["metrics"] != other["metrics"]


def test_out_of_range_arguments_are_refused(
    tmp_path: Path,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A history of no days is a clear error with exit status 2."""
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    status = main(["demo-data", "--days", "0", "--practice", str(practice_file)])
    assert status == 2
    assert "--days must be between 1 and 366" in capsys.readouterr().err
