"""How the caller answered the direct safety question ("are you thinking about ending your
life, or about harming yourself?").

Only a clear no lets the call carry on: a no (or "I'm safe") with nothing that affirms or
hedges. A yes, a hedge ("not really", "sometimes", "I don't know", "no, but …") or no answer
at all is read as the risk it may be. The phrase lists live in `data/safety_answer.json`.
"""

from __future__ import annotations

from enum import StrEnum

from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.phrases import compile_all, first

_LEXICON = load("safety_answer")
_NO = compile_all(_LEXICON["no"])
_YES = compile_all(_LEXICON["yes"])
_UNSURE = compile_all(_LEXICON["unsure"])


class SafetyAnswer(StrEnum):
    """What the answer to the direct question says."""

    NO = "no"
    YES = "yes"
    UNCLEAR = "unclear"


def read_safety_answer(text: str) -> SafetyAnswer:
    """The answer in `text`: NO only when it is a clear no, YES when it affirms, else UNCLEAR."""
    tokens = words(text)
    if first(_YES, tokens) is not None:
        return SafetyAnswer.YES
    if first(_UNSURE, tokens) is not None or first(_NO, tokens) is None:
        return SafetyAnswer.UNCLEAR
    return SafetyAnswer.NO
