"""A therapy practice as the front desk knows it: loaded from the practice file.

These are plain frozen values; `frontdesk.adapters.practice_file` builds them from YAML and
validates them, so code holding a `Practice` may trust it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from frontdesk.conversation.script import ScriptLibrary
from frontdesk.domain.inquiries import AgeGroup, Modality, Weekday
from frontdesk.domain.retention import Retention

if TYPE_CHECKING:
    from frontdesk.domain.schedule import ScheduleConfig


class ServiceKind(StrEnum):
    CONSULT = "consult"
    FIRST_SESSION = "first_session"
    ONGOING = "ongoing"


@dataclass(frozen=True, slots=True)
class TimeRange:
    start: time
    end: time

    def contains(self, clock: time) -> bool:
        return self.start <= clock < self.end


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Front-desk hours per weekday, in the practice's timezone; absent days are closed."""

    periods: dict[Weekday, tuple[TimeRange, ...]]

    def is_open(self, local: datetime) -> bool:
        day = Weekday.of(local)
        clock = local.time().replace(tzinfo=None)
        return any(r.contains(clock) for r in self.periods.get(day, ()))


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str
    address: str
    state: str


@dataclass(frozen=True, slots=True)
class Payer:
    """An insurer the practice accepts; `aliases` help match what callers say ("BCBS")."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Clinician:
    id: str
    name: str
    credentials: str
    licensed_states: frozenset[str]
    modalities: frozenset[Modality]
    payers: frozenset[str]  # payer ids in network
    specialties: tuple[str, ...]
    age_groups: frozenset[AgeGroup]
    new_client_capacity: int  # new clients per week
    locations: frozenset[str] = frozenset()  # location ids for in-person sessions
    accepting_new_clients: bool = True
    pronouns: str | None = None

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True, slots=True)
class Service:
    kind: ServiceKind
    name: str
    duration_minutes: int
    fee: Decimal  # 0 for a free consult
    telehealth: bool = True
    in_person: bool = True

    def allows(self, modality: Modality) -> bool:
        """Whether a session of this service may take place this way (video or in person)."""
        if modality is Modality.TELEHEALTH:
            return self.telehealth
        if modality is Modality.IN_PERSON:
            return self.in_person
        return self.telehealth and self.in_person


@dataclass(frozen=True, slots=True)
class SlidingScale:
    offered: bool
    minimum_fee: Decimal | None = None
    maximum_fee: Decimal | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class CancellationPolicy:
    notice_hours: int
    late_fee: Decimal | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Telehealth:
    platform: str
    description: str = ""
    join_link: str | None = None  # the video link first-session reminders carry


@dataclass(frozen=True, slots=True)
class CrisisResources:
    """Numbers the crisis and emergency wording must contain, and whether the call may dial
    the lifeline itself when a caller who heard the crisis wording asks to be connected."""

    emergency_number: str = "911"
    lifeline_number: str = "988"
    lifeline_chat: str = "988lifeline.org"
    veterans_option: str = "1"
    local_crisis_line: str | None = None
    connect_to_988: bool = False  # after the crisis wording, dial the lifeline on request


@dataclass(frozen=True, slots=True)
class PhoneNumbers:
    """E.164 numbers; `main` is the number callers dial (the Twilio number)."""

    main: str
    front_desk: str | None = None
    on_call: str | None = None


@dataclass(frozen=True, slots=True)
class Practice:
    name: str
    timezone: str
    hours: OpeningHours
    phones: PhoneNumbers
    clinicians: tuple[Clinician, ...]
    services: tuple[Service, ...]
    payers: tuple[Payer, ...]
    sliding_scale: SlidingScale
    cancellation_policy: CancellationPolicy
    telehealth: Telehealth
    locations: tuple[Location, ...]
    crisis: CrisisResources
    scripts: ScriptLibrary
    language: str = "en-US"
    website: str | None = None
    email: str | None = None
    private_pay_first_session_value: Decimal | None = None
    extra: dict[str, str] = field(default_factory=dict)
    schedule: ScheduleConfig = field(default_factory=lambda: _default_schedule())
    retention: Retention = field(default_factory=Retention)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: datetime) -> datetime:
        """An aware datetime converted to the practice's timezone."""
        return moment.astimezone(self.zone)

    def is_open(self, moment: datetime) -> bool:
        return self.hours.is_open(self.local(moment))

    def service(self, kind: ServiceKind) -> Service | None:
        return next((s for s in self.services if s.kind is kind), None)

    def clinician(self, clinician_id: str) -> Clinician | None:
        return next((c for c in self.clinicians if c.id == clinician_id), None)

    def payer(self, payer_id: str) -> Payer | None:
        return next((p for p in self.payers if p.id == payer_id), None)

    @property
    def states(self) -> frozenset[str]:
        """Every state at least one clinician is licensed in."""
        return frozenset(s for c in self.clinicians for s in c.licensed_states)


def _default_schedule() -> ScheduleConfig:
    """No availability and the shipped appointment types (imported late: it needs this module)."""
    from frontdesk.domain.schedule import ScheduleConfig

    return ScheduleConfig()
