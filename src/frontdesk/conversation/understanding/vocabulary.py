"""The practice's own words (payers, clinicians, specialties), prepared once per practice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from frontdesk.conversation.understanding import care, payers
from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.phrases import Pattern
from frontdesk.conversation.understanding.result import Vocabulary
from frontdesk.domain.practice import Practice


def vocabulary_from_practice(practice: Practice) -> Vocabulary:
    """What understanding needs from a practice file: payers, clinicians, specialties, zone."""
    specialties = sorted({tag for c in practice.clinicians for tag in c.specialties})
    return Vocabulary(
        payers=practice.payers,
        clinicians=practice.clinicians,
        specialties=tuple(specialties),
        timezone=practice.timezone,
    )


@dataclass(frozen=True, slots=True)
class Compiled:
    """A vocabulary turned into matchers."""

    payer_index: payers.PayerIndex
    specialties: tuple[tuple[str, Pattern], ...]
    names: tuple[tuple[str, ...], ...]  # insurers' and clinicians' names, word by word
    clinician_words: frozenset[str]  # every word of the clinicians' names

    def payer(self, tokens: Sequence[str], *, expecting: bool) -> payers.PayerMatch | None:
        return self.payer_index.match(tokens, expecting=expecting)


@lru_cache(maxsize=16)
def compiled(vocabulary: Vocabulary) -> Compiled:
    """Matchers for a vocabulary, built once and reused for every utterance of its calls."""
    options = payers.candidates(vocabulary.payers)
    names = {tuple(words(option.key)) for option in options}
    names |= {tuple(words(clinician.name)) for clinician in vocabulary.clinicians}
    return Compiled(
        payer_index=payers.PayerIndex(options),
        specialties=care.specialty_patterns(vocabulary.specialties),
        names=tuple(sorted(name for name in names if name)),
        clinician_words=frozenset(w for c in vocabulary.clinicians for w in words(c.name)),
    )
