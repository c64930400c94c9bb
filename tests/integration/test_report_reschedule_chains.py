"""The appointment figures on randomised histories with chains of reschedules, on both
backends, checked against the same rule worked out in Python.

A booking made in the range counts once, by its service, client, channel and the latest
mark or cancellation (from the range's start on) of the booking itself or of any
appointment it was moved to, one reschedule (from the range's start on) after another;
with none it is pending. Bookings outside the range, moves of them, outcomes recorded
before the range, corrections, ties in time (the later record wins) and outcomes left on
an appointment before it was moved are all in the histories.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine
from frontdesk.analytics.queries import Window, appointment_rows, read_engine
from frontdesk.domain import events as ev

CHICAGO = ZoneInfo("America/Chicago")
WINDOW = Window(
    start=datetime(2026, 3, 2, tzinfo=CHICAGO),
    end=datetime(2026, 3, 9, tzinfo=CHICAGO),
    zone=CHICAGO,
)
SERVICES = ("consult", "first_session", "ongoing")
SOURCES = ("call", "waitlist", "sms", "staff")
MARKS = ("attended", "no_show", "late_cancelled", "cancelled")

Key = tuple[str, bool, bool, str]


@dataclass
class RescheduledHistory:
    """The events of a history in the order written, and the rule's answer for `WINDOW`."""

    events: list[ev.Event] = field(default_factory=list)

    def expected(self, window: Window = WINDOW) -> Counter[Key]:
        successors: dict[str, list[str]] = {}
        outcomes: dict[str, list[tuple[datetime, int, str]]] = {}
        for order, event in enumerate(self.events):
            if event.occurred_at < window.start:
                continue
            if isinstance(event, ev.AppointmentRescheduled):
                successors.setdefault(event.appointment_id, []).append(event.new_appointment_id)
            elif isinstance(event, ev.AppointmentMarked):
                outcomes.setdefault(event.appointment_id, []).append(
                    (event.occurred_at, order, event.status)
                )
            elif isinstance(event, ev.AppointmentCancelled):
                status = "late_cancelled" if event.late else "cancelled"
                outcomes.setdefault(event.appointment_id, []).append(
                    (event.occurred_at, order, status)
                )
        counts: Counter[Key] = Counter()
        for event in self.events:
            if not isinstance(event, ev.AppointmentBooked):
                continue
            if not window.start <= event.occurred_at < window.end:
                continue
            reached, todo = [], [event.appointment_id]
            while todo:
                appointment = todo.pop()
                reached.append(appointment)
                todo.extend(successors.get(appointment, []))
            found = [o for appointment in reached for o in outcomes.get(appointment, [])]
            status = max(found)[2] if found else "pending"
            via = event.booked_by_ai or event.source in ("call", "waitlist")
            counts[(event.service, event.established_client, via, status)] += 1
        return counts


def rescheduled_history(seed: int, bookings: int) -> RescheduledHistory:
    """About a third of `bookings` moved one to four times, most with an outcome."""
    rng = random.Random(seed)
    history = RescheduledHistory()
    add = history.events.append
    for n in range(bookings):
        service = rng.choice(SERVICES)
        established = rng.random() < 0.4
        at = WINDOW.start + timedelta(minutes=rng.randrange(-3 * 1440, 9 * 1440))
        add(
            ev.AppointmentBooked(
                occurred_at=at,
                appointment_id=f"b{n}",
                service=service,
                clinician_id="rivera",
                starts_at=at + timedelta(days=3),
                booked_by_ai=rng.random() < 0.5,
                source=rng.choice(SOURCES),
                established_client=established,
            )
        )
        chain = [f"b{n}"]
        hops = rng.choice((1, 1, 2, 3, 4)) if rng.random() < 0.35 else 0
        for hop in range(1, hops + 1):
            if rng.random() < 0.25:  # an outcome left behind on the appointment moved on
                at += timedelta(minutes=rng.randrange(1, 600))
                add(_outcome(rng, chain[-1], service, at))
            at += timedelta(minutes=rng.randrange(1, 3000))
            chain.append(f"b{n}r{hop}")
            add(
                ev.AppointmentRescheduled(
                    occurred_at=at,
                    appointment_id=chain[-2],
                    new_appointment_id=chain[-1],
                    service=service,
                    established_client=established,
                )
            )
        for _ in range(rng.choice((0, 1, 1, 1, 2))):  # none, one, or one and a correction
            at += timedelta(minutes=rng.choice((0, 0, 1, 60, 2000)))  # some at the same time
            add(_outcome(rng, rng.choice(chain[-2:]), service, at))
    return history


def _outcome(rng: random.Random, appointment_id: str, service: str, at: datetime) -> ev.Event:
    if rng.random() < 0.3:
        late = rng.random() < 0.5
        return ev.AppointmentCancelled(
            occurred_at=at, appointment_id=appointment_id, service=service, late=late
        )
    status = rng.choice(MARKS)
    return ev.AppointmentMarked(
        occurred_at=at, appointment_id=appointment_id, service=service, status=status
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_appointment_figures_follow_each_chain_of_reschedules(
    uow: SqlAlchemyUnitOfWork, migrated_url: str, seed: int
) -> None:
    """Every booking's count and outcome equals the rule worked out in Python."""
    history = rescheduled_history(seed, bookings=200)
    with uow:
        for event in history.events:
            uow.events.add(event)
        uow.commit()
    expected = history.expected()
    assert sum(expected.values()) > 80
    assert len({key[3] for key in expected}) == 5  # every outcome, and pending, occurs
    for engine in (make_engine(migrated_url), read_engine(migrated_url)):
        try:
            with engine.connect() as connection:
                rows = appointment_rows(connection, WINDOW)
        finally:
            engine.dispose()
        found = Counter(
            {
                (r.service, r.established_client, r.via_frontdesk, r.outcome.value): r.count
                for r in rows
            }
        )
        assert len(rows) == len(found)
        assert found == expected
