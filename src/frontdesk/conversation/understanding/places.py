"""Where the client will be during sessions: US states by name, city or code.

Licensure follows the client's location, so the state is read from what the caller says
about where they are ("I'm in Chicago" → IL), never from the phone number.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from frontdesk.conversation.understanding.data_files import load

StateCode = str  # two letters, upper case

_PLACES = load("places")
_STATE_NAMES: dict[tuple[str, ...], StateCode] = {
    tuple(name.split()): code for name, code in _PLACES["states"].items()
}
_PLACE_NAMES: dict[tuple[str, ...], StateCode] = {
    tuple(name.split()): code
    for table in ("other_names", "cities")
    for name, code in _PLACES[table].items()
}
_NAMES = {**_STATE_NAMES, **_PLACE_NAMES}
_CODES: frozenset[str] = frozenset(code.lower() for code in _PLACES["states"].values())
_COMMON_WORDS: frozenset[str] = frozenset(_PLACES["common_word_codes"])
_LONGEST = max(len(name) for name in _NAMES)
_DENIED = frozenset({"not", "no", "nor"})  # "Wisconsin, not Illinois"
_LOCATIVE = frozenset({"in", "near", "at", "from", "around", "outside", "to", "by", "live"})
_LEAD_INS = frozenset({"it", "is", "in", "the", "state", "of", "we", "are", "i", "am", "she", "he"})
_WHERE_CUES = frozenset(_PLACES["where_cues"])
_WHERE_LINKS = frozenset(_PLACES["where_links"])
_WHERE_FILLERS = frozenset(_PLACES["where_fillers"])
_ANSWER_HEDGES = frozenset(_PLACES["answer_hedges"])
_STATE_WORDS = frozenset(word for name in _STATE_NAMES for word in name)
_SPELLED_WORDS = 3  # "it's n y", "n y I think": a code spelled as the whole answer
_PLACE_WORDS = 3  # "to port authority", "in columbus": how far back a place's locative is


def state_name(code: StateCode) -> str:
    """The state's name as said ("IN" → "Indiana"); the code itself if unknown."""
    name = next((" ".join(n) for n, c in _STATE_NAMES.items() if c == code), None)
    return name.title() if name else code


def state(tokens: Sequence[str], *, expecting: bool = False) -> StateCode | None:
    """The last state named (a later mention corrects an earlier one), or None.

    A state right after "not" is skipped: "Wisconsin, not Illinois" is Wisconsin. Cities
    count after a word of place ("in Chicago", "near Madison") or as the answer to "which
    state?", since many are also first names ("Charlotte", "Madison", "Austin").

    Two-letter codes count only when the flow just asked for the state, and codes that
    are also common words ("in", "me", "ok", "oh") only as the whole answer.
    """
    named = _named_states(tokens, expecting=expecting)
    if named:
        return named[-1]
    return _code(tokens) if expecting else None


def client_state(clauses: Sequence[tuple[Sequence[str], Sequence[str]]]) -> StateCode | None:
    """The last state named, unasked, where a clause says where someone is, or None.

    `clauses` holds each clause's words with those of the clause before when only a comma
    parts them. "We live in Ohio", "she's at college in Madison", "a therapist in Chicago"
    or "Illinois" alone say where the client is; "a flight out of New York", "traveling to
    Chicago" or "my bank of Hawaii account" name a place for something else, and so does
    the state after a place named for something else ("the closest walmart to Boise, Idaho").
    """
    found: StateCode | None = None
    for tokens, before in clauses:
        named = _named_states(tokens, expecting=False, where=True)
        if named and not _of_a_place_before(tokens, before):
            found = named[-1]
    return found


def answered_state(clauses: Sequence[tuple[Sequence[str], Sequence[str]]]) -> StateCode | None:
    """Asked which state: the last place named where a clause says where someone is or gives
    the place as the answer ("Ohio", "um, Chicago I think", "I'd say Illinois", "in Columbus,
    Ohio"); cities count without a word of place. A place in words about something else
    ("the traffic on the way to Phoenix", "my Wells Fargo account", "the weather in Costa
    Mesa") answers nothing. A code alone ("tx", "n y") is read from the whole answer."""
    found: StateCode | None = None
    named_any = False
    for tokens, before in clauses:
        named_any = named_any or bool(_named_states(tokens, expecting=True))
        named = _named_states(tokens, expecting=True, where=True, answering=True)
        if named and not _of_a_place_before(tokens, before):
            found = named[-1]
    if found is not None or named_any:
        return found
    return _code([t for tokens, _ in clauses for t in tokens])


def only_a_code(tokens: Sequence[str]) -> bool:
    """Whether a clause is nothing but a state's code ("fl" of "in Orlando, FL")."""
    return len(tokens) == 1 and tokens[0] in _CODES


def only_a_state(tokens: Sequence[str]) -> bool:
    """Whether a clause says nothing but a state's name ("Idaho", "um, New York")."""
    return bool(_named_states(tokens, expecting=False)) and all(
        t in _WHERE_FILLERS or t in _STATE_WORDS for t in tokens
    )


def only_a_place(tokens: Sequence[str]) -> bool:
    """Whether a clause says nothing but places ("dallas texas", "new york", "la" of "between
    denver and la"): names of states or cities and their codes."""
    found = False
    i = 0
    while i < len(tokens):
        size = next(
            (
                n
                for n in range(min(_LONGEST, len(tokens) - i), 0, -1)
                if tuple(tokens[i : i + n]) in _NAMES
            ),
            0,
        )
        if size:
            found, i = True, i + size
        elif tokens[i] in _CODES and tokens[i] not in _COMMON_WORDS:
            found, i = True, i + 1
        elif tokens[i] in _WHERE_FILLERS:
            i += 1
        else:
            return False
    return found


def _of_a_place_before(tokens: Sequence[str], before: Sequence[str]) -> bool:
    """Whether a state said alone after a comma is that of a place the clause before named
    for something else ("to Boise, Idaho"; but "we live in Columbus, Ohio" is where)."""
    if not before or not only_a_state(tokens):
        return False
    tail = range(len(before) - 1, max(len(before) - _PLACE_WORDS, 0) - 1, -1)
    at = next((i for i in tail if before[i] in _LOCATIVE), None)
    return at is not None and not _says_where(before, at)


def without(tokens: Sequence[str], phrases: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """`tokens` with every occurrence of the phrases removed, longest phrase first.

    A state inside another name ("Illinois Medicaid", a plan) says nothing about where the
    client is; taking the name out first keeps it from being read as the client's state.
    """
    kept = list(tokens)
    for phrase in sorted((tuple(p) for p in phrases if p), key=len, reverse=True):
        i, size = 0, len(phrase)
        while i + size <= len(kept):
            if tuple(kept[i : i + size]) == phrase:
                del kept[i : i + size]
            else:
                i += 1
    return tuple(kept)


def _named_states(
    tokens: Sequence[str], *, expecting: bool, where: bool = False, answering: bool = False
) -> list[StateCode]:
    """States named in order, longest name first at each position ("west virginia").

    With `where`, only those said of where someone is (`_says_where`); `answering` lets an
    answer's hedges ("I'd say", "probably") stand before the place."""
    found: list[StateCode] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_LONGEST, len(tokens) - i), 0, -1):
            name = tuple(tokens[i : i + size])
            code = _NAMES.get(name)
            if code is not None:
                before = tokens[i - 1] if i else ""
                placed = expecting or name in _STATE_NAMES or before in _LOCATIVE
                said = not where or _says_where(tokens, i, answering=answering)
                if placed and before not in _DENIED and said:
                    found.append(code)
                i += size
                break
        else:
            i += 1
    return found


def _says_where(tokens: Sequence[str], at: int, *, answering: bool = False) -> bool:
    """Whether the place at `at` is said of where someone is: a cue before it ("live",
    "am", "therapist") with only linking words between ("in the state of"), or nothing
    but fillers (and, `answering`, hedges: "I'd say", "probably") before it in its clause."""
    for token in reversed(tokens[:at]):
        if token in _WHERE_CUES:
            return True
        hedge = answering and token in _ANSWER_HEDGES
        if token not in _WHERE_LINKS and token not in _WHERE_FILLERS and not hedge:
            return False
    return True


def _code(tokens: Sequence[str]) -> StateCode | None:
    """A bare code ("tx"), or spelled ("t x"), as an answer to "which state?"."""
    content = [t for t in tokens if t not in _LEAD_INS or t in _CODES]
    letters = [
        a + b for a, b in pairwise(tokens) if len(a) == len(b) == 1 and a.isalpha() and b.isalpha()
    ]
    # Spelled only as the answer: the "i" and "a" of "i need a new card" spell nothing.
    if len(letters) == 1 and letters[0] in _CODES and len(content) <= _SPELLED_WORDS:
        return letters[0].upper()
    if len(content) == 1 and content[0] in _CODES:
        return content[0].upper()
    candidates = [t for t in content if t in _CODES and t not in _COMMON_WORDS]
    return candidates[-1].upper() if len(content) <= 3 and candidates else None
