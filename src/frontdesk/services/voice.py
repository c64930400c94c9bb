"""Phone calls from a telephony provider: answer a call and take its turns, safely retried.

A call is keyed by the provider's id (a Twilio `CallSid`) and each turn by its sequence
number, so a retried webhook gets the stored answer back and never a second turn, hand-off
or text: `calls.handle_turn` refuses a turn that is not the call's next one, and a
concurrent duplicate loses that race and hears the stored answer. Urgent hand-offs are
paged to on-call through the outbox in the turn's own commit (held while a warm transfer
rings on-call).

How calls end lives in `missed_calls`, voicemail in `voicemail`, pages in `paging`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frontdesk.conversation.events import Event
from frontdesk.conversation.flows.languages import voice_of
from frontdesk.conversation.state import CallState
from frontdesk.conversation.turn import TRANSFER_LINES
from frontdesk.domain.calls import Intent, Route
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import CallId, CallRecord, CallStatus, TurnKind, TurnRecord
from frontdesk.services import calls
from frontdesk.services.telephony import VoiceDeps


@dataclass(frozen=True, slots=True)
class Reply:
    """What the caller hears for one turn and what the call does next."""

    call_id: CallId
    seq: int
    texts: tuple[str, ...]
    whole: tuple[bool, ...]  # per text: read in full, never barged in on
    route: Route
    intent: Intent | None
    transfer_to: str | None = None
    hang_up: bool = False
    ended: bool = False
    replayed: bool = False  # the stored answer to a retried request
    call_route: Route = Route.ROUTINE  # the most severe route of the call so far
    voices: tuple[str | None, ...] = ()  # per text: its language's voice, None for the practice's

    @property
    def next_seq(self) -> int:
        return self.seq + 1


def answer_call(
    *, call_sid: str, caller_number: str | None, at: datetime, deps: VoiceDeps
) -> Reply:
    """The greeting for a new call; a retried request for a known `call_sid` hears it again."""
    if not call_sid:
        raise InvalidInput("CallSid is required")
    stored = _stored_reply(deps, call_sid, 0)
    if stored is not None:
        return stored
    try:
        result = calls.start_call(
            external_id=call_sid,
            caller_number=caller_number or None,
            at=at,
            uow=deps.uow(),
            context=deps.context,
        )
    except Conflict:
        stored = _stored_reply(deps, call_sid, 0)
        if stored is None:
            raise
        return stored
    return _from_result(result)


def take_turn(*, call_sid: str, seq: int, event: Event, deps: VoiceDeps) -> Reply:
    """Turn `seq` of a call: the engine's answer, stored once; a retry gets the same answer."""
    if seq < 1:
        raise InvalidInput("turn must be a positive number")
    with deps.uow() as uow:
        call = uow.calls.get_by_external_id(call_sid)
        earlier = None if call is None else uow.turns.get(call.id, seq)
    if call is None:
        raise NotFound("no call for this CallSid")
    if earlier is not None:
        return replayed_reply(call, earlier, deps.practice)
    try:
        result = calls.handle_turn(
            call_id=call.id,
            event=event,
            uow=deps.uow(),
            context=deps.context,
            expected_seq=seq,
            page=deps.outbox is not None,
        )
    except Conflict:
        stored = _stored_reply(deps, call_sid, seq)
        if stored is None:
            raise
        return stored
    return _from_result(result)


def _from_result(result: calls.TurnResult) -> Reply:
    return Reply(
        call_id=result.call_id,
        seq=result.seq,
        texts=result.texts,
        whole=result.whole,
        route=result.route,
        intent=result.intent,
        transfer_to=result.transfer_to,
        hang_up=result.hang_up,
        ended=result.ended,
        call_route=result.call_route,
        voices=result.voices,
    )


def _stored_reply(deps: VoiceDeps, call_sid: str, seq: int) -> Reply | None:
    """The answer already given to turn `seq` of this call, rebuilt from what was stored."""
    with deps.uow() as uow:
        call = uow.calls.get_by_external_id(call_sid)
        if call is None:
            return None
        turn = uow.turns.get(call.id, seq)
    if turn is None:
        return None
    return replayed_reply(call, turn, deps.practice)


def replayed_reply(call: CallRecord, turn: TurnRecord, practice: Practice) -> Reply:
    """The reply a stored turn gave: the same lines, transfer and hang-up as the first time."""
    library = practice.scripts
    state = CallState.from_dict(dict(call.state))
    latest = turn.seq == state.turns - 1
    last = tuple(s.line_id for s in state.last_says)
    if latest and last == turn.line_ids:
        texts = tuple(library.render(s) for s in state.last_says)
        whole = tuple(library.line(i).whole for i in turn.line_ids)
        voices = tuple(voice_of(i) for i in turn.line_ids)
    elif turn.line_ids:
        # An older turn: its lines are stored joined, so they are spoken as one piece,
        # read whole if any of them must be, in another language's voice only if all are.
        texts = (turn.agent_text,)
        whole = (any(library.line(i).whole for i in turn.line_ids),)
        heard = {voice_of(i) for i in turn.line_ids}
        voices = (heard.pop() if len(heard) == 1 else None,)
    else:
        texts, whole, voices = (), (), ()
    target = next((TRANSFER_LINES[i] for i in turn.line_ids if i in TRANSFER_LINES), None)
    transfer_to = None if target is None else calls.transfer_number(practice, target)
    ended = latest and call.status is CallStatus.ENDED and turn.kind is not TurnKind.HANG_UP
    return Reply(
        call_id=call.id,
        seq=turn.seq,
        texts=texts,
        whole=whole,
        route=turn.route,
        intent=turn.intent,
        transfer_to=transfer_to,
        hang_up=ended and transfer_to is None,
        ended=ended,
        replayed=True,
        call_route=call.route,
        voices=voices,
    )
