"""What a caller tells the front desk during intake, as typed values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum


class ForWhom(StrEnum):
    SELF = "self"
    CHILD = "child"
    PARTNER = "partner"
    FAMILY = "family"
    OTHER = "other"


class Modality(StrEnum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"
    HYBRID = "hybrid"


class Payment(StrEnum):
    INSURANCE = "insurance"
    PRIVATE_PAY = "private_pay"
    SLIDING_SCALE = "sliding_scale"


class ReminderPreference(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    CALL = "call"


class AgeGroup(StrEnum):
    """Age bands clinicians declare they see."""

    CHILD = "child"  # 0-12
    ADOLESCENT = "adolescent"  # 13-17
    ADULT = "adult"  # 18-64
    OLDER_ADULT = "older_adult"  # 65+

    @staticmethod
    def for_age(age: int) -> AgeGroup:
        if age < 13:
            return AgeGroup.CHILD
        if age < 18:
            return AgeGroup.ADOLESCENT
        if age < 65:
            return AgeGroup.ADULT
        return AgeGroup.OLDER_ADULT


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def number(self) -> int:
        """Monday is 0, as `datetime.weekday()`."""
        return _WEEKDAY_NUMBERS[self]

    @staticmethod
    def of(moment: date) -> Weekday:
        return _WEEKDAYS[moment.weekday()]


_WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)
_WEEKDAY_NUMBERS: dict[Weekday, int] = {day: n for n, day in enumerate(_WEEKDAYS)}


@dataclass(frozen=True, slots=True)
class AvailabilityWindow:
    """When the client can attend, in the practice's local time.

    Either recurring (`weekdays` set, `on` None) or on one date (`on` set). `start`/`end`
    None mean open-ended ("after 5" has only `start`; "mornings before 10" has both).
    `text` keeps the caller's own words for staff.
    """

    text: str
    weekdays: frozenset[Weekday] = frozenset()
    on: date | None = None
    start: time | None = None
    end: time | None = None

    def contains(self, moment: datetime) -> bool:
        """Whether a local, naive-or-aware datetime falls inside this window."""
        if self.on is not None and moment.date() != self.on:
            return False
        if self.weekdays and Weekday.of(moment) not in self.weekdays:
            return False
        clock = moment.time().replace(tzinfo=None)
        if self.start is not None and clock < self.start:
            return False
        return not (self.end is not None and clock >= self.end)


@dataclass(frozen=True, slots=True)
class TelehealthConstraints:
    """The client's set-up for video sessions, as they describe it."""

    private_space: bool | None = None
    device: bool | None = None
    connection: bool | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Intake:
    """Everything captured about a prospective client. Unknown is None, never guessed."""

    for_whom: ForWhom | None = None
    client_age: int | None = None
    client_name: str | None = None
    # Read back to the caller, who never said yes or no (they hung up, or the call moved on).
    client_name_unconfirmed: bool = False
    date_of_birth: date | None = None  # the client's, when the caller offers it (never asked)
    modality: Modality | None = None
    state: str | None = None  # two-letter code where the client will be during sessions
    payment: Payment | None = None
    payer: str | None = None  # payer id from the practice file
    # An insurer the caller says is theirs that the practice file does not list, named as the
    # caller named it ("Ambetter"). Never a practice payer id and never matched or booked on:
    # `payment` stays what the caller will pay with (private pay, the sliding scale, or None
    # until they say), so nothing pretends the client is in network.
    out_of_network_payer: str | None = None
    concern: str | None = None  # the caller's own words, stored and never interpreted
    availability: tuple[AvailabilityWindow, ...] = field(default_factory=tuple)
    reminder_preference: ReminderPreference | None = None
    callback_number: str | None = None  # E.164
    callback_confirmed: bool = False
    email: str | None = None
    # Read back to the caller, who never said yes or no (they hung up, or the call moved on).
    email_unconfirmed: bool = False
    consent_to_text: bool | None = None
    telehealth_constraints: TelehealthConstraints | None = None
    specialty: str | None = None
    clinician_preference: str | None = None  # clinician id
    # An existing client's words naming the appointment the call is about ("I need to move
    # my appointment on Tuesday"), as said: nothing is looked up or read back from them.
    appointment_said: str | None = None

    def merged(self, **changes: object) -> Intake:
        """A copy with the given fields replaced (corrections replace values)."""
        return replace(self, **changes)  # type: ignore[arg-type]
