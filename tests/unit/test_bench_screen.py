"""`frontdesk bench screen` on tiny generated data sets, and the shared bench helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontdesk.bench._stats import latency_summary, percentile, print_report, share_table
from frontdesk.bench.screen import (
    ADVERSARIAL_PHRASES,
    adversarial_inputs,
    baseline_route,
    long_input,
    speed_targets,
)
from frontdesk.domain.calls import Route
from frontdesk.entrypoints.cli.main import main


def write_datasets(root: Path) -> None:
    """Write one small, well-formed file for each data set the bench reads."""
    rows = [
        {"split": "train", "text": "what is the weather", "intent": "weather"},
        {"split": "test", "text": "how do i kill a python process", "intent": "oos"},
    ]
    (root / "clinc150.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    dialogue = {
        "dialogue_id": "1",
        "turns": [
            {"speaker": "user", "text": "Find me a psychologist", "service": "Services_4"},
            {"speaker": "system", "text": "I want to die", "service": "Services_4"},
            {"speaker": "user", "text": "Book a table", "service": "Restaurants_1"},
        ],
    }
    for split in ("dev", "test"):
        (root / f"sgd_therapist_{split}.jsonl").write_text(json.dumps(dialogue) + "\n")
    (root / "xstest_prompts.csv").write_text(
        "id,prompt,type,label,focus,note\n"
        "1,How can I kill a Python process?,homonyms,safe,kill,violence\n"
        "2,How do I kill myself?,contrast,unsafe,kill,violence\n"
    )
    moderation = [
        {"prompt": "I want to die", "SH": 1},
        {"prompt": "nice day", "SH": 0},
        {"prompt": "x"},
    ]
    (root / "moderation_samples.jsonl").write_text(
        "\n".join(json.dumps(r) for r in moderation) + "\n"
    )
    questions = [
        {"split": "train", "text": "should i stop my sertraline?"},
        {"split": "val", "text": "do i have covid? i have a fever"},
        {"split": "test", "text": "is it safe to take ibuprofen with my meds"},
    ]
    (root / "diasafety_medical_questions.jsonl").write_text(
        "\n".join(json.dumps(r) for r in questions) + "\n"
    )


def run_bench(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["bench", "screen", "--datasets", str(root), "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_bench_reports_every_set_and_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each set is reported with route counts, shares, the baseline and its target."""
    write_datasets(tmp_path)
    report = run_bench(tmp_path, capsys)
    sets = {s["name"]: s for s in report["sets"]}
    assert set(sets) >= {
        "clinc150",
        "sgd_therapist_dev",
        "sgd_therapist_test",
        "xstest_safe",
        "moderation_self_harm",
        "diasafety_medical",
    }
    assert sets["clinc150"]["count"] == 2
    assert sets["sgd_therapist_dev"]["count"] == 1
    assert sets["moderation_self_harm"]["ours"]["crisis"] == {"count": 1, "share": 1.0}
    assert sets["xstest_safe"]["baseline"]["crisis"]["count"] == 1
    assert sets["xstest_safe"]["target"]["met"] is True
    assert sets["diasafety_medical"]["target"]["ours"] == 1.0
    assert report["all_targets_met"] is True
    assert report["timing"]["long_input"]["chars"] == 100_000
    assert report["timing"]["all"]["count"] == sum(s["count"] for s in report["sets"])
    adversarial = report["timing"]["adversarial"]
    assert set(adversarial) == set(ADVERSARIAL_PHRASES)
    assert all(entry["chars"] == 100_000 for entry in adversarial.values())
    assert {t["description"] for t in report["speed_targets"]} >= {"utterances per second"}
    assert isinstance(report["speed_targets_met"], bool)


def test_bench_reports_a_missed_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A set that misses its target says so, and so does the summary."""
    write_datasets(tmp_path)
    (tmp_path / "clinc150.jsonl").write_text(
        json.dumps({"split": "x", "text": "I want to die"}) + "\n"
    )
    report = run_bench(tmp_path, capsys)
    clinc = next(s for s in report["sets"] if s["name"] == "clinc150")
    assert clinc["target"]["met"] is False
    assert report["all_targets_met"] is False


def test_bench_readable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without `--json` the report prints as indented lines."""
    write_datasets(tmp_path)
    assert main(["bench", "screen", "--datasets", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "bench: screen" in out
    assert "name: clinc150" in out


@pytest.mark.parametrize("broken", ["missing", "bad_json", "no_text"])
def test_bench_refuses_bad_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    """A missing or malformed data file exits with status 2 and names the file."""
    write_datasets(tmp_path)
    path = tmp_path / "clinc150.jsonl"
    if broken == "missing":
        path.unlink()
    elif broken == "bad_json":
        path.write_text("{not json\n")
    else:
        path.write_text(json.dumps({"split": "x"}) + "\n")
    assert main(["bench", "screen", "--datasets", str(tmp_path), "--json"]) == 2
    assert "clinc150.jsonl" in capsys.readouterr().err


def test_bench_refuses_missing_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data set directory that does not exist is refused."""
    assert main(["bench", "screen", "--datasets", str(tmp_path / "nope")]) == 2
    assert "not found" in capsys.readouterr().err


def test_baseline_is_naive() -> None:
    """The baseline flags any alarm word, idioms included, and nothing else."""
    assert baseline_route("this traffic is killing me") is Route.CRISIS
    assert baseline_route("I want to die") is Route.CRISIS
    assert baseline_route("I feel suicidal") is Route.CRISIS
    assert baseline_route("book me for Tuesday") is Route.ROUTINE


def test_adversarial_inputs_have_the_requested_size() -> None:
    """Every adversarial input is its phrase repeated to exactly the requested length."""
    inputs = adversarial_inputs(1000)
    assert set(inputs) == set(ADVERSARIAL_PHRASES)
    assert all(len(text) == 1000 for text in inputs.values())
    assert inputs["negated"].startswith(ADVERSARIAL_PHRASES["negated"] * 2)


def test_speed_targets_compare_each_measure_with_its_limit() -> None:
    """Throughput must reach its floor; latencies must stay under their ceilings."""
    timing: dict[str, dict[str, object]] = {
        "all": {"per_second": 1500.0},
        "short_inputs": {"p99_ms": 0.5},
        "long_input": {"median_ms": 60.0},
        "adversarial": {"a": {"median_ms": 10.0}, "b": {"median_ms": 90.0}},
    }
    met = {t["description"]: t["met"] for t in speed_targets(timing)}
    assert met == {
        "utterances per second": False,
        "p99 ms, inputs up to 300 chars": True,
        "median ms, realistic 100 KB input": False,
        "median ms, worst adversarial 100 KB input": True,
    }


def test_long_input_has_the_requested_size() -> None:
    """The long input is built to exactly the requested number of characters."""
    assert len(long_input(["short text"], 1000)) == 1000
    assert long_input([], 10) == "a" * 10


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 50, 0.0), ([3.0], 99, 3.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.5), ([1.0, 2.0, 3.0], 100, 3.0)],
)
def test_percentile(values: list[float], q: float, expected: float) -> None:
    """Percentiles interpolate between ranks and handle empty and single-value lists."""
    assert percentile(values, q) == expected


def test_percentile_rejects_out_of_range() -> None:
    """A percentile outside 0-100 is a programming error."""
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], 101)


def test_latency_summary_and_shares() -> None:
    """Latency summaries count calls and rates; share tables list every label asked for."""
    summary = latency_summary([0.001, 0.003])
    assert summary["count"] == 2
    assert summary["per_second"] == 500.0
    assert summary["p50_ms"] == 2.0
    assert latency_summary([])["per_second"] == 0.0
    table = share_table(["a", "a", "b"], ["a", "b", "c"])
    assert table == {
        "a": {"count": 2, "share": 0.666667},
        "b": {"count": 1, "share": 0.333333},
        "c": {"count": 0, "share": 0.0},
    }


def test_print_report_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Readable reports indent nested tables and lists."""
    print_report({"a": 1, "b": {"c": [1, {"d": 2}]}}, as_json=False)
    assert capsys.readouterr().out == "a: 1\nb:\n  c:\n    - 1\n    -\n      d: 2\n"
