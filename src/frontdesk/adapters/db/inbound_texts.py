"""The SQLAlchemy repository of inbound texts (`InboundTextRepository`): one row per
provider message id, claimed by the first delivery of a text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.adapters.db.encrypted import phone_key
from frontdesk.adapters.db.tables import InboundTextRow
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.inbound_texts import CLAIM_TIMEOUT, InboundStatus, InboundText, MessageSid


def _flush(session: Session, conflict: str) -> None:
    """Write now, so a message id taken by a concurrent delivery shows here as `Conflict`."""
    try:
        session.flush()
    except IntegrityError:
        # The driver's message quotes the row's values (a phone number); only ids are named.
        raise Conflict(conflict) from None


def _values(text: InboundText) -> dict[str, Any]:
    return {
        "from_number": text.from_number,
        "received_at": text.received_at,
        "status": text.status.value,
        "claimed_by": text.claimed_by,
        "claimed_at": text.claimed_at,
        "kind": text.kind,
        "reply": text.reply,
        "handoff_id": text.handoff_id,
        "handled_at": text.handled_at,
        "body": text.body,
    }


def _record(row: InboundTextRow) -> InboundText:
    return InboundText(
        message_sid=row.message_sid,
        from_number=row.from_number,
        received_at=row.received_at,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        status=InboundStatus(row.status),
        kind=row.kind,
        reply=row.reply,
        handoff_id=row.handoff_id,
        handled_at=row.handled_at,
        body=row.body,
    )


class SqlInboundTextRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, text: InboundText) -> None:
        if self._session.get(InboundTextRow, text.message_sid) is not None:
            raise Conflict(f"inbound text {text.message_sid} already exists")
        row = InboundTextRow(
            message_sid=text.message_sid,
            from_number_hmac=phone_key(self._session, text.from_number),
            **_values(text),
        )
        self._session.add(row)
        _flush(self._session, f"inbound text {text.message_sid} already exists")

    def get(self, message_sid: MessageSid, *, for_update: bool = False) -> InboundText | None:
        query = select(InboundTextRow).where(InboundTextRow.message_sid == message_sid)
        if for_update:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _record(row)

    def update(self, text: InboundText) -> None:
        row = self._session.get(InboundTextRow, text.message_sid)
        if row is None:
            raise NotFound(f"no inbound text {text.message_sid}")
        for name, value in _values(text).items():
            setattr(row, name, value)
        row.from_number_hmac = phone_key(self._session, text.from_number)
        _flush(self._session, f"cannot update inbound text {text.message_sid}")

    def abandoned(self, now: datetime, *, limit: int) -> list[InboundText]:
        query = (
            select(InboundTextRow)
            .where(
                InboundTextRow.status.in_(
                    (InboundStatus.RECEIVED.value, InboundStatus.RELEASED.value)
                ),
                InboundTextRow.claimed_at <= now - CLAIM_TIMEOUT,
                InboundTextRow.body.is_not(None),
            )
            .order_by(InboundTextRow.claimed_at, InboundTextRow.message_sid)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_record(row) for row in self._session.scalars(query)]
