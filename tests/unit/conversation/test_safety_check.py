"""The direct safety question: asked once where risk is possible but not clear; its answer
decides."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from tests.unit.conversation.engine_fakes import (
    NOW,
    context,
    hang_up,
    heard,
    ids,
    run,
    said,
)

from frontdesk.conversation.engine import step
from frontdesk.conversation.events import CallerPressed, Event
from frontdesk.conversation.state import CallState, Phase, SafetyCheck
from frontdesk.conversation.turn import Handoff, PageStaff, Turn
from frontdesk.conversation.understanding.result import Slot
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.inquiries import ForWhom

UNSURE = "honestly I just wish it would all go away"
NEW_SELF = heard(
    "I'd like therapy for myself, I'm 34",
    intent=Intent.NEW_CLIENT,
    for_whom=ForWhom.SELF,
    client_age=34,
)
OHIO = heard("Ohio", state="OH")
TABLE = [NEW_SELF, OHIO]


def checked(*events: Event | str | None, routes: Mapping[str, Route] | None = None) -> list[Turn]:
    """A call that starts an intake, then says the unsure words, then `events`."""
    ctx = context(TABLE, routes=routes, checks={UNSURE})
    return run(ctx, [NEW_SELF.text, UNSURE, *events])


def handoffs(turn: Turn) -> list[Handoff]:
    return [a for a in turn.actions if isinstance(a, Handoff)]


def test_possible_risk_asks_the_direct_question_and_nothing_else() -> None:
    """A `safety_check` verdict mid-intake says only the whole direct question and keeps the
    intake exactly where it was."""
    before, asked = checked()[-2:]
    assert ids(asked) == ["safety_check"]
    assert asked.actions == ()
    assert asked.state.safety_check is SafetyCheck.AWAITING
    assert asked.state.phase is before.state.phase is Phase.INTAKE
    assert asked.state.asking is before.state.asking
    assert asked.state.intake == before.state.intake


def test_the_direct_question_asks_about_ending_life_or_self_harm_and_is_read_whole() -> None:
    """The approved question asks directly about ending one's life or harming oneself, in full."""
    ctx = context(TABLE, checks={UNSURE})
    library = ctx.practice.scripts
    asked = run(ctx, [UNSURE])[-1]
    text = library.render(asked.says[0]).lower()
    assert "ending your life" in text
    assert "harming yourself" in text
    assert library.line("safety_check").whole


def test_a_clear_no_flags_same_day_review_and_asks_the_pending_question_again() -> None:
    """ "No" gets a sensitive same-day review flag with the caller's words, and the question
    the call was on is asked again: its second asking, so in other words."""
    turns = checked("no, I'm not")
    before, answered = turns[-3], turns[-1]
    assert ids(answered) == ["safety_check_thanks", f"{ids(before)[-1]}_reworded"]
    (review,) = handoffs(answered)
    assert (review.category, review.urgency, review.reason) == (
        HandoffCategory.CLINICAL,
        Urgency.SAME_DAY,
        "sensitive_review",
    )
    assert review.route is Route.SENSITIVE
    assert UNSURE in (review.quote or "")
    assert not any(isinstance(a, PageStaff) for a in answered.actions)
    assert answered.route is Route.SENSITIVE
    assert answered.state.route is Route.SENSITIVE
    assert answered.state.phase is Phase.INTAKE
    assert answered.state.asking is before.state.asking
    assert answered.state.safety_check is SafetyCheck.ANSWERED


def test_after_a_clear_no_the_intake_goes_on() -> None:
    """The answer after the resumed question is taken as the intake answer it is."""
    turns = checked("no", OHIO.text)
    assert turns[-1].state.intake.state == "OH"
    assert turns[-1].state.phase is not Phase.CRISIS_CLOSED


def test_at_the_greeting_a_clear_no_asks_the_purpose_again() -> None:
    """Asked before any purpose is known, a clear no returns to "how can I help"."""
    turns = run(context(checks={UNSURE}), [UNSURE, "nope"])
    assert ids(turns[-1]) == ["safety_check_thanks", "ask_purpose"]
    assert turns[-1].state.phase is Phase.GREETING


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("yes", "safety_check_yes"),
        ("yeah, sometimes", "safety_check_yes"),
        ("I don't know", "safety_check_unclear"),
        ("not really", "safety_check_unclear"),
        ("no, but it crosses my mind", "safety_check_unclear"),
        ("what?", "safety_check_unclear"),
    ],
)
def test_yes_or_anything_unclear_takes_the_crisis_path(answer: str, reason: str) -> None:
    """Yes, a hedge or an unclear answer gets the whole 988 wording, an urgent hand-off with
    the words that led to the question and the answer, and a page."""
    answered = checked(answer)[-1]
    assert ids(answered) == ["crisis"]
    (urgent,) = handoffs(answered)
    assert (urgent.category, urgent.urgency, urgent.reason) == (
        HandoffCategory.CRISIS,
        Urgency.URGENT,
        reason,
    )
    assert UNSURE in (urgent.quote or "")
    assert answer in (urgent.quote or "")
    assert PageStaff("crisis") in answered.actions
    assert answered.route is Route.CRISIS
    assert answered.rules == ("safety_check",)
    assert answered.state.route is Route.CRISIS
    assert answered.state.phase is Phase.CRISIS_CLOSED
    assert answered.state.result is CallResult.CRISIS_DIRECTED


def test_silence_after_the_question_takes_the_crisis_path() -> None:
    """No answer at all is taken as the risk it may be."""
    answered = checked(None)[-1]
    assert ids(answered) == ["crisis"]
    (urgent,) = handoffs(answered)
    assert urgent.reason == "safety_check_no_answer"
    assert urgent.quote == UNSURE
    assert answered.route is Route.CRISIS
    assert answered.rules == ("safety_check",)
    assert answered.state.phase is Phase.CRISIS_CLOSED


def test_keypad_digits_after_the_question_take_the_crisis_path() -> None:
    """A key press is not an answer to the question: the crisis path."""
    answered = checked(CallerPressed(NOW, "2"))[-1]
    assert ids(answered) == ["crisis"]
    assert handoffs(answered)[0].reason == "safety_check_unclear"


def test_a_crisis_answer_is_screened_and_routed_directly() -> None:
    """An answer the screen routes to crisis gets the crisis wording at once; staff read it
    beside the words that led to the question."""
    words = "yes I have pills saved up"
    answered = checked(words, routes={words: Route.CRISIS})[-1]
    assert ids(answered) == ["crisis"]
    assert handoffs(answered)[0].reason == "crisis_language"
    assert handoffs(answered)[0].quote == f"{UNSURE} … {words}"
    assert answered.route is Route.CRISIS
    assert answered.state.safety_check is SafetyCheck.ANSWERED
    assert answered.state.check_quote is None


def test_an_emergency_answer_gets_the_emergency_wording() -> None:
    """An answer the screen routes to emergency gets the emergency wording and an urgent page."""
    words = "I already took them"
    answered = checked(words, routes={words: Route.EMERGENCY})[-1]
    assert ids(answered) == ["emergency_connecting"]
    assert PageStaff("emergency") in answered.actions
    assert answered.state.result is CallResult.EMERGENCY_DIRECTED


def test_a_no_whose_own_words_raise_possible_risk_takes_the_crisis_path() -> None:
    """ "No, I just wish it would all go away" is not a clear no."""
    again = f"no, {UNSURE}"
    ctx = context(TABLE, checks={UNSURE, again})
    answered = run(ctx, [NEW_SELF.text, UNSURE, again])[-1]
    assert ids(answered) == ["crisis"]
    assert handoffs(answered)[0].reason == "safety_check_unclear"


def test_a_no_heard_with_low_recogniser_confidence_takes_the_crisis_path() -> None:
    """A "no" the speech recogniser was unsure of is not a clear no."""
    answered = checked(said("no", confidence=0.3))[-1]
    assert ids(answered) == ["crisis"]
    assert handoffs(answered)[0].reason == "safety_check_unclear"


def test_a_no_heard_clearly_by_the_recogniser_continues() -> None:
    """A "no" heard with good confidence is a clear no."""
    answered = checked(said("no", confidence=0.9))[-1]
    assert ids(answered)[0] == "safety_check_thanks"


def test_the_question_is_asked_at_most_once_per_call() -> None:
    """After a clear no, later unsure words go through the flow; the question is not repeated."""
    ctx = context(TABLE, checks={UNSURE})
    turns = run(ctx, [NEW_SELF.text, UNSURE, "no", UNSURE, None, UNSURE])
    spoken = [line for t in turns for line in ids(t)]
    assert spoken.count("safety_check") == 1
    assert all(t.state.phase is not Phase.CRISIS_CLOSED for t in turns)


def test_crisis_words_before_the_question_mean_it_is_never_asked() -> None:
    """Once a call has heard the crisis wording, unsure words hear the crisis path, not the
    question."""
    words = "I want to kill myself"
    ctx = context(routes={words: Route.CRISIS}, checks={UNSURE})
    turns = run(ctx, [words, UNSURE])
    assert "safety_check" not in [line for t in turns for line in ids(t)]
    assert turns[-1].state.safety_check is SafetyCheck.NOT_ASKED


def test_a_hang_up_at_the_question_opens_an_urgent_hand_off_and_a_page() -> None:
    """A caller who hangs up before answering is reached out to urgently."""
    ended = checked(hang_up())[-1]
    (urgent,) = handoffs(ended)
    assert (urgent.category, urgent.urgency, urgent.reason) == (
        HandoffCategory.CRISIS,
        Urgency.URGENT,
        "safety_check_unanswered",
    )
    assert urgent.quote == UNSURE
    assert PageStaff("crisis") in ended.actions
    assert ended.state.phase is Phase.ENDED


def test_unsure_words_with_a_clinical_question_keep_the_clinical_hand_off() -> None:
    """The question pre-empts the clinical wording, but the clinical hand-off is still made."""
    words = "my meds aren't working and I wish it would all go away"
    ctx = context(TABLE, routes={words: Route.CLINICAL}, checks={words})
    asked = run(ctx, [words])[-1]
    assert ids(asked) == ["safety_check"]
    (question,) = handoffs(asked)
    assert question.category is HandoffCategory.CLINICAL
    assert asked.route is Route.CLINICAL


def test_a_sensitive_verdict_with_the_check_waits_for_the_answer_before_flagging() -> None:
    """Negated or past words that still raise possible risk are flagged once, after a no."""
    words = "I'm not suicidal, but some days I don't see the point"
    ctx = context(TABLE, routes={words: Route.SENSITIVE}, checks={words})
    asked, answered = run(ctx, [NEW_SELF.text, words, "no"])[-2:]
    assert ids(asked) == ["safety_check"]
    assert handoffs(asked) == []
    assert [h.reason for h in handoffs(answered)] == ["sensitive_review"]


def test_the_waiting_question_survives_a_restart() -> None:
    """The state with the question pending round-trips through JSON and is answered after."""
    ctx = context(TABLE, checks={UNSURE})
    asked = run(ctx, [NEW_SELF.text, UNSURE])[-1].state
    stored = CallState.from_dict(json.loads(json.dumps(asked.to_dict())))
    assert stored == asked
    assert stored.check_quote == UNSURE
    answered = step(stored, CallerPressed(NOW, "9"), context=ctx)
    assert answered.state.phase is Phase.CRISIS_CLOSED


def test_a_state_stored_before_the_question_existed_still_loads() -> None:
    """Call state without the question's keys loads as never asked."""
    data = CallState(asking=Slot.STATE).to_dict()
    for key in ("safety_check", "check_quote", "crisis_says"):
        del data[key]
    loaded = CallState.from_dict(data)
    assert loaded.safety_check is SafetyCheck.NOT_ASKED
    assert loaded.crisis_says == ()
