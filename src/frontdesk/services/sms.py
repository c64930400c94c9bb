"""Inbound texts: STOP / START / HELP, replies about appointments, and everything else.

Every text is screened for crisis language first, as every caller sentence is: a text that
needs a person today never waits in the routine queue. STOP and START change the opt-out
list that every later message honours (a bare CANCEL is STOP by carrier convention, and
also opens a callback task about the sender's next appointment); reminder confirmations,
reschedule requests and waitlist acceptances go to `handle_scheduling_reply`, answered with
an approved line; any other text opens a callback task with the words in it.

Each text is handled once per provider message id (`frontdesk.domain.inbound_texts`): a
retried delivery gets the stored answer and opens, books, pages or confirms nothing again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from frontdesk.conversation.flows.base import practice_say, practice_values
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.domain import events as domain_events
from frontdesk.domain.calendar import spoken_when
from frontdesk.domain.calls import HandoffCategory, Route, Urgency
from frontdesk.domain.errors import Conflict, InvalidInput
from frontdesk.domain.inbound_texts import InboundStatus, InboundText
from frontdesk.domain.messages import Channel, Purpose
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import new_id, require_aware
from frontdesk.domain.reminders import ReplyKind, parse_reply
from frontdesk.services import callbacks, messages, text_replies
from frontdesk.services.paging import enqueue_page
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
    *,
    message_sid: str,
    from_number: str,
    body: str,
    at: datetime,
    deps: VoiceDeps,
    on_claimed: Callable[[], None] | None = None,
) -> TextResult:
    """Handle one inbound text once: a retried delivery of the same `message_sid` gets the
    answer the first one got and changes nothing; one still being handled gets `DUPLICATE`.

    A text the screen finds urgent is handled in one commit: its claim, the urgent hand-off,
    the page and the answer are stored together or not at all, so a process that dies
    part-way leaves nothing that keeps a redelivery from handling it in full. Any other text
    is claimed (committed) before anything else, and `on_claimed` is told so. If handling
    raises, the claim is released for the provider's retry; a claim whose process died is
    taken over after `CLAIM_TIMEOUT`, so no text is lost.
    """
    require_aware(at, "at")
    if not message_sid or not from_number:
        raise InvalidInput("MessageSid and From are required")
    text = body.strip()[:MAX_TEXT_LENGTH]
    route = None
    if text and parse_reply(text) not in _KEYWORDS:
        route = deps.context.screen(text).route
        if route.is_crisis:
            return _urgent(deps, message_sid, from_number, text, route, at)
    claim = new_id()
    repeated = _claim(
        deps.uow(), message_sid=message_sid, from_number=from_number, body=text, claim=claim, at=at
    )
    if repeated is not None:
        log.info("sms repeated delivery kind=%s", repeated.kind.value)
        return repeated
    if on_claimed is not None:
        on_claimed()
    try:
        result = _handle(
            message_sid=message_sid,
            from_number=from_number,
            text=text,
            route=route,
            deps=deps,
            at=at,
        )
    except Exception:
        _release(deps.uow(), message_sid=message_sid, claim=claim)
        raise
    _remember(deps.uow(), message_sid=message_sid, result=result, at=at)
    return result


_KEYWORDS = frozenset({ReplyKind.STOP, ReplyKind.START, ReplyKind.HELP})
"""Opt-out keywords, answered before the screen (a keyword is never crisis language)."""


def sweep_abandoned(*, deps: VoiceDeps, now: datetime, limit: int = 50) -> int:
    """Handle the texts whose claimant died or gave up (`InboundText.abandoned`): each is
    taken over and handled as a delivery would, and its reply, if any, is queued as a text
    (`reply:<MessageSid>`, queued once). Returns how many were handled; one that fails
    again stays for the next sweep."""
    require_aware(now, "now")
    with deps.uow() as uow:
        left = uow.inbound_texts.abandoned(now, limit=limit)
    handled = 0
    for text in left:
        try:
            result = receive_text(
                message_sid=text.message_sid,
                from_number=text.from_number,
                body=text.body or "",
                at=now,
                deps=deps,
            )
            if result.kind is not TextKind.DUPLICATE:
                queue_reply(
                    deps, message_sid=text.message_sid, to=text.from_number, result=result, at=now
                )
        except Exception as exc:  # the next sweep tries again; the rest go on
            log.error("sms sweep failed error=%s", type(exc).__name__)
            continue
        handled += 1
        log.info("sms abandoned text handled kind=%s", result.kind.value)
    return handled


def queue_reply(
    deps: VoiceDeps, *, message_sid: str, to: str, result: TextResult, at: datetime
) -> None:
    """Send the answer to a text as a text of its own (`reply:<MessageSid>`, queued once),
    for a text whose webhook could not carry it."""
    if result.reply is None:
        return
    messages.queue_message(
        uow=deps.uow(),
        to=to,
        channel=Channel.SMS,
        purpose=Purpose.REPLY,
        body=result.reply,
        at=at,
        dedupe_key=f"reply:{message_sid}",
        # An approved line answering the sender's own text, sent as the webhook would have
        # answered it (the 988 line names the Lifeline).
        allow=(result.reply,),
    )


class Handover:
    """Who answers a text whose handling outlasts the webhook's wait: exactly one of the
    webhook (with the result, when handling finished in time) and the handling itself
    (queueing the reply as a text once it finishes late). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claimed = False
        self._failed = False
        self._result: TextResult | None = None
        self._given_up = False

    def claimed(self) -> None:
        """The text is stored: whatever happens now, it is handled (or swept) and answered."""
        with self._lock:
            self._claimed = True

    def failed(self) -> None:
        """Handling raised: the text is not answered by it."""
        with self._lock:
            self._failed = True

    def finished(self, result: TextResult) -> bool:
        """True while the webhook still waits (it answers with `result`); False once it gave
        up, and the handling must queue the reply itself."""
        with self._lock:
            if self._given_up:
                return False
            self._result = result
            return True

    def give_up(self) -> TextResult | bool:
        """The webhook stops waiting: the result if handling finished meanwhile, else
        whether the text is safely stored and will be answered by a text of its own."""
        with self._lock:
            self._given_up = True
            if self._result is not None:
                return self._result
            return self._claimed and not self._failed


def handle_for_webhook(
    handover: Handover,
    *,
    message_sid: str,
    from_number: str,
    body: str,
    at: datetime,
    deps: VoiceDeps,
    now: Callable[[], datetime],
) -> TextResult:
    """`receive_text` for a webhook that may stop waiting: finished late, a reply goes out
    as a text of its own — except the crisis or emergency line, which the webhook's own
    screen already sent."""
    try:
        result = receive_text(
            message_sid=message_sid,
            from_number=from_number,
            body=body,
            at=at,
            deps=deps,
            on_claimed=handover.claimed,
        )
    except Exception:
        handover.failed()
        raise
    if not handover.finished(result) and result.kind not in (TextKind.URGENT, TextKind.DUPLICATE):
        queue_reply(deps, message_sid=message_sid, to=from_number, result=result, at=now())
        log.info("sms reply queued after the webhook answered kind=%s", result.kind.value)
    return result


def _handle(
    *,
    message_sid: str,
    from_number: str,
    text: str,
    route: Route | None,
    at: datetime,
    deps: VoiceDeps,
) -> TextResult:
    """Keywords, scheduling replies or a callback task for a text the screen found not
    urgent (`route`, None for a keyword or an empty text)."""
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
    reply, _ = edge_text(practice, Line.SMS_RECEIVED)
    # The task and the answer in one commit: a server stopping between them would leave a
    # task that the sweep or a redelivery opens a second time.
    with deps.uow() as uow:
        handoff_id = _add_task(
            uow,
            message_sid=message_sid,
            from_number=from_number,
            text=text,
            category=HandoffCategory.MESSAGE,
            urgency=Urgency.ROUTINE,
            route=route or Route.ROUTINE,
            at=at,
        )
        result = TextResult(TextKind.MESSAGE, reply, handoff_id)
        _answer(uow, message_sid=message_sid, result=result, at=at)
        uow.commit()
    log.info("sms message handoff_id=%s", handoff_id)
    return result


def _claim(
    uow: UnitOfWork, *, message_sid: str, from_number: str, body: str, claim: str, at: datetime
) -> TextResult | None:
    """None when this delivery is to handle the text (its claim, with the words, is
    committed); otherwise the answer for a repeated delivery: the stored one, or `DUPLICATE`
    while in hand."""
    fresh = InboundText(
        message_sid=message_sid,
        from_number=from_number,
        received_at=at,
        claimed_by=claim,
        claimed_at=at,
        body=body,
    )
    try:
        with uow:
            uow.inbound_texts.add(fresh)
            # A task waiting for this caller to text again is back in the queue.
            callbacks.wake_on_contact(uow=uow, number=from_number, at=at)
            uow.commit()
        return None
    except Conflict:
        pass  # another delivery claimed it first: read what became of it
    with uow:
        found = uow.inbound_texts.get(message_sid, for_update=True)
        if found is None:  # pragma: no cover - rows are never deleted
            uow.inbound_texts.add(fresh)
        elif found.status is InboundStatus.HANDLED:
            return _stored_answer(found)
        elif found.open_to(at):
            log.info("sms claim taken over status=%s", found.status.value)
            uow.inbound_texts.update(found.taken_over(claimed_by=claim, at=at))
        else:
            return TextResult(TextKind.DUPLICATE)
        uow.commit()
    return None


def _stored_answer(found: InboundText) -> TextResult:
    kind = TextKind.DUPLICATE if found.kind is None else TextKind(found.kind)
    return TextResult(kind, found.reply, found.handoff_id)


def _release(uow: UnitOfWork, *, message_sid: str, claim: str) -> None:
    """Give the claim up after handling failed, so the provider's retry handles the text."""
    try:
        with uow:
            found = uow.inbound_texts.get(message_sid, for_update=True)
            if found is None or found.claimed_by != claim:
                return  # taken over meanwhile: the claim is no longer ours to give up
            if found.status is InboundStatus.RECEIVED:
                uow.inbound_texts.update(found.released())
                uow.commit()
    except Exception as exc:  # the handling error is the one to raise; this claim expires
        log.warning("sms claim not released error=%s", type(exc).__name__)


def _remember(uow: UnitOfWork, *, message_sid: str, result: TextResult, at: datetime) -> None:
    """Keep the answer, which every later delivery of the text repeats."""
    with uow:
        if _answer(uow, message_sid=message_sid, result=result, at=at):
            uow.commit()


def _answer(uow: UnitOfWork, *, message_sid: str, result: TextResult, at: datetime) -> bool:
    """Record the answer inside the caller's open unit of work; False when the text was
    already answered (a delivery that took over finished first: its answer stands)."""
    found = uow.inbound_texts.get(message_sid, for_update=True)
    if found is None or found.status is InboundStatus.HANDLED:
        return False
    handled = found.handled(
        kind=result.kind.value, reply=result.reply, handoff_id=result.handoff_id, at=at
    )
    uow.inbound_texts.update(handled)
    return True


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
    """Claim, hand off, page and answer an urgent text in one commit; a text already handled
    gets its stored answer, one in hand elsewhere is waited for by the row lock."""
    category = HandoffCategory.EMERGENCY if route is Route.EMERGENCY else HandoffCategory.CRISIS
    line = Line.EMERGENCY if route is Route.EMERGENCY else Line.CRISIS
    reply = deps.practice.scripts.render(practice_say(line, deps.practice))
    for _ in range(2):  # a concurrent first delivery may commit between the read and the add
        uow = deps.uow()
        try:
            with uow:
                found = uow.inbound_texts.get(message_sid, for_update=True)
                if found is not None and found.status is InboundStatus.HANDLED:
                    log.info("sms repeated delivery kind=%s", TextKind.URGENT.value)
                    return _stored_answer(found)
                handoff_id = _add_task(
                    uow,
                    message_sid=message_sid,
                    from_number=from_number,
                    text=text,
                    category=category,
                    urgency=Urgency.URGENT,
                    route=route,
                    at=at,
                )
                if deps.outbox is not None:
                    enqueue_page(
                        uow,
                        deps.practice,
                        handoff_id=handoff_id,
                        route=route.value,
                        callback=from_number,
                        at=at,
                    )
                result = TextResult(TextKind.URGENT, reply, handoff_id)
                claim = InboundText(
                    message_sid=message_sid,
                    from_number=from_number,
                    received_at=at,
                    claimed_by=new_id(),
                    claimed_at=at,
                )
                answered = (found or claim).handled(
                    kind=result.kind.value, reply=reply, handoff_id=handoff_id, at=at
                )
                if found is None:
                    uow.inbound_texts.add(answered)
                else:
                    uow.inbound_texts.update(answered)
                callbacks.wake_on_contact(uow=uow, number=from_number, at=at)
                uow.commit()
        except Conflict:
            continue
        log.info("sms urgent handoff_id=%s route=%s", handoff_id, route.value)
        return result
    raise Conflict(f"inbound text {message_sid} could not be stored")


def _add_task(
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
    """Add a hand-off about a text inside the caller's open unit of work."""
    words = f'Text: "{text}".' if text else "The text was empty."
    summary = f"Reason: text message. Route: {route.value}. From: {from_number}. {words}"
    handoff_id = callbacks.open_handoff(
        uow,
        category=category,
        urgency=urgency,
        summary=summary,
        at=at,
        caller_number=from_number,
        details={
            "reason": "text_message",
            "route": route.value,
            "message_sid": message_sid,
            "text": text,
        },
    ).id
    uow.events.add(domain_events.MessageTaken(occurred_at=at, handoff_id=handoff_id))
    return handoff_id
