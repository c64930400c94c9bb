"""The SQLAlchemy retention repository (`RetentionRepository`): removes or redacts content
that has expired, in set-based statements, and never touches what the metrics read (calls'
outcome, route and number, events, hand-offs' category and times)."""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from frontdesk.adapters.db.codec import JSONValue, from_json, to_json
from frontdesk.adapters.db.tables import (
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


def _has_words() -> Any:
    return or_(
        TurnRow.caller_text.is_not(None), TurnRow.digits.is_not(None), TurnRow.agent_text != ""
    )


class SqlRetentionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def redact_transcripts(self, before: datetime) -> list[str]:
        old_calls = select(CallRow.id).where(CallRow.started_at < before)
        with_words = select(TurnRow.call_id).where(TurnRow.call_id.in_(old_calls), _has_words())
        with_state = select(CallRow.id).where(
            CallRow.started_at < before, cast(CallRow.state, Text) != "{}"
        )
        ids = sorted(
            set(self._session.scalars(with_words.distinct()))
            | set(self._session.scalars(with_state))
        )
        if not ids:
            return []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self._session.execute(
                update(TurnRow)
                .where(TurnRow.call_id.in_(chunk), _has_words())
                .values(caller_text=None, digits=None, agent_text="")
            )
            self._session.execute(update(CallRow).where(CallRow.id.in_(chunk)).values(state={}))
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
        candidates = self._session.scalars(
            select(HandoffRow).where(
                HandoffRow.created_at < before,
                cast(HandoffRow.details, Text).like('%"transcription"%'),
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
        return int(getattr(result, "rowcount", 0) or 0)

    def delete_finished_messages(self, before: datetime) -> int:
        result = self._session.execute(
            delete(OutboundMessageRow).where(
                OutboundMessageRow.status.in_(FINISHED), OutboundMessageRow.updated_at < before
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def redact_closed_handoffs(self, before: datetime) -> int:
        candidates = self._session.scalars(
            select(HandoffRow).where(
                HandoffRow.status == HandoffStatus.DONE.value,
                func.coalesce(HandoffRow.completed_at, HandoffRow.created_at) < before,
                HandoffRow.summary != REDACTED_SUMMARY,
            )
        )
        count = 0
        for row in candidates:
            row.summary = REDACTED_SUMMARY
            row.caller_number = None
            row.details = kept_handoff_details(row.details)
            count += 1
        self._session.flush()
        return count
