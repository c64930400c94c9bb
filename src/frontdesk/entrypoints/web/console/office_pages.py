"""The office pages: inquiries as a pipeline (filters, setting a stage), the call log with
search, one call's transcript, and the home page's day at a glance.

Routes translate HTTP only; the rules and the audit records live in `services.pipeline`,
`services.call_log` and `services.today`.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from frontdesk.bootstrap import Services
from frontdesk.domain.pipeline import InquiryStage
from frontdesk.domain.queue_access import may_change
from frontdesk.domain.staff import StaffUser
from frontdesk.entrypoints.web.console.auth import User, require_section, source_of
from frontdesk.entrypoints.web.console.formatting import helpers
from frontdesk.entrypoints.web.console.navigation import section
from frontdesk.entrypoints.web.console.queue_pages import call_service
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import call_log, pipeline, today

router = console_router(tags=["console"])
App = Annotated[Services, Depends(services_of)]
Office = Annotated[StaffUser, Depends(require_section("inquiries"))]
Caller = Annotated[StaffUser, Depends(require_section("calls"))]

STAGES = list(InquiryStage)
MODALITIES = [("in_person", "in person"), ("telehealth", "telehealth"), ("hybrid", "either")]
PAYMENTS = [("private_pay", "private pay"), ("sliding_scale", "sliding scale")]


def _choice(value: str, allowed: set[str], name: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise HTTPException(status_code=400, detail=f"Choose a {name} from the list.")
    return value


@router.get("/inquiries")
async def inquiries_page(
    request: Request,
    services: App,
    user: Office,
    stage: str = "",
    clinician: str = "",
    state: str = "",
    payer: str = "",
    modality: str = "",
    days: int = pipeline.DEFAULT_DAYS,
) -> Response:
    """New-client inquiries by stage, newest first, filtered by clinician, state, payer and
    modality."""
    practice = services.practice
    if not 1 <= days <= 366:
        raise HTTPException(status_code=400, detail="Days must be between 1 and 366.")
    payers = [(p.id, p.name) for p in practice.payers] + PAYMENTS
    where = pipeline.PipelineFilter(
        stage=None
        if not stage
        else InquiryStage(_choice(stage, {s.value for s in STAGES}, "stage") or stage),
        clinician=_choice(clinician, {c.id for c in practice.clinicians}, "clinician"),
        state=_choice(state.upper(), set(practice.states), "state"),
        payer=_choice(payer, {p for p, _ in payers}, "payer"),
        modality=_choice(modality, {m for m, _ in MODALITIES}, "modality"),
    )
    now = services.clock()
    entries = await call_service(
        lambda: pipeline.pipeline(
            uow=services.uow(),
            user=user,
            now=now,
            days=days,
            where=where,
            source=source_of(request),
        )
    )
    counts = Counter(e.stage for e in entries)
    return await render(
        request,
        "inquiries.html",
        {
            "entries": entries,
            "counts": [(s, counts[s]) for s in STAGES],
            "stages": STAGES,
            "clinicians": [(c.id, c.display_name) for c in practice.clinicians],
            "clinician_names": {c.id: c.display_name for c in practice.clinicians},
            "states": sorted(practice.states),
            "payers": payers,
            "payer_names": dict(payers),
            "modalities": MODALITIES,
            "chosen": {
                "stage": stage,
                "clinician": clinician,
                "state": state.upper(),
                "payer": payer,
                "modality": modality,
                "days": days,
            },
            "can_change": may_change(user),
            **helpers(practice, now),
        },
    )


@router.post("/inquiries/{inquiry_id}/stage")
async def set_stage(
    request: Request,
    services: App,
    user: Office,
    inquiry_id: str,
    stage: Annotated[str, Form()],
) -> Response:
    """Staff place an inquiry in the pipeline (declined, no response, or a correction)."""
    try:
        chosen = InquiryStage(stage)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="Choose a stage from the list.") from exc
    await call_service(
        lambda: pipeline.set_stage(
            uow=services.uow(),
            inquiry_id=inquiry_id,
            stage=chosen,
            at=services.clock(),
            user=user,
            source=source_of(request),
        )
    )
    return RedirectResponse("/inquiries", status_code=303)


@router.get("/calls")
async def calls_page(
    request: Request, services: App, user: Caller, q: str = "", days: int = 7
) -> Response:
    """The call log with route, intent and outcome; search by number or name."""
    now = services.clock()
    lines = await call_service(
        lambda: call_log.call_log(
            uow=services.uow(),
            user=user,
            now=now,
            days=days,
            query=q,
            source=source_of(request),
        )
    )
    return await render(
        request,
        "calls.html",
        {"lines": lines, "q": q, "days": days, **helpers(services.practice, now)},
    )


@router.get("/calls/{call_id}")
async def call_page(request: Request, services: App, user: Caller, call_id: str) -> Response:
    """One call: route, intent, outcome, its tasks and, where the role allows, the
    transcript and intake with the caller's words."""
    now = services.clock()
    view = await call_service(
        lambda: call_log.call_view(
            uow=services.uow(), user=user, call_id=call_id, now=now, source=source_of(request)
        )
    )
    return await render(request, "call.html", {"v": view, **helpers(services.practice, now)})


async def home_page(request: Request, services: Services, user: User) -> Response:
    """Home: urgent items, callbacks due today, today's appointments and new inquiries
    (for the roles that work the queue; others see their sections)."""
    now = services.clock()
    practice = services.practice
    if user.role not in section("queue").roles:
        return await render(request, "today.html", {"day": None, **helpers(practice, now)})
    day = await call_service(
        lambda: today.today(
            uow=services.uow(),
            practice=services.practice,
            user=user,
            now=now,
            source=source_of(request),
        )
    )
    return await render(
        request,
        "today.html",
        {
            "day": day,
            "clinician_names": {c.id: c.display_name for c in practice.clinicians},
            "live_ids": [e.item.handoff.id for e in day.urgent],
            "sees_inquiries": user.role in section("inquiries").roles,
            **helpers(practice, now),
        },
    )
