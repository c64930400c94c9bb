"""Pages: `/reports` (the measured report) and `/roi` (the ROI planning calculator).

Both are rendered on the server as self-contained HTML: no scripts, stylesheets or images
from any other host. The report shows practice figures (counts, never caller details), so
it needs the API bearer token or a console session of a role the Reports section admits
(a browser without one is sent to sign in); the calculator needs none.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy import Engine

from frontdesk.analytics.html import RoiForm, render_html, render_roi_html
from frontdesk.analytics.queries import DEFAULT_RECOVERY_WINDOW, read_engine
from frontdesk.analytics.report import build_report, date_range
from frontdesk.bootstrap import Services
from frontdesk.domain.staff import SessionStage
from frontdesk.entrypoints.web.api import access, bearer_actor
from frontdesk.entrypoints.web.console.auth import SignInRequired, console_session
from frontdesk.entrypoints.web.console.navigation import section
from frontdesk.entrypoints.web.console.render import render as render_page
from frontdesk.entrypoints.web.dependencies import services_of

router = APIRouter(tags=["reports"])
App = Annotated[Services, Depends(services_of)]
MAX_RECOVERY_HOURS = 24 * 30
REFERENCE = RoiForm()  # the reference case fills an empty form


async def reports_access(request: Request) -> str:
    """FastAPI dependency: the bearer token, or a session of a role the Reports section
    admits; a browser with neither is sent to sign in."""
    if bearer_actor(request) is None and not request.headers.get("Authorization"):
        session = await console_session(request)
        if session is None and "text/html" in request.headers.get("accept", ""):
            raise SignInRequired(request.url.path)
    return await access(request, section("reports").roles)


@lru_cache(maxsize=4)
def _engine(database_url: str) -> Engine:
    """One read engine per database, made on the first report request."""
    return read_engine(database_url)


@router.get("/reports", response_class=HTMLResponse, dependencies=[Depends(reports_access)])
async def reports_page(
    request: Request,
    services: App,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    recovery_hours: Annotated[int, Query(ge=1, le=MAX_RECOVERY_HOURS)] = int(
        DEFAULT_RECOVERY_WINDOW.total_seconds() // 3600
    ),
) -> HTMLResponse:
    """The measured report for `from`..`to` (default the last 30 days), as one HTML page."""
    practice = services.practice
    today = practice.local(services.clock()).date()
    first, last = date_range(start, end, today=today)

    def render() -> str:
        report = build_report(
            _engine(services.settings.database_url),
            practice,
            start=first,
            end=last,
            recovery_window=timedelta(hours=recovery_hours),
        )
        return render_html(report, form=True, fragment=in_console)

    in_console = await _signed_in(request)
    page = await run_in_threadpool(render)
    if in_console:
        return await _in_console(request, "Reports", page)
    return HTMLResponse(page)


@router.get("/roi", response_class=HTMLResponse)
async def roi_page(
    request: Request,
    monthly_calls: str = REFERENCE.monthly_calls,
    intent_rate: str = REFERENCE.intent_rate,
    lift: str = REFERENCE.lift,
    first_session_value: str = REFERENCE.first_session_value,
) -> HTMLResponse:
    """The ROI planning calculator; invalid inputs are shown on the page with status 400."""
    form = RoiForm(
        monthly_calls=monthly_calls,
        intent_rate=intent_rate,
        lift=lift,
        first_session_value=first_session_value,
    )
    in_console = await _signed_in(request)
    page, valid = render_roi_html(form, fragment=in_console)
    status = 200 if valid else 400
    if in_console:
        return await _in_console(request, "ROI planning estimate", page, status_code=status)
    return HTMLResponse(page, status_code=status)


async def _signed_in(request: Request) -> bool:
    """A person signed in to the console (not a token): the page gets the console's layout
    and navigation; a token's client gets the self-contained page."""
    if request.headers.get("Authorization"):
        return False
    session = await console_session(request)
    return session is not None and session.stage is SessionStage.FULL


async def _in_console(
    request: Request, title: str, body: str, *, status_code: int = 200
) -> HTMLResponse:
    # The fragment comes from the analytics templates, which escape every value.
    return await render_page(
        request,
        "analytics_page.html",
        {"title": title, "body": Markup(body)},  # noqa: S704 - rendered by an autoescaping template
        status_code=status_code,
    )
