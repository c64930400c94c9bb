"""Edits that keep what a caller means, for metamorphic checks of the safety screen.

Each perturbation takes a text and a seeded `random.Random` and returns the text as another
caller, keyboard or speech recogniser might have put the same words: in lower case, without
punctuation, with contractions made or undone, with a typo, fillers, sentences split or
joined, the other side of the Atlantic's spelling, numbers spelt or in digits, curly quotes,
or a drawn-out word. The screen's verdict should not fall for a risk text, nor rise for an
everyday one, under any of them (`tools/metamorphic_screen.py` counts where it does).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping

from frontdesk.bench._number_words import NUMBER_WORDS

Perturbation = Callable[[str, random.Random], str]

# Asterisks inside a censored word ("sh*t") stand for letters, not punctuation.
_PUNCTUATION = re.compile(r"[^\w\s'*]|(?<!\w)'|'(?!\w)|(?<![\w*])\*+")
_EMPHASIS = re.compile(r"(?<![\w*])\*+(\w[^*]*?)\*+(?![\w*])")
_SPACES = re.compile(r"\s+")


def _match_case(old: str, new: str) -> str:
    """`new` capitalised as `old` is (first letter upper, or all upper)."""
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _swap_words(text: str, table: Mapping[str, str]) -> str:
    """Replace each phrase of `table` (whole words, any case) by its value, keeping case."""
    if not table:
        return text
    alternatives = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])", re.IGNORECASE)
    return pattern.sub(lambda m: _match_case(m.group(), table[m.group().lower()]), text)


def lower_case(text: str, rng: random.Random) -> str:
    """Everything in lower case."""
    return text.lower()


def strip_punctuation(text: str, rng: random.Random) -> str:
    """No punctuation, as a recogniser's transcript has none; apostrophes inside words stay.

    So do the asterisks of a censored word ("sh*t", "sh**"), which stand for its letters.
    """
    plain = _EMPHASIS.sub(r"\1", text.replace("’", "'"))
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", plain)).strip()


_CONTRACT = {
    "i am": "i'm",
    "do not": "don't",
    "does not": "doesn't",
    "did not": "didn't",
    "going to": "gonna",
    "want to": "wanna",
    "cannot": "can't",
    "can not": "can't",
    "is not": "isn't",
    "will not": "won't",
    "would not": "wouldn't",
    "i have": "i've",
    "i will": "i'll",
    "it is": "it's",
    "that is": "that's",
    "you are": "you're",
}
_EXPAND = {
    "i'm": "i am",
    "don't": "do not",
    "doesn't": "does not",
    "didn't": "did not",
    "gonna": "going to",
    "wanna": "want to",
    "can't": "cannot",
    "isn't": "is not",
    "won't": "will not",
    "wouldn't": "would not",
    "i've": "i have",
    "i'll": "i will",
    "it's": "it is",
    "that's": "that is",
    "you're": "you are",
    "i'd": "i would",
}
_APOSTROPHE_DROPPED = {
    "i'm": "im",
    "don't": "dont",
    "can't": "cant",
    "doesn't": "doesnt",
    "didn't": "didnt",
    "won't": "wont",
    "isn't": "isnt",
    "i've": "ive",
    "wouldn't": "wouldnt",
    "that's": "thats",
    "it's": "its",
}


def contract(text: str, rng: random.Random) -> str:
    """'I am' as "I'm", 'do not' as "don't", 'going to' as 'gonna', 'want to' as 'wanna'."""
    return _swap_words(text.replace("’", "'"), _CONTRACT)


def expand(text: str, rng: random.Random) -> str:
    """ "I'm" as 'I am', "don't" as 'do not', 'gonna' as 'going to', "can't" as 'cannot'."""
    return _swap_words(text.replace("’", "'"), _EXPAND)


def drop_apostrophes(text: str, rng: random.Random) -> str:
    """Contractions typed without their apostrophe: 'dont', 'im', 'cant'."""
    return _swap_words(text.replace("’", "'"), _APOSTROPHE_DROPPED)


_LONG_WORD = re.compile(r"[A-Za-z]{6,}")


def typo(text: str, rng: random.Random, rate: float = 0.1) -> str:
    """A few words over five letters with two neighbouring letters swapped or one dropped."""

    def slip(match: re.Match[str]) -> str:
        word = match.group()
        if rng.random() >= rate:
            return word
        at = rng.randrange(1, len(word) - 1)
        if rng.random() < 0.5:
            return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        return word[:at] + word[at + 1 :]

    return _LONG_WORD.sub(slip, text)


FILLERS = ("um", "like", "you know", "honestly", "I mean")
_CLAUSE_END = re.compile(r"(?<=[,.;!?])\s+(?=\w)|\s+(?=(?:and|but|so|because)\b)")


def fillers(text: str, rng: random.Random) -> str:
    """A filler ('um', 'like', 'you know', 'honestly', 'I mean') between clauses."""

    def insert(match: re.Match[str]) -> str:
        return f" {rng.choice(FILLERS)}, " if rng.random() < 0.5 else match.group()

    return _CLAUSE_END.sub(insert, text)


_SENTENCE_END = re.compile(r"\.+\s+(\w)")
# 'and' before a word that opens a clause of its own, as 'and I', 'and it', 'and my'.
_AND = re.compile(
    r",?\s+and\s+((?:i|i'm|i've|i'd|i'll|my|it|it's|he|she|they|we|you|that|this|there|now|then)\b)",
    re.IGNORECASE,
)


def join_sentences(text: str, rng: random.Random) -> str:
    """Sentences run together with 'and' instead of a full stop."""
    return _SENTENCE_END.sub(lambda m: " and " + m.group(1).lower(), text)


def split_sentences(text: str, rng: random.Random) -> str:
    """Clauses joined by 'and' cut into sentences: 'and I' as '. I', 'and it' as '. It'."""
    return _AND.sub(lambda m: ". " + m.group(1)[0].upper() + m.group(1)[1:], text)


_BRITISH = {
    "realize": "realise",
    "realized": "realised",
    "apologize": "apologise",
    "organize": "organise",
    "recognize": "recognise",
    "analyze": "analyse",
    "paralyzed": "paralysed",
    "traumatized": "traumatised",
    "hospitalized": "hospitalised",
    "criticized": "criticised",
    "color": "colour",
    "behavior": "behaviour",
    "favorite": "favourite",
    "honor": "honour",
    "neighbor": "neighbour",
    "center": "centre",
    "traveled": "travelled",
    "canceled": "cancelled",
    "counseling": "counselling",
    "counselor": "counsellor",
    "labeled": "labelled",
    "fulfill": "fulfil",
    "mom": "mum",
    "defense": "defence",
    "program": "programme",
    "gray": "grey",
    "pediatrician": "paediatrician",
    "anemia": "anaemia",
    "esophagus": "oesophagus",
    "tire": "tyre",
}
_AMERICAN = {british: american for american, british in _BRITISH.items()}
_ATLANTIC = {**_BRITISH, **_AMERICAN}


def other_spelling(text: str, rng: random.Random) -> str:
    """British spelling as American and American as British ('realise' for 'realize')."""
    return _swap_words(text, _ATLANTIC)


_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty"}
_TO_WORDS = {str(n): word for n, word in enumerate(NUMBER_WORDS)} | {
    str(n): word for n, word in _TENS.items()
}
_TO_DIGITS = {word: digits for digits, word in _TO_WORDS.items() if word not in ("one", "zero")}
_DIGITS = re.compile(r"(?<![\w.,:/$])\d+(?![\w.,:/%])")


def numbers_as_words(text: str, rng: random.Random) -> str:
    """Small whole numbers in words: '10 months' as 'ten months'."""
    return _DIGITS.sub(lambda m: _TO_WORDS.get(m.group(), m.group()), text)


def numbers_as_digits(text: str, rng: random.Random) -> str:
    """Numbers from two to eighty in digits: 'ten months' as '10 months' ('one' stays)."""
    return _swap_words(text, _TO_DIGITS)


def curly_quotes(text: str, rng: random.Random) -> str:
    """Typographer's apostrophes and quotes, as phones type them."""
    text = re.sub(r"(?<=\w)'|'(?=\w)", "’", text)
    return re.sub(r'"(\w)', r"“\1", text).replace('"', "”")


_WORD = re.compile(r"(?<!')[A-Za-z]{2,}")
# Words nobody draws out for emphasis: "tooo" is "too", never "to".
_UNSTRESSED = frozenset(
    [
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "be",
        "if",
        "it",
        "is",
        "an",
        "as",
        "or",
        "the",
        "and",
        "are",
        "was",
        "for",
    ]
)


def repeat_letters(text: str, rng: random.Random, rate: float = 0.15) -> str:
    """A few words drawn out by their last letter: 'so' as 'sooo', 'please' as 'pleaseee'."""

    def draw_out(match: re.Match[str]) -> str:
        word = match.group()
        if word.lower() in _UNSTRESSED or rng.random() >= rate:
            return word
        return word + word[-1] * 2

    return _WORD.sub(draw_out, text)


PERTURBATIONS: Mapping[str, Perturbation] = {
    "lower_case": lower_case,
    "strip_punctuation": strip_punctuation,
    "contract": contract,
    "expand": expand,
    "drop_apostrophes": drop_apostrophes,
    "typo": typo,
    "fillers": fillers,
    "join_sentences": join_sentences,
    "split_sentences": split_sentences,
    "other_spelling": other_spelling,
    "numbers_as_words": numbers_as_words,
    "numbers_as_digits": numbers_as_digits,
    "curly_quotes": curly_quotes,
    "repeat_letters": repeat_letters,
}


def perturb(name: str, text: str, seed: int) -> str:
    """`text` under perturbation `name`, with randomness seeded by `seed` and the text."""
    return PERTURBATIONS[name](text, random.Random(f"{seed}:{name}:{text}"))
