"""The Scripts page: the script library line by line, for the clinical lead to review.

Front desk and admins read it; only an admin (the clinical lead) edits or approves a line
(`services.script_review`). Each form carries the digest of the text it showed, so a line
changed meanwhile is refused rather than overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontdesk.adapters.practice_file import script_library_path
from frontdesk.bootstrap import Services
from frontdesk.domain.errors import Conflict, FrontdeskError, NotFound
from frontdesk.domain.staff import Role, StaffUser
from frontdesk.entrypoints.web.console.auth import require_roles, require_section, source_of
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import script_review, staff
from frontdesk.services.staff_audit import ChangedBy

router = console_router(tags=["console"])
Reader = Annotated[StaffUser, Depends(require_section("scripts"))]
Lead = Annotated[StaffUser, Depends(require_roles(Role.ADMIN))]
App = Annotated[Services, Depends(services_of)]
NOTICES = {"approved": "Approved.", "edited": "Saved; the line now needs approval."}
FILTERS = ("all", "waiting", "approved")


def _library(services: Services) -> Path:
    """The script file the practice names; the packaged defaults cannot be reviewed here."""
    practice_file = services.practice_file
    path = script_library_path(practice_file) if practice_file is not None else None
    if path is None:
        raise HTTPException(
            status_code=404,
            detail="the practice uses the packaged default script library: run `frontdesk "
            "init` for an editable copy and name it in the practice file (`scripts:`)",
        )
    return path


@router.get("/scripts", response_class=HTMLResponse)
async def scripts_page(
    request: Request,
    user: Reader,
    services: App,
    show: str = "all",
    notice: str | None = None,
) -> Response:
    """Every line with its text, placeholders and review state."""
    path = _library(services)
    review = await run_in_threadpool(lambda: script_review.overview(path=path, uow=services.uow()))
    return await _page(request, user, review, show, NOTICES.get(notice or ""), None, services)


async def _page(
    request: Request,
    user: StaffUser,
    review: script_review.LibraryReview,
    show: str,
    notice: str | None,
    error: tuple[str, str, str] | None,
    services: Services,
    status_code: int = 200,
) -> Response:
    show = _show(show)
    lines = [
        s
        for s in review.lines
        if show == "all" or (s.approved if show == "approved" else not s.approved)
    ]
    return await render(
        request,
        "scripts.html",
        {
            "review": review,
            "lines": lines,
            "show": show,
            "filters": FILTERS,
            "lead": user.role is Role.ADMIN,
            "notice": notice,
            "error": error,  # (line id, message, the text as typed)
            "who": await run_in_threadpool(lambda: _usernames(services)),
        },
        status_code=status_code,
    )


def _usernames(services: Services) -> dict[str, str]:
    """Actor (`user:<id>`) -> username, so reviewers are shown by the name they sign in with."""
    return {a.user.actor: a.user.username for a in staff.list_users(uow=services.uow())}


def _by(request: Request, user: StaffUser) -> ChangedBy:
    return ChangedBy(user.actor, source_of(request))


@router.post("/scripts/{line_id}/approve")
async def approve(
    request: Request,
    user: Lead,
    services: App,
    line_id: str,
    seen: Annotated[str, Form(max_length=64)],
    show: Annotated[str, Form(max_length=16)] = "all",
) -> Response:
    """Approve a line as it now reads."""
    path = _library(services)
    try:
        await _apply(
            lambda: script_review.approve(
                path=path,
                line_id=line_id,
                seen=seen,
                at=services.clock(),
                uow=services.uow(),
                by=_by(request, user),
            )
        )
    except Conflict as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from None
    return _back(show, "approved", line_id)


@router.post("/scripts/{line_id}/edit", response_class=HTMLResponse)
async def edit(
    request: Request,
    user: Lead,
    services: App,
    line_id: str,
    seen: Annotated[str, Form(max_length=64)],
    text: Annotated[str, Form(max_length=4000)],
    show: Annotated[str, Form(max_length=16)] = "all",
) -> Response:
    """Save a line's new text (its placeholders kept); it then needs approval."""
    path = _library(services)
    try:
        await _apply(
            lambda: script_review.edit(
                path=path,
                line_id=line_id,
                text=text,
                seen=seen,
                at=services.clock(),
                uow=services.uow(),
                by=_by(request, user),
            )
        )
    except FrontdeskError as exc:
        review = await run_in_threadpool(
            lambda: script_review.overview(path=path, uow=services.uow())
        )
        return await _page(
            request,
            user,
            review,
            _show(show),
            None,
            (line_id, str(exc), text),
            services,
            status_code=409,
        )
    return _back(show, "edited", line_id)


async def _apply(change: Callable[[], object]) -> None:
    """Make a review change off the event loop; a line that does not exist is a 404."""
    try:
        await run_in_threadpool(change)
    except NotFound:
        raise HTTPException(status_code=404, detail="no such script line") from None


def _back(show: str, notice: str, line_id: str) -> RedirectResponse:
    """Back to the line on the list it was changed from, with the notice of the change."""
    return RedirectResponse(f"/scripts?show={_show(show)}&notice={notice}#{line_id}", 303)


def _show(value: str) -> str:
    return value if value in FILTERS else "all"
