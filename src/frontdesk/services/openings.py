"""Openings: what the calendar can offer a caller, read from the practice file and storage.

`find_openings_for` gives the (at most three) slots to offer one caller, best fit with
their availability windows and then earliest; `open_slots_for` lists every open slot for
staff or for a time the caller names (`slots_near_time`); `describe` gives the values a
script line needs to read a slot aloud. Reading is one short unit of work; nothing is
written here (booking is `services.appointments.book`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from frontdesk.domain.appointments import Appointment
from frontdesk.domain.calendar import BusyInterval, Slot, iter_open_slots, spoken_when
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import Intake, Modality
from frontdesk.domain.matching import (
    BEST_FIT,
    CalendarSnapshot,
    CapacityLedger,
    MatchCriteria,
    find_openings,
    fit_reasons,
    service_slot_modalities,
    slot_allowed,
    slots_near,
    window_fit,
    within_service,
)
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import require_aware
from frontdesk.services.unit_of_work import UnitOfWork

_NEIGHBOURHOOD = timedelta(days=1)  # busy time read before `now` (longer than any session)
_SETTLE_DAYS = (7, 21)  # searched first, in turn; most callers are settled inside them
_WEEK = timedelta(days=8)  # capacity counts the whole local week of a slot


def snapshot(
    uow: UnitOfWork,
    practice: Practice,
    *,
    now: datetime,
    days: int,
    clinician_ids: frozenset[str] | None = None,
) -> CalendarSnapshot:
    """The calendar from `now` to `days` ahead (of some clinicians, or all): the practice
    file's templates, time off, exceptions and holidays, imported busy time, and the
    appointments that hold time or new-client capacity (whole weeks, for capacity)."""
    schedule = practice.schedule
    start, end = now - _NEIGHBOURHOOD, now + timedelta(days=days + 1)
    everyone = frozenset(c.id for c in practice.clinicians)
    return CalendarSnapshot(
        templates=schedule.templates,
        time_off=schedule.time_off,
        exceptions=schedule.closures(clinician_ids if clinician_ids is not None else everyone),
        busy=tuple(uow.busy.between(start, end, clinician_ids=clinician_ids)),
        appointments=tuple(
            uow.appointments.holding(
                start,
                end,
                clinician_ids=clinician_ids,
                capacity_from=now - _WEEK,
                capacity_until=end + _WEEK,
            )
        ),
    )


def find_openings_for(
    *,
    intake: Intake,
    kind: ServiceKind,
    now: datetime,
    uow: UnitOfWork,
    practice: Practice,
    exclude: frozenset[str] = frozenset(),
    reachable_locations: frozenset[str] | None = None,
    new_client: bool = True,
    limit: int = 3,
) -> list[Slot]:
    """Up to `limit` slots to offer this caller, best fit with their windows then earliest.

    `exclude` holds slot keys already offered ("any others?"). Empty means no fit: offer
    the waitlist (`services.waitlist.join`) or a callback.
    """
    with uow:
        return find_openings_within(
            uow,
            intake=intake,
            kind=kind,
            now=now,
            practice=practice,
            exclude=exclude,
            reachable_locations=reachable_locations,
            new_client=new_client,
            limit=limit,
        )


def find_openings_within(
    uow: UnitOfWork,
    *,
    intake: Intake,
    kind: ServiceKind,
    now: datetime,
    practice: Practice,
    exclude: frozenset[str] = frozenset(),
    reachable_locations: frozenset[str] | None = None,
    new_client: bool = True,
    limit: int = 3,
    in_care: bool = False,
) -> list[Slot]:
    """`find_openings_for` inside the caller's open unit of work (a call's turn).

    `in_care`: the client is already seen by the intake's preferred clinician (a session
    being moved), so no state is needed to see them by video (`MatchCriteria.in_care`).
    """
    require_aware(now, "now")
    kind_rules = practice.schedule.appointment_type(kind)
    days = kind_rules.booking_window.days + 1
    criteria = within_service(
        MatchCriteria.from_intake(
            intake, reachable_locations=reachable_locations, new_client=new_client, in_care=in_care
        ),
        practice.service(kind),
    )
    fitting = frozenset(c.id for c in practice.clinicians if not fit_reasons(c, criteria))
    if not fitting:
        return []
    # The search walks dates in order and stops once `limit` dates hold a best-fitting
    # slot; when the first fortnight settles that, the full window gives the same answer.
    reader = _GrowingSnapshot(uow, practice, now=now, clinician_ids=fitting)
    for horizon in sorted({min(step, days) for step in _SETTLE_DAYS} | {days}):
        calendar = reader.up_to(horizon)
        found = find_openings(
            criteria,
            intake.availability,
            practice.clinicians,
            calendar,
            kind_rules,
            now=now,
            zone=practice.zone,
            horizon_days=horizon,
            granularity=practice.schedule.granularity,
            limit=limit,
            exclude=exclude,
        )
        if horizon == days or _settled(found, intake, practice, limit):
            return found
    return []  # pragma: no cover - the loop always ends on the full window


class _GrowingSnapshot:
    """`snapshot` for a widening horizon: each wider one reads only the days not yet read."""

    def __init__(
        self, uow: UnitOfWork, practice: Practice, *, now: datetime, clinician_ids: frozenset[str]
    ) -> None:
        self._uow, self._practice, self._now, self._ids = uow, practice, now, clinician_ids
        self._end: datetime | None = None  # busy time and bookings read before this
        self._capacity_until: datetime | None = None  # first sessions read before this
        self._busy: dict[BusyInterval, None] = {}  # insertion-ordered set
        self._appointments: dict[str, Appointment] = {}

    def up_to(self, days: int) -> CalendarSnapshot:
        """The same calendar `snapshot(..., days=days, clinician_ids=...)` reads."""
        now, ids = self._now, self._ids
        end = now + timedelta(days=days + 1)
        capacity_until = end + _WEEK
        if self._end is None or self._capacity_until is None:
            start, capacity_from = now - _NEIGHBOURHOOD, now - _WEEK
        else:
            start, capacity_from = self._end, self._capacity_until
        if self._end is None or end > self._end:
            # Overlap reads: an interval or booking crossing the old edge comes back once more.
            self._busy.update(dict.fromkeys(self._uow.busy.between(start, end, clinician_ids=ids)))
            found = self._uow.appointments.holding(
                start,
                end,
                clinician_ids=ids,
                capacity_from=capacity_from,
                capacity_until=capacity_until,
            )
            self._appointments.update((a.id, a) for a in found)
            self._end, self._capacity_until = end, capacity_until
        schedule = self._practice.schedule
        return CalendarSnapshot(
            templates=schedule.templates,
            time_off=schedule.time_off,
            exceptions=schedule.closures(ids),
            busy=tuple(sorted(self._busy, key=lambda b: (b.clinician_id, b.start))),
            appointments=tuple(sorted(self._appointments.values(), key=lambda a: a.start)),
        )


def _settled(found: list[Slot], intake: Intake, practice: Practice, limit: int) -> bool:
    """Whether the search found `limit` best-fitting slots on as many dates."""
    zone = practice.zone
    best = [s for s in found if window_fit(s, intake.availability, zone) == BEST_FIT]
    return len({s.start.astimezone(zone).date() for s in best}) >= limit


def open_slots_for(
    *,
    kind: ServiceKind,
    now: datetime,
    days: int,
    uow: UnitOfWork,
    practice: Practice,
    criteria: MatchCriteria | None = None,
) -> list[Slot]:
    """Every open slot of `kind` in the next `days` (for staff, or for a named time).

    With `criteria` only fitting clinicians and lawful modalities are listed; first
    sessions respect each clinician's weekly new-client capacity.
    """
    with uow:
        return open_slots_within(
            uow, kind=kind, now=now, days=days, practice=practice, criteria=criteria
        )


def open_slots_within(
    uow: UnitOfWork,
    *,
    kind: ServiceKind,
    now: datetime,
    days: int,
    practice: Practice,
    criteria: MatchCriteria | None = None,
) -> list[Slot]:
    """`open_slots_for` inside the caller's open unit of work."""
    require_aware(now, "now")
    if days < 0:
        raise InvalidInput("days cannot be negative")
    calendar = snapshot(uow, practice, now=now, days=days)
    clinicians = {c.id: c for c in practice.clinicians}
    service = practice.service(kind)
    if criteria is not None:
        criteria = within_service(criteria, service)
    chosen = criteria or MatchCriteria(new_client=False)
    fitting = {cid: c for cid, c in clinicians.items() if not fit_reasons(c, chosen)}
    live = [a for a in calendar.appointments if a.status.holds_slot]
    ledger = CapacityLedger(fitting, calendar.appointments, zone=practice.zone)
    found: list[Slot] = []
    for day in iter_open_slots(
        calendar.templates,
        calendar.time_off,
        calendar.exceptions,
        [*calendar.busy, *live],
        practice.schedule.appointment_type(kind),
        now=now,
        horizon_days=days,
        zone=practice.zone,
        granularity=practice.schedule.granularity,
        modalities=chosen.slot_modalities & service_slot_modalities(service),
        clinician_ids=frozenset(fitting),
    ):
        found.extend(
            s
            for s in day
            if ledger.admits(s)
            and (criteria is None or slot_allowed(s, fitting[s.clinician_id], chosen))
        )
    return found


def slots_near_time(
    *,
    intake: Intake,
    kind: ServiceKind,
    wanted: datetime,
    now: datetime,
    uow: UnitOfWork,
    practice: Practice,
    reachable_locations: frozenset[str] | None = None,
    new_client: bool = True,
    limit: int = 3,
) -> list[Slot]:
    """The fitting open slots closest to a time the caller named, exact match first."""
    with uow:
        return slots_near_time_within(
            uow,
            intake=intake,
            kind=kind,
            wanted=wanted,
            now=now,
            practice=practice,
            reachable_locations=reachable_locations,
            new_client=new_client,
            limit=limit,
        )


def slots_near_time_within(
    uow: UnitOfWork,
    *,
    intake: Intake,
    kind: ServiceKind,
    wanted: datetime,
    now: datetime,
    practice: Practice,
    reachable_locations: frozenset[str] | None = None,
    new_client: bool = True,
    limit: int = 3,
    in_care: bool = False,
) -> list[Slot]:
    """`slots_near_time` inside the caller's open unit of work; `in_care` as for openings."""
    require_aware(wanted, "wanted")
    criteria = MatchCriteria.from_intake(
        intake, reachable_locations=reachable_locations, new_client=new_client, in_care=in_care
    )
    days = practice.schedule.appointment_type(kind).booking_window.days + 1
    slots = open_slots_within(
        uow, kind=kind, now=now, days=days, practice=practice, criteria=criteria
    )
    return slots_near(slots, wanted, limit=limit)


@dataclass(frozen=True, slots=True)
class SlotDescription:
    """How a slot is read to a caller: "Tuesday the 9th at 6 pm with Dana Reyes, by video"."""

    when: str
    clinician: str
    modality: Modality
    location: str | None  # the office name for an in-person slot


def describe(slot: Slot, practice: Practice) -> SlotDescription:
    """The values a script line needs to offer or confirm `slot` (practice local time)."""
    clinician = practice.clinician(slot.clinician_id)
    location = next((loc for loc in practice.locations if loc.id == slot.location_id), None)
    return SlotDescription(
        when=spoken_when(slot.start, practice.zone),
        clinician=clinician.display_name if clinician else slot.clinician_id,
        modality=slot.modality,
        location=location.name if location else None,
    )
