"""`/audit`: the audit log for auditors and admins, read-only, and a check of its chain.

Entries are listed newest first, filtered by actor, action, object kind and id, and day
range; `/audit/verify` walks the whole hash chain (optionally against a kept anchor) and
names the first broken record. Looking at the log is itself recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from frontdesk.bootstrap import Services
from frontdesk.domain.audit import AuditAction, AuditRecord
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.staff import StaffUser
from frontdesk.entrypoints.web.console.auth import require_section, source_of
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import audit

router = console_router(tags=["console"])
App = Annotated[Services, Depends(services_of)]
Reader = Annotated[StaffUser, Depends(require_section("audit"))]
Filter = Annotated[str, Query(max_length=100)]
MAX_ROWS = 500
OBJECT_KIND = "audit_log"


def _start(services: Services, day: date | None, *, end: bool = False) -> datetime | None:
    """The UTC moment a practice-local day starts (or, with `end`, the next one starts)."""
    if day is None:
        return None
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=services.practice.zone)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request,
    services: App,
    user: Reader,
    actor: Filter = "",
    action: Filter = "",
    kind: Filter = "",
    object_id: Filter = "",
    since: Annotated[date | None, Query(alias="from")] = None,
    until: Annotated[date | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_ROWS)] = 100,
) -> Response:
    """The newest entries that match every filter given."""
    source = source_of(request)

    def read() -> list[AuditRecord]:
        found = audit.entries(
            uow=services.uow(),
            actor=actor.strip() or None,
            action=action.strip() or None,
            object_kind=kind.strip() or None,
            object_id=object_id.strip() or None,
            since=_start(services, since),
            until=_start(services, until, end=True),
            limit=limit,
        )
        audit.record_standalone(
            uow=services.uow(),
            actor=user.actor,
            action=AuditAction.VIEW,
            object_kind=OBJECT_KIND,
            source=source,
            detail=f"rows={len(found)}",
            at=services.clock(),
        )
        return found

    records = await run_in_threadpool(read)
    filters = {
        "actor": actor,
        "action": action,
        "kind": kind,
        "object_id": object_id,
        "from": since.isoformat() if since else "",
        "to": until.isoformat() if until else "",
        "limit": limit,
    }
    return await render(
        request,
        "audit.html",
        {"records": records, "filters": filters, "zone": services.practice.zone},
    )


@router.get("/audit/verify", response_class=HTMLResponse)
async def verify_page(
    request: Request, services: App, user: Reader, anchor: Filter = ""
) -> Response:
    """Walk the chain; with an anchor, also check that it is still on the chain."""
    source = source_of(request)

    def check() -> audit.ChainReport:
        report = audit.verify(uow=services.uow(), anchor=anchor.strip() or None)
        audit.record_standalone(
            uow=services.uow(),
            actor=user.actor,
            action="verify",
            object_kind=OBJECT_KIND,
            source=source,
            detail=f"records={report.records} ok={'yes' if report.ok else 'no'}",
            at=services.clock(),
        )
        return report

    try:
        report = await run_in_threadpool(check)
    except InvalidInput as exc:
        return await render(
            request,
            "audit_verify.html",
            {"report": None, "error": str(exc), "anchor": anchor},
            status_code=400,
        )
    return await render(
        request, "audit_verify.html", {"report": report, "error": None, "anchor": anchor}
    )
