"""Who is asking: the signed-in `StaffUser` of a request, as FastAPI dependencies.

    user: Annotated[StaffUser, Depends(signed_in)]            any signed-in person
    dependencies=[Depends(require_roles(Role.ADMIN))]         these roles only (else 403)
    dependencies=[Depends(require_section("queue"))]          the roles of a nav section

A browser without a live session is sent to `/login` (GET) or refused with 401 (other
methods); a session still enrolling its second factor is sent to enrol first. Each use
restarts the session's idle clock, except the requests a page makes by itself
(`BACKGROUND_PATHS`, the live alerts' polling): a page left open still signs out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from frontdesk.bootstrap import Services
from frontdesk.config import Settings
from frontdesk.domain.staff import Role, SessionStage, StaffUser
from frontdesk.entrypoints.web.console.navigation import section
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import staff
from frontdesk.services.staff import CurrentSession, SessionPolicy

COOKIE = "frontdesk_session"
SECURE_COOKIE = "__Host-frontdesk_session"  # the browser keeps it for https and this host only
SESSION_KEY = "console_session"
ENROL_PATH = "/account/second-factor"
BACKGROUND_PATHS = frozenset({"/queue/live"})
"""Requests a page sends on its own, never a person's doing: they leave the idle clock be."""


class SignInRequired(Exception):
    """No live session: GET requests are redirected to the login page."""

    def __init__(self, next_path: str, *, enrol: bool = False) -> None:
        super().__init__("sign in required")
        self.next_path = next_path
        self.enrol = enrol


def cookie_name(settings: Settings) -> str:
    return SECURE_COOKIE if settings.https_only else COOKIE


def session_policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        idle=timedelta(seconds=settings.session_idle_seconds),
        lifetime=timedelta(hours=settings.session_lifetime_hours),
    )


def source_of(request: Request) -> str | None:
    """The client address (behind a proxy, as the proxy reports it to uvicorn)."""
    return request.client.host if request.client else None


def require_https(request: Request, settings: Settings) -> None:
    """In production the console is HTTPS only: a session cookie never travels in clear."""
    if settings.https_only and request.url.scheme != "https":
        raise HTTPException(status_code=400, detail="the console is served over HTTPS only")


def _next_path(request: Request) -> str:
    path = request.url.path
    return path + (f"?{request.url.query}" if request.url.query else "")


async def console_session(request: Request) -> CurrentSession | None:
    """The request's live session (looked up once per request), or None."""
    if SESSION_KEY in request.scope.get("state", {}):
        cached: CurrentSession | None = getattr(request.state, SESSION_KEY)
        return cached
    services: Services = services_of(request)
    token = request.cookies.get(cookie_name(services.settings))
    found = None
    if token:
        found = await run_in_threadpool(
            lambda: staff.current_session(
                token=token,
                uow=services.uow(),
                at=services.clock(),
                policy=session_policy(services.settings),
                touch=request.url.path not in BACKGROUND_PATHS,
            )
        )
    setattr(request.state, SESSION_KEY, found)
    return found


Session = Annotated[CurrentSession | None, Depends(console_session)]


async def enrolling(request: Request, session: Session) -> CurrentSession:
    """A session, full or still enrolling its second factor (for the enrolment page)."""
    require_https(request, services_of(request).settings)
    if session is None:
        raise SignInRequired(_next_path(request))
    return session


async def signed_in(request: Request, session: Session) -> StaffUser:
    """The signed-in person; refuses read-only users anything but reading."""
    require_https(request, services_of(request).settings)
    if session is None:
        raise SignInRequired(_next_path(request))
    if session.stage is SessionStage.ENROL:
        raise SignInRequired(_next_path(request), enrol=True)
    if session.user.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
        raise HTTPException(status_code=403, detail="this account is read-only")
    return session.user


User = Annotated[StaffUser, Depends(signed_in)]


@dataclass(frozen=True, slots=True)
class _RoleGuard:
    roles: frozenset[Role]

    async def __call__(self, user: User) -> StaffUser:
        if user.role not in self.roles:
            raise HTTPException(status_code=403, detail="this page is not open to your role")
        return user


def require_roles(*roles: Role) -> Callable[..., object]:
    """A dependency that gives the signed-in user when their role is one of `roles`."""
    return _RoleGuard(frozenset(roles))


def require_section(name: str) -> Callable[..., object]:
    """A dependency that admits the roles of the navigation section called `name`."""
    return _RoleGuard(section(name).roles)


def login_location(error: SignInRequired) -> str:
    if error.enrol:
        return ENROL_PATH
    return "/login?next=" + quote(error.next_path, safe="/")
