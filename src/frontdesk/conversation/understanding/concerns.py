"""The caller's concern: the words that say why they want care, wherever they are said.

A concern comes in the middle of other things ("it's for me, I'm in Ohio, I've been having
panic attacks"), so the utterance is cut into clauses and each clause is read on its own.
A clause is the concern only when it names a difficulty ("panic attacks", "trouble
sleeping") or describes one ("struggling with", "going through a rough patch"), and it
neither asks something ("do you treat anxiety?") nor asks for something off the call
("please change the pin on my account"). The reading is the same whichever question was
asked: an off-topic aside, a greeting or an answer to another question is never the concern,
and a concern said before its question is kept.

The concern is stored in the caller's own words, never interpreted; the words kept are the
concern clauses as said, neighbours joined, everything else left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from frontdesk.conversation.understanding import places
from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.phrases import Pattern, compile_all

_DATA = load("concerns")
_TOPIC_WORDS = frozenset(_DATA["topic_words"])
_TOPICS = compile_all(_DATA["topic_phrases"])
_FRAMES = compile_all(_DATA["frames"])
_NEGATIONS = frozenset(_DATA["negations"])
_QUESTION_WORDS = frozenset(_DATA["question_words"])
_AUXILIARIES = frozenset(_DATA["auxiliaries"])
_SUBJECTS = frozenset(_DATA["subjects"])
_REQUEST_LEADS = compile_all(_DATA["request_leads"])
_IMPERATIVES = frozenset(_DATA["imperatives"])
_CARE = frozenset(_DATA["care_words"])
"""Words that make a request one for care ("I'd like to set up therapy for my anxiety")."""

# Clauses end at sentence punctuation and commas, and at words that join two thoughts.
_BOUNDARY = re.compile(
    r"[.!?;,]+|\s[-\u2013\u2014]+\s|\b(?:and|also|plus|but|so|then|anyway)\b", re.IGNORECASE
)
_NEGATION_REACH = 2
_PERFECT = frozenset({"have", "has", "had"})
"""First, these ask only before a subject: "has been having tantrums" states."""


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int  # character offsets in the utterance as said
    end: int
    asks: bool  # ended with a question mark


def concern(text: str, *, names: Sequence[Sequence[str]] = ()) -> str | None:
    """The concern clauses of `text` in the caller's words, or None when it states none.

    `names` (insurers, clinicians) name nobody's difficulty: "Optum Behavioral Health" is
    an insurer, not a behaviour.
    """
    kept: list[tuple[int, int]] = []
    for clause in _clauses(text):
        tokens = words(text[clause.start : clause.end])
        if not tokens or not is_concern(tokens, asks=clause.asks):
            continue
        if names and not is_concern(places.without(tokens, names), asks=clause.asks):
            continue
        if kept and _joined(text, kept[-1][1], clause.start):
            kept[-1] = (kept[-1][0], clause.end)
        else:
            kept.append((clause.start, clause.end))
    said = ", ".join(text[a:b].strip(" ,.;-") for a, b in kept)
    return said or None


def is_concern(tokens: Sequence[str], *, asks: bool = False) -> bool:
    """Whether one clause (its normalised words) describes a difficulty, asking nothing."""
    if asks or not tokens or is_question(tokens):
        return False
    topic = _names_difficulty(tokens)
    if _is_request(tokens):
        return topic and bool(_CARE & set(tokens))
    return topic or _cued(_FRAMES, tokens)


def is_question(tokens: Sequence[str]) -> bool:
    """Whether the clause asks something: a question word or an inverted verb first."""
    if not tokens:
        return False
    head = tokens[0]
    if head in _QUESTION_WORDS:
        return True
    if head not in _AUXILIARIES or len(tokens) < 2 or tokens[1] == "not":
        return False  # "can't sleep" states; "do you", "is autism" ask
    return head not in _PERFECT or tokens[1] in _SUBJECTS


def _is_request(tokens: Sequence[str]) -> bool:
    """Whether the clause asks for something to be done ("tell me", "I need to know")."""
    if tokens[0] in _IMPERATIVES:
        return True
    return any((span := p.find(tokens)) is not None and span[0] == 0 for p in _REQUEST_LEADS)


def _names_difficulty(tokens: Sequence[str]) -> bool:
    for i, token in enumerate(tokens):
        if token in _TOPIC_WORDS and not _negated(tokens, i):
            return True
    return _cued(_TOPICS, tokens)


def _cued(patterns: Sequence[Pattern], tokens: Sequence[str]) -> bool:
    for pattern in patterns:
        span = pattern.find(tokens)
        if span is not None and not _negated(tokens, span[0]):
            return True
    return False


def _negated(tokens: Sequence[str], at: int) -> bool:
    """ "no trouble with the video", "not anxious at all": the words deny the difficulty."""
    return any(t in _NEGATIONS for t in tokens[max(0, at - _NEGATION_REACH) : at])


def _clauses(text: str) -> list[_Clause]:
    found: list[_Clause] = []
    start = 0
    for mark in _BOUNDARY.finditer(text):
        found.append(_Clause(start, mark.start(), "?" in mark.group()))
        start = mark.end()
    found.append(_Clause(start, len(text), False))
    return [c for c in found if text[c.start : c.end].strip()]


def _joined(text: str, end: int, start: int) -> bool:
    """Whether only a joining word or a comma stands between two concern clauses."""
    between = text[end:start]
    return not re.search(r"[.!?;]", between)
