"""The container files, checked by structure (Docker cannot run here): the Dockerfile follows
hadolint-style rules and compose.yaml runs PostgreSQL, the migrations, web and worker."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRET_WORDS = re.compile(r"(PASSWORD|TOKEN|SECRET|_SID|API_KEY)", re.IGNORECASE)
PINNED_IMAGE = re.compile(r"^[\w.\-/]+:\d+(\.\d+)+[\w.\-]*(@sha256:[0-9a-f]{64})?$")


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments out."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    logical: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in logical]


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions():
        if instruction[0] == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    return document


def test_the_dockerfile_is_multi_stage_on_a_pinned_slim_base() -> None:
    """Every FROM names an exact version tag (never `latest`) of a slim image; the runtime
    stage copies the build stage's output rather than building itself."""
    stages = _stages()
    assert len(stages) >= 2
    for stage in stages:
        image = stage[0][1].split()[0]
        assert PINNED_IMAGE.match(image), image
        assert "slim" in image
        assert ":latest" not in image
    runtime = stages[-1]
    assert any(i == "COPY" and args.startswith("--from=") for i, args in runtime)


def test_the_runtime_runs_as_an_unprivileged_user_with_a_healthcheck() -> None:
    """The final stage switches to a named non-root user before its command, and declares
    a HEALTHCHECK against /healthz and the command that serves it."""
    runtime = _stages()[-1]
    names = [instruction for instruction, _ in runtime]
    users = [args for instruction, args in runtime if instruction == "USER"]
    assert users
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert names.index("USER") < names.index("CMD")
    (healthcheck,) = [args for instruction, args in runtime if instruction == "HEALTHCHECK"]
    assert "/healthz" in healthcheck
    (command,) = [args for instruction, args in runtime if instruction == "CMD"]
    assert command.startswith("[")  # exec form: signals reach the server
    assert "serve" in command


def _healthcheck_code() -> str:
    """The Python the container's HEALTHCHECK runs."""
    (healthcheck,) = [args for instruction, args in _stages()[-1] if instruction == "HEALTHCHECK"]
    command = json.loads(healthcheck[healthcheck.index("CMD") + len("CMD") :].strip())
    assert command[:2] == ["python", "-c"]
    return str(command[2])


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_the_healthcheck_asks_by_the_public_host_name_and_needs_200(
    status: int, healthy: bool
) -> None:
    """The container's health probe names FRONTDESK_PUBLIC_URL's host (production answers
    no other, so a probe naming 127.0.0.1 got 400 and the container was never healthy), and
    only a 200 is healthy (a 503 from a failing check is not)."""
    seen: list[tuple[str, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, self.headers["Host"]))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    code = _healthcheck_code().replace("127.0.0.1:8000", f"127.0.0.1:{server.server_port}")
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "FRONTDESK_PUBLIC_URL": "https://frontdesk.example.org"},
            capture_output=True,
            timeout=30,
            check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert (done.returncode == 0) is healthy
    assert seen == [("/healthz", "frontdesk.example.org")]


def test_the_dockerfile_carries_no_secret_and_no_cache() -> None:
    """No ENV or ARG sets a password or token; pip installs keep no cache; nothing is
    fetched with ADD."""
    for instruction, args in _instructions():
        if instruction in ("ENV", "ARG"):
            for assignment in shlex.split(args):
                name = assignment.split("=", 1)[0]
                assert not SECRET_WORDS.search(name), assignment
        assert instruction != "ADD", "use COPY; ADD can fetch URLs and unpack archives"
        if instruction == "RUN" and "pip install" in args:
            assert "--no-cache-dir" in args
        if instruction == "RUN" and "apt-get install" in args:
            assert "--no-install-recommends" in args


def test_compose_runs_postgresql_migrations_web_and_worker() -> None:
    """compose.yaml has the database, a one-off migration, the web app and the worker, with
    PostgreSQL's data on a named volume."""
    compose = _compose()
    services = compose["services"]
    assert {"db", "migrate", "web", "worker"} <= services.keys()
    assert PINNED_IMAGE.match(services["db"]["image"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    volumes = compose["volumes"]
    mounts = [v.split(":")[0] for v in services["db"]["volumes"]]
    assert any(name in volumes for name in mounts)
    assert services["migrate"]["command"] == ["frontdesk", "migrate"]
    assert "serve" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]


@pytest.mark.parametrize("name", ["web", "worker"])
def test_web_and_worker_wait_for_migrations_and_can_be_scaled(name: str) -> None:
    """Web and worker start after the database is healthy and the migration completed, take
    their settings from the env file, and have no fixed name or single host port."""
    service = _compose()["services"][name]
    depends = service["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert service["env_file"] == ".env"
    assert "container_name" not in service
    for port in service.get("ports", []):
        host = str(port).rsplit(":", 1)[0]
        assert "-" in host, f"{port}: a single host port cannot be shared by several replicas"
    assert service["environment"]["FRONTDESK_DATABASE_URL"].startswith("postgresql://")


def test_compose_holds_no_secret_value() -> None:
    """Every password or token in compose.yaml is interpolated from the env file, never
    written in it."""
    text = (ROOT / "compose.yaml").read_text("utf-8")
    for service in _compose()["services"].values():
        environment = service.get("environment", {})
        for key, value in environment.items():
            if SECRET_WORDS.search(key):
                assert str(value).startswith("${"), key
    for url in re.findall(r"postgresql://[^\s]+", text):
        password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
        assert password.startswith("${"), url


def test_the_env_example_names_every_production_setting_without_values() -> None:
    """The example env file lists what production needs and leaves every secret blank."""
    lines = (ROOT / "deploy" / "frontdesk.env.example").read_text("utf-8").splitlines()
    values = dict(
        line.split("=", 1) for line in lines if line and not line.startswith("#") and "=" in line
    )
    for name in (
        "POSTGRES_PASSWORD",
        "FRONTDESK_ENVIRONMENT",
        "FRONTDESK_PUBLIC_URL",
        "FRONTDESK_TWILIO_ACCOUNT_SID",
        "FRONTDESK_TWILIO_AUTH_TOKEN",
        "FRONTDESK_NOTIFIER",
        "FRONTDESK_API_TOKEN",
        "FRONTDESK_SMTP_HOST",
    ):
        assert name in values
    for name, value in values.items():
        if SECRET_WORDS.search(name):
            assert value == "", name


def test_the_image_context_leaves_out_local_state_and_secrets() -> None:
    """.dockerignore keeps the virtual environment, databases, tests and env files out."""
    ignored = (ROOT / ".dockerignore").read_text("utf-8").split()
    for pattern in (".venv", ".git", "*.db", ".env", "tests"):
        assert pattern in ignored
