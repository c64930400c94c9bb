"""Purging expired content: `frontdesk purge`, and the worker once a day.

One purge is one unit of work: every kind is removed or redacted as of one moment
(`Retention.cutoff`) and one audit entry (`purge`, object `retention`) records the counts,
in the same transaction. Nothing the reports read is touched, so every figure of every
report stays what it was.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from frontdesk.domain.audit import Actor, AuditAction
from frontdesk.domain.retention import PurgeCounts, RetainedKind, Retention
from frontdesk.services import audit
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(days=1)
AUDIT_KIND = "retention"


def purge(
    *,
    uow: UnitOfWork,
    retention: Retention,
    now: datetime,
    actor: str,
    dry_run: bool = False,
) -> PurgeCounts:
    """Remove or redact everything expired at `now` and audit it; `dry_run` counts only."""
    with uow:
        store = uow.retention
        counts = PurgeCounts(
            transcripts=len(
                store.redact_transcripts(retention.cutoff(RetainedKind.TRANSCRIPTS, now), at=now)
            ),
            # Before closed hand-offs, whose redaction takes the transcription with it.
            voicemail_transcriptions=store.redact_voicemail_transcriptions(
                retention.cutoff(RetainedKind.VOICEMAIL_TRANSCRIPTIONS, now)
            ),
            inbound_texts=store.delete_inbound_texts(
                retention.cutoff(RetainedKind.INBOUND_TEXTS, now)
            ),
            finished_outbox=store.delete_finished_messages(
                retention.cutoff(RetainedKind.FINISHED_OUTBOX, now)
            ),
            closed_handoffs=store.redact_closed_handoffs(
                retention.cutoff(RetainedKind.CLOSED_HANDOFFS, now), at=now
            ),
        )
        if dry_run:
            uow.rollback()
            return counts
        audit.record(
            uow=uow,
            actor=actor,
            action=AuditAction.PURGE,
            object_kind=AUDIT_KIND,
            detail=counts.detail(),
            at=now,
        )
        uow.commit()
    log.info("purge %s", counts.detail())
    return counts


def purge_if_due(
    *, uow: UnitOfWork, retention: Retention, now: datetime, actor: str = Actor.WORKER
) -> PurgeCounts | None:
    """Purge unless a purge was audited in the last day (the worker's daily run)."""
    with uow:
        recent = uow.audit.search(
            object_kind=AUDIT_KIND, action=AuditAction.PURGE, since=now - PURGE_EVERY, limit=1
        )
    if recent:
        return None
    return purge(uow=uow, retention=retention, now=now, actor=actor)
