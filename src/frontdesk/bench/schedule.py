"""Scheduling at practice scale: finding openings, and twenty threads racing for one slot.

A seeded synthetic practice of 30 clinicians (weekday mornings in person or by video,
afternoons by video; about half of every hour booked over 60 days, some of them first
sessions so some weeks reach capacity) is written to a fresh SQLite file. Then:

- `openings`: `find_openings_for` for one caller (video, insured, adult, evenings) over
  the 60-day window, each run including the database read; p50/p99 in milliseconds
  (target p99 at most 50 ms).
- `race`: twenty threads book the same slot at once through `appointments.book`;
  exactly one must succeed and every other attempt must be the `SlotUnavailable`
  refusal. With `--database-url` the race also runs on that database (it is migrated
  and the bench's rows are added to it; use a scratch PostgreSQL database).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time as clock
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.db.tables import AppointmentRow, ClientRow
from frontdesk.adapters.script_file import default_script_library
from frontdesk.bench._stats import latency_summary, print_report
from frontdesk.config import Settings
from frontdesk.domain.appointments import ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import WeeklyBlock
from frontdesk.domain.errors import SlotUnavailable
from frontdesk.domain.inquiries import (
    AgeGroup,
    AvailabilityWindow,
    Intake,
    Modality,
    Payment,
    Weekday,
)
from frontdesk.domain.practice import (
    CancellationPolicy,
    Clinician,
    CrisisResources,
    OpeningHours,
    PhoneNumbers,
    Practice,
    Service,
    ServiceKind,
    SlidingScale,
    Telehealth,
)
from frontdesk.domain.schedule import ScheduleConfig
from frontdesk.services import appointments, openings

ZONE = "America/New_York"
NOW = datetime(2026, 3, 2, 13, tzinfo=UTC)  # a Monday morning in New York
BOTH = frozenset({Modality.TELEHEALTH, Modality.IN_PERSON})
CLIENT_ID = "bench-client"
CALLER = Intake(
    client_age=35,
    modality=Modality.TELEHEALTH,
    state="NY",
    payment=Payment.INSURANCE,
    payer="aetna",
    availability=(AvailabilityWindow("evenings", start=time(17)),),
)
THREADS = 20


def synthetic_clinician(n: int, rng: random.Random) -> Clinician:
    """Clinician `n` of a synthetic practice: two of four states and payers, drawn from `rng`."""
    return Clinician(
        id=f"c{n:02d}",
        name=f"Clinician {n}",
        credentials="LCSW",
        licensed_states=frozenset(rng.sample(["NY", "NJ", "CT", "PA"], 2)),
        modalities=BOTH,
        payers=frozenset(rng.sample(["aetna", "cigna", "bcbs", "uhc"], 2)),
        specialties=("anxiety", "couples", "trauma")[: 1 + n % 3],
        age_groups=frozenset({AgeGroup.ADULT, AgeGroup.ADOLESCENT}),
        new_client_capacity=3,
        locations=frozenset({"midtown"}),
    )


def synthetic_practice(clinicians: int = 30, seed: int = 7) -> Practice:
    """A practice of `clinicians` with weekday hours (seeded, reproducible)."""
    rng = random.Random(seed)
    people: list[Clinician] = []
    templates: list[WeeklyBlock] = []
    for n in range(clinicians):
        cid = f"c{n:02d}"
        people.append(synthetic_clinician(n, rng))
        for weekday in list(Weekday)[:5]:
            templates.append(WeeklyBlock(cid, weekday, time(9), time(13), "midtown", BOTH))
            templates.append(WeeklyBlock(cid, weekday, time(14), time(20), None))
    return Practice(
        name="Synthetic Practice",
        timezone=ZONE,
        hours=OpeningHours({}),
        phones=PhoneNumbers(main="+12125550100"),
        clinicians=tuple(people),
        services=(
            Service(ServiceKind.FIRST_SESSION, "First session", 60, Decimal(150)),
            Service(ServiceKind.ONGOING, "Ongoing session", 50, Decimal(130)),
        ),
        payers=(),
        sliding_scale=SlidingScale(False),
        cancellation_policy=CancellationPolicy(24),
        telehealth=Telehealth("Video"),
        locations=(),
        crisis=CrisisResources(),
        scripts=default_script_library(),
        schedule=ScheduleConfig(templates=tuple(templates)),
    )


def seed_bookings(
    url: str, practice: Practice, *, days: int = 60, booked: float = 0.5, seed: int = 7
) -> int:
    """About `booked` of every clinician hour taken for `days`; how many rows were written."""
    rng = random.Random(seed)
    zone = practice.zone
    rows: list[dict[str, object]] = []
    for clinician in practice.clinicians:
        for d in range(days):
            day: date = (NOW + timedelta(days=d)).astimezone(zone).date()
            if day.weekday() > 4:
                continue
            for hour in (9, 10, 11, 12, 14, 15, 16, 17, 18, 19):
                if rng.random() >= booked:
                    continue
                start = datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
                key = f"{clinician.id}@{start.strftime('%Y-%m-%dT%H:%MZ')}"
                first = rng.random() < 0.06
                rows.append(
                    {
                        "id": f"a{len(rows):031d}",
                        "clinician_id": clinician.id,
                        "kind": (ServiceKind.FIRST_SESSION if first else ServiceKind.ONGOING).value,
                        "start_at": start,
                        "end_at": start + timedelta(minutes=50),
                        "modality": Modality.TELEHEALTH.value,
                        "location_id": None,
                        "status": "booked",
                        "slot_key": key,
                        "live_key": key,
                        "client_id": CLIENT_ID,
                        "source": BookingSource.STAFF.value,
                        "booked_by_ai": False,
                        "late": False,
                    }
                )
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            known = connection.execute(select(ClientRow.id).where(ClientRow.id == CLIENT_ID))
            if known.first() is not None:  # a database the bench has used before
                return 0
            connection.execute(
                insert(ClientRow),
                [
                    {
                        "id": CLIENT_ID,
                        "name": "Synthetic Client",
                        "date_of_birth": date(1990, 1, 1),
                        "phone": "+12125550199",
                        "created_at": NOW,
                    }
                ],
            )
            if rows:
                connection.execute(insert(AppointmentRow), rows)
    finally:
        engine.dispose()
    return len(rows)


def time_openings(url: str, practice: Practice, runs: int) -> dict[str, object]:
    """p50/p99 of one caller's search, each run reading the calendar from the database."""
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        durations: list[float] = []
        offered = 0
        for _ in range(runs):
            started = clock.perf_counter()
            found = openings.find_openings_for(
                intake=CALLER,
                kind=ServiceKind.FIRST_SESSION,
                now=NOW,
                uow=SqlAlchemyUnitOfWork(factory),
                practice=practice,
            )
            durations.append(clock.perf_counter() - started)
            offered = len(found)
    finally:
        engine.dispose()
    summary = latency_summary(durations)
    return {**summary, "offered": offered, "target_p99_ms": 50, "met": summary["p99_ms"] <= 50}


def race(url: str, practice: Practice) -> dict[str, object]:
    """Twenty threads booking one open slot together: what each attempt came to."""
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        slot = openings.find_openings_for(
            intake=CALLER,
            kind=ServiceKind.FIRST_SESSION,
            now=NOW,
            uow=SqlAlchemyUnitOfWork(factory),
            practice=practice,
        )[0]
        outcomes: list[str] = []
        gate = threading.Barrier(THREADS)
        lock = threading.Lock()

        def attempt() -> None:
            gate.wait()
            try:
                appointments.book(
                    slot=slot,
                    client=ClientRef(client_id=CLIENT_ID),
                    at=NOW,
                    uow=SqlAlchemyUnitOfWork(factory),
                    practice=practice,
                    booked_by_ai=True,
                    source=BookingSource.CALL,
                )
                outcome = "booked"
            except SlotUnavailable:
                outcome = "slot_unavailable"
            except Exception as exc:  # the bench counts every other failure by its type
                outcome = type(exc).__name__
            with lock:
                outcomes.append(outcome)

        started = clock.perf_counter()
        threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = clock.perf_counter() - started
    finally:
        engine.dispose()
    counts = Counter(outcomes)
    return {
        "threads": THREADS,
        "booked": counts.get("booked", 0),
        "slot_unavailable": counts.get("slot_unavailable", 0),
        "other_errors": {
            k: v for k, v in counts.items() if k not in ("booked", "slot_unavailable")
        },
        "seconds": round(elapsed, 3),
        "exactly_one": counts.get("booked", 0) == 1
        and counts.get("slot_unavailable", 0) == THREADS - 1,
    }


def run_bench(*, runs: int, database_url: str | None) -> dict[str, object]:
    """The whole report as plain data."""
    practice = synthetic_practice()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        booked = seed_bookings(url, practice)
        report: dict[str, object] = {
            "clinicians": len(practice.clinicians),
            "horizon_days": 60,
            "appointments": booked,
            "openings_sqlite": time_openings(url, practice, runs),
            "race_sqlite": race(url, practice),
        }
    if database_url is not None:
        upgrade(database_url)
        seed_bookings(database_url, practice, days=1, booked=0.0)
        report["race_database"] = race(database_url, practice)
    return report


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schedule",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=200, help="searches to time (200)")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="also race on this database (e.g. a scratch PostgreSQL database)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    report = run_bench(runs=args.runs, database_url=args.database_url)
    print_report(report, as_json=args.json)
    ok = all(
        isinstance(part, dict) and part.get("exactly_one", True)
        for name, part in report.items()
        if name.startswith("race")
    )
    return 0 if ok else 1
