"""Signing in to the console from a `TestClient`: staff accounts made through the real
services (with a fast Argon2 setting), and the login form filled as a browser would."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher

from frontdesk.adapters.passwords import Argon2Passwords
from frontdesk.bootstrap import Services
from frontdesk.domain import totp
from frontdesk.domain.staff import StaffAccount
from frontdesk.services import staff

PASSWORD = "correct horse battery staple"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def fast_passwords() -> Argon2Passwords:
    """Argon2id with the smallest cost: the same code path, a fraction of the time."""
    return Argon2Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def add_staff(
    services: Services,
    username: str,
    role: str,
    *,
    clinician_id: str | None = None,
    password: str = PASSWORD,
    at: datetime | None = None,
) -> StaffAccount:
    return staff.add_user(
        username=username,
        password=password,
        role=role,
        clinician_id=clinician_id,
        clinicians=[c.id for c in services.practice.clinicians],
        uow=services.uow(),
        passwords=services.passwords,
        at=at or services.clock(),
        actor="test",
    )


def enrol_totp(services: Services, account: StaffAccount, at: datetime) -> str:
    """Set up the account's second factor directly; returns its secret."""
    enrolment = staff.begin_totp(user_id=account.id, issuer="Frontdesk", uow=services.uow(), at=at)
    staff.confirm_totp(
        user_id=account.id,
        code=totp.code_at(enrolment.secret, at),
        token="none",
        uow=services.uow(),
        at=at,
    )
    return enrolment.secret


def form_token(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: Any, username: str, password: str = PASSWORD, code: str = "") -> Any:
    """Post the login form as a browser would; returns the response (not followed)."""
    client.headers.pop("X-CSRF-Token", None)
    page = client.get("/login")
    assert page.status_code == 200, page.text
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "code": code,
            "csrf_token": form_token(page.text),
        },
        follow_redirects=False,
    )


def signed_in_as(client: Any, username: str, password: str = PASSWORD, code: str = "") -> str:
    """Sign in and send the session's CSRF token with every later request; returns it."""
    response = sign_in(client, username, password, code)
    assert response.status_code == 303, response.text
    home = client.get("/")
    found = CSRF_META.search(home.text)
    assert found, home.text
    client.headers["X-CSRF-Token"] = found.group(1)
    return found.group(1)
