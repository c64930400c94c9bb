"""Speech-to-text output to clean word tokens, and number words to digit tokens.

Recognisers give lower case without punctuation, drop apostrophes, keep fillers ("um"),
stutters ("i- i") and spell numbers out. `words` undoes that; `numberize` turns
"twenty one" into "21", "fifteenth" into "15th" and "oh" between digits into "0".
Independent of the safety screen's normaliser on purpose: the two evolve separately.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from frontdesk.conversation.understanding.data_files import load

Words = tuple[str, ...]

_SPEECH = load("speech")
_CONTRACTIONS: dict[str, str] = _SPEECH["contractions"]
_FILLERS: frozenset[str] = frozenset(_SPEECH["fillers"])
_AGREEMENT: tuple[tuple[str, ...], ...] = tuple(tuple(s) for s in _SPEECH["agreement_sounds"])
_UNITS: dict[str, int] = _SPEECH["units"]
_TEENS: dict[str, int] = _SPEECH["teens"]
_TENS: dict[str, int] = _SPEECH["tens"]
_ORDINALS: dict[str, int] = _SPEECH["ordinals"]
_REPEATERS: dict[str, int] = _SPEECH["repeaters"]
_MONTHS = frozenset(load("calendar_words")["months"])

_NOT_TOKEN = re.compile(r"[^a-z0-9':/\"]+")
_GLUED = re.compile(r"^(\d{1,2}(?::\d\d)?)(am|pm|a|p|yo|yrs|yr)$")
_ZERO = frozenset({"oh"})
_SUFFIX = {"1": "st", "2": "nd", "3": "rd"}
AGREE = "uhhuh"
# Where punctuation ends a clause ("after 3, text is fine"); `words` never yields it, as it
# keeps no punctuation.
CLAUSE_END = ","
_CLAUSE_PUNCTUATION = re.compile(r"[,;.!?]+(?=\s|$)")


def words(text: str) -> Words:
    """Lower-case word tokens with contractions expanded, fillers and stutters removed."""
    lowered = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"')
    lowered = lowered.replace("a.m.", "am").replace("p.m.", "pm").replace("-", " ")
    raw: list[str] = []
    for token in _NOT_TOKEN.sub(" ", lowered).split():
        raw.extend(_split_token(token))
    return _dedupe(_drop_fillers(_merge_agreement(raw)))


def clause_words(text: str) -> Words:
    """The numberized words of `text` with `CLAUSE_END` where a comma, full stop or other
    stop ends a clause; the words alone only when reading the clauses apart would change
    them (a number or a stutter said across the stop)."""
    lowered = text.lower().replace("a.m.", "am").replace("p.m.", "pm")
    marked: list[str] = []
    for part in _CLAUSE_PUNCTUATION.split(lowered):
        said = numberize(words(part))
        if said and marked:
            marked.append(CLAUSE_END)
        marked.extend(said)
    whole = numberize(words(text))
    return tuple(marked) if without_clause_ends(marked) == whole else whole


def without_clause_ends(tokens: Sequence[str]) -> Words:
    """The words without `CLAUSE_END`."""
    return tuple(token for token in tokens if token != CLAUSE_END)


def _split_token(token: str) -> list[str]:
    """Expand one raw token: contractions, "4pm" → "4 pm", stray quotes and colons."""
    if token in _CONTRACTIONS:
        return _CONTRACTIONS[token].split()
    if token.isalpha():
        return [token]  # a plain word: no quote, colon, digit or suffix to split off
    token = token.strip("'\":/")
    if not token:
        return []
    if token in _CONTRACTIONS:
        return _CONTRACTIONS[token].split()
    glued = _GLUED.match(token)
    if glued:
        suffix = glued.group(2)
        suffix = {"a": "am", "p": "pm"}.get(suffix, suffix)
        return [glued.group(1), suffix]
    if token.endswith("'s"):
        return [token[:-2]]
    if _is_time_or_date(token):
        return [token]
    return [part for part in re.split(r"['\":/]", token) if part]


def _is_time_or_date(token: str) -> bool:
    """Digits joined by ':' (11:30) or '/' (3/3/90) stay one token."""
    return all(part.isdigit() for part in re.split(r"[:/]", token)) and token[0].isdigit()


def _merge_agreement(tokens: list[str]) -> list[str]:
    """Merges "uh huh", "mm hmm" and "mhm" into one agreement token before fillers go."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for sound in _AGREEMENT:
            if tuple(tokens[i : i + len(sound)]) == sound:
                out.append(AGREE)
                i += len(sound)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _drop_fillers(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in _FILLERS]


def _is_numeric_word(word: str) -> bool:
    return word.isdigit() or word in _UNITS or word in _TEENS or word in _TENS or word == "oh"


def _dedupe(tokens: list[str]) -> Words:
    """Collapse stutters ("i i", "the the") but never repeated digits ("five five five")."""
    out: list[str] = []
    for token in tokens:
        if out and out[-1] == token and not _is_numeric_word(token):
            continue
        out.append(token)
    return tuple(out)


def ordinal(number: int) -> str:
    """1 → "1st", 22 → "22nd", 13 → "13th"."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{_SUFFIX.get(str(number % 10), 'th')}"


def numberize(tokens: Sequence[str]) -> Words:
    """Number words to digit tokens: "twenty one" → "21", "double five" → "5 5"."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        produced, used = _number_at(tokens, i, out)
        out.extend(produced)
        i += used
    return tuple(out)


def _number_at(tokens: Sequence[str], i: int, done: list[str]) -> tuple[list[str], int]:
    """The digit tokens produced at position i and how many input tokens they consume."""
    token = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if token in _REPEATERS and (nxt in _UNITS or nxt.isdigit() or nxt == "oh"):
        digit = "0" if nxt == "oh" else str(_UNITS.get(nxt, nxt))
        return [digit] * _REPEATERS[token], 2
    if token in _TENS:
        if nxt in _UNITS and _UNITS[nxt] > 0:
            return [str(_TENS[token] + _UNITS[nxt])], 2
        if nxt in _ORDINALS and _ORDINALS[nxt] < 10:
            return [ordinal(_TENS[token] + _ORDINALS[nxt])], 2
        return [str(_TENS[token])], 1
    if token in _UNITS or token in _TEENS:
        return _hundreds(tokens, i)
    if token in _ZERO and _digit_context(done, nxt):
        return ["0"], 1
    if token in _ORDINALS and _is_ordinal_use(tokens, i):
        return [ordinal(_ORDINALS[token])], 1
    return [token], 1


def _hundreds(tokens: Sequence[str], i: int) -> tuple[list[str], int]:
    """A unit or teen, possibly "N hundred (and) M" or "N thousand (and) M"."""
    value = _UNITS.get(tokens[i], _TEENS.get(tokens[i], 0))
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    scale = {"hundred": 100, "thousand": 1000}.get(nxt)
    if scale is None:
        return [str(value)], 1
    rest = list(tokens[i + 2 :])
    used = 2
    if rest[:1] == ["and"]:
        rest, used = rest[1:], used + 1
    tail = numberize(rest[:2])
    if tail and tail[0].isdigit() and int(tail[0]) < scale:
        consumed = 2 if len(rest) > 1 and rest[0] in _TENS and rest[1] in _UNITS else 1
        return [str(value * scale + int(tail[0]))], used + consumed
    return [str(value * scale)], used


def _digit_context(done: list[str], nxt: str) -> bool:
    """Reads "oh" as zero only next to digits ("five oh one"), never in "oh ok"."""
    before = bool(done) and done[-1].isdigit()
    after = nxt.isdigit() or nxt in _UNITS or nxt in _TEENS or nxt in _TENS or nxt in _REPEATERS
    return before or (after and bool(done) and done[-1] in _MONTHS)


def _is_ordinal_use(tokens: Sequence[str], i: int) -> bool:
    """Whether "first" or "second" is a date ordinal ("the first", "march second")."""
    if tokens[i] not in ("first", "second"):
        return True
    before = tokens[i - 1] if i > 0 else ""
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    return after == "of" or before in _MONTHS or (before in ("the", "on") and after != "one")
