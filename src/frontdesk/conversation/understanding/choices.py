"""How a caller names one of the options read to them: "the third one", "the 1 pm with Maya".

The words are split before anything is resolved. A position ("the third one", "number
two", "the last") is a position only: its words name no day of the month or clock time.
"The one" is a pronoun. An ordinal is a day of the month only with a date cue ("on the
3rd", "the 3rd of April", "Tuesday the 3rd"). What is left is read for weekdays, dates,
clock times and parts of the day; the rest is kept for clinicians' names. Which option
the words fit is decided by the flow, against the options actually read
(`flows.picking`). The word lists are data (`data/choices.json`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.days import MONTHS, parse_day, weekday_named
from frontdesk.conversation.understanding.result import Choice, SaidTime
from frontdesk.conversation.understanding.times import PERIODS, Bound, Clock, parse_time, resolve

_DATA = load("choices")
_POSITIONS: dict[str, int] = _DATA["positions"]
_POSITION_NOUNS = frozenset(_DATA["position_nouns"])
_POSITION_LEADS = frozenset(_DATA["position_leads"])
_TIME_CUES = frozenset(_DATA["time_cues"])
_UNIT_LEADS = frozenset(_DATA["unit_leads"])
_TIME_UNITS = frozenset(_DATA["time_units"])
_CLOCK_WORDS = frozenset(_DATA["clock_words"])
_DATE_LEADS = frozenset(_DATA["date_leads"])
_DATE_FOLLOWS = frozenset(_DATA["date_follows"])
_NEGATIONS = frozenset(_DATA["negations"])
_FILLERS = frozenset(_DATA["fillers"])
_ASKS: tuple[tuple[str, ...], ...] = tuple(tuple(p) for p in _DATA["asks_for_times"])
_MOST_OPTIONS = 5
_NEGATION_REACH = 3
_GONE = ""  # a word already read as a position or a pronoun
_ONE = "1"  # "one" as numberize leaves it


def read_choice(tokens: Sequence[str], *, today: date) -> Choice:
    """The choice `tokens` (numberized words) describe; `today` is local to the practice."""
    rest = list(tokens)
    position, ruled_out = _positions(rest)
    _drop_pronouns(rest)
    if position is None:
        position = _bare_number(rest)
    weekdays: set[int] = set()
    dates: set[date] = set()
    times: list[SaidTime] = []
    parts: list[tuple[time, time]] = []
    words: list[str] = []
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == _GONE:
            i += 1
            continue
        day = weekday_named(token)
        if day is not None:
            weekdays.add(day.number)
            i += 1
            continue
        if not _bare_day_number(rest, i):
            item = parse_day(rest, i, today)
            if item is not None and item.dates:
                dates.update(item.dates)
                i = item.end
                continue
        said = parse_time(rest, i)
        if said is not None and said.bound is not Bound.PERIOD and said.clock is not None:
            times.append(_said_time(said.clock, said.period))
            i = said.end
            continue
        if said is not None and said.period is not None:
            parts.append(PERIODS[said.period])
            i = said.end
            continue
        hour = _dial_hour(token)
        if hour is not None:
            times.append(SaidTime(hour))
        else:
            words.append(token)
        i += 1
    return Choice(
        position=position,
        ruled_out=frozenset(ruled_out),
        weekdays=frozenset(weekdays),
        dates=frozenset(dates),
        times=tuple(times),
        parts_of_day=tuple(parts),
        words=tuple(words),
        asks_for_times=_asks(tokens),
    )


def position_of(tokens: Sequence[str]) -> int | None:
    """The position a caller picks ("the second one" → 2, "the last one" → -1), or None."""
    rest = list(tokens)
    position, _ = _positions(rest)
    if position is None:
        _drop_pronouns(rest)
        position = _bare_number(rest)
    return position


def _positions(rest: list[str]) -> tuple[int | None, set[int]]:
    """The position picked and those ruled out; their words are taken out of `rest`."""
    chosen: int | None = None
    ruled_out: set[int] = set()
    for i, token in enumerate(rest):
        place = _position_at(rest, i)
        if place is None:
            continue
        end = i + 1
        if end < len(rest) and rest[end] in _POSITION_NOUNS:
            end += 1
        if token in _POSITION_LEADS:
            end = i + 2
        if any(w in _NEGATIONS for w in rest[max(0, i - _NEGATION_REACH) : i]):
            ruled_out.add(place)
        elif chosen is None:
            chosen = place
        for j in range(i, end):
            rest[j] = _GONE
    return chosen, ruled_out


def _position_at(rest: Sequence[str], i: int) -> int | None:
    """The position said at `i` ("third", "number 2"), or None when it is no position."""
    word = rest[i]
    after = rest[i + 1] if i + 1 < len(rest) else ""
    before = rest[i - 1] if i else ""
    if word in _POSITION_LEADS and after.isdigit() and 0 < int(after) <= _MOST_OPTIONS:
        return int(after)
    place = _POSITIONS.get(word)
    if place is None or (word in _TIME_UNITS and before in _UNIT_LEADS):
        return None
    if place == -1:
        return place if after in _POSITION_NOUNS or not after or before == "the" else None
    if after in _POSITION_NOUNS:
        return place
    return None if _dated(rest, i) else place


def _dated(rest: Sequence[str], i: int) -> bool:
    """An ordinal said as a day of the month: "on the 3rd", "the 3rd of April", "April 3rd"."""
    before = list(rest[max(0, i - 2) : i])
    after = rest[i + 1] if i + 1 < len(rest) else ""
    if after in _DATE_FOLLOWS or after in MONTHS:
        return True
    if before and (before[-1] in _DATE_LEADS or before[-1] in MONTHS):
        return True
    if len(before) == 2 and before[1] == "the":
        first = before[0]
        return first in _DATE_LEADS or first in MONTHS or weekday_named(first) is not None
    return False


def _drop_pronouns(rest: list[str]) -> None:
    """Takes "1" out where it is the pronoun: "the one with Maya", "the Friday one".

    It stays a number after a time cue ("at one") or before a clock word or minutes
    ("1 pm", "1 30"), and when it is all that was said ("one": the first option).
    """
    said = [w for w in rest if w != _GONE]
    if said == [_ONE]:
        return
    for i, word in enumerate(rest):
        if word != _ONE or (i and rest[i - 1] in _TIME_CUES):
            continue
        after = rest[i + 1] if i + 1 < len(rest) else ""
        if after not in _CLOCK_WORDS and not after.isdigit():
            rest[i] = _GONE


def _bare_number(rest: list[str]) -> int | None:
    """A number said alone, amid fillers, is a position: "two", "2 please"."""
    said = [(i, w) for i, w in enumerate(rest) if w != _GONE and w not in _FILLERS]
    if len(said) != 1:
        return None
    i, word = said[0]
    if word.isdigit() and 0 < int(word) <= _MOST_OPTIONS:
        rest[i] = _GONE
        return int(word)
    return None


def _bare_day_number(rest: Sequence[str], i: int) -> bool:
    """ "the 12" with no ordinal ending is read as a clock hour here, not as the 12th."""
    return rest[i] in ("the", "on") and i + 1 < len(rest) and rest[i + 1].isdigit()


def _said_time(clock: Clock, period: str | None) -> SaidTime:
    if clock.meridiem is None and clock.period is None and period is None and clock.hour <= 12:
        return SaidTime(clock.hour % 12, clock.minute)
    moment = resolve(clock, period)
    if moment is None:  # pragma: no cover - a clock always resolves
        return SaidTime(clock.hour, clock.minute)
    return SaidTime(moment.hour, moment.minute, exact=True)


def _dial_hour(token: str) -> int | None:
    """A bare number that can be an hour on the clock face ("the 6")."""
    if token.isdigit() and len(token) <= 2 and 1 <= int(token) <= 12:
        return int(token) % 12
    return None


def _asks(tokens: Sequence[str]) -> bool:
    return any(
        tuple(tokens[i : i + len(phrase)]) == phrase
        for phrase in _ASKS
        for i in range(len(tokens) - len(phrase) + 1)
    )
