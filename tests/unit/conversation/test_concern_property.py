"""The concern is recorded exactly when the caller says one, whatever else the sentence holds.

Generated utterances join a concern (in wordings of this file's own, not the fuzzer's) with
other facts, questions, greetings and off-topic asides, in random order, and are said at a
random intake question through the real engine and understanding.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.conversation.engine_fakes import (
    CALLER,
    FakeScreen,
    hang_up,
    ids,
    practice,
    run,
    said,
)

from frontdesk.conversation.engine import EngineContext, step, vocabulary_of
from frontdesk.conversation.state import CallState, Evidence, Phase
from frontdesk.conversation.understanding import understand
from frontdesk.conversation.understanding.result import Slot
from frontdesk.domain.calls import Intent

_PRACTICE = practice()
_CONTEXT = EngineContext(
    practice=_PRACTICE,
    vocabulary=vocabulary_of(_PRACTICE),
    screen=FakeScreen({}),
    understand=understand,
)

# What brings the caller in: each filled into a frame below.
CONCERNS = (
    "anxiety",
    "panic attacks at night",
    "depression",
    "grief since my dad passed away",
    "trouble sleeping",
    "anger problems",
    "marriage problems",
    "ADHD",
    "OCD",
    "an eating disorder",
    "low self esteem",
    "constant worry about everything",
    "a really hard time since the divorce",
    "nightmares",
    "tantrums at school",
    "being bullied",
    "drinking too much",
    "postpartum depression",
    "feeling lonely",
    "burnout from caring for my mom",
    "fighting with my teenager",
    "stress from my new job",
    "trauma from a car accident",
    "social anxiety",
)
FRAMES = (
    "{c}",
    "I've been struggling with {c}",
    "honestly it's {c}",
    "lately it's been {c}",
    "mostly {c}",
    "we're dealing with {c}",
    "it would be for {c}",
    "she has {c}",
    "he's been going through {c}",
    "I think it's {c}",
    "I need help with {c}",
)
# Facts for other questions: none of them says why the caller wants care.
FACTS = (
    "it's for me",
    "for my daughter",
    "it's my husband who needs it",
    "I'm in Ohio",
    "we live in Wisconsin",
    "she's 12",
    "I'm 34",
    "by video please",
    "I'd like to come in person",
    "I have Aetna",
    "I'll pay myself",
    "I'd want the sliding scale",
    "Tuesday mornings are good",
    "anytime after 5 on weekdays",
    "text me the reminders",
    "my name is Sam Lee",
    "you can reach me at 312 555 0142",
    "I have a quiet room and a laptop",
    "no problems with the internet",
)
# Questions, greetings and asides: never a concern, even when one names a difficulty.
ASIDES = (
    "what's the weather like?",
    "sorry, my dog is barking",
    "can you tell me a joke",
    "hold on, I'm driving",
    "what time is it in London",
    "please transfer fifty dollars to my savings",
    "how do I reset my router",
    "is it going to rain tomorrow?",
    "remind me to buy milk",
    "good morning",
    "hi there",
    "okay thanks",
    "do you take Blue Cross?",
    "how much is a session?",
    "do you have anyone who treats anxiety?",
    "does someone there work with kids who have ADHD",
    "is your office near the train",
    "what are your hours?",
    "I'm in the mood for pizza later",
    "my flight got cancelled so I might be late",
)
JOINERS = (", ", ". ", " and ", ", um, ", "... ", " - ", ". Also, ")
QUESTIONS = (
    Slot.FOR_WHOM,
    Slot.CLIENT_AGE,
    Slot.CONCERN,
    Slot.STATE,
    Slot.MODALITY,
    Slot.PAYMENT,
    Slot.AVAILABILITY,
    Slot.REMINDER_PREFERENCE,
)


@dataclass(frozen=True)
class Said:
    text: str
    concern: str | None  # the concern words said, if any


@st.composite
def utterances(draw: st.DrawFn) -> Said:
    """One to four parts, a concern among them or not, joined in random order."""
    parts = draw(st.lists(st.sampled_from(FACTS + ASIDES), min_size=0, max_size=3, unique=True))
    concern = draw(st.one_of(st.none(), st.sampled_from(CONCERNS)))
    if concern is not None:
        parts.insert(
            draw(st.integers(0, len(parts))), draw(st.sampled_from(FRAMES)).format(c=concern)
        )
    if not parts:
        parts = [draw(st.sampled_from(ASIDES))]
    text = parts[0]
    for part in parts[1:]:
        text += draw(st.sampled_from(JOINERS)) + part
    return Said(text, concern)


def _intake_at(slot: Slot) -> CallState:
    return CallState(
        phase=Phase.INTAKE, asking=slot, intent=Intent.NEW_CLIENT, caller_number=CALLER, turns=4
    )


@settings(max_examples=400, deadline=None, derandomize=True)
@given(said_=utterances(), slot=st.sampled_from(QUESTIONS))
def test_the_concern_is_recorded_iff_it_was_said(said_: Said, slot: Slot) -> None:
    """Said at any question with other facts and asides around it, a concern is kept with its
    words and evidence; without one, nothing is recorded as the concern."""
    turn = step(_intake_at(slot), said(said_.text), context=_CONTEXT)
    state = turn.state
    recorded = (state.pending or state.intake).concern
    if said_.concern is None:
        assert recorded is None, said_.text
        return
    assert recorded is not None, said_.text
    assert said_.concern.lower() in recorded.lower(), said_.text
    cited = Evidence("concern", 4, said_.text)
    assert cited in (*state.evidence, *state.pending_evidence)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(aside=st.sampled_from(ASIDES + FACTS))
def test_at_the_concern_question_anything_else_is_never_the_concern(aside: str) -> None:
    """An aside, a question or another answer said again and again at the concern question is
    never recorded as the concern, and the question is put at most once more."""
    state = _intake_at(Slot.CONCERN).evolve(asked=("ask_concern",))
    asked_again = 0
    for _ in range(3):
        turn = step(state, said(aside), context=_CONTEXT)
        state = turn.state
        assert (state.pending or state.intake).concern is None
        asked_again += sum(line.startswith("ask_concern") for line in ids(turn))
    assert asked_again <= 1


def test_a_concern_said_with_the_yes_to_a_read_back_keeps_both() -> None:
    """ "Yes, and it's mostly anxiety" at the name's read-back confirms the name and keeps the
    concern, which is then never asked."""
    table = [
        "I'm looking for therapy for myself, I'm 30",
        "Jamie Rivera",
        "yes, and it's mostly anxiety",
    ]
    turns = run(_CONTEXT, table)
    last = turns[-1].state
    assert (last.intake.client_name, last.intake.concern) == ("Jamie Rivera", "it's mostly anxiety")
    assert Evidence("concern", 3, table[-1]) in last.evidence
    assert not any(line.startswith("ask_concern") for turn in turns for line in ids(turn))


def test_a_hang_up_at_a_name_read_back_keeps_what_was_said_with_the_name() -> None:
    """Only the name waits for its read-back: the concern and age said with it are kept."""
    table = ["I'd like therapy for my wife", "she's 38, Riley Patel, it's mostly grief"]
    turns = run(_CONTEXT, [*table, hang_up()])
    intake = turns[-1].state.intake
    assert (intake.client_age, intake.concern) == (38, "it's mostly grief")
    assert Evidence("concern", 2, table[1]) in turns[-1].state.evidence
