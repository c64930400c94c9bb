"""Numbers callers speak: callback phone numbers (NANP to E.164) and ages."""

from __future__ import annotations

from collections.abc import Sequence

from frontdesk.conversation.understanding.data_files import load

PhoneNumber = str  # E.164, "+13125550142"

_MAX_AGE = 110
_AGE_LEADS = frozenset(
    {("he", "is"), ("she", "is"), ("i", "am"), ("they", "are"), ("who", "is"), ("is", "turning")}
)
_AGE_ONE_WORD_LEADS = frozenset({"age", "aged", "turned", "turning"})
_NOT_AGE_AFTER = frozenset(
    {"minutes", "minute", "hours", "hour", "dollars", "bucks", "pm", "am", "oclock", "percent"}
    | {"miles", "weeks", "week", "months", "month", "days", "day", "times", "in", "on", "at"}
    | {"thirty", "mins", "min", "seconds", "secs", "blocks", "block", "steps", "feet", "stops"}
    | {"exits", "floors", "doors", "away", "late", "early", "behind", "ahead", "out", "short"}
)
"""Words after a number that make it a count, a distance or a time ("I'm 2 blocks away",
"I'm 30 minutes late"), or the age to come ("she is 10 in May"): never the age now."""
_WHO = load("slots")["for_whom"]
_RELATIONS = frozenset(
    word
    for kind in ("child", "partner", "other")
    for entry in _WHO[kind]
    for word in entry.split("|")
)
"""Who an age can be said of: "my son is 12", "my wife is 45"."""
_DENIED = frozenset({"not", "nor"})
"""A number right after these is the one being corrected away: "29, not 61" is 29."""
_CALENDAR = load("calendar_words")
_DAY_WORDS = frozenset((*_CALENDAR["weekdays"], *_CALENDAR["months"], *_CALENDAR["periods"]))
_ONE_AS_PRONOUN = frozenset(
    {"me", "us", "you", "him", "them", "that", "this", "which", "each", "every", "any", "no"}
    | {"another", "other", "new", "good", "funny", "little", "big", "some", "the", "a"}
    | {"make", "book", "get", "schedule", "find", "need", "want", "give", "pick", "try"}
)
_YEAR_WORDS = frozenset({"year", "years", "yr", "yrs", "yo"})
_NOT_AGE_BEFORE = frozenset(
    {"after", "before", "at", "around", "by", "until", "till", "til", "from", "between"}
    | {"past", "to", "and", "or", "the", "on"}
)
"""Words before a number that make it part of a time or date phrase ("after 5", "from 3 to
4"): a bare number there is never an age. Stated ages ("about 12 years old") still count."""
_LISTING = frozenset({"and", "or"})
_TIME_ENDS = frozenset({"am", "pm", "oclock", "noon", "midnight", "today", "tomorrow", "tonight"})
"""Words that end a time said before "and" ("at 3 pm and 5", "tomorrow or 10")."""


def phone_number(tokens: Sequence[str]) -> PhoneNumber | None:
    """The first run of digit tokens that is a possible US number, as E.164."""
    for run in _digit_runs(tokens):
        number = e164(run)
        if number is not None:
            return number
    return None


def _digit_runs(tokens: Sequence[str]) -> list[str]:
    """Consecutive digit tokens joined ("312", "555", "0142" → "3125550142")."""
    runs: list[str] = []
    current: list[str] = []
    for token in (*tokens, ""):
        if token.isdigit():
            current.append(token)
            continue
        if current:
            runs.append("".join(current))
        current = []
    return runs


def e164(digits: str) -> PhoneNumber | None:
    """A NANP number in E.164, or None when it cannot be one (length, area, exchange)."""
    if not digits.isdigit():
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return None
    area, exchange = digits[:3], digits[3:6]
    if area[0] in "01" or exchange[0] in "01" or area[1:] == "11":
        return None
    return f"+1{digits}"


def age(tokens: Sequence[str], *, bare: bool = False) -> int | None:
    """An age stated with context ("15 year old", "she is 8"); any number when `bare`."""
    found = age_span(tokens, bare=bare)
    return None if found is None else int(tokens[found[0]])


def age_span(tokens: Sequence[str], *, bare: bool = False) -> tuple[int, int] | None:
    """Where `age` finds the age: (start, end) of its number and the "years old" said with
    it, so that the rest of the words can be read for other answers."""
    for i, token in enumerate(tokens):
        value = _as_age(token)
        if value is None or (i and tokens[i - 1] in _DENIED):
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if _stated_age(tokens, i, after):
            return i, _age_end(tokens, i)
        before = tokens[i - 1] if i else ""
        if value == 1 and before in _ONE_AS_PRONOUN:
            continue  # "tell me one", "that one": the word "one" stands for a thing
        if bare and after not in _NOT_AGE_AFTER and not _in_time_phrase(tokens, i, before):
            return i, _age_end(tokens, i)
    return None


def _age_end(tokens: Sequence[str], i: int) -> int:
    """The end of the age said at `i`, with its "years old" or "yo"."""
    end = i + 1
    if end < len(tokens) and tokens[end] in _YEAR_WORDS:
        end += 1
        if end < len(tokens) and tokens[end] == "old":
            end += 1
    return end


def _in_time_phrase(tokens: Sequence[str], i: int, before: str) -> bool:
    """Whether the number at i belongs to a time or date ("after 5", "Tuesday 3", "3:30").
    After "and" or "or" it does only when a time is listed before it ("between 3 and 4",
    "Tuesdays and 3"): "private pay and 14" lists the age after another answer."""
    if before in _LISTING:
        return i >= 2 and _is_time_word(tokens[i - 2])
    return before in _NOT_AGE_BEFORE or _is_time_word(before) or ":" in tokens[i]


def _is_time_word(word: str) -> bool:
    """Whether a word is, or ends, a day or a time ("Tuesdays", "morning", "3", "3rd", "pm")."""
    return (
        word[:1].isdigit()
        or word in _DAY_WORDS
        or word.removesuffix("s") in _DAY_WORDS
        or word in _TIME_ENDS
    )


def _as_age(token: str) -> int | None:
    if not token.isdigit() or len(token) > 3:
        return None
    value = int(token)
    return value if 0 < value <= _MAX_AGE else None


def _stated_age(tokens: Sequence[str], i: int, after: str) -> bool:
    """Whether the number at i is said as an age ("15 year old", "he is 15", "turned 15")."""
    if after in _YEAR_WORDS:
        following = tokens[i + 2] if i + 2 < len(tokens) else ""
        return following == "old" or after == "yo" or _lead(tokens, i)
    if after in _NOT_AGE_AFTER:
        return False
    return _lead(tokens, i)


def _lead(tokens: Sequence[str], i: int) -> bool:
    one = tokens[i - 1] if i >= 1 else ""
    two = (tokens[i - 2], one) if i >= 2 else ("", one)
    if one in ("only", "just", "about", "almost", "nearly"):
        two = (tokens[i - 3], tokens[i - 2]) if i >= 3 else ("", tokens[i - 2] if i >= 2 else "")
    return one in _AGE_ONE_WORD_LEADS or two in _AGE_LEADS or _relation_is(two)


def _relation_is(two: tuple[str, str]) -> bool:
    """Whether the words before a number are a relation and "is" ("my son is 12")."""
    return two[1] == "is" and two[0] in _RELATIONS
