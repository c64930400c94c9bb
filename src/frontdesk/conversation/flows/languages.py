"""Callers speaking a language the front desk does not speak on the call.

They hear one approved line in their own language offering a call back from the team, and
a callback task opens whose reason names the language, so the right person calls back.
The line is spoken with that language's voice (`voice_of`), not the practice's.
"""

from __future__ import annotations

from frontdesk.conversation.flows.base import EngineContext, Step, practice_say
from frontdesk.conversation.lines import Line
from frontdesk.conversation.state import CallState, Phase
from frontdesk.conversation.turn import HangUp, RequestCallback
from frontdesk.conversation.understanding.languages import NAMES, VOICES
from frontdesk.domain.calls import CallResult

LINES: dict[str, Line] = {"es": Line.LANGUAGE_CALLBACK_ES}
"""The approved line for each recognised language (`understanding/data/languages.json`)."""
_LINE_VOICES: dict[str, str] = {line.value: VOICES[code] for code, line in LINES.items()}


def voice_of(line_id: str) -> str | None:
    """The BCP-47 tag a line in another language is spoken with; None for the practice's own."""
    return _LINE_VOICES.get(line_id)


def callback_in(state: CallState, language: str, context: EngineContext) -> Step | None:
    """The call ends with the line in `language` and a callback task noting it; None when
    there is no approved line in that language."""
    line = LINES.get(language)
    if line is None:
        return None
    ended = state.without_readback().evolve(
        phase=Phase.ENDED, asking=None, result=CallResult.CALLBACK_REQUESTED
    )
    reason = f"callback_in_{NAMES[language].lower()}"
    return Step(ended, (practice_say(line, context.practice),), (RequestCallback(reason), HangUp()))
