"""Reminder scheduling, reply parsing and the discretion lint of reminder text."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from frontdesk.adapters.script_file import default_script_library
from frontdesk.conversation.lines import REMINDER_LINES as SHIPPED_REMINDER_LINES
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import ScriptLibrary, ScriptLine
from frontdesk.domain.appointments import AppointmentStatus, mark
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Modality, ReminderPreference
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.reminders import (
    LINE_APPOINTMENT,
    LINE_FIRST_IN_PERSON,
    LINE_FIRST_VIDEO,
    REMINDER_LINES,
    REMINDER_PREFIX,
    QuietHours,
    ReminderPlan,
    ReplyKind,
    lint_library,
    lint_template,
    parse_reply,
    reminders_for,
    spoken_number,
)

from .builders import ZONE, appointment, local

START = local(date(2026, 3, 10), 18)  # Tuesday 6 pm
NOW = local(date(2026, 3, 1), 9)
PLAN = ReminderPlan((timedelta(hours=48), timedelta(hours=2)))
SMS = ReminderPreference.SMS

# Reminder wording a practice would approve: no care type, diagnosis or session type.
APPROVED = {
    LINE_APPOINTMENT: "{practice}: a reminder of your appointment with {clinician} on {when}. "
    "Reply C to confirm or R to reschedule.",
    LINE_FIRST_VIDEO: "{practice}: your first appointment with {clinician} is {when}. "
    "Join by video at {link}. Reply C to confirm or R to reschedule.",
    LINE_FIRST_IN_PERSON: "{practice}: your first appointment with {clinician} is {when} "
    "at {address}. Reply C to confirm or R to reschedule.",
}


def _remind(appt=None, **kwargs):  # type: ignore[no-untyped-def]
    fields = {
        "zone": ZONE,
        "clinician": "Dana Reyes",
        "practice": "Maple Street",
        "link": "https://v.example/x",
    }
    fields.update(kwargs)
    return reminders_for(appt or appointment(START), SMS, PLAN, fields.pop("now", NOW), **fields)


def test_reminders_at_each_offset_with_stable_keys() -> None:
    """Each offset gives one message, earliest first, keyed by appointment and offset."""
    messages = _remind()
    assert [m.send_at for m in messages] == [
        START - timedelta(hours=48),
        START - timedelta(hours=2),
    ]
    assert [m.key for m in messages] == ["reminder:a1:2880m", "reminder:a1:120m"]
    assert {m.channel for m in messages} == {SMS}


def test_a_phone_call_reminder_speaks_its_own_line_with_the_number_to_call() -> None:
    """A client reminded by phone call gets the spoken line, carrying the practice's number
    as it is read aloud, for every kind of appointment."""
    first = appointment(START, kind=ServiceKind.FIRST_SESSION, modality=Modality.TELEHEALTH)
    messages = reminders_for(
        first,
        ReminderPreference.CALL,
        PLAN,
        NOW,
        zone=ZONE,
        clinician="Dana Reyes",
        practice="Maple Street",
        phone="3 1 2, 5 5 5, 0 1 4 2",
    )
    assert {m.say.line_id for m in messages} == {Line.REMINDER_CALL.value}
    values = dict(messages[0].say.values)
    assert values["phone"] == "3 1 2, 5 5 5, 0 1 4 2"
    assert "link" not in values


def test_a_phone_call_reminder_needs_the_number() -> None:
    """Without the practice's number a phone-call reminder is refused, not sent half-filled."""
    with pytest.raises(InvalidInput, match="phone"):
        reminders_for(
            appointment(START),
            ReminderPreference.CALL,
            PLAN,
            NOW,
            zone=ZONE,
            clinician="Dana Reyes",
            practice="Maple Street",
        )


@pytest.mark.parametrize(
    ("number", "spoken"),
    [("+13125550142", "3 1 2, 5 5 5, 0 1 4 2"), ("+442071838750", "4 4 2 0 7 1 8 3 8 7 5 0")],
)
def test_numbers_are_spoken_digit_by_digit_in_their_groups(number: str, spoken: str) -> None:
    """A North American number is read as area code, exchange and line; others digit by digit."""
    assert spoken_number(number) == spoken


def test_past_send_times_are_skipped() -> None:
    """A reminder whose time has passed is not scheduled."""
    messages = _remind(now=START - timedelta(hours=24))
    assert [m.key for m in messages] == ["reminder:a1:120m"]


def test_first_session_by_video_carries_the_link() -> None:
    """A first video session's reminder uses the video line with the link."""
    say = _remind()[0].say
    assert say.line_id == LINE_FIRST_VIDEO
    assert dict(say.values)["link"] == "https://v.example/x"
    assert dict(say.values)["when"] == "Tuesday the 10th at 6 pm"


def test_first_session_in_person_carries_the_address() -> None:
    """A first in-person session's reminder uses the address line, and needs the address."""
    office = appointment(START, modality=Modality.IN_PERSON, location_id="midtown")
    say = _remind(office, address="12 Maple St")[0].say
    assert (say.line_id, dict(say.values)["address"]) == (LINE_FIRST_IN_PERSON, "12 Maple St")
    with pytest.raises(InvalidInput):
        _remind(office)


def test_ongoing_sessions_use_the_plain_line() -> None:
    """Later sessions get the plain reminder without link or address."""
    say = _remind(appointment(START, kind=ServiceKind.ONGOING))[0].say
    assert say.line_id == LINE_APPOINTMENT
    assert "link" not in dict(say.values)


def test_no_reminders_for_cancelled_appointments() -> None:
    """Only booked appointments are reminded."""
    assert _remind(mark(appointment(START), AppointmentStatus.CANCELLED)) == []


def test_quiet_hours_move_a_reminder_earlier() -> None:
    """A 7 am appointment's 2-hour reminder falls in quiet hours and goes out the evening before."""
    early = appointment(local(date(2026, 3, 10), 7))
    quiet = QuietHours(time(21), time(8))
    messages = _remind(early, quiet=quiet)
    assert messages[-1].send_at == local(date(2026, 3, 9), 20, 59)


def test_plan_refuses_bad_offsets() -> None:
    """Offsets must be positive and distinct."""
    with pytest.raises(InvalidInput):
        ReminderPlan((timedelta(0),))
    with pytest.raises(InvalidInput):
        ReminderPlan((timedelta(hours=2), timedelta(hours=2)))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("STOP", ReplyKind.STOP),
        (" stop ", ReplyKind.STOP),
        ("Unsubscribe", ReplyKind.STOP),
        ("STOPALL", ReplyKind.STOP),
        ("cancel", ReplyKind.STOP),
        ("End.", ReplyKind.STOP),
        ("quit", ReplyKind.STOP),
        ("START", ReplyKind.START),
        ("unstop", ReplyKind.START),
        ("HELP", ReplyKind.HELP),
        ("C", ReplyKind.CONFIRM),
        ("Yes, see you then!", ReplyKind.CONFIRM),
        ("ok", ReplyKind.CONFIRM),
        ("R", ReplyKind.RESCHEDULE),
        ("I need to reschedule please", ReplyKind.RESCHEDULE),
        ("please stop texting me so much", ReplyKind.OTHER),
        ("who is this?", ReplyKind.OTHER),
        ("👍", ReplyKind.OTHER),
        ("", ReplyKind.OTHER),
    ],
)
def test_parse_reply(text: str, kind: ReplyKind) -> None:
    """Carrier keywords count as the whole message; confirm and reschedule read the first word."""
    assert parse_reply(text) is kind


def test_approved_reminder_lines_pass_the_lint() -> None:
    """The reminder wording above names no care type, diagnosis or session type."""
    library = ScriptLibrary({k: ScriptLine(k, v) for k, v in APPROVED.items()})
    assert lint_library(library) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Your therapy appointment is {when}.", "mentions 'therapy'"),
        ("See your Therapist on {when}.", "mentions 'therapist'"),
        ("Counseling reminder: {when}", "mentions 'counseling'"),
        ("Your mental   health check-in {when}", "mentions 'mental health'"),
        ("Anxiety group meets {when}", "mentions 'anxiety'"),
        ("Your first session is {when}", "mentions 'first session'"),
        ("Your consultation is {when}", "mentions 'consultation'"),
        ("About your {concern}", "placeholder {concern} is not allowed in reminders"),
    ],
)
def test_lint_flags_indiscreet_text(text: str, problem: str) -> None:
    """Care types, diagnoses, session types and the caller's concern are flagged."""
    assert problem in lint_template(text)


def test_lint_library_names_the_line_and_skips_other_lines() -> None:
    """Problems are prefixed by line id; non-reminder lines are not reminder text."""
    library = ScriptLibrary(
        {
            "reminder_appointment": ScriptLine("reminder_appointment", "Your therapy is {when}"),
            "greeting": ScriptLine("greeting", "Thanks for calling our therapy practice."),
        }
    )
    assert lint_library(library) == ["reminder_appointment: mentions 'therapy'"]


def test_shipped_script_library_reminder_lines_pass_the_lint() -> None:
    """Every reminder line in the shipped default script library is discreet."""
    library = default_script_library()
    assert lint_library(library) == []
    assert lint_library(library, REMINDER_LINES & library.lines.keys()) == []


def test_shipped_script_library_has_every_reminder_line_and_each_is_discreet() -> None:
    """The shipped library holds every reminder line, each discreet; the texts ask for C or R
    and the spoken one gives the number to call."""
    library = default_script_library()
    assert library.lines.keys() >= SHIPPED_REMINDER_LINES
    for line_id in sorted(SHIPPED_REMINDER_LINES):
        text = library.line(line_id).text
        assert lint_template(text) == [], line_id
        if line_id != Line.REMINDER_CALL:
            assert "Reply C to confirm or R to reschedule" in text, line_id
    assert library.line(Line.REMINDER_CALL).placeholders >= {"phone"}
    assert library.line(Line.REMINDER_FIRST_SESSION_TELEHEALTH).placeholders >= {"link"}
    assert library.line(Line.REMINDER_FIRST_SESSION_IN_PERSON).placeholders >= {"address"}


def test_shipped_texts_to_callers_are_discreet() -> None:
    """The missed-call follow-up and the replies to texts name no care or session type either."""
    library = default_script_library()
    for line_id in (Line.MISSED_CALL_TEXT, Line.SMS_RECEIVED, Line.SMS_UNAVAILABLE, Line.SMS_HELP):
        problems = lint_template(library.line(line_id).text)
        assert [p for p in problems if p.startswith("mentions")] == [], line_id


def test_shipped_waitlist_and_reply_texts_are_discreet_and_opening_lines_are_linted() -> None:
    """The opening offer, "gone" and reply texts name no care type, and the opening lines
    carry the `reminder_` prefix so `lint_library` checks them."""
    library = default_script_library()
    opening = (Line.REMINDER_OPENING_OFFER, Line.REMINDER_OPENING_GONE)
    replies = (
        Line.SMS_CONFIRMED,
        Line.SMS_RESCHEDULE_RECEIVED,
        Line.SMS_OFFER_BOOKED,
        Line.SMS_OFFER_GONE,
    )
    for line_id in (*opening, *replies):
        assert lint_template(library.line(line_id).text) == [], line_id
    assert all(line_id.startswith(REMINDER_PREFIX) for line_id in opening)
    assert library.line(Line.REMINDER_OPENING_OFFER).placeholders == {
        "practice",
        "when",
        "clinician",
    }
    indiscreet = ScriptLibrary(
        {Line.REMINDER_OPENING_OFFER: ScriptLine(Line.REMINDER_OPENING_OFFER, "Therapy {when}")}
    )
    assert lint_library(indiscreet) == ["reminder_opening_offer: mentions 'therapy'"]
