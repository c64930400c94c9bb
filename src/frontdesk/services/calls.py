"""Call use cases: start a call, take one turn, end a call, and report on a call.

Each use case opens one unit of work and commits once: the turn, the engine's state, the
inquiry and any hand-off or callback task are stored together, so a restarted process
continues the call from the last committed turn. Domain events are collected after commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from frontdesk.conversation.engine import EngineContext, resume, step
from frontdesk.conversation.events import (
    CallerPressed,
    CallerSaid,
    CallStarted,
    Event,
    HungUp,
    Silence,
    TransferMissed,
)
from frontdesk.conversation.flows.languages import voice_of
from frontdesk.conversation.flows.phases import INTAKE_INTENTS
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import CallState, Phase
from frontdesk.conversation.turn import (
    CaptureInquiry,
    Failed,
    Handoff,
    HangUp,
    PageStaff,
    RequestCallback,
    TakeMessage,
    Transfer,
    TransferTarget,
    Turn,
)
from frontdesk.domain import events as domain_events
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import (
    CallId,
    CallRecord,
    CallStatus,
    InquiryRecord,
    InquiryStatus,
    TurnKind,
    TurnRecord,
    new_id,
    require_aware,
)
from frontdesk.services import callbacks
from frontdesk.services.call_booking import CallBookingContext, perform
from frontdesk.services.call_report import summary
from frontdesk.services.paging import TRANSFER_PAGE_DELAY, enqueue_page
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

_SCHEDULING_STEPS = 4  # find, book, taken meanwhile, find again: a turn never needs more
_BOOKED = frozenset({CallResult.CONSULT_BOOKED, CallResult.FIRST_SESSION_BOOKED})


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What the telephony edge needs from one turn: the words, and what to do next."""

    call_id: CallId
    seq: int
    says: tuple[Say, ...]
    texts: tuple[str, ...]  # rendered approved lines, in order
    whole: tuple[bool, ...]  # per line: must be read in full (never barged in on)
    route: Route
    intent: Intent | None
    transfer_to: str | None = None  # the number to dial: a practice number, or the lifeline
    hang_up: bool = False
    ended: bool = False
    pages: tuple[str, ...] = ()  # ids of urgent hand-offs staff must be alerted to now
    events: tuple[domain_events.Event, ...] = ()  # committed domain events, for observers
    call_route: Route = Route.ROUTINE  # the most severe route of the call so far
    voices: tuple[str | None, ...] = ()  # per line: its language's voice, None for the practice's


def start_call(
    *,
    external_id: str | None,
    caller_number: str | None,
    at: datetime,
    uow: UnitOfWork,
    context: EngineContext,
) -> TurnResult:
    """Open a call record and speak the greeting; the result carries the new call id."""
    require_aware(at, "at")
    after_hours = not context.practice.is_open(at)
    call_id = new_id()
    turn = step(CallState(), CallStarted(at, caller_number, after_hours), context=context)
    with uow:
        uow.calls.add(
            CallRecord(
                id=call_id,
                started_at=at,
                external_id=external_id,
                caller_number=caller_number,
                after_hours=after_hours,
                state=turn.state.to_dict(),
            )
        )
        uow.events.add(
            domain_events.CallStarted(occurred_at=at, call_id=call_id, after_hours=after_hours)
        )
        result = _record_turn(
            uow, call_id, 0, CallStarted(at, caller_number, after_hours), turn, context
        )
        # A task waiting for this caller to call again is back in the queue.
        callbacks.wake_on_contact(uow=uow, number=caller_number, at=at)
        uow.commit()
    result = replace(result, events=tuple(uow.collect_events()))
    log.info("call started call_id=%s after_hours=%s", call_id, after_hours)
    return result


def handle_turn(
    *,
    call_id: CallId,
    event: Event,
    uow: UnitOfWork,
    context: EngineContext,
    expected_seq: int | None = None,
    page: bool = False,
) -> TurnResult:
    """Run one engine step for a call and store everything it produced in one commit.

    With `expected_seq`, the step is taken only when it is the call's next turn; otherwise
    `Conflict` is raised and nothing is stored (a retried webhook must not become a second
    turn). The check runs with the call row locked, inside the same unit of work.

    With `page`, the pages about the turn's urgent hand-offs are queued in that same commit
    (held while a warm transfer rings on-call, see `frontdesk.services.paging`), so no
    failure after the turn can leave an urgent hand-off without its page.
    """
    require_aware(event.at, "at")
    with uow:
        call = uow.calls.get(call_id, for_update=True)
        if call is None:
            raise NotFound(f"no call {call_id}")
        state = CallState.from_dict(dict(call.state))
        seq = state.turns
        if call.status is CallStatus.ENDED:
            return TurnResult(call_id, seq, (), (), (), call.route, None, ended=True)
        if expected_seq is not None and seq != expected_seq:
            raise Conflict(f"turn {expected_seq} of call {call_id} is not the next turn")
        turn = _schedule(step(state, event, context=context), call, event.at, uow, context)
        result = _record_turn(uow, call_id, seq, event, turn, context)
        ended = turn.state.phase is Phase.ENDED
        updated = replace(
            call,
            route=turn.state.route,
            intent=turn.state.intent,
            result=turn.state.result,
            state=turn.state.to_dict(),
            status=CallStatus.ENDED if ended else call.status,
            ended_at=event.at if ended else None,
        )
        uow.calls.update(updated)
        pages = _record_side_effects(uow, updated, seq, event, turn, context.practice)
        result = replace(result, pages=tuple(pages))
        if page:
            hold = None if result.transfer_to is None else TRANSFER_PAGE_DELAY
            for handoff_id, route in pages.items():
                enqueue_page(
                    uow,
                    context.practice,
                    handoff_id=handoff_id,
                    route=route.value,
                    callback=call.caller_number,
                    at=event.at,
                    call_id=call_id,
                    hold=hold,
                )
        if ended:
            uow.events.add(
                domain_events.CallEnded(
                    occurred_at=event.at,
                    call_id=call_id,
                    route=updated.route,
                    intent=updated.intent,
                    result=turn.state.result,
                    after_hours=call.after_hours,
                )
            )
        uow.commit()
    result = replace(result, events=tuple(uow.collect_events()))
    log.info(
        "turn call_id=%s seq=%d route=%s intent=%s ended=%s",
        call_id,
        seq,
        result.route.value,
        result.intent.value if result.intent else None,
        result.ended,
    )
    return result


def _schedule(
    turn: Turn, call: CallRecord, at: datetime, uow: UnitOfWork, context: EngineContext
) -> Turn:
    """Perform the turn's scheduling steps in this unit of work and finish the turn.

    A failed step is undone on its own (`perform` runs each in a savepoint), so the call
    row stays locked and earlier steps are kept; the call falls back to a callback request.
    """
    for _ in range(_SCHEDULING_STEPS):
        request = turn.scheduling
        if request is None:
            return turn
        booking = CallBookingContext(call, turn.state, at, context.practice)
        outcome = perform(request, ctx=booking, uow=uow)
        turn = resume(turn, outcome, context=context)
    if turn.scheduling is not None:  # pragma: no cover - bounded by the flows
        turn = resume(turn, Failed(), context=context)
    return turn


def end_call(
    *, call_id: CallId, at: datetime, uow: UnitOfWork, context: EngineContext, page: bool = False
) -> TurnResult:
    """The caller hung up: keep the partial inquiry, open a callback task when unfinished.

    With `page`, an urgent hand-off the hang-up leaves is paged in the same commit.
    """
    return handle_turn(call_id=call_id, event=HungUp(at), uow=uow, context=context, page=page)


def _kind(event: Event) -> TurnKind:
    if isinstance(event, CallStarted):
        return TurnKind.CALL_STARTED
    if isinstance(event, CallerSaid):
        return TurnKind.SPEECH
    if isinstance(event, CallerPressed):
        return TurnKind.DIGITS
    if isinstance(event, Silence):
        return TurnKind.SILENCE
    if isinstance(event, TransferMissed):
        return TurnKind.TRANSFER_MISSED
    return TurnKind.HANG_UP


def _record_turn(
    uow: UnitOfWork,
    call_id: CallId,
    seq: int,
    event: Event,
    turn: Turn,
    context: EngineContext,
) -> TurnResult:
    library = context.practice.scripts
    texts = tuple(library.render(s) for s in turn.says)
    whole = tuple(library.line(s.line_id).whole for s in turn.says)
    voices = tuple(voice_of(s.line_id) for s in turn.says)
    uow.turns.add(
        TurnRecord(
            call_id=call_id,
            seq=seq,
            at=event.at,
            kind=_kind(event),
            caller_text=event.text if isinstance(event, CallerSaid) else None,
            digits=event.digits if isinstance(event, CallerPressed) else None,
            confidence=event.confidence if isinstance(event, CallerSaid) else None,
            agent_text=" ".join(texts),
            line_ids=tuple(s.line_id for s in turn.says),
            route=turn.route,
            intent=turn.intent,
            categories=turn.categories,
        )
    )
    uow.events.add(
        domain_events.TurnTaken(
            occurred_at=event.at, call_id=call_id, seq=seq, route=turn.route, intent=turn.intent
        )
    )
    transfer = next((a for a in turn.actions if isinstance(a, Transfer)), None)
    transfer_to = None if transfer is None else transfer_number(context.practice, transfer.to)
    return TurnResult(
        call_id=call_id,
        seq=seq,
        says=turn.says,
        texts=texts,
        whole=whole,
        route=turn.route,
        intent=turn.intent,
        transfer_to=transfer_to,
        hang_up=any(isinstance(a, HangUp) for a in turn.actions),
        ended=turn.state.phase is Phase.ENDED,
        call_route=turn.state.route,
        voices=voices,
    )


def transfer_number(practice: Practice, target: TransferTarget) -> str | None:
    """The number a transfer to `target` dials; None when the practice has none."""
    if target is TransferTarget.LIFELINE:
        return practice.crisis.lifeline_number
    phones = practice.phones
    return phones.on_call if target is TransferTarget.ON_CALL else phones.front_desk


def _record_side_effects(
    uow: UnitOfWork,
    call: CallRecord,
    seq: int,
    event: Event,
    turn: Turn,
    practice: Practice,
) -> dict[str, Route]:
    """Store the turn's hand-offs, tasks, messages and inquiry; return the hand-offs to page
    about, each with its route, in order.

    A turn that carries `PageStaff` pages about every urgent hand-off it created.
    """
    state, at = turn.state, event.at
    urgent: dict[str, Route] = {}
    if turn.route.is_crisis:
        uow.events.add(
            domain_events.CrisisFlagged(
                occurred_at=at, call_id=call.id, seq=seq, route=turn.route, rule_ids=turn.rules
            )
        )
    inquiry_id = _save_inquiry(uow, call, turn, at)
    for action in turn.actions:
        if isinstance(action, Handoff):
            handoff_id = _add_handoff(
                uow,
                call,
                at,
                action.category,
                action.urgency,
                summary(
                    state, practice, reason=action.reason, route=action.route, quote=action.quote
                ),
                inquiry_id,
                {"reason": action.reason, "route": action.route.value},
            )
            if action.urgency is Urgency.URGENT:
                urgent[handoff_id] = action.route
        elif isinstance(action, RequestCallback):
            handoff_id = _add_handoff(
                uow,
                call,
                at,
                HandoffCategory.CALLBACK,
                action.urgency,
                summary(state, practice, reason=action.reason, route=state.route),
                inquiry_id,
                {"reason": action.reason},
            )
            uow.events.add(
                domain_events.CallbackRequested(
                    occurred_at=at, handoff_id=handoff_id, call_id=call.id
                )
            )
        elif isinstance(action, TakeMessage):
            handoff_id = _add_handoff(
                uow,
                call,
                at,
                HandoffCategory.MESSAGE,
                Urgency.ROUTINE,
                summary(state, practice, reason="message", route=state.route, quote=action.body),
                inquiry_id,
                {"reason": "message", "message": action.body},
            )
            uow.events.add(
                domain_events.MessageTaken(occurred_at=at, handoff_id=handoff_id, call_id=call.id)
            )
    paged = any(isinstance(a, PageStaff) for a in turn.actions)
    return urgent if paged else {}


def _save_inquiry(uow: UnitOfWork, call: CallRecord, turn: Turn, at: datetime) -> str | None:
    """Create or update the call's inquiry while an intake is under way or was captured."""
    state = turn.state
    capture = next((a for a in turn.actions if isinstance(a, CaptureInquiry)), None)
    existing = uow.inquiries.list_for_call(call.id)
    if capture is None and state.intent not in INTAKE_INTENTS and not existing:
        return None
    if state.intake == Intake() and not existing and capture is None:
        return None
    status = (
        InquiryStatus.CAPTURED if capture is not None and capture.complete else InquiryStatus.OPEN
    )
    if state.result in _BOOKED:
        status = InquiryStatus.BOOKED
    elif state.result is CallResult.WAITLISTED:
        status = InquiryStatus.WAITLISTED
    if existing:
        current = existing[-1]
        if current.status is not InquiryStatus.OPEN and status is InquiryStatus.OPEN:
            status = current.status
        uow.inquiries.update(replace(current, intake=state.intake, updated_at=at, status=status))
        inquiry_id = current.id
    else:
        inquiry_id = new_id()
        uow.inquiries.add(
            InquiryRecord(
                id=inquiry_id,
                created_at=at,
                updated_at=at,
                call_id=call.id,
                status=status,
                intake=state.intake,
            )
        )
    if capture is not None:
        uow.events.add(
            domain_events.InquiryCaptured(occurred_at=at, inquiry_id=inquiry_id, call_id=call.id)
        )
    return inquiry_id


def _add_handoff(
    uow: UnitOfWork,
    call: CallRecord,
    at: datetime,
    category: HandoffCategory,
    urgency: Urgency,
    text: str,
    inquiry_id: str | None,
    details: dict[str, object],
) -> str:
    return callbacks.open_handoff(
        uow,
        category=category,
        urgency=urgency,
        summary=text,
        at=at,
        call_id=call.id,
        inquiry_id=inquiry_id,
        caller_number=call.caller_number,
        details=details,
    ).id
