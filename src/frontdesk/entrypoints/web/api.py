"""The JSON API: health, calls and the callback queue (OpenAPI at `/openapi.json`).

Calls and tasks hold what callers said, so every `/api` route needs either `Authorization:
Bearer $FRONTDESK_API_TOKEN` or a console session of a front-desk person or an admin (then
a change also needs the session's `X-CSRF-Token` header). Where a request comes from never
counts: a page on another site can make a browser or a local forwarder reach loopback.
"""

from __future__ import annotations

import hmac
import logging
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from frontdesk.bootstrap import Services
from frontdesk.domain.audit import Actor, AuditAction
from frontdesk.domain.errors import ConfigurationError, EncryptionKeyError
from frontdesk.domain.handoffs import NOTE_MAX_LENGTH, AttemptOutcome, Handoff, HandoffStatus
from frontdesk.domain.records import CallRecord, TurnRecord
from frontdesk.domain.staff import Role, SessionStage
from frontdesk.entrypoints.web.console.auth import console_session
from frontdesk.entrypoints.web.console.csrf import check_csrf
from frontdesk.entrypoints.web.dependencies import services_of, within
from frontdesk.services import audit, call_report, callbacks

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 2.0
"""How long `/healthz` waits for its checks before reporting those unanswered failing."""
NOT_CHECKED = "not checked: the database is failing"

API_ROLES = frozenset({Role.FRONT_DESK, Role.ADMIN})


def bearer_actor(request: Request) -> str | None:
    """`api-token` when the request carries the configured bearer token, else None."""
    settings = services_of(request).settings
    token = settings.api_token.get_secret_value() if settings.api_token else ""
    header = request.headers.get("Authorization", "")
    if not token or not header.startswith("Bearer "):
        return None
    given = header.removeprefix("Bearer ").strip()
    matches = hmac.compare_digest(given.encode(), token.encode())
    return Actor.API_TOKEN.value if matches else None


async def access(request: Request, roles: frozenset[Role]) -> str:
    """The actor of an API request (`api-token` or `user:<id>`), or 401/403.

    A session counts only for `roles`, only once its second factor is set up, and a
    change through it must carry its CSRF token.
    """
    actor = bearer_actor(request)
    if actor is not None:
        return actor
    if request.headers.get("Authorization"):
        raise HTTPException(status_code=401, detail="a valid bearer token is required")
    session = await console_session(request)
    if session is None or session.stage is not SessionStage.FULL:
        raise HTTPException(
            status_code=401, detail="sign in to the console, or send the API bearer token"
        )
    if session.user.role not in roles:
        raise HTTPException(status_code=403, detail="this is not open to your role")
    await check_csrf(request)
    return session.user.actor


async def api_access(request: Request) -> str:
    """FastAPI dependency: the bearer token, or a front-desk or admin console session; the
    actor is kept on the request for the audit log."""
    actor = await access(request, API_ROLES)
    request.state.api_actor = actor
    return actor


def _actor(request: Request) -> str:
    """The audit actor `api_access` found for this request (`api-token` or `user:<id>`)."""
    actor: str = request.state.api_actor
    return actor


def _source(request: Request) -> str | None:
    return request.client.host if request.client else None


def _audit_view(
    services: Services, request: Request, kind: str, *, object_id: str | None = None, detail: str
) -> None:
    """Record a read of PHI before it is answered: a read that cannot be audited fails."""
    audit.record_standalone(
        uow=services.uow(),
        actor=_actor(request),
        action=AuditAction.VIEW,
        object_kind=kind,
        object_id=object_id,
        source=_source(request),
        detail=detail,
    )


router = APIRouter(tags=["api"])
guarded = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(api_access)])
App = Annotated[Services, Depends(services_of)]


class Health(BaseModel):
    status: str  # "ok", or "failing" when a check failed
    practice: str
    # check name (safety, database, keys) -> "ok" or why it failed (never a driver message)
    checks: dict[str, str]


class CallSummary(BaseModel):
    id: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    after_hours: bool
    route: str
    intent: str | None
    result: str | None

    @staticmethod
    def of(call: CallRecord) -> CallSummary:
        return CallSummary(
            id=call.id,
            started_at=call.started_at,
            ended_at=call.ended_at,
            status=call.status.value,
            after_hours=call.after_hours,
            route=call.route.value,
            intent=call.intent.value if call.intent else None,
            result=call.result.value if call.result else None,
        )


class TurnOut(BaseModel):
    seq: int
    at: datetime
    kind: str
    caller_text: str | None
    digits: str | None
    agent_text: str
    route: str
    intent: str | None

    @staticmethod
    def of(turn: TurnRecord) -> TurnOut:
        return TurnOut(
            seq=turn.seq,
            at=turn.at,
            kind=turn.kind.value,
            caller_text=turn.caller_text,
            digits=turn.digits,
            agent_text=turn.agent_text,
            route=turn.route.value,
            intent=turn.intent.value if turn.intent else None,
        )


class Task(BaseModel):
    id: str
    category: str
    urgency: str
    status: str
    created_at: datetime
    completed_at: datetime | None
    call_id: str | None
    caller_number: str | None
    summary: str
    details: dict[str, object]
    assigned_to: str | None = None
    waiting_until: datetime | None = None
    wake_on_contact: bool = False

    @staticmethod
    def of(task: Handoff) -> Task:
        return Task(
            id=task.id,
            category=task.category.value,
            urgency=task.urgency.value,
            status=task.status.value,
            created_at=task.created_at,
            completed_at=task.completed_at,
            call_id=task.call_id,
            caller_number=task.caller_number,
            summary=task.summary,
            details=dict(task.details),
            assigned_to=task.assigned_to,
            waiting_until=task.waiting_until,
            wake_on_contact=task.wake_on_contact,
        )


class CallDetail(BaseModel):
    call: CallSummary
    intake: dict[str, object]
    turns: list[TurnOut]
    tasks: list[Task]


@router.get("/healthz", responses={503: {"model": Health}})
async def healthz(services: App) -> JSONResponse:
    """Whether this server can do its work (else 503): the safety screen does not read a
    routine sentence as a crisis, the database answers a read, and the encryption keys open
    what they seal and what is stored. Each check is "ok" or a fixed reason, never a message
    that could carry a secret, a path or caller data."""
    results: dict[str, str] = {}
    finished = await within(HEALTH_TIMEOUT_SECONDS, lambda: _check(services, results))
    checks = dict(results)
    if finished is None:
        late = f"no answer within {HEALTH_TIMEOUT_SECONDS:g} s"
        checks.setdefault("safety", late)
        checks.setdefault("database", late)
        if services.key_probe is not None:
            checks.setdefault("keys", late if checks["database"] == "ok" else NOT_CHECKED)
    failing = sorted(name for name, result in checks.items() if result != "ok")
    health = Health(
        status="failing" if failing else "ok", practice=services.practice.name, checks=checks
    )
    if failing:
        log.warning("health check failed check=%s", ",".join(failing))
    return JSONResponse(health.model_dump(), status_code=503 if failing else 200)


def _check(services: Services, results: dict[str, str]) -> bool:
    """Run each check in turn, writing its result into `results` as soon as it has one (so a
    check that hangs leaves the ones before it reported)."""
    try:
        results["safety"] = "ok" if services.check_screen() else "failed: the screen fails closed"
    except Exception as exc:
        results["safety"] = f"failed ({type(exc).__name__})"
    try:
        services.check_database()
    except Exception as exc:
        results["database"] = f"failed ({type(exc).__name__})"
        if services.key_probe is not None:
            results["keys"] = NOT_CHECKED
        return True
    results["database"] = "ok"
    try:
        if services.check_keys() is not None:
            results["keys"] = "ok"
    except EncryptionKeyError:
        results["keys"] = "failed: the keys open none of the stored values"
    except ConfigurationError:
        results["keys"] = "failed: no usable encryption keys"
    except Exception as exc:
        results["keys"] = f"failed ({type(exc).__name__})"
    return True


@guarded.get("/calls")
def list_calls(
    services: App, request: Request, days: Annotated[int, Query(ge=1, le=366)] = 7
) -> list[CallSummary]:
    """Calls started in the last `days` days, oldest first."""
    now = services.clock()
    with services.uow() as uow:
        found = uow.calls.list_started_between(now - timedelta(days=days), now + timedelta(1))
    _audit_view(services, request, "call_list", detail=f"days={days} rows={len(found)}")
    return [CallSummary.of(call) for call in found]


@guarded.get("/calls/{call_id}")
def get_call(services: App, request: Request, call_id: str) -> CallDetail:
    """One call: its outcome, what was captured, the transcript and its tasks."""
    detail = call_detail(services, call_id)
    _audit_view(services, request, "call", object_id=detail.call.id, detail="part=transcript")
    return detail


def call_detail(services: Services, call_id: str) -> CallDetail:
    """One call's stored records as the API shows them (the caller audits the read)."""
    found = call_report.report(call_id=call_id, uow=services.uow())
    return CallDetail(
        call=CallSummary.of(found.call),
        intake=call_report.intake_summary(found.intake),
        turns=[TurnOut.of(t) for t in found.turns],
        tasks=[Task.of(h) for h in found.handoffs],
    )


@guarded.get("/callbacks")
def list_callbacks(services: App, request: Request, all: bool = False) -> list[Task]:
    """The callback queue: most urgent first, then oldest; `all` includes done tasks."""
    uow = services.uow()
    tasks = callbacks.list_all(uow=uow) if all else callbacks.list_open(uow=uow)
    scope = "all" if all else "open"
    _audit_view(services, request, "handoff_queue", detail=f"scope={scope} rows={len(tasks)}")
    return [Task.of(t) for t in tasks]


@guarded.post("/callbacks/{task_id}/done")
def complete_callback(services: App, request: Request, task_id: str) -> Task:
    """Mark a task done now; its first completion time is kept (callback speed)."""
    done = callbacks.complete(
        handoff_id=task_id,
        at=datetime.now(UTC),
        actor=_actor(request),
        source=_source(request),
        uow=services.uow(),
    )
    return Task.of(done)


class AttemptIn(BaseModel):
    outcome: AttemptOutcome
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)
    then: Literal["done", "waiting", "open"] | None = None


@guarded.post("/callbacks/{task_id}/attempts")
def log_attempt(services: App, task_id: str, attempt: AttemptIn, request: Request) -> Task:
    """Log one callback attempt (outcome and note); `then` sets the status afterwards
    (default: in progress)."""
    logged = callbacks.record_attempt(
        handoff_id=task_id,
        outcome=attempt.outcome,
        note=attempt.note,
        then=None if attempt.then is None else HandoffStatus(attempt.then),
        at=datetime.now(UTC),
        uow=services.uow(),
        actor=_actor(request),
        source=_source(request),
    )
    return Task.of(logged.handoff)


router.include_router(guarded)
