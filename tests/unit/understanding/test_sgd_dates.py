"""The SGD date/time recall benchmark, on a tiny dialogue file written here."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from frontdesk.bench.sgd_dates import register, sgd_date_time_recall
from frontdesk.config import Settings
from frontdesk.domain.errors import DatasetError


def _turn(
    text: str, acts: list[str], slots: dict[str, str], service: str = "Services_4"
) -> dict[str, object]:
    return {"speaker": "user", "text": text, "service": service, "acts": acts, "slots": slots}


DIALOGUE = {
    "dialogue_id": "1_00001",
    "turns": [
        _turn(
            "Find me a psychologist in Pleasant Hill", ["INFORM:city"], {"city": "Pleasant Hill"}
        ),
        {"speaker": "system", "text": "How about the 7th?", "service": "Services_4", "acts": []},
        _turn(
            "Book it for the 7th at half past 4 in the afternoon",
            ["INFORM:appointment_date", "INFORM:appointment_time"],
            {"appointment_date": "the 7th", "appointment_time": "half past 4 in the afternoon"},
        ),
        _turn(
            "Actually make it next Friday",
            ["INFORM:appointment_date"],
            {"appointment_date": "next Friday", "appointment_time": "half past 4 in the afternoon"},
        ),
        _turn(
            "Sometime in the morning, please",
            ["INFORM:appointment_time"],
            {"appointment_time": "10:30 am"},
        ),
        _turn(
            "Also book a table for 2 at 6 pm",
            ["INFORM:appointment_time"],
            {"appointment_time": "6 pm"},
            service="Restaurants_1",
        ),
    ],
}


@pytest.fixture
def sgd_file(tmp_path: Path) -> Path:
    path = tmp_path / "sgd_therapist_dev.jsonl"
    path.write_text(json.dumps(DIALOGUE) + "\n", encoding="utf-8")
    return path


def test_recall_counts_only_values_said_in_therapist_turns(sgd_file: Path) -> None:
    """Dates and times said in Services_4 user turns are counted; a vague time is a miss."""
    report = sgd_date_time_recall(sgd_file)
    assert report["date_turns"] == 2
    assert report["dates_found"] == 2
    assert report["time_turns"] == 2
    assert report["times_found"] == 1
    assert report["time_recall"] == 0.5
    assert report["now"] == "2019-03-01T09:00:00-08:00"
    assert (report["turns_without_date_or_time"], report["windows_in_those_turns"]) == (1, 0)


def test_reference_day_changes_what_relative_dates_mean(sgd_file: Path) -> None:
    """Both sides resolve against the same `now`, so a different day still matches."""
    report = sgd_date_time_recall(sgd_file, now=datetime(2019, 3, 20, 16, tzinfo=UTC))
    assert report["dates_found"] == 2


def test_missing_file_is_a_dataset_error(tmp_path: Path) -> None:
    """A missing dialogue file raises DatasetError naming the file."""
    with pytest.raises(DatasetError, match="not found"):
        sgd_date_time_recall(tmp_path / "sgd_therapist_dev.jsonl")


def test_malformed_line_is_a_dataset_error(tmp_path: Path) -> None:
    """A line that is not an SGD dialogue raises DatasetError with its line number."""
    path = tmp_path / "sgd_therapist_dev.jsonl"
    path.write_text('{"turns": [{"text": "hi"}]}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=":1:"):
        sgd_date_time_recall(path)


def test_command_prints_one_json_report(sgd_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`bench sgd-dates --split dev --data DIR` prints the figures for that split as JSON."""
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["sgd-dates", "--split", "dev", "--data", str(sgd_file.parent)])
    assert args.handler(args, Settings()) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["dev"]
    assert report["dev"]["date_recall"] == 1.0


def test_command_reads_only_dev_unless_asked(
    sgd_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without `--split`, `bench sgd-dates` replays the dev file and never opens the test file."""
    (sgd_file.parent / "sgd_therapist_test.jsonl").write_text("not a dialogue\n", encoding="utf-8")
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["sgd-dates", "--data", str(sgd_file.parent)])
    assert args.handler(args, Settings()) == 0
    assert list(json.loads(capsys.readouterr().out)) == ["dev"]
