"""The SQLAlchemy retention repository (`RetentionRepository`): removes or redacts content
that has expired, and never touches what the metrics read (calls' outcome, route and
number, events, hand-offs' category and times).

Rows are chosen by plain columns only (times, statuses and the `content_purged_at` marks),
never by comparing content: content columns may be encrypted, and ciphertext compares
with nothing. A mark also makes each purge idempotent and keeps it from rereading rows
it already cleared.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from frontdesk.adapters.db.codec import JSONValue, from_json, to_json
from frontdesk.adapters.db.tables import (
    CallbackAttemptRow,
    CallRow,
    HandoffRow,
    InboundTextRow,
    InquiryRow,
    OutboundMessageRow,
    TurnRow,
)
from frontdesk.domain.handoffs import HandoffStatus
from frontdesk.domain.inbound_texts import InboundStatus
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.messages import MessageStatus
from frontdesk.domain.retention import REDACTED_SUMMARY, kept_handoff_details

# Finished messages: a final status staff need not act on (an uncertain one waits for
# `frontdesk outbox resolve`, so it keeps its text and recipient until then).
FINISHED = tuple(s.value for s in MessageStatus if s.final and s is not MessageStatus.UNCERTAIN)
CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class SqlRetentionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def redact_transcripts(self, before: datetime, *, at: datetime) -> list[str]:
        ids = list(
            self._session.scalars(
                select(CallRow.id)
                .where(CallRow.content_purged_at.is_(None), CallRow.started_at < before)
                .order_by(CallRow.id)
            )
        )
        for chunk in _chunks(ids):
            self._session.execute(
                update(TurnRow)
                .where(TurnRow.call_id.in_(chunk))
                .values(caller_text=None, digits=None, agent_text="")
            )
            self._session.execute(
                update(CallRow).where(CallRow.id.in_(chunk)).values(state={}, content_purged_at=at)
            )
            # The concern in the caller's own words goes with the transcript; the inquiry
            # (who, how they pay, how to reach them) stays for staff until erased.
            for row in self._session.scalars(
                select(InquiryRow).where(InquiryRow.call_id.in_(chunk))
            ):
                intake = from_json(Intake, typing.cast(JSONValue, row.intake))
                if intake.concern is not None:
                    row.intake = typing.cast(dict[str, Any], to_json(intake.merged(concern=None)))
        self._session.flush()
        return ids

    def redact_voicemail_transcriptions(self, before: datetime) -> int:
        # Hand-offs not yet redacted as closed: at most the closed-hand-off period of done
        # ones, and the open backlog; their details are read, not matched in SQL.
        candidates = self._session.scalars(
            select(HandoffRow).where(
                HandoffRow.created_at < before, HandoffRow.content_purged_at.is_(None)
            )
        )
        count = 0
        for row in candidates:
            voicemail = row.details.get("voicemail")
            if isinstance(voicemail, dict) and voicemail.get("transcription") is not None:
                row.details = {**row.details, "voicemail": {**voicemail, "transcription": None}}
                count += 1
        self._session.flush()
        return count

    def delete_inbound_texts(self, before: datetime) -> int:
        result = self._session.execute(
            delete(InboundTextRow).where(
                or_(
                    and_(
                        InboundTextRow.status == InboundStatus.HANDLED.value,
                        InboundTextRow.handled_at < before,
                    ),
                    and_(
                        InboundTextRow.status == InboundStatus.RELEASED.value,
                        InboundTextRow.received_at < before,
                    ),
                )
            )
        )
        return _rowcount(result)

    def delete_finished_messages(self, before: datetime) -> int:
        result = self._session.execute(
            delete(OutboundMessageRow).where(
                OutboundMessageRow.status.in_(FINISHED), OutboundMessageRow.updated_at < before
            )
        )
        return _rowcount(result)

    def redact_closed_handoffs(self, before: datetime, *, at: datetime) -> int:
        rows = list(
            self._session.scalars(
                select(HandoffRow).where(
                    HandoffRow.status == HandoffStatus.DONE.value,
                    func.coalesce(HandoffRow.completed_at, HandoffRow.created_at) < before,
                    HandoffRow.content_purged_at.is_(None),
                )
            )
        )
        for row in rows:
            row.summary = REDACTED_SUMMARY
            row.caller_number = None
            row.caller_number_hmac = None
            row.details = kept_handoff_details(row.details)
            row.content_purged_at = at
        for chunk in _chunks([row.id for row in rows]):
            self._session.execute(
                update(CallbackAttemptRow)
                .where(CallbackAttemptRow.handoff_id.in_(chunk))
                .values(note="")
            )
        self._session.flush()
        return len(rows)
