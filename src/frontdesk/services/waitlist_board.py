"""The waitlist as staff work it: each waiting entry, how long it has waited, and the open
times that suit it now, by the same rule the waitlist offers by (`domain.waitlist.suits`).

Offering one of those times goes through `services.waitlist.offer_opening`: the time is
offered to every waiting entry it suits, oldest first, exactly as a freed slot would be.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from frontdesk.domain.bookings import WaitlistRecord
from frontdesk.domain.calendar import Slot
from frontdesk.domain.errors import Conflict, SlotUnavailable
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import require_aware
from frontdesk.domain.waitlist import suits
from frontdesk.services import openings, waitlist
from frontdesk.services.unit_of_work import UnitOfWork

DAYS_AHEAD = 21  # how far ahead open times are looked for
PER_ENTRY = 5  # open times shown per entry


@dataclass(frozen=True, slots=True)
class WaitingRow:
    """One waiting entry: who (a name staff know), for how long, and what would suit it."""

    record: WaitlistRecord
    name: str | None
    waited: timedelta
    suitable: list[Slot]

    @property
    def waited_days(self) -> int:
        return self.waited.days


def board(
    *,
    now: datetime,
    uow: UnitOfWork,
    practice: Practice,
    days: int = DAYS_AHEAD,
    per_entry: int = PER_ENTRY,
) -> list[WaitingRow]:
    """Every waiting entry, oldest first, with up to `per_entry` suitable open times."""
    with uow:
        records = uow.waitlist.entries(waiting_only=True)
        names = {r.entry.id: _name(uow, r) for r in records}
    free: dict[ServiceKind, list[Slot]] = defaultdict(list)
    for kind in {r.entry.kind for r in records}:
        free[kind] = openings.open_slots_for(
            kind=kind, now=now, days=days, uow=uow, practice=practice
        )
    clinicians = {c.id: c for c in practice.clinicians}
    rows = []
    for record in records:
        entry = record.entry
        suitable = [
            s
            for s in free[entry.kind]
            if s.clinician_id in clinicians
            and suits(s, entry, clinicians[s.clinician_id], zone=practice.zone)
        ][:per_entry]
        rows.append(WaitingRow(record, names.get(entry.id), now - entry.added_at, suitable))
    return rows


def offer_now(*, slot: Slot, at: datetime, uow: UnitOfWork, practice: Practice) -> str | None:
    """Offer an open time to the waitlist now (`services.waitlist.offer_opening`); the
    opening's id, or None when no waiting entry suits it any more.

    Refused with `SlotUnavailable` when the time is no longer open, and with `Conflict`
    when its offers are already out (nobody is texted twice about one time).
    """
    require_aware(at, "at")
    free = openings.open_slots_for(
        kind=slot.kind,
        now=at,
        days=max((slot.start - at).days + 1, 0),
        uow=uow,
        practice=practice,
    )
    if slot not in free:
        raise SlotUnavailable("that time is no longer open")
    with uow:
        if any(o.slot == slot for o in uow.openings.list_open()):
            raise Conflict("that time has already been offered to the waitlist")
    return waitlist.offer_opening(slot=slot, at=at, uow=uow, practice=practice)


def _name(uow: UnitOfWork, record: WaitlistRecord) -> str | None:
    if record.client_id is not None:
        client = uow.clients.get(record.client_id)
        return client.name if client is not None else None
    if record.inquiry_id is not None:
        inquiry = uow.inquiries.get(record.inquiry_id)
        return inquiry.intake.client_name if inquiry is not None else None
    return None
