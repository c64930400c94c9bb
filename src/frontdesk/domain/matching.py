"""Which clinicians fit a caller, and which of their slots to offer first.

Every rule is named, so the engine and staff can see why a clinician was not offered
(`fit_reasons` returns the reasons; an empty list means the clinician fits). Unknown
intake values do not filter, with one exception: telehealth needs the client's state,
because licensure follows where the client will be during sessions. A client already in
care with a clinician (`MatchCriteria.in_care`) is not asked it again for that clinician.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from frontdesk.domain.appointments import Appointment, AppointmentStatus, slot_key
from frontdesk.domain.calendar import (
    SESSION_MODALITIES,
    AppointmentType,
    AvailabilityException,
    BusyInterval,
    Slot,
    TimeOff,
    WeeklyBlock,
    iter_open_slots,
)
from frontdesk.domain.inquiries import AgeGroup, AvailabilityWindow, Intake, Modality, Payment
from frontdesk.domain.practice import Clinician, Service, ServiceKind


class Mismatch(StrEnum):
    """A named reason a clinician is not offered to a caller."""

    NOT_ACCEPTING = "not_accepting_new_clients"
    STATE_LICENSURE = "state_licensure"
    LOCATION = "location"
    MODALITY = "modality"
    PAYER_NETWORK = "payer_network"
    AGE_GROUP = "age_group"
    SPECIALTY = "specialty"
    CAPACITY = "capacity"
    PREFERENCE = "clinician_preference"


@dataclass(frozen=True, slots=True)
class MatchCriteria:
    """What a client needs from a clinician; None means the caller has not said.

    `reachable_locations` None means every practice location is reachable; an empty set
    means none is (the client can only be seen by video). `in_care` says the client is
    already seen by `clinician_id`: that clinician's licensure for them was settled when
    care began, so a video session with them needs no state.
    """

    modality: Modality | None = None
    state: str | None = None
    reachable_locations: frozenset[str] | None = None
    payment: Payment | None = None
    payer: str | None = None
    age_group: AgeGroup | None = None
    specialty: str | None = None
    clinician_id: str | None = None
    new_client: bool = True
    in_care: bool = False

    @staticmethod
    def from_intake(
        intake: Intake,
        *,
        specialty: str | None = None,
        reachable_locations: frozenset[str] | None = None,
        new_client: bool = True,
        in_care: bool = False,
    ) -> MatchCriteria:
        """Criteria from what the caller said; an explicit `specialty` wins over the intake's."""
        age = intake.client_age
        return MatchCriteria(
            modality=intake.modality,
            state=intake.state.upper() if intake.state else None,
            reachable_locations=reachable_locations,
            payment=intake.payment,
            payer=intake.payer,
            age_group=AgeGroup.for_age(age) if age is not None else None,
            specialty=specialty if specialty is not None else intake.specialty,
            clinician_id=intake.clinician_preference,
            new_client=new_client,
            in_care=in_care and intake.clinician_preference is not None,
        )

    @property
    def slot_modalities(self) -> frozenset[Modality]:
        """Session modalities a slot may have for this client (hybrid takes either)."""
        if self.modality is Modality.TELEHEALTH:
            return frozenset({Modality.TELEHEALTH})
        if self.modality is Modality.IN_PERSON:
            return frozenset({Modality.IN_PERSON})
        return SESSION_MODALITIES

    @property
    def needs_telehealth(self) -> bool:
        return self.modality in (Modality.TELEHEALTH, Modality.HYBRID)

    @property
    def needs_in_person(self) -> bool:
        return self.modality in (Modality.IN_PERSON, Modality.HYBRID)


def within_service(criteria: MatchCriteria, service: Service | None) -> MatchCriteria:
    """The criteria for one service: a service the practice offers one way only (a consult
    by video or phone, never in person) takes place that way, whatever the caller prefers
    for their sessions; its slots, licensure and offices follow from that."""
    if service is None:
        return criteria
    only = [m for m in (Modality.TELEHEALTH, Modality.IN_PERSON) if service.allows(m)]
    if len(only) != 1 or criteria.modality is only[0]:
        return criteria
    return replace(criteria, modality=only[0])


def service_slot_modalities(service: Service | None) -> frozenset[Modality]:
    """The session modalities a service's slots may have."""
    if service is None:
        return SESSION_MODALITIES
    return frozenset(m for m in SESSION_MODALITIES if service.allows(m))


def _offers(clinician: Clinician, modality: Modality) -> bool:
    return modality in clinician.modalities or Modality.HYBRID in clinician.modalities


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def fit_reasons(
    clinician: Clinician, criteria: MatchCriteria, *, capacity_left: int | None = None
) -> list[Mismatch]:
    """Every rule `clinician` fails for `criteria`, in a fixed order; empty means a fit.

    Private pay and sliding scale always satisfy the payer rule (whether the practice
    offers a sliding scale is the practice's setting, checked before matching). Capacity
    is checked only for new clients and only when `capacity_left` is given, because it
    depends on the week of the slot.
    """
    reasons: list[Mismatch] = []
    if criteria.new_client and not clinician.accepting_new_clients:
        reasons.append(Mismatch.NOT_ACCEPTING)
    if criteria.clinician_id is not None and criteria.clinician_id != clinician.id:
        reasons.append(Mismatch.PREFERENCE)
    if criteria.needs_telehealth:
        if not _offers(clinician, Modality.TELEHEALTH):
            reasons.append(Mismatch.MODALITY)
        if not _licensed(clinician, criteria):
            reasons.append(Mismatch.STATE_LICENSURE)
    if criteria.needs_in_person:
        if not _offers(clinician, Modality.IN_PERSON):
            if Mismatch.MODALITY not in reasons:
                reasons.append(Mismatch.MODALITY)
        elif not reachable_locations(clinician, criteria):
            reasons.append(Mismatch.LOCATION)
    if criteria.modality is None and not (
        _video_allowed(clinician, criteria) or _office_allowed(clinician, criteria)
    ):
        # the caller has not chosen: either way will do, but one must be lawful and reachable
        if _offers(clinician, Modality.TELEHEALTH):
            reasons.append(Mismatch.STATE_LICENSURE)
        if _offers(clinician, Modality.IN_PERSON):
            reasons.append(Mismatch.LOCATION)
    if criteria.payment is Payment.INSURANCE and (
        criteria.payer is None or criteria.payer not in clinician.payers
    ):
        reasons.append(Mismatch.PAYER_NETWORK)
    if criteria.age_group is not None and criteria.age_group not in clinician.age_groups:
        reasons.append(Mismatch.AGE_GROUP)
    if criteria.specialty is not None:
        wanted = _normal(criteria.specialty)
        if wanted not in {_normal(s) for s in clinician.specialties}:
            reasons.append(Mismatch.SPECIALTY)
    if criteria.new_client and capacity_left is not None and capacity_left <= 0:
        reasons.append(Mismatch.CAPACITY)
    return reasons


def _licensed(clinician: Clinician, criteria: MatchCriteria) -> bool:
    """Whether the clinician may see the client by video where the client will be."""
    if criteria.in_care and criteria.clinician_id == clinician.id:
        return True
    state = criteria.state
    return state is not None and state.upper() in clinician.licensed_states


def _video_allowed(clinician: Clinician, criteria: MatchCriteria) -> bool:
    return _offers(clinician, Modality.TELEHEALTH) and _licensed(clinician, criteria)


def _office_allowed(clinician: Clinician, criteria: MatchCriteria) -> bool:
    return _offers(clinician, Modality.IN_PERSON) and bool(reachable_locations(clinician, criteria))


def slot_allowed(slot: Slot, clinician: Clinician, criteria: MatchCriteria) -> bool:
    """Whether this slot's own modality is lawful and reachable for the client.

    A clinician may fit one way and not the other (a caller open to either); a video slot
    needs licensure in the client's state, an in-person one an office the client can reach.
    """
    if slot.modality not in criteria.slot_modalities:
        return False
    if slot.modality is Modality.TELEHEALTH:
        return _video_allowed(clinician, criteria)
    return slot.location_id in reachable_locations(clinician, criteria)


def fits(clinician: Clinician, criteria: MatchCriteria) -> bool:
    """Whether the clinician passes every rule but capacity (checked per week of a slot)."""
    return not fit_reasons(clinician, criteria)


def reachable_locations(clinician: Clinician, criteria: MatchCriteria) -> frozenset[str]:
    """Locations where this clinician sees clients in person that the client can reach."""
    if criteria.reachable_locations is None:
        return clinician.locations
    return clinician.locations & criteria.reachable_locations


NEW_CLIENT_KINDS: frozenset[ServiceKind] = frozenset({ServiceKind.FIRST_SESSION})
_HOLDING: frozenset[AppointmentStatus] = frozenset(
    {AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW}
)


def new_client_capacity_left(clinician: Clinician, week_bookings: Iterable[Appointment]) -> int:
    """New-client places left in one week, given that week's appointments (any clinician).

    A first session counts against capacity unless it was cancelled or moved; a no-show
    still took the place.
    """
    used = sum(
        1
        for appointment in week_bookings
        if appointment.clinician_id == clinician.id
        and appointment.kind in NEW_CLIENT_KINDS
        and appointment.status in _HOLDING
    )
    return max(clinician.new_client_capacity - used, 0)


def week_of(moment: datetime, zone: ZoneInfo) -> date:
    """The Monday (local date) of the practice week containing `moment`."""
    local = moment.astimezone(zone).date()
    return local - timedelta(days=local.weekday())


class CapacityLedger:
    """New-client capacity per clinician and local week, counted once, asked per slot."""

    def __init__(
        self,
        clinicians: Mapping[str, Clinician],
        appointments: Iterable[Appointment],
        *,
        zone: ZoneInfo,
    ) -> None:
        self._clinicians = clinicians
        self._zone = zone
        self._by_week: dict[tuple[str, date], list[Appointment]] = {}
        for appointment in appointments:
            if appointment.kind in NEW_CLIENT_KINDS and appointment.clinician_id in clinicians:
                key = (appointment.clinician_id, week_of(appointment.start, zone))
                self._by_week.setdefault(key, []).append(appointment)
        self._left: dict[tuple[str, date], int] = {}
        self._weeks: dict[datetime, date] = {}  # clinicians share starts

    def admits(self, slot: Slot) -> bool:
        """Whether the slot's clinician is known and, for a first session, has room that week."""
        clinician = self._clinicians.get(slot.clinician_id)
        if clinician is None:
            return False
        if slot.kind not in NEW_CLIENT_KINDS:
            return True
        week = self._weeks.get(slot.start)
        if week is None:
            week = self._weeks[slot.start] = week_of(slot.start, self._zone)
        key = (slot.clinician_id, week)
        left = self._left.get(key)
        if left is None:
            left = self._left[key] = new_client_capacity_left(clinician, self._by_week.get(key, ()))
        return left > 0


def within_capacity(
    slots: Iterable[Slot],
    clinicians: Mapping[str, Clinician],
    appointments: Iterable[Appointment],
    *,
    zone: ZoneInfo,
) -> list[Slot]:
    """Slots whose clinician has new-client capacity left in the slot's local week.

    Only new-client kinds (first sessions) are limited; other slots pass through; slots of
    clinicians not given are dropped.
    """
    ledger = CapacityLedger(clinicians, appointments, zone=zone)
    return [slot for slot in slots if ledger.admits(slot)]


BEST_FIT = 2


def window_fit(slot: Slot, windows: Sequence[AvailabilityWindow], zone: ZoneInfo) -> int:
    """2 when the whole session sits in one of the caller's windows, 1 when it starts in one.

    With no windows every slot scores 2: the caller is free any time.
    """
    if not windows:
        return 2
    start = slot.start.astimezone(zone)
    last_minute = (slot.end - timedelta(minutes=1)).astimezone(zone)
    best = 0
    for window in windows:
        if window.contains(start):
            if window.contains(last_minute):
                return 2
            best = 1
    return best


def rank_slots(
    slots: Iterable[Slot],
    windows: Sequence[AvailabilityWindow],
    *,
    zone: ZoneInfo,
    limit: int = 3,
    exclude: frozenset[str] = frozenset(),
) -> list[Slot]:
    """Up to `limit` slots: best fit with the caller's windows first, then earliest.

    `exclude` holds slot keys already offered, so "any others?" gets new choices.

    Slots outside every window are offered only when nothing fits. Among equally fitting
    slots the choice is spread: first one per local day, then other clinicians, then the
    rest in order; the result is in that fit-then-time order. One clinician's start is
    offered once, whatever its modality.
    """
    fit_of: dict[tuple[datetime, datetime], int] = {}  # clinicians share starts

    def fit(slot: Slot) -> int:
        key = (slot.start, slot.end)
        if key not in fit_of:
            fit_of[key] = window_fit(slot, windows, zone)
        return fit_of[key]

    scored = sorted(
        (
            (fit(slot), slot)
            for slot in slots
            if not exclude or slot_key(slot.clinician_id, slot.start) not in exclude
        ),
        key=lambda pair: (-pair[0], pair[1].start, pair[1].clinician_id),
    )
    if windows and any(score > 0 for score, _ in scored):
        scored = [pair for pair in scored if pair[0] > 0]
    chosen: list[tuple[int, Slot]] = []
    keys: set[tuple[str, datetime]] = set()
    days: set[date] = set()
    clinicians: set[str] = set()
    for tier in sorted({score for score, _ in scored}, reverse=True):
        tier_slots = [slot for score, slot in scored if score == tier]
        for spread in ("day", "clinician", "any"):
            for slot in tier_slots:
                if len(chosen) >= limit:
                    break
                key = (slot.clinician_id, slot.start)
                day = slot.start.astimezone(zone).date()
                if (
                    key in keys
                    or (spread == "day" and day in days)
                    or (spread == "clinician" and slot.clinician_id in clinicians)
                ):
                    continue
                chosen.append((tier, slot))
                keys.add(key)
                days.add(day)
                clinicians.add(slot.clinician_id)
    chosen.sort(key=lambda pair: (-pair[0], pair[1].start, pair[1].clinician_id))
    return [slot for _, slot in chosen]


@dataclass(frozen=True, slots=True)
class CalendarSnapshot:
    """Everything the calendar holds for a search: templates, changes and bookings."""

    templates: tuple[WeeklyBlock, ...]
    time_off: tuple[TimeOff, ...] = ()
    exceptions: tuple[AvailabilityException, ...] = ()
    busy: tuple[BusyInterval, ...] = ()  # imported from the EHR
    appointments: tuple[Appointment, ...] = ()  # held in Frontdesk (any status)


def find_openings(
    criteria: MatchCriteria,
    windows: Sequence[AvailabilityWindow],
    clinicians: Iterable[Clinician],
    snapshot: CalendarSnapshot,
    appointment_type: AppointmentType,
    *,
    now: datetime,
    zone: ZoneInfo,
    horizon_days: int = 60,
    granularity: timedelta = timedelta(minutes=30),
    limit: int = 3,
    exclude: frozenset[str] = frozenset(),
) -> list[Slot]:
    """The slots to offer one caller: fitting clinicians, free time, capacity, then ranking.

    Dates are searched in order and the search stops once `limit` dates hold a slot wholly
    inside the caller's windows, because ranking would choose from those dates alone.

    Live appointments count as busy time; each slot must be lawful and reachable in its
    own modality (`slot_allowed`). An empty result means no fit: offer the waitlist or a callback.
    """
    fitting = {c.id: c for c in clinicians if not fit_reasons(c, criteria)}
    if not fitting:
        return []
    ids = frozenset(fitting)
    live = [a for a in snapshot.appointments if a.clinician_id in ids and a.status.holds_slot]
    days = iter_open_slots(
        snapshot.templates,
        snapshot.time_off,
        snapshot.exceptions,
        [*snapshot.busy, *live],
        appointment_type,
        now=now,
        horizon_days=horizon_days,
        zone=zone,
        granularity=granularity,
        modalities=criteria.slot_modalities,
        clinician_ids=ids,
    )
    ledger = (
        CapacityLedger(fitting, snapshot.appointments, zone=zone) if criteria.new_client else None
    )
    found: list[Slot] = []
    best_days = 0  # dates holding a slot wholly inside a window: `limit` of them settle it
    for day in days:
        usable = [
            s
            for s in day
            if slot_allowed(s, fitting[s.clinician_id], criteria)
            and (ledger is None or ledger.admits(s))
            and (not exclude or slot_key(s.clinician_id, s.start) not in exclude)
        ]
        found.extend(usable)
        if any(window_fit(s, windows, zone) == BEST_FIT for s in usable):
            best_days += 1
            if best_days >= limit:
                break
    return rank_slots(found, windows, zone=zone, limit=limit)


def slots_near(slots: Iterable[Slot], wanted: datetime, *, limit: int = 3) -> list[Slot]:
    """The slots closest to a time the caller named, exact match first, then nearest.

    Equally near slots go earlier first; one clinician's start is listed once.
    """
    ordered = sorted(slots, key=lambda s: (abs(s.start - wanted), s.start, s.clinician_id))
    seen: set[tuple[str, datetime]] = set()
    out: list[Slot] = []
    for slot in ordered:
        key = (slot.clinician_id, slot.start)
        if key in seen:
            continue
        seen.add(key)
        out.append(slot)
        if len(out) >= limit:
            break
    return out
