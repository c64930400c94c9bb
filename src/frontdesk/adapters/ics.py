"""iCalendar in and out: busy time from the EHR's export, bookings as a feed for staff.

Import reads every VEVENT of a calendar as busy time for one clinician:

- events marked `TRANSP:TRANSPARENT` (free) or `STATUS:CANCELLED` are skipped;
- all-day events block whole local days in the practice's timezone (a day off in the EHR
  must never be booked over);
- floating times (no TZID, no Z) are read in the practice's timezone;
- `RRULE` / `RDATE` / `EXDATE` recurrences are expanded from the event's start up to
  `expand_until` (by default a year after the start), with `RECURRENCE-ID` overrides
  replacing the occurrence they name. `EXRULE` and `VTIMEZONE` definitions that disagree
  with the IANA database are not honoured: TZIDs are resolved by name.

Export writes one VEVENT per appointment that still holds its time. The UID is stable per
appointment id, so a subscribed calendar updates in place. Bookings made by the AI carry
`CATEGORIES:FRONTDESK-AI` and `X-FRONTDESK-BOOKED-BY-AI:TRUE` so staff can mirror them into
the EHR. The feed names no client: the summary carries the appointment kind and the
inquiry or client id, never a name, a phone number or what the caller said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar, Event

from frontdesk.domain.appointments import Appointment, AppointmentStatus
from frontdesk.domain.calendar import BusyInterval, BusySource
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.practice import Clinician, ServiceKind

PRODID = "-//Frontdesk//Scheduling//EN"
AI_CATEGORY = "FRONTDESK-AI"
AI_PROPERTY = "X-FRONTDESK-BOOKED-BY-AI"
UID_DOMAIN = "frontdesk"
MAX_OCCURRENCES = 2000  # per recurring event, a guard against unbounded rules
_EXPORTED = frozenset(
    {AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW}
)
_KIND_LABEL = {
    ServiceKind.CONSULT: "Consult",
    ServiceKind.FIRST_SESSION: "First session",
    ServiceKind.ONGOING: "Session",
}


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return datetime.combine(value, time(0), tzinfo=zone)


def _decoded(event: Event, name: str) -> Any:
    try:
        return event.decoded(name)
    except KeyError:
        return None
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"calendar event has an unreadable {name}: {exc}") from None


def _span(event: Event, zone: ZoneInfo) -> tuple[datetime, timedelta] | None:
    """The event's first start and its length; None when it has no DTSTART."""
    start = _decoded(event, "DTSTART")
    if start is None:
        return None
    if not isinstance(start, date):
        raise InvalidInput("calendar event DTSTART is not a date or date-time")
    end = _decoded(event, "DTEND")
    duration = _decoded(event, "DURATION")
    all_day = not isinstance(start, datetime)
    begin = _aware(start, zone)
    if isinstance(end, date):
        length = _aware(end, zone) - begin
    elif isinstance(duration, timedelta):
        length = duration
    else:
        length = timedelta(days=1) if all_day else timedelta(0)
    if length <= timedelta(0):
        return None  # a zero-length event takes no time
    return begin, length


_TIME_PROPERTIES = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
)


def _refuse_unreadable_times(event: Event) -> None:
    """icalendar keeps unparsable properties aside in `errors`; for times that is fatal."""
    for name, _ in getattr(event, "errors", ()):
        if str(name).upper() in _TIME_PROPERTIES:
            raise InvalidInput(f"calendar event has an unreadable {str(name).upper()}")


def _text(event: Event, name: str) -> str:
    value = event.get(name)
    return str(value).strip().upper() if value is not None else ""


_UNTIL = re.compile(r"UNTIL=(\d{8})(?:T(\d{6}))?(Z?)")


def _until_in_utc(rule: str, zone: ZoneInfo) -> str:
    """Read a local or date-only UNTIL (common in exports) in the practice zone, as UTC."""
    match = _UNTIL.search(rule)
    if match is None or match.group(3):
        return rule
    clock = match.group(2) or "235959"
    local = datetime.strptime(match.group(1) + clock, "%Y%m%d%H%M%S").replace(tzinfo=zone)
    until = local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return rule[: match.start()] + f"UNTIL={until}" + rule[match.end() :]


def _occurrences(
    event: Event, begin: datetime, zone: ZoneInfo, until: datetime
) -> Iterator[datetime]:
    """Starts of a recurring event, from `begin` up to `until`."""
    rules = rruleset()
    try:
        rule = event.get("RRULE")
        if rule is not None:
            for single in rule if isinstance(rule, list) else [rule]:
                text = _until_in_utc(single.to_ical().decode(), zone)
                rules.rrule(rrulestr(text, dtstart=begin, ignoretz=False, forceset=False))
        else:
            rules.rdate(begin)
        for name, add in (("RDATE", rules.rdate), ("EXDATE", rules.exdate)):
            value = event.get(name)
            for listed in value if isinstance(value, list) else [value] if value else []:
                for item in listed.dts:
                    add(_aware(item.dt, zone))
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"calendar event has an unreadable recurrence: {exc}") from None
    for count, start in enumerate(rules):
        if count >= MAX_OCCURRENCES or start > until:
            return
        yield _aware(start, zone)


def import_busy(
    ics_bytes: bytes,
    clinician_id: str,
    *,
    zone: ZoneInfo,
    expand_until: datetime | None = None,
) -> list[BusyInterval]:
    """Busy intervals for one clinician from an iCalendar file, sorted by start.

    Raises `InvalidInput` naming what is wrong (never the event's text) when the file is
    not an iCalendar or an event cannot be read.
    """
    try:
        calendar = Calendar.from_ical(ics_bytes)
    except (ValueError, IndexError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"not a readable iCalendar file: {type(exc).__name__}") from None
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise InvalidInput("not an iCalendar file: no VCALENDAR")
    events = list(calendar.walk("VEVENT"))
    for event in events:
        _refuse_unreadable_times(event)
    overridden: set[tuple[str, datetime]] = set()
    for event in events:
        recurrence_id = _decoded(event, "RECURRENCE-ID")
        if isinstance(recurrence_id, date):
            overridden.add((str(event.get("UID", "")), _aware(recurrence_id, zone)))
    busy: list[BusyInterval] = []
    for event in events:
        if _text(event, "TRANSP") == "TRANSPARENT" or _text(event, "STATUS") == "CANCELLED":
            continue
        span = _span(event, zone)
        if span is None:
            continue
        begin, length = span
        uid = str(event.get("UID", "")) or None
        recurring = event.get("RRULE") is not None or event.get("RDATE") is not None
        if recurring and event.get("RECURRENCE-ID") is None:
            until = expand_until or begin + timedelta(days=365)
            starts: Iterable[datetime] = (
                start
                for start in _occurrences(event, begin, zone, until)
                if (uid or "", start) not in overridden
            )
        else:
            starts = (begin,)
        busy.extend(
            BusyInterval(clinician_id, start, start + length, BusySource.IMPORTED, uid)
            for start in starts
        )
    busy.sort(key=lambda interval: (interval.start, interval.end))
    return busy


def event_uid(appointment_id: str) -> str:
    """The stable iCalendar UID of an appointment."""
    return f"{appointment_id}@{UID_DOMAIN}"


def export_feed(
    clinician: Clinician,
    appointments: Iterable[Appointment],
    *,
    location_names: Mapping[str, str] | None = None,
) -> bytes:
    """One clinician's bookings as an iCalendar feed (times in UTC), sorted by start."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Frontdesk bookings: {clinician.name}")
    names = location_names or {}
    mine = sorted(
        (a for a in appointments if a.clinician_id == clinician.id and a.status in _EXPORTED),
        key=lambda a: (a.start, a.id),
    )
    for appointment in mine:
        event = Event()
        event.add("uid", event_uid(appointment.id))
        stamp = appointment.changed_at or appointment.booked_at or appointment.start
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", appointment.start.astimezone(UTC))
        event.add("dtend", appointment.end.astimezone(UTC))
        label = _KIND_LABEL[appointment.kind]
        how = "video" if appointment.modality is Modality.TELEHEALTH else "in person"
        event.add("summary", f"{label} ({how}) - {appointment.client.label}")
        if appointment.location_id is not None:
            event.add("location", names.get(appointment.location_id, appointment.location_id))
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("x-frontdesk-appointment-id", appointment.id)
        event.add("x-frontdesk-kind", appointment.kind.value)
        event.add(AI_PROPERTY.lower(), "TRUE" if appointment.booked_by_ai else "FALSE")
        if appointment.booked_by_ai:
            event.add("categories", [AI_CATEGORY])
            event.add("description", "Booked by Frontdesk: mirror this booking into the EHR.")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
