"""Voicemail: the recording a caller leaves, its transcription, and the fallback message.

Every voicemail lands on a callback task with the call's context, so staff never face an
empty message; a retried webhook attaches nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from frontdesk.domain.calls import CallResult
from frontdesk.domain.errors import NotFound
from frontdesk.domain.records import CallStatus
from frontdesk.services import calls
from frontdesk.services.paging import page_on_call
from frontdesk.services.telephony import (
    TASK_CATEGORIES,
    VoiceDeps,
    add_task,
    call_of,
    ensure_call,
    reload_call,
)

log = logging.getLogger(__name__)

SHORT_VOICEMAIL_SECONDS = 2


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
    call = ensure_call(deps, call_sid, caller_number, at)
    if call.status is CallStatus.IN_PROGRESS:
        calls.end_call(call_id=call.id, at=at, uow=deps.uow(), context=deps.context)
        call = reload_call(deps, call.id)
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
        open_tasks = [h for h in handoffs if h.is_open and h.category in TASK_CATEGORIES]
        if open_tasks:
            task = open_tasks[-1]
            uow.handoffs.update(replace(task, details={**task.details, "voicemail": details}))
            task_id = task.id
        else:
            reason = "blank_voicemail" if voicemail.blank else "voicemail"
            task_id = add_task(uow, deps.practice, call, at, reason=reason, voicemail=details)
        if not voicemail.blank and call.result in (None, CallResult.ABANDONED):
            uow.calls.update(replace(call, result=CallResult.MESSAGE_TAKEN))
        uow.commit()
    log.info("voicemail call_id=%s handoff_id=%s blank=%s", call.id, task_id, voicemail.blank)
    return task_id


def attach_transcription(
    *, call_sid: str, recording_sid: str, text: str | None, at: datetime, deps: VoiceDeps
) -> str:
    """Put a voicemail's transcription on the task holding its recording; returns the task id."""
    call = call_of(deps, call_sid)
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
    call = ensure_call(deps, call_sid, caller_number, at)
    with deps.uow() as uow:
        tasks = [
            h for h in uow.handoffs.list_for_call(call.id) if h.details.get("reason") == "fallback"
        ]
        if tasks:
            return tasks[0].id
        task_id = add_task(uow, deps.practice, call, at, reason="fallback")
        uow.commit()
    page_on_call(deps, call=call, handoff_id=task_id, at=at)
    return task_id


def _voicemail_of(details: dict[str, object]) -> dict[str, object]:
    value = details.get("voicemail")
    return dict(value) if isinstance(value, dict) else {}
