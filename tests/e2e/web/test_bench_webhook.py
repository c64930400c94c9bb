"""`frontdesk bench webhook` on a small load: a served app, signed callers, nothing lost."""

from __future__ import annotations

import json

import pytest
from tests.conftest import postgres_database

from frontdesk.entrypoints.cli.main import main


@pytest.mark.slow
def test_bench_webhook_reports_latency_errors_and_lost_turns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two callers flooding a served app answer every turn, store each once and report latency."""
    status = main(
        ["bench", "webhook", "--json", "--callers", "2", "--calls", "1", "--think-ms", "0"]
    )
    assert status == 0
    report = json.loads(capsys.readouterr().out)
    assert report["calls"] == 2
    assert report["errors"] == 0
    assert report["lost_turns"] == 0
    assert report["turns_stored"] == report["turns_answered"] > 2
    assert report["retries_sent"] >= 1
    assert set(report["latency_ms"]) == {"p50_ms", "p99_ms", "max_ms"}


@pytest.mark.slow
@pytest.mark.postgres
def test_bench_webhook_spreads_calls_over_processes_sharing_postgresql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two serve processes on one PostgreSQL database, every request to the next process,
    answer every turn and store each exactly once."""
    scratch = postgres_database()
    url = next(scratch)
    try:
        status = main(
            [
                "bench", "webhook", "--json", "--callers", "3", "--calls", "1",
                "--think-ms", "0", "--processes", "1", "2", "--database-url", url,
            ]
        )  # fmt: skip
    finally:
        next(scratch, None)
    assert status == 0
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [run["processes"] for run in runs] == [1, 2]
    for run in runs:
        assert run["database"] == "postgresql"
        assert run["errors"] == 0
        assert run["lost_turns"] == run["duplicated_turns"] == 0
        assert run["turns_stored"] == run["turns_answered"] > 3
