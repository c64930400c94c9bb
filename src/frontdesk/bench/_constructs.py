"""Coverage per risk construct: the Suicide Risk Lexicon's phrases, and the labelled risk texts.

For each construct the lexicon is organised by, the report gives how many lexicon entries
belong to it, how many of the Suicide Risk Lexicon's prototypical phrases for it the screen
flags (any route but `routine`) and escalates or asks about, and in each labelled risk set
how many risk texts a match of the construct escalated.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from frontdesk.conversation.safety import Lexicon, Verdict, screen
from frontdesk.domain.errors import DatasetError

from ._screen_sets import RISK_LABELS, EvalSet

SRL_FILE = Path("srl") / "suicide_risk_lexicon_prototypical_tokens.csv"
_NOT_PHRASES = frozenset({"prompt name", "definition", "reference", "examples"})


def srl_phrases(root: Path) -> dict[str, list[str]]:
    """Prototypical phrases of each Suicide Risk Lexicon construct, by its column name."""
    path = root / SRL_FILE
    if not path.is_file():
        raise DatasetError(f"data set file not found: {path}")
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise DatasetError(f"{path.name}: empty file")
    header = rows[0]
    phrases: dict[str, list[str]] = {}
    for column, name in enumerate(header):
        if not name or name.endswith(("_include", "_add")):
            continue
        phrases[name] = [
            row[column].strip()
            for row in rows[1:]
            if column < len(row)
            and row[column].strip()
            and row[0].strip().lower() not in _NOT_PHRASES
        ]
    return phrases


def _escalated_or_asked(verdict: Verdict) -> bool:
    return verdict.route.is_crisis or verdict.safety_check


def construct_coverage(
    root: Path, lexicon: Lexicon, risk_sets: Sequence[EvalSet], verdicts: Iterable[list[Verdict]]
) -> dict[str, object]:
    """The coverage report, `verdicts` being the screen's verdicts on each of `risk_sets`."""
    srl = srl_phrases(root)
    by_set = list(zip(risk_sets, verdicts, strict=True))
    report: dict[str, object] = {}
    for key, name in lexicon.constructs.items():
        entries = [e.id for e in lexicon.entries if e.construct == key]
        phrases = srl.get(name, [])
        screened = [screen(p, lexicon=lexicon) for p in phrases]
        flagged = sum(1 for v in screened if str(v.route) != "routine")
        acted = sum(1 for v in screened if _escalated_or_asked(v))
        texts: dict[str, int] = {}
        for eval_set, found in by_set:
            labels = eval_set.labels or ()
            texts[eval_set.name] = sum(
                1
                for label, verdict in zip(labels, found, strict=True)
                if label in RISK_LABELS
                and any(
                    # A learned net's match (it has a score) belongs to no lexicon construct.
                    m.idiom is None
                    and m.score is None
                    and m.route.is_crisis
                    and lexicon.entry(m.rule).construct == key
                    for m in verdict.matches
                )
            )
        report[key] = {
            "name": name,
            "entries": len(entries),
            "srl_phrases": len(phrases),
            "srl_flagged": flagged,
            "srl_escalated_or_asked": acted,
            "srl_share_flagged": round(flagged / len(phrases), 4) if phrases else None,
            "risk_texts_escalated": texts,
        }
    return report
