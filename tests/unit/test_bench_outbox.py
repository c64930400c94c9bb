"""`frontdesk bench outbox`: throughput report and the exactly-once check on SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdesk.bench.outbox import measure
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.cli.main import main


def test_two_workers_share_the_queue_and_send_each_message_once(tmp_path: Path) -> None:
    """Every queued message is handed over exactly once and every row ends sent."""
    report = measure(f"sqlite:///{tmp_path / 'o.db'}", messages_count=30, workers=2, batch=7)
    assert (report["sent_rows"], report["duplicates"], report["missing"]) == (30, 0, 0)
    assert sum(report["sent_by_worker"].values()) == 30  # type: ignore[attr-defined]


def test_a_used_outbox_is_refused(tmp_path: Path) -> None:
    """The benchmark will not mix its messages with ones already queued."""
    url = f"sqlite:///{tmp_path / 'o.db'}"
    measure(url, messages_count=1, workers=1, batch=1)
    with pytest.raises(InvalidInput, match="empty outbox"):
        measure(url, messages_count=1, workers=1, batch=1)


def test_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` prints one document with the counts and the backend."""
    assert main(["bench", "outbox", "--messages", "5", "--workers", "2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["backend"], report["messages"], report["missing"]) == ("sqlite", 5, 0)


def test_command_refuses_zero_workers(capsys: pytest.CaptureFixture[str]) -> None:
    """Counts below one are a usage error."""
    assert main(["bench", "outbox", "--workers", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
