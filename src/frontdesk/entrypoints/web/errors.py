"""The one translation of `FrontdeskError` at the web edge, rendered by route group.

Twilio routes answer with TwiML (a caller never hears a stack trace: the call goes to the
fallback URL when the status is an error), the JSON API and the simulator with a JSON
problem, pages with plain HTML. Messages name ids and fields only.
"""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from frontdesk.adapters import twilio_voice as twiml
from frontdesk.domain.errors import (
    Conflict,
    FrontdeskError,
    InvalidInput,
    NotFound,
    NotPermitted,
)

log = logging.getLogger(__name__)

TWIML = "application/xml"


def status_of(exc: FrontdeskError) -> int:
    """The HTTP status for an error of the core."""
    if isinstance(exc, InvalidInput):
        return 400
    if isinstance(exc, NotPermitted):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict):
        return 409
    return 500


def render(request: Request, exc: FrontdeskError) -> Response:
    """The error as the route group speaks it."""
    status = status_of(exc)
    path = request.url.path
    log.warning("request failed path=%s status=%d error=%s", path, status, type(exc).__name__)
    if path.startswith("/twilio/sms"):
        return Response(twiml.message(None), status_code=status, media_type=TWIML)
    if path.startswith("/twilio/"):
        return Response(twiml.empty(), status_code=status, media_type=TWIML)
    if path.startswith(("/api/", "/simulator/api/")):
        return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status)
    body = f"<!doctype html><title>Error</title><p>{html.escape(str(exc))}</p>"
    return HTMLResponse(body, status_code=status)


def install(app: FastAPI) -> None:
    """Register the translation for every route of `app`."""

    async def handler(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, FrontdeskError):  # pragma: no cover - registered for it only
            raise exc
        return render(request, exc)

    app.add_exception_handler(FrontdeskError, handler)
