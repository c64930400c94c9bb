"""Twilio SMS webhook: one inbound text, one use case, an approved reply or none.

POST /twilio/sms/incoming
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from frontdesk.adapters import twilio_voice as twiml
from frontdesk.bootstrap import Services
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.web.dependencies import services_of, voice_of
from frontdesk.entrypoints.web.security import TwilioForm, twilio_form
from frontdesk.services import sms
from frontdesk.services.telephony import VoiceDeps

log = logging.getLogger(__name__)

router = APIRouter(prefix="/twilio/sms", tags=["twilio-sms"])


@router.post("/incoming", response_class=Response)
def incoming(
    form: Annotated[TwilioForm, Depends(twilio_form)],
    deps: Annotated[VoiceDeps, Depends(voice_of)],
    services: Annotated[Services, Depends(services_of)],
) -> Response:
    """An inbound text: keywords, urgent words, scheduling replies, or a callback task."""
    sid = form.get("MessageSid") or form.get("SmsSid")
    sender = form.get("From")
    if sid is None or sender is None:
        raise InvalidInput("MessageSid and From are required")
    result = sms.receive_text(
        message_sid=sid,
        from_number=sender,
        body=form.fields.get("Body", ""),
        at=services.clock(),
        deps=deps,
    )
    log.info("sms handled kind=%s", result.kind.value)
    return Response(twiml.message(result.reply), media_type="application/xml")
