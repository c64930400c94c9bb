"""Inbound texts: STOP / START / HELP, replies about appointments, and everything else.

Every text is screened for crisis language first, as every caller sentence is: a text that
needs a person today never waits in the routine queue. STOP and START change the opt-out
list that every later message honours (a bare CANCEL is STOP by carrier convention, and
also opens a callback task about the sender's next appointment); reminder confirmations,
reschedule requests and waitlist acceptances go to `handle_scheduling_reply`, answered with
an approved line; any other text opens a callback task with the words in it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from frontdesk.conversation.flows.base import practice_say, practice_values
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.domain import events as domain_events
from frontdesk.domain.calendar import spoken_when
from frontdesk.domain.calls import HandoffCategory, Route, Urgency
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import new_id, require_aware
from frontdesk.domain.reminders import ReplyKind, parse_reply
from frontdesk.services import messages, text_replies
from frontdesk.services.paging import page_staff
from frontdesk.services.reminders import sender_name
from frontdesk.services.telephony import VoiceDeps, edge_text
from frontdesk.services.text_replies import ReplyOutcome
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
    values["practice"] = sender_name(practice)
    keyword = messages.handle_keyword(
        uow=deps.uow(),
        number=from_number,
        text=text,
        at=at,
        scripts=practice.scripts,
        values=values,
    )
    if keyword is not None:
        log.info("sms keyword kind=%s", keyword.kind.value)
        handoff_id = None
        if keyword.kind is ReplyKind.STOP:
            # "CANCEL" may mean the appointment: staff call back (no text can go now).
            cancelled = handle_scheduling_reply(
                uow=deps.uow(),
                practice=practice,
                from_number=from_number,
                text=text,
                kind=keyword.kind,
                at=at,
            )
            handoff_id = None if cancelled is None else cancelled.handoff_id
        return TextResult(TextKind(keyword.kind.value), keyword.reply, handoff_id)
    if _already_seen(deps.uow(), message_sid):
        return TextResult(TextKind.DUPLICATE)
    verdict = deps.context.screen(text) if text else None
    if verdict is not None and verdict.route.is_crisis:
        return _urgent(deps, message_sid, from_number, text, verdict.route, at)
    scheduled = handle_scheduling_reply(
        uow=deps.uow(),
        practice=practice,
        from_number=from_number,
        text=text,
        kind=parse_reply(text),
        at=at,
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
    *,
    uow: UnitOfWork,
    practice: Practice,
    from_number: str,
    text: str,
    kind: ReplyKind,
    at: datetime,
) -> TextResult | None:
    """A reminder confirmation, reschedule request, waitlist-offer answer or bare CANCEL.

    Answered by `text_replies.handle_reply`, with an approved line where one fits; a bare
    CANCEL (an opt-out) gets no reply, only a callback task. None when the text is not a
    scheduling reply, so the caller opens a general callback task and no reply is lost.
    """
    result = text_replies.handle_reply(
        uow=uow, practice=practice, from_number=from_number, text=text, kind=kind, at=at
    )
    if result is None:
        return None
    log.info(
        "sms scheduling outcome=%s appointment_id=%s handoff_id=%s",
        result.outcome.value,
        result.appointment_id,
        result.handoff_id,
    )
    reply = _scheduling_answer(uow, practice, result)
    return TextResult(TextKind.SCHEDULING, reply, result.handoff_id)


def _scheduling_answer(
    uow: UnitOfWork, practice: Practice, result: text_replies.ReplyResult
) -> str | None:
    """The approved reply to a scheduling outcome, signed with the discreet sender name."""
    line = _ANSWERS.get(result.outcome)
    if line is None:
        return None
    values = {"practice": sender_name(practice)}
    if result.appointment_id is not None:
        with uow:
            record = uow.appointments.get(result.appointment_id)
        if record is not None:
            appointment = record.appointment
            clinician = practice.clinician(appointment.clinician_id)
            values["when"] = spoken_when(appointment.start, practice.zone)
            values["clinician"] = (
                clinician.display_name if clinician is not None else appointment.clinician_id
            )
    wanted = practice.scripts.line(line).placeholders
    if not wanted <= values.keys():
        log.warning("no values for line %s: outcome=%s", line.value, result.outcome.value)
        return None
    return practice.scripts.render(Say.of(line, **{k: values[k] for k in wanted}))


_ANSWERS: dict[ReplyOutcome, Line] = {
    ReplyOutcome.CONFIRMED: Line.SMS_CONFIRMED,
    ReplyOutcome.RESCHEDULE_REQUESTED: Line.SMS_RESCHEDULE_RECEIVED,
    ReplyOutcome.OFFER_ACCEPTED: Line.SMS_OFFER_BOOKED,
    ReplyOutcome.OFFER_GONE: Line.SMS_OFFER_GONE,
}
"""The approved reply by outcome; a bare CANCEL has none (the number has just opted out)."""


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
