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

Every route answers within the turn budget with approved TwiML, whatever fails behind it:
when a turn runs over the budget or its use case fails (the database down, refusing or
hanging), the edge screens the caller's words itself (the screen is pure and needs no
database) and speaks the whole 988 or 911 wording for crisis language; any other caller is
offered a voicemail. The fallback route does the same with whatever speech it received.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from frontdesk.adapters import twilio_voice as twiml
from frontdesk.bootstrap import Services
from frontdesk.conversation.events import (
    CallerPressed,
    CallerSaid,
    Event,
    Silence,
    TransferMissed,
)
from frontdesk.conversation.flows.base import practice_say
from frontdesk.conversation.lines import Line
from frontdesk.domain.calls import Route
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.web.dependencies import (
    attempt,
    pager_of,
    services_of,
    voice_of,
    voice_settings,
)
from frontdesk.entrypoints.web.edge_pages import EdgePager
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
Pager = Annotated[EdgePager, Depends(pager_of)]


def _xml(body: str) -> Response:
    return Response(body, media_type=TWIML)


def _call_sid(form: TwilioForm) -> str:
    sid = form.get("CallSid")
    if sid is None:
        raise InvalidInput("CallSid is required")
    return sid


def _lines(reply: Reply) -> list[twiml.Line]:
    voices = reply.voices or (None,) * len(reply.texts)
    return [
        twiml.Line(text, whole, voice)
        for text, whole, voice in zip(reply.texts, reply.whole, voices, strict=True)
    ]


def _edge_line(services: Services, name: Line) -> twiml.Line:
    return twiml.Line(*telephony.edge_text(services.practice, name))


def render_reply(reply: Reply, services: Services) -> str:
    """The TwiML for a turn: listen for the next one, transfer, or hang up."""
    voice_ = voice_settings(services)
    if reply.transfer_to is not None:
        whisper = f"{PREFIX}/whisper?call={reply.call_id}" if _whispered(reply, services) else None
        return twiml.transfer(
            _lines(reply),
            number=reply.transfer_to,
            action=_dial_action(reply),
            whisper_url=whisper,
            voice=voice_,
        )
    if reply.hang_up or reply.ended:
        return twiml.hang_up(_lines(reply), voice=voice_)
    return twiml.gather(
        _lines(reply), action=f"{PREFIX}/gather?turn={reply.next_seq}", voice=voice_
    )


def _dial_action(reply: Reply) -> str:
    """Where Twilio reports how the transfer went: with the call's next turn, and its route
    when it is a crisis or emergency call (so the edge can speak for it without the
    database)."""
    url = f"{PREFIX}/dial?turn={reply.next_seq}"
    return f"{url}&route={reply.call_route.value}" if reply.call_route.is_crisis else url


def _whispered(reply: Reply, services: Services) -> bool:
    """Staff taking a transfer hear the whisper first: on-call always, the front desk when
    the call is a crisis or emergency call. The lifeline (988) never does."""
    phones = services.practice.phones
    if reply.transfer_to == phones.on_call:
        return True
    return reply.transfer_to == phones.front_desk and reply.call_route.is_crisis


def take_message(services: Services, *names: Line) -> str:
    """Approved edge lines, then a voicemail recording."""
    lines = [_edge_line(services, name) for name in names]
    return twiml.record(
        lines,
        action=f"{PREFIX}/recording",
        transcribe_callback=f"{PREFIX}/transcription",
        voice=voice_settings(services),
    )


def screened_route(services: Services, words: str | None) -> Route:
    """The safety route of the caller's words, screened here at the edge (pure, no database)."""
    text = (words or "").strip()
    return services.engine.screen(text).route if text else Route.ROUTINE


def answer_alone(
    services: Services,
    words: str | None,
    prompt: Line,
    *,
    pager: EdgePager | None = None,
    caller: str | None = None,
) -> str:
    """What the edge says when the use case cannot answer: the whole 911 wording (then hang
    up) or the whole 988 wording (then a voicemail) for crisis language, else `prompt` and a
    voicemail. Crisis language is also paged straight to staff through `pager`."""
    route = screened_route(services, words)
    practice = services.practice
    if route.is_crisis and pager is not None:
        pager.page(route=route, source="call", callback=caller)
    if route is Route.EMERGENCY:
        text = practice.scripts.render(practice_say(Line.EMERGENCY, practice))
        return twiml.hang_up([twiml.Line(text, whole=True)], voice=voice_settings(services))
    if route is Route.CRISIS:
        crisis = practice.scripts.render(practice_say(Line.CRISIS, practice))
        return twiml.record(
            [twiml.Line(crisis, whole=True), _edge_line(services, Line.VOICEMAIL_PROMPT)],
            action=f"{PREFIX}/recording",
            transcribe_callback=f"{PREFIX}/transcription",
            voice=voice_settings(services),
        )
    return take_message(services, prompt)


async def _answer(
    services: Services,
    work: Callable[[], Reply],
    route: str,
    *,
    pager: EdgePager,
    form: TwilioForm,
) -> Response:
    reply = await attempt(services.settings.voice_turn_budget_seconds, work, route=route)
    if reply is None:
        log.warning("voice route=%s answered at the edge", route)
        words, caller = form.get("SpeechResult"), form.get("From")
        answer = answer_alone(services, words, Line.TIMEOUT_PROMPT, pager=pager, caller=caller)
        return _xml(answer)
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
async def incoming(form: Form, deps: Deps, services: App, pager: Pager) -> Response:
    """A call arrives: answer at once with the approved greeting."""
    sid = _call_sid(form)
    at = _now(services)
    caller = form.get("From")
    return await _answer(
        services,
        lambda: voice.answer_call(call_sid=sid, caller_number=caller, at=at, deps=deps),
        "incoming",
        pager=pager,
        form=form,
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
    form: Form, deps: Deps, services: App, pager: Pager, turn: Annotated[int, Query(ge=1)]
) -> Response:
    """One turn of the conversation; a retried request hears the same answer."""
    sid = _call_sid(form)
    event = event_of(form, _now(services))
    return await _answer(
        services,
        lambda: voice.take_turn(call_sid=sid, seq=turn, event=event, deps=deps),
        "gather",
        pager=pager,
        form=form,
    )


@router.post("/status", response_class=Response)
async def status(form: Form, deps: Deps, services: App) -> Response:
    """How the call ended; a missed call gets its follow-up and callback task."""
    sid = _call_sid(form)
    call_status = form.get("CallStatus")
    if call_status is None:
        raise InvalidInput("CallStatus is required")
    at, caller = _now(services), form.get("From")
    await attempt(
        services.settings.voice_turn_budget_seconds,
        lambda: missed_calls.call_status(
            call_sid=sid, status=call_status, caller_number=caller, at=at, deps=deps
        ),
        route="status",
    )
    return _xml(twiml.empty())


@router.post("/dial", response_class=Response)
async def dial(
    form: Form,
    deps: Deps,
    services: App,
    pager: Pager,
    turn: Annotated[int | None, Query(ge=1)] = None,
    route: Annotated[Route | None, Query()] = None,
) -> Response:
    """After a transfer: done if someone answered. Else staff are paged; a crisis or
    emergency caller goes back to the call, which says what it can still offer and keeps
    listening; anyone else is asked to leave a message.

    `turn` is the call's next turn and `route` the call's route when the transfer began
    (both set by the TwiML that rang): with the database down the crisis wording is still
    spoken here and staff are paged from the edge.
    """
    sid = _call_sid(form)
    dial_status = form.get("DialCallStatus") or "failed"
    at = _now(services)

    def ended() -> tuple[bool, Route, Reply | None]:
        connected = missed_calls.transfer_ended(
            call_sid=sid, dial_status=dial_status, at=at, deps=deps
        )
        call = telephony.find_call(deps, sid)
        call_route = Route.ROUTINE if call is None else call.route
        if connected or not call_route.is_crisis or turn is None:
            return connected, call_route, None
        missed = TransferMissed(at)
        return False, call_route, voice.take_turn(call_sid=sid, seq=turn, event=missed, deps=deps)

    outcome = await attempt(services.settings.voice_turn_budget_seconds, ended, route="dial")
    if outcome is None:
        return _xml(_missed_alone(services, route, pager=pager, caller=form.get("From")))
    connected, call_route, reply = outcome
    if connected:
        return _xml(twiml.hang_up([], voice=voice_settings(services)))
    if reply is not None:
        return _xml(render_reply(reply, services))
    if call_route.is_crisis:  # a transfer rung before the call could come back to the engine
        return _xml(_missed_alone(services, call_route))
    return _xml(take_message(services, Line.TRANSFER_MISSED, Line.VOICEMAIL_PROMPT))


def _missed_alone(
    services: Services,
    route: Route | None,
    *,
    pager: EdgePager | None = None,
    caller: str | None = None,
) -> str:
    """A missed transfer answered at the edge: the 911 wording (then hang up) on an
    emergency call, the wording that nobody could be reached and where help is at any hour
    (then a voicemail) on a crisis call, else the missed-transfer message."""
    if route is None or not route.is_crisis:
        return take_message(services, Line.TRANSFER_MISSED, Line.VOICEMAIL_PROMPT)
    if pager is not None:
        pager.page(route=route, source="call", callback=caller)
    practice = services.practice
    if route is Route.EMERGENCY:
        text = practice.scripts.render(practice_say(Line.EMERGENCY, practice))
        return twiml.hang_up([twiml.Line(text, whole=True)], voice=voice_settings(services))
    text = practice.scripts.render(practice_say(Line.CRISIS_NO_PERSON, practice))
    return twiml.record(
        [twiml.Line(text, whole=True), _edge_line(services, Line.VOICEMAIL_PROMPT)],
        action=f"{PREFIX}/recording",
        transcribe_callback=f"{PREFIX}/transcription",
        voice=voice_settings(services),
    )


@router.post("/whisper", response_class=Response)
async def whisper(
    form: Form, deps: Deps, services: App, call: Annotated[str, Query(min_length=1)]
) -> Response:
    """What the on-call clinician hears before the caller is connected."""
    text = await attempt(
        services.settings.voice_turn_budget_seconds,
        lambda: paging.whisper_text(deps, call_id=call),
        route="whisper",
    )
    if text is None:  # the hand-off cannot be read now: the route stays unnamed
        text = telephony.staff_text("whisper", route="urgent", reference=call[:8])
    return _xml(twiml.say_only(text, voice=voice_settings(services)))


def _seconds(raw: str | None) -> int:
    try:
        return max(0, int(raw or 0))
    except ValueError:
        raise InvalidInput("RecordingDuration must be a whole number") from None


@router.post("/recording", response_class=Response)
async def recording(form: Form, deps: Deps, services: App) -> Response:
    """A voicemail ended (even a blank one): attach it to the call's callback task."""
    sid = _call_sid(form)
    message = voicemail.Voicemail(
        recording_sid=form.get("RecordingSid"),
        url=form.get("RecordingUrl"),
        seconds=_seconds(form.get("RecordingDuration")),
    )
    at, caller = _now(services), form.get("From")
    # The recording stays with Twilio even when it cannot be attached now.
    await attempt(
        services.settings.voice_turn_budget_seconds,
        lambda: voicemail.record_voicemail(
            call_sid=sid, voicemail=message, caller_number=caller, at=at, deps=deps
        ),
        route="recording",
    )
    thanks = _edge_line(services, Line.VOICEMAIL_THANKS)
    return _xml(twiml.hang_up([thanks], voice=voice_settings(services)))


@router.post("/transcription", response_class=Response)
async def transcription(form: Form, deps: Deps, services: App) -> Response:
    """A voicemail's transcription arrived: put it on the task beside the recording."""
    sid = _call_sid(form)
    recording_sid = form.get("RecordingSid")
    if recording_sid is None:
        raise InvalidInput("RecordingSid is required")
    text = form.get("TranscriptionText") if form.get("TranscriptionStatus") != "failed" else None
    at = _now(services)
    await attempt(
        services.settings.voice_turn_budget_seconds,
        lambda: voicemail.attach_transcription(
            call_sid=sid, recording_sid=recording_sid, text=text, at=at, deps=deps
        ),
        route="transcription",
    )
    return _xml(twiml.empty())


@router.post("/fallback", response_class=Response)
async def fallback(form: Form, deps: Deps, services: App, pager: Pager) -> Response:
    """Twilio's fallback URL: whatever failed, crisis words hear the 988 or 911 wording and
    every caller can leave a message; when not even the fallback's task could be stored,
    crisis words are paged to staff directly."""
    sid = _call_sid(form)
    caller, at = form.get("From"), _now(services)
    # The message is what matters now; the recording callback opens the task if needed.
    task = await attempt(
        services.settings.voice_turn_budget_seconds,
        lambda: voicemail.open_fallback(call_sid=sid, caller_number=caller, at=at, deps=deps),
        route="fallback",
    )
    unrecorded = pager if task is None else None
    words = form.get("SpeechResult")
    return _xml(
        answer_alone(services, words, Line.FALLBACK_PROMPT, pager=unrecorded, caller=caller)
    )
