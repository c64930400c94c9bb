"""Phone calls from a telephony provider: answer, take turns, and close without losing a caller.

These use cases wrap the call services for a provider that retries. A call is keyed by the
provider's id (a Twilio `CallSid`) and each turn by its sequence number, so a retried
webhook gets the stored answer back and never a second turn, hand-off or text; a concurrent
duplicate loses the race on the turns table's unique key and gets the same answer. Urgent
hand-offs are paged to on-call through the outbox when no warm transfer takes the call.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from importlib import resources
from types import TracebackType
from typing import Any, Protocol, Self, cast

from frontdesk.conversation.engine import EngineContext
from frontdesk.conversation.events import Event
from frontdesk.conversation.flows.base import practice_values
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import ScriptLibrary
from frontdesk.conversation.state import CallState
from frontdesk.domain import events as domain_events
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.handoffs import Handoff as HandoffRecord
from frontdesk.domain.messages import Channel, Purpose
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import CallId, CallRecord, CallStatus, TurnRecord, new_id
from frontdesk.services import calls, messages
from frontdesk.services.call_report import summary
from frontdesk.services.unit_of_work import CallRepository, UnitOfWork

log = logging.getLogger(__name__)

UnitOfWorkFactory = Callable[[], UnitOfWork]


class Outbox(Protocol):
    """Queues one outbound text (consent, STOP and quiet hours are the outbox's rules)."""

    def __call__(
        self,
        *,
        uow: UnitOfWork,
        to: str,
        purpose: str,
        body: str,
        at: datetime,
        dedupe_key: str | None = None,
        call_id: str | None = None,
    ) -> str: ...


def queue_sms(
    *,
    uow: UnitOfWork,
    to: str,
    purpose: str,
    body: str,
    at: datetime,
    dedupe_key: str | None = None,
    call_id: str | None = None,
) -> str:
    """The real outbox: a text queued through `frontdesk.services.messages`."""
    return messages.queue_message(
        uow=uow,
        to=to,
        channel=Channel.SMS,
        purpose=Purpose(purpose),
        body=body,
        at=at,
        dedupe_key=dedupe_key,
        call_id=call_id,
    )


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

    @property
    def next_seq(self) -> int:
        return self.seq + 1


@dataclass(frozen=True, slots=True)
class VoiceDeps:
    """What the phone use cases need: storage, the engine, the clock's reading and the outbox."""

    uow: UnitOfWorkFactory
    context: EngineContext
    outbox: Outbox | None = queue_sms

    @property
    def practice(self) -> Practice:
        return self.context.practice


# --- staff texts and edge lines ------------------------------------------------------------


@cache
def _texts() -> dict[str, object]:
    data = resources.files("frontdesk.services").joinpath("voice_texts.toml").read_text("utf-8")
    return tomllib.loads(data)


def staff_text(name: str, **values: str) -> str:
    """A staff-facing template from `voice_texts.toml`, filled with ids and routes only."""
    template = _texts()[name]
    if not isinstance(template, str):  # pragma: no cover - the shipped file is checked by tests
        raise InvalidInput(f"voice text {name!r} is not a string")
    return template.format_map(values)


def edge_line_id(library: ScriptLibrary, name: str) -> str:
    """The library's own line `name` when it has one, else its required stand-in."""
    fallbacks = _texts()["edge_lines"]
    if not isinstance(fallbacks, dict) or name not in fallbacks:
        raise InvalidInput(f"no edge line {name!r}")
    return name if name in library.lines else str(fallbacks[name])


def edge_text(practice: Practice, name: str) -> tuple[str, bool]:
    """The approved text the edge speaks for `name`, and whether it is read whole."""
    line = practice.scripts.line(edge_line_id(practice.scripts, name))
    values = {k: v for k, v in practice_values(practice).items() if k in line.placeholders}
    return line.text.format_map(values), line.whole


# --- answering and turns -------------------------------------------------------------------


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
            call_id=call.id, event=event, uow=expecting_turn(deps.uow(), seq), context=deps.context
        )
    except (Conflict, _TurnTaken):
        stored = _stored_reply(deps, call_sid, seq)
        if stored is None:
            raise Conflict(f"turn {seq} of call {call.id} is not the next turn") from None
        return stored
    reply = _from_result(result)
    _page_urgent(deps, call, result.events, transferring=reply.transfer_to is not None, at=event.at)
    return reply


def find_call(deps: VoiceDeps, call_sid: str) -> CallRecord | None:
    """The call the provider knows by `call_sid`, if any."""
    with deps.uow() as uow:
        return uow.calls.get_by_external_id(call_sid)


def _call(deps: VoiceDeps, call_sid: str) -> CallRecord:
    with deps.uow() as uow:
        call = uow.calls.get_by_external_id(call_sid)
    if call is None:
        raise NotFound("no call for this CallSid")
    return call


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
    elif turn.line_ids:
        # An older turn: its lines are stored joined, so they are spoken as one piece,
        # read whole if any of them must be.
        texts = (turn.agent_text,)
        whole = (any(library.line(i).whole for i in turn.line_ids),)
    else:
        texts, whole = (), ()
    phones = practice.phones
    transfer_to = None
    if Line.EMERGENCY_TRANSFER in turn.line_ids:
        transfer_to = phones.on_call
    elif Line.TRANSFER_FRONT_DESK in turn.line_ids:
        transfer_to = phones.front_desk
    ended = latest and call.status is CallStatus.ENDED and turn.kind.value != "hang_up"
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
    )


# --- urgent pages --------------------------------------------------------------------------


def _page_urgent(
    deps: VoiceDeps,
    call: CallRecord,
    events: tuple[domain_events.Event, ...],
    *,
    transferring: bool,
    at: datetime,
) -> None:
    """Text on-call about each urgent hand-off this turn made, unless a transfer takes it."""
    if transferring:
        return
    for event in events:
        if isinstance(event, domain_events.HandoffCreated) and event.urgency is Urgency.URGENT:
            page_on_call(deps, call=call, handoff_id=event.handoff_id, at=at)


def page_on_call(deps: VoiceDeps, *, call: CallRecord, handoff_id: str, at: datetime) -> bool:
    """Queue the urgent text page for one hand-off of a call; False when nobody can be paged."""
    with deps.uow() as uow:
        handoff = uow.handoffs.get(handoff_id)
    route = str((handoff.details.get("route") if handoff else None) or call.route.value)
    return page_staff(
        deps,
        handoff_id=handoff_id,
        route=route,
        callback=call.caller_number,
        at=at,
        call_id=call.id,
    )


def page_staff(
    deps: VoiceDeps,
    *,
    handoff_id: str,
    route: str,
    callback: str | None,
    at: datetime,
    call_id: str | None = None,
) -> bool:
    """Text on-call (else the front desk) about an urgent hand-off, once per hand-off."""
    phones = deps.practice.phones
    to = phones.on_call or phones.front_desk
    if to is None or deps.outbox is None:
        log.warning("urgent page not queued handoff_id=%s", handoff_id)
        return False
    body = staff_text(
        "page", route=route, reference=handoff_id[:8], callback=callback or "number withheld"
    )
    deps.outbox(
        uow=deps.uow(),
        to=to,
        purpose="page",
        body=body,
        at=at,
        dedupe_key=f"page:{handoff_id}",
        call_id=call_id,
    )
    log.info("urgent page queued handoff_id=%s", handoff_id)
    return True


def whisper_text(deps: VoiceDeps, *, call_id: str) -> str:
    """What the on-call clinician hears before a warm transfer connects: route and reference."""
    with deps.uow() as uow:
        call = uow.calls.get(call_id)
        urgent = [h for h in uow.handoffs.list_for_call(call_id) if h.urgency is Urgency.URGENT]
    if call is None:
        raise NotFound(f"no call {call_id}")
    reference = urgent[-1].id[:8] if urgent else call_id[:8]
    return staff_text("whisper", route=call.route.value, reference=reference)


# --- the guard that keeps a retried turn from becoming the next one ------------------------


class _TurnTaken(Exception):
    """The call has moved past the expected turn: this request is a retry."""


class _ExpectingCalls:
    """The call repository of `_ExpectTurn`: reading the call checks its next turn."""

    def __init__(self, inner: CallRepository, seq: int) -> None:
        self._inner = inner
        self._seq = seq

    def get(self, call_id: CallId, *, for_update: bool = False) -> CallRecord | None:
        call = self._inner.get(call_id, for_update=for_update)
        moved_on = call is not None and call.state.get("turns") != self._seq
        if moved_on and call is not None and call.status is CallStatus.IN_PROGRESS:
            raise _TurnTaken(call_id)
        return call

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _ExpectTurn:
    """A unit of work that refuses to step a call unless its next turn is `seq`.

    The check runs inside the use case's own transaction (with the call row locked), so a
    duplicate that arrives after the first committed cannot become the next turn. Every
    other member is the wrapped unit of work's.
    """

    def __init__(self, inner: UnitOfWork, seq: int) -> None:
        self._inner = inner
        self._seq = seq

    @property
    def calls(self) -> _ExpectingCalls:
        return _ExpectingCalls(self._inner.calls, self._seq)

    def __enter__(self) -> Self:
        self._inner.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._inner.__exit__(exc_type, exc, traceback)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def expecting_turn(uow: UnitOfWork, seq: int) -> UnitOfWork:
    """`uow`, refusing to step a call whose next turn is not `seq` (a retried webhook)."""
    return cast(UnitOfWork, _ExpectTurn(uow, seq))


# --- how calls end: status callbacks, missed transfers, voicemail ---------------------------

MISSED_STATUSES = frozenset({"no-answer", "busy", "failed", "canceled"})
FINAL_STATUSES = MISSED_STATUSES | {"completed"}
SHORT_VOICEMAIL_SECONDS = 2
_TASK_CATEGORIES = (HandoffCategory.CALLBACK, HandoffCategory.MESSAGE)


def call_status(
    *, call_sid: str, status: str, caller_number: str | None, at: datetime, deps: VoiceDeps
) -> CallRecord | None:
    """Record how a call ended; a call that missed its purpose gets a follow-up and a task.

    Statuses before the end (`ringing`, `in-progress`) change nothing and return None.
    """
    if status not in FINAL_STATUSES:
        return None
    call = _ensure_call(deps, call_sid, caller_number, at)
    if call.status is CallStatus.IN_PROGRESS:
        calls.end_call(call_id=call.id, at=at, uow=deps.uow(), context=deps.context)
    ended = _reload(deps, call.id)
    reason = status if status in MISSED_STATUSES else _abandoned(deps, ended)
    if reason is not None:
        recover_missed_call(deps, call=ended, reason=reason, at=at)
    log.info("call status call_id=%s status=%s missed=%s", call.id, status, reason is not None)
    return ended


def transfer_ended(*, call_sid: str, dial_status: str, at: datetime, deps: VoiceDeps) -> bool:
    """The outcome of a transfer; False when nobody answered (then on-call is paged for
    urgent hand-offs and a missed front-desk transfer is recovered like a missed call)."""
    call = _call(deps, call_sid)
    if dial_status in ("completed", "answered"):
        return True
    with deps.uow() as uow:
        urgent = [h for h in uow.handoffs.list_for_call(call.id) if h.urgency is Urgency.URGENT]
    for handoff in urgent:
        page_on_call(deps, call=call, handoff_id=handoff.id, at=at)
    if not call.route.is_crisis:
        recover_missed_call(deps, call=call, reason="transfer_missed", at=at)
    log.info("transfer missed call_id=%s", call.id)
    return False


def recover_missed_call(deps: VoiceDeps, *, call: CallRecord, reason: str, at: datetime) -> None:
    """`CallMissed`, a callback task and the approved follow-up text, once per call.

    Callers who heard crisis or emergency wording already have an urgent hand-off; they get
    no follow-up text.
    """
    with deps.uow() as uow:
        seen = uow.events.query(kinds=["CallMissed"], since=call.started_at)
        if any(getattr(e, "call_id", None) == call.id for e in seen):
            return
        tasks = [
            h
            for h in uow.handoffs.list_for_call(call.id)
            if h.category in _TASK_CATEGORIES or h.urgency is Urgency.URGENT
        ]
        if not tasks and call.caller_number:
            _add_task(uow, deps.practice, call, at, reason=f"missed_call_{reason}")
        uow.events.add(domain_events.CallMissed(occurred_at=at, call_id=call.id, reason=reason))
        uow.commit()
    if call.route.is_crisis or not call.caller_number or deps.outbox is None:
        return
    body, _ = edge_text(deps.practice, "missed_call_text")
    deps.outbox(
        uow=deps.uow(),
        to=call.caller_number,
        purpose="follow_up",
        body=body,
        at=at,
        dedupe_key=f"follow_up:{call.id}",
        call_id=call.id,
    )


@dataclass(frozen=True, slots=True)
class Voicemail:
    """A recording the caller left (or did not: `url` None or a very short `seconds`)."""

    recording_sid: str | None
    url: str | None
    seconds: int

    @property
    def blank(self) -> bool:
        return self.url is None or self.seconds < SHORT_VOICEMAIL_SECONDS


def record_voicemail(
    *,
    call_sid: str,
    voicemail: Voicemail,
    caller_number: str | None,
    at: datetime,
    deps: VoiceDeps,
) -> str:
    """End the call and attach the voicemail to its callback task; returns the task id.

    A blank or too-short voicemail still leaves a task with the caller's number and the
    call's context, so staff never face an empty message. A retry attaches nothing twice.
    """
    call = _ensure_call(deps, call_sid, caller_number, at)
    if call.status is CallStatus.IN_PROGRESS:
        calls.end_call(call_id=call.id, at=at, uow=deps.uow(), context=deps.context)
        call = _reload(deps, call.id)
    details: dict[str, object] = {
        "recording_sid": voicemail.recording_sid,
        "recording_url": voicemail.url,
        "duration_seconds": voicemail.seconds,
        "blank": voicemail.blank,
    }
    with deps.uow() as uow:
        handoffs = uow.handoffs.list_for_call(call.id)
        for handoff in handoffs:
            if _voicemail_of(handoff.details).get("recording_sid") == voicemail.recording_sid:
                return handoff.id
        open_tasks = [h for h in handoffs if h.is_open and h.category in _TASK_CATEGORIES]
        if open_tasks:
            task = open_tasks[-1]
            uow.handoffs.update(replace(task, details={**task.details, "voicemail": details}))
            task_id = task.id
        else:
            reason = "blank_voicemail" if voicemail.blank else "voicemail"
            task_id = _add_task(uow, deps.practice, call, at, reason=reason, voicemail=details)
        if not voicemail.blank and call.result in (None, CallResult.ABANDONED):
            uow.calls.update(replace(call, result=CallResult.MESSAGE_TAKEN))
        uow.commit()
    log.info("voicemail call_id=%s handoff_id=%s blank=%s", call.id, task_id, voicemail.blank)
    return task_id


def attach_transcription(
    *, call_sid: str, recording_sid: str, text: str | None, at: datetime, deps: VoiceDeps
) -> str:
    """Put a voicemail's transcription on the task holding its recording; returns the task id."""
    call = _call(deps, call_sid)
    with deps.uow() as uow:
        handoffs = uow.handoffs.list_for_call(call.id)
        task = next(
            (h for h in handoffs if _voicemail_of(h.details).get("recording_sid") == recording_sid),
            None,
        )
        if task is None:
            raise NotFound(f"no voicemail task on call {call.id}")
        voicemail = {**_voicemail_of(task.details), "transcription": (text or "").strip() or None}
        uow.handoffs.update(replace(task, details={**task.details, "voicemail": voicemail}))
        uow.commit()
    log.info("transcription call_id=%s handoff_id=%s", call.id, task.id)
    return task.id


def open_fallback(
    *, call_sid: str, caller_number: str | None, at: datetime, deps: VoiceDeps
) -> str:
    """The main handler failed: keep a callback task for the call and page staff about it."""
    call = _ensure_call(deps, call_sid, caller_number, at)
    with deps.uow() as uow:
        tasks = [
            h for h in uow.handoffs.list_for_call(call.id) if h.details.get("reason") == "fallback"
        ]
        if tasks:
            return tasks[0].id
        task_id = _add_task(uow, deps.practice, call, at, reason="fallback")
        uow.commit()
    page_on_call(deps, call=call, handoff_id=task_id, at=at)
    return task_id


def _voicemail_of(details: dict[str, object]) -> dict[str, object]:
    value = details.get("voicemail")
    return dict(value) if isinstance(value, dict) else {}


def _add_task(
    uow: UnitOfWork,
    practice: Practice,
    call: CallRecord,
    at: datetime,
    *,
    reason: str,
    voicemail: dict[str, object] | None = None,
) -> str:
    state = CallState.from_dict(dict(call.state))
    category = HandoffCategory.MESSAGE if voicemail is not None else HandoffCategory.CALLBACK
    details: dict[str, object] = {"reason": reason}
    if voicemail is not None:
        details["voicemail"] = voicemail
    handoff_id = new_id()
    uow.handoffs.add(
        HandoffRecord(
            id=handoff_id,
            category=category,
            urgency=Urgency.ROUTINE if call.route is Route.ROUTINE else Urgency.SAME_DAY,
            summary=summary(state, practice, reason=reason, route=call.route),
            created_at=at,
            call_id=call.id,
            caller_number=call.caller_number,
            details=details,
        )
    )
    uow.events.add(
        domain_events.HandoffCreated(
            occurred_at=at,
            handoff_id=handoff_id,
            category=category,
            urgency=Urgency.ROUTINE,
            call_id=call.id,
        )
    )
    uow.events.add(
        domain_events.CallbackRequested(occurred_at=at, handoff_id=handoff_id, call_id=call.id)
    )
    return handoff_id


def _ensure_call(
    deps: VoiceDeps, call_sid: str, caller_number: str | None, at: datetime
) -> CallRecord:
    """The call for `call_sid`, or a new ended record for a call the engine never answered."""
    if not call_sid:
        raise InvalidInput("CallSid is required")
    with deps.uow() as uow:
        call = uow.calls.get_by_external_id(call_sid)
        if call is not None:
            return call
        state = CallState(caller_number=caller_number or None)
        call = CallRecord(
            id=new_id(),
            started_at=at,
            external_id=call_sid,
            caller_number=caller_number or None,
            state=state.to_dict(),
        )
        try:
            uow.calls.add(call)
            uow.events.add(domain_events.CallStarted(occurred_at=at, call_id=call.id))
            uow.commit()
        except Conflict:
            uow.rollback()
            return _call(deps, call_sid)
    return call


def _reload(deps: VoiceDeps, call_id: CallId) -> CallRecord:
    with deps.uow() as uow:
        call = uow.calls.get(call_id)
    if call is None:
        raise NotFound(f"no call {call_id}")
    return call


def _abandoned(deps: VoiceDeps, call: CallRecord) -> str | None:
    """`abandoned` when the caller hung up before the call's purpose was met."""
    if call.result is CallResult.ABANDONED:
        return "abandoned"
    with deps.uow() as uow:
        handoffs = uow.handoffs.list_for_call(call.id)
    if any(h.details.get("reason") == "hung_up_mid_call" for h in handoffs):
        return "abandoned"
    return None
