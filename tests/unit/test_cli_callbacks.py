"""`frontdesk callbacks`: the staff queue on the command line, against a SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.handoffs import Handoff
from frontdesk.entrypoints.cli.commands.callbacks import format_age
from frontdesk.entrypoints.cli.main import main


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite file named by FRONTDESK_DATABASE_URL, holding three tasks."""
    now = datetime.now(UTC)  # taken here, not at import, so ages don't drift with suite length
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    upgrade(url)
    engine = make_engine(url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    with uow:
        for handoff_id, category, urgency, age in [
            ("r" * 32, HandoffCategory.MESSAGE, Urgency.ROUTINE, timedelta(days=2, hours=3)),
            ("u" * 32, HandoffCategory.CRISIS, Urgency.URGENT, timedelta(minutes=7)),
            ("s" * 32, HandoffCategory.CLINICAL, Urgency.SAME_DAY, timedelta(hours=3)),
        ]:
            uow.handoffs.add(
                Handoff(
                    id=handoff_id,
                    category=category,
                    urgency=urgency,
                    summary=f"{category.value} task\nsecond line",
                    created_at=now - age,
                    caller_number="+15035550100",
                )
            )
        uow.commit()
    engine.dispose()
    return url


def test_lists_open_tasks_most_urgent_first(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table shows id, category, urgency, age, caller and a one-line summary, urgent first."""
    assert main(["callbacks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "CATEGORY", "URGENCY", "AGE", "CALLER", "SUMMARY"]
    assert [line.split()[:4] for line in lines[1:]] == [
        ["u" * 32, "crisis", "urgent", "7m"],
        ["s" * 32, "clinical", "same_day", "3h00m"],
        ["r" * 32, "message", "routine", "2d03h"],
    ]
    assert lines[1].endswith("+15035550100  crisis task second line")


def test_json_lists_every_field(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` prints one array of task objects in queue order."""
    assert main(["callbacks", "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert [t["urgency"] for t in tasks] == ["urgent", "same_day", "routine"]
    assert set(tasks[0]) == {
        "id",
        "category",
        "urgency",
        "status",
        "created_at",
        "completed_at",
        "age_seconds",
        "caller_number",
        "call_id",
        "inquiry_id",
        "summary",
        "details",
        "assigned_to",
        "waiting_until",
        "wake_on_contact",
    }
    assert tasks[0]["status"] == "open"
    assert tasks[0]["caller_number"] == "+15035550100"


def test_done_removes_a_task_from_the_open_queue(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`done ID` marks the task done now; it then shows only with `--all`, as done."""
    assert main(["callbacks", "done", "u" * 32]) == 0
    assert capsys.readouterr().out.startswith(f"{'u' * 32} done at ")
    assert main(["callbacks", "--json"]) == 0
    assert [t["id"] for t in json.loads(capsys.readouterr().out)] == ["s" * 32, "r" * 32]
    assert main(["callbacks", "--all", "--json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert [(t["id"][0], t["status"]) for t in everything] == [
        ("u", "done"),
        ("s", "open"),
        ("r", "open"),
    ]
    assert everything[0]["completed_at"].endswith("Z")
    assert main(["callbacks", "done", "u" * 32]) == 0
    assert "was already done at" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [["callbacks", "--json", "done", "s" * 32], ["callbacks", "done", "s" * 32, "--json"]]
)
def test_done_prints_json_wherever_the_flag_goes(
    database: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`--json` before or after `done ID` prints the completed task as one JSON object."""
    assert main(argv) == 0
    task = json.loads(capsys.readouterr().out)
    assert (task["id"], task["status"]) == ("s" * 32, "done")


def test_done_with_an_unknown_id_exits_2(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown id is a clear error on stderr and exit status 2."""
    assert main(["callbacks", "done", "nope"]) == 2
    assert capsys.readouterr().err == "frontdesk: no callback task nope\n"


def test_an_empty_queue_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With nothing waiting the command says so rather than printing an empty table."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    upgrade(url)
    assert main(["callbacks"]) == 0
    assert capsys.readouterr().out == "no open callback tasks\n"


def test_an_unmigrated_database_exits_2_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before `frontdesk migrate`, the command refuses and names the fix."""
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    assert main(["callbacks"]) == 2
    assert "run `frontdesk migrate`" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("age", "shown"),
    [
        (timedelta(seconds=59), "0m"),
        (timedelta(minutes=59), "59m"),
        (timedelta(hours=1, minutes=5), "1h05m"),
        (timedelta(days=1, hours=2), "1d02h"),
        (timedelta(minutes=-3), "0m"),
    ],
)
def test_ages_are_short(age: timedelta, shown: str) -> None:
    """Ages read at a glance and never go negative when clocks disagree."""
    assert format_age(age) == shown


def test_a_task_is_worked_from_the_command_line(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Start, log an attempt that leaves it waiting for the caller, reopen, finish."""
    task_id = "s" * 32
    assert main(["callbacks", "start", task_id]) == 0
    assert capsys.readouterr().out == f"{task_id} in_progress\n"
    argv = ["callbacks", "attempt", task_id, "--outcome", "left_message", "--then", "waiting"]
    assert main([*argv, "--note", "Voicemail left at 2 pm."]) == 0
    assert capsys.readouterr().out == f"{task_id} waiting\n"
    assert main(["callbacks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["ID", "CATEGORY", "URGENCY", "STATUS"]
    assert [line.split()[3] for line in lines[1:]] == ["open", "waiting", "open"]
    assert main(["callbacks", "reopen", task_id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "open"
    assert main(["callbacks", "attempt", task_id, "--outcome", "scheduled", "--then", "done"]) == 0
    assert capsys.readouterr().out == f"{task_id} done\n"


def test_a_timed_wait_needs_an_offset_and_a_future_time(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A naive or past time, or no wake at all, is a one-line error with exit status 2."""
    task_id = "s" * 32
    for extra in (["--until", "2030-01-01T09:00"], ["--until", "2020-01-01T09:00Z"], []):
        assert main(["callbacks", "wait", task_id, *extra]) == 2
        assert capsys.readouterr().err.startswith("frontdesk: ")
    assert main(["callbacks", "wait", task_id, "--until", "2030-01-01T09:00-06:00"]) == 0
    assert capsys.readouterr().out == f"{task_id} waiting\n"


def test_an_unknown_outcome_is_refused_by_the_parser(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Outcomes are a closed list."""
    with pytest.raises(SystemExit):
        main(["callbacks", "attempt", "s" * 32, "--outcome", "maybe"])
