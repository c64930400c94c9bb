"""The SQLAlchemy people repository (`PersonRepository`): finds everything held about one
person (by phone number or client id) and clears it on an erase request.

Lookups by number go through the number's blind index (the stored numbers are encrypted)
and then compare the decrypted number exactly (E.164); inquiries hold the number inside
their intake and are read and matched here, not in SQL.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from frontdesk.adapters.db.codec import JSONValue, from_json
from frontdesk.adapters.db.encrypted import phone_key
from frontdesk.adapters.db.inbound_texts import _record as _inbound_text
from frontdesk.adapters.db.repositories import _call_record, _handoff_record, _inquiry_record
from frontdesk.adapters.db.scheduling_repositories import _booking
from frontdesk.adapters.db.tables import (
    AppointmentRow,
    CallbackAttemptRow,
    CallRow,
    ClientRow,
    HandoffRow,
    InboundTextRow,
    InquiryRow,
    OutboundMessageRow,
    TurnRow,
    WaitlistEntryRow,
)
from frontdesk.domain.bookings import BookingRecord
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.inbound_texts import InboundText
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.records import CallRecord, InquiryRecord


class SqlPersonRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def calls_from(self, number: str) -> list[CallRecord]:
        key = phone_key(self._session, number)
        rows = self._session.scalars(
            select(CallRow).where(CallRow.caller_number_hmac == key).order_by(CallRow.started_at)
        )
        return [call for call in map(_call_record, rows) if call.caller_number == number]

    def inquiries_naming(self, number: str) -> list[InquiryRecord]:
        found = []
        for row in self._session.scalars(select(InquiryRow).order_by(InquiryRow.created_at)):
            intake = from_json(Intake, typing.cast(JSONValue, row.intake))
            if intake.callback_number == number:
                found.append(_inquiry_record(row))
        return found

    def handoffs_for(self, number: str, call_ids: Sequence[str]) -> list[Handoff]:
        key = phone_key(self._session, number)
        rows = self._session.scalars(
            select(HandoffRow)
            .where(or_(HandoffRow.caller_number_hmac == key, HandoffRow.call_id.in_(call_ids)))
            .order_by(HandoffRow.created_at, HandoffRow.id)
        )
        calls = set(call_ids)
        return [
            task
            for task in map(_handoff_record, rows)
            if task.caller_number == number or task.call_id in calls
        ]

    def appointments_for(
        self, *, client_ids: Sequence[str], inquiry_ids: Sequence[str], call_ids: Sequence[str]
    ) -> list[BookingRecord]:
        rows = self._session.scalars(
            select(AppointmentRow)
            .where(
                or_(
                    AppointmentRow.client_id.in_(client_ids),
                    AppointmentRow.inquiry_id.in_(inquiry_ids),
                    AppointmentRow.call_id.in_(call_ids),
                )
            )
            .order_by(AppointmentRow.start_at, AppointmentRow.id)
        )
        return [_booking(row) for row in rows]

    def inbound_texts_from(self, number: str) -> list[InboundText]:
        key = phone_key(self._session, number)
        rows = self._session.scalars(
            select(InboundTextRow)
            .where(InboundTextRow.from_number_hmac == key)
            .order_by(InboundTextRow.received_at)
        )
        return [text for text in map(_inbound_text, rows) if text.from_number == number]

    def clear_turns(self, call_ids: Sequence[str]) -> None:
        self._session.execute(
            update(TurnRow)
            .where(TurnRow.call_id.in_(call_ids))
            .values(caller_text=None, digits=None, agent_text="")
        )

    def clear_attempt_notes(self, handoff_ids: Sequence[str]) -> None:
        self._session.execute(
            update(CallbackAttemptRow)
            .where(CallbackAttemptRow.handoff_id.in_(handoff_ids))
            .values(note="")
        )

    def clear_appointment_contacts(self, appointment_ids: Sequence[str]) -> None:
        self._session.execute(
            update(AppointmentRow)
            .where(AppointmentRow.id.in_(appointment_ids))
            .values(
                contact_channel=None, contact_to=None, cancel_reason=None, reschedule_reason=None
            )
        )

    def clear_waitlist_contacts(self, entry_ids: Sequence[str]) -> None:
        self._session.execute(
            update(WaitlistEntryRow)
            .where(WaitlistEntryRow.id.in_(entry_ids))
            .values(contact_channel=None, contact_to=None)
        )

    def delete_messages(self, message_ids: Sequence[str]) -> None:
        self._session.execute(
            delete(OutboundMessageRow).where(OutboundMessageRow.id.in_(message_ids))
        )

    def delete_inbound_texts(self, message_sids: Sequence[str]) -> None:
        self._session.execute(
            delete(InboundTextRow).where(InboundTextRow.message_sid.in_(message_sids))
        )

    def delete_client(self, client_id: str) -> None:
        self._session.execute(delete(ClientRow).where(ClientRow.id == client_id))
