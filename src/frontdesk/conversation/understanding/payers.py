"""Insurer names heard on a call, matched fuzzily against the practice's payers.

Token windows of the utterance are compared with every payer name and alias using
`difflib` ratios (spaces ignored, so "united health care" meets "UnitedHealthcare").
Short aliases ("bcbs", "uhc") must match exactly; misspellings by the recogniser ("etna")
pass the normal threshold, and a rough sound-alike key ("sigma" and "cigna" both sound as
"sina") catches wilder ones, but only when the flow just asked for the insurer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import words
from frontdesk.domain.practice import Payer

THRESHOLD = 0.84
EXPECTING_THRESHOLD = 0.75
_EXACT_ONLY_BELOW = 5  # aliases shorter than this must match exactly
_NEVER_ALONE = frozenset({"united", "medical", "oxford", "blue", "care", "health", "first"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One name a payer goes by; `payer_id` None marks an insurer the practice does not take."""

    key: str
    payer_id: str | None
    label: str


@dataclass(frozen=True, slots=True)
class PayerMatch:
    payer_id: str | None
    label: str
    score: float


def _squash(text: str) -> str:
    return " ".join(words(text))


def _known_insurers() -> list[tuple[str, tuple[str, ...]]]:
    entries = load("insurers")["insurers"]
    return [(e["name"], tuple(_squash(a) for a in e["aliases"])) for e in entries]


_KNOWN = _known_insurers()
_FUZZY_NEVER: frozenset[str] = frozenset(load("insurers")["fuzzy_never"])
_EDGE_WORDS = frozenset(
    {"a", "an", "i", "my", "the", "is", "it", "we", "have", "has", "and", "or", "of", "to"}
    | {"in", "on", "at", "with", "through", "its", "our", "me", "they", "you", "want"}
)


def candidates(payers: Sequence[Payer]) -> tuple[Candidate, ...]:
    """Every name to listen for: the practice's payers (with known aliases) and the rest."""
    found: list[Candidate] = []
    taken: set[str] = set()
    for payer in payers:
        keys = {_squash(payer.name), *(_squash(a) for a in payer.aliases)}
        for name, aliases in _KNOWN:
            if _same_insurer(keys, name, aliases):
                keys.update(aliases)
                taken.add(name)
        found.extend(Candidate(key, payer.id, payer.name) for key in sorted(keys) if key)
    for name, aliases in _KNOWN:
        if name not in taken:
            found.extend(Candidate(alias, None, name) for alias in aliases)
    return tuple(found)


def _same_insurer(keys: set[str], name: str, aliases: tuple[str, ...]) -> bool:
    """Whether a practice payer is one of the well-known insurers (by name or alias)."""
    known = {_squash(name).replace(" ", ""), *(a.replace(" ", "") for a in aliases)}
    return any(key.replace(" ", "") in known for key in keys)


def match(
    tokens: Sequence[str], options: Sequence[Candidate], *, expecting: bool = False
) -> PayerMatch | None:
    """The best-scoring payer named in the utterance, or None below the threshold."""
    threshold = EXPECTING_THRESHOLD if expecting else THRESHOLD
    windows = _Windows(tokens)
    best: PayerMatch | None = None
    for option in options:
        floor = max(threshold, best.score if best else 0.0)
        score = _best_window(windows, option.key, floor=floor, expecting=expecting)
        if score < threshold or (best is not None and score <= best.score):
            continue
        best = PayerMatch(option.payer_id, option.label, score)
    return best


def _plausible(run: Sequence[str]) -> bool:
    """No function word at the edges of a run: "a human" is not "Humana"."""
    return len(run) == 1 or (run[0] not in _EDGE_WORDS and run[-1] not in _EDGE_WORDS)


class _Windows:
    """Joined runs of utterance tokens by width, computed once per utterance."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self._tokens = tokens
        self._by_width: dict[int, list[tuple[str, bool]]] = {}

    def of_width(self, width: int) -> list[tuple[str, bool]]:
        """Joined runs of `width` words, each with whether it may match fuzzily."""
        if width not in self._by_width:
            runs = [self._tokens[i : i + width] for i in range(len(self._tokens) - width + 1)]
            self._by_width[width] = [
                ("".join(run), not any(word in _FUZZY_NEVER for word in run))
                for run in runs
                if _plausible(run)
            ]
        return self._by_width[width]


def _best_window(windows: _Windows, key: str, *, floor: float, expecting: bool) -> float:
    """Highest similarity between `key` and any run of utterance tokens of about its length."""
    size = len(key.split())
    target = key.replace(" ", "")
    best = 0.0
    for width in {max(1, size - 1), size, size + 1}:
        for text, fuzzy in windows.of_width(width):
            if text == target or fuzzy:
                score = _similarity(text, target, key, floor=floor, expecting=expecting)
                best = max(best, score)
    return best


def _similarity(text: str, target: str, key: str, *, floor: float, expecting: bool) -> float:
    """Spelling similarity, or sound-alike similarity when the flow asked for the insurer.

    Scores that cannot reach `floor` may be returned as 0: difflib's cheap upper bounds
    rule most windows out before the full ratio is computed.
    """
    vague = key in _NEVER_ALONE and not expecting
    if text == target:
        return 0.0 if vague else 1.0
    if len(target) < _EXACT_ONLY_BELOW or vague or not text.isalpha():
        return 0.0
    if abs(len(text) - len(target)) > max(3, len(target) // 2):
        return 0.0
    spelled = _ratio(text, target, floor)
    if not expecting:
        return spelled
    return max(spelled, _ratio(sound(text), sound(target), floor))


def _ratio(a: str, b: str, floor: float) -> float:
    matcher = SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


_SOUNDS = (("ph", "f"), ("ck", "k"), ("ci", "si"), ("ce", "se"), ("cy", "si"), ("c", "k"))
_SOUNDS_AFTER = (("m", "n"), ("gn", "n"), ("ae", "e"), ("z", "s"), ("q", "k"), ("y", "i"))


def sound(text: str) -> str:
    """A rough English sound-alike key: "sigma" and "cigna" both give "sina"."""
    for old, new in (*_SOUNDS, *_SOUNDS_AFTER):
        text = text.replace(old, new)
    collapsed = [ch for i, ch in enumerate(text) if i == 0 or ch != text[i - 1]]
    return "".join(collapsed)
