"""Insurer names heard on a call, matched fuzzily against the practice's payers.

Token windows of the utterance are compared with every payer name and alias using
`difflib` ratios (spaces ignored, so "united health care" meets "UnitedHealthcare").
Short aliases ("bcbs", "uhc") must match exactly; misspellings by the recogniser ("etna")
pass the normal threshold, and a rough sound-alike key ("sigma" and "cigna" both sound as
"sina") catches wilder ones, but only when the flow just asked for the insurer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import words
from frontdesk.domain.practice import Payer

THRESHOLD = 0.84
EXPECTING_THRESHOLD = 0.75
_EXACT_ONLY_BELOW = 5  # aliases shorter than this must match exactly
NEVER_ALONE = frozenset({"united", "medical", "oxford", "blue", "care", "health", "first"})


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
FUZZY_NEVER: frozenset[str] = frozenset(load("insurers")["fuzzy_never"])
EDGE_WORDS = frozenset(
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
    return index(tuple(options)).match(tokens, expecting=expecting)


@lru_cache(maxsize=16)
def index(options: tuple[Candidate, ...]) -> PayerIndex:
    """The matcher for a list of candidates, built once per list."""
    return PayerIndex(options)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One candidate prepared for fuzzy comparison; `rank` is its place in the list."""

    rank: int
    target: str  # the key without spaces
    sound: str
    chars: Counter[str]
    sound_chars: Counter[str]
    letters: int  # bit mask of the letters in `target`
    sound_letters: int
    vague: bool


class PayerIndex:
    """Candidates grouped so that each utterance window meets only names it could match.

    A window of `width` words meets names of one word more or less than that. Exact names
    are a dictionary look-up; fuzzy ones are bucketed by the window lengths that can reach
    the threshold at all (difflib's ratio is at most 2·min(a, b)/(a + b)), so most windows
    compare with nothing. Scores equal those of comparing every window with every name.
    """

    def __init__(self, options: tuple[Candidate, ...]) -> None:
        self.options = options
        self._exact: dict[tuple[int, str], list[tuple[int, bool]]] = {}
        self._spelled: dict[tuple[bool, int, int], list[_Entry]] = {}
        self._sounded: dict[tuple[int, int], list[_Entry]] = {}
        entries: list[tuple[int, _Entry]] = []
        for rank, option in enumerate(options):
            size = len(option.key.split())
            target = option.key.replace(" ", "")
            vague = option.key in NEVER_ALONE
            for width in _widths(size):
                self._exact.setdefault((width, target), []).append((rank, vague))
            if len(target) >= _EXACT_ONLY_BELOW:
                spoken = sound(target)
                entry = _Entry(
                    rank,
                    target,
                    spoken,
                    Counter(target),
                    Counter(spoken),
                    _letters(target),
                    _letters(spoken),
                    vague,
                )
                entries.extend((width, entry) for width in _widths(size))
        self.widths = tuple(sorted({width for width, _ in entries} | {w for w, _ in self._exact}))
        longest = max((len(e.target) for _, e in entries), default=0)
        self._longest = 2 * longest + _LENGTH_SLACK
        for width, entry in entries:
            self._bucket(width, entry)

    def _bucket(self, width: int, entry: _Entry) -> None:
        """Files an entry under every window length that could reach a threshold with it."""
        size = len(entry.target)
        for length in range(1, self._longest + 1):
            if abs(length - size) > max(_LENGTH_SLACK, size // 2):
                continue
            for expecting in (False, True):
                if _length_bound(length, size) >= (EXPECTING_THRESHOLD if expecting else THRESHOLD):
                    self._spelled.setdefault((expecting, width, length), []).append(entry)
            if _length_bound(length, len(entry.sound)) >= EXPECTING_THRESHOLD:
                self._sounded.setdefault((width, length), []).append(entry)

    def match(self, tokens: Sequence[str], *, expecting: bool) -> PayerMatch | None:
        """The best-scoring candidate named in `tokens`; ties go to the earlier candidate."""
        threshold = EXPECTING_THRESHOLD if expecting else THRESHOLD
        scores: dict[int, float] = {}
        best = 0.0
        seen: set[tuple[int, str, bool]] = set()
        for width in self.widths:
            for text, fuzzy in _windows(tokens, width):
                if (width, text, fuzzy) in seen:
                    continue
                seen.add((width, text, fuzzy))
                for rank, vague in self._exact.get((width, text), ()):
                    if not (vague and not expecting):
                        scores[rank] = 1.0
                        best = 1.0
                if not fuzzy or not text.isalpha() or len(text) > self._longest:
                    continue
                window = _Window(text)
                for rank, score in self._fuzzy(window, width, max(threshold, best), expecting):
                    if score > scores.get(rank, 0.0):
                        scores[rank] = score
                        best = max(best, score)
        ranked = [(score, -rank) for rank, score in scores.items() if score >= threshold]
        if not ranked:
            return None
        score, rank = max(ranked)
        option = self.options[-rank]
        return PayerMatch(option.payer_id, option.label, score)

    def _fuzzy(
        self, window: _Window, width: int, floor: float, expecting: bool
    ) -> list[tuple[int, float]]:
        """Scores of fuzzy candidates for one window; those below `floor` are left out."""
        found: list[tuple[int, float]] = []
        text = window.text
        for entry in self._spelled.get((expecting, width, len(text)), ()):
            if entry.vague and not expecting:
                continue
            if _shared_bound(text, entry.target, window.letters, entry.letters) < floor:
                continue
            score = _bounded_ratio(text, entry.target, window.chars, entry.chars, floor)
            if score >= floor:
                found.append((entry.rank, score))
        if not expecting:
            return found
        spoken = window.sound
        for entry in self._sounded.get((width, len(spoken)), ()):
            if abs(len(text) - len(entry.target)) > max(_LENGTH_SLACK, len(entry.target) // 2):
                continue
            if (
                _shared_bound(spoken, entry.sound, window.sound_letters, entry.sound_letters)
                < floor
            ):
                continue
            score = _bounded_ratio(
                spoken, entry.sound, window.sound_chars, entry.sound_chars, floor
            )
            if score >= floor:
                found.append((entry.rank, score))
        return found


_LENGTH_SLACK = 3  # window and name may always differ by this many letters


def _widths(size: int) -> set[int]:
    """Window widths compared with a name of `size` words."""
    return {max(1, size - 1), size, size + 1}


def _length_bound(a: int, b: int) -> float:
    """difflib's `real_quick_ratio`: the best ratio two strings of these lengths can have."""
    return 2.0 * min(a, b) / (a + b)


def _letters(text: str) -> int:
    """A bit mask of the letters in `text` (a to z; windows are alphabetic)."""
    mask = 0
    for ch in text:
        mask |= 1 << (ord(ch) & 31)
    return mask


def _shared_bound(a: str, b: str, a_letters: int, b_letters: int) -> float:
    """A ratio bound from letter sets: each letter only one side has matches nothing."""
    only_a = (a_letters & ~b_letters).bit_count()
    only_b = (b_letters & ~a_letters).bit_count()
    shared = min(len(a) - only_a, len(b) - only_b)
    return 2.0 * shared / (len(a) + len(b))


class _Window:
    """One joined run of utterance words, with its sound key and letters computed lazily."""

    __slots__ = ("_chars", "_sound", "_sound_chars", "_sound_letters", "letters", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.letters = _letters(text)
        self._chars: Counter[str] | None = None
        self._sound: str | None = None
        self._sound_chars: Counter[str] | None = None
        self._sound_letters = 0

    @property
    def chars(self) -> Counter[str]:
        if self._chars is None:
            self._chars = Counter(self.text)
        return self._chars

    @property
    def sound(self) -> str:
        if self._sound is None:
            self._sound = sound(self.text)
            self._sound_letters = _letters(self._sound)
        return self._sound

    @property
    def sound_letters(self) -> int:
        return _letters(self.sound) if self._sound is None else self._sound_letters

    @property
    def sound_chars(self) -> Counter[str]:
        if self._sound_chars is None:
            self._sound_chars = Counter(self.sound)
        return self._sound_chars


def _bounded_ratio(
    a: str, b: str, a_chars: Counter[str], b_chars: Counter[str], floor: float
) -> float:
    """difflib's ratio of a and b, or 0 when its letter-count bound cannot reach `floor`."""
    shared = sum(min(count, a_chars[ch]) for ch, count in b_chars.items() if ch in a_chars)
    if 2.0 * shared / (len(a) + len(b)) < floor:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def _plausible(run: Sequence[str]) -> bool:
    """No function word at the edges of a run: "a human" is not "Humana"."""
    return len(run) == 1 or (run[0] not in EDGE_WORDS and run[-1] not in EDGE_WORDS)


def _windows(tokens: Sequence[str], width: int) -> list[tuple[str, bool]]:
    """Joined runs of `width` words, each with whether it may match fuzzily."""
    runs = [tokens[i : i + width] for i in range(len(tokens) - width + 1)]
    return [("".join(run), FUZZY_NEVER.isdisjoint(run)) for run in runs if _plausible(run)]


_SOUNDS = (("ph", "f"), ("ck", "k"), ("ci", "si"), ("ce", "se"), ("cy", "si"), ("c", "k"))
_SOUNDS_AFTER = (("m", "n"), ("gn", "n"), ("ae", "e"), ("z", "s"), ("q", "k"), ("y", "i"))


def sound(text: str) -> str:
    """A rough English sound-alike key: "sigma" and "cigna" both give "sina"."""
    for old, new in (*_SOUNDS, *_SOUNDS_AFTER):
        text = text.replace(old, new)
    collapsed = [ch for i, ch in enumerate(text) if i == 0 or ch != text[i - 1]]
    return "".join(collapsed)
