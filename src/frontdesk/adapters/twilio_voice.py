"""TwiML for the phone edge, built with the `twilio` library's classes.

Each builder takes the lines to speak as `Line(text, whole, language)`. Whole lines (crisis
and emergency wording) are spoken outside any `<Gather>`, so a caller's words cannot cut them
short; the lines after the last whole one are spoken inside the `<Gather>`, where a caller
may answer before the question ends. A line in another language than the practice's (the
Spanish callback offer) carries its own language tag, so it is not read with the practice's
voice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse


class Line(NamedTuple):
    """One line to speak: `whole` lines are never cut short; `language` is a BCP-47 tag for
    a line not in the practice's language (None: the practice's voice)."""

    text: str
    whole: bool = False
    language: str | None = None


SPEECH_TIMEOUT = "auto"
GATHER_TIMEOUT_SECONDS = 6
DIAL_TIMEOUT_SECONDS = 20
VOICEMAIL_MAX_SECONDS = 120
MAX_HINTS = 100


@dataclass(frozen=True, slots=True)
class Voice:
    """How every `<Say>` and `<Gather>` of a practice sounds and listens."""

    language: str = "en-US"
    hints: str = ""


def hints_of(words: Iterable[str]) -> str:
    """Speech hints for the recogniser: distinct, trimmed phrases, comma-separated."""
    seen: dict[str, None] = {}
    for word in words:
        phrase = " ".join(word.replace(",", " ").split())[:100]
        if phrase and phrase.lower() not in {s.lower() for s in seen}:
            seen[phrase] = None
        if len(seen) >= MAX_HINTS:
            break
    return ",".join(seen)


def _split(lines: Sequence[Line]) -> tuple[list[Line], list[Line]]:
    """Lines up to the last whole one (outside the gather), then the rest (inside it)."""
    last_whole = max((i for i, line in enumerate(lines) if line.whole), default=-1)
    outside = [line for line in lines[: last_whole + 1] if line.text]
    inside = [line for line in lines[last_whole + 1 :] if line.text]
    return outside, inside


def _say_all(target: VoiceResponse | Gather, lines: Iterable[Line], voice: Voice) -> None:
    for line in lines:
        target.say(line.text, language=line.language or voice.language)


def gather(lines: Sequence[Line], *, action: str, voice: Voice) -> str:
    """Speak, then listen for speech or keypad digits; an empty result still calls `action`."""
    response = VoiceResponse()
    outside, inside = _split(lines)
    _say_all(response, outside, voice)
    listen = Gather(
        input="speech dtmf",
        action=action,
        method="POST",
        action_on_empty_result=True,
        speech_timeout=SPEECH_TIMEOUT,
        timeout=GATHER_TIMEOUT_SECONDS,
        language=voice.language,
        hints=voice.hints or None,
    )
    _say_all(listen, inside, voice)
    response.append(listen)
    return str(response.to_xml())


def transfer(
    lines: Sequence[Line],
    *,
    number: str,
    action: str,
    whisper_url: str | None,
    voice: Voice,
) -> str:
    """Speak every line in full, then ring `number`; `action` hears how the transfer went."""
    response = VoiceResponse()
    _say_all(response, lines, voice)
    dial = Dial(action=action, method="POST", timeout=DIAL_TIMEOUT_SECONDS)
    dial.number(number, url=whisper_url, method="POST" if whisper_url else None)
    response.append(dial)
    return str(response.to_xml())


def hang_up(lines: Sequence[Line], *, voice: Voice) -> str:
    """Speak every line in full, then end the call."""
    response = VoiceResponse()
    _say_all(response, lines, voice)
    response.hangup()
    return str(response.to_xml())


def record(
    lines: Sequence[Line],
    *,
    action: str,
    transcribe_callback: str,
    voice: Voice,
) -> str:
    """Speak, then record a voicemail with transcription; `action` receives the recording."""
    response = VoiceResponse()
    _say_all(response, lines, voice)
    response.record(
        action=action,
        method="POST",
        max_length=VOICEMAIL_MAX_SECONDS,
        play_beep=True,
        transcribe=True,
        transcribe_callback=transcribe_callback,
    )
    response.hangup()
    return str(response.to_xml())


def say_only(text: str, *, voice: Voice) -> str:
    """One line and nothing else (the whisper a transfer's callee hears)."""
    response = VoiceResponse()
    response.say(text, language=voice.language)
    return str(response.to_xml())


def empty() -> str:
    """A response that does nothing (status and transcription callbacks)."""
    return str(VoiceResponse().to_xml())


def message(text: str | None) -> str:
    """A reply to an inbound text, or an empty messaging response when there is none."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response.to_xml())
