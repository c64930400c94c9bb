"""Missed calls: how a call ended, unanswered transfers, and the follow-up that recovers them.

A call that missed its purpose (no answer, busy, hung up mid-intake, a transfer nobody
took) gets `CallMissed`, a callback task and the approved follow-up text, once per call.
"""

from __future__ import annotations

import logging
from datetime import datetime

from frontdesk.conversation.lines import Line
from frontdesk.domain import events as domain_events
from frontdesk.domain.calls import CallResult, Urgency
from frontdesk.domain.records import CallRecord, CallStatus
from frontdesk.services import calls
from frontdesk.services.paging import page_urgent_handoffs, withdraw_urgent_pages
from frontdesk.services.telephony import (
    TASK_CATEGORIES,
    VoiceDeps,
    add_task,
    call_of,
    edge_text,
    ensure_call,
    reload_call,
)

log = logging.getLogger(__name__)

MISSED_STATUSES = frozenset({"no-answer", "busy", "failed", "canceled"})
FINAL_STATUSES = MISSED_STATUSES | {"completed"}


def call_status(
    *, call_sid: str, status: str, caller_number: str | None, at: datetime, deps: VoiceDeps
) -> CallRecord | None:
    """Record how a call ended; a call that missed its purpose gets a follow-up and a task.

    Statuses before the end (`ringing`, `in-progress`) change nothing and return None.
    """
    if status not in FINAL_STATUSES:
        return None
    call = ensure_call(deps, call_sid, caller_number, at)
    if call.status is CallStatus.IN_PROGRESS:
        # A hang-up can leave an urgent hand-off (the direct safety question unanswered):
        # its page is queued in the same commit.
        calls.end_call(
            call_id=call.id,
            at=at,
            uow=deps.uow(),
            context=deps.context,
            page=deps.outbox is not None,
        )
    ended = reload_call(deps, call.id)
    reason = status if status in MISSED_STATUSES else _abandoned(deps, ended)
    if reason is not None:
        recover_missed_call(deps, call=ended, reason=reason, at=at)
    log.info("call status call_id=%s status=%s missed=%s", call.id, status, reason is not None)
    return ended


def transfer_ended(*, call_sid: str, dial_status: str, at: datetime, deps: VoiceDeps) -> bool:
    """The outcome of a transfer; False when nobody answered.

    Answered, the pages held for the transfer are withdrawn. Unanswered, on-call is paged
    at once about the call's urgent hand-offs, and a missed front-desk transfer is
    recovered like a missed call.
    """
    call = call_of(deps, call_sid)
    if dial_status in ("completed", "answered"):
        withdraw_urgent_pages(deps, call=call, at=at)
        return True
    page_urgent_handoffs(deps, call=call, at=at)
    if not call.route.is_crisis:
        recover_missed_call(deps, call=call, reason="transfer_missed", at=at)
    log.info("transfer missed call_id=%s", call.id)
    return False


def recover_missed_call(deps: VoiceDeps, *, call: CallRecord, reason: str, at: datetime) -> None:
    """`CallMissed`, a callback task and the approved follow-up text, once per call.

    Callers who heard crisis or emergency wording already have an urgent hand-off; they get
    no follow-up text.
    """
    with deps.uow() as uow:
        seen = uow.events.query(kinds=["CallMissed"], since=call.started_at)
        if any(getattr(e, "call_id", None) == call.id for e in seen):
            return
        tasks = [
            h
            for h in uow.handoffs.list_for_call(call.id)
            if h.category in TASK_CATEGORIES or h.urgency is Urgency.URGENT
        ]
        if not tasks and call.caller_number:
            add_task(uow, deps.practice, call, at, reason=f"missed_call_{reason}")
        uow.events.add(domain_events.CallMissed(occurred_at=at, call_id=call.id, reason=reason))
        uow.commit()
    if call.route.is_crisis or not call.caller_number or deps.outbox is None:
        return
    body, _ = edge_text(deps.practice, Line.MISSED_CALL_TEXT)
    deps.outbox(
        uow=deps.uow(),
        to=call.caller_number,
        purpose="follow_up",
        body=body,
        at=at,
        dedupe_key=f"follow_up:{call.id}",
        call_id=call.id,
    )


def _abandoned(deps: VoiceDeps, call: CallRecord) -> str | None:
    """`abandoned` when the caller hung up before the call's purpose was met."""
    if call.result is CallResult.ABANDONED:
        return "abandoned"
    with deps.uow() as uow:
        handoffs = uow.handoffs.list_for_call(call.id)
    if any(h.details.get("reason") == "hung_up_mid_call" for h in handoffs):
        return "abandoned"
    return None
