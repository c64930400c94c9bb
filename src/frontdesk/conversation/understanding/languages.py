"""Callers who are not speaking English: "Hola, necesito una cita para mi hijo".

A language is recognised by a phrase that settles it ("¿habla español?") or by scoring the
words: enough of the utterance must be that language's common words, clearly more than
English function words, so a Spanish name ("María de la Cruz") in an English sentence does
not count. Words are compared lower-case with accents removed. The word lists are data
(`data/languages.json`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from frontdesk.conversation.understanding.data_files import load

_LETTERS = re.compile(r"[a-z]+")
MIN_WORDS = 3  # different words: "sí, gracias" or a surname ("de la Cruz") is not enough
MIN_SHARE = 0.5  # of the utterance's words
OVER_ENGLISH = 2  # at least twice as many as English function words


@dataclass(frozen=True, slots=True)
class Language:
    """A language the front desk recognises but does not speak on the call."""

    code: str
    name: str
    voice: str  # the BCP-47 tag its approved lines are spoken with ("es-US")
    phrases: tuple[tuple[str, ...], ...]
    words: frozenset[str]


def _languages() -> tuple[tuple[Language, ...], frozenset[str]]:
    data = load("languages")
    english = frozenset(data["english"])
    found = []
    for code, entry in data["languages"].items():
        words = frozenset(entry["words"])
        shared = words & english
        if shared:
            raise ValueError(f"languages.json: {code} words shared with English: {sorted(shared)}")
        phrases = tuple(tuple(p) for p in entry["phrases"])
        found.append(Language(code, entry["name"], entry["voice"], phrases, words))
    return tuple(found), english


LANGUAGES, _ENGLISH = _languages()
NAMES: dict[str, str] = {language.code: language.name for language in LANGUAGES}
VOICES: dict[str, str] = {language.code: language.voice for language in LANGUAGES}


def plain_words(text: str) -> list[str]:
    """Lower-case words with accents removed ("¿Habla español?" → habla, espanol)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _LETTERS.findall(bare)


def language_of(text: str) -> str | None:
    """The code of the language the caller is speaking when it is not English, else None."""
    tokens = plain_words(text)
    if not tokens:
        return None
    english = sum(1 for t in tokens if t in _ENGLISH)
    for language in LANGUAGES:
        if any(_contains(tokens, phrase) for phrase in language.phrases):
            return language.code
        hits = [t for t in tokens if t in language.words]
        if (
            len(set(hits)) >= MIN_WORDS
            and len(hits) >= MIN_SHARE * len(tokens)
            and len(hits) >= OVER_ENGLISH * english
        ):
            return language.code
    return None


def _contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1))
