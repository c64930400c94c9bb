"""The practice file's scheduling sections: typed values, defaults, and line-numbered errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path

import pytest
from tests.fakes import FakeUnitOfWork
from tests.integration.test_practice_file import PRACTICE, SCRIPTS, _line_of

from frontdesk.adapters.practice_file import load_practice
from frontdesk.adapters.script_file import default_script_library
from frontdesk.domain.calendar import ExceptionKind
from frontdesk.domain.errors import PracticeFileError
from frontdesk.domain.inquiries import Modality, Weekday
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.schedule import DEFAULT_APPOINTMENT_TYPES
from frontdesk.services.openings import open_slots_for

ANA_HOURS = """\
    new_client_capacity: 3
    availability:
      monday:
        - {hours: "09:00-13:00", location: downtown, modalities: [in_person, telehealth]}
        - {hours: "14:00-19:00", modalities: [telehealth]}
      friday:
        - {hours: "09:00-12:00"}
"""
SECTIONS = """\
time_off:
  - {clinician: ana, from: "2026-07-06 00:00", to: "2026-07-13 00:00", reason: vacation}
availability_exceptions:
  - {clinician: ana, date: 2026-05-16, extra: "10:00-13:00", modalities: [telehealth]}
  - {clinician: ana, date: 2026-05-25, closed: true}
  - {clinician: ana, date: 2026-05-26, closed: "12:00-17:00"}
appointment_types:
  consult: {duration_minutes: 20, buffer_after_minutes: 5, minimum_notice_hours: 4}
  first_session:
    duration_minutes: 60
    buffer_after_minutes: 10
    minimum_notice_hours: 24
    booking_window_days: 60
slot_granularity_minutes: 15
reminders: {offsets_hours: [48, 2], quiet_hours: "21:00-08:00", sender_name: "Test"}
holidays: [2026-05-25, 2026-07-03]
waitlist: {offer_hold_minutes: 90, offers_at_once: 2}
"""


def _file(tmp_path: Path, body: str) -> Path:
    (tmp_path / "scripts.yaml").write_text(SCRIPTS, encoding="utf-8")
    path = tmp_path / "practice.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _with(hours: str = ANA_HOURS, sections: str = SECTIONS) -> str:
    first = PRACTICE.index("    new_client_capacity: 3\n")
    body = PRACTICE[:first] + hours + PRACTICE[first + len("    new_client_capacity: 3\n") :]
    return (
        body.replace(
            "telehealth:\n  platform: Doxy.me\n",
            "telehealth:\n  platform: Doxy.me\n  join_link: https://doxy.example/test\n",
        )
        + sections
    )


def _error(tmp_path: Path, body: str) -> str:
    with pytest.raises(PracticeFileError) as caught:
        load_practice(_file(tmp_path, body))
    return str(caught.value)


def test_scheduling_sections_load_into_the_schedule(tmp_path: Path) -> None:
    """Weekly blocks, time off, exceptions, types, grid, reminders, holidays, offers load typed."""
    practice = load_practice(_file(tmp_path, _with()))
    schedule = practice.schedule
    monday = [b for b in schedule.templates if b.weekday is Weekday.MONDAY]
    assert [(b.start, b.end, b.location_id, b.modalities) for b in monday] == [
        (time(9), time(13), "downtown", frozenset({Modality.IN_PERSON, Modality.TELEHEALTH})),
        (time(14), time(19), None, frozenset({Modality.TELEHEALTH})),
    ]
    (friday,) = [b for b in schedule.templates if b.weekday is Weekday.FRIDAY]
    assert friday.modalities == frozenset({Modality.TELEHEALTH})  # no location: video only
    (away,) = schedule.time_off
    assert away.start == datetime(2026, 7, 6, 5, 0, tzinfo=UTC)  # Chicago midnight in summer
    kinds = [(e.on, e.kind, e.start) for e in schedule.exceptions]
    assert kinds == [
        (date(2026, 5, 16), ExceptionKind.EXTRA, time(10)),
        (date(2026, 5, 25), ExceptionKind.CLOSED, None),
        (date(2026, 5, 26), ExceptionKind.CLOSED, time(12)),
    ]
    assert schedule.appointment_type(ServiceKind.CONSULT).duration == timedelta(minutes=20)
    ongoing = schedule.appointment_type(ServiceKind.ONGOING)
    assert ongoing == DEFAULT_APPOINTMENT_TYPES[2]  # not given: the default
    assert schedule.granularity == timedelta(minutes=15)
    assert schedule.reminders.plan.offsets == (timedelta(hours=48), timedelta(hours=2))
    assert schedule.reminders.quiet is not None
    assert schedule.reminders.quiet.start == time(21)
    assert schedule.reminders.sender_name == "Test"
    assert schedule.holidays == frozenset({date(2026, 5, 25), date(2026, 7, 3)})
    assert schedule.waitlist.hold == timedelta(minutes=90)
    assert schedule.waitlist.batch == 2
    assert practice.telehealth.join_link == "https://doxy.example/test"


def test_a_file_without_scheduling_sections_has_defaults_and_no_hours(tmp_path: Path) -> None:
    """Leaving the sections out keeps the defaults; with no hours nothing is offered."""
    practice = load_practice(_file(tmp_path, PRACTICE))
    assert practice.schedule.templates == ()
    assert practice.schedule.granularity == timedelta(minutes=30)
    assert practice.telehealth.join_link is None


@pytest.mark.parametrize(
    ("hours", "sections", "fragment", "message"),
    [
        (
            ANA_HOURS.replace("location: downtown", "location: uptown"),
            SECTIONS,
            "location: uptown",
            "does not see clients at 'uptown'",
        ),
        (
            ANA_HOURS.replace(
                '{hours: "14:00-19:00", modalities: [telehealth]}', '{hours: "19:00-14:00"}'
            ),
            SECTIONS,
            '"19:00-14:00"',
            "ends before it starts",
        ),
        (
            ANA_HOURS.replace(
                '{hours: "09:00-13:00", location: downtown, modalities: [in_person, telehealth]}',
                '{hours: "09:00-13:00", modalities: [in_person]}',
            ),
            SECTIONS,
            "modalities: [in_person]}",
            "in-person hours need a `location`",
        ),
        (
            ANA_HOURS,
            SECTIONS.replace("{clinician: ana, from", "{clinician: zed, from"),
            "clinician: zed",
            "unknown clinician id 'zed'",
        ),
        (
            ANA_HOURS,
            SECTIONS.replace(
                'extra: "10:00-13:00", modalities', 'extra: "10:00-13:00", closed: true, modalities'
            ),
            "closed: true, modalities",
            "either `extra",
        ),
        (
            ANA_HOURS,
            SECTIONS.replace("slot_granularity_minutes: 15", "slot_granularity_minutes: 7"),
            "slot_granularity_minutes: 7",
            "must divide a day",
        ),
        (
            ANA_HOURS,
            SECTIONS.replace('quiet_hours: "21:00-08:00"', 'quiet_hours: "21:00-21:00"'),
            "quiet_hours",
            "is empty",
        ),
        (
            ANA_HOURS,
            SECTIONS.replace('to: "2026-07-13 00:00"', 'to: "next week"'),
            'to: "next week"',
            "is not a date and time",
        ),
    ],
)
def test_scheduling_mistakes_name_the_field_and_line(
    tmp_path: Path, hours: str, sections: str, fragment: str, message: str
) -> None:
    """Each mistake is reported with its line in the file and a readable reason."""
    body = _with(hours, sections)
    text = _error(tmp_path, body)
    assert message in text
    assert f":{_line_of(body, fragment)}:" in text


def test_the_example_practice_is_bookable_for_the_next_sixty_days(tmp_path: Path) -> None:
    """From any date, the shipped example offers first sessions across the next 60 days."""
    example = resources.files("frontdesk.data") / "example_practice.yaml"
    path = tmp_path / "practice.yaml"
    path.write_text(example.read_text("utf-8"), encoding="utf-8")
    (tmp_path / "scripts.yaml").write_text(
        (resources.files("frontdesk.data") / "scripts" / "default.yaml").read_text("utf-8"),
        encoding="utf-8",
    )
    practice = load_practice(path)
    assert default_script_library().version
    for start in (datetime(2026, 5, 20, 15, tzinfo=UTC), datetime(2027, 2, 1, 15, tzinfo=UTC)):
        slots = open_slots_for(
            kind=ServiceKind.FIRST_SESSION,
            now=start,
            days=60,
            uow=FakeUnitOfWork(),
            practice=practice,
        )
        weeks = {(s.start - start).days // 7 for s in slots}
        assert weeks >= set(range(8))  # open slots in each of the coming eight weeks
