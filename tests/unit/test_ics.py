"""iCalendar import of busy time and export of a clinician's booking feed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from frontdesk.adapters.ics import AI_CATEGORY, event_uid, export_feed, import_busy
from frontdesk.domain.appointments import Appointment, AppointmentStatus, ClientRef
from frontdesk.domain.calendar import BusySource
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import AgeGroup, Modality
from frontdesk.domain.practice import Clinician, ServiceKind

ZONE = ZoneInfo("America/New_York")
DANA = Clinician(
    id="dana",
    name="Dana Reyes",
    credentials="LCSW",
    licensed_states=frozenset({"NY"}),
    modalities=frozenset({Modality.TELEHEALTH}),
    payers=frozenset(),
    specialties=(),
    age_groups=frozenset({AgeGroup.ADULT}),
    new_client_capacity=2,
)


def _ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//EHR//Export//EN\r\n{body}END:VCALENDAR\r\n"
    return text.replace("\n        ", "\n").encode()


def _appt(appointment_id: str, start: datetime, **changes: object) -> Appointment:
    base = Appointment(
        id=appointment_id,
        clinician_id="dana",
        kind=ServiceKind.FIRST_SESSION,
        start=start,
        end=start + timedelta(minutes=50),
        modality=Modality.TELEHEALTH,
        client=ClientRef(inquiry_id="inq-42"),
        booked_by_ai=True,
        booked_at=start - timedelta(days=5),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_plain_events_with_tzid_utc_and_floating_times() -> None:
    """TZID, UTC and floating times all become aware intervals at the right instant."""
    data = _ics(
        "UID:e1\r\nDTSTART;TZID=America/New_York:20260302T090000\r\nDTEND;TZID=America/New_York:20260302T100000",
        "UID:e2\r\nDTSTART:20260303T150000Z\r\nDURATION:PT30M",
        "UID:e3\r\nDTSTART:20260304T090000\r\nDTEND:20260304T093000",
    )
    busy = import_busy(data, "dana", zone=ZONE)
    assert [(b.start, b.end - b.start, b.ref) for b in busy] == [
        (datetime(2026, 3, 2, 14, tzinfo=UTC), timedelta(hours=1), "e1"),
        (datetime(2026, 3, 3, 15, tzinfo=UTC), timedelta(minutes=30), "e2"),
        (datetime(2026, 3, 4, 14, tzinfo=UTC), timedelta(minutes=30), "e3"),
    ]
    assert {(b.clinician_id, b.source) for b in busy} == {("dana", BusySource.IMPORTED)}


def test_transparent_and_cancelled_events_are_ignored() -> None:
    """Free (transparent) and cancelled events take no time."""
    data = _ics(
        "UID:free\r\nDTSTART:20260302T150000Z\r\nDTEND:20260302T160000Z\r\nTRANSP:TRANSPARENT",
        "UID:gone\r\nDTSTART:20260302T170000Z\r\nDTEND:20260302T180000Z\r\nSTATUS:CANCELLED",
        "UID:kept\r\nDTSTART:20260302T190000Z\r\nDTEND:20260302T200000Z\r\nTRANSP:OPAQUE",
    )
    assert [b.ref for b in import_busy(data, "dana", zone=ZONE)] == ["kept"]


def test_all_day_events_block_whole_local_days() -> None:
    """An all-day event over two days blocks from local midnight to local midnight."""
    data = _ics("UID:off\r\nDTSTART;VALUE=DATE:20260302\r\nDTEND;VALUE=DATE:20260304")
    (busy,) = import_busy(data, "dana", zone=ZONE)
    assert busy.start == datetime.combine(date(2026, 3, 2), time(0), tzinfo=ZONE)
    assert busy.end == datetime.combine(date(2026, 3, 4), time(0), tzinfo=ZONE)


def test_weekly_recurrence_is_expanded_with_exdate_and_override() -> None:
    """A weekly rule yields each week minus an EXDATE, a moved occurrence from its override."""
    data = _ics(
        "UID:weekly\r\nDTSTART;TZID=America/New_York:20260302T090000\r\n"
        "DTEND;TZID=America/New_York:20260302T100000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n"
        "EXDATE;TZID=America/New_York:20260309T090000",
        "UID:weekly\r\nRECURRENCE-ID;TZID=America/New_York:20260316T090000\r\n"
        "DTSTART;TZID=America/New_York:20260316T130000\r\nDTEND;TZID=America/New_York:20260316T140000",
    )
    starts = [b.start.astimezone(ZONE) for b in import_busy(data, "dana", zone=ZONE)]
    assert [(s.date(), s.hour) for s in starts] == [
        (date(2026, 3, 2), 9),
        (date(2026, 3, 16), 13),
        (date(2026, 3, 23), 9),
    ]


def test_open_ended_recurrence_stops_at_expand_until() -> None:
    """A rule without an end is expanded only up to the given moment."""
    data = _ics("UID:daily\r\nDTSTART:20260302T140000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=DAILY")
    busy = import_busy(data, "dana", zone=ZONE, expand_until=datetime(2026, 3, 5, 23, tzinfo=UTC))
    assert len(busy) == 4


def test_local_or_date_until_is_read_in_the_practice_zone() -> None:
    """An UNTIL without Z (a common export quirk) ends the rule on that local date."""
    data = _ics(
        "UID:w\r\nDTSTART;TZID=America/New_York:20260302T090000\r\nDURATION:PT1H\r\n"
        "RRULE:FREQ=WEEKLY;UNTIL=20260316"
    )
    assert len(import_busy(data, "dana", zone=ZONE)) == 3


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a calendar",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VEVENT\r\nDTSTART:20260302T140000Z\r\nEND:VEVENT\r\n",
        b"",
        _ics("UID:r\r\nDTSTART:20260302T140000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=SOMETIMES"),
    ],
)
def test_malformed_input_is_an_invalid_input_error(data: bytes) -> None:
    """Garbage, unreadable dates and non-calendars raise InvalidInput, not a library error."""
    with pytest.raises(InvalidInput):
        import_busy(data, "dana", zone=ZONE)


def test_export_marks_ai_bookings_and_keeps_uids_stable() -> None:
    """AI bookings carry the category and flag; the UID derives from the appointment id."""
    start = datetime(2026, 3, 10, 22, tzinfo=UTC)
    feed = export_feed(
        DANA, [_appt("a1", start), _appt("a2", start + timedelta(days=1), booked_by_ai=False)]
    )
    events = Calendar.from_ical(feed).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [event_uid("a1"), event_uid("a2")]
    first, second = events
    assert str(first["X-FRONTDESK-BOOKED-BY-AI"]) == "TRUE"
    assert AI_CATEGORY in first["CATEGORIES"].to_ical().decode()
    assert str(second["X-FRONTDESK-BOOKED-BY-AI"]) == "FALSE"
    assert "CATEGORIES" not in second
    assert export_feed(DANA, [_appt("a1", start)]) == export_feed(DANA, [_appt("a1", start)])


def test_export_names_no_client_details() -> None:
    """The summary names the kind and inquiry id only, and the feed holds no concern text."""
    start = datetime(2026, 3, 10, 22, tzinfo=UTC)
    feed = export_feed(DANA, [_appt("a1", start)])
    (event,) = Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["SUMMARY"]) == "First session (video) - inquiry inq-42"


def test_export_leaves_out_cancelled_and_other_clinicians() -> None:
    """Cancelled, rescheduled and other clinicians' appointments are not in the feed."""
    start = datetime(2026, 3, 10, 22, tzinfo=UTC)
    appointments = [
        _appt("live", start),
        _appt("cancelled", start, status=AppointmentStatus.CANCELLED),
        _appt("moved", start, status=AppointmentStatus.RESCHEDULED),
        _appt("sams", start, clinician_id="sam"),
    ]
    events = Calendar.from_ical(export_feed(DANA, appointments)).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [event_uid("live")]


def test_round_trip_export_then_import() -> None:
    """Importing an exported feed gives back each appointment's time as busy."""
    start = datetime(2026, 3, 10, 22, tzinfo=UTC)
    appointments = [_appt("a1", start), _appt("a2", start + timedelta(days=2))]
    busy = import_busy(export_feed(DANA, appointments), "dana", zone=ZONE)
    assert [(b.start, b.end, b.ref) for b in busy] == [
        (a.start, a.end, event_uid(a.id)) for a in appointments
    ]


def test_weekly_recurrence_keeps_local_time_across_dst() -> None:
    """A weekly 9 am event stays at 9 am local on both sides of the spring-forward change."""
    data = _ics(
        "UID:w\r\nDTSTART;TZID=America/New_York:20260302T090000\r\nDURATION:PT1H\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=2"
    )
    busy = import_busy(data, "dana", zone=ZONE)
    assert [b.start.astimezone(UTC).hour for b in busy] == [14, 13]
    assert {b.start.astimezone(ZONE).hour for b in busy} == {9}


def test_export_names_the_office_for_in_person_bookings() -> None:
    """An in-person booking's LOCATION is the office name when one is given."""
    start = datetime(2026, 3, 10, 22, tzinfo=UTC)
    office = _appt("a1", start, modality=Modality.IN_PERSON, location_id="midtown")
    feed = export_feed(DANA, [office], location_names={"midtown": "Midtown office"})
    (event,) = Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["LOCATION"]) == "Midtown office"
    assert "(in person)" in str(event["SUMMARY"])
