"""Standing commitments ("I work Tuesdays", "I drop him off at 3") say when the caller is busy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import pytest

from frontdesk.conversation.understanding.commitments import away_spans, commitment_spans
from frontdesk.conversation.understanding.normalize import numberize, words
from frontdesk.conversation.understanding.result import Slot, Understanding
from frontdesk.domain.inquiries import Weekday

Hear = Callable[..., Understanding]
MON, TUE, WED, THU, FRI, SAT, SUN = tuple(Weekday)
WEEKDAYS = frozenset({MON, TUE, WED, THU, FRI})
Window = tuple[frozenset[Weekday], date | None, time | None, time | None]

# NOW is Wednesday 11 June 2025, 10:00 in Chicago.
COMMITMENTS = [
    "I work Tuesdays",
    "I work on Tuesdays",
    "I usually work weekends",
    "I have to work Saturdays",
    "I work mornings",
    "my husband works nights",
    "I have class Mondays",
    "I have class on Mondays and Wednesdays",
    "I have school Mondays",
    "we have church Sunday mornings",
    "she has soccer practice on Saturdays",
    "I have work at 9",
    "I have a doctor's appointment Thursday",
    "class is on Mondays",
    "school starts at 8",
    "I drop him off at 3",
    "I'm dropping her off at 8",
    "I pick up my daughter at 3:30",
    "I pick her up from school at 3:30",
    "I can't do Mondays and Wednesdays",
    "I have an appointment Friday at 2",
    "I've got an appointment on Friday at 2",
    "she has a dentist appointment Friday at 2",
    "my son has a checkup Monday",
    "I have a prior commitment on Thursday",
    "we have plans Saturday morning",
    "I'm busy Friday at 2",
    "I'm tied up Tuesday afternoon",
    "I'm out of town until the 20th",
    "I've told my bank that I'm in Mexico from August 1 to August 5",
    "we will be in New York from June 20 to June 24",
    "I'll be on vacation Monday through Wednesday",
    "I'll be out of the country Monday through Wednesday",
    "I'm away until the 20th",
    "we're in Florida until the 20th",
    "my husband is at a conference Thursday",
    "I'll be gone Monday through Wednesday",
    "she is visiting family on Friday",
]


@pytest.mark.parametrize("said", COMMITMENTS)
def test_a_standing_commitment_is_no_availability(hear: Hear, said: str) -> None:
    """A day or time said of work, class, practice, an appointment or a drop-off is when the
    caller is busy: no window, asked or not, and no free words kept at the availability
    question (the same for the days listed on after a refusal)."""
    for expecting in (None, Slot.AVAILABILITY, Slot.TELEHEALTH_PRIVATE_SPACE):
        heard = hear(said, expecting=expecting)
        assert heard.slots.availability == ()
        assert not heard.speaks_of_time


# Each commitment said beside an offer, or as the point an offer starts from: the offer is
# kept and the commitment's day or time is not.
OFFERS: list[tuple[str, Window]] = [
    ("I work Tuesdays, but Wednesdays are good", (frozenset({WED}), None, None, None)),
    (
        "I have class Mondays and Wednesdays so Tuesdays or Thursdays",
        (frozenset({TUE, THU}), None, None, None),
    ),
    ("I have to work Saturdays, weekdays after 5 are good", (WEEKDAYS, None, time(17), None)),
    ("my husband works nights so mornings are best", (frozenset(), None, time(8), time(12))),
    (
        "I have school Mondays, Friday afternoon works",
        (frozenset(), date(2025, 6, 13), time(12), time(17)),
    ),
    ("I'm free after I drop him off at 3", (frozenset(), None, time(15), None)),
    ("after I drop him off at 3", (frozenset(), None, time(15), None)),
    ("Thursdays after I drop him off at 3 works best", (frozenset({THU}), None, time(15), None)),
    ("weekdays after I pick her up at 3:30", (WEEKDAYS, None, time(15, 30), None)),
    ("once I pick up my son at 4", (frozenset(), None, time(16), None)),
    ("I'm free before I pick her up at 3", (frozenset(), None, None, time(15))),
    ("I work until 5", (frozenset(), None, time(17), None)),
    ("I work Tuesdays until 5", (frozenset({TUE}), None, time(17), None)),
    ("I have class Mondays until 3", (frozenset({MON}), None, time(15), None)),
    ("I get off work at 5", (frozenset(), None, time(17), None)),
    ("I'm off Tuesdays", (frozenset({TUE}), None, None, None)),
    ("Mondays work for me", (frozenset({MON}), None, None, None)),
    ("I can't do Mondays, but Tuesdays and Thursdays", (frozenset({TUE, THU}), None, None, None)),
    ("I'm free Mondays and Wednesdays", (frozenset({MON, WED}), None, None, None)),
    (
        "email is best for reminders, um, Mondays and Wednesdays after 3",
        (frozenset({MON, WED}), None, time(15), None),
    ),
    (
        "I've been struggling with grief after losing a parent and Mondays and Wednesdays after 3",
        (frozenset({MON, WED}), None, time(15), None),
    ),
    ("after 3 when school is out", (frozenset(), None, time(15), None)),
    (
        "I have an appointment Friday at 2, but Thursday afternoon works",
        (frozenset(), date(2025, 6, 12), time(12), time(17)),
    ),
    ("I'm busy Mondays, but Tuesdays work", (frozenset({TUE}), None, None, None)),
    ("I'm not busy Tuesdays", (frozenset({TUE}), None, None, None)),
    ("can I have an appointment Friday at 2", (frozenset(), date(2025, 6, 13), time(14), time(15))),
    ("may I have an appointment Friday at 2", (frozenset(), date(2025, 6, 13), time(14), time(15))),
    ("I'm out of town Tuesday, but Wednesday works", (frozenset(), date(2025, 6, 18), None, None)),
    (
        "I'm free while I'm away next Tuesday",
        (frozenset(), date(2025, 6, 17), None, None),
    ),
    (
        "I'm home from Mexico after the 5th, so any day after",
        (frozenset(), date(2025, 7, 5), None, None),
    ),
    ("I'm in town from the 20th", (frozenset(), date(2025, 6, 20), None, None)),
    (
        "I'm out of town until the 16th, but the 18th works",
        (frozenset(), date(2025, 6, 18), None, None),
    ),
]


@pytest.mark.parametrize(("said", "window"), OFFERS)
def test_the_offer_beside_a_commitment_is_kept(hear: Hear, said: str, window: Window) -> None:
    """What the caller offers is kept beside a commitment ("I work Tuesdays, but Wednesdays
    are good"), and a deed said as the point an offer starts or ends at is that bound ("I'm
    free after I drop him off at 3" is from 3, not the hour from 3)."""
    for expecting in (None, Slot.AVAILABILITY):
        windows = hear(said, expecting=expecting).slots.availability
        assert [(w.weekdays, w.on, w.start, w.end) for w in windows] == [window]


@pytest.mark.parametrize(
    "said",
    [
        "I have an appointment Friday at 2 and need to cancel it",
        "I have an appointment Friday at 2, can I move it",
    ],
)
def test_an_appointment_of_ours_keeps_its_time(hear: Hear, said: str) -> None:
    """Said with a need about it (cancel, move), "I have an appointment Friday at 2" is the
    practice's appointment: its time is kept for the flow to name the appointment by."""
    windows = hear(said).slots.availability
    assert [(w.on, w.start) for w in windows] == [(date(2025, 6, 13), time(14))]


def test_a_constraint_with_no_day_offered_is_kept_only_as_words(hear: Hear) -> None:
    """ "I work Tuesdays so any other day" names no window (Tuesday is not offered), but its
    words speak of days, so the availability question keeps them as said for staff."""
    heard = hear("I work Tuesdays so any other day", expecting=Slot.AVAILABILITY)
    assert heard.slots.availability == ()
    assert heard.speaks_of_time


@pytest.mark.parametrize(
    "said",
    [
        "would Tuesday work",
        "who do you work for",
        "does Dr. Reyes work Saturdays",
        "I'll pick Tuesday",
        "pick a time",
        "after I drop him off",
        "I'm free after work",
        "school is out at 3",
    ],
)
def test_words_that_state_no_commitment(said: str) -> None:
    """A day that works, an employer, a question about a clinician, a pick, or a deed after
    "after" is no commitment of the caller's."""
    assert commitment_spans(numberize(words(said))) == []


def test_the_time_after_being_away_is_kept_as_said(hear: Hear) -> None:
    """ "I'm out of town until the 5th, anytime after that works": the days away are no
    availability, and the offer after them names no day of its own, so the availability
    question keeps the words as said for staff."""
    heard = hear(
        "I'm out of town until the 5th, anytime after that works", expecting=Slot.AVAILABILITY
    )
    assert heard.slots.availability == ()
    assert heard.speaks_of_time


@pytest.mark.parametrize(
    "said",
    [
        "I'm in town from the 20th",
        "I'll be in Wisconsin from Monday on",
        "I need an appointment right away",
        "after I'm back from vacation",
        "once we are out of town",
        "I'm in person Tuesdays",
        "I'm 10 minutes away",
        "my trip to Mexico was great",
    ],
)
def test_words_that_say_no_one_is_away(said: str) -> None:
    """Being in town, "right away", the point an offer starts from or a trip spoken of is no
    absence."""
    assert away_spans(numberize(words(said))) == []
