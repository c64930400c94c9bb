"""Emergency and crisis routes: the whole approved wording at once, staff alerted, no booking.

These pre-empt every phase. Afterwards the call stays closed to booking: whatever the caller
says next hears the resources again.
"""

from __future__ import annotations

from frontdesk.conversation.flows.base import EngineContext, Step, practice_say
from frontdesk.conversation.lines import Line
from frontdesk.conversation.state import CallState, Phase
from frontdesk.conversation.turn import (
    Action,
    CaptureInquiry,
    Handoff,
    PageStaff,
    Transfer,
    TransferTarget,
)
from frontdesk.domain.calls import CallResult, HandoffCategory, Route, Urgency


def emergency(state: CallState, text: str, context: EngineContext) -> Step:
    """Immediate danger: 911 wording, an urgent page and, when there is one, the on-call line."""
    practice = context.practice
    says = [practice_say(Line.EMERGENCY, practice)]
    actions: list[Action] = [
        Handoff(
            HandoffCategory.EMERGENCY,
            Urgency.URGENT,
            "emergency_language",
            route=Route.EMERGENCY,
            quote=text,
        ),
        PageStaff("emergency"),
        CaptureInquiry(),
    ]
    if practice.phones.on_call:
        says.append(practice_say(Line.EMERGENCY_TRANSFER, practice))
        actions.append(Transfer(TransferTarget.ON_CALL))
    closed = state.evolve(
        phase=Phase.CRISIS_CLOSED,
        asking=None,
        crisis=True,
        pending=None,
        result=CallResult.EMERGENCY_DIRECTED,
        handed_off=True,
    )
    return Step(closed, tuple(says), tuple(actions))


def crisis(state: CallState, text: str, context: EngineContext) -> Step:
    """Risk that is not clearly immediate: 988 wording and an urgent clinical hand-off."""
    result = (
        CallResult.EMERGENCY_DIRECTED
        if state.result is CallResult.EMERGENCY_DIRECTED
        else CallResult.CRISIS_DIRECTED
    )
    closed = state.evolve(
        phase=Phase.CRISIS_CLOSED,
        asking=None,
        crisis=True,
        pending=None,
        result=result,
        handed_off=True,
    )
    actions: tuple[Action, ...] = (
        Handoff(
            HandoffCategory.CRISIS,
            Urgency.URGENT,
            "crisis_language",
            route=Route.CRISIS,
            quote=text,
        ),
        PageStaff("crisis"),
        CaptureInquiry(),
    )
    if state.crisis:
        # Already handed off on this call: repeat the resources, alert nobody twice.
        return Step(closed, (practice_say(Line.CRISIS_REPEAT, context.practice),))
    return Step(closed, (practice_say(Line.CRISIS, context.practice),), actions)


def after_crisis(state: CallState, context: EngineContext) -> Step:
    """Anything said once the crisis wording was given: the resources again, never booking."""
    return Step(state, (practice_say(Line.CRISIS_REPEAT, context.practice),))
