"""`/users`: admins list, add, disable, enable and reset staff accounts (as `frontdesk users`).

Each change goes through the same use cases as the CLI, with the admin as the actor and the
request's address as the source; a new or reset password is generated here and shown once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from frontdesk.bootstrap import Services
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.staff import Role, StaffAccount, StaffUser
from frontdesk.entrypoints.web.console.auth import require_section, source_of
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import staff

router = console_router(tags=["console"])
App = Annotated[Services, Depends(services_of)]
Admin = Annotated[StaffUser, Depends(require_section("users"))]
Name = Annotated[str, Form(max_length=64)]


def _new_password() -> str:
    return secrets.token_urlsafe(18)


async def _page(
    request: Request,
    services: Services,
    *,
    notice: str | None = None,
    error: str | None = None,
    password_for: str | None = None,
    password: str | None = None,
    status_code: int = 200,
) -> Response:
    accounts = await run_in_threadpool(lambda: staff.list_users(uow=services.uow()))
    return await render(
        request,
        "users.html",
        {
            "accounts": accounts,
            "roles": [r.value for r in Role],
            "clinicians": services.practice.clinicians,
            "notice": notice,
            "error": error,
            "password_for": password_for,
            "password": password,
        },
        status_code=status_code,
    )


@router.get("/users", response_class=HTMLResponse)
async def users_page(request: Request, services: App, admin: Admin) -> Response:
    """Every account with its role, state and second factor."""
    return await _page(request, services)


@router.post("/users", response_class=HTMLResponse)
async def add_user(
    request: Request,
    services: App,
    admin: Admin,
    username: Name,
    role: Annotated[str, Form(max_length=32)],
    clinician: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Add an account with a generated password, shown once."""
    password = _new_password()
    source = source_of(request)
    return await _change(
        request,
        services,
        lambda: staff.add_user(
            username=username,
            password=password,
            role=role,
            clinician_id=clinician or None,
            clinicians=[c.id for c in services.practice.clinicians],
            uow=services.uow(),
            passwords=services.passwords,
            at=services.clock(),
            actor=admin.actor,
            source=source,
        ),
        lambda account: f"Added {account.user.username}.",
        password=password,
    )


async def _set_disabled(
    request: Request, services: Services, admin: StaffUser, username: str, *, disabled: bool
) -> Response:
    source = source_of(request)
    state = "disabled; its sessions ended" if disabled else "enabled"
    return await _change(
        request,
        services,
        lambda: staff.set_disabled(
            username=username,
            disabled=disabled,
            uow=services.uow(),
            at=services.clock(),
            actor=admin.actor,
            source=source,
        ),
        lambda account: f"{account.user.username} is {state}.",
    )


@router.post("/users/disable", response_class=HTMLResponse)
async def disable_user(request: Request, services: App, admin: Admin, username: Name) -> Response:
    """Disable an account; its sessions end at once (the last admin cannot be)."""
    return await _set_disabled(request, services, admin, username, disabled=True)


@router.post("/users/enable", response_class=HTMLResponse)
async def enable_user(request: Request, services: App, admin: Admin, username: Name) -> Response:
    """Enable a disabled account again."""
    return await _set_disabled(request, services, admin, username, disabled=False)


@router.post("/users/reset", response_class=HTMLResponse)
async def reset_user(
    request: Request,
    services: App,
    admin: Admin,
    username: Name,
    second_factor: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """A new generated password (shown once), optionally a new second-factor enrolment."""
    password = _new_password()
    source = source_of(request)
    return await _change(
        request,
        services,
        lambda: staff.reset_password(
            username=username,
            password=password,
            uow=services.uow(),
            passwords=services.passwords,
            at=services.clock(),
            actor=admin.actor,
            reset_totp=bool(second_factor),
            source=source,
        ),
        lambda account: f"New password for {account.user.username}; their sessions ended.",
        password=password,
    )


async def _change(
    request: Request,
    services: Services,
    change: Callable[[], StaffAccount],
    notice: Callable[[StaffAccount], str],
    *,
    password: str | None = None,
) -> Response:
    """Make an account change off the event loop, then show the page with its notice (and
    the new `password`, once), or with the reason it was refused."""
    try:
        account = await run_in_threadpool(change)
    except (InvalidInput, Conflict, NotFound) as exc:
        return await _page(request, services, error=str(exc), status_code=400)
    return await _page(
        request,
        services,
        notice=notice(account),
        password_for=None if password is None else account.user.username,
        password=password,
    )
