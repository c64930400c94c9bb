"""Requests that change the path of a call: a message, a person, a staff-only question."""

from __future__ import annotations

from frontdesk.conversation.flows.base import EngineContext, Step, say
from frontdesk.conversation.flows.intake import absorb
from frontdesk.conversation.flows.phases import INTAKE_INTENTS, advance
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import CallState, Phase
from frontdesk.conversation.turn import (
    Action,
    CaptureInquiry,
    Handoff,
    Transfer,
    TransferTarget,
)
from frontdesk.conversation.understanding.result import Slot, Understanding
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency


def start_message(state: CallState, context: EngineContext, *, offered: bool = False) -> Step:
    """Ask for the message; `offered` when the call could not be understood."""
    line = Line.OFFER_MESSAGE if offered else Line.ASK_MESSAGE
    asking = state.without_readback().evolve(
        phase=Phase.MESSAGE,
        asking=Slot.MESSAGE,
        reprompts=0,
        intent=state.intent or Intent.MESSAGE,
    )
    return Step(asking, (say(line),))


def take_message(state: CallState, text: str, context: EngineContext) -> Step:
    """The caller's message, in their words; then how to reach them."""
    if not text.strip():
        return Step(state, (say(Line.MESSAGE_EMPTY),))
    return advance(state.evolve(message=text.strip(), reprompts=0), context)


def request_callback(
    state: CallState,
    understanding: Understanding,
    context: EngineContext,
    *,
    answers: tuple[Say, ...] = (),
    low_confidence: bool = False,
) -> Step:
    """The caller asked to be called back: answer what they asked, then take the number.

    A number said in the same breath is kept (and read back); the call closes with a
    callback task once the number is settled.
    """
    moved = state.without_readback().evolve(
        phase=Phase.HANDOFF, asking=None, result=None, wants_callback=True
    )
    absorbed = absorb(moved, understanding, context, low_confidence=low_confidence)
    taken = absorbed.state.evolve(pending=absorbed.readback, reprompts=0)
    return advance(taken, context).prefixed(says=(*answers, say(Line.CALLBACK_WILL_CALL)))


def speak_to_person(state: CallState, context: EngineContext) -> Step:
    """Transfer to the front desk when it is open; otherwise arrange a callback."""
    phones = context.practice.phones
    state = state.evolve(intent=state.intent or Intent.SPEAK_TO_PERSON)
    if phones.front_desk and not state.after_hours:
        actions: list[Action] = [
            Handoff(HandoffCategory.CALLBACK, Urgency.SAME_DAY, "asked_for_person"),
        ]
        if state.intent in INTAKE_INTENTS:
            actions.append(CaptureInquiry())
        actions.append(Transfer(TransferTarget.FRONT_DESK))
        ended = state.without_readback().evolve(
            phase=Phase.ENDED,
            asking=None,
            result=CallResult.HANDED_OFF,
            handed_off=True,
        )
        return Step(ended, (say(Line.TRANSFER_FRONT_DESK),), tuple(actions))
    handoff = state.without_readback().evolve(phase=Phase.HANDOFF, asking=None)
    return advance(handoff, context).prefixed(says=(say(Line.PERSON_UNAVAILABLE),))


def staff_only(state: CallState, route: Route, text: str, context: EngineContext) -> Step:
    """A clinical or administrative matter: the approved wording and a hand-off record.

    Before any purpose is known the call collects a callback number and closes; mid-intake
    the caller hears the hand-off wording and the intake continues.
    """
    clinical = route is Route.CLINICAL
    line = Line.HANDOFF_CLINICAL if clinical else Line.HANDOFF_ADMINISTRATIVE
    category = HandoffCategory.CLINICAL if clinical else HandoffCategory.ADMINISTRATIVE
    handoff = Handoff(
        category,
        Urgency.SAME_DAY,
        f"{route.value}_question",
        route=route,
        quote=text,
    )
    flagged = state.evolve(handed_off=True)
    if state.phase in (Phase.GREETING, Phase.ANSWERING):
        moved = flagged.evolve(phase=Phase.HANDOFF, asking=None, result=CallResult.HANDED_OFF)
        return advance(moved, context).prefixed(says=(say(line),), actions=(handoff,))
    resumed = advance(flagged, context)
    return resumed.prefixed(says=(say(line), say(Line.RESUME_INTAKE)), actions=(handoff,))
