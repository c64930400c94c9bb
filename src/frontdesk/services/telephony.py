"""What every phone use case shares: its dependencies, the outbox, staff wording, edge lines.

The phone use cases (`voice`, `voicemail`, `missed_calls`, `paging`) are keyed by the
provider's call id (a Twilio `CallSid`); the look-ups here find or record a call by it.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Protocol

from frontdesk.conversation.engine import EngineContext
from frontdesk.conversation.flows.base import practice_values
from frontdesk.conversation.lines import Line
from frontdesk.conversation.state import CallState
from frontdesk.domain import events as domain_events
from frontdesk.domain.calls import HandoffCategory, Route, Urgency
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.messages import Channel, Purpose
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import CallId, CallRecord, new_id
from frontdesk.services import messages
from frontdesk.services.call_report import summary
from frontdesk.services.callbacks import open_handoff
from frontdesk.services.reminders import sender_name
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

UnitOfWorkFactory = Callable[[], UnitOfWork]

TEXTED_LINES = frozenset(
    {Line.MISSED_CALL_TEXT, Line.SMS_RECEIVED, Line.SMS_UNAVAILABLE, Line.SMS_HELP}
)
"""Edge lines sent by text: signed with the reminders' discreet sender name."""


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
    template = _texts().get(name)
    if not isinstance(template, str):
        raise InvalidInput(f"no staff text {name!r}")
    return template.format_map(values)


def edge_text(practice: Practice, line: Line) -> tuple[str, bool]:
    """The approved text of a line the edge speaks or sends, and whether it is read whole.

    Texted lines name the practice by its reminder sender name, which never names the care.
    """
    script = practice.scripts.line(line.value)
    values = practice_values(practice)
    if line in TEXTED_LINES:
        values["practice"] = sender_name(practice)
    filled = {k: v for k, v in values.items() if k in script.placeholders}
    return script.text.format_map(filled), script.whole


# --- finding and recording calls by the provider's id -----------------------------------------


def find_call(deps: VoiceDeps, call_sid: str) -> CallRecord | None:
    """The call the provider knows by `call_sid`, if any."""
    with deps.uow() as uow:
        return uow.calls.get_by_external_id(call_sid)


def call_of(deps: VoiceDeps, call_sid: str) -> CallRecord:
    """The call the provider knows by `call_sid`; `NotFound` when there is none."""
    call = find_call(deps, call_sid)
    if call is None:
        raise NotFound("no call for this CallSid")
    return call


def ensure_call(
    deps: VoiceDeps, call_sid: str, caller_number: str | None, at: datetime
) -> CallRecord:
    """The call for `call_sid`, or a new record for a call the engine never answered."""
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
            return call_of(deps, call_sid)
    return call


def reload_call(deps: VoiceDeps, call_id: CallId) -> CallRecord:
    """The call as now stored."""
    with deps.uow() as uow:
        call = uow.calls.get(call_id)
    if call is None:
        raise NotFound(f"no call {call_id}")
    return call


TASK_CATEGORIES = (HandoffCategory.CALLBACK, HandoffCategory.MESSAGE)
"""Hand-off categories that are a callback task for the front desk."""


def add_task(
    uow: UnitOfWork,
    practice: Practice,
    call: CallRecord,
    at: datetime,
    *,
    reason: str,
    voicemail: dict[str, object] | None = None,
) -> str:
    """Add a callback task (a message task when it holds a voicemail) with the call's context."""
    state = CallState.from_dict(dict(call.state))
    category = HandoffCategory.MESSAGE if voicemail is not None else HandoffCategory.CALLBACK
    urgency = Urgency.ROUTINE if call.route is Route.ROUTINE else Urgency.SAME_DAY
    details: dict[str, object] = {"reason": reason}
    if voicemail is not None:
        details["voicemail"] = voicemail
    handoff_id = open_handoff(
        uow,
        category=category,
        urgency=urgency,
        summary=summary(state, practice, reason=reason, route=call.route),
        at=at,
        call_id=call.id,
        caller_number=call.caller_number,
        details=details,
    ).id
    uow.events.add(
        domain_events.CallbackRequested(occurred_at=at, handoff_id=handoff_id, call_id=call.id)
    )
    return handoff_id
