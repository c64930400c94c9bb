"""Every substantive sentence a caller says on a routine turn is kept for the hand-off."""

from __future__ import annotations

from tests.unit.conversation.engine_fakes import context, heard, run

from frontdesk.conversation.state import CallState, Heard
from frontdesk.conversation.understanding.result import Request
from frontdesk.domain.calls import Intent, Route

MOVE = heard("I need to move my appointment on Tuesday", intent=Intent.RESCHEDULE)
YES = heard("yes", affirm=True)
AGAIN = heard("say that again", requests=(Request.REPEAT,))
THURSDAY = heard("can we do Thursday instead")


def test_a_sentence_that_answers_nothing_asked_is_kept_with_its_turn() -> None:
    """ "can we do Thursday instead" at the name question is kept, as is the opening."""
    turns = run(context([MOVE, THURSDAY]), [MOVE.text, THURSDAY.text])
    assert turns[-1].state.heard == (Heard(1, MOVE.text), Heard(2, THURSDAY.text))


def test_a_bare_yes_or_a_request_about_the_call_is_not_kept() -> None:
    """ "yes" and "say that again" say nothing staff need: nothing is kept for them."""
    turns = run(context([MOVE, YES, AGAIN]), [MOVE.text, AGAIN.text, YES.text])
    assert turns[-1].state.heard == (Heard(1, MOVE.text),)


def test_words_on_a_clinical_or_sensitive_turn_are_not_kept_among_them() -> None:
    """Words the screen routed away from routine go to staff on their own route only."""
    worried = "I stopped my medication"
    ctx = context([MOVE], routes={worried: Route.CLINICAL})
    turns = run(ctx, [MOVE.text, worried])
    assert turns[-1].state.heard == (Heard(1, MOVE.text),)


def test_what_was_heard_survives_the_stored_state() -> None:
    """A restarted process reads the sentences back from the stored state."""
    state = CallState(heard=(Heard(2, "the afternoon"),))
    assert CallState.from_dict(state.to_dict()).heard == state.heard
