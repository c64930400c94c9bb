"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), with the standard library.

Six digits, 30-second steps, HMAC-SHA1: what every authenticator app reads from an
`otpauth://` URI. A code is accepted one step either side of now (clock drift), and a
verifier returns the step it matched so the caller can refuse the same code twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from datetime import datetime
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA1


def new_secret() -> str:
    """A fresh random secret, base32 without padding (as authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(secret: str, counter: int) -> str:
    """The HOTP value of `counter` (RFC 4226 section 5.3)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def step_of(at: datetime) -> int:
    """The time step that contains `at`."""
    return int(at.timestamp()) // STEP_SECONDS


def code_at(secret: str, at: datetime) -> str:
    """The code an authenticator shows at `at`."""
    return hotp(secret, step_of(at))


def verify(secret: str, code: str, at: datetime, *, after_step: int | None = None) -> int | None:
    """The step `code` matches within the drift window around `at`, or None.

    Steps at or before `after_step` (the last one accepted) never match: a code works once.
    """
    given = code.replace(" ", "")
    if len(given) != DIGITS or not given.isdigit():
        return None
    now = step_of(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(hotp(secret, step), given):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The `otpauth://totp/...` URI an authenticator app imports."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"
