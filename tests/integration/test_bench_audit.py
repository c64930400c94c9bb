"""`frontdesk bench audit` on both backends: appends from several writers, then one walk."""

from __future__ import annotations

import pytest

from frontdesk.bench.audit import measure
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.cli.main import main


def test_the_bench_appends_fills_and_verifies(database_url: str) -> None:
    """Every append lands on one chain with the bulk fill, and the walk verifies it whole."""
    report = measure(database_url, appends=12, writers=3, records=60)
    assert report["chain_ok"] is True
    assert report["records"] == 60
    latency = report["append_latency"]
    assert isinstance(latency, dict)
    assert latency["count"] == 12
    with pytest.raises(InvalidInput, match="empty audit log"):
        measure(database_url, appends=1, writers=1, records=1)


def test_the_command_refuses_impossible_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    """Fewer records than appends is refused with a usage error."""
    assert main(["bench", "audit", "--appends", "10", "--records", "5"]) == 2
    assert "--records" in capsys.readouterr().err
