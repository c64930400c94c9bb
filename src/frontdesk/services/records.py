"""A person's records on request: everything held about them, and erasing what may go.

`export` gathers every record about one person, found by phone number or client id (a
client brings in everything under their number too): calls from the number with their
transcripts, inquiries and hand-offs (with callback attempts), the client and their
appointments, waitlist entries, messages sent or queued to them, texts received from
them, and an opt-out. It is audited as `export person`.

`erase` redacts that person where the practice may, in one audited transaction, leaving
every report figure as it was:

- Cleared: transcripts (turns' words, digits, replies) and the calls' working state;
  the calls' number is replaced by one pseudonym (`erased:<random>`) shared by all their
  calls, so the report's "called back from the same number" still counts as it did and
  nothing links it to the number; inquiries' intake (name, concern, contact); hand-off
  summaries, numbers and details (ids and codes kept) and callback attempt notes; the
  contact of appointments and waitlist entries, and the reasons given for a cancellation;
  every message to them (queued ones are withdrawn by deletion) and every text from them.
- Kept, because the law or the practice needs them: appointments (time, clinician,
  service, status) as billing records, with the client record (name, date of birth,
  number) of a client who has any; a client with no appointment is deleted. An opt-out
  is kept, so the number is never texted again. The events and the audit log hold no
  PHI and stay whole.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypeVar

from frontdesk.domain.audit import AuditAction
from frontdesk.domain.bookings import BookingRecord, WaitlistRecord
from frontdesk.domain.clients import Client
from frontdesk.domain.errors import InvalidInput, NotFound
from frontdesk.domain.handoffs import CallbackAttempt, Handoff
from frontdesk.domain.inbound_texts import InboundText
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.messages import OptOut, OutboundMessage, normalise_number
from frontdesk.domain.records import CallRecord, InquiryRecord, TurnRecord
from frontdesk.domain.retention import kept_handoff_details
from frontdesk.services import audit
from frontdesk.services.unit_of_work import UnitOfWork

ERASED_SUMMARY = "(erased at the person's request)"
PSEUDONYM_PREFIX = "erased:"


@dataclass(frozen=True, slots=True)
class PersonRecords:
    """Everything held about one person, each kind in a stated order."""

    calls: tuple[CallRecord, ...] = ()  # oldest first
    turns: tuple[TurnRecord, ...] = ()  # by call, then seq
    inquiries: tuple[InquiryRecord, ...] = ()
    handoffs: tuple[Handoff, ...] = ()
    attempts: tuple[CallbackAttempt, ...] = ()
    clients: tuple[Client, ...] = ()
    appointments: tuple[BookingRecord, ...] = ()
    waitlist: tuple[WaitlistRecord, ...] = ()
    messages: tuple[OutboundMessage, ...] = ()
    inbound_texts: tuple[InboundText, ...] = ()
    opt_out: OptOut | None = None

    def counts(self) -> str:
        """How many of each kind, as `key=value` pairs (the audit detail)."""
        sizes = {
            "calls": len(self.calls),
            "inquiries": len(self.inquiries),
            "handoffs": len(self.handoffs),
            "clients": len(self.clients),
            "appointments": len(self.appointments),
            "waitlist": len(self.waitlist),
            "messages": len(self.messages),
            "texts": len(self.inbound_texts),
        }
        return " ".join(f"{key}={value:_}" for key, value in sizes.items())

    @property
    def empty(self) -> bool:
        return not (
            self.calls
            or self.inquiries
            or self.handoffs
            or self.clients
            or self.appointments
            or self.waitlist
            or self.messages
            or self.inbound_texts
            or self.opt_out
        )


T = TypeVar("T")


def _unique(items: list[T], key: str) -> tuple[T, ...]:
    seen: dict[object, T] = {}
    for item in items:
        seen.setdefault(getattr(item, key), item)
    return tuple(seen.values())


def gather(
    uow: UnitOfWork, *, phone: str | None = None, client_id: str | None = None
) -> PersonRecords:
    """Everything about the person, read inside the caller's open unit of work."""
    if (phone is None) == (client_id is None):
        raise InvalidInput("name the person by exactly one of a phone number or a client id")
    clients: list[Client] = []
    if client_id is not None:
        client = uow.clients.get(client_id)
        if client is None:
            raise NotFound(f"no client {client_id}")
        clients.append(client)
        number = client.phone
    else:
        number = normalise_number(phone or "")
    clients.extend(uow.clients.with_phone(number))
    people = uow.people
    calls = people.calls_from(number)
    call_ids = [c.id for c in calls]
    inquiries = _unique(
        [i for c in call_ids for i in uow.inquiries.list_for_call(c)]
        + people.inquiries_naming(number),
        "id",
    )
    inquiry_ids = [i.id for i in inquiries]
    handoffs = tuple(people.handoffs_for(number, call_ids))
    client_ids = [c.id for c in _unique(clients, "id")]
    emails = {c.email for c in clients if c.email} | {
        i.intake.email for i in inquiries if i.intake.email
    }
    appointments = tuple(
        people.appointments_for(client_ids=client_ids, inquiry_ids=inquiry_ids, call_ids=call_ids)
    )
    appointment_ids = {b.appointment.id for b in appointments}
    waitlist = tuple(
        w
        for w in uow.waitlist.entries(waiting_only=False)
        if w.client_id in client_ids
        or w.inquiry_id in inquiry_ids
        or w.call_id in call_ids
        or (w.contact is not None and w.contact.to in ({number} | emails))
    )
    messages = tuple(
        m
        for m in uow.messages.list_all()
        if m.to == number
        or m.to in emails
        or m.call_id in call_ids
        or m.inquiry_id in inquiry_ids
        or m.appointment_id in appointment_ids
    )
    return PersonRecords(
        calls=tuple(calls),
        turns=tuple(t for c in call_ids for t in uow.turns.list_for_call(c)),
        inquiries=inquiries,
        handoffs=handoffs,
        attempts=tuple(uow.handoffs.attempts([h.id for h in handoffs])),
        clients=_unique(clients, "id"),
        appointments=appointments,
        waitlist=waitlist,
        messages=messages,
        inbound_texts=tuple(people.inbound_texts_from(number)),
        opt_out=uow.opt_outs.get(number),
    )


def _subject(found: PersonRecords, client_id: str | None) -> str | None:
    """The id the audit entry names: the client, else the first call or inquiry."""
    if client_id is not None:
        return client_id
    for group in (found.clients, found.calls, found.inquiries):
        if group:
            return group[0].id
    return None


def export(
    *,
    uow: UnitOfWork,
    actor: str,
    phone: str | None = None,
    client_id: str | None = None,
    source: str | None = None,
    at: datetime | None = None,
) -> PersonRecords:
    """Everything about the person, with the export audited before it is returned."""
    with uow:
        found = gather(uow, phone=phone, client_id=client_id)
        audit.record(
            uow=uow,
            actor=actor,
            action=AuditAction.EXPORT,
            object_kind="person",
            object_id=_subject(found, client_id),
            source=source,
            detail=f"by={'client' if client_id else 'phone'} {found.counts()}",
            at=at,
        )
        uow.commit()
    return found


def erase(
    *,
    uow: UnitOfWork,
    actor: str,
    phone: str | None = None,
    client_id: str | None = None,
    source: str | None = None,
    at: datetime | None = None,
) -> PersonRecords:
    """Redact the person as the module docstring says, audited in the same transaction;
    returns what was found before the erase."""
    moment = datetime.now(UTC) if at is None else at
    with uow:
        found = gather(uow, phone=phone, client_id=client_id)
        pseudonym = PSEUDONYM_PREFIX + secrets.token_hex(12)
        for call in found.calls:
            uow.calls.update(replace(call, caller_number=pseudonym, state={}))
        uow.people.clear_turns([c.id for c in found.calls])
        for inquiry in found.inquiries:
            uow.inquiries.update(replace(inquiry, intake=Intake(), updated_at=moment))
        for handoff in found.handoffs:
            uow.handoffs.update(
                replace(
                    handoff,
                    summary=ERASED_SUMMARY,
                    caller_number=None,
                    details=kept_handoff_details(handoff.details),
                )
            )
        uow.people.clear_attempt_notes([h.id for h in found.handoffs])
        uow.people.clear_appointment_contacts([b.appointment.id for b in found.appointments])
        uow.people.clear_waitlist_contacts([w.entry.id for w in found.waitlist])
        uow.people.delete_messages([m.id for m in found.messages])
        uow.people.delete_inbound_texts([t.message_sid for t in found.inbound_texts])
        booked = {b.appointment.client.client_id for b in found.appointments}
        kept_clients = [c for c in found.clients if c.id in booked]
        for client in found.clients:
            if client.id not in booked:
                uow.people.delete_client(client.id)
        audit.record(
            uow=uow,
            actor=actor,
            action=AuditAction.ERASE,
            object_kind="person",
            object_id=_subject(found, client_id),
            source=source,
            detail=f"by={'client' if client_id else 'phone'} {found.counts()} "
            f"clients_kept={len(kept_clients)}",
            at=moment,
        )
        uow.commit()
    return found
