"""SQLAlchemy implementations of the repository protocols in `frontdesk.services.unit_of_work`.

Rows are private to this module: records go in, records come out. `add` flushes at once so
a taken key raises `Conflict` where it happens, not at some later query.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.adapters.db.codec import JSONValue, from_json, to_json
from frontdesk.adapters.db.encrypted import phone_key
from frontdesk.adapters.db.tables import (
    Base,
    CallbackAttemptRow,
    CallRow,
    EventRow,
    HandoffRow,
    InquiryRow,
    OptOutRow,
    OutboundMessageRow,
    TurnRow,
)
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.events import EVENT_TYPES, Event
from frontdesk.domain.handoffs import AttemptOutcome, CallbackAttempt, Handoff, HandoffStatus
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.messages import (
    Channel,
    MessageId,
    MessageStatus,
    OptOut,
    OutboundMessage,
    Purpose,
)
from frontdesk.domain.pipeline import InquiryStage
from frontdesk.domain.records import (
    CallId,
    CallRecord,
    CallStatus,
    ExternalCallId,
    HandoffId,
    InquiryId,
    InquiryRecord,
    InquiryStatus,
    TurnKind,
    TurnRecord,
)

_CHUNK = 500  # ids per IN (...) list: well under every database's bound-parameter limit


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    unique = sorted(set(ids))
    return [unique[i : i + _CHUNK] for i in range(0, len(unique), _CHUNK)]


def _insert(session: Session, row: Base, what: str) -> None:
    session.add(row)
    _flush(session, f"{what} already exists")


def _flush(session: Session, conflict: str) -> None:
    """Write pending changes now, so a taken key or a missing reference shows here."""
    try:
        session.flush()
    except IntegrityError:
        # The driver's message quotes the row's values; only ids are repeated.
        raise Conflict(conflict) from None


def _json_copy(value: dict[str, Any]) -> dict[str, Any]:
    """An independent copy as a JSON column holds it (tuples become lists)."""
    copied = json.loads(json.dumps(value))
    if not isinstance(copied, dict):  # pragma: no cover - objects round-trip to objects
        raise TypeError("expected a JSON object")
    return copied


# --- calls ---------------------------------------------------------------------------------


def _call_values(call: CallRecord) -> dict[str, Any]:
    return {
        "external_id": call.external_id,
        "caller_number": call.caller_number,
        "started_at": call.started_at,
        "ended_at": call.ended_at,
        "status": call.status.value,
        "after_hours": call.after_hours,
        "route": call.route.value,
        "intent": None if call.intent is None else call.intent.value,
        "result": None if call.result is None else call.result.value,
        "state": _json_copy(call.state),
    }


def _call_record(row: CallRow) -> CallRecord:
    return CallRecord(
        id=row.id,
        external_id=row.external_id,
        caller_number=row.caller_number,
        started_at=row.started_at,
        ended_at=row.ended_at,
        status=CallStatus(row.status),
        after_hours=row.after_hours,
        route=Route(row.route),
        intent=None if row.intent is None else Intent(row.intent),
        result=None if row.result is None else CallResult(row.result),
        state=_json_copy(row.state),
    )


class SqlCallRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, call: CallRecord) -> None:
        if self._session.get(CallRow, call.id) is not None:
            raise Conflict(f"call {call.id} already exists")
        row = CallRow(id=call.id, **self._values(call))
        _insert(self._session, row, "call")

    def get(self, call_id: CallId, *, for_update: bool = False) -> CallRecord | None:
        return self._one(select(CallRow).where(CallRow.id == call_id), for_update)

    def get_by_external_id(
        self, external_id: ExternalCallId, *, for_update: bool = False
    ) -> CallRecord | None:
        return self._one(select(CallRow).where(CallRow.external_id == external_id), for_update)

    def update(self, call: CallRecord) -> None:
        row = self._session.get(CallRow, call.id)
        if row is None:
            raise NotFound(f"no call {call.id}")
        for name, value in self._values(call).items():
            setattr(row, name, value)
        _flush(self._session, f"cannot update {row.id}")

    def _values(self, call: CallRecord) -> dict[str, Any]:
        values = _call_values(call)
        values["caller_number_hmac"] = phone_key(self._session, call.caller_number)
        return values

    def list_started_between(self, start: datetime, end: datetime) -> list[CallRecord]:
        query = (
            select(CallRow)
            .where(CallRow.started_at >= start, CallRow.started_at < end)
            .order_by(CallRow.started_at, CallRow.id)
        )
        return [_call_record(row) for row in self._session.scalars(query)]

    def list_from_number(self, number: str, *, limit: int = 50) -> list[CallRecord]:
        query = (
            select(CallRow)
            .where(CallRow.caller_number_hmac == phone_key(self._session, number))
            .order_by(CallRow.started_at.desc(), CallRow.id)
            .limit(limit)
        )
        # The blind index narrows; the decrypted number decides.
        found = (_call_record(row) for row in self._session.scalars(query))
        return [call for call in found if call.caller_number == number]

    def _one(self, query: Any, for_update: bool) -> CallRecord | None:
        if for_update:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _call_record(row)


# --- turns ---------------------------------------------------------------------------------


def _turn_record(row: TurnRow) -> TurnRecord:
    return TurnRecord(
        call_id=row.call_id,
        seq=row.seq,
        at=row.at,
        kind=TurnKind(row.kind),
        caller_text=row.caller_text,
        digits=row.digits,
        confidence=row.confidence,
        agent_text=row.agent_text,
        line_ids=tuple(row.line_ids),
        route=Route(row.route),
        intent=None if row.intent is None else Intent(row.intent),
        categories=tuple(row.categories),
    )


class SqlTurnRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, turn: TurnRecord) -> None:
        row = TurnRow(
            call_id=turn.call_id,
            seq=turn.seq,
            at=turn.at,
            kind=turn.kind.value,
            caller_text=turn.caller_text,
            digits=turn.digits,
            confidence=turn.confidence,
            agent_text=turn.agent_text,
            line_ids=list(turn.line_ids),
            route=turn.route.value,
            intent=None if turn.intent is None else turn.intent.value,
            categories=list(turn.categories),
        )
        if self._session.get(TurnRow, (turn.call_id, turn.seq)) is not None:
            raise Conflict(f"turn {turn.seq} of call {turn.call_id} already exists")
        _insert(self._session, row, f"turn {turn.seq} of call {turn.call_id}")

    def get(self, call_id: CallId, seq: int) -> TurnRecord | None:
        row = self._session.get(TurnRow, (call_id, seq))
        return None if row is None else _turn_record(row)

    def list_for_call(self, call_id: CallId) -> list[TurnRecord]:
        query = select(TurnRow).where(TurnRow.call_id == call_id).order_by(TurnRow.seq)
        return [_turn_record(row) for row in self._session.scalars(query)]


# --- inquiries -----------------------------------------------------------------------------


def _inquiry_record(row: InquiryRow) -> InquiryRecord:
    return InquiryRecord(
        id=row.id,
        call_id=row.call_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        status=InquiryStatus(row.status),
        intake=from_json(Intake, cast(JSONValue, row.intake)),
        stage=None if row.stage is None else InquiryStage(row.stage),
        stage_set_at=row.stage_set_at,
    )


class SqlInquiryRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, inquiry: InquiryRecord) -> None:
        row = InquiryRow(id=inquiry.id, **self._values(inquiry))
        if self._session.get(InquiryRow, inquiry.id) is not None:
            raise Conflict(f"inquiry {inquiry.id} already exists")
        _insert(self._session, row, f"inquiry {inquiry.id}")

    def get(self, inquiry_id: InquiryId) -> InquiryRecord | None:
        row = self._session.get(InquiryRow, inquiry_id)
        return None if row is None else _inquiry_record(row)

    def update(self, inquiry: InquiryRecord) -> None:
        row = self._session.get(InquiryRow, inquiry.id)
        if row is None:
            raise NotFound(f"no inquiry {inquiry.id}")
        for name, value in self._values(inquiry).items():
            setattr(row, name, value)
        _flush(self._session, f"cannot update {row.id}")

    def list_for_call(self, call_id: CallId) -> list[InquiryRecord]:
        query = (
            select(InquiryRow)
            .where(InquiryRow.call_id == call_id)
            .order_by(InquiryRow.created_at, InquiryRow.id)
        )
        return [_inquiry_record(row) for row in self._session.scalars(query)]

    def list_created_between(self, start: datetime, end: datetime) -> list[InquiryRecord]:
        query = (
            select(InquiryRow)
            .where(InquiryRow.created_at >= start, InquiryRow.created_at < end)
            .order_by(InquiryRow.created_at, InquiryRow.id)
        )
        return [_inquiry_record(row) for row in self._session.scalars(query)]

    @staticmethod
    def _values(inquiry: InquiryRecord) -> dict[str, Any]:
        return {
            "call_id": inquiry.call_id,
            "created_at": inquiry.created_at,
            "updated_at": inquiry.updated_at,
            "status": inquiry.status.value,
            "intake": to_json(inquiry.intake),
            "stage": None if inquiry.stage is None else inquiry.stage.value,
            "stage_set_at": inquiry.stage_set_at,
        }


# --- hand-offs -----------------------------------------------------------------------------

_URGENCY_RANK = case(
    {urgency.value: urgency.rank for urgency in Urgency},
    value=HandoffRow.urgency,
    else_=len(Urgency),
)


def _handoff_record(row: HandoffRow) -> Handoff:
    return Handoff(
        id=row.id,
        call_id=row.call_id,
        inquiry_id=row.inquiry_id,
        category=HandoffCategory(row.category),
        urgency=Urgency(row.urgency),
        summary=row.summary,
        status=HandoffStatus(row.status),
        caller_number=row.caller_number,
        created_at=row.created_at,
        completed_at=row.completed_at,
        details=_json_copy(row.details),
        assigned_to=row.assigned_to,
        waiting_until=row.waiting_until,
        wake_on_contact=bool(row.wake_on_contact),
        status_changed_at=row.status_changed_at,
    )


def _attempt_record(row: CallbackAttemptRow) -> CallbackAttempt:
    return CallbackAttempt(
        id=row.id,
        handoff_id=row.handoff_id,
        at=row.at,
        outcome=AttemptOutcome(row.outcome),
        by=row.actor,
        note=row.note,
    )


class SqlHandoffRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, handoff: Handoff) -> None:
        row = HandoffRow(id=handoff.id, **self._values(handoff), **self._lookup(handoff))
        if self._session.get(HandoffRow, handoff.id) is not None:
            raise Conflict(f"hand-off {handoff.id} already exists")
        _insert(self._session, row, f"hand-off {handoff.id}")

    def get(self, handoff_id: HandoffId) -> Handoff | None:
        row = self._session.get(HandoffRow, handoff_id)
        return None if row is None else _handoff_record(row)

    def update(self, handoff: Handoff) -> None:
        row = self._session.get(HandoffRow, handoff.id)
        if row is None:
            raise NotFound(f"no hand-off {handoff.id}")
        for name, value in {**self._values(handoff), **self._lookup(handoff)}.items():
            setattr(row, name, value)
        _flush(self._session, f"cannot update {row.id}")

    def list_queue(self, *, status: HandoffStatus | None = None) -> list[Handoff]:
        query = select(HandoffRow).order_by(_URGENCY_RANK, HandoffRow.created_at, HandoffRow.id)
        if status is not None:
            query = query.where(HandoffRow.status == status.value)
        return [_handoff_record(row) for row in self._session.scalars(query)]

    def list_for_call(self, call_id: CallId) -> list[Handoff]:
        query = (
            select(HandoffRow)
            .where(HandoffRow.call_id == call_id)
            .order_by(HandoffRow.created_at, HandoffRow.id)
        )
        return [_handoff_record(row) for row in self._session.scalars(query)]

    def list_active(self, *, done_since: datetime | None = None) -> list[Handoff]:
        query = select(HandoffRow).order_by(_URGENCY_RANK, HandoffRow.created_at, HandoffRow.id)
        not_done = HandoffRow.status != HandoffStatus.DONE.value
        if done_since is None:
            query = query.where(not_done)
        else:
            query = query.where(not_done | (HandoffRow.completed_at >= done_since))
        return [_handoff_record(row) for row in self._session.scalars(query)]

    def list_for_inquiries(self, inquiry_ids: Sequence[InquiryId]) -> list[Handoff]:
        found: list[Handoff] = []
        for chunk in _chunks(inquiry_ids):
            query = select(HandoffRow).where(HandoffRow.inquiry_id.in_(chunk))
            found.extend(_handoff_record(row) for row in self._session.scalars(query))
        return sorted(found, key=lambda h: (h.created_at, h.id))

    def waiting_on_contact(self, number: str) -> list[Handoff]:
        query = (
            select(HandoffRow)
            .where(
                HandoffRow.caller_number_hmac == phone_key(self._session, number),
                HandoffRow.status == HandoffStatus.WAITING.value,
                HandoffRow.wake_on_contact.is_(True),
            )
            .order_by(HandoffRow.created_at, HandoffRow.id)
        )
        found = (_handoff_record(row) for row in self._session.scalars(query))
        return [task for task in found if task.caller_number == number]

    def _lookup(self, handoff: Handoff) -> dict[str, Any]:
        return {"caller_number_hmac": phone_key(self._session, handoff.caller_number)}

    def add_attempt(self, attempt: CallbackAttempt) -> None:
        if self._session.get(HandoffRow, attempt.handoff_id) is None:
            raise NotFound(f"no hand-off {attempt.handoff_id}")
        if self._session.get(CallbackAttemptRow, attempt.id) is not None:
            raise Conflict(f"attempt {attempt.id} already exists")
        row = CallbackAttemptRow(
            id=attempt.id,
            handoff_id=attempt.handoff_id,
            at=attempt.at,
            outcome=attempt.outcome.value,
            actor=attempt.by,
            note=attempt.note,
        )
        _insert(self._session, row, f"attempt {attempt.id}")

    def attempts(self, handoff_ids: Sequence[HandoffId]) -> list[CallbackAttempt]:
        found: list[CallbackAttempt] = []
        for chunk in _chunks(handoff_ids):
            query = select(CallbackAttemptRow).where(CallbackAttemptRow.handoff_id.in_(chunk))
            found.extend(_attempt_record(row) for row in self._session.scalars(query))
        return sorted(found, key=lambda a: (a.at, a.id))

    @staticmethod
    def _values(handoff: Handoff) -> dict[str, Any]:
        return {
            "call_id": handoff.call_id,
            "inquiry_id": handoff.inquiry_id,
            "category": handoff.category.value,
            "urgency": handoff.urgency.value,
            "summary": handoff.summary,
            "status": handoff.status.value,
            "caller_number": handoff.caller_number,
            "created_at": handoff.created_at,
            "completed_at": handoff.completed_at,
            "minutes_to_complete": handoff.minutes_to_complete,
            "details": _json_copy(handoff.details),
            "assigned_to": handoff.assigned_to,
            "waiting_until": handoff.waiting_until,
            "wake_on_contact": handoff.wake_on_contact,
            "status_changed_at": handoff.status_changed_at,
        }


# --- events --------------------------------------------------------------------------------


_PROMOTED_TEXT = ("appointment_id", "service", "source")
_PROMOTED_FLAGS = ("late", "established_client", "booked_by_ai")


def _promoted_fields(event: Event) -> dict[str, Any]:
    """The payload fields `events` also keeps as columns for the report (revision 0005)."""
    fields: dict[str, Any] = {name: getattr(event, name, None) for name in _PROMOTED_TEXT}
    fields.update({name: getattr(event, name, None) for name in _PROMOTED_FLAGS})
    status = getattr(event, "status", None)
    fields["status"] = status if status is not None else getattr(event, "reason", None)
    return {name: None if value is None else _plain(value) for name, value in fields.items()}


def _plain(value: object) -> str | bool:
    return value if isinstance(value, bool) else str(value)


class SqlEventRepository:
    """Events are written with the unit of work and remembered for `collect_events()`."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.pending: list[Event] = []

    def add(self, event: Event) -> None:
        if event.kind not in EVENT_TYPES:
            raise TypeError(f"{event.kind} is not a registered event type")
        payload = to_json(event)
        call_id = getattr(event, "call_id", None)
        self._session.add(
            EventRow(
                kind=event.kind,
                occurred_at=event.occurred_at,
                call_id=call_id,
                payload=payload,
                **_promoted_fields(event),
            )
        )
        self.pending.append(event)

    def query(
        self,
        *,
        kinds: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Event]:
        query = select(EventRow).order_by(EventRow.occurred_at, EventRow.id)
        if kinds is not None:
            query = query.where(EventRow.kind.in_(list(kinds)))
        if since is not None:
            query = query.where(EventRow.occurred_at >= since)
        if until is not None:
            query = query.where(EventRow.occurred_at < until)
        return [
            from_json(EVENT_TYPES[row.kind], cast(JSONValue, row.payload))
            for row in self._session.scalars(query)
        ]


# --- outbox --------------------------------------------------------------------------------


def _message_values(message: OutboundMessage) -> dict[str, Any]:
    return {
        "recipient": message.to,
        "channel": message.channel.value,
        "purpose": message.purpose.value,
        "body": message.body,
        "created_at": message.created_at,
        "send_after": message.send_after,
        "updated_at": message.updated_at,
        "dedupe_key": message.dedupe_key,
        "status": message.status.value,
        "attempts": message.attempts,
        "provider_id": message.provider_id,
        "call_id": message.call_id,
        "appointment_id": message.appointment_id,
        "inquiry_id": message.inquiry_id,
        "last_error": message.last_error,
        "lease_owner": message.lease_owner,
        "lease_expires_at": message.lease_expires_at,
        "sent_at": message.sent_at,
    }


def _message_record(row: OutboundMessageRow) -> OutboundMessage:
    return OutboundMessage(
        id=row.id,
        to=row.recipient,
        channel=Channel(row.channel),
        purpose=Purpose(row.purpose),
        body=row.body,
        created_at=row.created_at,
        send_after=row.send_after,
        updated_at=row.updated_at,
        dedupe_key=row.dedupe_key,
        status=MessageStatus(row.status),
        attempts=row.attempts,
        provider_id=row.provider_id,
        call_id=row.call_id,
        appointment_id=row.appointment_id,
        inquiry_id=row.inquiry_id,
        last_error=row.last_error,
        lease_owner=row.lease_owner,
        lease_expires_at=row.lease_expires_at,
        sent_at=row.sent_at,
    )


_LEASED = [MessageStatus.CLAIMED.value, MessageStatus.SENDING.value]


class SqlMessageRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, message: OutboundMessage) -> None:
        if self._session.get(OutboundMessageRow, message.id) is not None:
            raise Conflict(f"message {message.id} already exists")
        row = OutboundMessageRow(id=message.id, **_message_values(message))
        _insert(self._session, row, f"message {message.id} or its dedupe key")

    def get(self, message_id: MessageId, *, for_update: bool = False) -> OutboundMessage | None:
        query = select(OutboundMessageRow).where(OutboundMessageRow.id == message_id)
        if for_update:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _message_record(row)

    def get_by_dedupe_key(self, dedupe_key: str) -> OutboundMessage | None:
        query = select(OutboundMessageRow).where(OutboundMessageRow.dedupe_key == dedupe_key)
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _message_record(row)

    def update(self, message: OutboundMessage) -> None:
        row = self._session.get(OutboundMessageRow, message.id)
        if row is None:
            raise NotFound(f"no message {message.id}")
        for name, value in _message_values(message).items():
            setattr(row, name, value)
        _flush(self._session, f"cannot update {row.id}")

    def due(self, now: datetime, *, limit: int) -> list[OutboundMessage]:
        query = (
            select(OutboundMessageRow)
            .where(
                OutboundMessageRow.status == MessageStatus.QUEUED.value,
                OutboundMessageRow.send_after <= now,
            )
            .order_by(OutboundMessageRow.send_after, OutboundMessageRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_message_record(row) for row in self._session.scalars(query)]

    def stale(self, now: datetime, *, limit: int) -> list[OutboundMessage]:
        query = (
            select(OutboundMessageRow)
            .where(
                OutboundMessageRow.status.in_(_LEASED),
                OutboundMessageRow.lease_expires_at <= now,
            )
            .order_by(OutboundMessageRow.lease_expires_at, OutboundMessageRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_message_record(row) for row in self._session.scalars(query)]

    def for_appointment(self, appointment_id: str) -> list[OutboundMessage]:
        query = (
            select(OutboundMessageRow)
            .where(OutboundMessageRow.appointment_id == appointment_id)
            .order_by(OutboundMessageRow.send_after, OutboundMessageRow.id)
            .with_for_update()
        )
        return [_message_record(row) for row in self._session.scalars(query)]

    def list_all(self, *, status: MessageStatus | None = None) -> list[OutboundMessage]:
        query = select(OutboundMessageRow).order_by(
            OutboundMessageRow.created_at, OutboundMessageRow.id
        )
        if status is not None:
            query = query.where(OutboundMessageRow.status == status.value)
        return [_message_record(row) for row in self._session.scalars(query)]


class SqlOptOutRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, opt_out: OptOut) -> None:
        key = phone_key(self._session, opt_out.number)
        if self._session.get(OptOutRow, key) is not None:
            raise Conflict("the number has opted out already")
        row = OptOutRow(
            number_hmac=key,
            number=opt_out.number,
            opted_out_at=opt_out.at,
            keyword=opt_out.keyword,
        )
        _insert(self._session, row, "opt-out")

    def get(self, number: str) -> OptOut | None:
        row = self._session.get(OptOutRow, phone_key(self._session, number))
        return None if row is None else OptOut(row.number, row.opted_out_at, row.keyword)

    def remove(self, number: str) -> bool:
        row = self._session.get(OptOutRow, phone_key(self._session, number))
        if row is None:
            return False
        self._session.delete(row)
        _flush(self._session, "cannot remove the opt-out")
        return True


# --- end of outbox -------------------------------------------------------------------------
