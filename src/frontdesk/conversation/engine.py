"""The call engine: one pure step per event, `step(state, event, context=...) -> Turn`.

Order inside a turn is policy (DESIGN.md, "The call engine"):
1. the safety screen reads the raw utterance first; emergency and crisis pre-empt any phase;
   where risk is possible but not clear the direct question is asked once, and its
   (screened) answer decides before anything else is read;
2. understanding turns the utterance into intent, slots and requests;
3. the flow of the current phase decides the next step;
4. the reply is approved script lines only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from frontdesk.conversation.events import (
    CallerPressed,
    CallerSaid,
    CallStarted,
    Event,
    HungUp,
    Silence,
    TransferMissed,
)
from frontdesk.conversation.flows import crisis as crisis_flow
from frontdesk.conversation.flows.answers import answer, topics_of
from frontdesk.conversation.flows.base import (
    EngineContext,
    Step,
    practice_say,
    say,
    vocabulary_of,
)
from frontdesk.conversation.flows.booking import on_confirm, on_offers, on_waitlist
from frontdesk.conversation.flows.existing import (
    on_cancel_confirm,
    on_choice,
    on_date_of_birth,
    on_reason,
    resume_existing,
)
from frontdesk.conversation.flows.intake import (
    CONCERN_FIELDS,
    absorb,
    spelled_name,
    with_concern_said,
)
from frontdesk.conversation.flows.languages import callback_in
from frontdesk.conversation.flows.phases import (
    EXISTING_INTENTS,
    INTAKE_INTENTS,
    QUESTION_INTENTS,
    advance,
    goodbye,
    hang_up,
    prompt,
    question,
    skip,
)
from frontdesk.conversation.flows.requests import (
    request_callback,
    speak_to_person,
    staff_only,
    start_message,
    take_message,
)
from frontdesk.conversation.lines import Line
from frontdesk.conversation.state import (
    CallState,
    Heard,
    Phase,
    SafetyCheck,
    Stage,
    merge_evidence,
)
from frontdesk.conversation.turn import SCHEDULING, Handoff, Outcome, Transfer, Turn
from frontdesk.conversation.understanding.result import Request, Slot, Topic, Understanding
from frontdesk.domain.calls import (
    CallResult,
    HandoffCategory,
    Intent,
    Route,
    Urgency,
    most_severe,
)

__all__ = ["EngineContext", "resume", "step", "vocabulary_of"]

_FREE_TEXT = frozenset({Slot.MESSAGE, Slot.CONCERN, Slot.AVAILABILITY, Slot.CLIENT_NAME})
"""Questions answered in the caller's own words, taken as they are said."""
_YES_NO_ASKED = frozenset(
    {
        Slot.CONSENT_TO_TEXT,
        Slot.TELEHEALTH_PRIVATE_SPACE,
        Slot.TELEHEALTH_DEVICE,
        Slot.TELEHEALTH_CONNECTION,
    }
)
"""Questions a plain yes answers: at a read-back, the yes is the read-back's, never theirs."""
_YES_NO_KEYS = frozenset({"1", "2"})
"""Keys that answer a read-back: 1 is yes, 2 is no."""
_SHORT_REQUEST = 20
"""Characters beyond which an utterance is an answer rather than "repeat that" or "hold on"."""


def step(state: CallState, event: Event, *, context: EngineContext) -> Turn:
    """The engine's reply to one event: what to say, what to do, and the next state."""
    if isinstance(event, CallStarted):
        return _turn(_greet(state, event, context), None)
    if isinstance(event, HungUp):
        if state.safety_check is SafetyCheck.AWAITING and state.phase is not Phase.ENDED:
            return _turn(crisis_flow.hung_up_at_safety_check(state), None)
        return _turn(hang_up(state), None)
    if state.phase is Phase.ENDED:
        return Turn((), (), state)
    if isinstance(event, Silence):
        return _silence(state, context)
    if isinstance(event, TransferMissed):
        # Only the crisis path comes back after a missed transfer; any other call ended
        # with the transfer and the web edge takes the caller's message.
        if not state.crisis:
            return Turn((), (), state)
        return _turn(crisis_flow.transfer_missed(state, context), None)
    text = event.text if isinstance(event, CallerSaid) else ""
    digits = event.digits if isinstance(event, CallerPressed) else None
    confidence = event.confidence if isinstance(event, CallerSaid) else None
    return _utterance(state, text, digits, confidence, event.at, context)


def resume(turn: Turn, outcome: Outcome, *, context: EngineContext) -> Turn:
    """The rest of a turn once the services performed its scheduling step with `outcome`.

    The services call this in the same unit of work as the step; the result may carry one
    more scheduling step (a slot taken meanwhile looks for the next options).
    """
    if turn.state.phase is not Phase.BOOKING:  # pragma: no cover - only booking asks
        return turn
    done = resume_existing(turn.state, outcome, context)
    says = (*turn.says, *done.says)
    kept = tuple(a for a in turn.actions if not isinstance(a, SCHEDULING))
    state = done.state.evolve(last_says=says) if done.says else done.state
    return Turn(
        says,
        (*kept, *done.actions),
        state,
        route=turn.route,
        intent=turn.intent,
        rules=turn.rules,
        categories=turn.categories,
    )


def _turn(
    step_: Step,
    intent: Intent | None,
    route: Route = Route.ROUTINE,
    audit: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
) -> Turn:
    state = step_.state
    if step_.says:
        state = state.evolve(last_says=step_.says)
    ringing = next((a.to.value for a in step_.actions if isinstance(a, Transfer)), None)
    state = state.evolve(turns=state.turns + 1, dialling=ringing)
    rules, categories = audit
    return Turn(
        step_.says,
        step_.actions,
        state,
        route=route,
        intent=intent,
        rules=rules,
        categories=categories,
    )


def _greet(state: CallState, event: CallStarted, context: EngineContext) -> Step:
    line = Line.GREETING_AFTER_HOURS if event.after_hours else Line.GREETING
    started = state.evolve(
        phase=Phase.GREETING, caller_number=event.caller_number, after_hours=event.after_hours
    )
    return Step(started, (practice_say(line, context.practice),))


def _silence(state: CallState, context: EngineContext) -> Turn:
    if state.safety_check is SafetyCheck.AWAITING:
        unanswered = crisis_flow.safety_check_unanswered(state, context)
        return _turn(unanswered, None, Route.CRISIS, ((crisis_flow.SAFETY_CHECK_RULE,), ()))
    if state.phase is Phase.CRISIS_CLOSED:
        return _turn(crisis_flow.after_crisis(state, None, context), None)
    return _turn(_reprompt(state, context, Line.REPROMPT_SILENCE), None)


def _reprompt(state: CallState, context: EngineContext, line: Line) -> Step:
    """Ask again, at most `max_reprompts` times in a row; then offer a message.

    A pending question is asked once more in other words; one already said twice is
    skipped for staff and the next question follows.
    """
    count = state.reprompts + 1
    if count <= context.max_reprompts:
        again = state.evolve(reprompts=count)
        if state.phase is Phase.MESSAGE and state.asking is Slot.MESSAGE:
            return Step(again, (say(Line.MESSAGE_EMPTY),))
        slot = state.asking
        if slot is None or state.phase is Phase.CRISIS_CLOSED:
            return Step(again, (say(line), prompt(again, context)))
        asked = question(again, slot, context)
        if asked is not None:
            return asked.prefixed(says=(say(line),))
        if slot is Slot.NEW_OR_EXISTING:
            return start_message(again.evolve(asking=None), context, offered=True)
        moved = advance(skip(again, slot), context)
        kept = moved.state.evolve(reprompts=count) if moved.state.asking else moved.state
        return Step(kept, (say(Line.DONT_KNOW_OK), *moved.says), moved.actions)
    if state.phase is Phase.MESSAGE:
        return goodbye(state, context)
    return start_message(state, context, offered=True)


def _utterance(
    state: CallState,
    text: str,
    digits: str | None,
    confidence: float | None,
    now: datetime,
    context: EngineContext,
) -> Turn:
    # 1. Safety first, on the raw words, whatever the phase.
    audit: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    route = Route.ROUTINE
    check = False
    if text.strip():
        verdict = context.screen(text)
        route, check = verdict.route, verdict.safety_check
        audit = (
            tuple(dict.fromkeys(m.rule for m in verdict.matches)),
            tuple(str(c) for c in verdict.categories),
        )
    state = state.evolve(route=most_severe((state.route, route)))
    awaiting = state.safety_check is SafetyCheck.AWAITING
    if route.is_crisis or state.crisis or awaiting:
        # The safety wording is decided already; understanding only records why they called
        # (and what a caller who heard the crisis wording asks for next).
        understood = _understood_for_record(state, text, digits, now, context)
        intent = _intent_of(understood, text)
        if state.intent is None and intent is not None:
            state = state.evolve(intent=intent)
        if awaiting and not route.is_crisis:
            # The answer to the direct question decides, whatever else it says.
            answered, answer_route = crisis_flow.on_safety_answer(
                state,
                text,
                context,
                possible_risk=check,
                heard_clearly=confidence is None or confidence >= context.low_confidence,
            )
            if answer_route.is_crisis:
                # The audit names the direct question as the evidence for the crisis route.
                audit = ((*audit[0], crisis_flow.SAFETY_CHECK_RULE), audit[1])
            return _turn(answered, intent, most_severe((route, answer_route)), audit)
        # Staff read crisis words given as the answer beside the words that led to the question.
        quote = crisis_flow.with_question(state, text)
        state = state.evolve(safety_check=_settled(state.safety_check), check_quote=None)
        if route is Route.EMERGENCY:
            return _turn(crisis_flow.emergency(state, quote, context), intent, route, audit)
        if route is Route.CRISIS:
            return _turn(
                crisis_flow.crisis(state, quote, context, understood), intent, route, audit
            )
        return _turn(crisis_flow.after_crisis(state, understood, context), intent, route, audit)
    if check and state.safety_check is SafetyCheck.NOT_ASKED:
        # Risk is possible but not clear: ask directly, once, before anything else.
        intent = _intent_of(_understood_for_record(state, text, digits, now, context), text)
        if state.intent is None and intent is not None:
            state = state.evolve(intent=intent)
        asked, route = crisis_flow.ask_safety_check(state, text, route, context)
        return _turn(asked, intent, route, audit)

    # 2. Understanding. A lone 1 or 2 on the keypad at a read-back answers the read-back, and
    # so do words at the read-back of words taken as said (a name): never another name.
    keyed = (digits or "").strip() in _YES_NO_KEYS
    # A yes at the read-back of a name given while a yes/no question was pending ("the
    # client's name is Avery Kim" at the video set-up question) confirms the name only.
    read_back = state.phase is Phase.CONFIRMING and (
        keyed or state.asking in _FREE_TEXT | _YES_NO_ASKED
    )
    understanding = context.understand(
        text,
        vocabulary=context.vocabulary,
        now=now,
        expecting=Slot.CONFIRMATION if read_back else state.asking,
        digits=digits,
    )
    intent = _intent_of(understanding, text)
    if route is Route.ROUTINE and _substantive(understanding):
        # Staff read every such sentence, not only those a recorded value came from.
        state = state.evolve(heard=(*state.heard, Heard(state.turns, text.strip())))

    # 3. The flow of the phase.
    if route.is_staff_only:
        if state.phase is Phase.MESSAGE and state.asking is Slot.MESSAGE:
            handoff = Handoff(
                HandoffCategory.CLINICAL
                if route is Route.CLINICAL
                else HandoffCategory.ADMINISTRATIVE,
                Urgency.SAME_DAY,
                f"{route.value}_question",
                route=route,
                quote=text,
            )
            taken = take_message(state.evolve(handed_off=True), text, context)
            return _turn(taken.prefixed(actions=(handoff,)), intent, route, audit)
        return _turn(staff_only(state, route, text, context), intent, route, audit)
    prefix: Step | None = None
    if route is Route.SENSITIVE:
        review = Handoff(
            HandoffCategory.CLINICAL,
            Urgency.SAME_DAY,
            "sensitive_review",
            route=route,
            quote=text,
        )
        prefix = Step(state, (say(Line.SENSITIVE_ACK),), (review,))
    low = confidence is not None and confidence < context.low_confidence
    decided = _flow(state, understanding, low, context, now)
    if prefix is not None:
        decided = decided.prefixed(prefix.says, prefix.actions)
    return _turn(decided, intent, route, audit)


_BARE_WORDS = 3
"""Words up to which a yes, a no or a request with nothing else in it says nothing staff need."""


def _substantive(u: Understanding) -> bool:
    """Whether an utterance says something of its own: not a bare yes or no ("yes that's
    right"), a request about the call itself ("say that again"), a greeting or a filler."""
    if not u.text.strip() or not u.said_anything:
        return False
    bare = not u.slots.filled() and u.intent is None and not u.topics
    short = len(u.normalized.split()) <= _BARE_WORDS
    return not (bare and short and (u.affirm is not None or bool(u.requests)))


def _settled(check: SafetyCheck) -> SafetyCheck:
    """A question overtaken by crisis words is answered by them; it is never asked later."""
    return SafetyCheck.NOT_ASKED if check is SafetyCheck.NOT_ASKED else SafetyCheck.ANSWERED


def _understood_for_record(
    state: CallState, text: str, digits: str | None, now: datetime, context: EngineContext
) -> Understanding | None:
    """Understanding of a pre-empted utterance, for the call record and for what a caller
    asks once the crisis wording was given; None if it fails.

    The crisis and emergency wording never waits on or depends on this: a failure here
    records the intent as "other" and the call goes on exactly as it would have.
    """
    try:
        return context.understand(
            text, vocabulary=context.vocabulary, now=now, expecting=state.asking, digits=digits
        )
    except Exception:  # the safety route must never fail on a record-keeping step
        return None


def _intent_of(understanding: Understanding | None, text: str) -> Intent | None:
    if not text.strip() and (understanding is None or understanding.digits is None):
        return None
    if understanding is None or understanding.intent is None:
        return Intent.OTHER
    return understanding.intent


def _flow(
    state: CallState, u: Understanding, low: bool, context: EngineContext, now: datetime
) -> Step:
    if state.phase is Phase.MESSAGE and state.asking is Slot.MESSAGE:
        if Request.REPEAT in u.requests and not u.text.strip()[_SHORT_REQUEST:]:
            return Step(state, state.last_says)
        return take_message(state, u.text, context)
    if u.language is not None:
        other = callback_in(state, u.language, context)
        if other is not None:
            return other
    if state.phase is Phase.CONFIRMING:
        return _confirm(state, u, low, context)
    if Request.REPEAT in u.requests:
        return Step(state, state.last_says or (prompt(state, context),))
    # A free-text answer ("I want to add a second weekly session") is the answer, even when
    # it contains words that would alone ask for a moment.
    free_text = state.asking in _FREE_TEXT and bool(u.text.strip()[_SHORT_REQUEST:])
    waiting = Request.WAIT in u.requests and u.intent is None and not u.slots.filled()
    if waiting and not free_text:
        return Step(state, (say(Line.TAKE_YOUR_TIME),))
    wants_person = Request.SPEAK_TO_PERSON in u.requests or u.intent is Intent.SPEAK_TO_PERSON
    # "Am I talking to a real person?" asks what we are; it is not a request for one.
    if wants_person and Topic.AUTOMATED not in u.topics:
        return speak_to_person(state, context)
    if Request.LEAVE_MESSAGE in u.requests or u.intent is Intent.MESSAGE:
        return start_message(state, context)
    if _wants_callback_now(state, u):
        # "Actually, can someone just call me back": what was said is kept, a number taken.
        return request_callback(state, u, context, low_confidence=low)
    if Request.GOODBYE in u.requests and u.intent is None and not u.slots.filled():
        return goodbye(state, context)
    if state.phase is Phase.BOOKING:
        return _booking(state, u, context, now)
    if state.phase in (Phase.GREETING, Phase.ANSWERING):
        return _purpose(state, u, low, context)
    return _capture(state, u, low, context)


_CHANGES = (Intent.RESCHEDULE, Intent.CANCEL)
"""Existing clients' needs more particular than being a client."""

_CALLBACK_ANSWERS = frozenset({Slot.CALLBACK_NUMBER, Slot.REMINDER_PREFERENCE})
"""Questions that "call me back" answers ("call me back at 312 …", "a call back is fine")."""


def _wants_callback_now(state: CallState, u: Understanding) -> bool:
    """A call back asked for in the middle of an intake or an existing client's request."""
    if Request.CALLBACK not in u.requests or state.phase not in (Phase.INTAKE, Phase.EXISTING):
        return False
    return state.asking not in _CALLBACK_ANSWERS


def _booking(state: CallState, u: Understanding, context: EngineContext, now: datetime) -> Step:
    """The booking phase: a pick, a yes or no, a date of birth, an appointment or a reason."""
    stage = state.booking.stage if state.booking else Stage.OFFERING
    if stage is Stage.CONFIRMING:
        return on_confirm(state, u, context, now=now)
    if stage is Stage.CONFIRMING_CANCEL:
        return on_cancel_confirm(state, u, context)
    if stage is Stage.WAITLIST:
        return on_waitlist(state, u, context)
    if stage is Stage.DATE_OF_BIRTH:
        return on_date_of_birth(state, u, context)
    if stage is Stage.REASON:
        return on_reason(state, u, context)
    if stage is Stage.CHOOSING:
        return on_choice(state, u, context)
    return on_offers(state, u, context, now=now)


def _purpose(state: CallState, u: Understanding, low: bool, context: EngineContext) -> Step:
    """Greeting or after an answer: find out what the caller wants."""
    intent = u.intent
    if intent is None or intent is Intent.OTHER:
        intent = next((i for i in u.intents if i is not Intent.OTHER), None)
    # A purpose said with a question ("I'm calling to set up therapy, the sliding scale
    # please") is the purpose; the question is answered on the way.
    intent = next((i for i in u.intents if i in INTAKE_INTENTS | EXISTING_INTENTS), intent)
    if intent is Intent.EXISTING_CLIENT:
        # "I'm a client of Maya Okafor and I need to reschedule": the need said is the purpose.
        intent = next((i for i in u.intents if i in _CHANGES), intent)
    if state.asking is Slot.NEW_OR_EXISTING and intent is None and u.affirm is not None:
        # "Have you had sessions with us before?" yes: an existing client; no: a new one.
        intent = Intent.EXISTING_CLIENT if u.affirm else Intent.NEW_CLIENT
    asked_before, state = state.asking, state.evolve(asking=None)
    intake_like = bool(u.slots.filled() - {"callback_number", "this_number", "email"})
    if intent in INTAKE_INTENTS or (intent is None and intake_like and u.affirm is not False):
        begun = state.evolve(
            phase=Phase.INTAKE, intent=intent or Intent.NEW_CLIENT, result=None, reprompts=0
        )
        started = _capture(begun, u, low, context, begun=True)
        return started.prefixed(says=(say(Line.INTAKE_START),))
    if intent in EXISTING_INTENTS:
        begun = state.evolve(phase=Phase.EXISTING, intent=intent, result=None, reprompts=0)
        started = _capture(begun, u, low, context, begun=True)
        return started.prefixed(says=(say(Line.EXISTING_START),))
    topics = topics_of(u)
    answers = answer(topics, u, context.practice, known=state.intake) if topics else ()
    if Request.CALLBACK in u.requests or "callback_number" in u.slots.filled():
        # "Have someone call me back about fees", or a number offered unasked.
        wanting = state.evolve(intent=state.intent or intent or _question_intent(u))
        return request_callback(wanting, u, context, answers=answers, low_confidence=low)
    if Request.APPOINTMENT in u.requests:
        # An appointment, but for a new or an existing client? Ask before either path; what
        # was said with the request ("… I'll be in Ohio, I'd need the sliding scale") is kept.
        kept = _kept_before_asking(state, u, low, context)
        pending = kept.state.evolve(
            phase=Phase.GREETING, reprompts=0, answered=state.answered or bool(answers)
        )
        new_or_existing = question(pending, Slot.NEW_OR_EXISTING, context)
        if new_or_existing is not None:
            return new_or_existing.prefixed(says=(*answers, *kept.says))
    if topics:
        answered = state.evolve(
            phase=Phase.ANSWERING,
            intent=state.intent or intent or _question_intent(u),
            result=CallResult.INFO_PROVIDED,
            reprompts=0,
            answered=True,
        )
        return Step(answered, (*answers, say(Line.ANYTHING_ELSE)))
    if state.phase is Phase.ANSWERING and (u.affirm is False or Request.GOODBYE in u.requests):
        return goodbye(state, context)
    if state.phase is Phase.ANSWERING and u.affirm is True:
        return Step(state.evolve(phase=Phase.GREETING, reprompts=0), (say(Line.ASK_PURPOSE),))
    return _reprompt(state.evolve(asking=asked_before), context, Line.REPROMPT_NO_MATCH)


def _kept_before_asking(
    state: CallState, u: Understanding, low: bool, context: EngineContext
) -> Step:
    """The intake values said with a request for an appointment, recorded with their
    evidence before new or existing is asked; a value that waits for a read-back (a name, a
    number) is asked for again in the intake."""
    if not u.slots.filled():
        return Step(state, ())
    absorbed = absorb(state.evolve(phase=Phase.INTAKE), u, context, low_confidence=low)
    kept = absorbed.state.evolve(phase=state.phase, pending_evidence=())
    return Step(kept, absorbed.says)


def _question_intent(u: Understanding) -> Intent:
    return next((i for i in u.intents if i in QUESTION_INTENTS), Intent.OTHER)


def _capture(
    state: CallState, u: Understanding, low: bool, context: EngineContext, *, begun: bool = False
) -> Step:
    """A capture phase: take in the answer, answer any question, ask what comes next.

    `begun` when this utterance just named the purpose, so it counts as understood.
    """
    if state.phase is Phase.EXISTING and state.asking is Slot.MESSAGE:
        need = u.intent if u.intent in EXISTING_INTENTS else state.intent
        settled = state.evolve(
            intent=need, message=u.text.strip() or None, settled=state.settled | {Slot.MESSAGE}
        )
        return advance(settled, context)
    absorbed = absorb(state, u, context, low_confidence=low)
    # Mid-intake, an intent only implies a question when the words answered nothing else
    # ("video would be best" answers the modality question; it does not ask about video).
    asked = u.topics if absorbed.matched or begun else topics_of(u)
    topics = tuple(asked) if state.phase is not Phase.GREETING else ()
    known = absorbed.state.intake
    answers = answer(topics, u, context.practice, known=known) if topics else ()
    if answers:
        absorbed = replace(absorbed, state=absorbed.state.evolve(answered=True))
    if not (begun or absorbed.matched or answers or absorbed.says):
        if state.phase is Phase.EXISTING and _kept_now(state):
            # "can we do Thursday instead" at the name question: kept for staff, so it is
            # acknowledged, not met with "sorry, I didn't catch that".
            if state.asking is None:
                return advance(state, context).prefixed(says=(say(Line.NOTED),))
            return _reprompt(state, context, Line.NOTED)
        return _reprompt(state, context, Line.REPROMPT_NO_MATCH)
    moved = absorbed.state.evolve(pending=absorbed.readback)
    if absorbed.matched:
        moved = moved.evolve(reprompts=0)
    resume = (say(Line.RESUME_INTAKE),) if answers and state.asking is not None else ()
    nxt = advance(moved, context)
    # A value for another question is kept and acknowledged before the pending one again;
    # words that recorded nothing (a name kept aside for whoever calls) are not "noted".
    again = len(nxt.state.asked) > len(state.asked) and nxt.state.asked[-1:] == state.asked[-1:]
    other = absorbed.recorded and not (begun or resume or absorbed.says or moved.pending)
    noted = (say(Line.NOTED),) if other and again else ()
    return nxt.prefixed(says=(*answers, *absorbed.says, *resume, *noted))


def _confirm(state: CallState, u: Understanding, low: bool, context: EngineContext) -> Step:
    """A read-back: yes keeps the value, no (or a new value) replaces it."""
    back = state.evolve(phase=state.after_confirm)
    spelled = spelled_name(state) if Request.SPELL in u.requests else None
    if spelled is not None:
        return Step(state, (spelled,))
    # A concern said with the yes ("yes, and it's mostly anxiety") is kept beside it.
    if (u.affirm is True and not u.slots.filled() - CONCERN_FIELDS) or _repeats_pending(state, u):
        kept = with_concern_said(_confirmed(state, back), u)
        return advance(kept.evolve(reprompts=0), context)
    if u.slots.filled() or (u.digits and u.affirm is None):
        # Other answers with the yes ("yes, and we're in Ohio") keep the value read back and
        # are taken in; with no yes or no a name read back is kept, marked unconfirmed; a
        # "no" drops it.
        if u.affirm is True:
            return _capture(_confirmed(state, back), u, low, context)
        if u.affirm is False:
            return _capture(back.evolve(pending=None, pending_evidence=()), u, low, context)
        return _capture(back.without_readback(), u, low, context)
    if u.affirm is False:
        retry = back.evolve(pending=None, reprompts=0)
        if state.asking is Slot.CALLBACK_NUMBER:
            retry = retry.evolve(known_number_declined=True)
        return advance(retry, context)
    count = state.reprompts + 1
    if count > context.max_reprompts:
        return start_message(back, context, offered=True)
    noted = state.after_confirm is Phase.EXISTING and _kept_now(state)
    again = say(Line.NOTED if noted else Line.SAY_YES_OR_NO)
    return Step(state.evolve(reprompts=count), (again, prompt(state, context)))


def _kept_now(state: CallState) -> bool:
    """Whether this turn's words were kept for staff (`CallState.heard`)."""
    return bool(state.heard) and state.heard[-1].turn == state.turns


def _confirmed(state: CallState, back: CallState) -> CallState:
    """`back` with the value read back kept as confirmed, citing the words it came from."""
    pending = state.pending or state.intake
    confirmed = pending.merged(
        callback_confirmed=pending.callback_confirmed or bool(pending.callback_number)
    )
    evidence = merge_evidence(state.evidence, state.pending_evidence)
    return back.evolve(intake=confirmed, evidence=evidence, pending=None, pending_evidence=())


def _repeats_pending(state: CallState, u: Understanding) -> bool:
    """Whether the caller answered a read-back by saying the same number or address again."""
    pending, filled = state.pending, u.slots.filled()
    if pending is None or not filled or not filled <= {"callback_number", "email"}:
        return False
    return all(getattr(u.slots, name) == getattr(pending, name) for name in filled)
