"""`frontdesk worker`: the outbox worker on the command line, against a SQLite file."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.practice_file import load_practice
from frontdesk.domain.messages import Channel, MessageStatus, Purpose
from frontdesk.entrypoints.cli.main import main
from frontdesk.services import messages

BODY = "Reminder: your appointment with Dana is Tuesday at 3 PM."


SHIPPED_QUIET_HOURS = 'quiet_hours: "21:00-08:00"'


def write_practice(folder: Path, quiet_hours: str) -> Path:
    """The shipped example practice with its `reminders.quiet_hours` line replaced."""
    data = resources.files("frontdesk.data")
    text = (data / "example_practice.yaml").read_text(encoding="utf-8")
    assert SHIPPED_QUIET_HOURS in text
    path = folder / "practice.yaml"
    path.write_text(text.replace(SHIPPED_QUIET_HOURS, quiet_hours), encoding="utf-8")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
    return path


@pytest.fixture
def practice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped example practice, named by FRONTDESK_PRACTICE_FILE, with no quiet hours
    (`quiet_hours: null`), so the tests pass at any hour."""
    path = write_practice(tmp_path, "quiet_hours: null")
    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(path))
    return path


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite file named by FRONTDESK_DATABASE_URL, with a text and an e-mail due."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    upgrade(url)
    engine = make_engine(url)
    try:
        now = datetime.now(UTC)
        for channel, to in [(Channel.SMS, "+15551234567"), (Channel.EMAIL, "ana@example.org")]:
            messages.queue_message(
                uow=SqlAlchemyUnitOfWork(make_session_factory(engine)),
                to=to,
                channel=channel,
                purpose=Purpose.REMINDER,
                body=BODY,
                at=now,
            )
    finally:
        engine.dispose()
    return url


def statuses(url: str) -> list[MessageStatus]:
    engine = make_engine(url)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with uow:
            return [m.status for m in uow.messages.list_all()]
    finally:
        engine.dispose()


def test_once_sends_everything_due_and_prints_totals(
    practice: Path, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--once` prints one masked line per message and the totals, with no message text."""
    assert main(["worker", "--once"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert sorted(line.split(",")[0] for line in lines[:2]) == [
        "email to a***@example.org: reminder",
        "sms to ********4567: reminder",
    ]
    assert (
        lines[2] == "sent 2, suppressed 0, skipped 0, deferred 0, retried 0, failed 0, uncertain 0"
    )
    assert "Dana" not in out
    assert statuses(database) == [MessageStatus.SENT, MessageStatus.SENT]


def test_json_totals(practice: Path, database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` ends with one JSON document of counts by outcome."""
    assert main(["worker", "--once", "--json", "--batch", "1"]) == 0
    totals = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert totals == {
        "sent": 2,
        "suppressed": 0,
        "skipped": 0,
        "deferred": 0,
        "retried": 0,
        "failed": 0,
        "uncertain": 0,
    }


def test_runs_until_terminated(
    practice: Path, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without `--once` the worker keeps passing until SIGTERM, then prints its totals."""
    timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
    previous = signal.getsignal(signal.SIGTERM)
    timer.start()
    try:
        assert main(["worker", "--interval", "0.05"]) == 0
    finally:
        timer.cancel()
    assert signal.getsignal(signal.SIGTERM) == previous
    assert capsys.readouterr().out.splitlines()[-1].startswith("sent 2,")


@pytest.mark.parametrize("options", [["--batch", "0"], ["--interval", "0"]])
def test_bad_options_are_refused(
    practice: Path, database: str, options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch below one or a non-positive interval is a usage error."""
    assert main(["worker", "--once", *options]) == 2
    assert "must be" in capsys.readouterr().err


def test_an_unmigrated_database_is_refused(
    practice: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The worker refuses a database behind the code and names the fix."""
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["worker", "--once"]) == 2
    assert "frontdesk migrate" in capsys.readouterr().err


def test_quiet_hours_come_from_the_practice_file(
    practice: Path, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A practice file whose quiet hours cover the present holds the text and sends the
    e-mail: the worker reads `reminders.quiet_hours`, not the environment."""
    hour = datetime.now(load_practice(practice).zone).hour
    # Two hours either side of now, so the window holds wherever the clock is.
    window = f'quiet_hours: "{(hour - 2) % 24:02d}:00-{(hour + 2) % 24:02d}:00"'
    write_practice(practice.parent, window)
    assert main(["worker", "--once", "--json"]) == 0
    totals = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (totals["sent"], totals["deferred"]) == (1, 1)
    assert sorted(statuses(database)) == sorted([MessageStatus.QUEUED, MessageStatus.SENT])


@pytest.mark.parametrize("variable", ["FRONTDESK_QUIET_HOURS_START", "FRONTDESK_QUIET_HOURS_END"])
def test_quiet_hours_in_the_environment_are_refused(
    practice: Path,
    database: str,
    variable: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A deployment still setting a quiet-hours environment variable is refused with a
    message naming the practice file's `reminders.quiet_hours`, and nothing is sent."""
    monkeypatch.setenv(variable, "20:00")
    assert main(["worker", "--once"]) == 2
    err = capsys.readouterr().err
    assert "reminders.quiet_hours" in err
    assert variable in err
    assert statuses(database) == [MessageStatus.QUEUED, MessageStatus.QUEUED]
