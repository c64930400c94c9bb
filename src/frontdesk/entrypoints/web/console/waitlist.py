"""The Waitlist page: who is waiting, with what needs, for how long, and what suits them.

"Offer now" hands one suitable open time to the waitlist service, which offers it to
every waiting entry it suits, oldest first (the text, the hold and the acceptance are the
same as for a cancelled appointment's time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontdesk.bootstrap import Services
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.calendar import Slot
from frontdesk.domain.errors import FrontdeskError
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.staff import StaffUser
from frontdesk.entrypoints.web.console.auth import require_section, source_of
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import audit, staff_booking, waitlist_board

router = console_router(tags=["console"])
WaitlistUser = Annotated[StaffUser, Depends(require_section("waitlist"))]
App = Annotated[Services, Depends(services_of)]
NOTICES = {
    "offered": "Offered: the first waiting client it suits has been texted.",
    "nobody": "Nobody waiting suits that time any more; nothing was sent.",
}


def slot_value(slot: Slot) -> str:
    return "|".join(
        [
            slot.kind.value,
            slot.clinician_id,
            slot.start.isoformat(),
            slot.modality.value,
            slot.location_id or "",
        ]
    )


@router.get("/waitlist", response_class=HTMLResponse)
async def waitlist_page(
    request: Request, user: WaitlistUser, services: App, notice: str | None = None
) -> Response:
    """Waiting entries, oldest first, each with the open times that suit it now."""
    practice = services.practice
    rows = await run_in_threadpool(
        lambda: waitlist_board.board(now=services.clock(), uow=services.uow(), practice=practice)
    )
    await run_in_threadpool(
        lambda: audit.record_standalone(
            uow=services.uow(),
            actor=user.actor,
            action=AuditAction.VIEW.value,
            object_kind="waitlist",
            source=source_of(request),
            detail=f"rows={len(rows)}",
        )
    )
    return await render(
        request,
        "waitlist.html",
        {
            "rows": rows,
            "zone": practice.zone,
            "clinician_names": {c.id: c.name for c in practice.clinicians},
            "location_names": {loc.id: loc.name for loc in practice.locations},
            "payer_names": {p.id: p.name for p in practice.payers},
            "slot_value": slot_value,
            "notice": NOTICES.get(notice or ""),
            "days_ahead": waitlist_board.DAYS_AHEAD,
        },
    )


@router.post("/waitlist/offer")
async def offer_now(
    request: Request,
    user: WaitlistUser,
    services: App,
    slot: Annotated[str, Form(max_length=200)],
) -> Response:
    """Offer one open time to the waitlist now."""
    practice = services.practice
    try:
        kind, clinician_id, start, modality, location = slot.split("|")
        chosen = staff_booking.slot_at(
            practice,
            clinician_id=clinician_id,
            start=datetime.fromisoformat(start),
            kind=ServiceKind(kind),
            modality=Modality(modality),
            location_id=location or None,
        )
    except (ValueError, FrontdeskError):
        raise HTTPException(status_code=400, detail="choose one of the listed times") from None
    at = services.clock()
    try:
        opening_id = await run_in_threadpool(
            lambda: waitlist_board.offer_now(
                slot=chosen, at=at, uow=services.uow(), practice=practice
            )
        )
    except FrontdeskError as exc:
        raise HTTPException(status_code=409, detail=f"{exc}: reload the page") from None
    if opening_id is not None:
        await run_in_threadpool(
            lambda: audit.record_standalone(
                uow=services.uow(),
                actor=user.actor,
                action=AuditAction.CREATE.value,
                object_kind="opening",
                object_id=opening_id,
                source=source_of(request),
                detail="offered=waitlist",
            )
        )
    notice = "offered" if opening_id is not None else "nobody"
    return RedirectResponse(f"/waitlist?notice={notice}", status_code=303)
