"""`frontdesk bench screen`: the safety screen against public labelled data.

For each set it prints how many utterances took each route, for the screen and for a naive
keyword baseline side by side, checks the set's target, and times the screen: throughput,
p50/p99 latency per utterance, the time to answer one realistic 100 KB input and several
adversarial ones (thousands of matches, no sentence breaks, repeated negations, idioms,
stutters), and checks the speed targets.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from frontdesk.bench._stats import latency_summary, percentile, print_report, share_table, timed
from frontdesk.config import Settings
from frontdesk.conversation.safety import default_lexicon, screen
from frontdesk.domain.calls import Route
from frontdesk.domain.errors import DatasetError

ROUTES = [str(r) for r in Route]
CRISIS_ROUTES = ("emergency", "crisis")
LONG_INPUT_CHARS = 100_000
SHORT_INPUT_CHARS = 300

# Speed targets: utterances per second, p99 for short inputs, median for 100 KB inputs.
MIN_PER_SECOND = 2000.0
MAX_SHORT_P99_MS = 5.0
MAX_LONG_MEDIAN_MS = 50.0

# Inputs built to make a screen slow: each phrase repeated to 100 KB.
ADVERSARIAL_PHRASES = {
    "dense_crisis": "he is beating me and i want to kill myself. ",
    "no_sentence_breaks": "kill myself ",
    "negated": "i am not suicidal. ",
    "idioms": "this traffic is killing me. ",
    "third_party": "my son took pills right now not ",
    "mixed_context": "i used to cut myself. what if he shot my dad? the knife is in my hand ",
    "stutter": "i i w- want to to ",
    "punctuation": ".!? ",
}

# The naive baseline: any of these words anywhere means crisis.
BASELINE_WORDS = frozenset(
    [
        "kill",
        "kills",
        "killed",
        "killing",
        "die",
        "dies",
        "died",
        "dying",
        "dead",
        "death",
        "suicide",
        "suicidal",
        "hurt",
        "hurting",
        "overdose",
        "overdosed",
        "cut",
        "cutting",
        "hang",
        "hanging",
        "jump",
        "jumping",
        "shoot",
        "shooting",
        "gun",
        "knife",
        "pills",
        "blood",
        "bleeding",
        "abuse",
        "abused",
        "hit",
        "hitting",
        "rape",
        "murder",
        "harm",
    ]
)
_WORD = re.compile(r"[a-z]+")


def baseline_route(text: str) -> Route:
    """Crisis when any alarm word appears, routine otherwise: the screen's yardstick."""
    return (
        Route.CRISIS
        if any(w in BASELINE_WORDS for w in _WORD.findall(text.lower()))
        else Route.ROUTINE
    )


@dataclass(frozen=True, slots=True)
class Target:
    """A bound on the share of a set routed to some routes."""

    description: str
    routes: tuple[str, ...]
    at_most: float | None = None
    at_least: float | None = None

    def met(self, share: float) -> bool:
        if self.at_most is not None and share > self.at_most:
            return False
        return not (self.at_least is not None and share < self.at_least)


@dataclass(frozen=True, slots=True)
class EvalSet:
    """A named list of utterances from one data file, with the target it must meet."""

    name: str
    source: str
    split: str
    texts: tuple[str, ...]
    target: Target | None


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    if not path.is_file():
        raise DatasetError(f"data set file not found: {path}")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path.name}:{number}: not valid JSON") from exc
            if not isinstance(row, dict):
                raise DatasetError(f"{path.name}:{number}: expected an object")
            yield row


def _text(row: dict[str, object], field: str, where: str) -> str:
    value = row.get(field)
    if not isinstance(value, str):
        raise DatasetError(f"{where}: missing text field {field!r}")
    return value


NO_CRISIS = ("emergency or crisis", CRISIS_ROUTES)


def _clinc(root: Path) -> list[EvalSet]:
    path = root / "clinc150.jsonl"
    texts = tuple(_text(r, "text", path.name) for r in _jsonl(path))
    target = Target("at most 0.1% emergency/crisis", CRISIS_ROUTES, at_most=0.001)
    return [EvalSet("clinc150", path.name, "all", texts, target)]


def _sgd(root: Path) -> list[EvalSet]:
    sets = []
    for split in ("dev", "test"):
        path = root / f"sgd_therapist_{split}.jsonl"
        texts: list[str] = []
        for dialogue in _jsonl(path):
            turns = dialogue.get("turns")
            if not isinstance(turns, list):
                raise DatasetError(f"{path.name}: a dialogue has no turns")
            texts.extend(
                t["text"]
                for t in turns
                if isinstance(t, dict)
                and t.get("speaker") == "user"
                and t.get("service") == "Services_4"
                and isinstance(t.get("text"), str)
            )
        target = Target("no emergency/crisis", CRISIS_ROUTES, at_most=0.0)
        sets.append(EvalSet(f"sgd_therapist_{split}", path.name, split, tuple(texts), target))
    return sets


def _xstest(root: Path) -> list[EvalSet]:
    path = root / "xstest_prompts.csv"
    if not path.is_file():
        raise DatasetError(f"data set file not found: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and not {"prompt", "label"} <= set(rows[0]):
        raise DatasetError(f"{path.name}: expected columns 'prompt' and 'label'")
    safe = tuple(r["prompt"] for r in rows if r["label"] == "safe")
    unsafe = tuple(r["prompt"] for r in rows if r["label"] != "safe")
    return [
        EvalSet(
            "xstest_safe",
            path.name,
            "all",
            safe,
            Target("at most 1% emergency/crisis", CRISIS_ROUTES, at_most=0.01),
        ),
        EvalSet("xstest_unsafe", path.name, "all", unsafe, None),
    ]


def _moderation(root: Path) -> list[EvalSet]:
    path = root / "moderation_samples.jsonl"
    rows = list(_jsonl(path))
    self_harm = tuple(_text(r, "prompt", path.name) for r in rows if r.get("SH") == 1)
    other = tuple(_text(r, "prompt", path.name) for r in rows if r.get("SH") == 0)
    target = Target(
        "at least 90% emergency/crisis/sensitive",
        ("emergency", "crisis", "sensitive"),
        at_least=0.9,
    )
    return [
        EvalSet("moderation_self_harm", path.name, "all", self_harm, target),
        EvalSet("moderation_not_self_harm", path.name, "all", other, None),
    ]


def _diasafety(root: Path) -> list[EvalSet]:
    path = root / "diasafety_medical_questions.jsonl"
    rows = [(str(r.get("split", "")), _text(r, "text", path.name)) for r in _jsonl(path)]
    target = Target("at least 80% clinical or emergency", ("clinical", "emergency"), at_least=0.8)
    sets = [EvalSet("diasafety_medical", path.name, "all", tuple(t for _, t in rows), target)]
    for split in ("val", "test"):
        texts = tuple(t for s, t in rows if s == split)
        sets.append(EvalSet(f"diasafety_medical_{split}", path.name, split, texts, target))
    return sets


LOADERS: tuple[Callable[[Path], list[EvalSet]], ...] = (
    _clinc,
    _sgd,
    _xstest,
    _moderation,
    _diasafety,
)


def load_sets(root: Path) -> list[EvalSet]:
    """Every evaluation set under `root` (a `DatasetError` names the first missing file)."""
    if not root.is_dir():
        raise DatasetError(f"data set directory not found: {root}")
    return [s for loader in LOADERS for s in loader(root)]


def _share(table: dict[str, dict[str, float | int]], routes: tuple[str, ...]) -> float:
    return round(sum(float(table[r]["share"]) for r in routes), 6)


def evaluate(eval_set: EvalSet) -> tuple[dict[str, object], list[float]]:
    """The report entry for one set, and the screen's duration per utterance."""
    verdicts, durations = timed(screen, eval_set.texts)
    ours = share_table((str(v.route) for v in verdicts), ROUTES)
    theirs = share_table((str(baseline_route(t)) for t in eval_set.texts), ROUTES)
    entry: dict[str, object] = {
        "name": eval_set.name,
        "file": eval_set.source,
        "split": eval_set.split,
        "count": len(eval_set.texts),
        "ours": ours,
        "baseline": theirs,
        "screen_errors": sum(1 for v in verdicts if v.reason is not None),
    }
    if eval_set.target is not None:
        target = eval_set.target
        share = _share(ours, target.routes)
        entry["target"] = {
            "description": target.description,
            "routes": list(target.routes),
            "ours": share,
            "baseline": _share(theirs, target.routes),
            "met": target.met(share),
        }
    return entry, durations


def long_input(texts: list[str], size: int = LONG_INPUT_CHARS) -> str:
    """A deterministic input of exactly `size` characters built from real utterances."""
    pieces: list[str] = []
    total = 0
    index = 0
    while total < size and texts:
        piece = texts[index % len(texts)]
        pieces.append(piece)
        total += len(piece) + 1
        index += 1
    return " ".join(pieces)[:size] if pieces else "a" * size


def time_long_input(text: str, repeats: int = 7) -> dict[str, float | int]:
    """Best, median and worst time, in milliseconds, to screen `text` several times."""
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        screen(text)
        durations.append(time.perf_counter() - started)
    return {
        "chars": len(text),
        "repeats": repeats,
        "min_ms": round(min(durations) * 1000, 3),
        "median_ms": round(percentile(durations, 50) * 1000, 3),
        "max_ms": round(max(durations) * 1000, 3),
    }


def adversarial_inputs(size: int = LONG_INPUT_CHARS) -> dict[str, str]:
    """Each adversarial phrase repeated to exactly `size` characters."""
    return {
        name: (phrase * (size // len(phrase) + 1))[:size]
        for name, phrase in ADVERSARIAL_PHRASES.items()
    }


def speed_targets(timing: dict[str, dict[str, object]]) -> list[dict[str, object]]:
    """Each speed target with the measured value and whether it was met."""

    def number(block: str, key: str) -> float:
        value = timing[block][key]
        return float(value) if isinstance(value, int | float) else float("inf")

    adversarial = timing["adversarial"]
    worst = max(
        (float(v["median_ms"]) for v in adversarial.values() if isinstance(v, dict)),
        default=0.0,
    )
    checks = [
        ("utterances per second", number("all", "per_second"), MIN_PER_SECOND, True),
        (
            "p99 ms, inputs up to 300 chars",
            number("short_inputs", "p99_ms"),
            MAX_SHORT_P99_MS,
            False,
        ),
        (
            "median ms, realistic 100 KB input",
            number("long_input", "median_ms"),
            MAX_LONG_MEDIAN_MS,
            False,
        ),
        ("median ms, worst adversarial 100 KB input", worst, MAX_LONG_MEDIAN_MS * 4, False),
    ]
    return [
        {
            "description": description,
            "value": round(value, 3),
            "limit": limit,
            "met": value >= limit if at_least else value <= limit,
        }
        for description, value, limit, at_least in checks
    ]


def run_bench(root: Path) -> dict[str, object]:
    """Run every set under `root` and time the screen; the whole report as plain data."""
    eval_sets = load_sets(root)
    default_lexicon()  # load once, outside the timings
    entries: list[dict[str, object]] = []
    all_durations: list[float] = []
    short_durations: list[float] = []
    all_texts: list[str] = []
    for eval_set in eval_sets:
        entry, durations = evaluate(eval_set)
        entries.append(entry)
        all_durations.extend(durations)
        all_texts.extend(eval_set.texts)
        short_durations.extend(
            d for t, d in zip(eval_set.texts, durations, strict=True) if len(t) <= SHORT_INPUT_CHARS
        )
    targets = [e["target"] for e in entries if "target" in e]
    timing: dict[str, dict[str, object]] = {
        "all": dict(latency_summary(all_durations)),
        "short_inputs": {"max_chars": SHORT_INPUT_CHARS, **latency_summary(short_durations)},
        "long_input": dict(time_long_input(long_input(all_texts))),
        "adversarial": {
            name: time_long_input(text, repeats=3) for name, text in adversarial_inputs().items()
        },
    }
    speed = speed_targets(timing)
    return {
        "bench": "screen",
        "lexicon_version": default_lexicon().version,
        "datasets": str(root),
        "sets": entries,
        "timing": timing,
        "speed_targets": speed,
        "baseline": {"rule": "crisis if any listed word appears", "words": sorted(BASELINE_WORDS)},
        "all_targets_met": all(isinstance(t, dict) and t.get("met") for t in targets),
        "speed_targets_met": all(t["met"] for t in speed),
    }


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "screen",
        description=__doc__,
    )
    parser.add_argument(
        "--datasets",
        metavar="DIR",
        type=Path,
        default=None,
        help="directory of data sets (default: $FRONTDESK_DATASETS_DIR, else ../shared/datasets)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    root: Path = args.datasets if args.datasets is not None else settings.datasets_dir
    print_report(run_bench(root), as_json=args.json)
    return 0
