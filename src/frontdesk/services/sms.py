"""Inbound texts: STOP / START / HELP, replies about appointments, and everything else.

Every text is screened for crisis language first, as every caller sentence is: a text that
needs a person today never waits in the routine queue. STOP and START change the opt-out
list that every later message honours; reminder confirmations and waitlist acceptances go
to `handle_scheduling_reply`; any other text opens a callback task with the words in it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from frontdesk.conversation.flows.base import practice_say, practice_values
from frontdesk.conversation.lines import Line
from frontdesk.domain import events as domain_events
from frontdesk.domain.calls import HandoffCategory, Route, Urgency
from frontdesk.domain.errors import InvalidInput, ScriptError
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.records import new_id, require_aware
from frontdesk.domain.reminders import ReplyKind, parse_reply
from frontdesk.services import messages
from frontdesk.services.paging import page_staff
from frontdesk.services.telephony import VoiceDeps, edge_text
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 1600  # Twilio's limit for one inbound message


class TextKind(StrEnum):
    """What an inbound text turned out to be."""

    STOP = "stop"
    START = "start"
    HELP = "help"
    SCHEDULING = "scheduling"
    URGENT = "urgent"
    MESSAGE = "message"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class TextResult:
    """How an inbound text was handled, and the approved reply to send back, if any."""

    kind: TextKind
    reply: str | None = None
    handoff_id: str | None = None


def receive_text(
    *, message_sid: str, from_number: str, body: str, at: datetime, deps: VoiceDeps
) -> TextResult:
    """Handle one inbound text; a retried delivery of the same `message_sid` does nothing."""
    require_aware(at, "at")
    if not message_sid or not from_number:
        raise InvalidInput("MessageSid and From are required")
    text = body.strip()[:MAX_TEXT_LENGTH]
    practice = deps.practice
    values = practice_values(practice)
    try:
        keyword = messages.handle_keyword(
            uow=deps.uow(),
            number=from_number,
            text=text,
            at=at,
            scripts=practice.scripts,
            values=values,
        )
    except ScriptError:
        # The outbox names its HELP line by an id the library lacks: answer with ours.
        keyword = messages.KeywordReply(ReplyKind.HELP, edge_text(practice, Line.SMS_HELP)[0])
    if keyword is not None:
        log.info("sms keyword kind=%s", keyword.kind.value)
        return TextResult(TextKind(keyword.kind.value), keyword.reply)
    if _already_seen(deps.uow(), message_sid):
        return TextResult(TextKind.DUPLICATE)
    verdict = deps.context.screen(text) if text else None
    if verdict is not None and verdict.route.is_crisis:
        return _urgent(deps, message_sid, from_number, text, verdict.route, at)
    scheduled = handle_scheduling_reply(
        uow=deps.uow(), from_number=from_number, text=text, kind=parse_reply(text), at=at
    )
    if scheduled is not None:
        return scheduled
    handoff_id = _open_task(
        deps.uow(),
        message_sid=message_sid,
        from_number=from_number,
        text=text,
        category=HandoffCategory.MESSAGE,
        urgency=Urgency.ROUTINE,
        route=Route.ROUTINE if verdict is None else verdict.route,
        at=at,
    )
    reply, _ = edge_text(practice, Line.SMS_RECEIVED)
    log.info("sms message handoff_id=%s", handoff_id)
    return TextResult(TextKind.MESSAGE, reply, handoff_id)


def handle_scheduling_reply(
    *, uow: UnitOfWork, from_number: str, text: str, kind: ReplyKind, at: datetime
) -> TextResult | None:
    """A reminder confirmation, reschedule request or waitlist-offer acceptance by text.

    The scheduling services answer these (confirm the appointment, accept the offer); until
    they do, None lets the text open a callback task so no reply is lost.
    """
    return None


def _urgent(
    deps: VoiceDeps, message_sid: str, from_number: str, text: str, route: Route, at: datetime
) -> TextResult:
    category = HandoffCategory.EMERGENCY if route is Route.EMERGENCY else HandoffCategory.CRISIS
    handoff_id = _open_task(
        deps.uow(),
        message_sid=message_sid,
        from_number=from_number,
        text=text,
        category=category,
        urgency=Urgency.URGENT,
        route=route,
        at=at,
    )
    page_staff(deps, handoff_id=handoff_id, route=route.value, callback=from_number, at=at)
    line = Line.EMERGENCY if route is Route.EMERGENCY else Line.CRISIS
    reply = deps.practice.scripts.render(practice_say(line, deps.practice))
    log.info("sms urgent handoff_id=%s route=%s", handoff_id, route.value)
    return TextResult(TextKind.URGENT, reply, handoff_id)


def _already_seen(uow: UnitOfWork, message_sid: str) -> bool:
    with uow:
        return any(h.details.get("message_sid") == message_sid for h in uow.handoffs.list_queue())


def _open_task(
    uow: UnitOfWork,
    *,
    message_sid: str,
    from_number: str,
    text: str,
    category: HandoffCategory,
    urgency: Urgency,
    route: Route,
    at: datetime,
) -> str:
    handoff_id = new_id()
    words = f'Text: "{text}".' if text else "The text was empty."
    summary = f"Reason: text message. Route: {route.value}. From: {from_number}. {words}"
    with uow:
        uow.handoffs.add(
            Handoff(
                id=handoff_id,
                category=category,
                urgency=urgency,
                summary=summary,
                created_at=at,
                caller_number=from_number,
                details={
                    "reason": "text_message",
                    "route": route.value,
                    "message_sid": message_sid,
                    "text": text,
                },
            )
        )
        uow.events.add(
            domain_events.HandoffCreated(
                occurred_at=at, handoff_id=handoff_id, category=category, urgency=urgency
            )
        )
        uow.events.add(domain_events.MessageTaken(occurred_at=at, handoff_id=handoff_id))
        uow.commit()
    return handoff_id
