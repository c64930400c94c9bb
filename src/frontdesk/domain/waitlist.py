"""The waitlist and the offers of an opening to it, as pure values and transitions.

When an opening appears, `candidates_for` lists the entries it suits, oldest first. An
`OpeningOffers` round then texts them in that order, `batch` at a time, each offer held for
a hold window: the first to accept gets the slot, the others still holding an offer are
told it has gone, and an unanswered offer expires so the next entry is asked. Every
transition returns new values and the offers it changed, which persistence records.

The hold counts from when the offer text can first reach the person (`OfferHold`): an
offer made in quiet hours waits in the outbox until they end, and so does its clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from frontdesk.domain.calendar import Slot
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.inquiries import AvailabilityWindow
from frontdesk.domain.matching import (
    BEST_FIT,
    MatchCriteria,
    fit_reasons,
    slot_allowed,
    window_fit,
)
from frontdesk.domain.messages import QuietHours, next_allowed
from frontdesk.domain.practice import Clinician, ServiceKind


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    BOOKED = "booked"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    """A client waiting for an opening, with the same criteria and windows as a booking."""

    id: str
    criteria: MatchCriteria
    windows: tuple[AvailabilityWindow, ...]
    added_at: datetime
    status: WaitlistStatus = WaitlistStatus.WAITING
    kind: ServiceKind = ServiceKind.FIRST_SESSION


def suits(
    slot: Slot,
    entry: WaitlistEntry,
    clinician: Clinician,
    *,
    zone: ZoneInfo,
    capacity_left: int | None = None,
) -> bool:
    """Whether the opening fits the entry's criteria, modality, location and windows."""
    if entry.status is not WaitlistStatus.WAITING or entry.kind is not slot.kind:
        return False
    criteria = entry.criteria
    if fit_reasons(clinician, criteria, capacity_left=capacity_left):
        return False
    if not slot_allowed(slot, clinician, criteria):
        return False
    return window_fit(slot, entry.windows, zone) == BEST_FIT  # no windows: any time suits


def candidates_for(
    opening: Slot,
    entries: Iterable[WaitlistEntry],
    clinicians: Mapping[str, Clinician],
    *,
    zone: ZoneInfo,
    capacity_left: int | None = None,
) -> list[WaitlistEntry]:
    """Waiting entries the opening suits, in the order they joined (then by id)."""
    clinician = clinicians.get(opening.clinician_id)
    if clinician is None:
        raise NotFound(f"clinician {opening.clinician_id} is not in the practice")
    matched = [
        entry
        for entry in entries
        if suits(opening, entry, clinician, zone=zone, capacity_left=capacity_left)
    ]
    return sorted(matched, key=lambda entry: (entry.added_at, entry.id))


class OfferStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    GONE = "gone"  # someone else accepted first, or the opening was withdrawn

    @property
    def is_open(self) -> bool:
        return self is OfferStatus.OFFERED


@dataclass(frozen=True, slots=True)
class Offer:
    """One text offering one opening to one waitlist entry, held until `expires_at`."""

    entry_id: str
    slot_key: str
    offered_at: datetime
    expires_at: datetime
    status: OfferStatus = OfferStatus.OFFERED
    answered_at: datetime | None = None

    def is_live(self, at: datetime) -> bool:
        """Open and still inside its hold window (the hold ends at `expires_at`, exclusive)."""
        return self.status.is_open and at < self.expires_at


@dataclass(frozen=True, slots=True)
class OfferHold:
    """How long an offer is held: `hold`, counted from when its text can first be sent.

    A text made inside `quiet` hours (read on the wall clock of `zone`) waits for them to
    end, so an offer made at 11 pm with a two-hour hold and 21:00-08:00 quiet hours is
    texted at 8 am and held until 10 am. The offer keeps its own `offered_at`; only its
    `expires_at` comes from here.
    """

    hold: timedelta
    quiet: QuietHours | None = None
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))

    def __post_init__(self) -> None:
        if self.hold <= timedelta(0):
            raise InvalidInput("an offer needs a positive hold")

    def texted_at(self, offered_at: datetime) -> datetime:
        """When the text of an offer made at `offered_at` may go out (UTC)."""
        return next_allowed(offered_at, self.quiet, self.zone)

    def expires_at(self, offered_at: datetime) -> datetime:
        """When an offer made at `offered_at` lapses: a full hold after its text can go out."""
        return self.texted_at(offered_at) + self.hold

    def reaches_before(self, offered_at: datetime, starts_at: datetime) -> bool:
        """Whether an offer made now could be texted before the appointment starts."""
        return self.texted_at(offered_at) < starts_at


def expire(offer: Offer, at: datetime) -> Offer:
    """The offer expired, if it is open and its hold has run out; otherwise unchanged."""
    if offer.status.is_open and at >= offer.expires_at:
        return replace(offer, status=OfferStatus.EXPIRED, answered_at=offer.expires_at)
    return offer


@dataclass(frozen=True, slots=True)
class OpeningOffers:
    """One opening's round of offers: candidates in order, offers made, and who took it."""

    slot_key: str
    candidates: tuple[str, ...]  # entry ids, in offer order
    offers: tuple[Offer, ...] = ()
    filled_by: str | None = None
    withdrawn: bool = False

    @property
    def closed(self) -> bool:
        return self.filled_by is not None or self.withdrawn

    def offer_for(self, entry_id: str) -> Offer | None:
        return next((o for o in self.offers if o.entry_id == entry_id), None)


def open_round(slot_key: str, candidates: Sequence[WaitlistEntry]) -> OpeningOffers:
    """A new round over the candidates, in the order given (see `candidates_for`)."""
    return OpeningOffers(slot_key, tuple(entry.id for entry in candidates))


def _swap(state: OpeningOffers, changed: Sequence[Offer]) -> OpeningOffers:
    by_entry = {offer.entry_id: offer for offer in changed}
    offers = tuple(by_entry.get(offer.entry_id, offer) for offer in state.offers)
    return replace(state, offers=offers)


def advance(
    state: OpeningOffers,
    *,
    at: datetime,
    hold: OfferHold,
    batch: int = 1,
    starts_at: datetime | None = None,
) -> tuple[OpeningOffers, list[Offer], list[Offer]]:
    """Expire lapsed offers, then offer to the next candidates until `batch` are live.

    Returns the new state, the offers newly made (to text) and the offers newly expired.
    A closed round makes no offers, and neither does one whose text could not go out
    before the appointment `starts_at` (it could never be accepted in time).
    """
    if batch < 1:
        raise InvalidInput("an offer round needs a positive batch")
    expired = [expire(o, at) for o in state.offers if o.status.is_open and not o.is_live(at)]
    state = _swap(state, expired)
    if state.closed or (starts_at is not None and not hold.reaches_before(at, starts_at)):
        return state, [], expired
    live = sum(1 for o in state.offers if o.is_live(at))
    asked = {o.entry_id for o in state.offers}
    made: list[Offer] = []
    for entry_id in state.candidates:
        if live + len(made) >= batch:
            break
        if entry_id not in asked:
            made.append(Offer(entry_id, state.slot_key, at, hold.expires_at(at)))
    return replace(state, offers=state.offers + tuple(made)), made, expired


def accept(
    state: OpeningOffers, entry_id: str, *, at: datetime
) -> tuple[OpeningOffers, Offer, list[Offer]]:
    """The entry takes the opening: its offer accepted, every other open offer gone.

    Raises `Conflict` when the round is closed or the entry's hold has run out (the caller
    hears the slot has gone), `NotFound` when the entry holds no offer in this round.
    """
    offer = state.offer_for(entry_id)
    if offer is None:
        raise NotFound(f"entry {entry_id} holds no offer for opening {state.slot_key}")
    if state.closed:
        raise Conflict(f"opening {state.slot_key} has gone")
    if not offer.is_live(at):
        raise Conflict(f"the offer of {state.slot_key} to entry {entry_id} is no longer open")
    accepted = replace(offer, status=OfferStatus.ACCEPTED, answered_at=at)
    gone = [
        replace(o, status=OfferStatus.GONE, answered_at=at)
        for o in state.offers
        if o.status.is_open and o.entry_id != entry_id
    ]
    return replace(_swap(state, [accepted, *gone]), filled_by=entry_id), accepted, gone


def decline(state: OpeningOffers, entry_id: str, *, at: datetime) -> tuple[OpeningOffers, Offer]:
    """The entry turns the opening down; call `advance` to ask the next one."""
    offer = state.offer_for(entry_id)
    if offer is None:
        raise NotFound(f"entry {entry_id} holds no offer for opening {state.slot_key}")
    if not offer.status.is_open:
        raise Conflict(
            f"the offer of {state.slot_key} to entry {entry_id} is already {offer.status}"
        )
    declined = replace(offer, status=OfferStatus.DECLINED, answered_at=at)
    return _swap(state, [declined]), declined


def withdraw(state: OpeningOffers, *, at: datetime) -> tuple[OpeningOffers, list[Offer]]:
    """The opening is gone another way (booked by phone, hours removed): close the round."""
    gone = [
        replace(o, status=OfferStatus.GONE, answered_at=at)
        for o in state.offers
        if o.status.is_open
    ]
    return replace(_swap(state, gone), withdrawn=True), gone
