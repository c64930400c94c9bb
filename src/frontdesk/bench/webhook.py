"""`frontdesk bench webhook`: concurrent simulated callers against the served webhooks.

Starts the web application under uvicorn on free loopback ports, `--processes N` separate
`frontdesk serve` processes sharing one database (a fresh SQLite file, or the scratch
database `--database-url` names, e.g. PostgreSQL), with the example practice, then drives
`--callers` concurrent callers over HTTP, each request to the next process in turn, as a
load balancer would: consecutive turns and retries of one call land on different processes.
Every request is signed as Twilio signs it. Each caller places calls one after another: the
incoming webhook, then up to `--turns` gather turns (answering whatever it is asked from a
small set of scripted callers, some in crisis), then the completed status callback; some
turns are sent twice, as Twilio retries. It reports webhook latency, turns per second,
errors, and lost turns: every turn answered must be stored exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.engine import normalise_url
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.encryption import Keyring, configured, write_key_file
from frontdesk.bench._stats import latency_summary, print_report
from frontdesk.config import Settings
from frontdesk.domain.errors import ConfigurationError
from frontdesk.domain.records import TurnKind

P99_TARGET_MS = 100.0
HOST = "127.0.0.1"

CALLERS_LINES: tuple[tuple[str, ...], ...] = (
    (
        "Hello, I'd like to start therapy for myself",
        "I'm 34",
        "I've been feeling burned out at work",
        "I live in Chicago, Illinois",
        "in person please",
        "I'll pay out of pocket",
        "Tuesday or Thursday mornings",
        "email",
        "yes",
    ),
    (
        "I'm looking for a therapist for my daughter",
        "she's 15",
        "she has been very anxious",
        "Illinois",
        "video would be best",
        "we have Blue Cross",
        "weekday afternoons after 4",
        "text please",
        "yes",
    ),
    ("do you take Aetna?", "how much is a session", "no that's all, thanks"),
    ("I'm looking for a therapist for myself", "I'm 29", "I don't want to live anymore", "ok"),
    ("can I leave a message for Dr. Rivera", "please call me back about my appointment", "yes"),
)


@dataclass
class Tally:
    """What the callers saw."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    turns_answered: int = 0
    duplicates: int = 0
    calls: int = 0
    sids: list[str] = field(default_factory=list)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "webhook",
        description=__doc__,
    )
    parser.add_argument("--callers", type=int, default=50, help="concurrent callers (50)")
    parser.add_argument("--calls", type=int, default=2, help="calls per caller, in turn (2)")
    parser.add_argument("--turns", type=int, default=9, help="most gather turns per call (9)")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=3000.0,
        help="mean pause before each request, the reply spoken then the caller speaking "
        "(3000; 0 floods the server)",
    )
    parser.add_argument(
        "--duplicate-every", type=int, default=10, help="resend every Nth turn, as a retry (10)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the pauses (7)")
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1],
        metavar="N",
        help="serve processes sharing the database; several values run one after another, "
        "e.g. --processes 1 2 4 (1)",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        metavar="URL",
        help="the database the processes share, migrated first (use a scratch PostgreSQL "
        "database; its other rows are left alone); default a fresh SQLite file",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    _require_httpx()
    if any(n < 1 for n in args.processes):
        raise ConfigurationError("--processes must be at least 1")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # One set of keys for every run: runs on one database (`--database-url` with several
    # `--processes`) read what the runs before them stored, and a server refuses keys that
    # open none of the values already there.
    keyring = Keyring.generate(source="the benchmark's keys")
    runs = [
        bench_webhook(
            callers=args.callers,
            calls=args.calls,
            turns=args.turns,
            think_ms=args.think_ms,
            duplicate_every=args.duplicate_every,
            seed=args.seed,
            processes=processes,
            database_url=args.database_url,
            keyring=keyring,
        )
        for processes in args.processes
    ]
    if len(runs) == 1:
        print_report(runs[0], as_json=args.json)
    else:
        print_report({"benchmark": "webhook", "runs": runs}, as_json=args.json)
    return 0


def _require_httpx() -> None:
    """The bench's HTTP client is a test-only library: say so rather than fail mid-run."""
    try:
        import httpx  # noqa: F401
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            "bench webhook needs httpx, a development library; "
            "install it with: pip install 'frontdesk[dev]'"
        ) from exc


def free_port() -> int:
    """A TCP port on loopback nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(env: dict[str, str], practice_file: Path, processes: int = 1) -> Iterator[list[str]]:
    """`processes` `frontdesk serve` children, each on a free loopback port; yields their
    base URLs once every one answers /healthz."""
    import httpx  # a development library, checked by `run`

    children: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    try:
        for _ in range(processes):
            port = free_port()
            command = [sys.executable, "-m", "frontdesk", "serve", "--host", HOST]
            command += ["--port", str(port), "--practice", str(practice_file)]
            children.append(
                subprocess.Popen(  # noqa: S603 - our own executable and fixed arguments
                    command, env={**os.environ, **env}, stdout=subprocess.DEVNULL
                )
            )
            bases.append(f"http://{HOST}:{port}")
        deadline = time.monotonic() + 60
        for child, base in zip(children, bases, strict=True):
            while True:
                if child.poll() is not None:
                    raise RuntimeError("frontdesk serve exited before it answered /healthz")
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("frontdesk serve did not answer /healthz within 60 s")
                time.sleep(0.1)
        yield bases
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def bench_webhook(
    *,
    callers: int,
    calls: int,
    turns: int,
    think_ms: float,
    duplicate_every: int,
    seed: int,
    processes: int = 1,
    database_url: str | None = None,
    keyring: Keyring | None = None,
) -> dict[str, object]:
    """Run the benchmark in a temporary folder and return its report.

    The servers use `keyring` (new keys when None), written to the folder's key file.
    """
    token = uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as folder:
        root = Path(folder)
        data = resources.files("frontdesk.data")
        shutil.copyfile(str(data / "example_practice.yaml"), root / "practice.yaml")
        shutil.copyfile(str(data / "scripts" / "default.yaml"), root / "scripts.yaml")
        url = database_url or f"sqlite:///{root / 'bench.db'}"
        backend = make_url(normalise_url(url)).get_backend_name()
        # The bench's own keys, shared by every server and by the count of stored turns, so
        # a scratch database (PostgreSQL included) works without keys of the caller's.
        if keyring is None:
            keyring = Keyring.generate(source="the benchmark's keys")
        write_key_file(root / "keys.toml", keyring)
        with configured(keyring):
            upgrade(url)
        env = {
            "FRONTDESK_DATABASE_URL": url,
            "FRONTDESK_KEY_FILE": str(root / "keys.toml"),
            "FRONTDESK_TWILIO_AUTH_TOKEN": token,
            "FRONTDESK_LOG_LEVEL": "WARNING",
            "FRONTDESK_ENVIRONMENT": "development",
        }
        tally = Tally()
        with served(env, root / "practice.yaml", processes) as bases:
            started = time.perf_counter()
            asyncio.run(
                _callers(
                    bases, token, callers, calls, turns, think_ms, duplicate_every, seed, tally
                )
            )
            elapsed = time.perf_counter() - started
        stored = _stored_turns(url, tally.sids, keyring)
    latency = latency_summary(tally.latencies)
    database = "SQLite WAL file" if backend == "sqlite" else "PostgreSQL"
    return {
        "benchmark": "webhook",
        "server": f"frontdesk serve (uvicorn) x {processes}, {database}, loopback HTTP",
        "processes": processes,
        "database": backend,
        "callers": callers,
        "think_ms": think_ms,
        "calls": tally.calls,
        "requests": len(tally.latencies),
        "turns_answered": tally.turns_answered,
        "retries_sent": tally.duplicates,
        "turns_stored": stored,
        "lost_turns": max(tally.turns_answered - stored, 0),
        "duplicated_turns": max(stored - tally.turns_answered, 0),
        "errors": tally.errors,
        "turns_per_second": round(tally.turns_answered / elapsed, 1) if elapsed else 0.0,
        "wall_seconds": round(elapsed, 2),
        "latency_ms": {k: latency[k] for k in ("p50_ms", "p99_ms", "max_ms")},
        "targets": {
            "p99_ms": P99_TARGET_MS,
            "p99_met": latency["p99_ms"] <= P99_TARGET_MS,
            "no_errors": tally.errors == 0,
            "no_lost_turns": tally.turns_answered <= stored,
            "no_duplicated_turns": stored <= tally.turns_answered,
        },
    }


async def _callers(
    bases: list[str],
    token: str,
    callers: int,
    calls: int,
    turns: int,
    think_ms: float,
    duplicate_every: int,
    seed: int,
    tally: Tally,
) -> None:
    import httpx  # a development library, checked by `run`

    validator = RequestValidator(token)
    limits = httpx.Limits(max_connections=callers * 2, max_keepalive_connections=callers * 2)
    turn = itertools.count()
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def post(path: str, fields: dict[str, str]) -> str | None:
            base = bases[next(turn) % len(bases)]  # round robin, as a load balancer
            signature = validator.compute_signature(base + path, fields)
            begun = time.perf_counter()
            text: str | None = None
            try:
                response = await client.post(
                    base + path, data=fields, headers={"X-Twilio-Signature": signature}
                )
                if response.status_code == 200:
                    text = response.text
            except httpx.HTTPError:
                pass
            tally.latencies.append(time.perf_counter() - begun)
            if text is None:
                tally.errors += 1
            return text

        async def caller(index: int) -> None:
            pauses = random.Random(seed * 100_003 + index)

            async def think() -> None:
                if think_ms > 0:
                    await asyncio.sleep(pauses.uniform(0.5, 1.5) * think_ms / 1000)

            await think()
            for number in range(calls):
                lines = CALLERS_LINES[(index + number) % len(CALLERS_LINES)]
                sid = f"CA{uuid.uuid4().hex}"
                tally.sids.append(sid)
                who = f"+1312555{index % 10000:04d}"
                answer = await post("/twilio/voice/incoming", {"CallSid": sid, "From": who})
                tally.calls += 1
                tally.turns_answered += answer is not None
                for count, words in enumerate(lines[:turns], start=1):
                    next_turn = _next_turn(answer)
                    if next_turn is None:
                        break
                    await think()
                    fields = {"CallSid": sid, "From": who, "SpeechResult": words}
                    fields["Confidence"] = "0.9"
                    path = f"/twilio/voice/gather?turn={next_turn}"
                    answer = await post(path, fields)
                    tally.turns_answered += answer is not None
                    if duplicate_every and (index + count) % duplicate_every == 0:
                        again = await post(path, fields)
                        tally.duplicates += 1
                        if again != answer:
                            tally.errors += 1
                status = {"CallSid": sid, "From": who, "CallStatus": "completed"}
                await post("/twilio/voice/status", status)

        await asyncio.gather(*(caller(i) for i in range(callers)))


def _next_turn(twiml: str | None) -> int | None:
    if twiml is None:
        return None
    gather = ET.fromstring(twiml).find("Gather")  # noqa: S314 - our own server's TwiML
    if gather is None:
        return None
    return int(gather.attrib["action"].rsplit("=", 1)[1])


def _stored_turns(database_url: str, sids: list[str], keyring: Keyring) -> int:
    """Turns stored for this run's calls' caller events (greetings and gathers, not hang-ups)."""
    engine = make_engine(database_url, keyring=keyring)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with uow:
            calls = [uow.calls.get_by_external_id(sid) for sid in sids]
            return sum(
                1
                for call in calls
                if call is not None
                for turn in uow.turns.list_for_call(call.id)
                if turn.kind is not TurnKind.HANG_UP
            )
    finally:
        engine.dispose()
