"""Cross-site request forgery: every state-changing console request carries a token.

Forms put `{{ csrf_field() }}` inside (a hidden `csrf_token` field); scripts send the same
token as the `X-CSRF-Token` header (it is in the page's `<meta name="csrf-token">`). The
token is the session's own, random and kept on the server; before sign-in (the login
form) it is a random value also set in a `SameSite=Strict` cookie, which a page on another
site can neither read nor send. `check_csrf` refuses (403) any POST, PUT, PATCH or DELETE
whose token does not match; every console router has it (`console_router`).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request, Response

from frontdesk.entrypoints.web.console.auth import console_session
from frontdesk.entrypoints.web.dependencies import services_of

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
LOGIN_COOKIE = "frontdesk_login_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STATE_KEY = "login_csrf"


async def csrf_token(request: Request) -> str:
    """The token a form on this page must send back: the session's, or before sign-in the
    login cookie's (a new one is made when there is none; `set_login_cookie` stores it)."""
    session = await console_session(request)
    if session is not None:
        return session.csrf_token
    state = request.scope.setdefault("state", {})
    if STATE_KEY not in state:
        state[STATE_KEY] = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    token: str = state[STATE_KEY]
    return token


def set_login_cookie(request: Request, response: Response) -> None:
    """Store the pre-sign-in token made for this page (if one was made) in its cookie."""
    token = request.scope.get("state", {}).get(STATE_KEY)
    if token and request.cookies.get(LOGIN_COOKIE) != token:
        response.set_cookie(
            LOGIN_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=services_of(request).settings.https_only,
            path="/",
        )


async def _given(request: Request) -> str:
    header = request.headers.get(HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def check_csrf(request: Request) -> None:
    """FastAPI dependency: 403 unless a state-changing request carries the right token."""
    if request.method in SAFE_METHODS:
        return
    session = await console_session(request)
    expected = session.csrf_token if session is not None else request.cookies.get(LOGIN_COOKIE)
    given = await _given(request)
    if not expected or not given or not hmac.compare_digest(given, expected):
        raise HTTPException(status_code=403, detail="the form has expired: reload the page")
