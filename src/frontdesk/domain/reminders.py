"""Reminder scheduling, reply parsing and the lint that keeps reminder text discreet.

A reminder is a `ScheduledMessage` row: what to send (a script line id and values), to
whom (the appointment), on which channel and when. The worker sends each row once, keyed
by `ScheduledMessage.key`. Reminder text can be read by anyone who sees the client's phone
or inbox, so it never names a diagnosis, a kind of care or a session type; `lint_template`
enforces that on every reminder line of the script library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from frontdesk.conversation.lines import REMINDER_LINES as REMINDER_LINES
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say, ScriptLibrary, placeholders_of
from frontdesk.domain.appointments import Appointment, AppointmentStatus
from frontdesk.domain.calendar import spoken_when
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Modality, ReminderPreference
from frontdesk.domain.practice import ServiceKind

REMINDER_PREFIX = "reminder_"
"""Every line sent about an appointment or an opening starts with this and is linted."""
LINE_APPOINTMENT: Line = Line.REMINDER_APPOINTMENT
LINE_FIRST_VIDEO: Line = Line.REMINDER_FIRST_SESSION_TELEHEALTH
LINE_FIRST_IN_PERSON: Line = Line.REMINDER_FIRST_SESSION_IN_PERSON
LINE_CALL: Line = Line.REMINDER_CALL
# Values a reminder may carry; anything else (a concern, a service name) is refused.
ALLOWED_PLACEHOLDERS: frozenset[str] = frozenset(
    {"when", "clinician", "practice", "link", "address", "phone"}
)


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """How long before an appointment reminders go out, furthest first."""

    offsets: tuple[timedelta, ...] = (timedelta(hours=48), timedelta(hours=2))

    def __post_init__(self) -> None:
        if any(offset <= timedelta(0) for offset in self.offsets):
            raise InvalidInput("reminder offsets must be positive")
        if len(set(self.offsets)) != len(self.offsets):
            raise InvalidInput("reminder offsets must be distinct")


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local hours when no text goes out, e.g. 21:00 to 08:00 (may wrap past midnight)."""

    start: time
    end: time

    def contains(self, local: datetime) -> bool:
        clock = local.time().replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def latest_before(self, local: datetime) -> datetime:
        """The last minute before the quiet period that contains `local` began."""
        day = local.date()
        if self.start > self.end and local.time().replace(tzinfo=None) < self.end:
            day -= timedelta(days=1)
        begun = datetime.combine(day, self.start, tzinfo=local.tzinfo)
        return begun - timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class ScheduledMessage:
    """One message to send at `send_at`; `key` makes sending idempotent across restarts."""

    key: str
    appointment_id: str
    channel: ReminderPreference
    send_at: datetime
    say: Say


def reminder_line(
    appointment: Appointment, channel: ReminderPreference = ReminderPreference.SMS
) -> Line:
    """The script line for this appointment: a phone call has its own spoken line; written
    first-session reminders say where or how to join."""
    if channel is ReminderPreference.CALL:
        return LINE_CALL
    if appointment.kind is not ServiceKind.FIRST_SESSION:
        return LINE_APPOINTMENT
    if appointment.modality is Modality.TELEHEALTH:
        return LINE_FIRST_VIDEO
    return LINE_FIRST_IN_PERSON


def reminders_for(
    appointment: Appointment,
    channel: ReminderPreference,
    plan: ReminderPlan,
    now: datetime,
    *,
    zone: ZoneInfo,
    clinician: str,
    practice: str,
    link: str | None = None,
    address: str | None = None,
    phone: str | None = None,
    quiet: QuietHours | None = None,
) -> list[ScheduledMessage]:
    """The reminders still worth sending for a booked appointment, earliest first.

    A send time already past is skipped; one falling in quiet hours moves to just before
    they began, and is skipped if that is past too. A written first-session reminder carries
    the video `link` or the `address`, and a phone-call reminder the practice's `phone`
    (as it is spoken), which must then be given.
    """
    if appointment.status is not AppointmentStatus.BOOKED:
        return []
    line = reminder_line(appointment, channel)
    values = {"when": spoken_when(appointment.start, zone), "clinician": clinician}
    values["practice"] = practice
    if line == LINE_FIRST_VIDEO:
        if not link:
            raise InvalidInput(f"appointment {appointment.id} reminder needs the video link")
        values["link"] = link
    elif line == LINE_FIRST_IN_PERSON:
        if not address:
            raise InvalidInput(f"appointment {appointment.id} reminder needs the address")
        values["address"] = address
    elif line == LINE_CALL:
        if not phone:
            raise InvalidInput(f"appointment {appointment.id} reminder needs the phone number")
        values["phone"] = phone
    say = Say.of(line.value, **values)
    out: dict[datetime, ScheduledMessage] = {}
    for offset in sorted(plan.offsets, reverse=True):
        send_at = (appointment.start - offset).astimezone(zone)
        if quiet is not None and quiet.contains(send_at):
            send_at = quiet.latest_before(send_at)
        if send_at <= now or send_at in out:
            continue
        minutes = int(offset.total_seconds() // 60)
        key = f"reminder:{appointment.id}:{minutes}m"
        out[send_at] = ScheduledMessage(key, appointment.id, channel, send_at, say)
    return sorted(out.values(), key=lambda message: message.send_at)


def spoken_number(number: str) -> str:
    """A phone number as a voice reads it back: digit by digit, in its usual groups
    (`+13125550142` -> `3 1 2, 5 5 5, 0 1 4 2`)."""
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    groups = [digits[:3], digits[3:6], digits[6:]] if len(digits) == 10 else [digits]
    return ", ".join(" ".join(group) for group in groups)


class ReplyKind(StrEnum):
    CONFIRM = "confirm"
    RESCHEDULE = "reschedule"
    STOP = "stop"
    START = "start"
    HELP = "help"
    OTHER = "other"


# Carrier opt-out and opt-in keywords: the whole message, any case, trimmed. "CANCEL" is
# an opt-out by this convention, so reminder text asks for C or R, never for "cancel".
STOP_WORDS: frozenset[str] = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS: frozenset[str] = frozenset({"START", "UNSTOP"})
HELP_WORDS: frozenset[str] = frozenset({"HELP", "INFO"})
CONFIRM_WORDS: frozenset[str] = frozenset(
    {"C", "Y", "YES", "YEP", "YEAH", "CONFIRM", "CONFIRMED", "OK", "OKAY", "SURE"}
)
RESCHEDULE_WORDS: frozenset[str] = frozenset({"R", "RESCHEDULE", "CHANGE", "MOVE"})
_TOKEN = re.compile(r"[A-Za-z]+")


def parse_reply(text: str) -> ReplyKind:
    """What a text reply to a reminder asks for.

    Opt-out, opt-in and help keywords count only as the whole message (as carriers match
    them); confirm and reschedule are read from the first word ("Yes, see you then").
    """
    words = [word.upper() for word in _TOKEN.findall(text)]
    if not words:
        return ReplyKind.OTHER
    if len(words) == 1:
        (word,) = words
        if word in STOP_WORDS:
            return ReplyKind.STOP
        if word in START_WORDS:
            return ReplyKind.START
        if word in HELP_WORDS:
            return ReplyKind.HELP
    if words[0] in CONFIRM_WORDS:
        return ReplyKind.CONFIRM
    if words[0] in RESCHEDULE_WORDS or "RESCHEDULE" in words:
        return ReplyKind.RESCHEDULE
    return ReplyKind.OTHER


# Words that would tell a reader of the client's phone what the appointment is about.
FLAGGED_TERMS: tuple[str, ...] = (
    "therapy",
    "therapist",
    "therapeutic",
    "counseling",
    "counselling",
    "counselor",
    "counsellor",
    "psychotherapy",
    "psychotherapist",
    "psychiatric",
    "psychiatrist",
    "psychiatry",
    "psychological",
    "psychologist",
    "mental health",
    "behavioral health",
    "behavioural health",
    "depression",
    "anxiety",
    "diagnosis",
    "diagnosed",
    "disorder",
    "trauma",
    "ptsd",
    "adhd",
    "bipolar",
    "addiction",
    "substance",
    "suicide",
    "treatment",
    "medication",
    "clinical",
    "session",
    "intake",
    "consult",
    "consultation",
    "assessment",
    "evaluation",
    "couples",
    "first session",
    "ongoing",
)
_FLAGGED = re.compile(
    r"\b(" + "|".join(re.escape(term).replace(r"\ ", r"\s+") for term in FLAGGED_TERMS) + r")s?\b",
    re.IGNORECASE,
)


def lint_template(text: str) -> list[str]:
    """Problems that make a reminder text indiscreet; empty means it may be sent.

    Flags diagnosis, care-type and session-type words, and placeholders outside
    `ALLOWED_PLACEHOLDERS` (a `{concern}` would leak the caller's own words).
    """
    problems = [
        f"mentions {' '.join(m.group(1).lower().split())!r}" for m in _FLAGGED.finditer(text)
    ]
    problems.extend(
        f"placeholder {{{name}}} is not allowed in reminders"
        for name in sorted(placeholders_of(text) - ALLOWED_PLACEHOLDERS)
    )
    return problems


def lint_library(library: ScriptLibrary, line_ids: Iterable[str] | None = None) -> list[str]:
    """Lint problems of every reminder line (ids starting "reminder_"), prefixed by line id."""
    ids = sorted(line_ids if line_ids is not None else library.lines)
    return [
        f"{line_id}: {problem}"
        for line_id in ids
        if line_id.startswith(REMINDER_PREFIX)
        for problem in lint_template(library.line(line_id).text)
    ]
