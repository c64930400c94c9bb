"""Twilio request signatures: every webhook proves it came from Twilio, or gets 403.

The signature covers the full URL Twilio requested and every POSTed field. Behind a proxy
the URL the application sees differs from the one Twilio called, so it is rebuilt from
`FRONTDESK_PUBLIC_URL` when that is set. A request that fails the check records nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import HTTPException, Request
from twilio.request_validator import RequestValidator

from frontdesk.config import Settings

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"


@dataclass(frozen=True, slots=True)
class TwilioForm:
    """The fields of a signed Twilio webhook."""

    fields: Mapping[str, str]

    def get(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value if value else None


def public_url(request: Request, settings: Settings) -> str:
    """The URL Twilio signed: `FRONTDESK_PUBLIC_URL` + path + query when set, else as seen."""
    if not settings.public_url:
        return str(request.url)
    query = request.url.query
    base = settings.public_url.rstrip("/")
    return f"{base}{request.url.path}" + (f"?{query}" if query else "")


def is_valid(url: str, fields: Mapping[str, str], signature: str | None, token: str) -> bool:
    """Whether `signature` is Twilio's signature of `url` and `fields` with `token`."""
    if not signature or not token:
        return False
    return bool(RequestValidator(token).validate(url, dict(fields), signature))


async def twilio_form(request: Request) -> TwilioForm:
    """FastAPI dependency: the request's form fields, once its signature is proven (else 403)."""
    settings: Settings = request.app.state.services.settings
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else ""
    if not token:
        log.warning("twilio request refused: no auth token configured path=%s", request.url.path)
        raise HTTPException(status_code=403, detail="Twilio auth token is not configured")
    signature = request.headers.get(SIGNATURE_HEADER)
    if not is_valid(public_url(request, settings), fields, signature, token):
        log.warning("twilio request refused: bad signature path=%s", request.url.path)
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return TwilioForm(fields)
