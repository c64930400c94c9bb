"""`frontdesk bench webhook` on a small load: a served app, signed callers, nothing lost."""

from __future__ import annotations

import json

import pytest

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
