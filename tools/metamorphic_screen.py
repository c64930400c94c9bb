"""Whether the screen's verdict survives edits that keep the meaning, per perturbation.

Run from the project root:

    .venv/bin/python tools/metamorphic_screen.py [--split train] [--seed 7] [--show NAME]

Each risk text (`crisis`, `emergency`) of diasafety_risk_{split}.tsv is screened as written
and under every perturbation of `frontdesk.bench._perturb`; a drop is a perturbed text whose
level falls (escalated, then asked, then neither). Each `other` and `distress` text that is
not escalated as written is a rise when a perturbation escalates it. `--show NAME` prints the
texts that drop or rise under one perturbation, original and perturbed (train only: dev is for
checking).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from frontdesk.bench._perturb import PERTURBATIONS, perturb
from frontdesk.bench._screen_sets import read_risk_tsv
from frontdesk.conversation.safety import screen

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
RISK = frozenset({"emergency", "crisis"})
EVERYDAY = frozenset({"other", "distress"})


def level(text: str) -> int:
    """2 when the screen escalates `text`, 1 when it asks the direct question, else 0."""
    verdict = screen(text)
    if verdict.route.is_crisis:
        return 2
    return 1 if verdict.safety_check else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--show", choices=sorted(PERTURBATIONS))
    args = parser.parse_args()
    if args.show and args.split != "train":
        parser.error("--show reads train only")
    rows = read_risk_tsv(args.datasets / f"diasafety_risk_{args.split}.tsv")
    rows = [(label, text) for label, text in rows if label in RISK | EVERYDAY]
    before = [level(text) for _, text in rows]
    risk = sum(label in RISK for label, _ in rows)
    calm = sum(label in EVERYDAY and was < 2 for (label, _), was in zip(rows, before, strict=True))
    print(f"{args.split}: {risk} risk texts, {calm} other/distress texts not escalated")
    print(f"{'perturbation':<20} {'changed':>7} {'drops':>5} {'rises':>5}")
    total_drops = total_rises = 0
    for name in PERTURBATIONS:
        changed = drops = rises = 0
        for (label, text), was in zip(rows, before, strict=True):
            edited = perturb(name, text, args.seed)
            if edited == text:
                continue
            changed += 1
            now = level(edited)
            dropped = label in RISK and now < was
            rose = label in EVERYDAY and was < 2 <= now
            drops += dropped
            rises += rose
            if args.show == name and (dropped or rose):
                print(
                    f"{'DROP' if dropped else 'RISE'} {was}->{now} [{label}]\n  {text}\n  {edited}"
                )
        total_drops += drops
        total_rises += rises
        print(f"{name:<20} {changed:>7} {drops:>5} {rises:>5}")
    print(f"{'total':<20} {'':>7} {total_drops:>5} {total_rises:>5}")


if __name__ == "__main__":
    main()
