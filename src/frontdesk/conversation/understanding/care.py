"""How care would happen: modality, payment, telehealth set-up and the specialty asked for."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.phrases import (
    Pattern,
    compile_all,
    compile_pattern,
    first,
)
from frontdesk.domain.inquiries import AgeGroup, Modality, Payment

_SLOTS = load("slots")
_MODALITY = {key: compile_all(v) for key, v in _SLOTS["modality"].items()}
_PAYMENT = {Payment(key): compile_all(v) for key, v in _SLOTS["payment"].items()}
_PAYMENT_WHEN_ASKED = {
    Payment(key): compile_all(v)
    for key, v in _SLOTS["payment_when_asked"].items()
    if not key.startswith("_")
}
_MEANS_WORDS = frozenset(_SLOTS["payment_means"]["words"])
_NOT_HEALTH = compile_all(_SLOTS["payment_not_health"]["patterns"])
_TELEHEALTH = {key: compile_all(v) for key, v in _SLOTS["telehealth"].items()}
_SYNONYMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(" ".join(words(term)) for term in group) for group in _SLOTS["specialty_synonyms"]
)
_EVERYDAY = _SLOTS["specialty_everyday_words"]
_EVERYDAY_WORDS = frozenset(" ".join(words(term)) for term in _EVERYDAY["words"])
_CONDITION_BEFORE = frozenset(_EVERYDAY["cues_before"])
_CONDITION_AFTER = frozenset(_EVERYDAY["cues_after"])
_PEOPLE_BEFORE = frozenset({"my", "our"})
_PAYER_OWNED = compile_all(_SLOTS["payer_owned"]["patterns"])
_PAYER_WORDS = 3  # the longest payer name heard right after "we're with"
_GREETINGS = compile_all(_SLOTS["greetings"]["patterns"])
_AGE_GROUPS = {
    AgeGroup(key): compile_all(terms)
    for key, terms in _SLOTS["age_groups"].items()
    if not key.startswith("_")
}


def age_group(tokens: Sequence[str]) -> AgeGroup | None:
    """The age band a caller asks about ("anyone who works with kids?"), else None."""
    return next((group for group, patterns in _AGE_GROUPS.items() if first(patterns, tokens)), None)


def modality(tokens: Sequence[str], *, expecting: bool = False) -> Modality | None:
    """In person, telehealth, or both ("hybrid", "either", "in person or video")."""
    if first(_MODALITY["hybrid"], tokens):
        return Modality.HYBRID
    in_person = first(_MODALITY["in_person"], tokens)
    video = first(_MODALITY["telehealth"], tokens)
    if in_person and video:
        return Modality.HYBRID
    if expecting and first(_MODALITY["hybrid_when_asked"], tokens):
        return Modality.HYBRID
    if in_person:
        return Modality.IN_PERSON
    return Modality.TELEHEALTH if video else None


def payment(
    tokens: Sequence[str],
    *,
    payer_named: bool,
    expecting: bool = False,
    clauses: Sequence[Sequence[str]] = (),
) -> Payment | None:
    """Sliding scale, then private pay ("no insurance"), then insurance (or a payer named).

    Words that name a way to pay only in answer to the payment question ("cash", "credit
    card", "afford") count only when `expecting` it, and a card, cash or an HSA only as the
    means of paying, in a clause of `clauses` (else of `tokens`) that says nothing more:
    "credit card is fine", not "my credit card application status". Insurance of another
    kind or paid for ("my auto insurance bill") is none.
    """
    tokens = without_other_insurance(tokens)
    clauses = tuple(without_other_insurance(clause) for clause in clauses)
    for kind in (Payment.SLIDING_SCALE, Payment.PRIVATE_PAY, Payment.INSURANCE):
        if first(_PAYMENT[kind], tokens):
            return kind
        loose = _PAYMENT_WHEN_ASKED.get(kind)
        if not expecting or loose is None:
            continue
        if kind is not Payment.PRIVATE_PAY:
            if first(loose, tokens):
                return kind
        elif any(_means_of_paying(clause, loose) for clause in clauses or (tokens,)):
            return kind
    return Payment.INSURANCE if payer_named else None


def without_other_insurance(tokens: Sequence[str]) -> Sequence[str]:
    """The words without insurance of another kind or insurance paid for ("my car insurance",
    "my insurance bill", "spending a lot on insurance"): no way to pay for care."""
    span = first(_NOT_HEALTH, tokens)
    while span is not None:
        tokens = (*tokens[: span[0]], *tokens[span[1] :])
        span = first(_NOT_HEALTH, tokens)
    return tokens


def _means_of_paying(clause: Sequence[str], patterns: Sequence[Pattern]) -> bool:
    """Whether a clause names a way to pay and says only that it is the way ("I'll pay with
    my credit card", "just put it on my card"); "use my credit card points" and "my credit
    card was stolen" say something else of the card."""
    span = first(patterns, clause)
    if span is None:
        return False
    rest = (*clause[: span[0]], *clause[span[1] :])
    return all(word in _MEANS_WORDS for word in rest)


def telehealth_answer(tokens: Sequence[str], aspect: str) -> bool | None:
    """The caller's set-up for one aspect ("private_space", "device", "connection")."""
    if first(_TELEHEALTH[f"{aspect}_no"], tokens):
        return False
    if first(_TELEHEALTH[f"{aspect}_yes"], tokens):
        return True
    return None


def specialty_patterns(tags: Sequence[str]) -> tuple[tuple[str, Pattern], ...]:
    """Each practice specialty tag with the phrasings that name it, longest first."""
    found: list[tuple[str, Pattern]] = []
    for tag in tags:
        spoken = " ".join(words(tag.replace("_", " ")))
        terms = {spoken}
        for group in _SYNONYMS:
            if spoken in group:
                terms.update(group)
        found.extend((tag, compile_pattern(term)) for term in terms if term)
    return tuple(sorted(found, key=lambda pair: -len(pair[1].parts)))


def specialty(tokens: Sequence[str], patterns: Sequence[tuple[str, Pattern]]) -> str | None:
    """The practice specialty named first; "my teen" names a person, not a specialty.

    A synonym that is also an everyday word counts only where it names a condition or a
    kind of care: "my son has ADD" and "couple therapy", never "can you add my daughter"
    or "a couple of questions".
    """
    best: tuple[int, str] | None = None
    for tag, pattern in patterns:
        everyday = pattern.source in _EVERYDAY_WORDS
        for start, end in _spans(pattern, tokens, every=everyday):
            if start > 0 and tokens[start - 1] in _PEOPLE_BEFORE:
                if everyday:
                    continue
                break
            if everyday and not _as_condition(tokens, start, end):
                continue
            if best is None or start < best[0]:
                best = (start, tag)
            break
    return best[1] if best else None


def _spans(pattern: Pattern, tokens: Sequence[str], *, every: bool) -> Iterator[tuple[int, int]]:
    """The first span the pattern matches, or with `every` each one in order."""
    offset = 0
    while (span := pattern.find(tokens[offset:] if offset else tokens)) is not None:
        yield span[0] + offset, span[1] + offset
        if not every:
            return
        offset += span[0] + 1


def _as_condition(tokens: Sequence[str], start: int, end: int) -> bool:
    """Whether an everyday word at tokens[start:end] is said as a condition or kind of care."""
    before = tokens[start - 1] if start else ""
    after = tokens[end] if end < len(tokens) else ""
    whole = start == 0 and end == len(tokens)
    return whole or before in _CONDITION_BEFORE or after in _CONDITION_AFTER


def payer_owned(tokens: Sequence[str]) -> bool:
    """Whether the caller says a payer is theirs ("I have", "my plan is", "through work")."""
    return first(_PAYER_OWNED, tokens) is not None


def after_payer_owned(tokens: Sequence[str]) -> Sequence[str]:
    """The words right after the caller says a payer is theirs ("we're with …"), or none."""
    span = first(_PAYER_OWNED, tokens)
    return tokens[span[1] : span[1] + _PAYER_WORDS] if span is not None else ()


def without_greetings(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words with greetings that name a time of day ("good morning") taken out."""
    kept = list(tokens)
    while (span := first(_GREETINGS, kept)) is not None:
        del kept[span[0] : span[1]]
    return tuple(kept)
