"""Insurer names heard on a call, matched fuzzily against the practice's payers.

Token windows of the utterance are compared with every payer name and alias using
`difflib` ratios (spaces ignored, so "united health care" meets "UnitedHealthcare").
Short aliases ("bcbs", "uhc") must match exactly; misspellings by the recogniser ("etna")
pass the normal threshold, and a rough sound-alike key ("sigma" and "cigna" both sound as
"sina") catches wilder ones, but only when the flow just asked for the insurer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from frontdesk.conversation.understanding import places
from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import words
from frontdesk.domain.practice import Payer

THRESHOLD = 0.84
EXPECTING_THRESHOLD = 0.75
_EXACT_ONLY_BELOW = 5  # aliases shorter than this must match exactly
NEVER_ALONE = frozenset({"united", "medical", "oxford", "blue", "care", "health", "first"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One name a payer goes by; `payer_id` None marks an insurer the practice does not take.

    `program` names a program each state runs apart ("Medicaid") when the key names it
    without a state: which state's plan is meant cannot be read from the key.
    """

    key: str
    payer_id: str | None
    label: str
    program: str | None = None


@dataclass(frozen=True, slots=True)
class PayerMatch:
    """The payer heard, how closely (1.0 is as spelled), and where: `span` is the (start,
    end) of the words that named it."""

    payer_id: str | None
    label: str
    score: float
    program: str | None = None
    span: tuple[int, int] | None = None


def _squash(text: str) -> str:
    return " ".join(words(text))


def _known_insurers() -> list[tuple[str, tuple[str, ...]]]:
    entries = load("insurers")["insurers"]
    return [(e["name"], tuple(_squash(a) for a in e["aliases"])) for e in entries]


_KNOWN = _known_insurers()
BY_STATE: dict[str, frozenset[str]] = {
    name: frozenset(_squash(w) for w in bare) for name, bare in load("insurers")["by_state"].items()
}
"""Programs each state runs apart, with the words that name them without a state."""
FUZZY_NEVER: frozenset[str] = frozenset(load("insurers")["fuzzy_never"])
ANSWER_WORDS: frozenset[str] = frozenset(load("insurers")["answer_words"])
"""Words that may stand beside a payer heard only roughly in a clause that answers the
payment question ("I have sigma through my work")."""
EDGE_WORDS = frozenset(
    {"a", "an", "i", "my", "the", "is", "it", "we", "have", "has", "and", "or", "of", "to"}
    | {"in", "on", "at", "with", "through", "its", "our", "me", "they", "you", "want"}
)


def candidates(payers: Sequence[Payer]) -> tuple[Candidate, ...]:
    """Every name to listen for: the practice's payers (with known aliases) and the rest.

    The practice file wins. Its payers' own names and aliases are theirs alone; a well-known
    insurer only adds spellings to the one practice payer it names, never a name that
    another practice payer goes by. So a practice that lists a behavioural-health payer
    ("Optum") apart from its parent ("UnitedHealthcare") keeps them apart, even though the
    built-in list counts Optum among UnitedHealthcare's names. Where several practice payers
    match one known insurer, only the one that carries the insurer's own name inherits.
    """
    own = {payer.id: _keys(payer) for payer in payers}
    claimed = {key for keys in own.values() for key in keys}
    found: list[Candidate] = []
    taken: set[str] = set()
    inherited: dict[str, set[str]] = {payer.id: set() for payer in payers}
    for name, aliases in _KNOWN:
        matching = [p for p in payers if _same_insurer(own[p.id], name, aliases)]
        if not matching:
            continue
        taken.add(name)
        heir = _heir(matching, own, name)
        if heir is not None:
            # A state's own program name ("MassHealth") is not another state's plan.
            spellings = BY_STATE.get(name, frozenset(aliases))
            inherited[heir.id].update(a for a in aliases if a not in claimed and a in spellings)
    for payer in payers:
        keys = own[payer.id] | inherited[payer.id]
        found.extend(
            Candidate(key, payer.id, payer.name, _program_named(key)) for key in sorted(keys) if key
        )
    given = {key for keys in inherited.values() for key in keys} | claimed
    for name, aliases in _KNOWN:
        if name not in taken:
            found.extend(Candidate(alias, None, name) for alias in aliases if alias not in claimed)
        elif name in BY_STATE:  # another state's own program ("MassHealth"): not taken here
            found.extend(Candidate(a, None, a.title()) for a in aliases if a not in given)
    return tuple(found)


def in_state(program: str, state: str, payers: Sequence[Payer]) -> Payer | None:
    """The practice's payer for one state's part of a program ("Illinois Medicaid" for IL)."""
    return next(
        (p for p in payers if program_of(p) == program and places.state(words(p.name)) == state),
        None,
    )


def of_program(program: str, payers: Sequence[Payer]) -> tuple[Payer, ...]:
    """The practice's payers that belong to a by-state program."""
    return tuple(p for p in payers if program_of(p) == program)


def _program_named(key: str) -> str | None:
    """The by-state program a key names without a state ("medicaid"), else None."""
    return next((name for name, bare in BY_STATE.items() if key in bare), None)


def program_of(payer: Payer) -> str | None:
    """The by-state program a practice payer belongs to ("Illinois Medicaid" → Medicaid)."""
    named = " ".join(sorted(_keys(payer)))
    for name, bare in BY_STATE.items():
        if any(re.search(rf"\b{re.escape(word)}\b", named) for word in bare):
            return name
    return None


def _keys(payer: Payer) -> set[str]:
    return {_squash(payer.name), *(_squash(a) for a in payer.aliases)} - {""}


def _heir(matching: list[Payer], own: dict[str, set[str]], name: str) -> Payer | None:
    """The practice payer that inherits a known insurer's spellings, if exactly one does."""
    if len(matching) == 1:
        return matching[0]
    named = [p for p in matching if _squash(name).replace(" ", "") in _joined(own[p.id])]
    return named[0] if len(named) == 1 else None


def _same_insurer(keys: set[str], name: str, aliases: tuple[str, ...]) -> bool:
    """Whether a practice payer is one of the well-known insurers (by name or alias)."""
    known = {_squash(name).replace(" ", ""), *(a.replace(" ", "") for a in aliases)}
    return bool(_joined(keys) & known)


def _joined(keys: set[str]) -> set[str]:
    return {key.replace(" ", "") for key in keys}


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
    chars: int  # letter occurrences of `target` (see `_occurrences`)
    sound_chars: int
    letters: int  # bit mask of the letters in `target`
    sound_letters: int
    vague: bool
    strict: bool  # an insurer the practice does not take: heard at THRESHOLD, never by sound


_Filing = tuple[int, int, int, _Entry]  # letters, may lack, may add, the entry


class PayerIndex:
    """Candidates grouped so that each utterance window meets only names it could match.

    A window of `width` words meets names of one word more or less than that. Exact names
    are a dictionary look-up, done first; fuzzy ones are filed by the window lengths that
    can reach the threshold at all (difflib's ratio is at most 2·min(a, b)/(a + b)), and
    letter-set and letter-count bounds rule most of those out before difflib runs. Scores
    equal those of comparing every window with every name.
    """

    def __init__(self, options: tuple[Candidate, ...]) -> None:
        self.options = options
        self._exact: dict[tuple[int, str], list[tuple[int, bool]]] = {}
        self._spelled: dict[tuple[bool, int, int], list[_Filing]] = {}
        self._sounded: dict[tuple[int, int], list[_Filing]] = {}
        self._by_sound: dict[tuple[int, str], list[_Entry]] = {}
        entries: list[tuple[int, _Entry]] = []
        for rank, option in enumerate(options):
            size = len(option.key.split())
            target = option.key.replace(" ", "")
            vague = option.key in NEVER_ALONE
            # Leniency is for the practice's own payers ("sigma" for Cigna): an everyday word
            # near another insurer's name ("prefer" and Premera, "telehealth" and
            # EmblemHealth) would record an insurer the caller never named as theirs.
            strict = option.payer_id is None
            for width in _widths(size):
                self._exact.setdefault((width, target), []).append((rank, vague))
            if len(target) >= _EXACT_ONLY_BELOW:
                spoken = sound(target)
                entry = _Entry(
                    rank,
                    target,
                    spoken,
                    _occurrences(target),
                    _occurrences(spoken),
                    _letters(target),
                    _letters(spoken),
                    vague,
                    strict,
                )
                entries.extend((width, entry) for width in _widths(size))
        self.widths = tuple(sorted({width for width, _ in entries} | {w for w, _ in self._exact}))
        longest = max((len(e.target) for _, e in entries), default=0)
        self._longest = 2 * longest + _LENGTH_SLACK
        for width, entry in entries:
            self._bucket(width, entry)
            if not entry.strict:
                self._by_sound.setdefault((width, entry.sound), []).append(entry)

    def _bucket(self, width: int, entry: _Entry) -> None:
        """Files an entry under every window length that could reach a threshold with it.

        Each filing carries how many of the name's letters the window may lack, and how
        many letters of its own the name may lack, before even sharing every other letter
        leaves the ratio under the threshold.
        """
        size = len(entry.target)
        slack = max(_LENGTH_SLACK, size // 2)
        for length in range(max(1, size - slack), min(self._longest, size + slack) + 1):
            for expecting in (False, True):
                if entry.vague and not expecting:
                    continue  # a vague name is only ever heard exactly, unless asked for
                lenient = expecting and not entry.strict
                threshold = EXPECTING_THRESHOLD if lenient else THRESHOLD
                allowed = _allowed_missing(length, size, threshold)
                if allowed is not None:
                    key = (expecting, width, length)
                    self._spelled.setdefault(key, []).append((entry.letters, *allowed, entry))
        if entry.strict:
            return
        spoken = len(entry.sound)
        for length in range(1, self._longest + 1):
            allowed = _allowed_missing(length, spoken, EXPECTING_THRESHOLD)
            if allowed is not None:
                filing = (entry.sound_letters, *allowed, entry)
                self._sounded.setdefault((width, length), []).append(filing)

    def match(self, tokens: Sequence[str], *, expecting: bool) -> PayerMatch | None:
        """The best-scoring candidate named in `tokens`; ties go to the earlier candidate."""
        threshold = EXPECTING_THRESHOLD if expecting else THRESHOLD
        scores: dict[int, float] = {}
        where: dict[int, tuple[int, int]] = {}
        best = 0.0
        masks = [_letters(token) for token in tokens]
        fuzzy_windows: list[tuple[int, str, int, int]] = []
        seen: set[tuple[int, str, bool]] = set()
        for width in self.widths:
            for start, text, fuzzy, letters in _windows(tokens, masks, width):
                if (width, text, fuzzy) in seen:
                    continue
                seen.add((width, text, fuzzy))
                for rank, vague in self._exact.get((width, text), ()):
                    if not (vague and not expecting) and scores.get(rank) != 1.0:
                        scores[rank] = best = 1.0
                        where[rank] = (start, start + width)
                if fuzzy and text.isalpha() and len(text) <= self._longest:
                    fuzzy_windows.append((width, text, letters, start))
        # Exact names first: once one is heard, only another perfect score could compete.
        for width, text, letters, start in fuzzy_windows:
            window = _Window(text, letters)
            for rank, score in self._fuzzy(window, width, max(threshold, best), expecting):
                if score > scores.get(rank, 0.0):
                    scores[rank] = score
                    where[rank] = (start, start + width)
                    best = max(best, score)
        ranked = [(score, -rank) for rank, score in scores.items() if score >= threshold]
        if not ranked:
            return None
        score, rank = max(ranked)
        option = self.options[-rank]
        return PayerMatch(option.payer_id, option.label, score, option.program, where[-rank])

    def _fuzzy(
        self, window: _Window, width: int, floor: float, expecting: bool
    ) -> list[tuple[int, float]]:
        """Scores of fuzzy candidates for one window; those below `floor` are left out."""
        if floor >= 1.0:  # only a perfect score counts: identical spellings were looked up
            return self._sound_twins(window, width) if expecting else []
        found: list[tuple[int, float]] = []
        text = window.text
        letters = window.letters
        for known, lacks, extra, entry in self._spelled.get((expecting, width, len(text)), ()):
            if (known & ~letters).bit_count() > lacks or (letters & ~known).bit_count() > extra:
                continue
            least = max(floor, THRESHOLD) if entry.strict else floor
            score = _bounded_ratio(text, entry.target, window.chars, entry.chars, least)
            if score >= least:
                found.append((entry.rank, score))
        if not expecting:
            return found
        spoken = window.sound
        letters = window.sound_letters
        for known, lacks, extra, entry in self._sounded.get((width, len(spoken)), ()):
            if (known & ~letters).bit_count() > lacks or (letters & ~known).bit_count() > extra:
                continue
            size = len(entry.target)
            if abs(len(text) - size) > max(_LENGTH_SLACK, size // 2):
                continue
            score = _bounded_ratio(
                spoken, entry.sound, window.sound_chars, entry.sound_chars, floor
            )
            if score >= floor:
                found.append((entry.rank, score))
        return found

    def _sound_twins(self, window: _Window, width: int) -> list[tuple[int, float]]:
        """Names that sound exactly like the window (a perfect sound-alike score)."""
        found: list[tuple[int, float]] = []
        for entry in self._by_sound.get((width, window.sound), ()):
            size = len(entry.target)
            if abs(len(window.text) - size) <= max(_LENGTH_SLACK, size // 2):
                found.append((entry.rank, 1.0))
        return found


_LENGTH_SLACK = 3  # window and name may always differ by this many letters


def _widths(size: int) -> set[int]:
    """Window widths compared with a name of `size` words."""
    return {max(1, size - 1), size, size + 1}


def _allowed_missing(length: int, size: int, threshold: float) -> tuple[int, int] | None:
    """Letters a window of `length` may lack of a name of `size`, and the name of it.

    A letter on one side only matches nothing, so with `m` such letters on the name's side
    at most `size - m` letters are shared and difflib's ratio is at most
    2·(size - m)/(length + size); likewise for the window's side. None when even `m = 0`
    stays under the threshold (difflib's `real_quick_ratio` bound).
    """
    total = length + size
    if 2.0 * min(length, size) / total < threshold:
        return None
    lacks = max(m for m in range(size + 1) if 2.0 * (size - m) / total >= threshold)
    extra = max(m for m in range(length + 1) if 2.0 * (length - m) / total >= threshold)
    return lacks, extra


def _letters(text: str) -> int:
    """A bit mask of the letters in `text` (a to z; windows are alphabetic)."""
    mask = 0
    for ch in text:
        mask |= 1 << (ord(ch) & 31)
    return mask


class _Window:
    """One joined run of utterance words, with its sound key and letters computed lazily."""

    __slots__ = ("_chars", "_sound", "_sound_chars", "_sound_letters", "letters", "text")

    def __init__(self, text: str, letters: int) -> None:
        self.text = text
        self.letters = letters
        self._chars: int | None = None
        self._sound: str | None = None
        self._sound_chars: int | None = None
        self._sound_letters = 0

    @property
    def chars(self) -> int:
        if self._chars is None:
            self._chars = _occurrences(self.text)
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
    def sound_chars(self) -> int:
        if self._sound_chars is None:
            self._sound_chars = _occurrences(self.sound)
        return self._sound_chars


def _bounded_ratio(a: str, b: str, a_chars: int, b_chars: int, floor: float) -> float:
    """difflib's ratio of a and b, or 0 when its letter-count bound cannot reach `floor`."""
    shared = (a_chars & b_chars).bit_count()  # at least the letters the two have in common
    if 2.0 * shared / (len(a) + len(b)) < floor:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


_REPEATS = 32  # occurrences of one letter told apart; longer runs count as this many


def _occurrences(text: str) -> int:
    """Letter occurrences as bits, so that `(x & y).bit_count()` bounds the shared letters.

    The k-th occurrence of a letter sets bit k of that letter's field: the popcount of two
    masks ANDed is the sum over letters of the smaller count (difflib's `quick_ratio`
    numerator). Letters are folded into 32 fields, which can only raise the bound.
    """
    mask = 0
    counts = [0] * 32
    for ch in text:
        field = ord(ch) & 31
        k = counts[field]
        if k < _REPEATS:
            mask |= 1 << (field * _REPEATS + k)
            counts[field] = k + 1
    return mask


def _plausible(run: Sequence[str]) -> bool:
    """No function word at the edges of a run: "a human" is not "Humana"."""
    return len(run) == 1 or (run[0] not in EDGE_WORDS and run[-1] not in EDGE_WORDS)


def _windows(
    tokens: Sequence[str], masks: Sequence[int], width: int
) -> Iterator[tuple[int, str, bool, int]]:
    """Joined runs of `width` words: where each starts, its text, whether it may match
    fuzzily, its letters."""
    for i in range(len(tokens) - width + 1):
        run = tokens[i : i + width]
        if _plausible(run):
            letters = 0
            for mask in masks[i : i + width]:
                letters |= mask
            yield i, "".join(run), FUZZY_NEVER.isdisjoint(run), letters


_SOUNDS = (("ph", "f"), ("ck", "k"), ("ci", "si"), ("ce", "se"), ("cy", "si"), ("c", "k"))
_SOUNDS_AFTER = (("m", "n"), ("gn", "n"), ("ae", "e"), ("z", "s"), ("q", "k"), ("y", "i"))
_ALL_SOUNDS = (*_SOUNDS, *_SOUNDS_AFTER)
_REPEATED = re.compile(r"(.)\1+", re.DOTALL)  # a run of one letter sounds as one


def sound(text: str) -> str:
    """A rough English sound-alike key: "sigma" and "cigna" both give "sina"."""
    for old, new in _ALL_SOUNDS:
        text = text.replace(old, new)
    return _REPEATED.sub(r"\1", text)
