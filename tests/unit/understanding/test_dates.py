"""Availability windows and dates of birth, resolved in the practice's timezone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

import pytest

from frontdesk.conversation.understanding.dates import speaks_of_time
from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.result import Slot, Understanding
from frontdesk.domain.inquiries import AvailabilityWindow, Weekday

Hear = Callable[..., Understanding]
MON, TUE, WED, THU, FRI, SAT, SUN = tuple(Weekday)
WEEKDAYS = frozenset({MON, TUE, WED, THU, FRI})

# NOW is Wednesday 11 June 2025, 10:00 in Chicago.
CASES: list[tuple[str, frozenset[Weekday], date | None, time | None, time | None]] = [
    ("next Tuesday after 5", frozenset(), date(2025, 6, 17), time(17), None),
    ("mornings before 10", frozenset(), None, time(8), time(10)),
    ("weekday evenings", WEEKDAYS, None, time(17), time(21)),
    ("any time Thursday", frozenset(), date(2025, 6, 12), None, None),
    ("Mondays and Wednesdays after 3pm", frozenset({MON, WED}), None, time(15), None),
    ("tomorrow afternoon", frozenset(), date(2025, 6, 12), time(12), time(17)),
    ("weekends", frozenset({SAT, SUN}), None, None, None),
    ("the day after tomorrow", frozenset(), date(2025, 6, 13), None, None),
    ("March 7th", frozenset(), date(2026, 3, 7), None, None),
    ("the 20th", frozenset(), date(2025, 6, 20), None, None),
    ("the 3rd", frozenset(), date(2025, 7, 3), None, None),
    ("12th of this month", frozenset(), date(2025, 6, 12), None, None),
    # Said after the day has passed, "this month" is the coming one, not next year's June.
    ("the 2nd of this month", frozenset(), date(2025, 7, 2), None, None),
    ("Friday next week", frozenset(), date(2025, 6, 20), None, None),
    ("this Sunday", frozenset(), date(2025, 6, 15), None, None),
    ("between 9 and 11 on weekdays", WEEKDAYS, None, time(9), time(11)),
    ("after work", frozenset(), None, time(17), None),
    ("I work until 5", frozenset(), None, time(17), None),
    ("at half past 4 in the afternoon", frozenset(), None, time(16, 30), time(17, 30)),
    ("at 11:30 am", frozenset(), None, time(11, 30), time(12, 30)),
    ("quarter to 2", frozenset(), None, time(13, 45), time(14, 45)),
    ("evening 5", frozenset(), None, time(17), time(18)),
    ("15:45", frozenset(), None, time(15, 45), time(16, 45)),
    ("uh maybe like ten thirty in the morning", frozenset(), None, time(10, 30), time(11, 30)),
    ("noon on the 14th", frozenset(), date(2025, 6, 14), time(12), time(13)),
    # A plural part of day makes the weekdays before it a habit, not one date.
    ("Tuesday or Thursday mornings", frozenset({TUE, THU}), None, time(8), time(12)),
    ("Tuesday morning", frozenset(), date(2025, 6, 17), time(8), time(12)),
    ("next Tuesday mornings", frozenset(), date(2025, 6, 17), time(8), time(12)),
]


@pytest.mark.parametrize(("heard", "weekdays", "on", "start", "end"), CASES)
def test_one_window(
    hear: Hear,
    heard: str,
    weekdays: frozenset[Weekday],
    on: date | None,
    start: time | None,
    end: time | None,
) -> None:
    """Each way of saying when one is free gives one window, resolved against today."""
    windows = hear(heard).slots.availability
    assert windows == (AvailabilityWindow(heard, weekdays, on, start, end),)


def test_separate_days_with_their_own_times_are_separate_windows(hear: Hear) -> None:
    """ "Mondays after 3 or Thursday mornings" is two windows, each with its own hours."""
    windows = hear("Mondays after 3 or Thursday mornings").slots.availability
    assert [(w.weekdays, w.on, w.start, w.end) for w in windows] == [
        (frozenset({MON}), None, time(15), None),
        (frozenset({THU}), None, time(8), time(12)),
    ]
    assert [w.text for w in windows] == ["mondays after 3", "thursday mornings"]


@pytest.mark.parametrize(
    ("heard", "on", "start"),
    [
        ("around 10:15 tomorrow, on the 2nd", date(2025, 7, 2), time(10, 15)),
        ("Friday the 13th at 3", date(2025, 6, 13), time(15)),
        ("at 4 on Monday, the 16th", date(2025, 6, 16), time(16)),
        ("next Tuesday 6/17 after 5", date(2025, 6, 17), time(17)),
    ],
)
def test_a_day_named_twice_is_one_window_on_the_date(
    hear: Hear, heard: str, on: date, start: time
) -> None:
    """A date of the month right after a weekday or "tomorrow" names the same day again: one
    window, on the date said, with the time said beside either."""
    windows = hear(heard).slots.availability
    assert [(w.on, w.start) for w in windows] == [(on, start)]


def test_a_list_of_days_stays_a_list(hear: Hear) -> None:
    """ "Tomorrow or the 20th" and "March 2nd, March 3rd" are two days each."""
    assert [w.on for w in hear("tomorrow or the 20th").slots.availability] == [
        date(2025, 6, 12),
        date(2025, 6, 20),
    ]
    assert [w.on for w in hear("June 20th, June 23rd").slots.availability] == [
        date(2025, 6, 20),
        date(2025, 6, 23),
    ]


def test_this_weekend_is_two_dates(hear: Hear) -> None:
    """ "This weekend" means this Saturday and this Sunday."""
    windows = hear("this weekend").slots.availability
    assert [w.on for w in windows] == [date(2025, 6, 14), date(2025, 6, 15)]


def test_later_today_starts_now(hear: Hear) -> None:
    """ "Later today" starts at the next quarter hour, local time."""
    later = datetime(2025, 6, 11, 15, 7, tzinfo=UTC)  # 10:07 in Chicago
    windows = hear("later today", now=later).slots.availability
    assert [(w.on, w.start) for w in windows] == [(date(2025, 6, 11), time(10, 15))]


def test_dates_resolve_in_the_practice_timezone(hear: Hear) -> None:
    """At 03:00 UTC it is still the evening before in Chicago, so "tomorrow" is that day's next."""
    late = datetime(2025, 6, 12, 3, 0, tzinfo=UTC)  # 22:00 on the 11th in Chicago
    assert hear("tomorrow", now=late).slots.availability[0].on == date(2025, 6, 12)


def test_windows_keep_the_callers_words(hear: Hear) -> None:
    """The caller's own words stay with a single window for staff to read."""
    said = "Honestly, any time Thursday works for me."
    assert hear(said).slots.availability[0].text == said


@pytest.mark.parametrize(
    "heard",
    [
        "my number is 312 555 0142",
        "call me at 5 5 5 2 1 2 3 4 5 6",
        "my daughter is 15",
        "I may need help",
        "I'm looking for a therapist",
        "any day but Monday",
        "I'm looking for one in Gilroy",
        "Thank you, that will be all for today",
        "it's for the two of us",
        "the 3 of them need a therapist",
        "the one with Dr. Reyes",
    ],
)
def test_no_window_without_a_time_or_day(hear: Hear, heard: str) -> None:
    """Phone digits, ages and the verb "may" are not times."""
    assert hear(heard).slots.availability == ()


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("March 3rd 1990", date(1990, 3, 3)),
        ("3/3/90", date(1990, 3, 3)),
        ("march third nineteen ninety", date(1990, 3, 3)),
        ("the 3rd of March 1990", date(1990, 3, 3)),
        ("it's 03 03 1990", date(1990, 3, 3)),
        ("june first two thousand and ten", date(2010, 6, 1)),
    ],
)
def test_dates_of_birth_when_asked(hear: Hear, heard: str, expected: date) -> None:
    """Spoken and written birthdays are read after the date-of-birth question."""
    understood = hear(heard, expecting=Slot.DATE_OF_BIRTH)
    assert understood.slots.date_of_birth == expected
    assert understood.slots.availability == ()


@pytest.mark.parametrize("heard", ["March 3rd 2030", "2/30/1990", "March 3rd", "last year"])
def test_impossible_or_partial_birthdays_are_refused(hear: Hear, heard: str) -> None:
    """Future, impossible and year-less dates are not dates of birth."""
    assert hear(heard, expecting=Slot.DATE_OF_BIRTH).slots.date_of_birth is None


def test_birthdays_are_not_read_unasked(hear: Hear) -> None:
    """Without the question, "March 3rd 1990" is not taken as a date of birth."""
    assert hear("March 3rd 1990").slots.date_of_birth is None


def test_the_one_on_a_date_names_only_that_date(hear: Hear) -> None:
    """ "The one on the 20th": "the one" is a pronoun, not the 1st of the month."""
    assert [w.on for w in hear("the one on the 20th").slots.availability] == [date(2025, 6, 20)]


@pytest.mark.parametrize(
    ("heard", "born", "windows"),
    [
        ("he's 12, he was born March 3rd 2014", date(2014, 3, 3), 0),
        ("my date of birth is 3/3/90 and Tuesdays work", date(1990, 3, 3), 1),
        ("her birthday is the 3rd of March 2014", date(2014, 3, 3), 0),
    ],
)
def test_a_date_of_birth_said_unasked_is_kept_and_is_no_day_to_meet(
    hear: Hear, heard: str, born: date, windows: int
) -> None:
    """After "born", "birthday" or "date of birth" a birthday is read whatever was asked, and
    its month and day are not availability."""
    understood = hear(heard)
    assert understood.slots.date_of_birth == born
    assert len(understood.slots.availability) == windows


def test_a_past_date_without_its_cue_is_no_birthday(hear: Hear) -> None:
    """Unasked, a date is a birthday only where the caller says it is one."""
    assert hear("March 3rd 2014").slots.date_of_birth is None


@pytest.mark.parametrize(
    ("said", "timely"),
    [
        ("for my card is there a extra card while i'm staying in italy", False),
        ("I'm not sure what you mean", False),
        ("I'm flexible", True),
        ("10 am works", True),
        ("whenever I am off", True),
    ],
)
def test_the_am_of_i_am_speaks_of_no_time(said: str, timely: bool) -> None:
    """ "I'm" is heard as "i am": that "am" is no time of day, so the words are not kept as
    availability for it."""
    assert speaks_of_time(words(said)) is timely


def test_a_thing_that_does_not_work_speaks_of_no_schedule() -> None:
    """ "My card does not work" is a broken card; "after work" and "I work nights" speak of
    a schedule."""
    assert not speaks_of_time(words("my card does not work"))
    assert speaks_of_time(words("after work is best"))
    assert speaks_of_time(words("I work nights"))


@pytest.mark.parametrize(
    ("said", "timely"),
    [
        ("i have a new job and need help with my 401k rollover", False),
        ("i have just switched jobs and need assistance with my 401k rollover", False),
        ("my previous job's 401k needs to be rolled over", False),
        ("you work for whom", False),
        ("at how many miles am i required to get my oil changed", False),
        ("my job has me busy mornings", True),
        ("it depends on my job", True),
        ("I work until 5", True),
        ("evenings after work", True),
        ("8 am is fine", True),
    ],
)
def test_a_job_speaks_of_time_only_when_it_keeps_the_caller_busy(said: str, timely: bool) -> None:
    """A new or former job is the topic of a request (a 401k rollover), and whom someone
    works for is no time; a job that keeps the caller busy, or "after work", is schedule
    talk. "Am I" asks: that "am" is no time of day."""
    assert speaks_of_time(words(said)) is timely


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("i want the volume at 4 please", "I'm free after 3:30"),
        ("pull up traffic predictions at 4pm on the way to the library", "evenings after work"),
        ("do i have enough money for dinner tonight", "I could do 4 on Tuesday"),
        ("invite him to my party next saturday", "next saturday works"),
    ],
)
def test_a_time_of_something_else_is_no_availability(hear: Hear, aside: str, answer: str) -> None:
    """ "The volume at 4", "traffic at 4pm", "dinner tonight": when something else happens
    is not when the caller is free, and those words alone speak of no time of theirs."""
    assert hear(aside, expecting=Slot.AVAILABILITY).slots.availability == ()
    assert not speaks_of_time(words(aside))
    assert hear(answer, expecting=Slot.AVAILABILITY).slots.availability
    assert speaks_of_time(words(answer))


@pytest.mark.parametrize(
    "said",
    [
        "I bank with fifth third",
        "I have an account at Fifth Third",
        "my fifth third card was declined",
        "she's in 5th grade",
        "he just started third grade",
        "we're on the third floor of the building",
        "is the office on fifth street",
        "this is the third time I called",
        "it's my second marriage",
    ],
)
def test_an_ordinal_that_counts_or_names_a_thing_is_no_day(hear: Hear, said: str) -> None:
    """A number said as an ordinal with a word after it that goes on with no date ("5th
    grade", "the third floor", "the third time") or beside another ordinal ("Fifth Third",
    the bank) counts or names a thing: it is no day of the month, at any question."""
    for expecting in (None, Slot.CONSENT_TO_TEXT, Slot.PAYER):
        assert hear(said, expecting=expecting).slots.availability == ()


@pytest.mark.parametrize(
    ("said", "on"),
    [
        ("the 5th works", date(2025, 7, 5)),
        ("I'm free on the 5th", date(2025, 7, 5)),
        ("the 7th in the afternoon", date(2025, 7, 7)),
        ("the 12th around 3", date(2025, 6, 12)),
        ("Let's do the 12th.", date(2025, 6, 12)),
        ("I'd like the 4th please", date(2025, 7, 4)),
        ("how about the 3rd at 2pm", date(2025, 7, 3)),
        ("I need something on the 10th of this month, try 13:45", date(2025, 7, 10)),
    ],
)
def test_a_day_of_the_month_said_alone_is_still_a_day(hear: Hear, said: str, on: date) -> None:
    """A day of the month followed by nothing, a time or words that go on with a date is
    still the day the caller means."""
    assert on in {w.on for w in hear(said).slots.availability}


@pytest.mark.parametrize(
    "said",
    [
        "I can't do Monday",
        "I cannot make it on Tuesday",
        "I'm not free on mondays",
        "Mondays don't work for me",
        "Tuesdays are no good",
        "I won't be able to come in on Friday",
        "I'm unable to come in Thursday mornings",
        "I don't want to do anything today",
        "evenings are never good for me",
    ],
)
def test_a_time_the_caller_is_not_free_is_no_availability(hear: Hear, said: str) -> None:
    """A clause that says the caller is not free then ("I can't do Monday", "Tuesdays are no
    good") names no window, asked or not."""
    for expecting in (None, Slot.AVAILABILITY, Slot.CONSENT_TO_TEXT):
        assert hear(said, expecting=expecting).slots.availability == ()


@pytest.mark.parametrize(
    ("said", "on", "start"),
    [
        ("I can't do Monday but Tuesday works", date(2025, 6, 17), None),
        ("I'm not available Tuesday, but Wednesday after 5 is fine", date(2025, 6, 18), time(17)),
        ("Friday's no good, how about Thursday at 4", date(2025, 6, 12), time(16)),
        ("I'm not sure, maybe Tuesday", date(2025, 6, 17), None),
        ("never mind, Tuesday is fine", date(2025, 6, 17), None),
        ("no, Tuesday at 5", date(2025, 6, 17), time(17)),
    ],
)
def test_the_time_said_beside_a_refusal_is_kept(
    hear: Hear, said: str, on: date, start: time | None
) -> None:
    """Beside a day refused, the day offered instead is the availability, with its own time;
    "not sure", "never mind" and a leading "no" refuse no day."""
    windows = hear(said).slots.availability
    assert [(w.on, w.start) for w in windows] == [(on, start)]


@pytest.mark.parametrize(
    "said",
    [
        "set a reminder for 5 pm",
        "I need a reminder today to pay my bills",
        "I want a reminder today at noon to feed the dog",
        "send me a reminder to take my meds at 8",
        "can you remind me tomorrow at 9 to call the pharmacy",
        "my alarm goes off at 6 on weekdays",
    ],
)
def test_the_time_of_a_reminder_is_no_availability(hear: Hear, said: str) -> None:
    """A time said of a reminder is when it goes off, not when the caller is free: no window,
    and at the availability question no free words are kept for it either."""
    for expecting in (None, Slot.AVAILABILITY, Slot.REMINDER_PREFERENCE):
        heard = hear(said, expecting=expecting)
        assert heard.slots.availability == ()
        assert not heard.speaks_of_time


@pytest.mark.parametrize(
    "said",
    [
        "text reminders please, Tuesday mornings work",
        "email is best for reminders. Also Tuesday mornings",
        "text reminders and I'm free Tuesdays after 5",
    ],
)
def test_a_time_said_beside_a_reminder_is_kept(hear: Hear, said: str) -> None:
    """A way to be reminded said in its own clause leaves the time beside it the caller's."""
    assert [w.weekdays for w in hear(said).slots.availability] == [frozenset({TUE})]


def test_a_refusal_alone_speaks_of_no_time_to_keep(hear: Hear) -> None:
    """ "I can't do Monday" at the availability question is no window and no free words: kept
    as said, it would read as any time at all."""
    heard = hear("I can't do Monday", expecting=Slot.AVAILABILITY)
    assert heard.slots.availability == ()
    assert not heard.speaks_of_time


@pytest.mark.parametrize(
    ("said", "asked"),
    [
        ("do you have anything on Friday?", True),
        ("do you have anything on Friday", True),
        ("is there something Thursday afternoon?", True),
        ("do you have any openings next Tuesday", True),
        ("Tuesday mornings", False),
        ("I'm free Tuesdays, do you have anything then?", False),
        ("what about Friday evening, do you have anything then?", False),
        ("do you have evening appointments? I'm free after 5", False),
    ],
)
def test_times_named_only_in_a_question_are_marked_asked(
    hear: Hear, said: str, asked: bool
) -> None:
    """Times named only in a question about what the practice has ("do you have anything on
    Friday?") are marked as asked about; said of the caller beside it, they are not."""
    heard = hear(said, expecting=Slot.CONSENT_TO_TEXT)
    assert heard.slots.availability
    assert heard.times_asked is asked


@pytest.mark.parametrize(
    "said",
    [
        "oh, um, buying qtips today, my card got declined at walmart",
        "I was buying shampoo today at Target and my card was declined",
        "I'm flying out to see my mom tomorrow",
        "we're driving up to the lake on Saturday",
        "I'm working a double shift today",
        "my son is playing soccer Saturday morning",
        "just picking up my daughter at 3",
        "my electric bill is due Friday",
        "I have to run errands tomorrow",
        "going shopping this weekend",
    ],
)
def test_a_time_said_of_something_done_then_is_no_availability(hear: Hear, said: str) -> None:
    """A day or time said of something done then (buying, a flight, a shift, a bill due), in a
    clause that says nothing of being free, meeting or the care, is when that happens: no
    window, asked or not, and no free words kept at the availability question."""
    for expecting in (None, Slot.AVAILABILITY, Slot.TELEHEALTH_PRIVATE_SPACE):
        heard = hear(said, expecting=expecting)
        assert heard.slots.availability == ()
        assert not heard.speaks_of_time


@pytest.mark.parametrize(
    ("said", "weekdays", "on", "start"),
    [
        ("today works", frozenset(), date(2025, 6, 11), None),
        ("I'm off work today", frozenset(), date(2025, 6, 11), None),
        ("I can do today after 3", frozenset(), date(2025, 6, 11), time(15)),
        ("I work until 5 so after that", frozenset(), None, time(17)),
        ("I'm working until 5", frozenset(), None, time(17)),
        ("anytime today", frozenset(), date(2025, 6, 11), None),
        ("I'm free Mondays", frozenset({MON}), None, None),
        ("Tuesday mornings", frozenset({TUE}), None, time(8)),
        ("I'm hoping for Thursday", frozenset(), date(2025, 6, 12), None),
        ("I'm thinking Thursday evening", frozenset(), date(2025, 6, 12), time(17)),
        ("I'm looking for something Friday afternoon", frozenset(), date(2025, 6, 13), time(12)),
        ("I'm shopping today, but tomorrow at 2 works", frozenset(), date(2025, 6, 12), time(14)),
        ("I'm flying Monday, so Tuesday would be best", frozenset(), date(2025, 6, 17), None),
        ("my son is available Saturday morning", frozenset(), date(2025, 6, 14), time(8)),
    ],
)
def test_a_time_said_of_being_free_beside_a_doing_is_kept(
    hear: Hear, said: str, weekdays: frozenset[Weekday], on: date | None, start: time | None
) -> None:
    """Said of being free, of meeting or of the care, a day or time is availability even beside
    something done ("I'm shopping today, but tomorrow after 2 is good" is tomorrow), and a
    bare day or a wish ("Tuesday mornings", "I'm hoping for Thursday") stays one."""
    for expecting in (None, Slot.AVAILABILITY):
        windows = hear(said, expecting=expecting).slots.availability
        assert [(w.weekdays, w.on, w.start) for w in windows] == [(weekdays, on, start)]


@pytest.mark.parametrize(
    ("said", "weekdays", "start"),
    [
        ("my shift ends at 4 so after 4:30", frozenset(), time(16, 30)),
        ("my shift ends at 4", frozenset(), time(16)),
        ("I get off at 5", frozenset(), time(17)),
        ("I'm done at 3 on Tuesdays", frozenset({TUE}), time(15)),
        ("class is over around 2", frozenset(), time(14)),
        ("I finish at 6", frozenset(), time(18)),
    ],
)
def test_the_time_a_duty_ends_is_free_after_it(
    hear: Hear, said: str, weekdays: frozenset[Weekday], start: time
) -> None:
    """A clock said of when something ends ("my shift ends at 4", "I get off at 5") is free
    from then on, as "I work until 5" is: no end, not the hour after it."""
    windows = hear(said, expecting=Slot.AVAILABILITY).slots.availability
    assert [(w.weekdays, w.start, w.end) for w in windows] == [(weekdays, start, None)]


@pytest.mark.parametrize(
    ("said", "start", "end"),
    [
        ("at 4", time(16), time(17)),
        ("Friday at 4 works", time(16), time(17)),
        ("around 2 is good", time(14), time(15)),
    ],
)
def test_a_time_said_alone_is_still_a_point(hear: Hear, said: str, start: time, end: time) -> None:
    """With nothing ending before it, "at 4" is the hour from 4."""
    windows = hear(said, expecting=Slot.AVAILABILITY).slots.availability
    assert [(w.start, w.end) for w in windows] == [(start, end)]


def test_words_either_side_of_a_clause_left_out_are_not_read_together(hear: Hear) -> None:
    """A clause that names no free time ("phone call reminders please") is left out, and the
    words either side of it were never said together: "on the 2nd" ends what was said
    before it and is still a day, whatever comes after ("Quinn Okafor")."""
    said = "Preferably, around 10:15 tomorrow, on the 2nd. and phone call reminders please."
    for text in (said, f"{said} Quinn Okafor"):
        [window] = hear(text, expecting=Slot.CLIENT_NAME).slots.availability
        assert (window.on, window.start) == (date(2025, 7, 2), time(10, 15))


@pytest.mark.parametrize(
    ("said", "weekdays", "start"),
    [
        ("Mondays after 3, text is fine", frozenset({MON}), time(15)),
        ("Mondays and Wednesdays after 3, um, by video", frozenset({MON, WED}), time(15)),
        ("Tuesdays after 4. Text me please", frozenset({TUE}), time(16)),
        ("Thursdays after 3; email works", frozenset({THU}), time(15)),
        ("Thursdays after I drop him off at 3, text me", frozenset({THU}), time(15)),
        ("I'm free after 5, my number is 555 123 4567", frozenset(), time(17)),
    ],
)
def test_a_bare_hour_at_the_end_of_a_clause_is_kept(
    hear: Hear, said: str, weekdays: frozenset[Weekday], start: time
) -> None:
    """A bare hour after its cue that ends a clause ("after 3, text is fine") is the hour, as
    at the end of what was said: the next clause's words are no thing it counts."""
    for expecting in (None, Slot.AVAILABILITY):
        windows = hear(said, expecting=expecting).slots.availability
        assert [(w.weekdays, w.start) for w in windows] == [(weekdays, start)]


@pytest.mark.parametrize(
    "said",
    [
        "after 3, 4 and 5 year olds",
        "after 3, maybe 4 days",
        "after 3 days, text me",
        "Mondays after 3 text is fine",
    ],
)
def test_a_number_listed_on_or_counting_a_thing_is_no_hour(hear: Hear, said: str) -> None:
    """A bare number that a clause end follows by another number ("after 3, 4 and 5 year
    olds") or that counts the word after it in its own clause is no hour."""
    assert all(w.start is None for w in hear(said).slots.availability)
