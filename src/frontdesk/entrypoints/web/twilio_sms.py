"""Twilio SMS webhook: one inbound text, one use case, an approved reply or none.

POST /twilio/sms/incoming

The text is answered within the turn budget whatever fails behind it: when handling runs
over the budget or fails (the database down, refusing or hanging), the edge screens the
text itself (the screen is pure and needs no database): crisis language gets the whole 988
or 911 line. Any other text that is already stored gets no reply now: its handling, still
under way, sends its answer as a text of its own when it finishes (or the worker's sweep
does); a text that could not be stored gets the approved `sms_unavailable` line.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from frontdesk.adapters import twilio_voice as twiml
from frontdesk.bootstrap import Services
from frontdesk.conversation.flows.base import practice_say
from frontdesk.conversation.lines import Line
from frontdesk.domain.calls import Route
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.web.dependencies import attempt, pager_of, services_of, voice_of
from frontdesk.entrypoints.web.edge_pages import EdgePager
from frontdesk.entrypoints.web.security import TwilioForm, twilio_form
from frontdesk.services import sms
from frontdesk.services.telephony import VoiceDeps, edge_text

log = logging.getLogger(__name__)

router = APIRouter(prefix="/twilio/sms", tags=["twilio-sms"])


def reply_alone(
    services: Services,
    body: str,
    *,
    pager: EdgePager | None = None,
    sender: str | None = None,
    stored: bool = False,
) -> str | None:
    """The reply the edge sends when handling cannot answer: the crisis or emergency line
    for crisis language (also paged straight to staff through `pager`); for any other text
    nothing when it is `stored` (its handling, still under way, or the worker's sweep
    answers it with a text of its own), else the approved line asking to try again."""
    text = body.strip()[: sms.MAX_TEXT_LENGTH]
    route = services.engine.screen(text).route if text else Route.ROUTINE
    practice = services.practice
    if route.is_crisis:
        if pager is not None:
            pager.page(route=route, source="text", callback=sender)
        line = Line.EMERGENCY if route is Route.EMERGENCY else Line.CRISIS
        return practice.scripts.render(practice_say(line, practice))
    if stored:
        return None
    reply, _ = edge_text(practice, Line.SMS_UNAVAILABLE)
    return reply


@router.post("/incoming", response_class=Response)
async def incoming(
    form: Annotated[TwilioForm, Depends(twilio_form)],
    deps: Annotated[VoiceDeps, Depends(voice_of)],
    services: Annotated[Services, Depends(services_of)],
    pager: Annotated[EdgePager, Depends(pager_of)],
) -> Response:
    """An inbound text: keywords, urgent words, scheduling replies, or a callback task."""
    sid = form.get("MessageSid") or form.get("SmsSid")
    sender = form.get("From")
    if sid is None or sender is None:
        raise InvalidInput("MessageSid and From are required")
    body, at = form.fields.get("Body", ""), services.clock()
    handover = sms.Handover()
    result = await attempt(
        services.settings.voice_turn_budget_seconds,
        lambda: sms.handle_for_webhook(
            handover,
            message_sid=sid,
            from_number=sender,
            body=body,
            at=at,
            deps=deps,
            now=services.clock,
        ),
        route="sms",
    )
    late = handover.give_up() if result is None else result
    if isinstance(late, sms.TextResult):
        log.info("sms handled kind=%s", late.kind.value)
        return Response(twiml.message(late.reply), media_type="application/xml")
    log.warning("sms answered at the edge stored=%s", late)
    reply = reply_alone(services, body, pager=pager, sender=sender, stored=late)
    return Response(twiml.message(reply), media_type="application/xml")
