"""Availability windows ("weekday evenings", "next Tuesday after 5") and dates of birth.

Days and times are found separately (`days`, `times`) and then grouped: a run of days
shares the times said next to it, so "Mondays and Wednesdays after 3pm" is one window
and "Mondays after 3 or Thursday mornings" two. A time said alone ("after 5") is a window
on any day. Windows are in the practice's local time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from frontdesk.conversation.understanding.commitments import says_busy
from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.days import MONTHS, DayItem, day_number, parse_day
from frontdesk.conversation.understanding.normalize import CLAUSE_END, without_clause_ends
from frontdesk.conversation.understanding.phrases import compile_all, first
from frontdesk.conversation.understanding.times import PERIODS, Bound, TimeItem, parse_time, resolve
from frontdesk.domain.inquiries import AvailabilityWindow

_CALENDAR = load("calendar_words")
_TIME_WORDS = frozenset(
    (
        *_CALENDAR["weekdays"],
        *(m for m in MONTHS if len(m) > len("may")),  # not "may I", "mar", "jan"
        *PERIODS,
        *_CALENDAR["after_events"],
        *_CALENDAR["schedule_words"],
    )
)
POINT_LENGTH = timedelta(hours=1)  # "at 4pm" is read as 4 to 5
_EVENTS = frozenset(_CALENDAR["after_events"])
_NEGATIONS = frozenset({"not", "never", "no"})
_NOT_FREE = frozenset({"but", "except", "not", "besides", "excluding", "since", "last", "previous"})
_JOBS = frozenset({"job", "jobs"})
_JOB_CHANGES = frozenset(
    {"new", "previous", "old", "former", "last", "switched", "changed", "changing", "lost"}
)
_TIMED_THINGS = frozenset(_CALENDAR["timed_things"])
_TIME_CUES = frozenset({"at", "on", "for", "around", "about", "by", "this", "next"})
_ANY_TIME = (("any", "time"), ("anytime",), ("all", "day"), ("whenever",))
_NEGATIONS_OF_FREE = compile_all(_CALENDAR["not_free"]["negations"])
_NOT_NEGATING = compile_all(_CALENDAR["not_free"]["not_negating"])
_REMINDING = frozenset(_CALENDAR["reminding"])
_DOINGS = _CALENDAR["doings"]
_DOING_WORDS = frozenset(_DOINGS["words"])
_NOT_DOINGS = frozenset(_DOINGS["not_doings"])
_DOING_LEADS = frozenset(_DOINGS["leads"])
_BEFORE_DOING = frozenset(_DOINGS["before"])
_SAID_FREE = frozenset(_DOINGS["said_free"])


@dataclass(slots=True)
class _Group:
    days: list[DayItem] = field(default_factory=list)
    times: list[TimeItem] = field(default_factory=list)
    any_time: bool = False

    @property
    def span(self) -> tuple[int, int]:
        starts = [i.start for i in self.days] + [i.start for i in self.times]
        ends = [i.end for i in self.days] + [i.end for i in self.times]
        return min(starts), max(ends)


def availability(
    tokens: Sequence[str], *, now: datetime, said: str
) -> tuple[AvailabilityWindow, ...]:
    """Every availability window in the utterance; `now` is local to the practice. A
    `CLAUSE_END` among the tokens says where a clause ends ("Mondays after 3, text is fine")."""
    ends = frozenset(
        i - n for n, i in enumerate(i for i, t in enumerate(tokens) if t == CLAUSE_END)
    )
    tokens = without_clause_ends(tokens)
    groups = _groups(tokens, now.date(), ends)
    single = len(groups) == 1
    windows: list[AvailabilityWindow] = []
    for group in groups:
        start, end = group.span
        text = said.strip() if single else " ".join(tokens[start:end])
        windows.extend(_windows(group, text, now))
    return tuple(windows)


def of_free_time(tokens: Sequence[str], *, ours: bool = False) -> bool:
    """Whether a clause's days and times may say when the caller is free: not when it says
    they are not ("I can't do Monday"), speaks of a reminder ("set a reminder for 5 pm",
    "I need a reminder today to pay my bills"), whose time is when the reminder goes off,
    of something done then ("buying qtips today", "my bill is due Friday") or of a standing
    commitment ("I work Tuesdays", "I drop him off at 3"); `ours` when the words are about
    an appointment with the practice ("I have an appointment Friday, can I move it?")."""
    return not (
        says_not_free(tokens)
        or _REMINDING.intersection(tokens)
        or _of_a_doing(tokens)
        or says_busy(tokens, ours=ours)
    )


def _of_a_doing(tokens: Sequence[str]) -> bool:
    """Whether a clause speaks of something done then, other than being free or meeting
    ("buying qtips today", "I'm flying out tomorrow", "my son is playing soccer Saturday",
    "my shift is Tuesday"), and says nothing of being free, meeting or the care ("today
    works", "I'm working until 5", "whenever my shift allows" do)."""
    if _SAID_FREE.intersection(tokens):
        return False
    opening = next((i for i, t in enumerate(tokens) if t not in _DOING_LEADS), len(tokens))
    return any(
        token in _DOING_WORDS
        or (_doing(token) and (i == opening or (i and tokens[i - 1] in _BEFORE_DOING)))
        for i, token in enumerate(tokens)
    )


def _doing(word: str) -> bool:
    """Whether a word in -ing names a deed ("buying", "flying"), not the wish to meet
    ("hoping", "looking"), a part of the day ("evening") or a thing ("anything")."""
    return (
        len(word) > len("sing")
        and word.endswith("ing")
        and not word.endswith("thing")
        and word not in _NOT_DOINGS
        and word not in PERIODS
    )


_LISTING_WORDS = frozenset({"on", "the", "every", "or", "and", "in", "at", "also", "um", "uh"})


def lists_on(before: Sequence[str], tokens: Sequence[str]) -> bool:
    """Whether a clause names days or times and nothing else, after a clause that ends in one
    ("I can't do Mondays | and Wednesdays"), so that it goes on with that clause; "struggling
    with grief after losing a parent | and Mondays" lists nothing on."""
    return _ends_in_a_day_or_time(before) and _only_days_and_times(tokens)


def _ends_in_a_day_or_time(tokens: Sequence[str]) -> bool:
    i = 0
    while i < len(tokens):
        item = parse_day(tokens, i, date.today()) or parse_time(tokens, i)
        if item is not None and item.end == len(tokens):
            return True
        i = item.end if item is not None else i + 1
    return False


def _only_days_and_times(tokens: Sequence[str]) -> bool:
    found = False
    i = 0
    while i < len(tokens):
        item = parse_day(tokens, i, date.today()) or parse_time(tokens, i)
        if item is not None:
            found, i = True, item.end
        elif tokens[i] in _LISTING_WORDS:
            i += 1
        else:
            return False
    return found


def says_not_free(tokens: Sequence[str]) -> bool:
    """Whether a clause says when the caller is not free ("I can't do Monday", "Mondays don't
    work for me", "Tuesdays are no good"): its days and times are no availability. "I'm not
    sure" or "never mind" negate nothing of the kind."""
    negated = first(_NEGATIONS_OF_FREE, tokens)
    if negated is None:
        return False
    held = [p.find(tokens) for p in _NOT_NEGATING]
    return not any(span is not None and span[0] <= negated[0] < span[1] for span in held)


def speaks_of_time(tokens: Sequence[str]) -> bool:
    """Whether the words speak of days, times or a schedule ("whenever my shift allows",
    "I'm flexible", "Tuesdays"), so that free words can be kept as availability."""
    others = _said_of_others(tokens)
    return any(
        (t in _TIME_WORDS or t.removesuffix("s") in _TIME_WORDS)
        and i not in others
        and not _verb_am(tokens, i)
        and not _fails(tokens, i)
        and not _employer(tokens, i)
        and not _changed_job(tokens, i)
        for i, t in enumerate(tokens)
    )


def _employer(tokens: Sequence[str], i: int) -> bool:
    """ "Who do you work for": whom one works for, not when."""
    return tokens[i] == "work" and tokens[i + 1 : i + 2] == ("for",)


def _changed_job(tokens: Sequence[str], i: int) -> bool:
    """ "I got a new job and need help with my 401k rollover": a job that is new, old or
    changed is the topic, not hours that keep the caller busy ("my job has me busy
    mornings", "around my job")."""
    return tokens[i] in _JOBS and i > 0 and tokens[i - 1] in _JOB_CHANGES


def _fails(tokens: Sequence[str], i: int) -> bool:
    """ "My card does not work", "it won't work": a thing that fails, not a schedule."""
    return tokens[i] in _EVENTS and i > 0 and tokens[i - 1] in _NEGATIONS


def _verb_am(tokens: Sequence[str], i: int) -> bool:
    """ "I'm" is heard as "i am", and "how many miles am i" asks: that "am" is no time of
    day."""
    if tokens[i] != "am":
        return False
    return (i > 0 and tokens[i - 1] == "i") or tokens[i + 1 : i + 2] == ("i",)


def _groups(tokens: Sequence[str], today: date, ends: frozenset[int]) -> list[_Group]:
    """Day and time items grouped: a day after a time opens a new group. `ends` are the
    positions where a clause ends."""
    groups: list[_Group] = []
    current = _Group()
    i = 0
    while i < len(tokens):
        day = parse_day(tokens, i, today)
        if day is not None and (_not_availability(tokens, i) or _of_another(tokens, i)):
            i = day.end  # "any day but Monday", "that's all for today"
            continue
        if day is not None:
            if current.days and _renamed(current.days[-1], day, tokens):
                current.days[-1] = day  # "tomorrow, on the 2nd": one day; the date says which
                i = day.end
                continue
            if current.times and current.days:
                groups.append(current)
                current = _Group()
            current.days.append(day)
            i = day.end
            continue
        item = parse_time(tokens, i, ends=ends)
        if item is not None and _of_another(tokens, i):
            i = item.end  # "the volume at 4", "traffic at 3:30", "dinner tonight"
            continue
        if item is not None:
            current.times.append(item)
            i = item.end
            continue
        current.any_time = current.any_time or _any_time_at(tokens, i)
        i += 1
    if current.days or current.times:
        groups.append(current)
    return groups


def _renamed(before: DayItem, day: DayItem, tokens: Sequence[str]) -> bool:
    """Whether `day` names again the one day said just before it: a date of the month right
    after a weekday or a relative day ("tomorrow, on the 2nd", "Friday the 6th")."""
    between = tuple(tokens[before.end : day.start])
    if between not in ((), ("on",)) or before.weekdays or day.weekdays:
        return False
    if len(before.dates) != 1 or len(day.dates) != 1:
        return False

    def dated(item: DayItem) -> bool:
        return any(day_number(t) is not None or "/" in t for t in tokens[item.start : item.end])

    return dated(day) and not dated(before)


def _not_availability(tokens: Sequence[str], i: int) -> bool:
    """A day named as an exclusion, in a sign-off ("that will be all for today"), or gone by
    ("in the fridge since Monday", "since last Monday", "my previous Tuesday session")."""
    before = tokens[max(0, i - 2) : i]
    return bool(before) and (before[-1] in _NOT_FREE or "all" in before)


def _of_another(tokens: Sequence[str], i: int) -> bool:
    """A day or time said of something else's ("dinner tonight", "traffic at 3:30", "the
    volume at 4", "my party next Saturday"): it is when that happens, not when the caller
    is free."""
    j = i - 1 if i and tokens[i - 1] in _TIME_CUES else i
    return j > 0 and tokens[j - 1] in _TIMED_THINGS


def _said_of_others(tokens: Sequence[str]) -> set[int]:
    """Where the words name a day or time of something else's ("dinner tonight", "traffic
    predictions at 4pm")."""
    covered: set[int] = set()
    i = 0
    while i < len(tokens):
        item = parse_time(tokens, i) or parse_day(tokens, i, date.today())
        if item is not None and _of_another(tokens, i):
            covered.update(range(i, item.end))
            i = item.end
            continue
        i += 1
    return covered


def _any_time_at(tokens: Sequence[str], i: int) -> bool:
    return any(tuple(tokens[i : i + len(p)]) == p for p in _ANY_TIME)


def _windows(group: _Group, text: str, now: datetime) -> list[AvailabilityWindow]:
    start, end = _clock_bounds(group, now)
    recurring = frozenset(d for item in group.days for d in item.weekdays)
    dates = sorted({d for item in group.days for d in item.dates})
    windows = [AvailabilityWindow(text, on=d, start=start, end=end) for d in dates]
    if recurring or not dates:
        windows.append(AvailabilityWindow(text, weekdays=recurring, start=start, end=end))
    return windows


def _clock_bounds(group: _Group, now: datetime) -> tuple[time | None, time | None]:
    """Start and end of the group's times; explicit bounds beat a part of the day."""
    period = next((t.period for t in group.times if t.period), None)
    start: time | None = None
    end: time | None = None
    for item in group.times:
        clock = resolve(item.clock, period) if item.clock else None
        if item.bound is Bound.AFTER:
            start = clock
            end = resolve(item.until, period) if item.until else end
        elif item.bound is Bound.BEFORE:
            end = clock
        elif item.bound is Bound.POINT and clock is not None:
            start, end = clock, _plus(clock, POINT_LENGTH)
    if period is not None:
        start = start if start is not None else PERIODS[period][0]
        end = end if end is not None else PERIODS[period][1]
    if start is None and any(d.later_today for d in group.days):
        start = _next_quarter(now)
    return start, end


def _plus(clock: time, delta: timedelta) -> time:
    moment = datetime.combine(date(2000, 1, 1), clock) + delta
    return time(23, 59) if moment.date().day != 1 else moment.time()


def _next_quarter(now: datetime) -> time:
    """Now, rounded up to the next quarter hour ("later today")."""
    minutes = (now.hour * 60 + now.minute + 14) // 15 * 15
    return time(23, 45) if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)


_BIRTH_CUES = frozenset({"born", "birthday", "birth", "dob", "birthdate"})


def stated_birthday(tokens: Sequence[str], *, today: date) -> tuple[date, tuple[str, ...]] | None:
    """A date of birth said outright after its cue ("she was born March 3rd 2014", "my date
    of birth is 3/3/90"), and the words without it, so it is never also a day to meet."""
    for cue, token in enumerate(tokens):
        if token not in _BIRTH_CUES:
            continue
        after = tokens[cue + 1 :]
        born = date_of_birth(after, today=today)
        if born is None:
            continue
        end = next(
            n for n in range(1, len(after) + 1) if date_of_birth(after[:n], today=today) == born
        )
        return born, (*tokens[:cue], *after[end:])
    return None


def date_of_birth(tokens: Sequence[str], *, today: date) -> date | None:
    """Reads "March 3rd 1990", "the 3rd of March 1990", "3/3/90", "3 3 1990" → a past date."""
    for i in range(len(tokens)):
        found = _written_birthday(tokens, i) or _numeric_birthday(tokens, i)
        if found is not None:
            year, month, day = found
            return _valid_birthday(_full_year(year, today), month, day, today)
    return None


def _written_birthday(tokens: Sequence[str], i: int) -> tuple[int, int, int] | None:
    month = MONTHS.get(tokens[i])
    if month is not None:
        j = i + 2 if i + 1 < len(tokens) and tokens[i + 1] == "the" else i + 1
        day = day_number(tokens[j]) if j < len(tokens) else None
        year = _year_at(tokens, j + 1)
        return (year, month, day) if day and year is not None else None
    day = day_number(tokens[i])
    if day is None or tuple(tokens[i + 1 : i + 2]) != ("of",) or i + 2 >= len(tokens):
        return None
    month = MONTHS.get(tokens[i + 2])
    year = _year_at(tokens, i + 3)
    return (year, month, day) if month and year is not None else None


def _numeric_birthday(tokens: Sequence[str], i: int) -> tuple[int, int, int] | None:
    parts = tokens[i].split("/")
    if len(parts) != 3:
        parts = list(tokens[i : i + 3])
    if len(parts) != 3 or not all(p.isdigit() and len(p) in (1, 2, 4) for p in parts):
        return None
    if len(parts[2]) == 1:
        return None
    return int(parts[2]), int(parts[0]), int(parts[1])


def _year_at(tokens: Sequence[str], i: int) -> int | None:
    """Reads "1990", "19 90" (spoken "nineteen ninety"), "2005", "90"."""
    if i >= len(tokens) or not tokens[i].isdigit():
        return None
    first = tokens[i]
    if len(first) == 4:
        return int(first)
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if first in ("19", "20") and nxt.isdigit() and len(nxt) <= 2:
        return int(first) * 100 + int(nxt)
    return int(first) if len(first) == 2 else None


def _full_year(year: int, today: date) -> int:
    if year >= 100:
        return year
    century = today.year // 100 * 100
    return century + year if century + year <= today.year else century - 100 + year


def _valid_birthday(year: int, month: int, day: int, today: date) -> date | None:
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    return born if today.year - 120 <= year and born <= today else None
