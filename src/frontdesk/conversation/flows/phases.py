"""Moving a call forward: the next question of each phase, and how each phase closes.

Intake, existing-client, message and hand-off phases each collect a few values and then
close with a line, the actions staff need, and a hang-up.
"""

from __future__ import annotations

from frontdesk.conversation.flows.base import EngineContext, Step, practice_say, say
from frontdesk.conversation.flows.booking import booking_prompt, start_booking
from frontdesk.conversation.flows.existing import start_verification
from frontdesk.conversation.flows.intake import ask, first_wording, next_intake_slot, readback
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import CallState, Phase
from frontdesk.conversation.turn import (
    Action,
    CaptureInquiry,
    HangUp,
    RequestCallback,
    TakeMessage,
)
from frontdesk.conversation.understanding.result import Slot
from frontdesk.domain.calls import CallResult, Intent, Urgency

INTAKE_INTENTS = frozenset({Intent.NEW_CLIENT, Intent.CONSULT, Intent.WAITLIST})
EXISTING_INTENTS = frozenset({Intent.EXISTING_CLIENT, Intent.RESCHEDULE, Intent.CANCEL})
QUESTION_INTENTS = frozenset(
    {
        Intent.INSURANCE_QUESTION,
        Intent.FEE_QUESTION,
        Intent.TELEHEALTH_QUESTION,
        Intent.PROVIDER_QUESTION,
    }
)


def next_slot(state: CallState) -> Slot | None:
    """The next value the current phase needs, None when it can close."""
    intake = state.intake
    needs_number = not intake.callback_confirmed and Slot.CALLBACK_NUMBER not in state.settled
    if state.phase is Phase.INTAKE:
        return next_intake_slot(state)
    if state.phase is Phase.EXISTING:
        if intake.client_name is None and Slot.CLIENT_NAME not in state.settled:
            return Slot.CLIENT_NAME
        if needs_number:
            return Slot.CALLBACK_NUMBER
        if state.intent is Intent.EXISTING_CLIENT and Slot.MESSAGE not in state.settled:
            return Slot.MESSAGE
        return None
    if state.phase is Phase.MESSAGE:
        if state.message is None:
            return Slot.MESSAGE
        return Slot.CALLBACK_NUMBER if needs_number else None
    if state.phase is Phase.HANDOFF:
        return Slot.CALLBACK_NUMBER if needs_number else None
    return None


def prompt(state: CallState, context: EngineContext) -> Say:
    """The question the caller is being asked now (for reprompts and "repeat that")."""
    if state.phase is Phase.GREETING and state.asking is not Slot.NEW_OR_EXISTING:
        return say(Line.ASK_PURPOSE)
    if state.phase is Phase.ANSWERING:
        return say(Line.ANYTHING_ELSE)
    if state.phase is Phase.CONFIRMING:
        return readback(state, context)
    if state.phase is Phase.CRISIS_CLOSED:
        return practice_say(Line.CRISIS_REPEAT, context.practice)
    if state.phase is Phase.BOOKING:
        return booking_prompt(state, context)[-1]
    if state.asking is Slot.NEW_OR_EXISTING:
        return ask(state, Slot.NEW_OR_EXISTING)
    if state.phase is Phase.MESSAGE and state.asking is Slot.MESSAGE:
        return say(Line.ASK_MESSAGE)
    if state.asking is not None:
        return ask(state, state.asking)
    return say(Line.ASK_PURPOSE)


def advance(state: CallState, context: EngineContext) -> Step:
    """Ask the next question of the phase, or close the phase when nothing is missing."""
    if state.pending is not None:
        confirming = state.evolve(phase=Phase.CONFIRMING, after_confirm=state.phase)
        if state.phase is Phase.CONFIRMING:
            confirming = state
        return Step(confirming, (readback(confirming, context),))
    while (slot := next_slot(state)) is not None:
        reprompts = 0 if slot is not state.asking else state.reprompts
        asked = question(state.evolve(reprompts=reprompts), slot, context)
        if asked is not None:
            return asked
        state = skip(state, slot)
    return close(state, context)


_UNLIMITED = frozenset({Slot.MESSAGE, Slot.CONFIRMATION})
_LIMITED_PHASES = frozenset(
    {Phase.GREETING, Phase.INTAKE, Phase.EXISTING, Phase.MESSAGE, Phase.HANDOFF}
)
"""Not questions about the caller: the message itself and yes/no to a read-back."""


def question(state: CallState, slot: Slot, context: EngineContext) -> Step | None:
    """Ask for `slot`, in other words the second time; None once it was said twice.

    No question is said a third time: the caller was asked, answered something else (kept),
    was asked once more in other words, and staff will ask on the callback.
    """
    if state.phase not in _LIMITED_PHASES or slot in _UNLIMITED:
        asking = state.evolve(asking=slot)
        return Step(asking, (prompt(asking, context),))
    line = first_wording(state, slot).line_id
    if sum(state.asked.count(same) for same in _SAME_QUESTION.get(line, (line,))) >= 2:
        return None
    asking = state.evolve(asking=slot, asked=(*state.asked, line))
    return Step(asking, (prompt(asking, context),))


_SAME_QUESTION: dict[str, tuple[str, ...]] = {
    line.value: tuple(other.value for other in group)
    for group in (
        (Line.ASK_PAYMENT, Line.ASK_PAYMENT_AGAIN),
        (Line.ASK_AGE_SELF, Line.ASK_AGE_CHILD, Line.ASK_AGE_OTHER),
        (Line.ASK_NAME_SELF, Line.ASK_NEW_CLIENT_NAME, Line.ASK_CLIENT_NAME),
    )
    for line in group
}
"""Lines that put one question, worded for what is known: "how will you pay" and, after an
insurer the practice does not take, "would private pay or the sliding scale work"."""


def skip(state: CallState, slot: Slot) -> CallState:
    """`slot` asked twice without an answer: never asked again, noted for staff."""
    skipped = state.skipped if slot in state.skipped else (*state.skipped, slot)
    return state.evolve(settled=state.settled | {slot}, skipped=skipped)


def close(state: CallState, context: EngineContext) -> Step:
    """End the current phase: the closing line, what staff must do, and a hang-up."""
    ended = state.evolve(phase=Phase.ENDED, asking=None)
    if state.phase is Phase.INTAKE:
        return close_intake(state, context)
    if state.phase is Phase.EXISTING:
        return close_existing(state, context)
    if state.phase is Phase.MESSAGE:
        return Step(
            ended.evolve(result=CallResult.MESSAGE_TAKEN),
            (say(Line.MESSAGE_TAKEN),),
            (TakeMessage(state.message or ""), HangUp()),
        )
    if state.handed_off:
        return Step(
            ended.evolve(result=state.result or CallResult.HANDED_OFF),
            (say(Line.HANDOFF_CLOSE),),
            (*_partial(state), HangUp()),
        )
    reason = "callback_requested" if state.wants_callback else "asked_for_person"
    return Step(
        ended.evolve(result=CallResult.CALLBACK_REQUESTED),
        (say(Line.HANDOFF_CLOSE),),
        (*_partial(state), RequestCallback(reason, Urgency.SAME_DAY), HangUp()),
    )


# --- where booking intents end ---------------------------------------------------------------
# A complete new-client intake (new client, consult, waitlist) goes on to booking: slots are
# offered, or the caller joins the waitlist. An existing client's reschedule or cancel goes
# on to verification. Each falls back to a callback request when nothing fits or it fails.


def close_intake(state: CallState, context: EngineContext) -> Step:
    """A complete new-client intake: offer slots (or join the waitlist) in the call."""
    return start_booking(state, context)


def close_existing(state: CallState, context: EngineContext) -> Step:
    """An existing client's scheduling need: verify them before anything is disclosed."""
    return start_verification(state, context)


def _partial(state: CallState) -> tuple[Action, ...]:
    return (CaptureInquiry(),) if state.intent in INTAKE_INTENTS else ()


def goodbye(state: CallState, context: EngineContext) -> Step:
    """The caller is done: close politely, keeping whatever a hang-up would keep.

    A caller whose question was answered and who then says goodbye got what they called
    for: the call ends as `info_provided`, with no callback task.
    """
    done = state.answered and state.phase in (Phase.GREETING, Phase.ANSWERING, Phase.INTAKE)
    if done and not state.wants_callback:
        state = state.evolve(phase=Phase.ANSWERING, result=CallResult.INFO_PROVIDED)
    ended = hang_up(state)
    return Step(
        ended.state, (practice_say(Line.GOODBYE, context.practice),), (*ended.actions, HangUp())
    )


def hang_up(state: CallState) -> Step:
    """The call ended: keep a partial inquiry and open a callback when the purpose was not met."""
    if state.phase is Phase.ENDED:
        return Step(state)
    state = state.without_readback()  # a name read back when they hung up is still kept
    actions: list[Action] = []
    unfinished = state.phase in (
        Phase.INTAKE,
        Phase.EXISTING,
        Phase.MESSAGE,
        Phase.HANDOFF,
        Phase.CONFIRMING,
        Phase.BOOKING,
    )
    if state.intent in INTAKE_INTENTS or state.intake != type(state.intake)():
        actions.append(CaptureInquiry())
    if state.message:
        actions.append(TakeMessage(state.message))
    reachable = state.caller_number or state.intake.callback_number
    if state.wants_callback and not state.crisis and reachable:
        # They asked to be called back and a number is known: the request stands.
        actions.append(RequestCallback("callback_requested", Urgency.SAME_DAY))
        state = state.evolve(result=state.result or CallResult.CALLBACK_REQUESTED)
    elif unfinished and not state.crisis and reachable:
        actions.append(RequestCallback("hung_up_mid_call"))
    result = state.result
    if result is None:
        result = CallResult.MESSAGE_TAKEN if state.message else CallResult.ABANDONED
    return Step(state.evolve(phase=Phase.ENDED, asking=None, result=result), (), tuple(actions))
