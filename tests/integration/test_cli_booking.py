"""`frontdesk book`, `move`, `cancel` and `mark` against the example practice and SQLite."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.entrypoints.cli.main import main


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example practice file and a migrated database, named by the environment."""
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), tmp_path / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    upgrade(url)
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(tmp_path / "practice.yaml"))
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def openings(capsys: pytest.CaptureFixture[str], kind: str) -> list[dict[str, str]]:
    found = run_json(capsys, "openings", "--days", "40", "--kind", kind)
    assert isinstance(found, list)
    return found


def clock(start: str) -> str:
    """A listed local start as the naive local time staff type (`2026-03-03T09:00`)."""
    return datetime.fromisoformat(start).replace(tzinfo=None).isoformat(timespec="minutes")


def test_a_new_client_booked_by_staff_is_listed_as_made_by_staff(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The booking lands in an open slot and `appointments` shows it came from staff."""
    chosen = next(
        s
        for s in openings(capsys, "first_session")
        if s["clinician"] == "maya_okafor" and s["modality"] == "telehealth"
    )
    booked = run_json(
        capsys,
        "book",
        "--name",
        "Jordan Avery",
        "--phone",
        "312-555-0177",
        "--state",
        "IL",
        "--pays",
        "private_pay",
        "--clinician",
        "maya_okafor",
        "--at",
        clock(chosen["start"]),
        "--modality",
        "telehealth",
    )
    assert isinstance(booked, dict)
    (appointment,) = booked["appointments"]
    assert appointment["start"] == chosen["start"]
    assert booked["inquiry_id"]
    listed = run_json(capsys, "appointments", "--to", chosen["start"][:10])
    assert isinstance(listed, list)
    (row,) = listed
    assert row["id"] == appointment["id"]
    assert row["made_by"] == "staff"
    assert row["booked_by_ai"] is False


def test_booking_the_same_slot_twice_is_refused_with_a_clear_error(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second booking fails naming the problem; the first stands."""
    chosen = next(s for s in openings(capsys, "first_session") if s["clinician"] == "maya_okafor")
    argv = [
        "book",
        "--clinician",
        chosen["clinician"],
        "--at",
        clock(chosen["start"]),
        "--modality",
        chosen["modality"],
        "--state",
        "IL",
        *(["--location", chosen["location"]] if chosen["location"] else []),
    ]
    assert main([*argv, "--name", "First Person"]) == 0
    capsys.readouterr()
    assert main([*argv, "--name", "Second Person"]) != 0
    err = capsys.readouterr().err
    assert "taken" in err or "not open" in err
    assert "Second Person" not in err


def test_weekly_sessions_for_an_established_client_then_move_cancel_and_mark(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three weekly sessions are booked at once; one moves, one is cancelled, one marked."""
    assert (
        main(
            [
                "clients",
                "add",
                "--name",
                "Riley Stone",
                "--dob",
                "1988-05-01",
                "--phone",
                "3125550188",
            ]
        )
        == 0
    )
    client_id = capsys.readouterr().out.strip()
    slots = openings(capsys, "ongoing")
    starts = {(s["clinician"], s["start"], s["modality"]) for s in slots}

    def series_open(s: dict[str, str]) -> bool:
        first = datetime.fromisoformat(s["start"])
        return all(
            (
                s["clinician"],
                (first + timedelta(weeks=w)).isoformat(timespec="minutes"),
                s["modality"],
            )
            in starts
            for w in range(3)
        )

    chosen = next(s for s in slots if s["modality"] == "in_person" and series_open(s))
    booked = run_json(
        capsys,
        "book",
        "--client",
        client_id,
        "--weekly",
        "3",
        "--clinician",
        chosen["clinician"],
        "--at",
        clock(chosen["start"]),
        "--modality",
        "in_person",
        "--location",
        chosen["location"],
    )
    assert isinstance(booked, dict)
    ids = [a["id"] for a in booked["appointments"]]
    assert len(ids) == 3
    later = next(
        s
        for s in slots
        if s["clinician"] == chosen["clinician"]
        and s["modality"] == "in_person"
        and s["start"][:10] > booked["appointments"][-1]["start"][:10]
    )
    moved = run_json(
        capsys, "move", ids[0], "--at", clock(later["start"]), "--location", later["location"]
    )
    assert isinstance(moved, dict)
    assert moved["start"] == later["start"]
    assert moved["rescheduled_from"] == ids[0]
    cancelled = run_json(capsys, "cancel", ids[1], "--reason", "travel")
    assert isinstance(cancelled, dict)
    assert cancelled["status"] in {"cancelled", "late_cancelled"}
    marked = run_json(capsys, "mark", ids[2], "attended")
    assert isinstance(marked, dict)
    assert marked["status"] == "attended"


def test_weekly_is_only_for_established_clients(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new client's series is refused before anything is read or written."""
    code = main(
        [
            "book",
            "--name",
            "New Person",
            "--weekly",
            "3",
            "--clinician",
            "maya_okafor",
            "--at",
            "2030-01-01T09:00",
            "--modality",
            "telehealth",
        ]
    )
    assert code != 0
    assert "--weekly" in capsys.readouterr().err
