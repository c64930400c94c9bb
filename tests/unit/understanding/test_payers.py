"""Insurer names matched fuzzily against the practice's payers."""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.payers import (
    EDGE_WORDS,
    EXPECTING_THRESHOLD,
    FUZZY_NEVER,
    NEVER_ALONE,
    THRESHOLD,
    PayerMatch,
    candidates,
    in_state,
    match,
    sound,
)
from frontdesk.domain.practice import Payer

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
        "the 4th at quarter to 12 in the morning",
        "id like to rent a ford in denver colorado between january 1st to the 3rd",
    ],
)
def test_ordinary_words_match_no_payer(heard: str) -> None:
    """Everyday answers never look like an insurer, even when the insurer was asked."""
    assert match(words(heard), OPTIONS, expecting=True) is None


@pytest.mark.parametrize(
    "heard",
    [
        "I prefer quarter to 12 in the morning.",  # not Premera
        "self pay, telehealth",  # not EmblemHealth
        "what do i owe on the car this month",  # not Quartz
        "Would make another attempt at scheduling a visit, try for the 14th of March.",
    ],
)
def test_an_insurer_the_practice_does_not_take_is_never_heard_loosely(heard: str) -> None:
    """Asked how they pay, a caller's everyday words near an unlisted insurer's name name no
    insurer: only the practice's own payers are heard by sound or at the looser threshold."""
    assert match(words(heard), OPTIONS, expecting=True) is None


@pytest.mark.parametrize(
    ("heard", "label"),
    [
        ("insurance, Premera", "Premera"),
        ("I have ambeter", "Ambetter"),
        ("kaiser", "Kaiser Permanente"),
    ],
)
def test_an_unlisted_insurer_said_or_near_spelled_is_still_heard(heard: str, label: str) -> None:
    """The same question answered with an unlisted insurer's name, or a close spelling of it."""
    found = match(words(heard), OPTIONS, expecting=True)
    assert found is not None
    assert (found.payer_id, found.label) == (None, label)


def test_sound_alike_key() -> None:
    """Cigna and its usual mishearing share one sound key."""
    assert sound("sigma") == sound("cigna")


_PIECES = (
    "aetna", "etna", "atena", "cigna", "sigma", "signa", "blue", "cross", "shield", "bcbs",
    "united", "health", "care", "healthcare", "unitedhealth", "kaiser", "humana", "human",
    "medicaid", "medical", "tricare", "oscar", "the", "my", "we", "have", "through", "i",
)  # fmt: skip


def _brute_force(tokens: tuple[str, ...], *, expecting: bool) -> PayerMatch | None:
    """Every window of one word more or less than each name, scored in full."""
    threshold = EXPECTING_THRESHOLD if expecting else THRESHOLD
    best: PayerMatch | None = None
    for option in OPTIONS:
        size, target = len(option.key.split()), option.key.replace(" ", "")
        vague = option.key in NEVER_ALONE and not expecting
        lenient = expecting and option.payer_id is not None  # unlisted: never by sound
        score = 0.0
        for width in {max(1, size - 1), size, size + 1}:
            for i in range(len(tokens) - width + 1):
                run = tokens[i : i + width]
                if width > 1 and (run[0] in EDGE_WORDS or run[-1] in EDGE_WORDS):
                    continue
                text = "".join(run)
                if text == target:
                    score = max(score, 0.0 if vague else 1.0)
                    continue
                if vague or len(target) < 5 or not text.isalpha() or FUZZY_NEVER & set(run):
                    continue
                if abs(len(text) - len(target)) > max(3, len(target) // 2):
                    continue
                spelled = SequenceMatcher(None, text, target).ratio()
                score = max(score, spelled if lenient or spelled >= THRESHOLD else 0.0)
                if lenient:
                    score = max(score, SequenceMatcher(None, sound(text), sound(target)).ratio())
        if score >= threshold and (best is None or score > best.score):
            best = PayerMatch(option.payer_id, option.label, score)
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6),
    st.booleans(),
)
def test_the_index_scores_like_comparing_every_window(pieces: list[str], expecting: bool) -> None:
    """Bucketing names by window length and letters never changes the match or its score."""
    tokens = tuple(pieces)
    found = match(tokens, OPTIONS, expecting=expecting)
    unplaced = None if found is None else replace(found, span=None)
    assert unplaced == _brute_force(tokens, expecting=expecting)


@pytest.mark.parametrize(
    ("said", "span"),
    [
        ("aetna", (0, 1)),
        ("i have blue cross through work", (2, 4)),
        ("it is sigma i think", (2, 3)),
    ],
)
def test_a_match_says_which_words_named_the_payer(said: str, span: tuple[int, int]) -> None:
    """The match keeps where its name was said, so the words around it can be read."""
    found = match(words(said), OPTIONS, expecting=True)
    assert found is not None
    assert found.span == span


SEPARATE = candidates(
    (
        Payer("uhc", "UnitedHealthcare", ("UHC",)),
        Payer("optum", "Optum", ("Optum Behavioral Health",)),
        Payer("bcbs", "Blue Cross Blue Shield"),
    )
)


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("I have Optum", "optum"),
        ("optum behavioral health", "optum"),
        ("united healthcare", "uhc"),
        ("UMR", "uhc"),
        ("anthem blue cross", "bcbs"),
    ],
)
def test_the_practice_file_wins_over_the_built_in_insurer_list(heard: str, expected: str) -> None:
    """A payer listed apart from its parent keeps its members; built-in names only add spellings."""
    found = match(words(heard), SEPARATE, expecting=True)
    assert found is not None
    assert found.payer_id == expected


def test_a_name_one_practice_payer_goes_by_is_never_another_payers_alias() -> None:
    """No built-in alias is given to a practice payer when another practice payer owns it."""
    owners: dict[str, set[str | None]] = {}
    for option in SEPARATE:
        owners.setdefault(option.key, set()).add(option.payer_id)
    assert all(len(ids) == 1 for ids in owners.values())


STATE_PLANS = (Payer("il_medicaid", "Illinois Medicaid", ("Medicaid",)), Payer("aetna", "Aetna"))


def test_a_program_named_without_a_state_is_marked_as_such() -> None:
    """ "Medicaid" alone matches the practice's state plan but says which program it names."""
    found = match(words("I have Medicaid"), candidates(STATE_PLANS))
    assert found is not None
    assert (found.payer_id, found.program) == ("il_medicaid", "Medicaid")
    named = match(words("Illinois Medicaid"), candidates(STATE_PLANS))
    assert named is not None
    assert (named.payer_id, named.program) == ("il_medicaid", None)


def test_another_states_own_program_name_is_not_this_states_plan() -> None:
    """ "MassHealth" is Massachusetts Medicaid: never the practice's Illinois Medicaid."""
    found = match(words("I have MassHealth"), candidates(STATE_PLANS))
    assert found is not None
    assert found.payer_id is None


def test_a_state_plan_is_found_by_program_and_state() -> None:
    """Illinois Medicaid is the Medicaid plan for IL; there is none for Indiana."""
    assert in_state("Medicaid", "IL", STATE_PLANS) == STATE_PLANS[0]
    assert in_state("Medicaid", "IN", STATE_PLANS) is None
