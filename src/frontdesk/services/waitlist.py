"""The waitlist: join it, offer freed slots to it by text, take acceptances, expire holds.

An opening (a cancellation, a move, new hours) is offered to the waiting entries it suits,
oldest first, `batch` at a time, each offer held for the practice's hold window. The hold
counts from when the offer text may be sent: an offer made in the practice's quiet hours is
queued for their end and held for the whole window after it (`domain.waitlist.OfferHold`),
and an opening whose appointment starts before its text could go out is not offered. The
first to accept is booked through the same locked path as a call; the others still holding
an offer are told it has gone. `tick` (run by the worker) expires lapsed holds and asks the
next entry. Every offer, acceptance and expiry is stored and recorded as an event.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.domain.appointments import AppointmentId, ClientRef, slot_key
from frontdesk.domain.bookings import (
    BookingSource,
    Opening,
    WaitlistRecord,
    offer_id,
)
from frontdesk.domain.calendar import Slot, spoken_when
from frontdesk.domain.clients import ClientId, Contact
from frontdesk.domain.errors import Conflict, NotFound, SlotUnavailable
from frontdesk.domain.events import OfferAccepted, OfferExpired, OpeningOffered, WaitlistJoined
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.matching import MatchCriteria, new_client_capacity_left, week_of
from frontdesk.domain.messages import Purpose
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import CallId, InquiryId, new_id, require_aware
from frontdesk.domain.waitlist import (
    Offer,
    OfferHold,
    WaitlistEntry,
    WaitlistStatus,
    accept,
    advance,
    candidates_for,
    decline,
    open_round,
    withdraw,
)
from frontdesk.services import appointments, messages, openings
from frontdesk.services.reminders import CHANNELS, sender_name
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

LINE_OFFER: Line = Line.REMINDER_OPENING_OFFER
LINE_GONE: Line = Line.REMINDER_OPENING_GONE


def join(
    *,
    intake: Intake,
    kind: ServiceKind,
    at: datetime,
    uow: UnitOfWork,
    inquiry_id: InquiryId | None = None,
    client_id: ClientId | None = None,
    call_id: CallId | None = None,
    contact: Contact | None = None,
    reachable_locations: frozenset[str] | None = None,
    specialty: str | None = None,
) -> str:
    """Put a caller on the waitlist with their criteria and windows; the entry id."""
    with uow:
        entry_id = join_within(
            uow,
            intake=intake,
            kind=kind,
            at=at,
            inquiry_id=inquiry_id,
            client_id=client_id,
            call_id=call_id,
            contact=contact,
            reachable_locations=reachable_locations,
            specialty=specialty,
        )
        uow.commit()
    return entry_id


def join_within(
    uow: UnitOfWork,
    *,
    intake: Intake,
    kind: ServiceKind,
    at: datetime,
    inquiry_id: InquiryId | None = None,
    client_id: ClientId | None = None,
    call_id: CallId | None = None,
    contact: Contact | None = None,
    reachable_locations: frozenset[str] | None = None,
    specialty: str | None = None,
) -> str:
    """`join` inside the caller's open unit of work (never commits)."""
    require_aware(at, "at")
    entry = WaitlistEntry(
        id=new_id(),
        criteria=MatchCriteria.from_intake(
            intake,
            specialty=specialty,
            reachable_locations=reachable_locations,
            new_client=client_id is None,
        ),
        windows=intake.availability,
        added_at=at,
        kind=kind,
    )
    uow.waitlist.add(WaitlistRecord(entry, inquiry_id, client_id, call_id, contact))
    uow.events.add(
        WaitlistJoined(occurred_at=at, entry_id=entry.id, call_id=call_id, inquiry_id=inquiry_id)
    )
    return entry.id


def list_entries(*, uow: UnitOfWork, waiting_only: bool = True) -> list[WaitlistRecord]:
    """Waitlist entries in the order they joined."""
    with uow:
        return uow.waitlist.entries(waiting_only=waiting_only)


def open_opening(
    uow: UnitOfWork, *, slot: Slot, at: datetime, practice: Practice
) -> Opening | None:
    """Inside the caller's unit of work: offer a freed slot to the entries it suits.

    None when no entry fits, or when no offer text could go out before the appointment
    starts (a night cancellation of an early-morning time); nothing is stored then. The
    first offers are queued at once, for the end of quiet hours when made inside them.
    """
    clinicians = {c.id: c for c in practice.clinicians}
    clinician = clinicians.get(slot.clinician_id)
    if clinician is None:
        return None
    if not offer_hold(practice).reaches_before(at, slot.start):
        return None
    capacity = None
    if slot.kind is ServiceKind.FIRST_SESSION:
        week = week_of(slot.start, practice.zone)
        start = slot.start - timedelta(days=8)
        nearby = [
            a
            for a in uow.appointments.between(start, slot.end + timedelta(days=8))
            if week_of(a.start, practice.zone) == week
        ]
        capacity = new_client_capacity_left(clinician, nearby)
    entries = [record.entry for record in uow.waitlist.entries()]
    chosen = candidates_for(slot, entries, clinicians, zone=practice.zone, capacity_left=capacity)
    if not chosen:
        return None
    opening = Opening(
        new_id(), slot, at, open_round(slot_key(slot.clinician_id, slot.start), chosen)
    )
    uow.openings.add(opening)
    return _advance(uow, opening, at=at, practice=practice)


def offer_opening(*, slot: Slot, at: datetime, uow: UnitOfWork, practice: Practice) -> str | None:
    """Offer a slot (new hours, a freed time staff noticed) to the waitlist and commit.

    The opening's id, or None when no waiting entry fits.
    """
    require_aware(at, "at")
    with uow:
        opening = open_opening(uow, slot=slot, at=at, practice=practice)
        uow.commit()
    return None if opening is None else opening.id


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one waitlist tick did."""

    offered: int = 0
    expired: int = 0
    withdrawn: int = 0


def tick(*, at: datetime, uow: UnitOfWork, practice: Practice) -> TickReport:
    """Expire lapsed holds, ask the next entries, withdraw openings booked another way."""
    require_aware(at, "at")
    offered = expired = withdrawn = 0
    with uow:
        for opening in uow.openings.list_open():
            slot = opening.slot
            if slot.start <= at or uow.appointments.overlapping(
                slot.clinician_id, slot.start, slot.end
            ):
                _withdraw(uow, opening, at=at, practice=practice)
                withdrawn += 1
                continue
            before = {o.entry_id for o in opening.round.offers}
            lapsed = sum(1 for o in opening.round.offers if o.status.is_open and not o.is_live(at))
            after = _advance(uow, opening, at=at, practice=practice)
            offered += sum(1 for o in after.round.offers if o.entry_id not in before)
            expired += lapsed
        uow.commit()
    return TickReport(offered, expired, withdrawn)


def accept_offer(
    *,
    entry_id: str,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    opening_id: str | None = None,
) -> AppointmentId:
    """The entry takes the opening it was offered: book it, tell the others it has gone.

    Raises `Conflict` when the entry holds no live offer (expired, or taken by someone
    else first) and `SlotUnavailable` when the slot was booked another way meanwhile (the
    round is then withdrawn and every holder told).
    """
    require_aware(at, "at")
    with uow:
        opening = _offered(uow, entry_id, opening_id)
        record = uow.waitlist.get(entry_id)
        if record is None:
            raise NotFound(f"no waitlist entry {entry_id}")
        state, _accepted, gone = accept(opening.round, entry_id, at=at)
        try:
            appointment = appointments.reserve(
                uow,
                slot=opening.slot,
                client=ClientRef(inquiry_id=record.inquiry_id, client_id=record.client_id),
                at=at,
                practice=practice,
                booked_by_ai=True,
                source=BookingSource.WAITLIST,
                contact=record.contact,
                payment=record.entry.criteria.payment,
            )
        except SlotUnavailable:
            uow.rollback()
            _withdraw(uow, opening, at=at, practice=practice)
            uow.commit()
            raise
        uow.openings.save(replace(opening, round=state, appointment_id=appointment.id))
        uow.waitlist.update(replace(record.entry, status=WaitlistStatus.BOOKED))
        uow.events.add(
            OfferAccepted(
                occurred_at=at,
                offer_id=offer_id(opening.id, entry_id),
                entry_id=entry_id,
                appointment_id=appointment.id,
            )
        )
        for offer in gone:
            _text(uow, offer, LINE_GONE, opening, at=at, practice=practice)
        uow.commit()
    return appointment.id


def decline_offer(
    *,
    entry_id: str,
    at: datetime,
    uow: UnitOfWork,
    practice: Practice,
    opening_id: str | None = None,
) -> None:
    """The entry turns the opening down; the next entry is asked at once."""
    require_aware(at, "at")
    with uow:
        opening = _offered(uow, entry_id, opening_id)
        state, _ = decline(opening.round, entry_id, at=at)
        _advance(uow, replace(opening, round=state), at=at, practice=practice)
        uow.commit()


def remove(*, entry_id: str, uow: UnitOfWork) -> None:
    """Take an entry off the waitlist (staff, or the client asked)."""
    with uow:
        record = uow.waitlist.get(entry_id)
        if record is None:
            raise NotFound(f"no waitlist entry {entry_id}")
        uow.waitlist.update(replace(record.entry, status=WaitlistStatus.REMOVED))
        uow.commit()


def _offered(uow: UnitOfWork, entry_id: str, opening_id: str | None) -> Opening:
    if opening_id is not None:
        opening = uow.openings.get(opening_id)
        if opening is None:
            raise NotFound(f"no opening {opening_id}")
        return opening
    held = uow.openings.offered_to(entry_id)
    if not held:
        raise Conflict(f"entry {entry_id} holds no open offer")
    return held[0]


def offer_hold(practice: Practice) -> OfferHold:
    """The practice's hold window, counted from the end of its quiet hours (practice file
    `waitlist.offer_hold_minutes` and `reminders.quiet_hours`, on its timezone)."""
    return OfferHold(
        practice.schedule.waitlist.hold, practice.schedule.reminders.quiet, practice.zone
    )


def _advance(uow: UnitOfWork, opening: Opening, *, at: datetime, practice: Practice) -> Opening:
    hold = offer_hold(practice)
    state, made, expired = advance(
        opening.round,
        at=at,
        hold=hold,
        batch=practice.schedule.waitlist.batch,
        starts_at=opening.slot.start,
    )
    opening = replace(opening, round=state)
    uow.openings.save(opening)
    for offer in expired:
        uow.events.add(
            OfferExpired(
                occurred_at=offer.expires_at,
                offer_id=offer_id(opening.id, offer.entry_id),
                entry_id=offer.entry_id,
            )
        )
    for offer in made:
        uow.events.add(
            OpeningOffered(
                occurred_at=at,
                offer_id=offer_id(opening.id, offer.entry_id),
                entry_id=offer.entry_id,
                opening_id=opening.id,
            )
        )
        send_after = hold.texted_at(offer.offered_at)
        _text(uow, offer, LINE_OFFER, opening, at=at, practice=practice, send_after=send_after)
    return opening


def _withdraw(uow: UnitOfWork, opening: Opening, *, at: datetime, practice: Practice) -> None:
    state, gone = withdraw(opening.round, at=at)
    uow.openings.save(replace(opening, round=state))
    for offer in gone:
        _text(uow, offer, LINE_GONE, opening, at=at, practice=practice)


def _text(
    uow: UnitOfWork,
    offer: Offer,
    line: Line,
    opening: Opening,
    *,
    at: datetime,
    practice: Practice,
    send_after: datetime | None = None,
) -> None:
    """Queue the offer (or "it has gone") text to the entry's contact, once per offer;
    an offer's text is queued for the moment its hold starts counting."""
    record = uow.waitlist.get(offer.entry_id)
    if record is None or record.contact is None:
        return
    if line not in practice.scripts.lines:
        log.warning("no %s line: offer of opening_id=%s not texted", line, opening.id)
        return
    described = openings.describe(opening.slot, practice)
    body = practice.scripts.render(
        Say.of(
            line,
            **{
                k: v
                for k, v in {
                    "when": spoken_when(opening.slot.start, practice.zone),
                    "clinician": described.clinician,
                    "practice": sender_name(practice),
                }.items()
                if k in practice.scripts.line(line).placeholders
            },
        )
    )
    messages.enqueue(
        uow,
        to=record.contact.to,
        channel=CHANNELS[record.contact.channel],
        purpose=Purpose.OFFER,
        body=body,
        at=at,
        send_after=send_after,
        dedupe_key=offer_text_key(line, opening.id, offer.entry_id),
        inquiry_id=record.inquiry_id,
        allow=(practice.name, sender_name(practice)),
    )


def offer_text_key(line: str, opening_id: str, entry_id: str) -> str:
    """The outbox key of the `line` text about one offer, so it is queued once."""
    return f"{line}:{offer_id(opening_id, entry_id)}"


def held_offer_keys(uow: UnitOfWork, at: datetime) -> frozenset[str]:
    """The outbox keys of the offer texts whose offers are still held at `at`: an offer
    text with any other key offers what is no longer there."""
    return frozenset(
        offer_text_key(LINE_OFFER, opening.id, offer.entry_id)
        for opening in uow.openings.list_open()
        for offer in opening.round.offers
        if offer.is_live(at)
    )


def is_offer_text(dedupe_key: str | None) -> bool:
    """Whether an outbox key is that of an offer text (rather than an "it has gone" one)."""
    return dedupe_key is not None and dedupe_key.startswith(f"{LINE_OFFER}:")
