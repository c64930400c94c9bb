"""`console_router()`: the router every console page is added to.

It checks the CSRF token of every state-changing request; the pages add the user they need
(`User`, `require_roles`, `require_section`). A test walks the application's routes and
fails if a console POST route lacks the check.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from frontdesk.entrypoints.web.console.csrf import check_csrf


def console_router(**kwargs: Any) -> APIRouter:
    """An `APIRouter` (same arguments) whose every route checks the CSRF token."""
    dependencies = [Depends(check_csrf), *kwargs.pop("dependencies", [])]
    kwargs.setdefault("include_in_schema", False)
    return APIRouter(dependencies=dependencies, **kwargs)
