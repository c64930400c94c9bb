"""Metamorphic properties: edits that keep a text's meaning keep the screen's verdict.

The risk texts (`crisis`, `emergency`) of the shared DiaSafety train set, and its `other` and
`distress` texts, are screened as written and after one perturbation of
`frontdesk.bench._perturb`; `tools/metamorphic_screen.py` prints the counts for every one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.bench._perturb import perturb
from frontdesk.bench._screen_sets import read_risk_tsv
from frontdesk.conversation.safety import screen

TRAIN = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "diasafety_risk_train.tsv"
ROWS = read_risk_tsv(TRAIN) if TRAIN.is_file() else [("crisis", "I want to die.")]
RISK = [text for label, text in ROWS if label in ("crisis", "emergency")]
EVERYDAY = [text for label, text in ROWS if label in ("other", "distress")]
# The perturbations no train risk text loses its level under. Left out: typos (a slip in a
# word the lexicon has no correction for may be missed), and lost punctuation, fillers and
# joined sentences, which can carry a past time ("I used to", "two weeks ago") from the next
# sentence into the one before.
ROBUST = (
    "lower_case",
    "contract",
    "expand",
    "drop_apostrophes",
    "split_sentences",
    "other_spelling",
    "numbers_as_words",
    "numbers_as_digits",
    "curly_quotes",
    "repeat_letters",
)
needs_data = pytest.mark.skipif(not TRAIN.is_file(), reason="the shared train data set is absent")


def level(text: str) -> int:
    """2 when the screen escalates `text`, 1 when it asks the direct question, else 0."""
    verdict = screen(text)
    if verdict.route.is_crisis:
        return 2
    return 1 if verdict.safety_check else 0


@needs_data
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RISK), st.sampled_from(ROBUST), st.integers(0, 2**16))
def test_a_risk_text_keeps_its_level_when_its_meaning_is_kept(
    text: str, name: str, seed: int
) -> None:
    """An escalated risk text stays escalated, and an asked one asked or escalated."""
    assert level(perturb(name, text, seed)) >= level(text)


@needs_data
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EVERYDAY), st.sampled_from(ROBUST), st.integers(0, 2**16))
def test_an_everyday_text_is_not_escalated_when_its_meaning_is_kept(
    text: str, name: str, seed: int
) -> None:
    """An `other` or `distress` text not escalated as written is not escalated once edited."""
    if level(text) < 2:
        assert level(perturb(name, text, seed)) < 2
