"""Valid practices built in memory, for tests that need one without reading a file.

`make_practice()` returns a small but complete fictional practice (three clinicians across
four states, payers with aliases, weekday hours in America/Chicago); keyword overrides
replace whole fields, e.g. `make_practice(clinicians=(make_clinician(id="solo"),))`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import time
from decimal import Decimal
from typing import Any

from frontdesk.conversation.script import ScriptLibrary, ScriptLine
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

DEFAULT_LINES: Mapping[str, str] = {
    "greeting": "Thank you for calling {practice}.",
    "crisis": "You can call or text {lifeline_number} at any time.",
    "emergency": "If you are in danger right now, hang up and call {emergency_number}.",
    "goodbye": "Thank you for calling. Goodbye.",
}
WHOLE_LINES = frozenset({"crisis", "emergency"})

WEEKDAY_HOURS = OpeningHours(
    {
        day: (TimeRange(time(9, 0), time(17, 0)),)
        for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY)
    }
    | {Weekday.FRIDAY: (TimeRange(time(9, 0), time(12, 0)), TimeRange(time(13, 0), time(15, 0)))}
)

PAYERS = (
    Payer("aetna", "Aetna"),
    Payer("bcbs", "Blue Cross Blue Shield", ("BCBS", "blue cross")),
    Payer("uhc", "UnitedHealthcare", ("UHC", "united")),
)

LOCATION = Location("main_office", "Main office", "100 Example St, Chicago, IL 60601", "IL")


def make_script_library(
    lines: Mapping[str, str] | None = None,
    *,
    whole: Iterable[str] = WHOLE_LINES,
    reviewed: bool = False,
    version: str = "test",
) -> ScriptLibrary:
    """A script library from `{line_id: text}`; ids in `whole` are read in full."""
    chosen = DEFAULT_LINES if lines is None else lines
    whole_ids = frozenset(whole)
    return ScriptLibrary(
        lines={i: ScriptLine(i, text, whole=i in whole_ids) for i, text in chosen.items()},
        version=version,
        reviewed=reviewed,
    )


def make_clinician(**overrides: Any) -> Clinician:
    """An adult, in-network, accepting clinician licensed in IL; overrides replace fields."""
    base = Clinician(
        id="clinician",
        name="Sam Example",
        credentials="LCSW",
        licensed_states=frozenset({"IL"}),
        modalities=frozenset({Modality.IN_PERSON, Modality.TELEHEALTH}),
        payers=frozenset({"aetna", "bcbs"}),
        specialties=("anxiety",),
        age_groups=frozenset({AgeGroup.ADULT}),
        new_client_capacity=2,
        locations=frozenset({LOCATION.id}),
    )
    return replace(base, **overrides)


CLINICIANS = (
    make_clinician(
        id="ana_lopez",
        name="Ana Lopez",
        credentials="LCSW",
        licensed_states=frozenset({"IL", "WI"}),
        payers=frozenset({"aetna", "bcbs"}),
        specialties=("anxiety", "depression"),
        age_groups=frozenset({AgeGroup.ADULT, AgeGroup.OLDER_ADULT}),
        new_client_capacity=3,
    ),
    make_clinician(
        id="ben_carter",
        name="Ben Carter",
        credentials="LMFT",
        licensed_states=frozenset({"IL"}),
        payers=frozenset({"bcbs", "uhc"}),
        specialties=("couples", "family conflict"),
        age_groups=frozenset({AgeGroup.ADOLESCENT, AgeGroup.ADULT}),
        new_client_capacity=2,
    ),
    make_clinician(
        id="cleo_park",
        name="Cleo Park",
        credentials="PsyD",
        licensed_states=frozenset({"IL", "IN", "MN"}),
        modalities=frozenset({Modality.TELEHEALTH}),
        locations=frozenset(),
        payers=frozenset({"aetna", "uhc"}),
        specialties=("trauma", "OCD"),
        age_groups=frozenset({AgeGroup.ADULT}),
        new_client_capacity=1,
    ),
)

SERVICES = (
    Service(ServiceKind.CONSULT, "Free 15-minute consultation", 15, Decimal(0), in_person=False),
    Service(ServiceKind.FIRST_SESSION, "First session", 60, Decimal("175.00")),
    Service(ServiceKind.ONGOING, "Ongoing session", 53, Decimal("150.00")),
)


def make_practice(*, scripts: ScriptLibrary | None = None, **overrides: Any) -> Practice:
    """A complete valid practice; `scripts` defaults to a small unreviewed library."""
    base = Practice(
        name="Example Counseling",
        timezone="America/Chicago",
        hours=WEEKDAY_HOURS,
        phones=PhoneNumbers(main="+13125550100", front_desk="+13125550101", on_call="+13125550102"),
        clinicians=CLINICIANS,
        services=SERVICES,
        payers=PAYERS,
        sliding_scale=SlidingScale(True, Decimal(60), Decimal(150), "Ask about reduced fees."),
        cancellation_policy=CancellationPolicy(24, Decimal(75), "Cancel 24 hours ahead."),
        telehealth=Telehealth("Doxy.me", "Sessions run in your web browser."),
        locations=(LOCATION,),
        crisis=CrisisResources(),
        scripts=scripts if scripts is not None else make_script_library(),
    )
    return replace(base, **overrides)
