"""Waitlist matching order and the offer round of an opening."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.inquiries import AvailabilityWindow, Modality, Payment
from frontdesk.domain.matching import MatchCriteria
from frontdesk.domain.messages import QuietHours
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.waitlist import (
    OfferHold,
    OfferStatus,
    WaitlistEntry,
    WaitlistStatus,
    accept,
    advance,
    candidates_for,
    decline,
    open_round,
    withdraw,
)

from .builders import ZONE, clinician, local, slot

OPENING = slot(local(date(2026, 3, 10), 18))  # Tuesday 6 pm, by video
CRITERIA = MatchCriteria(modality=Modality.TELEHEALTH, state="NY", payment=Payment.PRIVATE_PAY)
CLINICIANS = {"dana": clinician()}
T0 = local(date(2026, 3, 8), 12)
HOLD = OfferHold(timedelta(hours=2))  # no quiet hours: the hold counts from the offer
TWO_HOURS = timedelta(hours=2)
NIGHT = QuietHours(time(21), time(8))
NIGHT_HOLD = OfferHold(TWO_HOURS, NIGHT, ZONE)


def entry(entry_id: str, days_ago: int, **changes: object) -> WaitlistEntry:
    base = WaitlistEntry(entry_id, CRITERIA, (), T0 - timedelta(days=days_ago))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_candidates_are_ordered_by_date_added() -> None:
    """The oldest entry is offered first, whatever order the entries come in."""
    entries = [entry("new", 1), entry("old", 30), entry("mid", 10)]
    ordered = candidates_for(OPENING, entries, CLINICIANS, zone=ZONE)
    assert [e.id for e in ordered] == ["old", "mid", "new"]


def test_candidates_respect_criteria_windows_kind_and_status() -> None:
    """Entries whose state, windows, modality, kind or status rule the opening out are skipped."""
    mornings = (AvailabilityWindow("mornings", end=time(12)),)
    evenings = (AvailabilityWindow("evenings", start=time(17)),)
    entries = [
        entry("fits", 5, windows=evenings),
        entry("wrong-state", 6, criteria=replace(CRITERIA, state="CA")),
        entry("mornings-only", 7, windows=mornings),
        entry("in-person", 8, criteria=replace(CRITERIA, modality=Modality.IN_PERSON)),
        entry("ongoing", 9, kind=ServiceKind.ONGOING),
        entry("booked", 10, status=WaitlistStatus.BOOKED),
    ]
    assert [e.id for e in candidates_for(OPENING, entries, CLINICIANS, zone=ZONE)] == ["fits"]


def test_in_person_opening_needs_a_reachable_location() -> None:
    """An in-person opening at an office the client cannot reach is not offered to them."""
    office = slot(
        OPENING.start.astimezone(ZONE), modality=Modality.IN_PERSON, location_id="midtown"
    )
    in_person = replace(CRITERIA, modality=Modality.IN_PERSON)
    near = entry("near", 2, criteria=in_person)
    far = entry("far", 3, criteria=replace(in_person, reachable_locations=frozenset({"bronx"})))
    assert [e.id for e in candidates_for(office, [near, far], CLINICIANS, zone=ZONE)] == ["near"]


def test_full_capacity_offers_nobody_a_first_session() -> None:
    """With no new-client capacity left that week, no entry is a candidate."""
    assert candidates_for(OPENING, [entry("a", 1)], CLINICIANS, zone=ZONE, capacity_left=0) == []


def test_unknown_clinician_is_not_found() -> None:
    """An opening for a clinician not in the practice is refused."""
    with pytest.raises(NotFound):
        candidates_for(slot(OPENING.start, "ghost"), [], CLINICIANS, zone=ZONE)


def _round(*ids: str):  # type: ignore[no-untyped-def]
    return open_round("dana@opening", [entry(i, n) for n, i in enumerate(ids)])


def test_offers_go_out_in_order_one_at_a_time() -> None:
    """The first advance offers the first candidate only, held for the hold window."""
    state, made, expired = advance(_round("a", "b", "c"), at=T0, hold=HOLD)
    assert [(o.entry_id, o.expires_at) for o in made] == [("a", T0 + TWO_HOURS)]
    assert expired == []
    again, more, _ = advance(state, at=T0 + timedelta(minutes=5), hold=HOLD)
    assert more == []
    assert again == state


def test_expired_offer_moves_to_the_next_candidate() -> None:
    """When the hold runs out, that offer expires and the next candidate is asked."""
    state, _, _ = advance(_round("a", "b"), at=T0, hold=HOLD)
    state, made, expired = advance(state, at=T0 + TWO_HOURS, hold=HOLD)
    assert [(o.entry_id, o.status) for o in expired] == [("a", OfferStatus.EXPIRED)]
    assert [o.entry_id for o in made] == ["b"]


def test_first_acceptance_wins_and_the_others_hear_it_has_gone() -> None:
    """With three offers out, the first to accept books; the other open offers become gone."""
    state, made, _ = advance(_round("a", "b", "c"), at=T0, hold=HOLD, batch=3)
    assert len(made) == 3
    state, accepted, gone = accept(state, "b", at=T0 + timedelta(minutes=3))
    assert accepted.status is OfferStatus.ACCEPTED
    assert sorted(o.entry_id for o in gone) == ["a", "c"]
    assert {o.status for o in gone} == {OfferStatus.GONE}
    assert state.filled_by == "b"
    with pytest.raises(Conflict):
        accept(state, "a", at=T0 + timedelta(minutes=4))
    assert advance(state, at=T0 + timedelta(hours=5), hold=HOLD)[1] == []


def test_acceptance_after_the_hold_is_refused() -> None:
    """Accepting at or after the hold's end is a conflict: the offer has lapsed."""
    state, _, _ = advance(_round("a"), at=T0, hold=HOLD)
    with pytest.raises(Conflict):
        accept(state, "a", at=T0 + TWO_HOURS)
    assert (
        accept(state, "a", at=T0 + TWO_HOURS - timedelta(seconds=1))[1].status
        is OfferStatus.ACCEPTED
    )


def test_decline_frees_the_turn_for_the_next() -> None:
    """A decline is recorded and the next advance asks the next candidate at once."""
    state, _, _ = advance(_round("a", "b"), at=T0, hold=HOLD)
    state, declined = decline(state, "a", at=T0 + timedelta(minutes=1))
    assert declined.status is OfferStatus.DECLINED
    _, made, _ = advance(state, at=T0 + timedelta(minutes=1), hold=HOLD)
    assert [o.entry_id for o in made] == ["b"]
    with pytest.raises(Conflict):
        decline(state, "a", at=T0 + timedelta(minutes=2))


def test_withdraw_closes_the_round() -> None:
    """An opening taken another way turns every open offer to gone and stops further offers."""
    state, _, _ = advance(_round("a", "b"), at=T0, hold=HOLD)
    state, gone = withdraw(state, at=T0 + timedelta(minutes=10))
    assert [(o.entry_id, o.status) for o in gone] == [("a", OfferStatus.GONE)]
    assert advance(state, at=T0 + TWO_HOURS, hold=HOLD)[1] == []


def test_unknown_entry_and_bad_parameters_are_refused() -> None:
    """An entry without an offer is not found; a non-positive hold or batch is invalid."""
    state = _round("a")
    with pytest.raises(NotFound):
        accept(state, "a", at=T0)
    with pytest.raises(InvalidInput):
        OfferHold(timedelta(0))
    with pytest.raises(InvalidInput):
        advance(state, at=T0, hold=HOLD, batch=0)


def test_an_offer_made_in_the_day_is_held_from_when_it_is_made() -> None:
    """Outside quiet hours the text goes at once and the hold ends a window after the offer."""
    made = local(date(2026, 6, 2), 14)
    assert NIGHT_HOLD.texted_at(made) == made
    assert NIGHT_HOLD.expires_at(made) == local(date(2026, 6, 2), 16)


def test_an_offer_made_late_in_the_evening_is_held_from_the_next_morning() -> None:
    """An offer at 11 pm is texted at 8 am the next day and held until 10 am."""
    made = local(date(2026, 6, 2), 23)
    assert NIGHT_HOLD.texted_at(made) == local(date(2026, 6, 3), 8)
    assert NIGHT_HOLD.expires_at(made) == local(date(2026, 6, 3), 10)


def test_an_offer_made_after_midnight_is_held_from_that_morning() -> None:
    """An offer at 12:30 am is texted at 8 am the same day, not the day after."""
    made = local(date(2026, 6, 3), 0, 30)
    assert NIGHT_HOLD.expires_at(made) == local(date(2026, 6, 3), 10)


def test_an_offer_just_before_quiet_hours_keeps_its_own_window() -> None:
    """An offer at 8:30 pm was texted at once, so its hold runs to 10:30 pm, into the night."""
    made = local(date(2026, 6, 2), 20, 30)
    assert NIGHT_HOLD.expires_at(made) == local(date(2026, 6, 2), 22, 30)


def test_the_night_hold_follows_the_wall_clock_across_daylight_saving() -> None:
    """On the nights clocks change, the hold still ends two hours after 8 am local time."""
    spring = NIGHT_HOLD.expires_at(local(date(2026, 3, 7), 23))  # clocks go forward at 2 am
    autumn = NIGHT_HOLD.expires_at(local(date(2026, 10, 31), 23))  # and back on Nov 1
    assert spring.astimezone(ZONE).replace(tzinfo=None) == datetime(2026, 3, 8, 10)
    assert autumn.astimezone(ZONE).replace(tzinfo=None) == datetime(2026, 11, 1, 10)
    assert spring - local(date(2026, 3, 7), 23) == timedelta(hours=10)
    assert autumn - local(date(2026, 10, 31), 23) == timedelta(hours=12)


def test_a_night_offer_records_when_it_was_made_and_expires_after_the_morning_text() -> None:
    """The round keeps `offered_at` as the moment of the offer and holds it past 8 am."""
    night = local(date(2026, 3, 8), 23)
    state, made, _ = advance(_round("a", "b"), at=night, hold=NIGHT_HOLD)
    (offer,) = made
    assert offer.offered_at == night
    assert offer.expires_at == local(date(2026, 3, 9), 10)
    morning = local(date(2026, 3, 9), 8, 30)
    state, made, expired = advance(state, at=morning, hold=NIGHT_HOLD)
    assert (made, expired) == ([], [])
    assert accept(state, "a", at=morning)[1].status is OfferStatus.ACCEPTED


def test_no_offer_is_made_when_its_text_could_not_go_out_before_the_appointment() -> None:
    """At 11 pm an opening starting at 7:30 am is offered to nobody; one at 9 am is offered."""
    night = local(date(2026, 3, 8), 23)
    early = local(date(2026, 3, 9), 7, 30)
    later = local(date(2026, 3, 9), 9)
    state, made, _ = advance(_round("a"), at=night, hold=NIGHT_HOLD, starts_at=early)
    assert made == []
    assert state.offers == ()
    assert NIGHT_HOLD.reaches_before(night, later)
    assert [
        o.entry_id for o in advance(_round("a"), at=night, hold=NIGHT_HOLD, starts_at=later)[1]
    ] == ["a"]
