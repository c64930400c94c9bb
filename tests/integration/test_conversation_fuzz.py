"""The conversation fuzzer as a property test: a few dozen simulated calls on real services."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from tests.fuzz_datasets import write_fuzz_datasets

from frontdesk.bench.conversation import run_bench
from frontdesk.bench.engine import example_services
from frontdesk.config import Settings
from frontdesk.entrypoints.cli.main import main

SEEDS = (1, 2, 3)
CALLS_PER_SEED = 12
HARD = ("imprecise_value", "question_said_3_times", "rule_breaking_booking", "risk_not_followed")


def _violations(tmp_path: Path, seed: int) -> Counter[str]:
    datasets = write_fuzz_datasets(tmp_path / f"data-{seed}")
    result, _ = run_bench(
        calls=CALLS_PER_SEED,
        seed=seed,
        datasets=datasets,
        build_services=example_services(Settings()),
    )
    kinds = result["violations_by_kind"]
    assert isinstance(kinds, dict)
    return Counter({k: v for k, v in kinds.items() if k in HARD})


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_fuzzed_calls_record_only_what_was_said_never_loop_and_keep_the_rules(
    tmp_path: Path, seed: int
) -> None:
    """Simulated callers off the script get no unsaid value recorded, no question a third
    time, no rule-breaking booking, and the crisis path or the safety question after risk."""
    assert _violations(tmp_path, seed) == Counter()


def test_bench_conversation_reports_targets_and_replayable_violations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`frontdesk bench conversation --json` reports every target and names each violation's
    seed and call, and `--replay SEED:CALL` prints that call's transcript."""
    datasets = write_fuzz_datasets(tmp_path / "data")
    args = ["bench", "conversation", "--calls", "3", "--seed", "5", "--datasets", str(datasets)]
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["calls"] == 3
    assert set(report["targets"]) == {
        "precision",
        "recall",
        "calls_with_a_question_said_3_times",
        "calls_with_a_request_unhandled",
        "risk_sentences_not_followed",
        "rule_breaking_bookings",
    }
    assert all(v["replay"].startswith("5:") for v in report["violations"])
    assert main([*args, "--replay", "5:2"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("call 5:2")
    assert " caller " in shown


def test_bench_conversation_refuses_a_malformed_replay(capsys: pytest.CaptureFixture[str]) -> None:
    """`--replay` without SEED:CALL is refused with exit status 2."""
    assert main(["bench", "conversation", "--replay", "seven"]) == 2
    assert "SEED:CALL" in capsys.readouterr().err
