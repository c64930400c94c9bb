"""Speech-to-text normalisation that remembers where every token came from.

The screen matches on lower-case word tokens with apostrophes, fillers, stutters and
contractions smoothed out, slang expanded and plausible misspellings of trigger words
corrected; each token keeps the character span of the caller's raw text it stands for, so
verdicts point at what the caller actually said.

A sentence that opens by pointing back at what the one before named ("I have the pills. I'm
gonna take them all", "I bought a rope. I'm going to use it tonight", "I'm done. I have
everything ready") goes on with it: the break between them is read as a joining word (see
`Join`), so the parts the two sentences say together are composed, and excused by an idiom,
as one sentence's would be ("I have the pills and I'm gonna take them all"; "I bought a
rope. I'm going to use it for the tent" stays the tent).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

# A word censored with asterisks ("sh*t", "f**k": one to three letters, then asterisks and
# maybe letters) is one token, never its first letters ("sh" is self-harm); otherwise a word
# (with inner apostrophes, and a trailing hyphen when a word was cut off), or a
# sentence-ending character; a full stop typed between two letters with no space ("like.to")
# is a slip of the keyboard, not the end of a sentence, and dots run together between two
# words with no space ("a coffee..or a poison", "i laughed...and then") are a pause inside
# the thought, read as a comma is (no token).
_TOKEN = re.compile(
    r"(?<![a-z0-9])[a-z]{1,3}(?:\*+[a-z]+|\*{2,})(?![a-z0-9])"
    r"|[a-z0-9]+(?:['’][a-z]+)*(?:-(?![a-z0-9]))?|(?<=[a-z0-9])\.{2,}(?=[a-z0-9])"
    r"|(?<![a-z])\.|\.(?![a-z])|[!?;\n]"
)
_BREAK_CHARS = frozenset(".!?;\n")
_DOTS = re.compile(r"(?<=[a-z0-9])\.{2,}(?=[a-z0-9])")
SENTENCE_BREAK = "."
CLAUSE_BREAK = ","
BREAKS = frozenset((SENTENCE_BREAK, CLAUSE_BREAK))
_FUZZY_MIN_LENGTH = 6
# Words after which a contracted 's ("he's", expanded to "he is") means has.
_PERFECT = frozenset(("got", "been"))
# A slip on a word's first key ("milling myself") is the one first-letter change a
# misspelling is corrected across: the keys next to each letter on a QWERTY keyboard.
_KEY_ROWS: Final = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(row: int, col: int) -> frozenset[str]:
    """Keys touching the key at `row`, `col` (each row sits half a key right of the one above)."""
    near = [(row, col - 1), (row, col + 1), (row - 1, col), (row - 1, col + 1)]
    near += [(row + 1, col - 1), (row + 1, col)]
    return frozenset(
        _KEY_ROWS[r][c] for r, c in near if 0 <= r < len(_KEY_ROWS) and 0 <= c < len(_KEY_ROWS[r])
    )


_NEIGHBOURS: Final = {
    key: _neighbours(row, col) for row, keys in enumerate(_KEY_ROWS) for col, key in enumerate(keys)
}
_CACHE_LIMIT = 50_000
# A letter typed three or more times in a row ("sooo", "killll", "pleaseee"): no English
# word has one, so the word is drawn out for emphasis.
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}")
_MAX_RUNS = 4


# How one space-separated chunk of lowered text reads: its pieces, each piece's character
# span inside the chunk, whether each piece is a spelling correction, and whether any is;
# then whether a comma follows each piece inside the chunk, and whether one does.
Chunk = tuple[
    tuple[str, ...], tuple[tuple[int, int], ...], tuple[bool, ...], bool, tuple[bool, ...], bool
]
_EMPTY: Final[Chunk] = ((), (), (), False, (), False)
_PIECES = operator.itemgetter(0)


class Tokens:
    """Normalised words of one utterance, cheap to build and to scan.

    `text[i]` is the i-th word, or a break marker: `"."` ends a sentence, `","` a clause;
    no pattern matches a marker and no gap crosses one. `span(i)` is the raw character span
    a word came from; `corrected` holds the indices of spelling corrections, and `pauses`
    (sorted) those of the words a comma follows: a comma is no marker, since "I tried to
    kill myself, years ago" is one thought, but it may end a clause (see `Context`).
    """

    __slots__ = (
        "_chunk_starts",
        "_chunks",
        "_ends",
        "_keep",
        "_kept",
        "_length",
        "_readings",
        "corrected",
        "pauses",
        "text",
    )

    def __init__(
        self,
        chunks: list[str],
        readings: list[Chunk],
        text: list[str],
        keep: list[bool] | None,
        corrected: set[int],
        length: int | None = None,
        pauses: list[int] | None = None,
    ) -> None:
        # Word i is the i-th kept piece (`keep` marks them; all when None) of the pieces of all
        # `readings` laid end to end; which chunk holds it, and where that chunk starts in
        # the raw text, are summed on the first call of `span`, so a verdict with no match
        # never pays for them.
        self._chunks = chunks
        self._readings = readings
        self._keep = keep
        self._kept: list[int] | None = None
        self._ends: list[int] | None = None
        self._chunk_starts: list[int] | None = None
        # The raw text's length: the chunks and the spaces between them.
        self._length = sum(map(len, chunks)) + len(chunks) - 1 if length is None else length
        self.text = text
        self.corrected = corrected
        self.pauses: list[int] = [] if pauses is None else pauses

    def __len__(self) -> int:
        return len(self.text)

    def span(self, index: int) -> tuple[int, int]:
        """Raw character offsets of the word at `index`."""
        if self._ends is None or self._chunk_starts is None:
            self._ends = list(itertools.accumulate(map(len, map(_PIECES, self._readings))))
            # Each chunk starts one character (the space) after the end of the one before.
            spaced = map((1).__add__, map(len, self._chunks))
            self._chunk_starts = list(itertools.accumulate(spaced, initial=0))
        if self._keep is not None and self._kept is None:
            self._kept = list(itertools.compress(itertools.count(), self._keep))
        flat = index if self._kept is None else self._kept[index]
        chunk = bisect.bisect_right(self._ends, flat)
        first = self._ends[chunk - 1] if chunk else 0
        start, end = self._readings[chunk][1][flat - first]
        base = self._chunk_starts[chunk]
        return base + start, base + end

    def index_at(self, offset: int) -> int:
        """Index of the first word whose raw span starts at or after `offset` (or the length).

        The chunks are walked from the nearer end of the text, so an offset near either end
        costs only the words between, not a pass over the whole text.
        """
        chunks, readings = self._chunks, self._readings
        pieces = 0  # pieces (before stutters are dropped) starting before `offset`
        if offset <= self._length // 2:
            start = 0
            for chunk, reading in zip(chunks, readings, strict=True):
                spans = reading[1]
                if start + len(chunk) >= offset:
                    pieces += sum(1 for s, _ in spans if start + s < offset)
                    break
                pieces += len(spans)
                start += len(chunk) + 1
        else:
            after = 0  # pieces starting at or after `offset`
            end = self._length
            for chunk, reading in zip(reversed(chunks), reversed(readings), strict=True):
                start = end - len(chunk)
                spans = reading[1]
                later = sum(1 for s, _ in spans if start + s >= offset)
                after += later
                if later < len(spans) or start < offset:
                    break
                end = start - 1
            total = len(self._keep) if self._keep is not None else len(self.text)
            pieces = total - after
        if self._keep is None:
            return pieces
        if pieces <= len(self._keep) // 2:
            return sum(self._keep[:pieces])
        return len(self.text) - sum(self._keep[pieces:])

    def same_clause(self, a: int, b: int) -> bool:
        """Whether no break marker lies between tokens `a` and `b`."""
        lo, hi = (a, b) if a <= b else (b, a)
        words = self.text
        return all(words[i] not in BREAKS for i in range(lo, hi + 1))

    def pauses_in(self, lo: int, hi: int) -> list[int]:
        """The indices in [lo, hi) of words a comma follows, in order."""
        pauses = self.pauses
        if not pauses:
            return []
        return pauses[bisect.bisect_left(pauses, lo) : bisect.bisect_left(pauses, hi)]

    def same_sentence(self, a: int, b: int) -> bool:
        """Whether no sentence marker lies between tokens `a` and `b`."""
        lo, hi = (a, b) if a <= b else (b, a)
        words = self.text
        return all(words[i] != SENTENCE_BREAK for i in range(lo, hi + 1))


# Accented Latin letters read as their plain letter ("más" is "mas", "daño" is "dano"), one
# character for one so offsets stay aligned: Spanish entries and "café" are spelled plain.
_ACCENTED: Final = "áàâäãåéèêëíìîïóòôöõúùûüñçý"
_FOLD: Final = str.maketrans(_ACCENTED, "aaaaaaeeeeiiiiooooouuuuncy")
# A text with none of them needs no pass of the table (a per-character look-up).
_FOLDABLE: Final = re.compile(f"[{_ACCENTED}]")


@dataclass(frozen=True)
class Aside:
    """A two-word spoken aside ("you know") and the words that keep it in the sentence.

    `kept_after`: a word just before it that makes it part of the sentence ("do you know");
    `kept_before`: a word just after it that does ("you know him", "i mean it");
    `dropped_before`: a word just after it that makes it a filler whatever comes before
    ("I don't you know think"); `dropped_after`: a word just before it, a verb or a
    preposition waiting for its object, that makes it a filler whatever comes after ("end
    you know it", "ending i mean it").
    """

    words: tuple[str, str]
    kept_after: frozenset[str] = frozenset()
    kept_before: frozenset[str] = frozenset()
    dropped_before: frozenset[str] = frozenset()
    dropped_after: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Join:
    """Openings that point back at the sentence before, and the word the break is read as.

    A sentence break is read as `word` when one of `openings` (sequences of two or more word
    sets, one per token: "use it", "take them", "have everything ready") starts within `within`
    tokens after it, in the sentence it opens. Only the break itself changes, so each joined
    sentence reaches one back, and a run of sentences that each point back is read as one.
    """

    word: str
    within: int
    openings: tuple[tuple[frozenset[str], ...], ...]


def _dropped(
    words: list[str], keep: list[bool] | None, drop: Iterable[int]
) -> tuple[list[str], list[bool] | None]:
    """`words` less the indices `drop`, and the mask over the pieces that leaves."""
    said = [True] * len(words)
    for index in drop:
        said[index] = False
    if keep is None:
        mask = said
    else:
        # The words left are the pieces `keep` kept; the mask drops those among them.
        mask = list(keep)
        kept = list(itertools.compress(itertools.count(), mask))
        for index in drop:
            mask[kept[index]] = False
    return list(itertools.compress(words, said)), mask


def _goes_on(rest: tuple[frozenset[str], ...], words: list[str], start: int) -> bool:
    """Whether the words from `start` are `rest`, the text's end read as the break closing it.

    "I have the knife. I'm ready" ends as "I'm ready." does.
    """
    found = words[start : start + len(rest)]
    if len(found) == len(rest) - 1 and words[-1] != SENTENCE_BREAK:
        found.append(SENTENCE_BREAK)
    return len(found) == len(rest) and all(map(frozenset.__contains__, rest, found))


# How many words a restart says again, longest first ("i am going to i am going to").
_RESTART_SIZES = (4, 3, 2)


def _restarted(words: list[str], keep: list[bool] | None) -> tuple[list[str], list[bool] | None]:
    """`words` less a run of two to four words said again at once: a restart, as a word said
    twice is.

    "i don't don't want" reads "i do not do not want" once expanded; the second "do not" goes,
    and so do the second "i am doing" of "i am doing i am doing it" and the second "i am
    going to" of "im gonna im gonna take them".
    """
    drop: list[int] = []
    taken: set[int] = set()
    for size in _RESTART_SIZES:
        # Only where a word comes again `size` on is anything looked at (a C-speed scan).
        for index in itertools.compress(itertools.count(), map(operator.eq, words, words[size:])):
            both = range(index, index + 2 * size)
            if (
                index + 2 * size <= len(words)
                and words[index + 1] == words[index + size + 1]
                and taken.isdisjoint(both)
                and words[index : index + size] == words[index + size : index + 2 * size]
                and BREAKS.isdisjoint(words[index : index + size])
            ):
                drop += range(index + size, index + 2 * size)
                taken.update(both)
    return _dropped(words, keep, drop) if drop else (words, keep)


def _repeats(words: list[str]) -> list[int]:
    """The indices of words that repeat the word before them."""
    return list(itertools.compress(itertools.count(1), map(operator.eq, words[1:], words)))


def _lower_keeping_offsets(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters lower-case to two; keep them as they are so offsets stay aligned.
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_FOLD) if _FOLDABLE.search(lowered) else lowered


def _slip(word: str, target: str) -> bool:
    """Whether `word` may be a slip for `target`: same first letter, or only it hit next door."""
    if word[0] == target[0]:
        return True
    return word[1:] == target[1:] and word[0] in _NEIGHBOURS.get(target[0], ())


def _deletions(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1 :] for i in range(len(word)))


class Normalizer:
    """Turns raw caller text into `Tokens`; built once per lexicon from its data file."""

    __slots__ = (
        "_asides",
        "_chunk_cache",
        "_clause_breaks",
        "_contractions",
        "_deletes",
        "_expansions",
        "_fillers",
        "_fuzzy_cache",
        "_hedge",
        "_hedge_after",
        "_hedge_before",
        "_hedge_dropped",
        "_hedge_dropped_after",
        "_join",
        "_join_openings",
        "_join_pairs",
        "_known",
        "_misspellings",
        "_protected",
        "_targets",
        "_vocabulary",
    )

    def __init__(
        self,
        *,
        fillers: Iterable[str],
        contractions: Mapping[str, str],
        expansions: Mapping[str, str],
        misspellings: Mapping[str, str],
        fuzzy_targets: Iterable[str],
        protected: Iterable[str],
        clause_breaks: Iterable[str],
        known_words: Iterable[str] = (),
        hedge: str = "",
        hedge_kept_after: Iterable[str] = (),
        hedge_kept_before: Iterable[str] = (),
        hedge_dropped_before: Iterable[str] = (),
        hedge_dropped_after: Iterable[str] = (),
        asides: Iterable[Aside] = (),
        join: Join | None = None,
    ) -> None:
        self._fillers = frozenset(fillers)
        # Two-word asides ("you know", "i mean") dropped where no word around them makes
        # them part of the sentence (see `_unasided`), keyed by their second word, then
        # their first ("kind of" and "sort of" share "of").
        self._asides: dict[str, dict[str, Aside]] = {}
        for aside in asides:
            self._asides.setdefault(aside.words[1], {})[aside.words[0]] = aside
        # A sentence break read as a joining word where the sentence after it opens by
        # pointing back (see `Join`): the rest of each opening by its first two words.
        self._join = join
        openings: dict[tuple[str, str], list[tuple[frozenset[str], ...]]] = {}
        for opening in join.openings if join is not None else ():
            for pair in itertools.product(opening[0], opening[1]):
                openings.setdefault(pair, []).append(opening[2:])
        self._join_openings = {pair: tuple(rests) for pair, rests in openings.items()}
        self._join_pairs = frozenset(openings)
        # A spoken hedge ("like") dropped inside a phrase unless the words around it make
        # it a verb or a comparison (see `_unhedged`).
        self._hedge = hedge
        self._hedge_after = frozenset(hedge_kept_after)
        self._hedge_before = frozenset(hedge_kept_before)
        self._hedge_dropped = frozenset(hedge_dropped_before)
        self._hedge_dropped_after = frozenset(hedge_dropped_after)
        self._contractions = {
            k.replace("’", "'"): tuple(v.split()) for k, v in contractions.items()
        }
        self._expansions = {k: tuple(v.split()) for k, v in expansions.items()}
        self._misspellings = dict(misspellings)
        self._targets = frozenset(fuzzy_targets)
        self._protected = frozenset(protected)
        self._clause_breaks = frozenset(clause_breaks)
        self._known = frozenset(known_words) | self._targets | self._protected
        # Every spelling the screen reads as it is or rewrites: a drawn-out word is taken
        # back to one of these where it can be.
        self._vocabulary = (
            self._known
            | self._fillers
            | self._clause_breaks
            | self._expansions.keys()
            | self._misspellings.keys()
            | {k.replace("'", "") for k in self._contractions}
        )
        deletes: dict[str, str | None] = {}
        for target in sorted(self._targets):
            for variant in _deletions(target):
                if variant in deletes and deletes[variant] != target:
                    deletes[variant] = None  # ambiguous: correct to neither
                else:
                    deletes[variant] = target
        self._deletes = deletes
        self._fuzzy_cache: dict[str, str | None] = {}
        self._chunk_cache: dict[str, Chunk | None] = {"": _EMPTY}

    def correct(self, word: str) -> str | None:
        """The trigger word `word` is one edit away from, or `None`."""
        cached = self._fuzzy_cache.get(word, "")
        if cached != "":
            return cached
        found = self._correct_uncached(word)
        if len(self._fuzzy_cache) >= _CACHE_LIMIT:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = found
        return found

    def _correct_uncached(self, word: str) -> str | None:
        if len(word) < _FUZZY_MIN_LENGTH or word in self._known or not word.isalpha():
            return None
        candidates: list[str | None] = [self._deletes.get(word)]
        for variant in _deletions(word):
            if variant in self._targets:
                candidates.append(variant)
            candidates.append(self._deletes.get(variant))
        for candidate in candidates:
            if candidate is not None and _slip(word, candidate):
                return candidate
        return None

    def tokens(self, text: str) -> Tokens:
        """Normalised tokens of `text`, each traceable to its raw character span.

        The text is cut at spaces (a C-speed split) and each chunk's reading is cached, so a
        long input costs a few bulk list operations per word rather than a regular-
        expression match and a loop body each.
        """
        lowered = _lower_keeping_offsets(text)
        chunks = lowered.split(" ")
        cache = self._chunk_cache
        read: list[Chunk | None] = list(map(cache.get, chunks))
        if None in read:
            # A chunk repeated in this text is read once, even if the shared cache is full.
            fresh: dict[str, Chunk] = {}
            for index in [i for i, r in enumerate(read) if r is None]:
                chunk = chunks[index]
                reading = fresh.get(chunk)
                if reading is None:
                    reading = self._read_chunk(chunks, index)
                    if cache.get(chunk) is reading:  # not read with a look at the next chunk
                        fresh[chunk] = reading
                read[index] = reading
        readings: list[Chunk] = read  # type: ignore[assignment]  # every None was filled
        words = list(itertools.chain.from_iterable(map(_PIECES, readings)))
        keep: list[bool] | None = None
        if words and (words[0] == SENTENCE_BREAK or any(map(operator.eq, words, words[1:]))):
            # "i i want": stutters collapse; breaks never repeat nor open the text.
            keep = [words[0] != SENTENCE_BREAK, *map(operator.ne, words[1:], words)]
            words = list(itertools.compress(words, keep))
        said = len(words)
        if self._hedge and self._hedge in words:
            words, keep = self._unhedged(words, keep)
        if self._asides and not self._asides.keys().isdisjoint(words):
            heard = len(words)
            words, keep = self._unasided(words, keep)
            if len(words) < heard and self._hedge in words:
                # "shooting like you know myself": with the aside gone the hedge is a filler.
                words, keep = self._unhedged(words, keep)
        if len(words) < said and any(map(operator.eq, words, words[1:])):
            # "doing it i mean it": with the aside gone, the word said again is plain.
            words, keep = _dropped(words, keep, _repeats(words))
        # Restarts are read once the fillers are gone: "he doesnt i mean doesnt want".
        if len(words) > 3 and any(
            any(map(operator.eq, words, words[size:])) for size in _RESTART_SIZES
        ):
            words, keep = _restarted(words, keep)
        if "got" in words or "been" in words:
            # "he's got a knife", "she's been cutting": an 's before got or been is has, not is.
            for after in itertools.compress(
                itertools.count(1), map(_PERFECT.__contains__, words[1:])
            ):
                if words[after - 1] == "is":
                    words[after - 1] = "has"
        if self._join is not None and SENTENCE_BREAK in words:
            self._joined(words, self._join)
        corrected: set[int] = set()
        if any(map(operator.itemgetter(3), readings)):
            flags: Iterable[bool] = itertools.chain.from_iterable(
                map(operator.itemgetter(2), readings)
            )
            if keep is not None:
                flags = itertools.compress(flags, keep)
            corrected = set(itertools.compress(itertools.count(), flags))
        pauses: list[int] = []
        if any(map(operator.itemgetter(5), readings)):
            marks = itertools.chain.from_iterable(map(operator.itemgetter(4), readings))
            pauses = list(itertools.compress(itertools.count(), marks))
            if keep is not None:
                # A comma after a dropped stutter follows the word kept before it.
                kept = list(itertools.accumulate(keep))
                pauses = sorted({kept[i] - 1 for i in pauses if kept[i]})
        return Tokens(chunks, readings, words, keep, corrected, len(lowered), pauses)

    def _joined(self, words: list[str], join: Join) -> None:
        """Read as `join.word`, in place, each break the sentence after which points back.

        Only the `join.within` tokens after a break are looked at, and only where two of them
        in a row open an opening (a C-speed set test of the pairs), so a long text pays
        little per sentence.
        """
        pairs, openings, within = self._join_pairs, self._join_openings, join.within
        for index in itertools.compress(itertools.count(), map(SENTENCE_BREAK.__eq__, words)):
            ahead = words[index + 1 : index + 2 + within]
            if not index or pairs.isdisjoint(itertools.pairwise(ahead)):
                continue
            for at, pair in enumerate(itertools.pairwise(ahead), index + 1):
                if pair[0] == SENTENCE_BREAK:
                    break
                rests = openings.get(pair)
                if rests is not None and any(_goes_on(rest, words, at + 2) for rest in rests):
                    words[index] = join.word
                    break

    def _unhedged(
        self, words: list[str], keep: list[bool] | None
    ) -> tuple[list[str], list[bool] | None]:
        """`words` less the spoken hedge where it is a filler, and the pieces' mask to match.

        "I want to like end it", "take my like own life", "I am like gonna": the hedge is
        dropped. It stays where the word before makes it a verb or a comparison ("I like",
        "feel like", "would like", "looks like"), where the word after opens what it compares
        to ("like I am dying", "like this", "like a burden"), and at a clause's edge, unless
        the word before waits for an object ("kill like me", "with like a knife"). A word
        said again after a dropped hedge is a restart ("keep myself like myself safe").
        """
        hedge, after, before = self._hedge, self._hedge_after, self._hedge_before
        dropped, waiting = self._hedge_dropped, self._hedge_dropped_after
        last = len(words) - 1
        # Only where the hedge is said is anything looked at: a long text pays a C-speed scan.
        fillers = [
            index
            for index in itertools.compress(itertools.count(), map(hedge.__eq__, words))
            if 0 < index < last
            and words[index + 1] not in BREAKS
            and (
                words[index - 1] in waiting
                or (
                    (words[index - 1] not in after or words[index + 1] in dropped)
                    and words[index - 1] not in BREAKS
                    and words[index + 1] not in before
                )
            )
        ]
        if not fillers:
            return words, keep
        restarts = [i + 1 for i in fillers if words[i - 1] == words[i + 1]]
        return _dropped(words, keep, fillers + restarts)

    def _unasided(
        self, words: list[str], keep: list[bool] | None
    ) -> tuple[list[str], list[bool] | None]:
        """`words` less the two-word asides said as fillers, and the pieces' mask to match.

        "I'm gonna end you know my life", "I would never i mean hurt myself": the aside is
        dropped, and so is a word the caller then said again ("end my you know my life").
        It stays where the word before makes it part of the sentence ("do you know", "what
        i mean") or the word after does ("i mean it", "you know him").
        """
        asides = self._asides
        dropped: list[int] = []
        last = len(words) - 1
        # Only where an aside's second word is said is anything looked at (a C-speed scan).
        for index in itertools.compress(itertools.count(), map(asides.__contains__, words)):
            aside = asides[words[index]].get(words[index - 1]) if index else None
            if aside is None:
                continue
            first = index - 1
            before = words[first - 1] if first else ""
            after = words[index + 1] if index < last else ""
            # A word said again after it is a restart ("at this i mean this school", "use
            # it i mean it"), whatever the word: the aside goes with the first saying.
            again = before and before == after and before not in BREAKS
            if (
                not again
                and after not in aside.dropped_before
                and before not in aside.dropped_after
                and (before in aside.kept_after or after in aside.kept_before)
            ):
                continue
            dropped += [first, index]
            if before and before == after and before not in BREAKS:
                dropped.append(index + 1)
        return _dropped(words, keep, dropped) if dropped else (words, keep)

    def _read_chunk(self, chunks: list[str], index: int) -> Chunk:
        """How chunk `index` reads; cached unless a cut-off word needs the next chunk."""
        chunk = chunks[index]
        found = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(chunk)]
        pieces: list[str] = []
        spans: list[tuple[int, int]] = []
        flags: list[bool] = []
        looked_ahead = False
        for position, (word, start, end) in enumerate(found):
            if word[-1] == "-":
                # "w- want": a start cut off and completed by the next word is dropped.
                end -= 1
                if position + 1 < len(found):
                    following = found[position + 1][0]
                else:
                    looked_ahead = True
                    following = self._next_word(chunks, index)
                stem = word[:-1]
                if len(following) > len(stem) and following.startswith(stem):
                    continue
                word_pieces = self._pieces(stem)
            else:
                word_pieces = self._pieces(word)
            for piece, corrected in word_pieces:
                pieces.append(piece)
                spans.append((start, end))
                flags.append(corrected)
        marks = [False] * len(pieces)
        if pieces and ("," in chunk or ".." in chunk):
            # A comma, or dots run together between two words ("hopeless...i"), follows the
            # last piece that starts before it ("hopeless,quiero" too).
            starts = [start for start, _ in spans]
            pauses = [i for i, c in enumerate(chunk) if c == ","]
            pauses += [m.start() for m in _DOTS.finditer(chunk)]
            for at in pauses:
                before = bisect.bisect_left(starts, at)
                if before:
                    marks[before - 1] = True
        reading: Chunk = (
            tuple(pieces),
            tuple(spans),
            tuple(flags),
            any(flags),
            tuple(marks),
            any(marks),
        )
        if not looked_ahead:
            if len(self._chunk_cache) >= _CACHE_LIMIT:
                self._chunk_cache.clear()
                self._chunk_cache[""] = _EMPTY
            self._chunk_cache[chunk] = reading
        return reading

    @staticmethod
    def _next_word(chunks: list[str], index: int) -> str:
        """The first raw word after chunk `index`, or `""` at the end of the text."""
        for later in range(index + 1, len(chunks)):
            found = _TOKEN.search(chunks[later])
            if found is not None:
                return found.group()
        return ""

    def _undrawn(self, word: str) -> str:
        """`word` with each letter typed three or more times in a row typed once or twice.

        Twice where that spells a word the screen knows ("killll" is "kill", "alll" is
        "all", "shhh" the hush "shh", not "sh"), else once ("sooo" is "so", "wanttt" is
        "want", "dieee" is "die"); with several such runs, each is tried both ways, longest
        first.
        """
        # "shhhiiit" splits as ["s", "h", "", "i", "t"]: the letter of each run stands
        # between the stretches around it.
        parts = _DRAWN_OUT.split(word)
        stretches, letters = parts[::2], parts[1::2]
        if len(letters) <= _MAX_RUNS:
            for lengths in itertools.product((2, 1), repeat=len(letters)):
                runs = (letter * n for letter, n in zip(letters, lengths, strict=True))
                candidate = "".join(
                    itertools.chain.from_iterable(
                        itertools.zip_longest(stretches, runs, fillvalue="")
                    )
                )
                if candidate.replace("'", "").replace("’", "") in self._vocabulary:
                    return candidate
        return _DRAWN_OUT.sub(r"\1", word)

    def _pieces(self, word: str) -> tuple[tuple[str, bool], ...]:
        if word in _BREAK_CHARS:
            return ((SENTENCE_BREAK, False),)
        if word.startswith(".."):  # dots run together between two words: a pause, as a comma
            return ()
        if _DRAWN_OUT.search(word) is not None:
            word = self._undrawn(word)
        if word in self._clause_breaks:
            return ((CLAUSE_BREAK, False),)
        if "'" in word or "’" in word:
            key = word.replace("’", "'")
            expanded = self._contractions.get(key)
            if expanded is not None:
                return tuple((p, False) for p in expanded)
            word = key[:-2] if key.endswith("'s") else key.replace("'", "")
        if word in self._fillers:
            return ()
        expanded = self._expansions.get(word)
        if expanded is not None:
            return tuple((p, False) for p in expanded)
        fixed = self._misspellings.get(word)
        if fixed is not None:
            return tuple((p, True) for p in fixed.split())
        corrected = self.correct(word)
        if corrected is not None:
            return ((corrected, True),)
        return ((word, False),)
