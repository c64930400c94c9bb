"""`render(request, "page.html", {...})`: a console page in the base layout.

Every template gets `user` (the signed-in `StaffUser` or None), `nav` (the sections the
user may open, with the current one marked), `csrf_field()` and `csrf_token` for forms,
`csp_nonce` for an inline script, and `practice` (the practice's name). Autoescaping is on.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from frontdesk.domain.staff import SessionStage
from frontdesk.entrypoints.web.console.auth import console_session
from frontdesk.entrypoints.web.console.csrf import FIELD, csrf_token, set_login_cookie
from frontdesk.entrypoints.web.console.headers import NONCE_KEY
from frontdesk.entrypoints.web.console.navigation import visible_to
from frontdesk.entrypoints.web.dependencies import services_of

PACKAGE = "frontdesk.entrypoints.web.console"
HIDDEN_FIELD = Markup('<input type="hidden" name="{}" value="{}">')  # `format` escapes values


@cache
def environment() -> Environment:
    """The console's templates; other packages' templates may be added as loaders later."""
    return Environment(
        loader=PackageLoader(PACKAGE, "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


async def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """The page `template` (which extends `base.html`) rendered with `context`."""
    session = await console_session(request)
    user = session.user if session is not None else None
    sections = visible_to(user.role) if session is not None and user is not None else []
    if session is not None and session.stage is not SessionStage.FULL:
        sections = []
    token = await csrf_token(request)
    current = request.url.path
    nav = [
        {
            "label": s.label,
            "path": s.path,
            "current": current == s.path or (s.path != "/" and current.startswith(s.path + "/")),
        }
        for s in sections
    ]
    values: dict[str, Any] = {
        "user": user,
        "nav": nav,
        "csrf_token": token,
        "csrf_field": lambda: HIDDEN_FIELD.format(FIELD, token),
        "csp_nonce": request.scope.get("state", {}).get(NONCE_KEY, ""),
        "practice": services_of(request).practice.name,
        "request_path": current,
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    set_login_cookie(request, response)
    return response
