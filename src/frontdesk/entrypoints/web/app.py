"""`create_app(services) -> FastAPI`: the web application, built from the composition root.

Nothing is built at import time; `frontdesk serve` and the tests call `create_app` with the
services of `frontdesk.bootstrap.build`.
"""

from __future__ import annotations

from fastapi import FastAPI

from frontdesk import __version__
from frontdesk.bootstrap import Services
from frontdesk.entrypoints.web import api, errors, simulator, twilio_sms, twilio_voice
from frontdesk.services.voice import VoiceDeps


def create_app(services: Services, *, voice: VoiceDeps | None = None) -> FastAPI:
    """The application: Twilio webhooks, the JSON API, `/healthz` and the simulator.

    `voice` overrides the phone use cases' dependencies (tests pass a recording outbox).
    """
    app = FastAPI(
        title="Frontdesk",
        version=__version__,
        description="Twilio voice and SMS webhooks, the callback queue and the call simulator.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    app.state.voice = voice or VoiceDeps(uow=services.uow, context=services.engine)
    errors.install(app)
    app.include_router(twilio_voice.router)
    app.include_router(twilio_sms.router)
    app.include_router(api.router)
    simulator.install(app)
    # Reports: include `frontdesk.entrypoints.web.reports.router` (/reports, /roi) here.
    return app
