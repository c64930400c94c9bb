"""Emergency and crisis routes, the direct safety question, and what a caller can do after.

Emergency and crisis pre-empt every phase: the whole approved wording at once, staff
alerted, no booking. Afterwards the call stays closed to booking, but the caller is never
stuck: they can ask for a person (on-call, or the front desk in hours), for 988 (when the
practice lets the call dial it), about scheduling (a team member will call), or say goodbye;
no line of the crisis path is said more than twice, and a call that has heard everything it
can offer closes kindly.

Where risk is possible but not clear the call asks the direct question once (`safety_check`)
and the answer decides: a clear no flags the words for same-day clinician review and picks up
where the call was; yes, anything unclear, silence or a hang-up is taken as the risk it may be.
"""

from __future__ import annotations

from collections.abc import Sequence

from frontdesk.conversation.flows.base import EngineContext, Step, practice_say
from frontdesk.conversation.flows.phases import (
    EXISTING_INTENTS,
    INTAKE_INTENTS,
    advance,
    hang_up,
    prompt,
    question,
    skip,
)
from frontdesk.conversation.lines import Line
from frontdesk.conversation.state import CallState, Phase, SafetyCheck
from frontdesk.conversation.turn import (
    Action,
    CaptureInquiry,
    Handoff,
    HangUp,
    PageStaff,
    RequestCallback,
    Transfer,
    TransferTarget,
)
from frontdesk.conversation.understanding.result import Request, Understanding
from frontdesk.conversation.understanding.safety_answer import SafetyAnswer, read_safety_answer
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency, most_severe

SAFETY_CHECK_RULE = "safety_check"
"""The rule id a turn's audit names when the answer to the direct question set its route."""

MAX_SAYS = 2
"""No line of the crisis path is said more often than this in one call."""

_FALLBACK = (Line.CRISIS_REPEAT, Line.CRISIS_OPTIONS, Line.CRISIS_GOODBYE)
"""What is said instead, in order, once a line has been said `MAX_SAYS` times."""

_BOOKING_INTENTS = INTAKE_INTENTS | EXISTING_INTENTS


def emergency(
    state: CallState, text: str, context: EngineContext, *, reason: str = "emergency_language"
) -> Step:
    """Immediate danger: the emergency wording, an urgent page and, when there is one, the
    on-call line. With a transfer the wording says to stay on the line, never to hang up."""
    practice = context.practice
    connecting = practice.phones.on_call is not None and _reachable(state, TransferTarget.ON_CALL)
    line = Line.EMERGENCY_CONNECTING if connecting else Line.EMERGENCY
    closed = _closed(state, Route.EMERGENCY, CallResult.EMERGENCY_DIRECTED)
    if _said(state, line) >= MAX_SAYS:
        # Told twice already and staff alerted: the caller hears what else they can do.
        return _spoken(closed, _fallback(closed, Line.CRISIS_REPEAT), context)
    actions: list[Action] = [
        Handoff(
            HandoffCategory.EMERGENCY,
            Urgency.URGENT,
            reason,
            route=Route.EMERGENCY,
            quote=text,
        ),
        PageStaff("emergency"),
        CaptureInquiry(),
    ]
    if connecting:
        actions.append(Transfer(TransferTarget.ON_CALL))
    return _spoken(closed, line, context, tuple(actions))


def crisis(
    state: CallState,
    text: str,
    context: EngineContext,
    u: Understanding | None = None,
    *,
    reason: str = "crisis_language",
) -> Step:
    """Risk that is not clearly immediate: 988 wording and an urgent clinical hand-off.

    A caller who asks for a person or for 988 in the same breath is connected at once.
    """
    result = (
        CallResult.EMERGENCY_DIRECTED
        if state.result is CallResult.EMERGENCY_DIRECTED
        else CallResult.CRISIS_DIRECTED
    )
    closed = _closed(state, Route.CRISIS, result)
    if state.crisis:
        # Already handed off on this call: what they asked for, or the resources again.
        return after_crisis(closed, u, context)
    actions: tuple[Action, ...] = (
        Handoff(HandoffCategory.CRISIS, Urgency.URGENT, reason, route=Route.CRISIS, quote=text),
        PageStaff("crisis"),
        CaptureInquiry(),
    )
    worded = _spoken(closed, Line.CRISIS, context, actions)
    connect = _connection(worded.state, u, context)
    if connect is None:
        return worded
    return _then(worded, connect)


def after_crisis(state: CallState, u: Understanding | None, context: EngineContext) -> Step:
    """Anything said (or silence) once the crisis wording was given: never back to booking.

    `u` is None when nothing was understood (silence, or understanding failed).
    """
    connect = _connection(state, u, context)
    if connect is not None:
        return connect
    if u is not None and _wants_scheduling(u):
        first = _said(state, Line.CRISIS_BOOKING_LATER) == 0
        actions = (RequestCallback("scheduling_after_crisis"),) if first else ()
        return _spoken(state, _fallback(state, Line.CRISIS_BOOKING_LATER), context, actions)
    if u is not None and Request.GOODBYE in u.requests:
        return _spoken(state, Line.CRISIS_GOODBYE, context)
    return _spoken(state, _fallback(state, Line.CRISIS_REPEAT), context)


def transfer_missed(state: CallState, context: EngineContext) -> Step:
    """Nobody answered the transfer: the caller, still on the line, hears that staff were
    alerted and where help is at any hour (the 911 wording on an emergency call), and the
    call keeps listening; the number that went unanswered is not rung again."""
    missed = state.evolve(
        dialling=None,
        unreached=state.unreached if state.dialling is None else (*state.unreached, state.dialling),
    )
    if state.route is Route.EMERGENCY and _said(missed, Line.EMERGENCY) < MAX_SAYS:
        return _spoken(missed, Line.EMERGENCY, context)
    return _spoken(missed, _fallback(missed, Line.CRISIS_NO_PERSON), context)


def ask_safety_check(
    state: CallState, text: str, route: Route, context: EngineContext
) -> tuple[Step, Route]:
    """Ask the direct question once; the phase is kept, so a clear no picks up right there.

    A staff-only matter in the same words still gets its hand-off record now.
    """
    asking = state.evolve(safety_check=SafetyCheck.AWAITING, check_quote=text.strip())
    actions: tuple[Action, ...] = ()
    if route.is_staff_only:
        category = (
            HandoffCategory.CLINICAL if route is Route.CLINICAL else HandoffCategory.ADMINISTRATIVE
        )
        question = Handoff(
            category, Urgency.SAME_DAY, f"{route.value}_question", route=route, quote=text
        )
        actions = (question,)
        asking = asking.evolve(handed_off=True)
    return Step(asking, (practice_say(Line.SAFETY_CHECK, context.practice),), actions), route


def on_safety_answer(
    state: CallState,
    text: str,
    context: EngineContext,
    *,
    possible_risk: bool = False,
    heard_clearly: bool = True,
) -> tuple[Step, Route]:
    """The answer to the direct question (already screened and below crisis) decides.

    A clear no: a same-day review flag and the question the call was on, asked again.
    Anything else, a no whose own words raise possible risk again ("no, I just wish it would
    all stop"), or a no the recogniser was unsure it heard: the crisis path, with the words
    that led to the question and the answer.
    """
    answer = read_safety_answer(text)
    if answer is SafetyAnswer.NO and (possible_risk or not heard_clearly):
        answer = SafetyAnswer.UNCLEAR
    quote = _quote(state.check_quote, text)
    answered = state.evolve(safety_check=SafetyCheck.ANSWERED, check_quote=None)
    if answer is SafetyAnswer.NO:
        review = Handoff(
            HandoffCategory.CLINICAL,
            Urgency.SAME_DAY,
            "sensitive_review",
            route=Route.SENSITIVE,
            quote=quote,
        )
        resumed = answered.evolve(route=most_severe((answered.route, Route.SENSITIVE)))
        again = _ask_again(resumed, context)
        thanks = practice_say(Line.SAFETY_CHECK_THANKS, context.practice)
        return again.prefixed(says=(thanks,), actions=(review,)), Route.SENSITIVE
    reason = f"safety_check_{answer.value}"
    return crisis(answered, quote, context, reason=reason), Route.CRISIS


def _ask_again(state: CallState, context: EngineContext) -> Step:
    """The question the call was on, asked again: it counts as one of its two askings, and
    one already said twice is skipped for staff and the call moves on."""
    slot = state.asking
    if slot is None or state.phase is not Phase.INTAKE:
        return Step(state, (prompt(state, context),))
    asked = question(state, slot, context)
    return asked if asked is not None else advance(skip(state, slot), context)


def safety_check_unanswered(state: CallState, context: EngineContext) -> Step:
    """Silence after the direct question: taken as the risk it may be (the crisis path)."""
    quote = _quote(state.check_quote, "")
    answered = state.evolve(safety_check=SafetyCheck.ANSWERED, check_quote=None)
    return crisis(answered, quote, context, reason="safety_check_no_answer")


def hung_up_at_safety_check(state: CallState) -> Step:
    """A hang-up before the direct question was answered: staff reach out urgently."""
    ended = hang_up(state.evolve(safety_check=SafetyCheck.ANSWERED, check_quote=None))
    alert: tuple[Action, ...] = (
        Handoff(
            HandoffCategory.CRISIS,
            Urgency.URGENT,
            "safety_check_unanswered",
            route=Route.CRISIS,
            quote=state.check_quote,
        ),
        PageStaff("crisis"),
    )
    return Step(ended.state.evolve(handed_off=True), (), (*alert, *ended.actions))


def _connection(state: CallState, u: Understanding | None, context: EngineContext) -> Step | None:
    """A transfer to 988 or a person when the caller asked for one, else None."""
    if u is None:
        return None
    practice = context.practice
    lifeline = _reachable(state, TransferTarget.LIFELINE)
    if Request.CONNECT_LIFELINE in u.requests and practice.crisis.connect_to_988 and lifeline:
        return _transfer(state, Line.CRISIS_CONNECT_988, TransferTarget.LIFELINE, context)
    wants_person = Request.SPEAK_TO_PERSON in u.requests or u.intent is Intent.SPEAK_TO_PERSON
    if not wants_person:
        return None
    if practice.phones.on_call and _reachable(state, TransferTarget.ON_CALL):
        return _transfer(state, Line.CRISIS_TRANSFER_ON_CALL, TransferTarget.ON_CALL, context)
    front_desk_open = practice.phones.front_desk and not state.after_hours
    if front_desk_open and _reachable(state, TransferTarget.FRONT_DESK):
        return _transfer(state, Line.CRISIS_TRANSFER_FRONT_DESK, TransferTarget.FRONT_DESK, context)
    return _spoken(state, _fallback(state, Line.CRISIS_NO_PERSON), context)


def _reachable(state: CallState, target: TransferTarget) -> bool:
    """False once a transfer to `target` went unanswered on this call."""
    return target.value not in state.unreached


def _transfer(state: CallState, line: Line, target: TransferTarget, context: EngineContext) -> Step:
    if _said(state, line) >= MAX_SAYS:
        return _spoken(state, _fallback(state, Line.CRISIS_NO_PERSON), context)
    return _spoken(state, line, context, (Transfer(target),))


def _wants_scheduling(u: Understanding) -> bool:
    asked = {Request.SCHEDULING, Request.APPOINTMENT} & u.requests
    return bool(asked) or any(i in _BOOKING_INTENTS for i in u.intents)


def _closed(state: CallState, route: Route, result: CallResult) -> CallState:
    return state.without_readback().evolve(
        phase=Phase.CRISIS_CLOSED,
        asking=None,
        crisis=True,
        result=result,
        handed_off=True,
        route=most_severe((state.route, route)),
    )


def _said(state: CallState, line: Line) -> int:
    return state.crisis_says.count(line.value)


def _fallback(state: CallState, line: Line) -> Line:
    """`line`, or what the call says instead once it has been said `MAX_SAYS` times."""
    if _said(state, line) < MAX_SAYS:
        return line
    start = _FALLBACK.index(line) + 1 if line in _FALLBACK else 0
    return next((f for f in _FALLBACK[start:] if _said(state, f) < MAX_SAYS), Line.CRISIS_GOODBYE)


def _spoken(
    state: CallState, line: Line, context: EngineContext, actions: Sequence[Action] = ()
) -> Step:
    """Say one crisis-path line, counted; the goodbye ends the call."""
    said = state.evolve(crisis_says=(*state.crisis_says, line.value))
    says = (practice_say(line, context.practice),)
    if line is Line.CRISIS_GOODBYE:
        return Step(said.evolve(phase=Phase.ENDED), says, (*actions, HangUp()))
    return Step(said, says, tuple(actions))


def _then(first: Step, second: Step) -> Step:
    return Step(second.state, (*first.says, *second.says), (*first.actions, *second.actions))


def with_question(state: CallState, text: str) -> str:
    """The caller's words for staff: after the direct question, with the words that led to it."""
    if state.safety_check is SafetyCheck.AWAITING:
        return _quote(state.check_quote, text)
    return text


def _quote(before: str | None, answer: str) -> str:
    """The words that led to the question and the caller's answer, for staff."""
    return " … ".join(p for p in (before, answer.strip()) if p)
