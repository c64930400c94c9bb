"""Insurer names matched fuzzily against the practice's payers."""

from __future__ import annotations

import pytest

from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.payers import candidates, match, sound

from .conftest import PAYERS

OPTIONS = candidates(PAYERS)


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("we have aetna", "aetna"),
        ("BCBS", "bcbs-il"),
        ("I have blue cross", "bcbs-il"),
        ("blue cross blue shield", "bcbs-il"),
        ("united healthcare", "uhc"),
        ("united health care", "uhc"),
        ("UHC", "uhc"),
        ("etna", "aetna"),
        ("cigna", "cigna"),
    ],
)
def test_practice_payers_by_name_alias_or_misspelling(heard: str, expected: str) -> None:
    """Names, aliases, known nicknames and near-misspellings find the practice's payer."""
    found = match(words(heard), OPTIONS)
    assert found is not None
    assert found.payer_id == expected


@pytest.mark.parametrize(
    ("heard", "expected"),
    [("sigma", "cigna"), ("signa", "cigna"), ("I have united", "uhc")],
)
def test_wilder_hearings_only_when_the_insurer_was_asked(heard: str, expected: str) -> None:
    """Sound-alikes ("sigma") and vague names ("united") count only after the question."""
    assert match(words(heard), OPTIONS) is None
    found = match(words(heard), OPTIONS, expecting=True)
    assert found is not None
    assert found.payer_id == expected


@pytest.mark.parametrize(
    ("heard", "label"),
    [("we have kaiser", "Kaiser Permanente"), ("humana", "Humana"), ("medicaid", "Medicaid")],
)
def test_insurers_the_practice_does_not_take_are_unlisted(heard: str, label: str) -> None:
    """A known insurer outside the practice's list is reported by name, without an id."""
    found = match(words(heard), OPTIONS)
    assert found is not None
    assert (found.payer_id, found.label) == (None, label)


@pytest.mark.parametrize(
    "heard",
    [
        "yes",
        "no insurance",
        "my daughter",
        "I do not know",
        "through my employer",
        "I want a human",
        "I need medical advice",
    ],
)
def test_ordinary_words_match_no_payer(heard: str) -> None:
    """Everyday answers never look like an insurer, even when the insurer was asked."""
    assert match(words(heard), OPTIONS, expecting=True) is None


def test_sound_alike_key() -> None:
    """Cigna and its usual mishearing share one sound key."""
    assert sound("sigma") == sound("cigna")
