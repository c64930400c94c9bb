"""Urgent pages: the text that alerts on-call staff, and the whisper before a warm transfer.

Pages carry the safety route, a hand-off reference and a callback number, never the
caller's words; each hand-off is paged at most once (the outbox de-duplicates by key).

A page is queued inside the unit of work that opened its hand-off (`enqueue_page`), so no
failure after that commit can leave an urgent hand-off without its page. A warm transfer
to on-call carries the hand-off itself: its page is queued at once but held back for
`TRANSFER_PAGE_DELAY`, sent at once when the transfer goes unanswered (`page_now`) and
withdrawn when on-call picks up (`withdraw_page`). If the transfer's outcome never
arrives, the held page goes out when the delay ends.

When the database cannot take a hand-off at all, the web edge still answers a crisis on
its own; `page_directly` is its last resort: a page handed straight to a notifier, outside
the outbox, saying that nothing was recorded.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Protocol

from frontdesk.domain.calls import Urgency
from frontdesk.domain.errors import NotFound
from frontdesk.domain.messages import (
    Channel,
    MessageId,
    MessageStatus,
    OutboundMessage,
    Purpose,
)
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import CallRecord, new_id
from frontdesk.services import messages
from frontdesk.services.telephony import VoiceDeps, staff_text
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# Twilio rings the transfer for 20 seconds; the rest covers the call-back that reports it.
TRANSFER_PAGE_DELAY = timedelta(seconds=60)
TRANSFER_ANSWERED = "transfer_answered"


def page_key(handoff_id: str) -> str:
    """The outbox de-duplication key of a hand-off's page."""
    return f"page:{handoff_id}"


def enqueue_page(
    uow: UnitOfWork,
    practice: Practice,
    *,
    handoff_id: str,
    route: str,
    callback: str | None,
    at: datetime,
    call_id: str | None = None,
    hold: timedelta | None = None,
) -> MessageId | None:
    """Queue the page about one urgent hand-off inside the caller's open unit of work.

    On-call is paged, else the front desk; None when the practice has neither number. With
    `hold`, the page waits that long (a warm transfer is ringing on-call). Never commits.
    """
    phones = practice.phones
    to = phones.on_call or phones.front_desk
    if to is None:
        log.warning("urgent page not queued: no on-call or front-desk number")
        return None
    body = staff_text(
        "page", route=route, reference=handoff_id[:8], callback=callback or "number withheld"
    )
    message_id = messages.enqueue(
        uow,
        to=to,
        channel=Channel.SMS,
        purpose=Purpose.PAGE,
        body=body,
        at=at,
        send_after=None if hold is None else at + hold,
        dedupe_key=page_key(handoff_id),
        call_id=call_id,
    )
    log.info("urgent page queued handoff_id=%s held=%s", handoff_id, hold is not None)
    return message_id


def page_now(uow: UnitOfWork, *, handoff_id: str, at: datetime) -> bool:
    """Release a held page at once, inside the caller's unit of work; False if none waits."""
    message = uow.messages.get_by_dedupe_key(page_key(handoff_id))
    if message is None or message.status is not MessageStatus.QUEUED:
        return False
    if message.send_after > at:
        uow.messages.update(message.deferred(until=at, at=at))
    return True


def withdraw_page(uow: UnitOfWork, *, handoff_id: str, at: datetime) -> bool:
    """Withdraw a page still waiting to be sent (on-call answered the transfer)."""
    message = uow.messages.get_by_dedupe_key(page_key(handoff_id))
    if message is None or message.status is not MessageStatus.QUEUED:
        return False
    uow.messages.update(message.withdrawn(code=TRANSFER_ANSWERED, at=at))
    return True


def page_on_call(deps: VoiceDeps, *, call: CallRecord, handoff_id: str, at: datetime) -> bool:
    """Page now about one hand-off of a call (queued, or a held page released); False when
    nobody can be paged."""
    if deps.outbox is None:
        log.warning("urgent page not queued handoff_id=%s", handoff_id)
        return False
    with deps.uow() as uow:
        if page_now(uow, handoff_id=handoff_id, at=at):
            uow.commit()
            return True
        if uow.messages.get_by_dedupe_key(page_key(handoff_id)) is not None:
            return True  # already on its way, or sent
        handoff = uow.handoffs.get(handoff_id)
        route = str((handoff.details.get("route") if handoff else None) or call.route.value)
        queued = enqueue_page(
            uow,
            deps.practice,
            handoff_id=handoff_id,
            route=route,
            callback=call.caller_number,
            at=at,
            call_id=call.id,
        )
        uow.commit()
    return queued is not None


def page_urgent_handoffs(deps: VoiceDeps, *, call: CallRecord, at: datetime) -> int:
    """Page now about every urgent hand-off of a call (a warm transfer went unanswered)."""
    with deps.uow() as uow:
        urgent = [h for h in uow.handoffs.list_for_call(call.id) if h.urgency is Urgency.URGENT]
    return sum(page_on_call(deps, call=call, handoff_id=h.id, at=at) for h in urgent)


def withdraw_urgent_pages(deps: VoiceDeps, *, call: CallRecord, at: datetime) -> int:
    """Withdraw the held pages of a call whose warm transfer on-call answered."""
    with deps.uow() as uow:
        urgent = [h for h in uow.handoffs.list_for_call(call.id) if h.urgency is Urgency.URGENT]
        withdrawn = sum(withdraw_page(uow, handoff_id=h.id, at=at) for h in urgent)
        uow.commit()
    return withdrawn


def whisper_text(deps: VoiceDeps, *, call_id: str) -> str:
    """What the on-call clinician hears before a warm transfer connects: route and reference."""
    with deps.uow() as uow:
        call = uow.calls.get(call_id)
        urgent = [h for h in uow.handoffs.list_for_call(call_id) if h.urgency is Urgency.URGENT]
    if call is None:
        raise NotFound(f"no call {call_id}")
    reference = urgent[-1].id[:8] if urgent else call_id[:8]
    return staff_text("whisper", route=call.route.value, reference=reference)


class Sender(Protocol):
    """Hands one message to the provider (the worker's `Notifier`)."""

    def send(self, message: OutboundMessage) -> str: ...


def page_directly(
    sender: Sender,
    practice: Practice,
    *,
    route: str,
    source: str,
    callback: str | None,
    at: datetime,
) -> bool:
    """Page on-call (else the front desk) now, through `sender`, about a crisis `source`
    ("call" or "text") that could not be recorded; False when there is no number to page or
    the send failed. Nothing is stored: the database is what failed."""
    phones = practice.phones
    to = phones.on_call or phones.front_desk
    if to is None:
        log.error("direct page not sent: no on-call or front-desk number")
        return False
    body = staff_text(
        "unrecorded_page", route=route, source=source, callback=callback or "number withheld"
    )
    message = OutboundMessage(
        id=new_id(),
        to=to,
        channel=Channel.SMS,
        purpose=Purpose.PAGE,
        body=body,
        created_at=at,
        send_after=at,
        updated_at=at,
    )
    try:
        sender.send(message)
    except Exception as exc:  # nothing else can be done from here; the caller was answered
        log.error("direct page failed message_id=%s error=%s", message.id, type(exc).__name__)
        return False
    log.warning("direct page sent message_id=%s route=%s", message.id, route)
    return True
