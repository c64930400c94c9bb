"""The staff console: server-rendered pages behind per-person sign-in.

`install(app)` adds the security middleware (host check and headers, for every route of
the application), the console's own pages (sign in, enrolment, sign out, home, users), its
stylesheet, and the translation of "sign in first" into a redirect. Pages of other parts
are routers made by `console_router()` that depend on `User` / `require_section` and render
with `render(request, "x.html", {...})` from templates that extend `base.html`.
See docs/console.md.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from frontdesk.config import Settings
from frontdesk.entrypoints.web.console import audit_pages, office_pages, pages, queue_pages, users
from frontdesk.entrypoints.web.console.auth import SignInRequired, login_location
from frontdesk.entrypoints.web.console.headers import SecurityHeaders
from frontdesk.entrypoints.web.console.render import render

PACKAGE = "frontdesk.entrypoints.web.console"
# Routes that answer machines, not people: their errors stay JSON or TwiML.
MACHINE_PREFIXES = ("/api/", "/twilio/", "/simulator/api/", "/healthz")
TITLES = {401: "Sign in required", 403: "Not open to you", 404: "Not found"}


def _is_page(request: Request) -> bool:
    accepts = request.headers.get("accept", "")
    return not request.url.path.startswith(MACHINE_PREFIXES) and "text/html" in accepts


def install(app: FastAPI, settings: Settings) -> None:
    """Add the console and the application-wide security headers to `app`."""

    async def sign_in_first(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, SignInRequired):  # pragma: no cover - registered for it only
            raise exc
        if request.url.path.startswith(MACHINE_PREFIXES):
            return JSONResponse({"detail": "sign in to the console first"}, status_code=401)
        if request.method in ("GET", "HEAD"):
            return RedirectResponse(login_location(exc), status_code=303)
        return await render(
            request,
            "error.html",
            {"title": TITLES[401], "message": "Your session has ended: sign in again."},
            status_code=401,
        )

    async def page_errors(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, StarletteHTTPException):  # pragma: no cover - registered for it
            raise exc
        if not _is_page(request) or (exc.status_code not in TITLES and exc.status_code != 400):
            return await http_exception_handler(request, exc)
        title = TITLES.get(exc.status_code, "Request refused")
        message = str(exc.detail)
        return await render(
            request, "error.html", {"title": title, "message": message}, status_code=exc.status_code
        )

    app.add_exception_handler(SignInRequired, sign_in_first)
    app.add_exception_handler(StarletteHTTPException, page_errors)
    app.add_middleware(SecurityHeaders, settings=settings)
    app.include_router(pages.router)
    app.include_router(users.router)
    app.include_router(audit_pages.router)
    app.include_router(queue_pages.router)
    app.include_router(office_pages.router)
    static = resources.files(PACKAGE).joinpath("static")
    app.mount("/console/static", StaticFiles(directory=str(static)), name="console-static")
