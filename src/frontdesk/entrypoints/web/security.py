"""Twilio request signatures: every webhook proves it came from Twilio, or gets 403.

The signature covers the full URL Twilio requested and every POSTed field. Behind a proxy
the URL the application sees differs from the one Twilio called, so it is rebuilt from
`FRONTDESK_PUBLIC_URL` when that is set. A request that fails the check records nothing.

Sizes are capped at both ends of the check: a body over `MAX_REQUEST_BYTES` is refused (413)
before it is parsed, and once the signature holds, a field longer than Twilio ever sends
(`FIELD_LIMITS`: speech, a text's body, digits, addresses) is refused (413) before anything
reads it, so no input can make a turn slow or overflow a column.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request
from twilio.request_validator import RequestValidator

from frontdesk.adapters.db.tables import ADDRESS_LENGTH
from frontdesk.config import Settings

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

# Twilio's webhooks are a few kilobytes; this leaves room for the longest transcription.
MAX_REQUEST_BYTES = 64 * 1024
MAX_FIELDS = 200
# The longest each field may be, in characters: a text is at most 1,600 characters, speech
# results are a sentence or two, addresses are E.164 numbers, `client:` names or SIP URIs.
FIELD_LIMITS: Mapping[str, int] = {
    "SpeechResult": 4_000,
    "Body": 1_600,
    "Digits": 256,
    "From": ADDRESS_LENGTH,
    "To": ADDRESS_LENGTH,
    "Caller": ADDRESS_LENGTH,
    "Called": ADDRESS_LENGTH,
    "TranscriptionText": 20_000,
}
DEFAULT_FIELD_LIMIT = 2_048


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
    """FastAPI dependency: the request's form fields, once its size is within bounds (else
    413), its signature proven (else 403) and every field within its limit (else 413)."""
    settings: Settings = request.app.state.services.settings
    fields = _parse_form(await _capped_body(request), request.headers.get("content-type"))
    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else ""
    if not token:
        log.warning("twilio request refused: no auth token configured path=%s", request.url.path)
        raise HTTPException(status_code=403, detail="Twilio auth token is not configured")
    signature = request.headers.get(SIGNATURE_HEADER)
    if not is_valid(public_url(request, settings), fields, signature, token):
        log.warning("twilio request refused: bad signature path=%s", request.url.path)
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    for name, value in fields.items():
        if len(value) > FIELD_LIMITS.get(name, DEFAULT_FIELD_LIMIT):
            log.warning("twilio request refused: field %s too long path=%s", name, request.url.path)
            raise HTTPException(status_code=413, detail=f"field {name} is too long")
    return TwilioForm(fields)


async def _capped_body(request: Request) -> bytes:
    """The request body, refused (413) as soon as it is known to exceed `MAX_REQUEST_BYTES`:
    from its declared length before anything is read, else while it streams in."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HTTPException(status_code=400, detail="invalid Content-Length")
        if int(declared) > MAX_REQUEST_BYTES:
            raise HTTPException(status_code=413, detail="request body too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_REQUEST_BYTES:
            raise HTTPException(status_code=413, detail="request body too large")
    return bytes(body)


def _parse_form(body: bytes, content_type: str | None) -> dict[str, str]:
    """The fields of a URL-encoded form (what Twilio posts); anything else is a 4xx."""
    if body and (content_type or "").split(";")[0].strip().lower() != FORM_CONTENT_TYPE:
        raise HTTPException(status_code=415, detail=f"expected {FORM_CONTENT_TYPE}")
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(status_code=400, detail="malformed form body") from None
    return dict(pairs)
