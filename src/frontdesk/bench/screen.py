"""`frontdesk bench screen`: the safety screen against public labelled data.

For each set it prints how many utterances took each route and how many asked the direct
question, for the screen and for a keyword baseline side by side (per label on the labelled
risk sets), checks each of the set's targets for both, reports coverage per risk construct,
and times the screen: throughput, p50/p99 latency per utterance, the time to answer one
realistic 100 KB input and several adversarial ones (thousands of matches, no sentence
breaks, repeated negations, idioms, stutters), the same inputs at growing sizes with a
check that the cost stays linear, and checks the speed targets.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from frontdesk.bench._options import add_common_options, datasets_dir
from frontdesk.bench._stats import latency_summary, percentile, print_report, share_table, timed
from frontdesk.config import Settings
from frontdesk.conversation.safety import Verdict, default_lexicon, screen
from frontdesk.domain.calls import Route

from ._baseline import keyword_baseline
from ._constructs import construct_coverage
from ._scaling import scaling_report
from ._screen_sets import CRISIS_ROUTES, RISK_SET_LABELS, EvalSet, Outcome, load_sets

ROUTES = [str(r) for r in Route]
LONG_INPUT_CHARS = 100_000
SHORT_INPUT_CHARS = 300
SCALING_SIZES = (100_000, 1_000_000, 10_000_000)

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


def baseline_route(text: str) -> Route:
    """The keyword baseline's route for `text` (see `baseline.toml`)."""
    return keyword_baseline().judge(text)[0]


def _label_table(
    labels: Sequence[str], outcomes: Sequence[Outcome]
) -> dict[str, dict[str, float | int]]:
    """Per label: its count and the share escalated, asked, escalated or asked, emergency."""
    table: dict[str, dict[str, float | int]] = {}
    for label in RISK_SET_LABELS:
        found = [o for lab, o in zip(labels, outcomes, strict=True) if lab == label]
        n = len(found) or 1
        escalated = sum(1 for route, _ in found if route in CRISIS_ROUTES)
        asked = sum(1 for route, asks in found if asks and route not in CRISIS_ROUTES)
        table[label] = {
            "count": len(found),
            "escalated": round(escalated / n, 4),
            "asked": round(asked / n, 4),
            "escalated_or_asked": round((escalated + asked) / n, 4),
            "emergency": round(sum(1 for route, _ in found if route == "emergency") / n, 4),
        }
    return table


def evaluate(eval_set: EvalSet) -> tuple[dict[str, object], list[float], list[Verdict]]:
    """The report entry for one set, the screen's duration per utterance, and its verdicts."""
    verdicts, durations = timed(screen, eval_set.texts)
    baseline = keyword_baseline()
    ours: list[Outcome] = [(str(v.route), v.safety_check) for v in verdicts]
    theirs: list[Outcome] = [(str(r), asks) for r, asks in map(baseline.judge, eval_set.texts)]
    count = len(eval_set.texts) or 1
    entry: dict[str, object] = {
        "name": eval_set.name,
        "file": eval_set.source,
        "split": eval_set.split,
        "count": len(eval_set.texts),
        "ours": share_table((route for route, _ in ours), ROUTES),
        "baseline": share_table((route for route, _ in theirs), ROUTES),
        "asked": {
            "ours": round(sum(1 for _, asks in ours if asks) / count, 4),
            "baseline": round(sum(1 for _, asks in theirs if asks) / count, 4),
        },
        "screen_errors": sum(1 for v in verdicts if v.reason is not None),
    }
    if eval_set.labels is not None:
        entry["labels"] = {
            "ours": _label_table(eval_set.labels, ours),
            "baseline": _label_table(eval_set.labels, theirs),
        }
    targets = []
    for target in eval_set.targets:
        share = target.share(ours, eval_set.labels)
        theirs_share = target.share(theirs, eval_set.labels)
        targets.append(
            {
                "description": target.description,
                "routes": list(target.routes),
                "labels": list(target.labels) if target.labels is not None else None,
                "counts_asked": target.asked,
                "ours": share,
                "baseline": theirs_share,
                "met": target.met(share),
                "baseline_met": target.met(theirs_share),
            }
        )
    if targets:
        entry["targets"] = targets
    return entry, durations, verdicts


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


def time_long_input(text: str, repeats: int = 7) -> dict[str, float | int | str]:
    """Best, median and worst time, in milliseconds, to screen `text` several times.

    Timed in processor time, as the scaling check is: the screen's own work, not the time
    it waited for a machine shared with other busy processes (on such a machine the clock
    on the wall has ranged from 26 to 74 ms for the same input).
    """
    durations = []
    for _ in range(repeats):
        started = time.process_time()
        screen(text)
        durations.append(time.process_time() - started)
    return {
        "chars": len(text),
        "repeats": repeats,
        "clock": "process",
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


def run_bench(root: Path, sizes: Sequence[int] = SCALING_SIZES) -> dict[str, object]:
    """Run every set under `root` and time the screen; the whole report as plain data."""
    eval_sets = load_sets(root)
    lexicon = default_lexicon()  # load once, outside the timings
    entries: list[dict[str, object]] = []
    all_durations: list[float] = []
    short_durations: list[float] = []
    all_texts: list[str] = []
    risk_sets: list[EvalSet] = []
    risk_verdicts: list[list[Verdict]] = []
    for eval_set in eval_sets:
        entry, durations, verdicts = evaluate(eval_set)
        entries.append(entry)
        all_durations.extend(durations)
        all_texts.extend(eval_set.texts)
        short_durations.extend(
            d for t, d in zip(eval_set.texts, durations, strict=True) if len(t) <= SHORT_INPUT_CHARS
        )
        if eval_set.labels is not None:
            risk_sets.append(eval_set)
            risk_verdicts.append(verdicts)
    targets = [t for e in entries for t in _targets(e)]
    timing: dict[str, dict[str, object]] = {
        "all": dict(latency_summary(all_durations)),
        "short_inputs": {"max_chars": SHORT_INPUT_CHARS, **latency_summary(short_durations)},
        "long_input": dict(time_long_input(long_input(all_texts))),
        "adversarial": {
            name: time_long_input(text, repeats=3) for name, text in adversarial_inputs().items()
        },
    }
    speed = speed_targets(timing)
    scaling = scaling_report(all_texts, sizes, adversarial_inputs)
    return {
        "bench": "screen",
        "lexicon_version": lexicon.version,
        "datasets": str(root),
        "sets": entries,
        "constructs": construct_coverage(root, lexicon, risk_sets, risk_verdicts),
        "timing": timing,
        "scaling": scaling,
        "speed_targets": speed,
        "baseline": {
            "rule": "the first route whose word appears; an ask word asks",
            "version": keyword_baseline().version,
            "words": {str(route): sorted(words) for route, words in keyword_baseline().routes},
            "ask": sorted(keyword_baseline().ask),
        },
        "all_targets_met": all(t.get("met") is True for t in targets),
        "speed_targets_met": all(t["met"] for t in speed) and scaling["linear"] is True,
    }


def _targets(entry: dict[str, object]) -> list[dict[str, object]]:
    found = entry.get("targets", [])
    return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []


def _sizes(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in value.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError("sizes are whole numbers of characters") from exc
    if len(sizes) < 2 or min(sizes) <= 0:
        raise argparse.ArgumentTypeError("give at least two positive sizes")
    return sizes


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "screen",
        description=__doc__,
    )
    add_common_options(parser)
    parser.add_argument(
        "--sizes",
        metavar="N,N,...",
        type=_sizes,
        default=SCALING_SIZES,
        help="input sizes in characters for the linearity check (default 100000,1000000,10000000)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    root = datasets_dir(args, settings)
    print_report(run_bench(root, args.sizes), as_json=args.json)
    return 0
