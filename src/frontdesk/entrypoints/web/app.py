"""`create_app(services) -> FastAPI`: the web application, built from the composition root.

Nothing is built at import time; `frontdesk serve` and the tests call `create_app` with the
services of `frontdesk.bootstrap.build`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from frontdesk import __version__
from frontdesk.adapters.notify import build_notifier
from frontdesk.bootstrap import SCREEN_PROBE, Services
from frontdesk.conversation.safety import default_net
from frontdesk.domain.errors import LexiconError
from frontdesk.entrypoints.web import (
    api,
    console,
    errors,
    reports,
    simulator,
    twilio_sms,
    twilio_voice,
)
from frontdesk.entrypoints.web.console import calendar, calendar_booking, scripts, waitlist
from frontdesk.entrypoints.web.edge_pages import EdgePager
from frontdesk.services.paging import Sender
from frontdesk.services.telephony import VoiceDeps

TURN_WORKERS = 8
PAGE_SHUTDOWN_SECONDS = 20.0  # a direct page under way is given this long to go out


def warm_up(services: Services) -> None:
    """Load the safety lexicon and the understanding data before the first caller needs them.

    The learned net is loaded directly: a broken weights file stops start-up with its
    `LexiconError` instead of making the screen fail closed on every sentence; so does a
    screen that reads the routine sample as a crisis (it failed closed: the log says why).
    """
    default_net()
    if not services.check_screen():
        raise LexiconError(
            "the safety screen cannot start: it reads a routine sentence as a crisis, so it "
            "would send every caller to the crisis route"
        )
    engine = services.engine
    engine.understand(
        SCREEN_PROBE,
        vocabulary=engine.vocabulary,
        now=services.clock(),
        expecting=None,
        digits=None,
    )


def _warmed(services: Services) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Call turns run in this pool. SQLite takes one writer at a time, and threads of one
        # process waiting on its lock back off for tens of milliseconds; one thread per
        # process queues them without that wait. PostgreSQL locks rows: several threads.
        workers = 1 if services.settings.database_url.startswith("sqlite") else TURN_WORKERS
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="frontdesk-turn")
        asyncio.get_running_loop().set_default_executor(pool)
        await asyncio.to_thread(warm_up, services)
        yield
        pager: EdgePager = app.state.pager
        await asyncio.to_thread(pager.join, PAGE_SHUTDOWN_SECONDS)

    return lifespan


def create_app(
    services: Services, *, voice: VoiceDeps | None = None, notifier: Sender | None = None
) -> FastAPI:
    """The application: Twilio webhooks, the JSON API, `/healthz`, the staff console,
    reports and the simulator.

    `voice` overrides the phone use cases' dependencies (tests pass a recording outbox);
    `notifier` the one the edge pages staff through when the database cannot take a crisis
    hand-off (else the one `FRONTDESK_NOTIFIER` names).
    """
    app = FastAPI(
        lifespan=_warmed(services),
        title="Frontdesk",
        version=__version__,
        description="Twilio voice and SMS webhooks, the callback queue and the call simulator.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    app.state.voice = voice or VoiceDeps(uow=services.uow, context=services.engine)
    sender = notifier or build_notifier(services.settings, services.practice)
    app.state.pager = EdgePager(sender, services.practice, services.clock)
    errors.install(app)
    app.include_router(twilio_voice.router)
    app.include_router(twilio_sms.router)
    app.include_router(api.router)
    simulator.install(app)
    app.include_router(reports.router)
    console.install(app, services.settings)
    app.include_router(calendar.router)
    app.include_router(calendar_booking.router)
    app.include_router(waitlist.router)
    app.include_router(scripts.router)
    return app
