"""Perturbations that keep a caller's meaning, for the screen's metamorphic checks."""

from __future__ import annotations

import random

import pytest

from frontdesk.bench._perturb import PERTURBATIONS, perturb


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("lower_case", "I Want To DIE", "i want to die"),
        ("strip_punctuation", "Wish I was dead. It's late, ok?", "Wish I was dead It's late ok"),
        ("strip_punctuation", "give a sh** about *anything*", "give a sh** about anything"),
        ("contract", "I am sure I do not want to go", "I'm sure I don't wanna go"),
        ("contract", "I haven't", "I haven't"),
        ("expand", "I'm sure I don’t wanna", "I am sure I do not want to"),
        ("drop_apostrophes", "I'm sure I don't", "Im sure I dont"),
        ("join_sentences", "I'm done. Nobody cares.", "I'm done and nobody cares."),
        ("split_sentences", "I was sad, and I cried and lonely", "I was sad. I cried and lonely"),
        ("other_spelling", "I realised my mom", "I realized my mum"),
        ("numbers_as_words", "I took 20 pills in 10 minutes", "I took twenty pills in ten minutes"),
        ("numbers_as_words", "at 3:30 on 12/4", "at 3:30 on 12/4"),
        ("numbers_as_digits", "ten months and one day", "10 months and one day"),
        ("curly_quotes", 'I\'m "fine"', "I’m “fine”"),
    ],
)
def test_perturbations(name: str, text: str, expected: str) -> None:
    """Each perturbation rewrites only what it names, keeping case and the rest of the text."""
    assert PERTURBATIONS[name](text, random.Random(0)) == expected


def _one_slip(word: str, typed: str) -> bool:
    """Whether `typed` is `word` with one letter dropped or two neighbours swapped."""
    dropped = any(word[:i] + word[i + 1 :] == typed for i in range(len(word)))
    swapped = any(
        word[:i] + word[i + 1] + word[i] + word[i + 2 :] == typed for i in range(len(word) - 1)
    )
    return dropped or swapped


def test_typos_slip_only_long_words_and_repeat_for_a_seed() -> None:
    """A typo drops or swaps one letter of a word over five letters; a seed repeats it."""
    text = "I really want to die because of everything happening tonight"
    typed = {perturb("typo", text, seed) for seed in range(40)}
    assert len(typed) > 1
    assert perturb("typo", text, 3) == perturb("typo", text, 3)
    for variant in typed:
        for word, slipped in zip(text.split(), variant.split(), strict=True):
            assert word == slipped or (len(word) > 5 and _one_slip(word, slipped))


def test_drawn_out_words_keep_to_and_of_plain() -> None:
    """Drawn-out letters lengthen a word's last letter, never that of 'to' or 'of'."""
    text = "I really want to die because of everything"
    drawn = {perturb("repeat_letters", text, seed) for seed in range(40)}
    assert len(drawn) > 1
    for variant in drawn:
        words = variant.split()
        assert words[3] == "to"
        assert words[6] == "of"
        for word, long in zip(text.split(), words, strict=True):
            assert long in (word, word + word[-1] * 2)


def test_the_benches_spell_numbers_from_one_list() -> None:
    """Spelling numbers out, and reading annotated clock times, use the same words."""
    from frontdesk.bench import sgd_dates
    from frontdesk.bench._number_words import NUMBER_WORDS, number_values
    from frontdesk.bench.conversation import public

    assert NUMBER_WORDS[12] == "twelve"
    assert perturb("numbers_as_words", "at 12 or 0", 1) == "at twelve or zero"
    assert number_values(0, 12) == public._NUMBERS
    assert number_values(1, 12) == sgd_dates._HOUR_WORDS
