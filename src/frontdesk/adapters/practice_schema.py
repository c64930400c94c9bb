"""The schema of the practice file: one pydantic model per section.

Each section model validates its own fields and builds its domain value with
`to_domain()`; rules that span sections (payer and location ids a clinician names) are
checked by `PracticeModel.cross_reference_problems()`. To add a section, add a model here
and a field on `PracticeModel`. Unknown keys are refused everywhere.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from frontdesk.adapters.located_yaml import Loc, Problem
from frontdesk.adapters.schedule_schema import (
    AppointmentTypesModel,
    ExceptionModel,
    RemindersModel,
    TimeOffModel,
    WaitlistModel,
    WeekModel,
    schedule_config,
    schedule_problems,
)
from frontdesk.conversation.script import ScriptLibrary
from frontdesk.domain.inquiries import AgeGroup, Modality, Weekday
from frontdesk.domain.practice import (
    CancellationPolicy,
    Clinician,
    CrisisResources,
    Location,
    OpeningHours,
    Payer,
    PhoneNumbers,
    Practice,
    Service,
    ServiceKind,
    SlidingScale,
    Telehealth,
    TimeRange,
)
from frontdesk.domain.retention import MAX_DAYS, MIN_DAYS, Retention

US_STATES = frozenset(
    {
        *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN"),
        *("IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV"),
        *("NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN"),
        *("TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"),
        *("DC", "PR", "VI", "GU", "AS", "MP"),  # the district and territories license too
    }
)
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
_SHORT_NUMBER = re.compile(r"[0-9]{3,6}")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_TIME_RANGE = re.compile(r"\s*([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})\s*")


def _text_of_number(value: object) -> object:
    """Numbers written without quotes or a leading + arrive as ints; judge them as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _e164(value: str) -> str:
    if not _E164.fullmatch(value):
        raise ValueError(f"{value!r} is not an E.164 phone number (write it like +13125550142)")
    if value.startswith("+1") and len(value) != 12:
        raise ValueError(f"{value!r} needs 10 digits after +1 (write it like +13125550142)")
    return value


def _dialable(value: str) -> str:
    if not (_E164.fullmatch(value) or _SHORT_NUMBER.fullmatch(value)):
        raise ValueError(f"{value!r} is neither a short number like 988 nor E.164 like +1312…")
    return value


def _state(value: str) -> str:
    code = value.strip().upper()
    if code not in US_STATES:
        raise ValueError(f"{value!r} is not a US state code")
    return code


def _identifier(value: str) -> str:
    if not _IDENTIFIER.fullmatch(value):
        raise ValueError(f"{value!r} is not an id (lower-case letters, digits and _)")
    return value


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


Text = Annotated[str, AfterValidator(_non_blank)]
PhoneNumber = Annotated[str, BeforeValidator(_text_of_number), AfterValidator(_e164)]
DialableNumber = Annotated[str, BeforeValidator(_text_of_number), AfterValidator(_dialable)]
StateCode = Annotated[str, AfterValidator(_state)]
Identifier = Annotated[str, AfterValidator(_identifier)]
Money = Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=2)]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhonesModel(Section):
    main: PhoneNumber
    front_desk: PhoneNumber | None = None
    on_call: PhoneNumber | None = None

    def to_domain(self) -> PhoneNumbers:
        return PhoneNumbers(main=self.main, front_desk=self.front_desk, on_call=self.on_call)


def _time_range(value: str) -> TimeRange:
    match = _TIME_RANGE.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a time range like 09:00-17:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h2 == 24 and m2 == 0:
        h2, m2 = 23, 59  # "until midnight"; the last minute is as good as closed
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(f"{value!r} is not a valid time of day range")
    start, end = time(h1, m1), time(h2, m2)
    if start >= end:
        raise ValueError(f"{value!r} ends before it starts")
    return TimeRange(start, end)


def _range_text(value: str) -> str:
    _time_range(value)
    return value


def _day_periods(values: list[str]) -> list[str]:
    ranges = sorted(((_time_range(v), v) for v in values), key=lambda pair: pair[0].start)
    for (earlier, text_a), (later, text_b) in itertools.pairwise(ranges):
        if later.start < earlier.end:
            raise ValueError(f"{text_a!r} and {text_b!r} overlap")
    return values


RangeText = Annotated[str, AfterValidator(_range_text)]


class HoursModel(Section):
    """Front-desk hours by weekday; a day left out (or `[]`) is closed, which is after hours."""

    monday: list[RangeText] = []
    tuesday: list[RangeText] = []
    wednesday: list[RangeText] = []
    thursday: list[RangeText] = []
    friday: list[RangeText] = []
    saturday: list[RangeText] = []
    sunday: list[RangeText] = []

    @field_validator("*", mode="after")
    @classmethod
    def _no_overlap(cls, values: list[str]) -> list[str]:
        return _day_periods(values)

    def to_domain(self) -> OpeningHours:
        periods: dict[Weekday, tuple[TimeRange, ...]] = {}
        for day in Weekday:
            texts: list[str] = getattr(self, day.value)
            if texts:
                ranges = (_time_range(t) for t in texts)
                periods[day] = tuple(sorted(ranges, key=lambda r: r.start))
        return OpeningHours(periods)


class LocationModel(Section):
    id: Identifier
    name: Text
    address: Text
    state: StateCode

    def to_domain(self) -> Location:
        return Location(id=self.id, name=self.name, address=self.address, state=self.state)


class PayerModel(Section):
    id: Identifier
    name: Text
    aliases: list[Text] = []

    def to_domain(self) -> Payer:
        return Payer(id=self.id, name=self.name, aliases=tuple(self.aliases))


class ClinicianModel(Section):
    id: Identifier
    name: Text
    credentials: str = ""
    pronouns: str | None = None
    licensed_states: list[StateCode] = Field(min_length=1)
    modalities: list[Modality] = Field(min_length=1)
    locations: list[Identifier] = []
    payers: list[Identifier] = []
    specialties: list[Text] = []
    age_groups: list[AgeGroup] = Field(min_length=1)
    new_client_capacity: int = Field(ge=0, le=100)
    accepting_new_clients: bool = True
    availability: WeekModel | None = None  # weekly hours (see schedule_schema)

    @property
    def sees_in_person(self) -> bool:
        return bool({Modality.IN_PERSON, Modality.HYBRID} & set(self.modalities))

    def to_domain(self) -> Clinician:
        return Clinician(
            id=self.id,
            name=self.name,
            credentials=self.credentials.strip(),
            licensed_states=frozenset(self.licensed_states),
            modalities=frozenset(self.modalities),
            payers=frozenset(self.payers),
            specialties=tuple(self.specialties),
            age_groups=frozenset(self.age_groups),
            new_client_capacity=self.new_client_capacity,
            locations=frozenset(self.locations),
            accepting_new_clients=self.accepting_new_clients,
            pronouns=self.pronouns,
        )


class ServiceModel(Section):
    kind: ServiceKind
    name: Text
    duration_minutes: int = Field(gt=0, le=480)
    fee: Money = Decimal(0)
    free: bool = False
    telehealth: bool = True
    in_person: bool = True

    def to_domain(self) -> Service:
        return Service(
            kind=self.kind,
            name=self.name,
            duration_minutes=self.duration_minutes,
            fee=self.fee,
            telehealth=self.telehealth,
            in_person=self.in_person,
        )


class SlidingScaleModel(Section):
    offered: bool
    minimum_fee: Money | None = None
    maximum_fee: Money | None = None
    description: str = ""

    def to_domain(self) -> SlidingScale:
        return SlidingScale(
            offered=self.offered,
            minimum_fee=self.minimum_fee,
            maximum_fee=self.maximum_fee,
            description=self.description.strip(),
        )


class CancellationPolicyModel(Section):
    notice_hours: int = Field(ge=0, le=168)
    late_fee: Money | None = None
    description: str = ""

    def to_domain(self) -> CancellationPolicy:
        return CancellationPolicy(
            notice_hours=self.notice_hours,
            late_fee=self.late_fee,
            description=self.description.strip(),
        )


def _https(value: str) -> str:
    if not value.startswith("https://"):
        raise ValueError(f"{value!r} is not an https:// link")
    return value


class TelehealthModel(Section):
    platform: Text
    description: str = ""
    join_link: Annotated[str, AfterValidator(_https)] | None = None

    def to_domain(self) -> Telehealth:
        return Telehealth(
            platform=self.platform,
            description=self.description.strip(),
            join_link=self.join_link,
        )


class CrisisModel(Section):
    emergency_number: DialableNumber = "911"
    lifeline_number: DialableNumber = "988"
    lifeline_chat: Text = "988lifeline.org"
    veterans_option: Annotated[str, BeforeValidator(_text_of_number)] = "1"
    local_crisis_line: DialableNumber | None = None
    connect_to_988: bool = False

    def to_domain(self) -> CrisisResources:
        return CrisisResources(
            emergency_number=self.emergency_number,
            lifeline_number=self.lifeline_number,
            lifeline_chat=self.lifeline_chat,
            veterans_option=self.veterans_option,
            local_crisis_line=self.local_crisis_line,
            connect_to_988=self.connect_to_988,
        )


Days = Annotated[int, Field(ge=MIN_DAYS, le=MAX_DAYS, strict=True)]
_DEFAULT_RETENTION = Retention()


class RetentionModel(Section):
    """How many days each kind of content is kept (`frontdesk.domain.retention`)."""

    transcripts_days: Days = _DEFAULT_RETENTION.transcripts_days
    voicemail_transcriptions_days: Days = _DEFAULT_RETENTION.voicemail_transcriptions_days
    inbound_texts_days: Days = _DEFAULT_RETENTION.inbound_texts_days
    finished_outbox_days: Days = _DEFAULT_RETENTION.finished_outbox_days
    closed_handoffs_days: Days = _DEFAULT_RETENTION.closed_handoffs_days

    def to_domain(self) -> Retention:
        return Retention(**self.model_dump())


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{value!r} is not a known timezone (use an IANA name like America/Chicago)"
        ) from None
    return value


class PracticeModel(Section):
    """The whole practice file."""

    name: Text
    timezone: Annotated[str, AfterValidator(_timezone)]
    language: str = "en-US"
    website: str | None = None
    email: str | None = None
    hours: HoursModel
    phones: PhonesModel
    locations: list[LocationModel] = []
    payers: list[PayerModel] = []
    clinicians: list[ClinicianModel] = Field(min_length=1)
    services: list[ServiceModel] = Field(min_length=1)
    sliding_scale: SlidingScaleModel = SlidingScaleModel(offered=False)
    cancellation_policy: CancellationPolicyModel
    telehealth: TelehealthModel
    crisis: CrisisModel = CrisisModel()
    private_pay_first_session_value: Money | None = None
    scripts: str | None = None  # path of the script library, relative to the practice file
    extra: dict[str, Annotated[str, BeforeValidator(_text_of_number)]] = {}
    # Scheduling sections (frontdesk.adapters.schedule_schema).
    time_off: list[TimeOffModel] = []
    availability_exceptions: list[ExceptionModel] = []
    appointment_types: AppointmentTypesModel = AppointmentTypesModel()
    slot_granularity_minutes: int = Field(default=30, ge=5, le=240)
    reminders: RemindersModel = RemindersModel()
    holidays: list[date] = []
    waitlist: WaitlistModel = WaitlistModel()
    retention: RetentionModel = RetentionModel()

    def cross_reference_problems(self) -> list[Problem]:
        """Rules that span fields or sections, each at the field a person must change."""
        return list(self._cross_reference_problems())

    def _cross_reference_problems(self) -> Iterator[Problem]:
        yield from _duplicate_ids(("locations",), [loc.id for loc in self.locations])
        yield from _duplicate_ids(("payers",), [p.id for p in self.payers])
        yield from _duplicate_ids(("clinicians",), [c.id for c in self.clinicians])
        yield from _duplicate_aliases(self.payers)
        payer_ids = sorted(p.id for p in self.payers)
        location_states = {loc.id: loc.state for loc in self.locations}
        for i, clinician in enumerate(self.clinicians):
            for j, payer_id in enumerate(clinician.payers):
                if payer_id not in payer_ids:
                    yield Problem(
                        ("clinicians", i, "payers", j),
                        f"unknown payer id {payer_id!r} (payers: {', '.join(payer_ids) or 'none'})",
                    )
            for j, location_id in enumerate(clinician.locations):
                state = location_states.get(location_id)
                if state is None:
                    known = ", ".join(sorted(location_states)) or "none"
                    yield Problem(
                        ("clinicians", i, "locations", j),
                        f"unknown location id {location_id!r} (locations: {known})",
                    )
                elif state not in clinician.licensed_states:
                    yield Problem(
                        ("clinicians", i, "locations", j),
                        f"location {location_id!r} is in {state}, "
                        "where this clinician is not licensed",
                    )
            if clinician.sees_in_person and not clinician.locations:
                yield Problem(
                    ("clinicians", i, "modalities"),
                    "in-person sessions need at least one entry under `locations`",
                )
        yield from self._service_problems()
        yield from self._sliding_scale_problems()
        yield from schedule_problems(self)

    def _service_problems(self) -> Iterator[Problem]:
        seen: dict[ServiceKind, int] = {}
        for i, service in enumerate(self.services):
            if service.kind in seen:
                yield Problem(
                    ("services", i, "kind"),
                    f"a service of kind {service.kind.value!r} is already declared "
                    f"(services[{seen[service.kind]}])",
                )
            seen.setdefault(service.kind, i)
            if service.free and service.fee != 0:
                yield Problem(("services", i, "fee"), "the service is declared free but has a fee")
            if not (service.telehealth or service.in_person):
                yield Problem(
                    ("services", i, "telehealth"),
                    "a service must be offered by telehealth, in person, or both",
                )
            if service.in_person and not service.telehealth and not self.locations:
                yield Problem(
                    ("services", i, "in_person"), "in-person only, but no locations are listed"
                )
        for kind in (ServiceKind.FIRST_SESSION, ServiceKind.ONGOING):
            if kind not in seen:
                yield Problem(("services",), f"a service of kind {kind.value!r} is required")

    def _sliding_scale_problems(self) -> Iterator[Problem]:
        scale = self.sliding_scale
        if (
            scale.minimum_fee is not None
            and scale.maximum_fee is not None
            and scale.minimum_fee > scale.maximum_fee
        ):
            yield Problem(
                ("sliding_scale", "minimum_fee"), "minimum_fee is greater than maximum_fee"
            )
        if scale.offered and scale.minimum_fee is None:
            yield Problem(
                ("sliding_scale", "offered"), "a sliding scale that is offered needs minimum_fee"
            )

    def to_domain(self, scripts: ScriptLibrary) -> Practice:
        return Practice(
            name=self.name,
            timezone=self.timezone,
            hours=self.hours.to_domain(),
            phones=self.phones.to_domain(),
            clinicians=tuple(c.to_domain() for c in self.clinicians),
            services=tuple(s.to_domain() for s in self.services),
            payers=tuple(p.to_domain() for p in self.payers),
            sliding_scale=self.sliding_scale.to_domain(),
            cancellation_policy=self.cancellation_policy.to_domain(),
            telehealth=self.telehealth.to_domain(),
            locations=tuple(loc.to_domain() for loc in self.locations),
            crisis=self.crisis.to_domain(),
            scripts=scripts,
            language=self.language,
            website=self.website,
            email=self.email,
            private_pay_first_session_value=self.private_pay_first_session_value,
            extra=dict(self.extra),
            schedule=schedule_config(self, ZoneInfo(self.timezone)),
            retention=self.retention.to_domain(),
        )


def _duplicate_ids(section: Loc, ids: list[str]) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, value in enumerate(ids):
        if value in first:
            yield Problem(
                (*section, index, "id"),
                f"id {value!r} is already used by {section[-1]}[{first[value]}]",
            )
        first.setdefault(value, index)


def _duplicate_aliases(payers: list[PayerModel]) -> Iterator[Problem]:
    owner: dict[str, str] = {}
    for i, payer in enumerate(payers):
        names: list[tuple[Loc, str]] = [(("payers", i, "name"), payer.name)]
        names += [(("payers", i, "aliases", j), a) for j, a in enumerate(payer.aliases)]
        for loc, name in names:
            key = name.casefold()
            other = owner.setdefault(key, payer.id)
            if other != payer.id:
                yield Problem(loc, f"{name!r} already names payer {other!r}")
