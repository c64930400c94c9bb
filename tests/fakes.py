"""In-memory fakes of the storage boundary, faithful to `SqlAlchemyUnitOfWork`.

`FakeUnitOfWork` is transactional like the real one: changes are visible inside the block,
kept by `commit()` and discarded by `rollback()` or by leaving the block without a commit.
Taken keys raise `Conflict` at `add`, unknown ids raise `NotFound` at `update`, naive
datetimes are refused, and values that the database would store as JSON go through a JSON
round trip (so tuples come back as lists, exactly as from the database).

    uow = FakeUnitOfWork()
    handle_turn(..., uow=uow)
    assert uow.committed
    assert [e.kind for e in uow.collect_events()] == ["TurnTaken"]
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Self

from frontdesk.domain.audit import AuditEntry, AuditRecord, chain
from frontdesk.domain.bookings import BookingRecord
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.events import EVENT_TYPES, Event
from frontdesk.domain.handoffs import CallbackAttempt, Handoff, HandoffStatus, queue_key
from frontdesk.domain.inbound_texts import InboundStatus, InboundText, MessageSid
from frontdesk.domain.messages import MessageId, MessageStatus, OptOut, OutboundMessage
from frontdesk.domain.records import (
    CallId,
    CallRecord,
    ExternalCallId,
    HandoffId,
    InquiryId,
    InquiryRecord,
    TurnRecord,
)
from frontdesk.domain.retention import REDACTED_SUMMARY, kept_handoff_details
from frontdesk.domain.script_review import LineReview
from tests.scheduling_fakes import (
    FakeAppointmentRepository,
    FakeBusyRepository,
    FakeClientRepository,
    FakeOpeningRepository,
    FakeWaitlistRepository,
    SchedulingStore,
)


def _json_round_trip(value: dict[str, object]) -> dict[str, object]:
    """What a JSON column gives back: refuses values JSON cannot hold, as the database does."""
    result = json.loads(json.dumps(value))
    if not isinstance(result, dict):  # pragma: no cover - a dict always round-trips to a dict
        raise TypeError("expected a JSON object")
    return result


def _call_copy(call: CallRecord | None) -> CallRecord | None:
    """A call whose state the caller may change without changing what is stored."""
    return None if call is None else replace(call, state=_json_round_trip(call.state))


@dataclass
class _Store:
    """Everything the fake database holds; copied to give transactions their isolation."""

    calls: dict[CallId, CallRecord] = field(default_factory=dict)
    turns: dict[tuple[CallId, int], TurnRecord] = field(default_factory=dict)
    inquiries: dict[InquiryId, InquiryRecord] = field(default_factory=dict)
    handoffs: dict[HandoffId, Handoff] = field(default_factory=dict)
    attempts: dict[str, CallbackAttempt] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    messages: dict[MessageId, OutboundMessage] = field(default_factory=dict)
    opt_outs: dict[str, OptOut] = field(default_factory=dict)
    inbound_texts: dict[MessageSid, InboundText] = field(default_factory=dict)
    audit: list[AuditRecord] = field(default_factory=list)
    # Ids a purge has cleared (the `content_purged_at` marks of the real tables).
    purged_calls: set[CallId] = field(default_factory=set)
    purged_handoffs: set[HandoffId] = field(default_factory=set)
    script_reviews: list[LineReview] = field(default_factory=list)
    scheduling: SchedulingStore = field(default_factory=SchedulingStore)


@dataclass
class _Holder:
    """The store a unit of work currently sees; repositories keep it, not the store."""

    store: _Store


class FakeCallRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def add(self, call: CallRecord) -> None:
        if call.id in self._store.calls:
            raise Conflict(f"call {call.id} already exists")
        if call.external_id is not None and self.get_by_external_id(call.external_id):
            raise Conflict("call already exists")
        self._store.calls[call.id] = replace(call, state=_json_round_trip(call.state))

    def get(self, call_id: CallId, *, for_update: bool = False) -> CallRecord | None:
        return _call_copy(self._store.calls.get(call_id))

    def get_by_external_id(
        self, external_id: ExternalCallId, *, for_update: bool = False
    ) -> CallRecord | None:
        found = (c for c in self._store.calls.values() if c.external_id == external_id)
        return _call_copy(next(found, None))

    def update(self, call: CallRecord) -> None:
        if call.id not in self._store.calls:
            raise NotFound(f"no call {call.id}")
        other = None if call.external_id is None else self.get_by_external_id(call.external_id)
        if other is not None and other.id != call.id:
            raise Conflict("call already exists")
        self._store.calls[call.id] = replace(call, state=_json_round_trip(call.state))

    def list_started_between(self, start: datetime, end: datetime) -> list[CallRecord]:
        found = [c for c in self._store.calls.values() if start <= c.started_at < end]
        return sorted(found, key=lambda c: (c.started_at, c.id))

    def list_from_number(self, number: str, *, limit: int = 50) -> list[CallRecord]:
        found = [c for c in self._store.calls.values() if c.caller_number == number]
        found.sort(key=lambda c: c.id)
        found.sort(key=lambda c: c.started_at, reverse=True)
        return [c for c in (_call_copy(c) for c in found[:limit]) if c is not None]


class FakeTurnRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def add(self, turn: TurnRecord) -> None:
        key = (turn.call_id, turn.seq)
        if key in self._store.turns:
            raise Conflict(f"turn {turn.seq} of call {turn.call_id} already exists")
        if turn.call_id not in self._store.calls:
            raise Conflict(f"no call {turn.call_id} for turn {turn.seq}")
        self._store.turns[key] = turn

    def get(self, call_id: CallId, seq: int) -> TurnRecord | None:
        return self._store.turns.get((call_id, seq))

    def list_for_call(self, call_id: CallId) -> list[TurnRecord]:
        return sorted(
            (t for (owner, _), t in self._store.turns.items() if owner == call_id),
            key=lambda t: t.seq,
        )


class FakeInquiryRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def add(self, inquiry: InquiryRecord) -> None:
        if inquiry.id in self._store.inquiries:
            raise Conflict(f"inquiry {inquiry.id} already exists")
        self._check_call(inquiry)
        self._store.inquiries[inquiry.id] = inquiry

    def get(self, inquiry_id: InquiryId) -> InquiryRecord | None:
        return self._store.inquiries.get(inquiry_id)

    def update(self, inquiry: InquiryRecord) -> None:
        if inquiry.id not in self._store.inquiries:
            raise NotFound(f"no inquiry {inquiry.id}")
        self._check_call(inquiry)
        self._store.inquiries[inquiry.id] = inquiry

    def list_for_call(self, call_id: CallId) -> list[InquiryRecord]:
        found = [i for i in self._store.inquiries.values() if i.call_id == call_id]
        return sorted(found, key=lambda i: (i.created_at, i.id))

    def list_created_between(self, start: datetime, end: datetime) -> list[InquiryRecord]:
        found = [i for i in self._store.inquiries.values() if start <= i.created_at < end]
        return sorted(found, key=lambda i: (i.created_at, i.id))

    def _check_call(self, inquiry: InquiryRecord) -> None:
        if inquiry.call_id is not None and inquiry.call_id not in self._store.calls:
            raise Conflict(f"no call {inquiry.call_id} for inquiry {inquiry.id}")


class FakeHandoffRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def add(self, handoff: Handoff) -> None:
        if handoff.id in self._store.handoffs:
            raise Conflict(f"hand-off {handoff.id} already exists")
        self._store.handoffs[handoff.id] = self._checked(handoff)

    def get(self, handoff_id: HandoffId) -> Handoff | None:
        found = self._store.handoffs.get(handoff_id)
        return None if found is None else replace(found, details=_json_round_trip(found.details))

    def update(self, handoff: Handoff) -> None:
        if handoff.id not in self._store.handoffs:
            raise NotFound(f"no hand-off {handoff.id}")
        self._store.handoffs[handoff.id] = self._checked(handoff)

    def list_queue(self, *, status: HandoffStatus | None = None) -> list[Handoff]:
        found = [h for h in self._store.handoffs.values() if status in (None, h.status)]
        return sorted(found, key=queue_key)

    def list_for_call(self, call_id: CallId) -> list[Handoff]:
        found = [h for h in self._store.handoffs.values() if h.call_id == call_id]
        return sorted(found, key=lambda h: (h.created_at, h.id))

    def list_active(self, *, done_since: datetime | None = None) -> list[Handoff]:
        found = [
            h
            for h in self._store.handoffs.values()
            if h.is_open
            or (
                done_since is not None
                and h.completed_at is not None
                and h.completed_at >= done_since
            )
        ]
        return sorted(found, key=queue_key)

    def list_for_inquiries(self, inquiry_ids: Sequence[InquiryId]) -> list[Handoff]:
        wanted = set(inquiry_ids)
        found = [h for h in self._store.handoffs.values() if h.inquiry_id in wanted]
        return sorted(found, key=lambda h: (h.created_at, h.id))

    def waiting_on_contact(self, number: str) -> list[Handoff]:
        found = [
            h
            for h in self._store.handoffs.values()
            if h.caller_number == number and h.status is HandoffStatus.WAITING and h.wake_on_contact
        ]
        return sorted(found, key=lambda h: (h.created_at, h.id))

    def add_attempt(self, attempt: CallbackAttempt) -> None:
        if attempt.handoff_id not in self._store.handoffs:
            raise NotFound(f"no hand-off {attempt.handoff_id}")
        if attempt.id in self._store.attempts:
            raise Conflict(f"attempt {attempt.id} already exists")
        self._store.attempts[attempt.id] = attempt

    def attempts(self, handoff_ids: Sequence[HandoffId]) -> list[CallbackAttempt]:
        wanted = set(handoff_ids)
        found = [a for a in self._store.attempts.values() if a.handoff_id in wanted]
        return sorted(found, key=lambda a: (a.at, a.id))

    def _checked(self, handoff: Handoff) -> Handoff:
        if handoff.call_id is not None and handoff.call_id not in self._store.calls:
            raise Conflict(f"no call {handoff.call_id} for hand-off {handoff.id}")
        if handoff.inquiry_id is not None and handoff.inquiry_id not in self._store.inquiries:
            raise Conflict(f"no inquiry {handoff.inquiry_id} for hand-off {handoff.id}")
        return replace(handoff, details=_json_round_trip(handoff.details))


class FakeEventRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder
        self.pending: list[Event] = []

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def add(self, event: Event) -> None:
        if event.kind not in EVENT_TYPES:
            raise TypeError(f"{event.kind} is not a registered event type")
        self._store.events.append(event)
        self.pending.append(event)

    def query(
        self,
        *,
        kinds: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Event]:
        found = [
            (e.occurred_at, n, e)
            for n, e in enumerate(self._store.events)
            if (kinds is None or e.kind in kinds)
            and (since is None or e.occurred_at >= since)
            and (until is None or e.occurred_at < until)
        ]
        return [e for _, _, e in sorted(found, key=lambda item: (item[0], item[1]))]


# --- outbox --------------------------------------------------------------------------------


class FakeMessageRepository:
    """The outbox in memory; a fake unit of work is open alone, so `due` needs no locks."""

    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def add(self, message: OutboundMessage) -> None:
        if message.id in self._store.messages:
            raise Conflict(f"message {message.id} already exists")
        if message.dedupe_key is not None and self.get_by_dedupe_key(message.dedupe_key):
            raise Conflict(f"message {message.id} or its dedupe key already exists")
        self._store.messages[message.id] = self._checked(message)

    def get(self, message_id: MessageId, *, for_update: bool = False) -> OutboundMessage | None:
        return self._store.messages.get(message_id)

    def get_by_dedupe_key(self, dedupe_key: str) -> OutboundMessage | None:
        found = (m for m in self._store.messages.values() if m.dedupe_key == dedupe_key)
        return next(found, None)

    def update(self, message: OutboundMessage) -> None:
        if message.id not in self._store.messages:
            raise NotFound(f"no message {message.id}")
        other = None if message.dedupe_key is None else self.get_by_dedupe_key(message.dedupe_key)
        if other is not None and other.id != message.id:
            raise Conflict(f"cannot update {message.id}")
        self._store.messages[message.id] = self._checked(message)

    def due(self, now: datetime, *, limit: int) -> list[OutboundMessage]:
        found = [
            m
            for m in self._store.messages.values()
            if m.status is MessageStatus.QUEUED and m.send_after <= now
        ]
        return sorted(found, key=lambda m: (m.send_after, m.id))[:limit]

    def stale(self, now: datetime, *, limit: int) -> list[OutboundMessage]:
        found = [
            m
            for m in self._store.messages.values()
            if m.status in (MessageStatus.CLAIMED, MessageStatus.SENDING)
            and m.lease_expires_at is not None
            and m.lease_expires_at <= now
        ]
        return sorted(found, key=lambda m: (m.lease_expires_at or now, m.id))[:limit]

    def for_appointment(self, appointment_id: str) -> list[OutboundMessage]:
        found = [m for m in self._store.messages.values() if m.appointment_id == appointment_id]
        return sorted(found, key=lambda m: (m.send_after, m.id))

    def list_all(self, *, status: MessageStatus | None = None) -> list[OutboundMessage]:
        found = [m for m in self._store.messages.values() if status in (None, m.status)]
        return sorted(found, key=lambda m: (m.created_at, m.id))

    def _checked(self, message: OutboundMessage) -> OutboundMessage:
        if message.call_id is not None and message.call_id not in self._store.calls:
            raise Conflict(f"no call {message.call_id} for message {message.id}")
        if message.inquiry_id is not None and message.inquiry_id not in self._store.inquiries:
            raise Conflict(f"no inquiry {message.inquiry_id} for message {message.id}")
        return message


class FakeOptOutRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def add(self, opt_out: OptOut) -> None:
        if opt_out.number in self._store.opt_outs:
            raise Conflict("the number has opted out already")
        self._store.opt_outs[opt_out.number] = opt_out

    def get(self, number: str) -> OptOut | None:
        return self._store.opt_outs.get(number)

    def remove(self, number: str) -> bool:
        return self._store.opt_outs.pop(number, None) is not None


class FakeNotifier:
    """The worker's `Notifier` in memory: `sent` lists what went out, in order.

    `failures` are raised one per call, in order, instead of sending (a `None` entry sends
    normally); after them every message is sent.
    """

    def __init__(self, failures: Sequence[Exception | None] = ()) -> None:
        self.sent: list[OutboundMessage] = []
        self._failures = list(failures)

    def send(self, message: OutboundMessage) -> str:
        if self._failures:
            failure = self._failures.pop(0)
            if failure is not None:
                raise failure
        self.sent.append(message)
        return f"fake-{len(self.sent)}"


# --- end of outbox -------------------------------------------------------------------------


class FakeInboundTextRepository:
    """Inbound texts by message id; a fake unit of work is open alone, so nothing waits."""

    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def add(self, text: InboundText) -> None:
        if text.message_sid in self._store.inbound_texts:
            raise Conflict(f"inbound text {text.message_sid} already exists")
        self._store.inbound_texts[text.message_sid] = text

    def get(self, message_sid: MessageSid, *, for_update: bool = False) -> InboundText | None:
        return self._store.inbound_texts.get(message_sid)

    def update(self, text: InboundText) -> None:
        if text.message_sid not in self._store.inbound_texts:
            raise NotFound(f"no inbound text {text.message_sid}")
        self._store.inbound_texts[text.message_sid] = text

    def abandoned(self, now: datetime, *, limit: int) -> list[InboundText]:
        found = [t for t in self._store.inbound_texts.values() if t.abandoned(now)]
        return sorted(found, key=lambda t: (t.claimed_at, t.message_sid))[:limit]


class FakeAuditRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def append(self, entry: AuditEntry) -> AuditRecord:
        record = chain(self.head(), entry)
        self._store.audit.append(record)
        return record

    def head(self) -> AuditRecord | None:
        return self._store.audit[-1] if self._store.audit else None

    def after(self, seq: int, *, limit: int) -> list[AuditRecord]:
        return [r for r in self._store.audit if r.seq > seq][:limit]

    def with_hash(self, hash_hex: str) -> AuditRecord | None:
        return next((r for r in self._store.audit if r.hash == hash_hex), None)

    def search(
        self,
        *,
        object_kind: str | None = None,
        object_id: str | None = None,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        def wanted(record: AuditRecord) -> bool:
            entry = record.entry
            return (
                object_kind in (None, entry.object_kind)
                and object_id in (None, entry.object_id)
                and actor in (None, entry.actor)
                and action in (None, entry.action)
                and (since is None or entry.at >= since)
                and (until is None or entry.at < until)
            )

        return [r for r in reversed(self._store.audit) if wanted(r)][:limit]

    def count(self) -> int:
        return len(self._store.audit)


class FakeScriptReviewRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    def add(self, review: LineReview) -> None:
        self._holder.store.script_reviews.append(review)

    def all(self) -> list[LineReview]:
        return list(self._holder.store.script_reviews)


class FakeRetentionRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def redact_transcripts(self, before: datetime, *, at: datetime) -> list[str]:
        store = self._store
        ids = sorted(
            c.id
            for c in store.calls.values()
            if c.started_at < before and c.id not in store.purged_calls
        )
        for key, turn in store.turns.items():
            if turn.call_id in ids:
                store.turns[key] = replace(turn, caller_text=None, digits=None, agent_text="")
        for call_id in ids:
            store.calls[call_id] = replace(store.calls[call_id], state={})
            store.purged_calls.add(call_id)
        for inquiry_id, inquiry in store.inquiries.items():
            if inquiry.call_id in ids and inquiry.intake.concern is not None:
                intake = inquiry.intake.merged(concern=None)
                store.inquiries[inquiry_id] = replace(inquiry, intake=intake)
        return ids

    def redact_voicemail_transcriptions(self, before: datetime) -> int:
        count = 0
        for handoff_id, handoff in self._store.handoffs.items():
            voicemail = handoff.details.get("voicemail")
            if handoff_id in self._store.purged_handoffs:
                continue
            if not (handoff.created_at < before and isinstance(voicemail, dict)):
                continue
            if voicemail.get("transcription") is not None:
                details = {**handoff.details, "voicemail": {**voicemail, "transcription": None}}
                self._store.handoffs[handoff_id] = replace(handoff, details=details)
                count += 1
        return count

    def delete_inbound_texts(self, before: datetime) -> int:
        texts = self._store.inbound_texts
        gone = [
            sid
            for sid, t in texts.items()
            if (t.status is InboundStatus.HANDLED and t.handled_at and t.handled_at < before)
            or (t.status is InboundStatus.RELEASED and t.received_at < before)
        ]
        for sid in gone:
            del texts[sid]
        return len(gone)

    def delete_finished_messages(self, before: datetime) -> int:
        messages = self._store.messages
        gone = [
            m.id
            for m in messages.values()
            if m.status.final and m.status is not MessageStatus.UNCERTAIN and m.updated_at < before
        ]
        for message_id in gone:
            del messages[message_id]
        return len(gone)

    def redact_closed_handoffs(self, before: datetime, *, at: datetime) -> int:
        count = 0
        purged = self._store.purged_handoffs
        for handoff_id, h in self._store.handoffs.items():
            closed = (h.completed_at or h.created_at) < before
            if h.status is HandoffStatus.DONE and closed and handoff_id not in purged:
                purged.add(handoff_id)
                for attempt_id, attempt in self._store.attempts.items():
                    if attempt.handoff_id == handoff_id:
                        self._store.attempts[attempt_id] = replace(attempt, note="")
                self._store.handoffs[handoff_id] = replace(
                    h,
                    summary=REDACTED_SUMMARY,
                    caller_number=None,
                    details=kept_handoff_details(h.details),
                )
                count += 1
        return count


class FakePersonRepository:
    def __init__(self, holder: _Holder) -> None:
        self._holder = holder

    @property
    def _store(self) -> _Store:
        return self._holder.store

    def calls_from(self, number: str) -> list[CallRecord]:
        found = [c for c in self._store.calls.values() if c.caller_number == number]
        return [c for c in (_call_copy(c) for c in sorted(found, key=lambda c: c.started_at)) if c]

    def inquiries_naming(self, number: str) -> list[InquiryRecord]:
        found = [i for i in self._store.inquiries.values() if i.intake.callback_number == number]
        return sorted(found, key=lambda i: i.created_at)

    def handoffs_for(self, number: str, call_ids: Sequence[str]) -> list[Handoff]:
        found = [
            h
            for h in self._store.handoffs.values()
            if h.caller_number == number or h.call_id in call_ids
        ]
        return sorted(found, key=lambda h: (h.created_at, h.id))

    def appointments_for(
        self, *, client_ids: Sequence[str], inquiry_ids: Sequence[str], call_ids: Sequence[str]
    ) -> list[BookingRecord]:
        found = [
            b
            for b in self._store.scheduling.appointments.values()
            if b.appointment.client.client_id in client_ids
            or b.appointment.client.inquiry_id in inquiry_ids
            or b.call_id in call_ids
        ]
        return sorted(found, key=lambda b: (b.appointment.start, b.appointment.id))

    def inbound_texts_from(self, number: str) -> list[InboundText]:
        found = [t for t in self._store.inbound_texts.values() if t.from_number == number]
        return sorted(found, key=lambda t: t.received_at)

    def clear_turns(self, call_ids: Sequence[str]) -> None:
        for key, turn in self._store.turns.items():
            if turn.call_id in call_ids:
                self._store.turns[key] = replace(turn, caller_text=None, digits=None, agent_text="")

    def clear_attempt_notes(self, handoff_ids: Sequence[str]) -> None:
        for key, attempt in self._store.attempts.items():
            if attempt.handoff_id in handoff_ids:
                self._store.attempts[key] = replace(attempt, note="")

    def clear_appointment_contacts(self, appointment_ids: Sequence[str]) -> None:
        stored = self._store.scheduling.appointments
        for key in appointment_ids:
            record = stored[key]
            appointment = replace(record.appointment, cancel_reason=None, reschedule_reason=None)
            stored[key] = replace(record, appointment=appointment, contact=None)

    def clear_waitlist_contacts(self, entry_ids: Sequence[str]) -> None:
        stored = self._store.scheduling.waitlist
        for key in entry_ids:
            stored[key] = replace(stored[key], contact=None)

    def delete_messages(self, message_ids: Sequence[str]) -> None:
        for key in message_ids:
            self._store.messages.pop(key, None)

    def delete_inbound_texts(self, message_sids: Sequence[str]) -> None:
        for key in message_sids:
            self._store.inbound_texts.pop(key, None)

    def delete_client(self, client_id: str) -> None:
        self._store.scheduling.clients.pop(client_id, None)


class FakeUnitOfWork:
    """The `UnitOfWork` protocol in memory; `commits` counts successful commits."""

    def __init__(self) -> None:
        self._committed = _Store()
        self._holder = _Holder(self._committed)
        self._open = False
        self._collected: list[Event] = []
        self.commits = 0
        self.calls = FakeCallRepository(self._holder)
        self.turns = FakeTurnRepository(self._holder)
        self.inquiries = FakeInquiryRepository(self._holder)
        self.handoffs = FakeHandoffRepository(self._holder)
        self.events = FakeEventRepository(self._holder)
        self.messages = FakeMessageRepository(self._holder)
        self.opt_outs = FakeOptOutRepository(self._holder)
        self.inbound_texts = FakeInboundTextRepository(self._holder)
        self.appointments = FakeAppointmentRepository(self._holder)
        self.busy = FakeBusyRepository(self._holder)
        self.clients = FakeClientRepository(self._holder)
        self.waitlist = FakeWaitlistRepository(self._holder)
        self.openings = FakeOpeningRepository(self._holder)
        self.audit = FakeAuditRepository(self._holder)
        self.script_reviews = FakeScriptReviewRepository(self._holder)
        self.retention = FakeRetentionRepository(self._holder)
        self.people = FakePersonRepository(self._holder)

    @property
    def committed(self) -> bool:
        """Whether at least one commit happened."""
        return self.commits > 0

    def __enter__(self) -> Self:
        if self._open:
            raise RuntimeError("this unit of work is already open")
        self._open = True
        self._holder.store = copy.deepcopy(self._committed)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.rollback()
        self._open = False
        self._holder.store = self._committed

    def commit(self) -> None:
        self._require_open()
        self._committed = copy.deepcopy(self._holder.store)
        self._collected.extend(self.events.pending)
        self.events.pending.clear()
        self.commits += 1

    def rollback(self) -> None:
        self._require_open()
        self._holder.store = copy.deepcopy(self._committed)
        self.events.pending.clear()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        self._require_open()
        saved = copy.deepcopy(self._holder.store)
        pending = len(self.events.pending)
        try:
            yield
        except BaseException:
            self._holder.store = saved
            del self.events.pending[pending:]
            raise

    def collect_events(self) -> list[Event]:
        collected, self._collected = self._collected, []
        return collected

    def _require_open(self) -> None:
        if not self._open:
            raise RuntimeError("use the unit of work inside a `with` block")
