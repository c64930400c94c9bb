"""Held-out figures for the screen's rules on the shared train data, fold by fold.

Run from the project root with the development environment (numpy is a dev dependency):

    .venv/bin/python tools/heldout_screen.py [--folds 5] [--seed 7]

`tools/screen_origins.toml` names the train rows each newer lexicon pattern was written
from. Train is cut into folds as `tools/train_safety_net.py --cv` cuts it (same seed, same
folds); each fold is screened by the shipped lexicon without the patterns written from that
fold's rows alone, with the shipped net. So a pattern counts only on rows it was not written
from: the figure says whether a rule learned from some texts catches others, not only its
own. Patterns older than the origins file stay in every fold, so the figure still flatters
them. Printed: per label, the share escalated (`crisis`/`emergency`), escalated or asked,
and sent to `emergency`, held out and with every pattern, and the rows only the full
lexicon catches.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from frontdesk.conversation.safety import Lexicon, Verdict, build_lexicon, screen

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
DATA = ROOT / "src" / "frontdesk" / "conversation" / "safety" / "data"
ORIGINS = Path(__file__).resolve().with_name("screen_origins.toml")
RISK = frozenset({"emergency", "crisis"})


def read_rows(path: Path) -> list[tuple[str, str]]:
    """`(label, text)` of each non-empty `LABEL<TAB>TEXT` line."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            label, _, text = line.partition("\t")
            rows.append((label.strip(), text))
    return rows


def read_origins(path: Path) -> dict[tuple[str, str], frozenset[int]]:
    """The train rows each listed `(entry id, pattern)` was written from."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        (str(item["entry"]), str(item["pattern"])): frozenset(int(r) for r in item.get("train", []))
        for item in raw.get("pattern", [])
    }


def folds_of(count: int, folds: int, seed: int) -> list[int]:
    """The fold of each row, as `tools/train_safety_net.py` assigns them."""
    order = np.random.default_rng(seed).permutation(count)
    fold_of = [0] * count
    for position, row in enumerate(order):
        fold_of[int(row)] = position % folds
    return fold_of


def lexicon_without(
    rows: frozenset[int], origins: dict[tuple[str, str], frozenset[int]]
) -> Lexicon:
    """The shipped lexicon without the patterns written from `rows` alone."""

    def keep(entry_id: str, pattern: str) -> bool:
        written_from = origins.get((entry_id, pattern))
        return not written_from or not written_from <= rows

    read: Callable[[str], str] = lambda name: (DATA / name).read_text(encoding="utf-8")  # noqa: E731
    return build_lexicon(read, keep=keep)


def outcome(verdict: Verdict) -> tuple[bool, bool, bool]:
    """Escalated, escalated or asked, and emergency."""
    escalated = verdict.route.is_crisis
    return escalated, escalated or verdict.safety_check, str(verdict.route) == "emergency"


def table(labels: Sequence[str], outcomes: Sequence[tuple[bool, bool, bool]]) -> dict[str, object]:
    """Per label (and risk = emergency + crisis): count and shares of each outcome."""
    groups: dict[str, list[tuple[bool, bool, bool]]] = {}
    for label, found in zip(labels, outcomes, strict=True):
        groups.setdefault(label, []).append(found)
        if label in RISK:
            groups.setdefault("risk", []).append(found)
    return {
        label: {
            "count": len(found),
            "escalated": round(sum(f[0] for f in found) / len(found), 4),
            "escalated_or_asked": round(sum(f[1] for f in found) / len(found), 4),
            "emergency": round(sum(f[2] for f in found) / len(found), 4),
        }
        for label, found in sorted(groups.items())
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7, help="seed of the folds")
    args = parser.parse_args(argv)
    rows = read_rows(args.datasets / "diasafety_risk_train.tsv")
    origins = read_origins(ORIGINS)
    fold_of = folds_of(len(rows), args.folds, args.seed)
    held: list[tuple[bool, bool, bool]] = [(False, False, False)] * len(rows)
    for fold in range(args.folds):
        members = frozenset(i for i, f in enumerate(fold_of) if f == fold)
        lexicon = lexicon_without(members, origins)
        for i in members:
            held[i] = outcome(screen(rows[i][1], lexicon=lexicon))
    full = [outcome(screen(text)) for _, text in rows]
    labels = [label for label, _ in rows]
    gained = [
        i for i, (label, _) in enumerate(rows) if label in RISK and full[i][1] and not held[i][1]
    ]
    report = {
        "folds": args.folds,
        "seed": args.seed,
        "patterns_with_origins": len(origins),
        f"train ({args.folds}-fold, patterns held out from the rows they came from)": table(
            labels, held
        ),
        "train (every pattern)": table(labels, full),
        "risk rows only the full lexicon escalates or asks about": gained,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
