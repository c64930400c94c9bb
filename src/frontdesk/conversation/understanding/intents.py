"""Call purposes, conversational requests, practice-file questions, yes/no and corrections.

All phrase lists live in `data/intents.json`; this module only scores and orders matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.phrases import Pattern, compile_all, first
from frontdesk.conversation.understanding.result import Request, Topic
from frontdesk.domain.calls import Intent

_LEXICON = load("intents")
_STRONG, _WEAK = 2, 1


@dataclass(frozen=True, slots=True)
class _Scored:
    strong: tuple[Pattern, ...]
    weak: tuple[Pattern, ...]


_INTENTS: dict[Intent, _Scored] = {
    Intent(name): _Scored(compile_all(entry["strong"]), compile_all(entry.get("weak", ())))
    for name, entry in _LEXICON["intents"].items()
}
_REQUESTS: dict[Request, tuple[Pattern, ...]] = {
    Request(name): compile_all(phrases) for name, phrases in _LEXICON["requests"].items()
}
_TOPICS: dict[Topic, tuple[Pattern, ...]] = {
    Topic(name): compile_all(phrases) for name, phrases in _LEXICON["topics"].items()
}
_YES = compile_all(_LEXICON["affirm"]["yes"])
_NO = compile_all(_LEXICON["affirm"]["no"])
_NOT_AFFIRM = compile_all(_LEXICON["affirm"]["not_affirm"])
_ACKNOWLEDGEMENTS = frozenset(_LEXICON["affirm"]["acknowledgements"])
_GO_AHEAD = _LEXICON["affirm"]["go_ahead"]
_GO_AHEAD_JOINERS = frozenset(_GO_AHEAD["joiners"])
_GO_AHEAD_OURS = frozenset(_GO_AHEAD["ours"])
_CORRECTION = compile_all(_LEXICON["correction"])
_DECLINES = compile_all(_LEXICON["declines"]["answers"])


def intents(tokens: Sequence[str]) -> tuple[Intent, ...]:
    """Every call purpose mentioned, best first (score, then earliest mention)."""
    ranked: list[tuple[int, int, Intent]] = []
    for intent, scored in _INTENTS.items():
        score, where = _score(scored, tokens)
        if score:
            ranked.append((-score, where, intent))
    return tuple(intent for _, _, intent in sorted(ranked))


def _score(scored: _Scored, tokens: Sequence[str]) -> tuple[int, int]:
    """Total weight of matching patterns and the earliest matching position."""
    score, where = 0, len(tokens)
    for weight, patterns in ((_STRONG, scored.strong), (_WEAK, scored.weak)):
        for pattern in patterns:
            span = pattern.find(tokens)
            if span is not None:
                score += weight
                where = min(where, span[0])
    return score, where


def requests(tokens: Sequence[str]) -> frozenset[Request]:
    """Conversational requests (repeat, a person, a message, goodbye, wait …)."""
    return frozenset(r for r, patterns in _REQUESTS.items() if first(patterns, tokens))


def topics(tokens: Sequence[str]) -> tuple[Topic, ...]:
    """Questions the practice file can answer, in the order asked."""
    found = [(span[0], t) for t, pats in _TOPICS.items() if (span := first(pats, tokens))]
    return tuple(topic for _, topic in sorted(found))


Deed = Callable[[Sequence[str]], bool]
"""Whether the words after "go ahead and" ask for a deed of another kind than ours."""


def affirm(tokens: Sequence[str], *, elsewhere: Deed | None = None) -> bool | None:
    """True for yes, False for no, None for neither; the earlier of the two wins.

    `elsewhere` reads the deed after "go ahead and": one for something else ("go ahead and
    book a reservation") makes no yes of the words that ask for it.
    """
    yes = _yes(tokens, elsewhere)
    no = first(_NO, tokens)
    blocked = first(_NOT_AFFIRM, tokens)
    if blocked is not None:
        yes = None if yes is not None and yes[0] == blocked[0] else yes
        no = None if no is not None and no[0] == blocked[0] else no
    if yes is None and no is None:
        return None
    return no is None or (yes is not None and yes[0] < no[0])


def _yes(tokens: Sequence[str], elsewhere: Deed | None) -> tuple[int, int] | None:
    """The earliest yes, passing over a 'go ahead and …' that asks for a deed not ours."""
    start = 0
    while (span := first(_YES, tokens[start:])) is not None:
        at = start + span[0]
        if not _go_ahead_elsewhere(tokens, at, elsewhere):
            return at, start + span[1]
        start = at + 2
    return None


def _go_ahead_elsewhere(tokens: Sequence[str], at: int, elsewhere: Deed | None) -> bool:
    """Whether tokens[at:] is 'go ahead and <deed>' with a deed that is not our process:
    'go ahead an unsync my phone' and, read by `elsewhere`, 'go ahead and book a
    reservation'; not 'go ahead and book it' or a bare 'go ahead'."""
    if tuple(tokens[at : at + 2]) != ("go", "ahead") or len(tokens) < at + 4:
        return False
    if tokens[at + 2] not in _GO_AHEAD_JOINERS:
        return False
    deed = tokens[at + 3 :]
    return deed[0] not in _GO_AHEAD_OURS or (elsewhere is not None and elsewhere(deed))


def answer_before_question(tokens: Sequence[str]) -> bool | None:
    """The yes or no of the words said before a question ("yes that's fine, do you …?");
    None when they only acknowledge ("okay, how much is it?")."""
    if all(token in _ACKNOWLEDGEMENTS for token in tokens):
        return None
    return affirm(tokens)


def is_correction(tokens: Sequence[str]) -> bool:
    """Whether the caller marks this as a correction ("actually", "I meant", "no, it's")."""
    return first(_CORRECTION, tokens) is not None


def declines(tokens: Sequence[str]) -> bool:
    """Whether the whole answer declines an open question ("skip", "pass", "no thanks")."""
    return first(_DECLINES, tokens) is not None
