"""Train the safety screen's learned net from the shared public data and write its weights.

Run from the project root with the development environment (numpy is a dev dependency):

    .venv/bin/python tools/train_safety_net.py            # train, choose thresholds, write
    .venv/bin/python tools/train_safety_net.py --check    # only evaluate the shipped weights

Training data (never a test split): `diasafety_risk_train.tsv` (emergency and crisis are
risk; unclear is the ask zone, trained towards 0.5; distress, sensitive and other are not
risk) and the CLINC150 `train` and `oos_train` rows (not risk), so booking talk and idioms
stay routine. The thresholds are chosen on `diasafety_risk_dev.tsv` together with the
current rules (the net only ever adds to them) and on CLINC150 `val`. The run is
deterministic: the same data and seed give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt

from frontdesk.conversation.safety import default_lexicon
from frontdesk.conversation.safety import net as safety_net
from frontdesk.conversation.safety.screen import screen, screen_rules
from frontdesk.domain.calls import Route

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
DEFAULT_OUT = ROOT / "src" / "frontdesk" / "conversation" / "safety" / "data" / safety_net.NET_FILE

RISK_LABELS = frozenset({"emergency", "crisis"})
NOT_RISK_LABELS = frozenset({"distress", "sensitive", "other"})
ASK_LABEL = "unclear"
RECIPE = safety_net.Recipe(char_ngrams=(3, 5), window=1024, scale="sqrt")
ESCALATED = frozenset({Route.EMERGENCY, Route.CRISIS})

# What the thresholds must keep, on dev: shares of distress escalated and asked, of `other`
# escalated, of CLINC150 `val` escalated and asked, and of SGD `dev` user turns asked (none
# may be escalated; the screen bench wants none asked either). Each is stricter than the
# project's target, since dev is small and the rules also raise some distress on their own.
MAX_DISTRESS_ESCALATED = 0.03
MAX_DISTRESS_ASKED = 0.15
MAX_OTHER_ESCALATED = 0.0
MAX_CLINC_ESCALATED = 0.0005
MAX_CLINC_ASKED = 0.001
MAX_SGD_ASKED = 0.0
# Whatever the data allow, the net asks from no lower than ASK_FLOOR and raises from no lower
# than RAISE_FLOOR: `unclear` texts are trained towards 0.5, so raising starts well above it.
ASK_FLOOR = 0.4
RAISE_FLOOR = 0.7

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text: its label name and its target probability of risk."""

    label: str
    text: str


def read_risk(path: Path) -> list[Example]:
    """The `LABEL<TAB>TEXT` rows of a diasafety_risk file."""
    rows: list[Example] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        label, sep, text = line.partition("\t")
        if not sep or label not in RISK_LABELS | NOT_RISK_LABELS | {ASK_LABEL}:
            sys.exit(f"{path.name}:{number}: expected LABEL<TAB>TEXT with a known label")
        rows.append(Example(label, text))
    return rows


def read_clinc(path: Path, splits: Iterable[str]) -> list[str]:
    """CLINC150 texts of the given splits."""
    wanted = frozenset(splits)
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["split"] in wanted:
                texts.append(str(row["text"]))
    return texts


def read_sgd(path: Path) -> list[str]:
    """User turns of the therapist service in SGD dialogues."""
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            for turn in json.loads(line)["turns"]:
                if turn["speaker"] == "user" and turn.get("service") == "Services_4":
                    texts.append(str(turn["text"]))
    return texts


def read_xstest_safe(path: Path) -> list[str]:
    """XSTest prompts an assistant should answer: none is a crisis."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [r["prompt"] for r in csv.DictReader(handle) if r["label"] == "safe"]


def heard(text: str, *, blank_rule_risk: bool = True) -> str:
    """What the net learns from in `text`: what it hears beside the rules, without their risk.

    At run time the net hears a text the rules left below `crisis`, without the matches they
    judged (`net.unexplained`). In training the rules' own crisis matches are blanked too,
    so a text the rules escalate still teaches the words around its risk phrase, never the
    phrase itself (which the net would otherwise learn to hear everywhere: "myself").
    """
    verdict = screen_rules(text)
    heard_text = safety_net.unexplained(text, verdict, default_lexicon())
    if not blank_rule_risk:
        return heard_text
    return safety_net.blank(
        heard_text, ((m.start, m.end) for m in verdict.matches if m.route.is_crisis)
    )


def target(label: str) -> float:
    """The probability of risk a text with this label is trained towards."""
    if label in RISK_LABELS:
        return 1.0
    return 0.5 if label == ASK_LABEL else 0.0


class Matrix:
    """Sparse rows of feature values (CSR arrays) with their vocabulary."""

    def __init__(self, texts: Sequence[str], vocabulary: dict[str, int]) -> None:
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for row, text in enumerate(texts):
            tokens = safety_net.words(text)
            distinct = len(set(tokens))
            scale = 1.0 / math.sqrt(distinct) if distinct and RECIPE.scale == "sqrt" else 1.0
            counts = Counter(safety_net.features(tokens, RECIPE.char_ngrams))
            for feature, count in counts.items():
                col = vocabulary.get(feature)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
                    values.append(count * scale)
        self.rows: Ints = np.asarray(rows, dtype=np.int64)
        self.cols: Ints = np.asarray(cols, dtype=np.int64)
        self.values: Floats = np.asarray(values, dtype=np.float64)
        self.shape = (len(texts), len(vocabulary))

    def dot(self, weights: Floats) -> Floats:
        """Each row's weighted sum."""
        sums: Floats = np.bincount(
            self.rows, weights=self.values * weights[self.cols], minlength=self.shape[0]
        ).astype(np.float64)
        return sums

    def gradient(self, per_row: Floats) -> Floats:
        """The transpose product: each feature's sum of `per_row` over the rows holding it."""
        sums: Floats = np.bincount(
            self.cols, weights=self.values * per_row[self.rows], minlength=self.shape[1]
        ).astype(np.float64)
        return sums


def vocabulary_of(texts: Sequence[str], min_docs: int, max_share: float) -> dict[str, int]:
    """Features found in at least `min_docs` texts and at most `max_share` of them, numbered.

    The most common features (function words and their fragments) are left out: they say
    more about how a text was written, a forum post or an assistant request, than about risk.
    """
    docs: Counter[str] = Counter()
    for text in texts:
        docs.update(set(safety_net.features(safety_net.words(text), RECIPE.char_ngrams)))
    most = max_share * len(texts)
    kept = sorted(f for f, n in docs.items() if min_docs <= n <= most)
    return {f: i for i, f in enumerate(kept)}


def fit(
    matrix: Matrix,
    targets: Floats,
    sample_weights: Floats,
    *,
    l2: float,
    epochs: int,
    rate: float,
) -> tuple[float, Floats]:
    """Weighted logistic regression by full-batch Adam; returns the bias and the weights."""
    total = float(sample_weights.sum())
    weights = np.zeros(matrix.shape[1])
    bias = 0.0
    moments = [np.zeros(matrix.shape[1] + 1), np.zeros(matrix.shape[1] + 1)]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        logits = matrix.dot(weights) + bias
        error = (1.0 / (1.0 + np.exp(-logits)) - targets) * sample_weights / total
        grad = np.concatenate(([error.sum()], matrix.gradient(error) + l2 * weights))
        moments[0] = beta1 * moments[0] + (1 - beta1) * grad
        moments[1] = beta2 * moments[1] + (1 - beta2) * grad * grad
        m_hat = moments[0] / (1 - beta1**step)
        v_hat = moments[1] / (1 - beta2**step)
        update = rate * m_hat / (np.sqrt(v_hat) + eps)
        bias -= float(update[0])
        weights -= update[1:]
    return bias, weights


@dataclass(frozen=True, slots=True)
class Config:
    """Training settings: the defaults are what the shipped file was trained with."""

    min_docs: int = 2
    max_share: float = 0.02
    l2: float = 1e-3
    epochs: int = 300
    rate: float = 0.05
    risk_weight: float = 1.0
    ask_weight: float = 1.0
    clinc_share: float = 3.0
    precision: int = 4
    blank_rule_risk: bool = True


def train(risk: Sequence[Example], clinc: Sequence[str], config: Config) -> safety_net.Net:
    """A net trained on `risk` examples and CLINC negatives, with placeholder thresholds."""
    blank_rule_risk = config.blank_rule_risk
    texts = [heard(e.text, blank_rule_risk=blank_rule_risk) for e in risk] + [
        heard(t, blank_rule_risk=blank_rule_risk) for t in clinc
    ]
    targets = np.array([target(e.label) for e in risk] + [0.0] * len(clinc))
    dia_negatives = sum(1 for e in risk if target(e.label) == 0.0)
    weights_by_label = {
        "risk": config.risk_weight,
        ASK_LABEL: config.ask_weight,
        "not": 1.0,
    }
    clinc_weight = config.clinc_share * dia_negatives / max(1, len(clinc))
    sample_weights = np.array(
        [
            weights_by_label[
                "risk" if e.label in RISK_LABELS else e.label if e.label == ASK_LABEL else "not"
            ]
            for e in risk
        ]
        + [clinc_weight] * len(clinc)
    )
    vocabulary = vocabulary_of(texts, config.min_docs, config.max_share)
    matrix = Matrix(texts, vocabulary)
    bias, weights = fit(
        matrix, targets, sample_weights, l2=config.l2, epochs=config.epochs, rate=config.rate
    )
    floor = 10.0**-config.precision
    table = {
        feature: round(float(weights[col]), config.precision)
        for feature, col in vocabulary.items()
        if abs(weights[col]) >= floor
    }
    return safety_net.Net(
        version="unsaved",
        recipe=RECIPE,
        bias=round(bias, config.precision),
        weights=table,
        ask=0.5,
        raise_at=0.5,
    )


@dataclass(frozen=True, slots=True)
class Scored:
    """One text's rules verdict (route, whether they ask) and the net's probability."""

    label: str
    rules: Route
    rules_ask: bool
    probability: float

    def escalated(self, raise_at: float) -> bool:
        return self.rules in ESCALATED or self.probability >= raise_at

    def asked(self, ask: float) -> bool:
        return self.rules_ask or self.probability >= ask


def scored(net: safety_net.Net, examples: Iterable[Example]) -> list[Scored]:
    """Rules verdict and net probability for each example."""
    out = []
    for e in examples:
        verdict = screen_rules(e.text)
        heard_text = safety_net.unexplained(e.text, verdict, default_lexicon())
        probability = net.score(heard_text).probability
        out.append(Scored(e.label, verdict.route, verdict.safety_check, probability))
    return out


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def choose_thresholds(
    dev: Sequence[Scored], clinc_val: Sequence[Scored], sgd_dev: Sequence[Scored]
) -> tuple[float, float]:
    """The lowest raise and ask thresholds keeping dev distress, other, CLINC and SGD in bounds."""
    candidates = sorted({round(s.probability, 4) for s in dev} | {0.99})
    distress = [s for s in dev if s.label == "distress"]
    other = [s for s in dev if s.label == "other"]

    def raise_ok(t: float) -> bool:
        return (
            _share(s.escalated(t) for s in distress) <= MAX_DISTRESS_ESCALATED
            and _share(s.escalated(t) for s in other) <= MAX_OTHER_ESCALATED
            and _share(s.escalated(t) for s in clinc_val) <= MAX_CLINC_ESCALATED
            and not any(s.escalated(t) for s in sgd_dev)
        )

    raise_at = min((t for t in candidates if t >= RAISE_FLOOR and raise_ok(t)), default=0.99)

    def ask_ok(t: float) -> bool:
        return (
            _share(s.escalated(raise_at) or s.asked(t) for s in distress) <= MAX_DISTRESS_ASKED
            and _share(s.asked(t) for s in clinc_val) <= MAX_CLINC_ASKED
            and _share(s.asked(t) for s in sgd_dev) <= MAX_SGD_ASKED
        )

    ask = min((t for t in candidates if ASK_FLOOR <= t <= raise_at and ask_ok(t)), default=raise_at)
    return ask, raise_at


def per_label(items: Sequence[Scored], ask: float, raise_at: float) -> dict[str, dict[str, object]]:
    """Per label: how many, and the shares escalated and escalated-or-asked (rules, then both)."""
    table: dict[str, dict[str, object]] = {}
    for label in sorted({s.label for s in items}):
        group = [s for s in items if s.label == label]
        table[label] = {
            "n": len(group),
            "rules_escalated": round(_share(s.rules in ESCALATED for s in group), 3),
            "rules_escalated_or_asked": round(
                _share(s.rules in ESCALATED or s.rules_ask for s in group), 3
            ),
            "escalated": round(_share(s.escalated(raise_at) for s in group), 3),
            "escalated_or_asked": round(
                _share(s.escalated(raise_at) or s.asked(ask) for s in group), 3
            ),
        }
    risk = [s for s in items if s.label in RISK_LABELS]
    if risk:
        table["risk"] = {
            "n": len(risk),
            "rules_escalated": round(_share(s.rules in ESCALATED for s in risk), 3),
            "rules_escalated_or_asked": round(
                _share(s.rules in ESCALATED or s.rules_ask for s in risk), 3
            ),
            "escalated": round(_share(s.escalated(raise_at) for s in risk), 3),
            "escalated_or_asked": round(
                _share(s.escalated(raise_at) or s.asked(ask) for s in risk), 3
            ),
        }
    return table


def cross_validated(
    rows: Sequence[Example], clinc: Sequence[str], config: Config, folds: int, seed: int
) -> list[Scored]:
    """Each train row scored by a net trained without its fold: honest train figures."""
    order = np.random.default_rng(seed).permutation(len(rows))
    fold_of = {int(row): i % folds for i, row in enumerate(order)}
    held_out: list[Scored] = []
    for fold in range(folds):
        kept = [e for i, e in enumerate(rows) if fold_of[i] != fold]
        net = train(kept, clinc, config)
        held_out.extend(scored(net, (e for i, e in enumerate(rows) if fold_of[i] == fold)))
    return held_out


def combined(net: safety_net.Net, texts: Sequence[str]) -> dict[str, object]:
    """Shares of `texts` the whole screen (rules and `net`) escalates, or only asks about."""
    verdicts = [screen(t, net=net) for t in texts]
    return {
        "n": len(texts),
        "escalated": round(_share(v.route in ESCALATED for v in verdicts), 4),
        "asked": round(_share(v.safety_check and v.route not in ESCALATED for v in verdicts), 4),
    }


def write(net: safety_net.Net, path: Path, config: Config, trained_on: dict[str, int]) -> None:
    """The weights file: format, version, data counts, recipe, thresholds, checksum, weights."""
    body = {
        "format": safety_net.FORMAT,
        "version": net.version,
        "trained_on": trained_on,
        "training": {
            "min_docs": config.min_docs,
            "max_share": config.max_share,
            "l2": config.l2,
            "epochs": config.epochs,
            "risk_weight": config.risk_weight,
            "ask_weight": config.ask_weight,
            "clinc_share": config.clinc_share,
            "blank_rule_risk": config.blank_rule_risk,
        },
        "recipe": net.recipe.to_dict(),
        "thresholds": {"ask": net.ask, "raise": net.raise_at},
        "bias": net.bias,
        "checksum": safety_net.checksum(net.recipe, net.bias, net.weights),
        "weights": dict(sorted(net.weights.items())),
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--version", default=f"{date.today():%Y.%m.%d}.1")
    parser.add_argument("--check", action="store_true", help="evaluate the weights in --out only")
    parser.add_argument(
        "--cv",
        type=int,
        default=0,
        metavar="K",
        help="also report train figures from K-fold cross-validation (each row held out)",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the cross-validation folds")
    args = parser.parse_args(argv)
    root: Path = args.datasets
    train_rows = read_risk(root / "diasafety_risk_train.tsv")
    dev_rows = read_risk(root / "diasafety_risk_dev.tsv")
    clinc_path = root / "clinc150.jsonl"
    config = Config()
    clinc_train = read_clinc(clinc_path, ("train", "oos_train"))
    if args.check:
        net = safety_net.load_net(args.out)
    else:
        raw = train(train_rows, clinc_train, config)
        dev = scored(raw, dev_rows)
        clinc_val = scored(raw, (Example("clinc", t) for t in read_clinc(clinc_path, ("val",))))
        sgd_dev = scored(
            raw, (Example("sgd", t) for t in read_sgd(root / "sgd_therapist_dev.jsonl"))
        )
        ask, raise_at = choose_thresholds(dev, clinc_val, sgd_dev)
        net = safety_net.Net(
            version=args.version,
            recipe=raw.recipe,
            bias=raw.bias,
            weights=raw.weights,
            ask=ask,
            raise_at=raise_at,
        )
        trained_on = {
            "diasafety_risk_train": len(train_rows),
            "clinc150_train": len(clinc_train),
        }
        write(net, args.out, config, trained_on)
        print(f"wrote {args.out} ({len(net.weights)} weights, {args.out.stat().st_size} bytes)")
    report = {
        "thresholds": {"ask": net.ask, "raise": net.raise_at},
        "dev": per_label(scored(net, dev_rows), net.ask, net.raise_at),
        "train (seen in training)": per_label(scored(net, train_rows), net.ask, net.raise_at),
        "clinc150_test": combined(net, read_clinc(clinc_path, ("test", "oos_test"))),
        "sgd_therapist_dev_and_test": combined(
            net,
            read_sgd(root / "sgd_therapist_dev.jsonl")
            + read_sgd(root / "sgd_therapist_test.jsonl"),
        ),
        "xstest_safe": combined(net, read_xstest_safe(root / "xstest_prompts.csv")),
    }
    if args.cv:
        held_out = cross_validated(train_rows, clinc_train, config, args.cv, args.seed)
        report[f"train ({args.cv}-fold, each row held out)"] = per_label(
            held_out, net.ask, net.raise_at
        )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
