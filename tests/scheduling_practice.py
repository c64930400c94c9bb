"""A bookable practice for the scheduling services, CLI and integration tests.

`make_scheduling_practice()` is `make_practice()` with weekly hours for its three
clinicians (Chicago time), the reminder and waitlist-offer lines, and a video join link.
`NOW` is a Monday morning; `intake()` describes an adult in Illinois paying with Aetna.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Any

from frontdesk.domain.calendar import WeeklyBlock
from frontdesk.domain.clients import Contact
from frontdesk.domain.inquiries import Intake, Modality, Payment, ReminderPreference, Weekday
from frontdesk.domain.practice import Practice, Telehealth
from frontdesk.domain.schedule import ScheduleConfig
from tests.practice_builders import DEFAULT_LINES, LOCATION, make_practice, make_script_library

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 9:00 in Chicago
BOTH = frozenset({Modality.IN_PERSON, Modality.TELEHEALTH})
VIDEO = frozenset({Modality.TELEHEALTH})
PHONE = "+13125550177"
CONTACT = Contact(ReminderPreference.SMS, PHONE)

SCHEDULING_LINES = {
    **DEFAULT_LINES,
    "reminder_appointment": "{practice}: reminder of your appointment {when} with {clinician}. "
    "Reply C to confirm or R to reschedule.",
    "reminder_first_session_telehealth": "{practice}: your appointment is {when} with "
    "{clinician}. Join here: {link}. Reply C to confirm or R to reschedule.",
    "reminder_first_session_in_person": "{practice}: your appointment is {when} with "
    "{clinician} at {address}. Reply C to confirm or R to reschedule.",
    "reminder_call": "{practice} reminds you of your appointment {when} with {clinician}. "
    "To change it, call {phone}.",
    "reminder_opening_offer": "{practice}: a time opened {when} with {clinician}. "
    "Reply YES to take it.",
    "reminder_opening_gone": "{practice}: the time {when} has been taken. You stay on our list.",
}


def templates() -> tuple[WeeklyBlock, ...]:
    """Ana weekday mornings (office or video), Ben Wednesdays at the office, Cleo by video."""
    ana = [
        WeeklyBlock("ana_lopez", day, time(9), time(12), LOCATION.id, BOTH)
        for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY)
    ]
    ben = [
        WeeklyBlock(
            "ben_carter",
            Weekday.WEDNESDAY,
            time(9),
            time(17),
            LOCATION.id,
            frozenset({Modality.IN_PERSON}),
        )
    ]
    cleo = [
        WeeklyBlock("cleo_park", day, time(13), time(17), None, VIDEO)
        for day in (Weekday.TUESDAY, Weekday.THURSDAY)
    ]
    return (*ana, *ben, *cleo)


def make_scheduling_practice(**schedule: Any) -> Practice:
    """The test practice with hours; keyword arguments replace `ScheduleConfig` fields."""
    config = replace(ScheduleConfig(templates=templates()), **schedule)
    return make_practice(
        scripts=make_script_library(SCHEDULING_LINES),
        schedule=config,
        telehealth=Telehealth("Doxy.me", "In the browser.", "https://doxy.example/room"),
    )


def intake(**changes: Any) -> Intake:
    """An adult in Illinois paying with Aetna, open to video or the office."""
    base = Intake(
        client_age=34,
        modality=Modality.HYBRID,
        state="IL",
        payment=Payment.INSURANCE,
        payer="aetna",
        callback_number=PHONE,
        reminder_preference=ReminderPreference.SMS,
    )
    return replace(base, **changes)
