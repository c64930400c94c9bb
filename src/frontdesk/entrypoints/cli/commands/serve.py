"""`frontdesk serve`: the web application (Twilio webhooks, API, simulator) under uvicorn."""

from __future__ import annotations

import argparse
import logging
import socket
import sys

from frontdesk.adapters.db import make_engine
from frontdesk.adapters.db.key_check import require_usable_keys
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.bootstrap import build, load_safety_data
from frontdesk.config import Settings
from frontdesk.deployment import require_ready
from frontdesk.domain.errors import ConfigurationError
from frontdesk.entrypoints.cli.common import add_practice_option, resolve_practice_path

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        description="Serve the Twilio voice and SMS webhooks, the JSON API (OpenAPI at "
        "/openapi.json), /healthz and, when FRONTDESK_SIMULATOR_ENABLED is true, the browser "
        "call simulator at /simulator.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--migrate", action="store_true", help="bring the database to the newest schema first"
    )
    add_practice_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # imported here: the other commands never need it

    from frontdesk.entrypoints.web.app import create_app

    load_safety_data()  # a broken screen stops start-up before the database is touched
    if args.migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        practice_file = resolve_practice_path(args, settings)
        require_ready(settings, practice_file)
        services = build(settings, practice_file=practice_file)
        # Keys missing (PostgreSQL without any), unreadable or not the database's own would
        # fail every call after a healthy start: refuse now, naming the setting.
        require_usable_keys(engine)
    finally:
        engine.dispose()
    app = create_app(services)
    listener = _listen(args.host, args.port)
    if settings.simulator_enabled:
        print(f"simulator: http://{args.host}:{args.port}/simulator", file=sys.stderr)
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )
    log.info("serving on http://%s:%d", args.host, args.port)
    with listener:
        uvicorn.Server(config).run(sockets=[listener])
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts so a port in use or an address
    not on this machine is a one-line refusal rather than a server that starts and stops."""
    try:
        return socket.create_server((host, port), reuse_port=False)
    except OSError as exc:
        raise ConfigurationError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
