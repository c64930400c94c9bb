"""The work queue pages: the queue, one item with its whole context, and the forms that
work it (start, snooze, reopen, finish, assign, log an attempt). Also the small JSON feed
the page polls for new urgent items (`/queue/live`).

Routes translate HTTP only: the rules live in `services.callbacks` and
`services.work_queue`; every read and change is audited there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from frontdesk.bootstrap import Services
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted
from frontdesk.domain.handoffs import NOTE_MAX_LENGTH, AttemptOutcome, HandoffStatus
from frontdesk.domain.queue_access import may_change
from frontdesk.domain.staff import StaffUser
from frontdesk.entrypoints.web.console.auth import require_section, source_of
from frontdesk.entrypoints.web.console.formatting import helpers
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import callbacks, staff, work_queue

router = console_router(tags=["console"])
App = Annotated[Services, Depends(services_of)]
Worker = Annotated[StaffUser, Depends(require_section("queue"))]
T = TypeVar("T")

OUTCOMES = [(o.value, o.value.replace("_", " ")) for o in AttemptOutcome]
AFTER = [
    ("", "in progress"),
    ("waiting", "waiting for the caller to call or text back"),
    ("done", "done"),
    ("open", "back to open"),
]
STATUS_ACTIONS = ("start", "reopen", "done", "wait")


async def call_service(work: Callable[[], T]) -> T:
    """Run a use case off the event loop; the request's errors become the page's 4xx."""
    try:
        return await run_in_threadpool(work)
    except NotFound as exc:
        raise HTTPException(status_code=404, detail="No such item.") from exc
    except NotPermitted as exc:
        raise HTTPException(status_code=403, detail="This is not open to you.") from exc
    except InvalidInput as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    except Conflict as exc:
        raise HTTPException(status_code=409, detail="Someone changed it first: reload.") from exc
    # Any other error (keys that do not open the data, a database that is down) is the
    # server's, not the request's: the application's handler answers it as such.


def _staff_names(services: Services) -> dict[str, str]:
    return {
        account.user.id: account.user.username
        for account in staff.list_users(uow=services.uow())
        if not account.disabled
    }


@router.get("/queue")
async def queue_page(
    request: Request, services: App, user: Worker, done: bool = False, mine: bool = False
) -> Response:
    """Every item this role may see: crisis and emergency apart at the top, then the rest by
    urgency and age, each with its due time and an overdue mark."""
    now = services.clock()
    entries = await call_service(
        lambda: work_queue.work_queue(
            uow=services.uow(),
            practice=services.practice,
            user=user,
            now=now,
            include_done=done,
            source=source_of(request),
        )
    )
    if mine:
        entries = [e for e in entries if e.item.handoff.assigned_to == user.id]
    names = await run_in_threadpool(_staff_names, services)
    crisis = [e for e in entries if e.item.handoff.is_urgent_route and e.item.handoff.is_open]
    rest = [e for e in entries if e not in crisis]
    return await render(
        request,
        "queue.html",
        {
            "crisis": crisis,
            "rest": rest,
            "names": names,
            "show_done": done,
            "mine": mine,
            "live_ids": [e.item.handoff.id for e in crisis],
            **helpers(services.practice, now),
        },
    )


@router.get("/queue/live")
async def live(request: Request, services: App, user: Worker) -> JSONResponse:
    """The open crisis, emergency and urgent items this role may see, newest first: what the
    page polls to show a new one without a reload. Ids, kinds and ages only."""
    now = services.clock()
    entries = await call_service(
        lambda: work_queue.urgent_items(
            uow=services.uow(), practice=services.practice, user=user, now=now
        )
    )
    items = [
        {
            "id": e.item.handoff.id,
            "category": e.item.handoff.category.value,
            "urgency": e.item.handoff.urgency.value,
            "age_seconds": int(e.item.age.total_seconds()),
            "overdue": e.item.overdue,
            "url": f"/queue/{e.item.handoff.id}",
        }
        for e in entries
    ]
    return JSONResponse({"urgent": items}, headers={"Cache-Control": "no-store"})


@router.get("/queue/{handoff_id}")
async def item_page(request: Request, services: App, user: Worker, handoff_id: str) -> Response:
    """One item on one screen: summary, attempts, and where the role allows the intake with
    the caller's words, the transcript, the voicemail and earlier calls from the number."""
    now = services.clock()
    context = await call_service(
        lambda: work_queue.handoff_context(
            uow=services.uow(),
            practice=services.practice,
            user=user,
            handoff_id=handoff_id,
            now=now,
            source=source_of(request),
        )
    )
    names = await run_in_threadpool(_staff_names, services)
    return await render(
        request,
        "queue_item.html",
        {
            "c": context,
            "h": context.item.handoff,
            "names": names,
            "can_change": may_change(user),
            "outcomes": OUTCOMES,
            "after": AFTER,
            "note_max": NOTE_MAX_LENGTH,
            "notice": request.query_params.get("notice"),
            **helpers(services.practice, now),
        },
    )


def _back(handoff_id: str, notice: str) -> RedirectResponse:
    return RedirectResponse(f"/queue/{handoff_id}?notice={notice}", status_code=303)


async def _visible(services: Services, user: StaffUser, request: Request, handoff_id: str) -> None:
    """Refuse a change to an item this person may not even open (audited like a view)."""
    await call_service(
        lambda: work_queue.require_visible(
            uow=services.uow(), user=user, handoff_id=handoff_id, source=source_of(request)
        )
    )


@router.post("/queue/{handoff_id}/attempts")
async def log_attempt(
    request: Request,
    services: App,
    user: Worker,
    handoff_id: str,
    outcome: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=NOTE_MAX_LENGTH)] = "",
    then: Annotated[str, Form()] = "",
) -> Response:
    """Log one callback attempt with its outcome and note; `then` moves the item on."""
    try:
        chosen = AttemptOutcome(outcome)
        after = HandoffStatus(then) if then else None
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="Choose an outcome from the list.") from exc
    await _visible(services, user, request, handoff_id)
    await call_service(
        lambda: callbacks.record_attempt(
            handoff_id=handoff_id,
            outcome=chosen,
            note=note,
            then=after,
            at=services.clock(),
            uow=services.uow(),
            user_id=user.id,
            actor=user.actor,
            source=source_of(request),
        )
    )
    return _back(handoff_id, "attempt")


@router.post("/queue/{handoff_id}/status")
async def change_status(
    request: Request,
    services: App,
    user: Worker,
    handoff_id: str,
    action: Annotated[str, Form()],
    until: Annotated[str, Form()] = "",
    on_contact: Annotated[str, Form()] = "",
) -> Response:
    """Start, snooze (until a time in the practice's timezone, and/or the caller's next
    call or text), reopen or finish an item."""
    if action not in STATUS_ACTIONS:
        raise HTTPException(status_code=400, detail="Unknown action.")
    await _visible(services, user, request, handoff_id)
    at, actor, source = services.clock(), user.actor, source_of(request)
    uow = services.uow()
    if action == "start":
        await call_service(
            lambda: callbacks.start(
                handoff_id=handoff_id, at=at, uow=uow, user_id=user.id, actor=actor, source=source
            )
        )
    elif action == "reopen":
        await call_service(
            lambda: callbacks.reopen(
                handoff_id=handoff_id, at=at, uow=uow, actor=actor, source=source
            )
        )
    elif action == "done":
        await call_service(
            lambda: callbacks.complete(
                handoff_id=handoff_id, at=at, uow=uow, actor=actor, source=source
            )
        )
    else:
        moment = _local_moment(until, services) if until else None
        await call_service(
            lambda: callbacks.wait(
                handoff_id=handoff_id,
                at=at,
                until=moment,
                on_contact=bool(on_contact),
                uow=uow,
                actor=actor,
                source=source,
            )
        )
    return _back(handoff_id, action)


def _local_moment(text: str, services: Services) -> datetime:
    """A `datetime-local` value (`2026-03-02T15:00`) read in the practice's timezone."""
    try:
        naive = datetime.fromisoformat(text)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="Give the time as date and time.") from exc
    if naive.utcoffset() is not None:
        return naive
    return naive.replace(tzinfo=services.practice.zone)


@router.post("/queue/{handoff_id}/assign")
async def assign(
    request: Request,
    services: App,
    user: Worker,
    handoff_id: str,
    to: Annotated[str, Form()],
) -> Response:
    """Give the item to me, to another active staff member, or to nobody."""
    if to == "me":
        target: str | None = user.id
    elif to == "nobody":
        target = None
    else:
        names = await run_in_threadpool(_staff_names, services)
        if to not in names:
            raise HTTPException(status_code=400, detail="Choose someone from the list.")
        target = to
    await _visible(services, user, request, handoff_id)
    await call_service(
        lambda: callbacks.assign(
            handoff_id=handoff_id,
            user_id=target,
            at=services.clock(),
            uow=services.uow(),
            actor=user.actor,
            source=source_of(request),
        )
    )
    return _back(handoff_id, "assigned")
