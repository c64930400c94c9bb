"""Which clinicians fit a caller, capacity per week, and how slots are ranked."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from frontdesk.domain.appointments import Appointment, AppointmentStatus, slot_key
from frontdesk.domain.calendar import open_slots
from frontdesk.domain.inquiries import (
    AgeGroup,
    AvailabilityWindow,
    Intake,
    Modality,
    Payment,
    Weekday,
)
from frontdesk.domain.matching import (
    CalendarSnapshot,
    MatchCriteria,
    Mismatch,
    find_openings,
    fit_reasons,
    fits,
    new_client_capacity_left,
    rank_slots,
    slot_allowed,
    slots_near,
    within_capacity,
)
from frontdesk.domain.practice import ServiceKind

from . import synthetic
from .builders import ZONE, appointment, block, clinician, hour_session, local, slot

VIDEO_NY = MatchCriteria(
    modality=Modality.TELEHEALTH,
    state="NY",
    payment=Payment.INSURANCE,
    payer="aetna",
    age_group=AgeGroup.ADULT,
    specialty="anxiety",
)
IN_PERSON = replace(VIDEO_NY, modality=Modality.IN_PERSON, state=None)
MONDAY = date(2026, 3, 2)


def test_default_clinician_fits_default_criteria() -> None:
    """A clinician meeting every rule has no mismatch."""
    assert fit_reasons(clinician(), VIDEO_NY) == []
    assert fit_reasons(clinician(), IN_PERSON) == []


@pytest.mark.parametrize(
    ("criteria", "changes", "reason"),
    [
        (replace(VIDEO_NY, state="CA"), {}, Mismatch.STATE_LICENSURE),
        (replace(VIDEO_NY, state=None), {}, Mismatch.STATE_LICENSURE),
        (VIDEO_NY, {"modalities": frozenset({Modality.IN_PERSON})}, Mismatch.MODALITY),
        (IN_PERSON, {"modalities": frozenset({Modality.TELEHEALTH})}, Mismatch.MODALITY),
        (replace(IN_PERSON, reachable_locations=frozenset({"brooklyn"})), {}, Mismatch.LOCATION),
        (IN_PERSON, {"locations": frozenset()}, Mismatch.LOCATION),
        (replace(VIDEO_NY, payer="cigna"), {}, Mismatch.PAYER_NETWORK),
        (replace(VIDEO_NY, payer=None), {}, Mismatch.PAYER_NETWORK),
        (replace(VIDEO_NY, age_group=AgeGroup.CHILD), {}, Mismatch.AGE_GROUP),
        (replace(VIDEO_NY, specialty="eating disorders"), {}, Mismatch.SPECIALTY),
        (VIDEO_NY, {"accepting_new_clients": False}, Mismatch.NOT_ACCEPTING),
        (replace(VIDEO_NY, clinician_id="sam"), {}, Mismatch.PREFERENCE),
    ],
)
def test_each_rule_names_its_own_mismatch(
    criteria: MatchCriteria, changes: dict[str, object], reason: Mismatch
) -> None:
    """Breaking exactly one rule yields exactly that rule's reason."""
    assert fit_reasons(clinician(**changes), criteria) == [reason]


@pytest.mark.parametrize(
    ("criteria", "changes"),
    [
        (replace(VIDEO_NY, state="nj"), {}),
        (VIDEO_NY, {"modalities": frozenset({Modality.HYBRID})}),
        (replace(IN_PERSON, reachable_locations=frozenset({"midtown", "brooklyn"})), {}),
        (replace(VIDEO_NY, payment=Payment.PRIVATE_PAY, payer=None), {"payers": frozenset()}),
        (replace(VIDEO_NY, payment=Payment.SLIDING_SCALE, payer=None), {"payers": frozenset()}),
        (replace(VIDEO_NY, specialty="  ANXIETY "), {}),
        (replace(VIDEO_NY, age_group=None, specialty=None, payment=None), {}),
        (replace(VIDEO_NY, new_client=False), {"accepting_new_clients": False}),
        (replace(VIDEO_NY, clinician_id="dana"), {}),
    ],
)
def test_rules_pass_when_met(criteria: MatchCriteria, changes: dict[str, object]) -> None:
    """Another licensed state, hybrid clinicians, a reachable office, self-pay and unknowns fit."""
    assert fit_reasons(clinician(**changes), criteria) == []


def test_hybrid_needs_both_ways() -> None:
    """A hybrid client needs a clinician licensed for video and seeing clients in person."""
    hybrid = replace(VIDEO_NY, modality=Modality.HYBRID)
    assert fit_reasons(clinician(), hybrid) == []
    video_only = clinician(modalities=frozenset({Modality.TELEHEALTH}))
    assert fit_reasons(video_only, hybrid) == [Mismatch.MODALITY]
    assert hybrid.slot_modalities == frozenset({Modality.TELEHEALTH, Modality.IN_PERSON})


def test_several_failures_are_all_reported() -> None:
    """A clinician failing state, payer and age rules gets all three reasons."""
    criteria = replace(VIDEO_NY, state="TX", payer="cigna", age_group=AgeGroup.CHILD)
    assert fit_reasons(clinician(), criteria) == [
        Mismatch.STATE_LICENSURE,
        Mismatch.PAYER_NETWORK,
        Mismatch.AGE_GROUP,
    ]


def test_capacity_rule_applies_to_new_clients_only() -> None:
    """No capacity left is a mismatch for a new client and irrelevant for an existing one."""
    assert fit_reasons(clinician(), VIDEO_NY, capacity_left=0) == [Mismatch.CAPACITY]
    assert fit_reasons(clinician(), VIDEO_NY, capacity_left=1) == []
    existing = replace(VIDEO_NY, new_client=False)
    assert fit_reasons(clinician(), existing, capacity_left=0) == []


def test_criteria_from_intake() -> None:
    """Intake values become criteria: the age becomes an age group and the state is upper-cased."""
    intake = Intake(
        client_age=15,
        modality=Modality.TELEHEALTH,
        state="ny",
        payment=Payment.INSURANCE,
        payer="aetna",
        specialty="anxiety",
        clinician_preference="dana",
    )
    criteria = MatchCriteria.from_intake(intake, specialty="couples")
    assert criteria == MatchCriteria(
        modality=Modality.TELEHEALTH,
        state="NY",
        payment=Payment.INSURANCE,
        payer="aetna",
        age_group=AgeGroup.ADOLESCENT,
        specialty="couples",
        clinician_id="dana",
    )
    assert MatchCriteria.from_intake(Intake()).age_group is None


def test_capacity_counts_live_first_sessions_of_that_clinician() -> None:
    """Booked, attended and no-show first sessions use capacity; cancellations and others do not."""
    week = [
        appointment(local(MONDAY, 9), "a1"),
        replace(appointment(local(MONDAY, 10), "a2"), status=AppointmentStatus.NO_SHOW),
        replace(appointment(local(MONDAY, 11), "a3"), status=AppointmentStatus.CANCELLED),
        appointment(local(MONDAY, 12), "a4", kind=ServiceKind.ONGOING),
        appointment(local(MONDAY, 13), "a5", "sam"),
    ]
    assert new_client_capacity_left(clinician(new_client_capacity=3), week) == 1
    assert new_client_capacity_left(clinician(new_client_capacity=1), week) == 0


def test_within_capacity_drops_first_sessions_in_full_weeks() -> None:
    """A week at capacity loses its first-session slots; the next week and ongoing slots stay."""
    booked = [appointment(local(MONDAY, 9), "a1"), appointment(local(MONDAY, 10), "a2")]
    full_week = slot(local(date(2026, 3, 4), 9))
    next_week = slot(local(date(2026, 3, 9), 9))
    ongoing = slot(local(date(2026, 3, 4), 10), kind=ServiceKind.ONGOING)
    stranger = slot(local(date(2026, 3, 4), 11), "nobody")
    kept = within_capacity(
        [full_week, next_week, ongoing, stranger],
        {"dana": clinician(new_client_capacity=2)},
        booked,
        zone=ZONE,
    )
    assert kept == [next_week, ongoing]


EVENINGS = (AvailabilityWindow("weekday evenings", start=time(17)),)


def test_rank_prefers_window_fit_over_earliest() -> None:
    """A later slot inside the caller's evening window beats an earlier morning one."""
    morning = slot(local(MONDAY, 9))
    evening = slot(local(MONDAY, 18))
    assert rank_slots([morning, evening], EVENINGS, zone=ZONE) == [evening]


def test_rank_prefers_whole_session_inside_window() -> None:
    """A session wholly inside the window ranks above one that only starts inside it."""
    window = (AvailabilityWindow("before noon", end=time(12)),)
    straddles = slot(local(MONDAY, 11, 30))
    inside = slot(local(date(2026, 3, 3), 9))
    assert rank_slots([straddles, inside], window, zone=ZONE)[0] == inside


def test_rank_falls_back_to_earliest_when_nothing_fits_the_windows() -> None:
    """With no slot in any window, the earliest slots are offered."""
    first = slot(local(MONDAY, 9))
    second = slot(local(date(2026, 3, 3), 9))
    assert rank_slots([second, first], EVENINGS, zone=ZONE) == [first, second]


def test_rank_limits_to_three_and_spreads_across_days() -> None:
    """Five equal slots on two days give three, covering both days before repeating one."""
    monday = [slot(local(MONDAY, h)) for h in (17, 18, 19)]
    tuesday = [slot(local(date(2026, 3, 3), h)) for h in (17, 18)]
    ranked = rank_slots(monday + tuesday, EVENINGS, zone=ZONE)
    assert ranked == [monday[0], monday[1], tuesday[0]]


def test_rank_spreads_across_clinicians_on_one_day() -> None:
    """On one day, another clinician's slot comes before a second one from the same clinician."""
    dana = [slot(local(MONDAY, h)) for h in (17, 18)]
    sam = slot(local(MONDAY, 19), "sam")
    assert rank_slots([*dana, sam], EVENINGS, zone=ZONE, limit=2) == [dana[0], sam]


def test_rank_offers_one_start_once_whatever_the_modality() -> None:
    """The same clinician and start by video and in person count as one choice."""
    video = slot(local(MONDAY, 17))
    office = slot(local(MONDAY, 17), modality=Modality.IN_PERSON, location_id="midtown")
    later = slot(local(MONDAY, 18))
    assert rank_slots([video, office, later], EVENINGS, zone=ZONE) == [video, later]


def test_rank_uses_weekday_windows_in_local_time() -> None:
    """A Tuesday-only window selects the Tuesday slot even though Monday is earlier."""
    tuesdays = (AvailabilityWindow("Tuesdays", weekdays=frozenset({Weekday.TUESDAY})),)
    monday = slot(local(MONDAY, 9))
    tuesday = slot(local(date(2026, 3, 3), 9))
    assert rank_slots([monday, tuesday], tuesdays, zone=ZONE) == [tuesday]


def test_rank_without_windows_is_earliest_first() -> None:
    """A caller free any time gets the earliest slots, one per day first."""
    slots = [slot(local(MONDAY, h)) for h in (9, 10)] + [slot(local(date(2026, 3, 3), 9))]
    assert rank_slots(slots, (), zone=ZONE, limit=2) == [slots[0], slots[2]]


def _snapshot(*appointments: Appointment) -> CalendarSnapshot:
    templates = (
        block("dana", Weekday.MONDAY, 17, 20),
        block("dana", Weekday.TUESDAY, 17, 20),
        block("sam", Weekday.MONDAY, 17, 20),
    )
    return CalendarSnapshot(templates, appointments=appointments)


def _find(
    criteria: MatchCriteria, snapshot: CalendarSnapshot, **changes: object
) -> list[tuple[str, datetime]]:
    sam = clinician("sam", licensed_states=frozenset({"CA"}))
    found = find_openings(
        criteria,
        EVENINGS,
        [clinician(), sam],
        snapshot,
        hour_session(),
        now=local(date(2026, 3, 1), 8),
        zone=ZONE,
        horizon_days=6,
        granularity=timedelta(hours=1),
    )
    return [(s.clinician_id, s.start.astimezone(ZONE)) for s in found]


def test_find_openings_offers_only_fitting_clinicians_free_time() -> None:
    """Only the NY-licensed clinician is offered, and her booked 5 pm is skipped."""
    booked = appointment(local(MONDAY, 17), kind=ServiceKind.ONGOING)
    assert _find(VIDEO_NY, _snapshot(booked)) == [
        ("dana", local(MONDAY, 18)),
        ("dana", local(MONDAY, 19)),
        ("dana", local(date(2026, 3, 3), 17)),
    ]


def test_find_openings_respects_weekly_capacity_and_reachability() -> None:
    """A full week offers nothing to a new client, and an unreachable office offers nothing."""
    full = _snapshot(
        appointment(local(MONDAY, 10), "a1", clinician_id="dana"),
        appointment(local(MONDAY, 11), "a2", clinician_id="dana"),
    )
    assert _find(VIDEO_NY, full) == []
    assert _find(replace(VIDEO_NY, new_client=False), full) != []
    far = replace(IN_PERSON, reachable_locations=frozenset({"bronx"}))
    assert _find(far, _snapshot()) == []
    assert _find(replace(VIDEO_NY, state="TX"), _snapshot()) == []


@pytest.mark.parametrize("seed", range(6))
def test_find_openings_early_stop_matches_the_full_search(seed: int) -> None:
    """Stopping at the first dates that settle the ranking gives what ranking every slot gives."""
    rng = random.Random(seed)
    people = [clinician(f"c{n}", new_client_capacity=rng.randint(0, 2)) for n in range(4)]
    templates = tuple(
        block(c.id, day, rng.choice((9, 13)), rng.choice((17, 20)))
        for c in people
        for day in rng.sample(list(Weekday)[:5], 3)
    )
    booked = tuple(
        appointment(
            local(date(2026, 3, rng.randint(2, 27)), rng.randint(9, 19)),
            f"a{n}",
            rng.choice(people).id,
            kind=rng.choice((ServiceKind.FIRST_SESSION, ServiceKind.ONGOING)),
        )
        for n in range(40)
    )
    snapshot = CalendarSnapshot(templates, appointments=booked)
    windows = rng.choice(
        [(), EVENINGS, (AvailabilityWindow("Fridays", weekdays=frozenset({Weekday.FRIDAY})),)]
    )
    criteria = replace(VIDEO_NY, modality=rng.choice((Modality.TELEHEALTH, Modality.HYBRID)))
    now = local(date(2026, 3, 1), 8)
    kind = hour_session()
    everything = within_capacity(
        open_slots(
            templates,
            (),
            (),
            [a.as_busy() for a in booked],
            kind,
            now=now,
            horizon_days=27,
            zone=ZONE,
            modalities=criteria.slot_modalities,
        ),
        {c.id: c for c in people},
        booked,
        zone=ZONE,
    )
    expected = rank_slots(everything, windows, zone=ZONE)
    found = find_openings(
        criteria, windows, people, snapshot, kind, now=now, zone=ZONE, horizon_days=27
    )
    assert found == expected


def test_exclude_gives_other_choices_when_the_caller_asks_for_more() -> None:
    """Slots already offered are left out, so the next three are new."""
    slots = [slot(local(MONDAY, h)) for h in (17, 18, 19)]
    first = rank_slots(slots, EVENINGS, zone=ZONE, limit=1)
    offered = frozenset(slot_key(s.clinician_id, s.start) for s in first)
    assert rank_slots(slots, EVENINGS, zone=ZONE, limit=1, exclude=offered) == [slots[1]]
    found = _find(VIDEO_NY, _snapshot())
    again = find_openings(
        VIDEO_NY,
        EVENINGS,
        [clinician()],
        _snapshot(),
        hour_session(),
        now=local(date(2026, 3, 1), 8),
        zone=ZONE,
        horizon_days=6,
        granularity=timedelta(hours=1),
        exclude=frozenset(slot_key("dana", when) for _, when in found),
    )
    tuesday = date(2026, 3, 3)
    assert [s.start.astimezone(ZONE) for s in again] == [
        local(MONDAY, 19),
        local(tuesday, 18),
        local(tuesday, 19),
    ]


def test_slots_near_a_named_time() -> None:
    """A named time returns the exact slot first, then the nearest, earlier winning ties."""
    slots = [slot(local(MONDAY, h)) for h in (15, 16, 17, 18)]
    near = slots_near(slots, local(MONDAY, 17), limit=3)
    assert near == [slots[2], slots[1], slots[3]]
    assert slots_near([], local(MONDAY, 17)) == []


def test_find_openings_on_a_thirty_clinician_practice_matches_the_full_search() -> None:
    """At practice scale, each caller's three offers equal ranking every fitting open slot."""
    practice = synthetic.build()
    for criteria in synthetic.CALLERS.values():
        fitting = {c.id: c for c in practice.clinicians if fits(c, criteria)}
        live = [a for a in practice.snapshot.appointments if a.status.holds_slot]
        everything = open_slots(
            practice.snapshot.templates,
            (),
            (),
            live,
            practice.first_session,
            now=synthetic.NOW,
            horizon_days=60,
            zone=synthetic.ZONE,
            granularity=timedelta(hours=1),
            modalities=criteria.slot_modalities,
            clinician_ids=frozenset(fitting),
        )
        reachable = [s for s in everything if slot_allowed(s, fitting[s.clinician_id], criteria)]
        kept = within_capacity(reachable, fitting, practice.snapshot.appointments, zone=ZONE)
        expected = rank_slots(kept, synthetic.EVENINGS, zone=ZONE)
        assert len(expected) == 3
        assert synthetic.search(practice, criteria) == expected


def test_undecided_modality_needs_one_lawful_way() -> None:
    """A caller open to either way fits a clinician who can lawfully see them one way."""
    either = replace(VIDEO_NY, modality=None)
    assert fit_reasons(clinician(), either) == []
    video_elsewhere = clinician(
        licensed_states=frozenset({"CA"}), modalities=frozenset({Modality.TELEHEALTH})
    )
    assert fit_reasons(video_elsewhere, either) == [Mismatch.STATE_LICENSURE]
    office_only_unlicensed = clinician(licensed_states=frozenset({"CA"}))
    assert fit_reasons(office_only_unlicensed, either) == []
    far = replace(either, reachable_locations=frozenset())
    assert fit_reasons(office_only_unlicensed, far) == [Mismatch.STATE_LICENSURE, Mismatch.LOCATION]


def test_slot_allowed_checks_each_slot_in_its_own_modality() -> None:
    """A clinician fitting in person only may not be offered by video in a state they lack."""
    either = replace(VIDEO_NY, modality=None)
    unlicensed = clinician(licensed_states=frozenset({"CA"}))
    video = slot(local(MONDAY, 17))
    office = slot(local(MONDAY, 17), modality=Modality.IN_PERSON, location_id="midtown")
    assert not slot_allowed(video, unlicensed, either)
    assert slot_allowed(office, unlicensed, either)
    assert slot_allowed(video, clinician(), either)
    assert not slot_allowed(office, clinician(), replace(either, reachable_locations=frozenset()))
    assert not slot_allowed(office, clinician(), VIDEO_NY)


def test_a_client_in_care_needs_no_state_for_video_with_their_own_clinician() -> None:
    """In care with a clinician, video with them needs no state; anyone else still needs one."""
    moving = MatchCriteria(
        modality=Modality.TELEHEALTH, clinician_id="dana", new_client=False, in_care=True
    )
    assert fit_reasons(clinician(), moving) == []
    assert slot_allowed(slot(local(MONDAY, 10)), clinician(), moving)
    other = replace(moving, clinician_id="eli")
    assert fit_reasons(clinician("eli"), other) == []
    assert fit_reasons(clinician("eli"), replace(other, in_care=False)) == [
        Mismatch.STATE_LICENSURE
    ]
    assert fit_reasons(clinician(), replace(moving, in_care=False)) == [Mismatch.STATE_LICENSURE]
    not_theirs = replace(moving, clinician_id=None)
    assert fit_reasons(clinician(), not_theirs) == [Mismatch.STATE_LICENSURE]


def test_in_care_comes_from_the_intake_only_with_a_clinician_named() -> None:
    """`from_intake` marks a client in care only when the intake names their clinician."""
    video = Intake(modality=Modality.TELEHEALTH)
    assert not MatchCriteria.from_intake(video, in_care=True).in_care
    named = replace(video, clinician_preference="dana")
    assert MatchCriteria.from_intake(named, in_care=True, new_client=False).in_care
