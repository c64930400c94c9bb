"""Urgent pages: the text that alerts on-call staff, and the whisper before a warm transfer.

Pages carry the safety route, a hand-off reference and a callback number, never the
caller's words; each hand-off is paged at most once (the outbox de-duplicates by key).
"""

from __future__ import annotations

import logging
from datetime import datetime

from frontdesk.domain.calls import Urgency
from frontdesk.domain.errors import NotFound
from frontdesk.domain.records import CallRecord
from frontdesk.services.telephony import VoiceDeps, staff_text

log = logging.getLogger(__name__)


def page_on_call(deps: VoiceDeps, *, call: CallRecord, handoff_id: str, at: datetime) -> bool:
    """Queue the urgent text page for one hand-off of a call; False when nobody can be paged."""
    with deps.uow() as uow:
        handoff = uow.handoffs.get(handoff_id)
    route = str((handoff.details.get("route") if handoff else None) or call.route.value)
    return page_staff(
        deps,
        handoff_id=handoff_id,
        route=route,
        callback=call.caller_number,
        at=at,
        call_id=call.id,
    )


def page_staff(
    deps: VoiceDeps,
    *,
    handoff_id: str,
    route: str,
    callback: str | None,
    at: datetime,
    call_id: str | None = None,
) -> bool:
    """Text on-call (else the front desk) about an urgent hand-off, once per hand-off."""
    phones = deps.practice.phones
    to = phones.on_call or phones.front_desk
    if to is None or deps.outbox is None:
        log.warning("urgent page not queued handoff_id=%s", handoff_id)
        return False
    body = staff_text(
        "page", route=route, reference=handoff_id[:8], callback=callback or "number withheld"
    )
    deps.outbox(
        uow=deps.uow(),
        to=to,
        purpose="page",
        body=body,
        at=at,
        dedupe_key=f"page:{handoff_id}",
        call_id=call_id,
    )
    log.info("urgent page queued handoff_id=%s", handoff_id)
    return True


def page_urgent_handoffs(deps: VoiceDeps, *, call: CallRecord, at: datetime) -> int:
    """Page about every urgent hand-off of a call (a warm transfer went unanswered)."""
    with deps.uow() as uow:
        urgent = [h for h in uow.handoffs.list_for_call(call.id) if h.urgency is Urgency.URGENT]
    return sum(page_on_call(deps, call=call, handoff_id=h.id, at=at) for h in urgent)


def whisper_text(deps: VoiceDeps, *, call_id: str) -> str:
    """What the on-call clinician hears before a warm transfer connects: route and reference."""
    with deps.uow() as uow:
        call = uow.calls.get(call_id)
        urgent = [h for h in uow.handoffs.list_for_call(call_id) if h.urgency is Urgency.URGENT]
    if call is None:
        raise NotFound(f"no call {call_id}")
    reference = urgent[-1].id[:8] if urgent else call_id[:8]
    return staff_text("whisper", route=call.route.value, reference=reference)
