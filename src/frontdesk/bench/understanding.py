"""`frontdesk bench understanding`: latency of `understand`, per question the flow can ask.

Two workloads on the shipped example practice's vocabulary (its payers, clinicians and
specialties): every user turn of the SGD therapist dialogues (`sgd_therapist_dev.jsonl`)
read with no question pending, and a fixed set of intake answers read once under each
`expecting` mode (every `Slot`, and none). Each utterance is timed alone, after one
warm-up pass that builds the vocabulary's matchers, so the figures are per utterance;
process CPU time is reported beside wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from frontdesk.adapters.practice_file import load_practice
from frontdesk.bench._options import add_common_options, datasets_dir
from frontdesk.bench._stats import latency_summary, print_report
from frontdesk.config import Settings
from frontdesk.conversation.understanding import understand, vocabulary_from_practice
from frontdesk.conversation.understanding.result import Slot, Vocabulary
from frontdesk.domain.errors import DatasetError

P99_TARGET_MS = 3.0
NOW = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # a Tuesday afternoon
SGD_FILE = "sgd_therapist_dev.jsonl"
ROUNDS = 3  # each utterance is timed this many times, to steady the tail

INTAKE_ANSWERS: tuple[str, ...] = (
    "it's for me",
    "for my daughter, she's 15",
    "can you add my daughter to the wait list",
    "my son has ADD and he's been struggling at school",
    "I'm 34",
    "twenty nine",
    "Jamie Rivera",
    "March 3rd 1990",
    "in person",
    "either is fine, video or in person",
    "I'm in Chicago for most of the week but sometimes in Madison",
    "Wisconsin, not Illinois",
    "we have Aetna",
    "etna",
    "sigma",
    "Blue Cross Blue Shield of Illinois through my husband's employer",
    "um I think it's united health care or maybe optum I'm not totally sure",
    "no insurance, I'd pay out of pocket, do you have a sliding scale?",
    "I'd rather not say",
    "mostly anxiety and trouble sleeping, and stress at work since my mom passed away",
    "weekday evenings after 5, or Saturday mornings before 11",
    "next Tuesday at half past 4 or Thursday after 3pm",
    "text me please",
    "my number is three one two five five five zero one two three",
    "it's jane dot doe at gmail dot com",
    "yes you can text me",
    "yes I have a laptop and a private room",
    "sorry can you repeat that",
    "does anyone there work with trauma or OCD, and do you take Cigna?",
    (
        "hi yeah so um I'm calling because my fifteen year old has been having a really hard "
        "time with anxiety and school refusal and we were hoping to find someone who takes "
        "blue cross and could see her after school on tuesdays or thursdays maybe in person "
        "in Evanston or on video if that's easier, she's never been to therapy before"
    ),
)


def sgd_user_turns(path: Path) -> list[str]:
    """The text of every user turn in an SGD dialogues file, in file order."""
    if not path.is_file():
        raise DatasetError(f"data set file not found: {path.name}")
    return list(_user_turns(path))


def _user_turns(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                dialogue = json.loads(line)
                turns = dialogue["turns"]
            except (ValueError, KeyError, TypeError) as error:
                raise DatasetError(f"{path.name}: line {number} is not a dialogue") from error
            for turn in turns:
                if turn.get("speaker") == "user" and isinstance(turn.get("text"), str):
                    yield turn["text"]


def example_vocabulary() -> Vocabulary:
    """The vocabulary of the shipped example practice."""
    data = resources.files("frontdesk.data")
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as folder:
        practice_file = Path(folder) / "practice.yaml"
        practice_file.write_text((data / "example_practice.yaml").read_text("utf-8"), "utf-8")
        scripts = (data / "scripts" / "default.yaml").read_text("utf-8")
        (Path(folder) / "scripts.yaml").write_text(scripts, "utf-8")
        return vocabulary_from_practice(load_practice(practice_file))


def _latencies(
    texts: Sequence[str], vocabulary: Vocabulary, expecting: Slot | None
) -> tuple[list[float], list[float]]:
    """Wall-clock and process CPU seconds per utterance, over `ROUNDS` passes after a warm-up.

    CPU time is reported beside wall time because on a busy machine the wall-clock tail
    measures the scheduler more than the code.
    """
    wall: list[float] = []
    cpu: list[float] = []
    clock, cpu_clock = time.perf_counter, time.process_time
    for round_number in range(ROUNDS + 1):
        for text in texts:
            started, cpu_started = clock(), cpu_clock()
            understand(text, vocabulary=vocabulary, now=NOW, expecting=expecting)
            if round_number:  # round 0 warms the vocabulary's matchers up
                wall.append(clock() - started)
                cpu.append(cpu_clock() - cpu_started)
    return wall, cpu


def _summary(wall: Sequence[float], cpu: Sequence[float]) -> dict[str, float | int]:
    """Wall-clock latency with the CPU-time p50 and p99 beside it."""
    spent = latency_summary(cpu)
    return {**latency_summary(wall), "cpu_p50_ms": spent["p50_ms"], "cpu_p99_ms": spent["p99_ms"]}


def run_bench(*, datasets: Path) -> dict[str, object]:
    """The whole benchmark as plain data."""
    vocabulary = example_vocabulary()
    turns = sgd_user_turns(datasets / SGD_FILE)
    sgd = _summary(*_latencies(turns, vocabulary, None))
    modes: dict[str, dict[str, float | int]] = {}
    every_wall: list[float] = []
    every_cpu: list[float] = []
    for expecting in (None, *Slot):
        wall, cpu = _latencies(INTAKE_ANSWERS, vocabulary, expecting)
        every_wall.extend(wall)
        every_cpu.extend(cpu)
        modes[str(expecting) if expecting else "none"] = _summary(wall, cpu)
    groups = (sgd, *modes.values())
    worst = max(float(summary["p99_ms"]) for summary in groups)
    worst_cpu = max(float(summary["cpu_p99_ms"]) for summary in groups)
    return {
        "bench": "understanding",
        "rounds": ROUNDS,
        "sgd_user_turns": {"file": SGD_FILE, "utterances": len(turns), **sgd},
        "intake_answers": {
            "utterances": len(INTAKE_ANSWERS),
            "all_modes": _summary(every_wall, every_cpu),
            "by_expecting": modes,
        },
        "target": {
            "p99_ms": P99_TARGET_MS,
            "worst_p99_ms": worst,
            "met": worst <= P99_TARGET_MS,
            "worst_cpu_p99_ms": worst_cpu,
            "cpu_met": worst_cpu <= P99_TARGET_MS,
        },
    }


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "understanding",
        description=__doc__,
    )
    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    datasets = datasets_dir(args, settings)
    print_report(run_bench(datasets=datasets), as_json=args.json)
    return 0
