"""What routes receive: the services built by `create_app`, a time limit for slow work, and
the same limit for work that may fail (the edge then answers on its own)."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from frontdesk.adapters import twilio_voice as twiml
from frontdesk.bootstrap import Services
from frontdesk.domain.errors import InvalidInput, NotFound
from frontdesk.domain.practice import Practice
from frontdesk.entrypoints.web.edge_pages import EdgePager
from frontdesk.services.telephony import VoiceDeps

T = TypeVar("T")

log = logging.getLogger(__name__)


def services_of(request: Request) -> Services:
    """The application's services (FastAPI dependency)."""
    services: Services = request.app.state.services
    return services


def voice_of(request: Request) -> VoiceDeps:
    """The phone use cases' dependencies (FastAPI dependency)."""
    deps: VoiceDeps = request.app.state.voice
    return deps


def pager_of(request: Request) -> EdgePager:
    """The edge's direct pager (FastAPI dependency)."""
    pager: EdgePager = request.app.state.pager
    return pager


def voice_settings(services: Services) -> twiml.Voice:
    """The practice's language and speech hints: clinician names, payers and states."""
    practice = services.practice
    known = _VOICES.get(id(practice))
    if known is None or known[0] is not practice:
        known = (practice, _voice_settings(practice))
        _VOICES[id(practice)] = known
    return known[1]


_VOICES: dict[int, tuple[Practice, twiml.Voice]] = {}


def _voice_settings(practice: Practice) -> twiml.Voice:
    words: list[str] = [c.name for c in practice.clinicians]
    for payer in practice.payers:
        words.extend((payer.name, *payer.aliases))
    words.extend(sorted(practice.states))
    words.extend(location.name for location in practice.locations)
    return twiml.Voice(language=practice.language, hints=twiml.hints_of(words))


async def within(seconds: float, work: Callable[[], T]) -> T | None:
    """Run blocking `work` in a worker thread; None when it takes longer than `seconds`.

    Work that overruns keeps running to its commit, so nothing it started is lost; the
    caller is answered without waiting for it.
    """
    # Submitted before waiting, so even a zero budget starts the work.
    future = asyncio.get_running_loop().run_in_executor(None, contextvars.copy_context().run, work)
    try:
        return await asyncio.wait_for(asyncio.shield(future), timeout=seconds)
    except TimeoutError:
        return None


async def attempt(seconds: float, work: Callable[[], T], *, route: str) -> T | None:
    """`within`, and None too when `work` fails (the database down, refusing or hanging, or
    any other fault), so the route answers on its own rather than with an error.

    A request that makes no sense (`InvalidInput`) or names nothing (`NotFound`) still
    raises: those are the request's fault, answered with a 4xx as before.
    """
    try:
        result = await within(seconds, work)
    except (InvalidInput, NotFound):
        raise
    except Exception as exc:
        log.error("work failed route=%s error=%s", route, type(exc).__name__)
        return None
    if result is None:
        log.warning("work over budget route=%s", route)
    return result
