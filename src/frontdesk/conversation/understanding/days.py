"""Days as callers say them, resolved against today's date in the practice's timezone.

"tomorrow", "next Tuesday", "Monday next week", "the 11th", "March 7th", "7th of this
month", "3/7", "weekends", "weekdays", "Mondays". Plural weekdays are recurring; a single
weekday is its next occurrence. "Next Tuesday" is the Tuesday of next week (weeks start on
Monday) and "this Sunday" the one of the current week, or the next if it has passed.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from frontdesk.conversation.understanding.data_files import load
from frontdesk.domain.inquiries import Weekday

_CALENDAR = load("calendar_words")
MONTHS: dict[str, int] = _CALENDAR["months"]
_WEEKDAY_WORDS: dict[str, Weekday] = {k: Weekday(v) for k, v in _CALENDAR["weekdays"].items()}
_WORKWEEK = frozenset(Weekday(d) for d in ("monday", "tuesday", "wednesday", "thursday", "friday"))
_WEEKEND = frozenset({Weekday.SATURDAY, Weekday.SUNDAY})
_ORDINAL_ENDINGS = ("st", "nd", "rd", "th")
_MAY_AS_VERB = frozenset({"i", "you", "we", "it", "that", "this", "she", "he", "they"})
_PLURAL_PARTS = frozenset({"mornings", "afternoons", "evenings", "nights"})
_DAY_FOLLOWERS = frozenset(
    (
        *_CALENDAR["clock_followers"],
        *_CALENDAR["periods"],
        *_CALENDAR["weekdays"],
        *MONTHS,
        *_CALENDAR["day_followers"],
    )
)
"""Words that may come right after a day of the month said without its month ("the 5th
works", "the 7th in the afternoon"); any other word says the number counts or names a thing
("5th grade", "the third floor", "the third time", "fifth street")."""


@dataclass(frozen=True, slots=True)
class DayItem:
    """Days found at tokens[start:end]: recurring weekdays, or specific dates."""

    start: int
    end: int
    weekdays: frozenset[Weekday] = frozenset()
    dates: tuple[date, ...] = ()
    later_today: bool = False


def parse_day(tokens: Sequence[str], i: int, today: date) -> DayItem | None:
    """A day item starting at position i, or None."""
    for parser in (_relative, _weekend, _weekday, _month_first, _day_first, _numeric):
        item = parser(tokens, i, today)
        if item is not None:
            return item
    return None


def weekday_named(token: str) -> Weekday | None:
    """The weekday a word names ("friday", "fridays", "thurs"), else None."""
    return _WEEKDAY_WORDS.get(token) or (
        _WEEKDAY_WORDS.get(token[:-1]) if token.endswith("s") else None
    )


def _at(tokens: Sequence[str], i: int) -> str:
    return tokens[i] if 0 <= i < len(tokens) else ""


def _relative(tokens: Sequence[str], i: int, today: date) -> DayItem | None:
    """today, tonight, later today, tomorrow, the day after tomorrow."""
    word = tokens[i]
    if word == "day" and _at(tokens, i + 1) == "after" and _at(tokens, i + 2) == "tomorrow":
        return DayItem(i, i + 3, dates=(today + timedelta(days=2),))
    if word == "later" and _at(tokens, i + 1) == "today":
        return DayItem(i, i + 2, dates=(today,), later_today=True)
    if word in ("today", "tonight"):
        return DayItem(i, i + 1, dates=(today,))
    if word == "tomorrow":
        return DayItem(i, i + 1, dates=(today + timedelta(days=1),))
    return None


def _weekend(tokens: Sequence[str], i: int, today: date) -> DayItem | None:
    """Reads "weekends", "this weekend", "next weekend", "weekdays", "during the week"."""
    word = tokens[i]
    if word in ("weekday", "weekdays") or (
        word == "during" and tuple(tokens[i + 1 : i + 3]) == ("the", "week")
    ):
        return DayItem(i, i + (3 if word == "during" else 1), weekdays=_WORKWEEK)
    if word in ("this", "next") and _at(tokens, i + 1) == "weekend":
        offset = 0 if word == "this" else 7
        saturday = _week_start(today) + timedelta(days=5 + offset)
        return DayItem(i, i + 2, dates=(saturday, saturday + timedelta(days=1)))
    if word in ("weekend", "weekends"):
        return DayItem(i, i + 1, weekdays=_WEEKEND)
    return None


def _week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def _weekday(tokens: Sequence[str], i: int, today: date) -> DayItem | None:
    """Reads "mondays" (recurring), "monday", "next monday", "monday next week"."""
    modifier = tokens[i] if tokens[i] in ("this", "next", "coming") else None
    start = i + 1 if modifier else i
    word = _at(tokens, start)
    plural = word.endswith("s") and word[:-1] in _WEEKDAY_WORDS
    day = _WEEKDAY_WORDS.get(word[:-1] if plural else word)
    if day is None:
        return None
    if modifier is None and (plural or _recurs(tokens, start + 1)):
        return DayItem(i, start + 1, weekdays=frozenset({day}))
    end = start + 1
    if _at(tokens, end) in ("this", "next") and _at(tokens, end + 1) == "week":
        modifier, end = tokens[end], end + 2
    return DayItem(i, end, dates=(_weekday_date(day, modifier, today),))


def _recurs(tokens: Sequence[str], end: int) -> bool:
    """A weekday list that ends in a plural part of day ("tuesday or thursday mornings")."""
    for word in tokens[end : end + 6]:
        if word in _PLURAL_PARTS:
            return True
        if word not in ("or", "and") and word.rstrip("s") not in _WEEKDAY_WORDS:
            return False
    return False


def _weekday_date(day: Weekday, modifier: str | None, today: date) -> date:
    if modifier == "next":
        return _week_start(today) + timedelta(days=7 + day.number)
    ahead = (day.number - today.weekday()) % 7
    if modifier is None and ahead == 0:
        ahead = 7  # a bare "friday" said on a Friday means the next one
    return today + timedelta(days=ahead)


def day_number(token: str) -> int | None:
    """The day of the month in "7th" or "7" when it can be a day of the month."""
    text = token[:-2] if token.endswith(_ORDINAL_ENDINGS) else token
    if not text.isdigit() or len(text) > 2:
        return None
    value = int(text)
    return value if 1 <= value <= 31 else None


def _is_ordinal(token: str) -> bool:
    return token.endswith(_ORDINAL_ENDINGS) and day_number(token) is not None


def _month_at(tokens: Sequence[str], i: int) -> int | None:
    """A month name at i; "may" only when it cannot be the verb ("we may")."""
    month = MONTHS.get(_at(tokens, i))
    if month == 5 and _at(tokens, i - 1) in _MAY_AS_VERB:
        return None
    return month


def _month_first(tokens: Sequence[str], i: int, today: date) -> DayItem | None:
    """Reads "march 7th", "march 7", "march the 7th"."""
    month = _month_at(tokens, i)
    if month is None:
        return None
    j = i + 2 if _at(tokens, i + 1) == "the" else i + 1
    day = day_number(_at(tokens, j))
    if day is None:
        return None
    found = _dated(today, month, day)
    return DayItem(i, j + 1, dates=(found,)) if found else None


def _day_first(tokens: Sequence[str], i: int, today: date) -> DayItem | None:
    """Reads "the 11th", "7th of march", "the 12th of this month", "the 3rd of next month"."""
    j = i + 1 if tokens[i] in ("the", "on") else i
    token = _at(tokens, j)
    day = day_number(token)
    if day is None or not (_is_ordinal(token) or j > i):
        return None
    bare = not _is_ordinal(token)
    if j > i and bare and tokens[i] == "on":
        return None
    if bare and day == 1:
        return None  # "the one on Tuesday", "the one with Dr. Reyes": a pronoun, not the 1st
    end = j + 1
    month: int | None = None
    if _at(tokens, end) == "of":
        month = _month_at(tokens, end + 1)
        if month is not None:
            end += 2
        elif _at(tokens, end + 2) == "month" and _at(tokens, end + 1) in ("this", "next", "the"):
            # "the 12th of this month" said after the 12th means the coming 12th, never the
            # same month next year.
            month = _next_month(today) if _at(tokens, end + 1) == "next" else None
            end += 3
        elif bare:
            return None  # "the two of us", "the 3 of them"
    if end == j + 1 and _names_a_thing(tokens, j, end):
        return None
    found = _dated(today, month, day) if month else _upcoming_day(today, day)
    return DayItem(i, end, dates=(found,)) if found else None


def _names_a_thing(tokens: Sequence[str], at: int, end: int) -> bool:
    """Whether the number at `at` counts or names a thing rather than a day of the month: a
    word that goes on with no date follows it ("5th grade", "the third time"), or it stands
    next to another ordinal ("Fifth Third", the bank)."""
    follower = _at(tokens, end)
    if _is_ordinal(follower) or _is_ordinal(_at(tokens, at - 1)):
        return True
    plain = follower.removesuffix("s")
    return follower.isalpha() and follower not in _DAY_FOLLOWERS and plain not in _DAY_FOLLOWERS


def _numeric(tokens: Sequence[str], i: int, today: date) -> DayItem | None:
    """Reads "3/7" (US order, month first)."""
    parts = tokens[i].split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    found = _dated(today, int(parts[0]), int(parts[1]))
    return DayItem(i, i + 1, dates=(found,)) if found else None


def _next_month(today: date) -> int:
    return today.month % 12 + 1


def _dated(today: date, month: int | None, day: int) -> date | None:
    """The next date with that month and day, on or after today."""
    if month is None or not 1 <= month <= 12 or day < 1:
        return None
    for year in (today.year, today.year + 1):
        if day <= calendar.monthrange(year, month)[1]:
            found = date(year, month, day)
            if found >= today:
                return found
    return None


def _upcoming_day(today: date, day: int) -> date | None:
    """Resolves "the 11th": this month's if it has not passed, else next month's."""
    year, month = today.year, today.month
    for _ in range(3):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None
