"""A seeded synthetic practice for scale checks: 30 clinicians, two months of bookings.

`python -m tests.unit.scheduling.synthetic` prints p50/p99 of `find_openings` for three
callers as JSON; the `frontdesk bench schedule` benchmark can lift this generator.
"""

from __future__ import annotations

import json
import random
import statistics
import time as clock
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.bench.schedule import synthetic_clinician
from frontdesk.domain.appointments import Appointment, ClientRef
from frontdesk.domain.calendar import AppointmentType, WeeklyBlock
from frontdesk.domain.inquiries import AgeGroup, AvailabilityWindow, Modality, Payment, Weekday
from frontdesk.domain.matching import CalendarSnapshot, MatchCriteria, find_openings
from frontdesk.domain.practice import Clinician, ServiceKind

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 2, 13, tzinfo=UTC)
BOTH = frozenset({Modality.TELEHEALTH, Modality.IN_PERSON})
EVENINGS = (AvailabilityWindow("weekday evenings", start=time(17)),)
CALLERS = {
    "video_ny_insured": MatchCriteria(
        Modality.TELEHEALTH, "NY", None, Payment.INSURANCE, "aetna", AgeGroup.ADULT
    ),
    "hybrid_private_pay": MatchCriteria(
        Modality.HYBRID, "NJ", None, Payment.PRIVATE_PAY, None, AgeGroup.ADULT
    ),
    "any_modality": MatchCriteria(None, "NY"),
}


@dataclass(frozen=True, slots=True)
class SyntheticPractice:
    clinicians: tuple[Clinician, ...]
    snapshot: CalendarSnapshot
    first_session: AppointmentType


def build(
    clinicians: int = 30,
    days: int = 60,
    booked: float = 0.5,
    new_share: float = 0.06,
    seed: int = 7,
) -> SyntheticPractice:
    """Weekday mornings in person and afternoons by video, about `booked` of hours taken.

    About `new_share` of bookings are first sessions, so some weeks reach capacity.
    """
    rng = random.Random(seed)
    people: list[Clinician] = []
    templates: list[WeeklyBlock] = []
    appointments: list[Appointment] = []
    for n in range(clinicians):
        cid = f"c{n:02d}"
        people.append(synthetic_clinician(n, rng))
        for weekday in list(Weekday)[:5]:
            templates.append(WeeklyBlock(cid, weekday, time(9), time(13), "midtown", BOTH))
            templates.append(
                WeeklyBlock(
                    cid, weekday, time(14), time(20), None, frozenset({Modality.TELEHEALTH})
                )
            )
        for d in range(days):
            day = (NOW + timedelta(days=d)).astimezone(ZONE).date()
            if day.weekday() > 4:
                continue
            for hour in (9, 10, 11, 12, 14, 15, 16, 17, 18, 19):
                if rng.random() < booked:
                    start = datetime.combine(day, time(hour), tzinfo=ZONE).astimezone(UTC)
                    appointments.append(
                        Appointment(
                            id=f"{cid}-{len(appointments)}",
                            clinician_id=cid,
                            kind=ServiceKind.FIRST_SESSION
                            if rng.random() < new_share
                            else ServiceKind.ONGOING,
                            start=start,
                            end=start + timedelta(minutes=50),
                            modality=Modality.TELEHEALTH,
                            client=ClientRef(client_id=f"client-{len(appointments)}"),
                        )
                    )
    first_session = AppointmentType(
        ServiceKind.FIRST_SESSION,
        timedelta(minutes=50),
        buffer_after=timedelta(minutes=10),
        minimum_notice=timedelta(hours=24),
        booking_window=timedelta(days=days),
    )
    snapshot = CalendarSnapshot(tuple(templates), appointments=tuple(appointments))
    return SyntheticPractice(tuple(people), snapshot, first_session)


def search(practice: SyntheticPractice, criteria: MatchCriteria, days: int = 60) -> list[object]:
    return list(
        find_openings(
            criteria,
            EVENINGS,
            practice.clinicians,
            practice.snapshot,
            practice.first_session,
            now=NOW,
            zone=ZONE,
            horizon_days=days,
            granularity=timedelta(hours=1),
        )
    )


def main(runs: int = 200) -> None:
    practice = build()
    report: dict[str, object] = {
        "clinicians": len(practice.clinicians),
        "horizon_days": 60,
        "appointments": len(practice.snapshot.appointments),
    }
    for name, criteria in CALLERS.items():
        timings = []
        for _ in range(runs):
            started = clock.perf_counter()
            offered = search(practice, criteria)
            timings.append((clock.perf_counter() - started) * 1000)
        timings.sort()
        report[name] = {
            "offered": len(offered),
            "p50_ms": round(statistics.median(timings), 2),
            "p99_ms": round(timings[max(int(len(timings) * 0.99) - 1, 0)], 2),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
