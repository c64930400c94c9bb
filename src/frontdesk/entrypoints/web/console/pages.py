"""The console's own pages: sign in, second-factor enrolment, sign out, and home."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontdesk.bootstrap import Services
from frontdesk.domain.errors import Conflict, InvalidInput, SignInRefused
from frontdesk.domain.staff import SessionStage
from frontdesk.entrypoints.web.console import office_pages
from frontdesk.entrypoints.web.console.auth import (
    ENROL_PATH,
    User,
    console_session,
    cookie_name,
    enrolling,
    require_https,
    session_policy,
    source_of,
)
from frontdesk.entrypoints.web.console.csrf import LOGIN_COOKIE
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import staff
from frontdesk.services.staff import CurrentSession

router = console_router(tags=["console"])
App = Annotated[Services, Depends(services_of)]
Enrolling = Annotated[CurrentSession, Depends(enrolling)]
ISSUER = "Frontdesk"


def safe_next(value: str | None) -> str:
    """A local path to go to after sign-in; anything else (another host, `//x`) is home."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure (and `__Host-`) in production."""
    settings = services_of(request).settings
    response.set_cookie(
        cookie_name(settings),
        token,
        httponly=True,
        secure=settings.https_only or request.url.scheme == "https",
        samesite="lax",
        path="/",
    )


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, services: App, next: str = "/") -> Response:
    """The sign-in form (a signed-in person goes straight on)."""
    require_https(request, services.settings)
    session = await console_session(request)
    if session is not None and session.stage is SessionStage.FULL:
        return RedirectResponse(safe_next(next), status_code=303)
    notice = "You were signed out." if request.query_params.get("signed_out") else None
    return await render(
        request,
        "login.html",
        {"next_path": safe_next(next), "username": "", "error": None, "notice": notice},
    )


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    services: App,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    code: Annotated[str, Form(max_length=20)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the credentials; on success a new session (any old one ends) and a redirect."""
    require_https(request, services.settings)
    settings = services.settings
    old = request.cookies.get(cookie_name(settings))
    source = source_of(request)
    at = services.clock()
    if old:
        await run_in_threadpool(
            lambda: staff.sign_out(token=old, uow=services.uow(), at=at, source=source)
        )
    try:
        signed = await run_in_threadpool(
            lambda: staff.sign_in(
                username=username,
                password=password,
                code=code,
                source=source,
                require_totp=settings.totp_required,
                uow=services.uow(),
                passwords=services.passwords,
                at=at,
                policy=session_policy(settings),
            )
        )
    except SignInRefused as refused:
        message = "The username, password or code is not right."
        if refused.locked_until is not None:
            local = services.practice.local(refused.locked_until)
            message = (
                "Too many failed sign-ins: this account or address is locked until "
                f"{local:%H:%M}. Ask an admin if you need in sooner."
            )
        return await render(
            request,
            "login.html",
            {"next_path": safe_next(next), "username": username, "error": message, "notice": None},
            status_code=429 if refused.locked_until is not None else 401,
        )
    target = ENROL_PATH if signed.stage is SessionStage.ENROL else safe_next(next)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, signed.token)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
async def logout(request: Request, services: App) -> Response:
    """End the session and go back to the sign-in page."""
    token = request.cookies.get(cookie_name(services.settings))
    if token:
        source = source_of(request)
        await run_in_threadpool(
            lambda: staff.sign_out(
                token=token, uow=services.uow(), at=services.clock(), source=source
            )
        )
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    response.delete_cookie(cookie_name(services.settings), path="/")
    return response


@router.get(ENROL_PATH, response_class=HTMLResponse)
async def enrol_page(request: Request, services: App, session: Enrolling) -> Response:
    """The secret and `otpauth://` link to add to an authenticator app."""
    if session.stage is SessionStage.FULL:
        return RedirectResponse("/", status_code=303)
    enrolment = await run_in_threadpool(
        lambda: staff.begin_totp(
            user_id=session.user.id, issuer=ISSUER, uow=services.uow(), at=services.clock()
        )
    )
    return await render(request, "enrol.html", {"enrolment": enrolment, "codes": None})


@router.post(ENROL_PATH, response_class=HTMLResponse)
async def enrol(
    request: Request,
    services: App,
    session: Enrolling,
    code: Annotated[str, Form(max_length=20)],
) -> Response:
    """Confirm the authenticator with one code; show the recovery codes once."""
    token = request.cookies.get(cookie_name(services.settings), "")
    source = source_of(request)
    try:
        enrolled = await run_in_threadpool(
            lambda: staff.confirm_totp(
                user_id=session.user.id,
                code=code,
                token=token,
                uow=services.uow(),
                at=services.clock(),
                source=source,
            )
        )
    except (InvalidInput, Conflict) as exc:
        enrolment = await run_in_threadpool(
            lambda: staff.begin_totp(
                user_id=session.user.id, issuer=ISSUER, uow=services.uow(), at=services.clock()
            )
        )
        return await render(
            request,
            "enrol.html",
            {"enrolment": enrolment, "codes": None, "error": str(exc)},
            status_code=400,
        )
    response = await render(request, "enrol.html", {"codes": enrolled.codes, "enrolment": None})
    if enrolled.token is not None:
        # A session that gains full access gets a new id, as at sign-in.
        set_session_cookie(request, response, enrolled.token)
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, services: App, user: User) -> Response:
    """Home: the day at a glance (urgent items, callbacks due, appointments, inquiries)."""
    return await office_pages.home_page(request, services, user)
