"""Clock times and parts of the day as callers say them ("half past 4", "evening 5", "15:45").

Parsing yields `TimeItem`s with unresolved clocks; `resolve` later turns a clock into a
`datetime.time` once the part of the day around it is known ("mornings before 10").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from frontdesk.conversation.understanding.commitments import (
    SUBORDINATORS,
    completes_a_round,
    subject_at,
)
from frontdesk.conversation.understanding.data_files import load

_CALENDAR = load("calendar_words")
_PM_BELOW: int = _CALENDAR["pm_below"]


def _clock_of(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


PERIODS: dict[str, tuple[time, time]] = {
    name: (_clock_of(bounds[0]), _clock_of(bounds[1]))
    for name, bounds in _CALENDAR["periods"].items()
}
_AFTER_EVENTS: dict[str, time] = {k: _clock_of(v) for k, v in _CALENDAR["after_events"].items()}
_MORNING = frozenset({"morning", "mornings"})
_LATER = frozenset({"afternoon", "afternoons", "evening", "evenings", "night", "nights", "tonight"})
_AFTER = frozenset({"after", "past", "from", "starting", "later"})
_BEFORE = frozenset({"before", "by", "until", "till", "til", "earlier"})
_POINT = frozenset({"at", "around", "about"})  # not "for": "for one" is rarely 1 o'clock
_BUSY = frozenset({"work", "working", "school", "class", "classes", "busy"})
_ENDING = frozenset({"ends", "end", "over", "done", "off", "finish", "finishes", "finished"})
_DAYS_BETWEEN = frozenset({"on", "and", "or", "every", "weekday", "weekdays", "weekends"})
_AFTER_DEED = frozenset({"after", "once"})
_DEED_REACH = 7  # "after I pick my daughter up at 3"
_LISTED_REACH = 3  # "after 3, or maybe 4 days": another number soon after the clause ends
_RANGE_JOIN = frozenset({"and", "to", "till", "until", "through"})
_CLOCK_FOLLOWERS = frozenset(_CALENDAR["clock_followers"])
_DAY_WORDS = frozenset((*_CALENDAR["weekdays"], *_CALENDAR["months"]))


class Bound(StrEnum):
    POINT = "point"
    AFTER = "after"
    BEFORE = "before"
    PERIOD = "period"


@dataclass(frozen=True, slots=True)
class Clock:
    """A time as said: hour 0-23, minutes, and am/pm or a part of the day if given."""

    hour: int
    minute: int = 0
    meridiem: str | None = None  # "am" / "pm"
    period: str | None = None  # "morning", "afternoon", "evening" …


@dataclass(frozen=True, slots=True)
class TimeItem:
    """A time constraint found at tokens[start:end]."""

    start: int
    end: int
    bound: Bound
    clock: Clock | None = None
    until: Clock | None = None  # second clock of "between 3 and 5"
    period: str | None = None


def period_name(token: str) -> str | None:
    """The part of the day a word names ("mornings" → "morning"), else None."""
    single = token.removesuffix("s")
    return single if single in PERIODS else None


def parse_time(
    tokens: Sequence[str], i: int, *, ends: frozenset[int] = frozenset()
) -> TimeItem | None:
    """A time item starting at position i, or None; `ends` are the positions where a clause
    ends ("after 3, text is fine" ends after the 3)."""
    word = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if word in _AFTER and nxt in _AFTER_EVENTS:
        return TimeItem(i, i + 2, Bound.AFTER, Clock(_AFTER_EVENTS[nxt].hour, meridiem="24h"))
    if word in _AFTER | _BEFORE | _POINT or word == "between":
        item = _bounded(tokens, i, ends)
        if item is not None and item.bound is Bound.BEFORE and _busy_before(tokens, i):
            return TimeItem(item.start, item.end, Bound.AFTER, item.clock)  # "I work until 5"
        if item is None or item.bound is not Bound.POINT:
            return item
        if _ends_then(tokens, i):
            return TimeItem(item.start, item.end, Bound.AFTER, item.clock)  # "my shift ends at 4"
        bound = _deed_bound(tokens, i)  # "after I drop him off at 3"
        return item if bound is None else TimeItem(item.start, item.end, bound, item.clock)
    clock = clock_at(tokens, i, cue=False)
    if clock is not None:
        found, end = clock
        return TimeItem(i, end, Bound.POINT, found)
    period = period_name(word)
    if period is not None:
        return TimeItem(i, i + 1, Bound.PERIOD, period=period)
    if word in ("noon", "midday"):
        return TimeItem(i, i + 1, Bound.POINT, Clock(12, meridiem="pm"))
    return None


def _busy_before(tokens: Sequence[str], i: int) -> bool:
    """Whether the caller is busy up to the clock cued at `i` ("I work until 5"), perhaps on
    days named between ("I work Tuesdays until 5", "class on Mondays and Wednesdays till 3")."""
    j = i - 1
    while j > 0 and (tokens[j] in _DAYS_BETWEEN or tokens[j].removesuffix("s") in _DAY_WORDS):
        j -= 1
    return j >= 0 and tokens[j] in _BUSY


def _ends_then(tokens: Sequence[str], i: int) -> bool:
    """Whether the clock cued at `i` is when something ends ("my shift ends at 4", "I get off
    work at 5"), not when a child is dropped off ("I drop him off at 3")."""
    end = i - 2 if i >= 2 and tokens[i - 1] in _BUSY else i - 1  # "off work at 5"
    return end >= 0 and tokens[end] in _ENDING and not completes_a_round(tokens, end)


def _deed_bound(tokens: Sequence[str], i: int) -> Bound | None:
    """The bound a deed said just before a clock gives it: "after I drop him off at 3" is free
    from 3, "before I pick her up at 3" until 3; None when no deed is said."""
    for j in range(i - 1, max(-1, i - 1 - _DEED_REACH), -1):
        word = tokens[j]
        if word in SUBORDINATORS:
            if not subject_at(tokens, j + 1):
                return None
            return Bound.AFTER if word in _AFTER_DEED else Bound.BEFORE
        if word.isdigit() or ":" in word or word.removesuffix("s") in _DAY_WORDS:
            return None
    return None


def _bounded(tokens: Sequence[str], i: int, ends: frozenset[int]) -> TimeItem | None:
    """Reads "after 5", "before 10am", "between 3 and 5", "from 9 to 11", "around noon"."""
    word = tokens[i]
    found = clock_at(tokens, i + 1, cue=True)
    if found is None:
        return None
    clock, end = found
    if _counts(tokens, i + 1, end, clock, ends):
        return None  # "from one account", "after 3 days", "for 2 people": a number of things
    if word in ("between", "from") and end < len(tokens) and tokens[end] in _RANGE_JOIN:
        second = clock_at(tokens, end + 1, cue=True)
        if second is not None:
            return TimeItem(i, second[1], Bound.AFTER, clock, until=second[0])
    if word in _AFTER:
        return TimeItem(i, end, Bound.AFTER, clock)
    if word in _BEFORE:
        return TimeItem(i, end, Bound.BEFORE, clock)
    return TimeItem(i, end, Bound.POINT, clock)


def _counts(
    tokens: Sequence[str], start: int, end: int, clock: Clock, ends: frozenset[int]
) -> bool:
    """Whether a bare number after a cue counts the thing named next ("one account", "3
    days"): a clock is followed only by words that go on with a time or end the phrase. A
    clause may end after it ("after 3, text is fine"), unless the next clause goes on with
    another number ("after 3, maybe 4 days")."""
    if clock.meridiem is not None or clock.period is not None or end != start + 1:
        return False
    if ":" in tokens[start] or end >= len(tokens):
        return False
    if end in ends:
        return any(t.isdigit() for t in tokens[end : end + _LISTED_REACH])
    follower = tokens[end]
    return follower.isalpha() and not (
        follower in _CLOCK_FOLLOWERS
        or period_name(follower) is not None
        or follower.removesuffix("s") in _DAY_WORDS
    )


def clock_at(tokens: Sequence[str], i: int, *, cue: bool) -> tuple[Clock, int] | None:
    """A clock time at position i and the index after it.

    Without a cue word before it ("at", "after" …) a bare number counts only with am/pm,
    "o'clock", a colon, or a part of the day around it, so ages and phone digits stay out.
    """
    if i >= len(tokens):
        return None
    if tokens[i] in ("noon", "midday"):
        return Clock(12, meridiem="pm"), i + 1
    if tokens[i] == "a" and i + 1 < len(tokens) and tokens[i + 1] in ("quarter", "half"):
        i += 1
    spoken = _quarter_or_half(tokens, i)
    if spoken is not None:
        clock, end = spoken
        return _with_suffix(tokens, end, clock)
    period = period_name(tokens[i])
    if period is not None and i + 1 < len(tokens):
        plain = _plain(tokens, i + 1)
        if plain is not None and plain[0].hour <= 12:
            clock, end = plain
            return Clock(clock.hour, clock.minute, clock.meridiem, period), end
    plain = _plain(tokens, i)
    if plain is None or _at_digit(tokens, plain[1]):
        return None  # "at 5 5 5 …" is a phone number, not five o'clock
    clock, end = plain
    clock, end = _with_suffix(tokens, end, clock)
    marked = clock.meridiem is not None or clock.period is not None or ":" in tokens[i]
    return (clock, end) if cue or marked else None


def _at_digit(tokens: Sequence[str], i: int) -> bool:
    return i < len(tokens) and tokens[i].isdigit()


def _number(token: str) -> int | None:
    return int(token) if token.isdigit() and len(token) <= 2 else None


def _plain(tokens: Sequence[str], i: int) -> tuple[Clock, int] | None:
    """Plain clocks: "4", "11:30", "10 30" (spoken "ten thirty"), 24-hour "15:45"."""
    token = tokens[i]
    if ":" in token:
        hour_text, _, minute_text = token.partition(":")
        if not (hour_text.isdigit() and minute_text.isdigit()):
            return None
        hour, minute = int(hour_text), int(minute_text)
        return (Clock(hour, minute), i + 1) if hour < 24 and minute < 60 else None
    number = _number(token)
    if number is None or number > 23:
        return None
    hour = number
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if hour <= 12 and len(nxt) == 2 and nxt.isdigit() and 10 <= int(nxt) < 60:
        return Clock(hour, int(nxt)), i + 2
    return Clock(hour), i + 1


def _quarter_or_half(tokens: Sequence[str], i: int) -> tuple[Clock, int] | None:
    """Reads "half past 4", "quarter past 10", "quarter to 2"."""
    if i + 2 >= len(tokens) or tokens[i] not in ("quarter", "half"):
        return None
    relation, hour = tokens[i + 1], _number(tokens[i + 2])
    if hour is None or not 1 <= hour <= 12:
        return None
    if relation == "past":
        return Clock(hour, 15 if tokens[i] == "quarter" else 30), i + 3
    if relation in ("to", "til", "till", "of") and tokens[i] == "quarter":
        return Clock(hour - 1 if hour > 1 else 12, 45, period=None), i + 3
    return None


def _with_suffix(tokens: Sequence[str], i: int, clock: Clock) -> tuple[Clock, int]:
    """Reads "am"/"pm", "o'clock" and "in the morning" / "at night" after a clock."""
    if i < len(tokens) and tokens[i] == "oclock":
        i += 1
    if i < len(tokens) and tokens[i] in ("am", "pm"):
        return Clock(clock.hour, clock.minute, tokens[i], clock.period), i + 1
    for lead in (("in", "the"), ("this",), ("at",), ("tomorrow",)):
        end = i + len(lead)
        if tuple(tokens[i:end]) == lead and end < len(tokens):
            period = period_name(tokens[end])
            if period is not None:
                return Clock(clock.hour, clock.minute, clock.meridiem, period), end + 1
    return clock, i


def resolve(clock: Clock, period: str | None = None) -> time | None:
    """The 24-hour time a clock means, given the part of the day around it."""
    hour = clock.hour
    if clock.meridiem == "24h" or hour > 12:
        return time(hour % 24, clock.minute)
    context = clock.period or period
    if clock.meridiem == "pm" or (clock.meridiem is None and context in _LATER_SINGULAR):
        hour = hour if hour == 12 else hour + 12
    elif clock.meridiem == "am" or context in _MORNING_SINGULAR:
        hour = 0 if hour == 12 and clock.meridiem == "am" else hour
    elif context is None and 1 <= hour < _PM_BELOW:
        hour += 12
    return time(hour % 24, clock.minute)


_MORNING_SINGULAR = frozenset(p.removesuffix("s") for p in _MORNING)
_LATER_SINGULAR = frozenset(p.removesuffix("s") for p in _LATER) | {"lunch", "lunchtime"}
