"""Twilio voice webhooks: translate each request into one phone use case and its TwiML.

    POST /twilio/voice/incoming        a call arrives: the greeting and the first <Gather>
    POST /twilio/voice/gather?turn=N   the caller's speech or digits for turn N
    POST /twilio/voice/status          how the call ended (status callback)
    POST /twilio/voice/dial            how a transfer went (<Dial action>)
    POST /twilio/voice/whisper?call=ID what the transfer's callee hears first
    POST /twilio/voice/recording       a voicemail was recorded (<Record action>)
    POST /twilio/voice/transcription   its transcription
    POST /twilio/voice/fallback        the main handler failed: take a message

Every route requires a valid Twilio signature. URLs carry turn numbers and call ids only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from frontdesk.adapters import twilio_voice as twiml
from frontdesk.bootstrap import Services
from frontdesk.conversation.events import CallerPressed, CallerSaid, Event, Silence
from frontdesk.conversation.flows.base import practice_say
from frontdesk.conversation.lines import Line
from frontdesk.domain.errors import FrontdeskError, InvalidInput
from frontdesk.entrypoints.web.dependencies import services_of, voice_of, voice_settings, within
from frontdesk.entrypoints.web.security import TwilioForm, twilio_form
from frontdesk.services import missed_calls, paging, telephony, voice, voicemail
from frontdesk.services.telephony import VoiceDeps
from frontdesk.services.voice import Reply

log = logging.getLogger(__name__)

PREFIX = "/twilio/voice"
TWIML = "application/xml"

router = APIRouter(prefix=PREFIX, tags=["twilio-voice"])

Form = Annotated[TwilioForm, Depends(twilio_form)]
Deps = Annotated[VoiceDeps, Depends(voice_of)]
App = Annotated[Services, Depends(services_of)]


def _xml(body: str) -> Response:
    return Response(body, media_type=TWIML)


def _call_sid(form: TwilioForm) -> str:
    sid = form.get("CallSid")
    if sid is None:
        raise InvalidInput("CallSid is required")
    return sid


def _lines(reply: Reply) -> list[twiml.Line]:
    return list(zip(reply.texts, reply.whole, strict=True))


def render_reply(reply: Reply, services: Services) -> str:
    """The TwiML for a turn: listen for the next one, transfer, or hang up."""
    voice_ = voice_settings(services)
    if reply.transfer_to is not None:
        on_call = reply.transfer_to == services.practice.phones.on_call
        whisper = f"{PREFIX}/whisper?call={reply.call_id}" if on_call else None
        return twiml.transfer(
            _lines(reply),
            number=reply.transfer_to,
            action=f"{PREFIX}/dial",
            whisper_url=whisper,
            voice=voice_,
        )
    if reply.hang_up or reply.ended:
        return twiml.hang_up(_lines(reply), voice=voice_)
    return twiml.gather(
        _lines(reply), action=f"{PREFIX}/gather?turn={reply.next_seq}", voice=voice_
    )


def take_message(services: Services, *names: Line) -> str:
    """Approved edge lines, then a voicemail recording."""
    lines = [telephony.edge_text(services.practice, name) for name in names]
    return twiml.record(
        lines,
        action=f"{PREFIX}/recording",
        transcribe_callback=f"{PREFIX}/transcription",
        voice=voice_settings(services),
    )


async def _answer(services: Services, work: Callable[[], Reply], route: str) -> Response:
    reply = await within(services.settings.voice_turn_budget_seconds, work)
    if reply is None:
        log.warning("turn over budget route=%s: offering a message", route)
        return _xml(take_message(services, Line.TIMEOUT_PROMPT))
    log.info(
        "voice route=%s call_id=%s seq=%d safety=%s replayed=%s",
        route,
        reply.call_id,
        reply.seq,
        reply.route.value,
        reply.replayed,
    )
    return _xml(render_reply(reply, services))


def _now(services: Services) -> datetime:
    return services.clock()


@router.post("/incoming", response_class=Response)
async def incoming(form: Form, deps: Deps, services: App) -> Response:
    """A call arrives: answer at once with the approved greeting."""
    sid = _call_sid(form)
    at = _now(services)
    caller = form.get("From")
    return await _answer(
        services,
        lambda: voice.answer_call(call_sid=sid, caller_number=caller, at=at, deps=deps),
        "incoming",
    )


def event_of(form: TwilioForm, at: datetime) -> Event:
    """The engine event a gather result stands for: digits, speech, or silence."""
    digits = form.get("Digits")
    if digits is not None:
        if not digits.replace("*", "").replace("#", "").isdigit():
            raise InvalidInput("Digits must be keypad digits")
        return CallerPressed(at, digits)
    speech = (form.get("SpeechResult") or "").strip()
    if not speech:
        return Silence(at)
    confidence = None
    raw = form.get("Confidence")
    if raw is not None:
        try:
            confidence = min(1.0, max(0.0, float(raw)))
        except ValueError:
            raise InvalidInput("Confidence must be a number") from None
    return CallerSaid(at, speech, confidence)


@router.post("/gather", response_class=Response)
async def gather(
    form: Form, deps: Deps, services: App, turn: Annotated[int, Query(ge=1)]
) -> Response:
    """One turn of the conversation; a retried request hears the same answer."""
    sid = _call_sid(form)
    event = event_of(form, _now(services))
    return await _answer(
        services, lambda: voice.take_turn(call_sid=sid, seq=turn, event=event, deps=deps), "gather"
    )


@router.post("/status", response_class=Response)
async def status(form: Form, deps: Deps, services: App) -> Response:
    """How the call ended; a missed call gets its follow-up and callback task."""
    sid = _call_sid(form)
    call_status = form.get("CallStatus")
    if call_status is None:
        raise InvalidInput("CallStatus is required")
    at, caller = _now(services), form.get("From")
    await within(
        services.settings.voice_turn_budget_seconds,
        lambda: missed_calls.call_status(
            call_sid=sid, status=call_status, caller_number=caller, at=at, deps=deps
        ),
    )
    return _xml(twiml.empty())


@router.post("/dial", response_class=Response)
async def dial(form: Form, deps: Deps, services: App) -> Response:
    """After a transfer: done if someone answered, else page and take a message."""
    sid = _call_sid(form)
    dial_status = form.get("DialCallStatus") or "failed"
    at = _now(services)
    connected = await within(
        services.settings.voice_turn_budget_seconds,
        lambda: missed_calls.transfer_ended(
            call_sid=sid, dial_status=dial_status, at=at, deps=deps
        ),
    )
    if connected:
        return _xml(twiml.hang_up([], voice=voice_settings(services)))
    practice = services.practice
    call = await asyncio.to_thread(telephony.find_call, deps, sid)
    if call is not None and call.route.is_crisis:
        line = Line.EMERGENCY if call.route.value == "emergency" else Line.CRISIS_REPEAT
        text = practice.scripts.render(practice_say(line, practice))
        return _xml(twiml.hang_up([(text, True)], voice=voice_settings(services)))
    return _xml(take_message(services, Line.TRANSFER_MISSED, Line.VOICEMAIL_PROMPT))


@router.post("/whisper", response_class=Response)
def whisper(
    form: Form, deps: Deps, services: App, call: Annotated[str, Query(min_length=1)]
) -> Response:
    """What the on-call clinician hears before the caller is connected."""
    text = paging.whisper_text(deps, call_id=call)
    return _xml(twiml.say_only(text, voice=voice_settings(services)))


def _seconds(raw: str | None) -> int:
    try:
        return max(0, int(raw or 0))
    except ValueError:
        raise InvalidInput("RecordingDuration must be a whole number") from None


@router.post("/recording", response_class=Response)
def recording(form: Form, deps: Deps, services: App) -> Response:
    """A voicemail ended (even a blank one): attach it to the call's callback task."""
    sid = _call_sid(form)
    message = voicemail.Voicemail(
        recording_sid=form.get("RecordingSid"),
        url=form.get("RecordingUrl"),
        seconds=_seconds(form.get("RecordingDuration")),
    )
    at, caller = _now(services), form.get("From")
    voicemail.record_voicemail(
        call_sid=sid, voicemail=message, caller_number=caller, at=at, deps=deps
    )
    thanks = telephony.edge_text(services.practice, Line.VOICEMAIL_THANKS)
    return _xml(twiml.hang_up([thanks], voice=voice_settings(services)))


@router.post("/transcription", response_class=Response)
def transcription(form: Form, deps: Deps, services: App) -> Response:
    """A voicemail's transcription arrived: put it on the task beside the recording."""
    sid = _call_sid(form)
    recording_sid = form.get("RecordingSid")
    if recording_sid is None:
        raise InvalidInput("RecordingSid is required")
    text = form.get("TranscriptionText") if form.get("TranscriptionStatus") != "failed" else None
    voicemail.attach_transcription(
        call_sid=sid, recording_sid=recording_sid, text=text, at=_now(services), deps=deps
    )
    return _xml(twiml.empty())


@router.post("/fallback", response_class=Response)
def fallback(form: Form, deps: Deps, services: App) -> Response:
    """Twilio's fallback URL: whatever failed, the caller can leave a message."""
    sid = _call_sid(form)
    caller = form.get("From")
    try:
        voicemail.open_fallback(call_sid=sid, caller_number=caller, at=_now(services), deps=deps)
    except FrontdeskError as exc:
        # The message is what matters now; the recording callback opens the task if needed.
        log.error("fallback could not open a task error=%s", type(exc).__name__)
    return _xml(take_message(services, Line.FALLBACK_PROMPT))
