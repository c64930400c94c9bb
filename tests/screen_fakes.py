"""A seam for the direct safety question: the real screen, with `safety_check` set on chosen
words, so the question flow runs end to end before the screen asks it on real text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from frontdesk.conversation.safety import screen
from frontdesk.conversation.safety.verdict import Verdict


@dataclass(frozen=True)
class AskingScreen:
    """The real safety screen; an utterance in `asks` (and below crisis) carries
    `safety_check`, every other verdict is the screen's own."""

    asks: frozenset[str]

    @staticmethod
    def of(texts: Iterable[str]) -> AskingScreen:
        return AskingScreen(frozenset(texts))

    def __call__(self, text: str, /) -> Verdict:
        verdict = screen(text)
        if text in self.asks and not verdict.route.is_crisis:
            return replace(verdict, safety_check=True)
        return verdict
