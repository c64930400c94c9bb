"""`/healthz` reports each thing the server needs to do its work (the safety screen, the
database, the encryption keys) and answers 503 when any cannot be used, with fixed reasons
that carry no secret, path or caller data; a screen that fails closed stops start-up."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
from tests.conftest import postgres_database

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.key_check import require_usable_keys
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.encryption import Keyring, unconfigured
from frontdesk.bootstrap import Services, build
from frontdesk.config import Settings
from frontdesk.conversation.safety import Verdict, screen
from frontdesk.domain.calls import Route
from frontdesk.domain.errors import ConfigurationError, EncryptionKeyError, LexiconError
from frontdesk.entrypoints.web.api import NOT_CHECKED
from frontdesk.entrypoints.web.app import create_app
from frontdesk.services.unit_of_work import UnitOfWork

from .conftest import TestClient

SECRET_PATH = "/srv/secret/keys.toml"


def failing_closed(text: str, /) -> Verdict:
    """The real screen as it answers when its data cannot be used: crisis, whatever was said."""
    return replace(screen(text), route=Route.CRISIS, matches=(), categories=())


def raising(error: Exception) -> Callable[[], None]:
    def probe() -> None:
        raise error

    return probe


def health_of(services: Services) -> tuple[int, dict[str, object], str]:
    with TestClient(create_app(services)) as client:
        response = client.get("/healthz")
    return response.status_code, response.json(), response.text


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            EncryptionKeyError(f"the encryption keys from {SECRET_PATH} open none (key k1)"),
            "failed: the keys open none of the stored values",
        ),
        (
            ConfigurationError(f"the key file {SECRET_PATH} does not exist"),
            "failed: no usable encryption keys",
        ),
    ],
)
def test_keys_that_cannot_be_used_make_health_503_without_saying_more(
    services: Services, error: Exception, reason: str
) -> None:
    """Keys that are missing or open nothing stored fail the health check with a fixed
    reason; the error's own message (a key file's path, a key id) is never shown."""
    status, body, text = health_of(replace(services, key_probe=raising(error)))
    assert status == 503
    assert body["status"] == "failing"
    assert body["checks"] == {"safety": "ok", "database": "ok", "keys": reason}
    assert SECRET_PATH not in text
    assert "k1" not in text


def test_a_failing_database_leaves_the_keys_unchecked(services: Services) -> None:
    """With the database failing, the keys are reported not checked and are not probed."""
    probed: list[bool] = []

    def refusing() -> UnitOfWork:
        raise OSError("connection refused to db.internal:5432")

    status, body, text = health_of(
        replace(services, uow=refusing, key_probe=lambda: probed.append(True))
    )
    assert status == 503
    assert body["checks"] == {
        "safety": "ok",
        "database": "failed (OSError)",
        "keys": NOT_CHECKED,
    }
    assert probed == []
    assert "db.internal" not in text


def test_a_screen_failing_closed_after_start_makes_health_503(services: Services) -> None:
    """A screen that starts reading every sentence as a crisis is reported failing."""
    with TestClient(create_app(services)) as client:
        client.app.state.services = replace(  # type: ignore[attr-defined]
            services, engine=replace(services.engine, screen=failing_closed)
        )
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["safety"] == "failed: the screen fails closed"


def test_a_screen_failing_closed_stops_start_up(services: Services) -> None:
    """The application does not start on a screen that would send every caller to the
    crisis route: its start-up raises `LexiconError` saying so."""
    broken = replace(services, engine=replace(services.engine, screen=failing_closed))
    app = create_app(broken)
    with pytest.raises(LexiconError, match="reads a routine sentence as a crisis"), TestClient(app):
        pass


@pytest.fixture
def practice(tmp_path: Path) -> Path:
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), tmp_path / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    return tmp_path / "practice.yaml"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database (skipped, saying why, where no server answers)."""
    for url in postgres_database():
        upgrade(url)
        yield url


@contextmanager
def services_on(url: str, practice: Path) -> Iterator[Services]:
    """Services on `url` with the keys the engine finds, checked as `build` checks its own
    engine's; the engine is disposed after."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        yield build(
            Settings(database_url=url, allowed_hosts="testserver"),
            practice_file=practice,
            uow=lambda: SqlAlchemyUnitOfWork(factory),
            key_probe=lambda: require_usable_keys(engine),
        )
    finally:
        engine.dispose()


def test_the_composition_root_checks_the_keys_of_its_own_engine(
    tmp_path: Path, practice: Path
) -> None:
    """`build` without a unit of work gives its services a key probe on the engine it made."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    upgrade(url)
    services = build(Settings(database_url=url), practice_file=practice)
    assert services.check_keys() is True
    given = build(Settings(database_url=url), practice_file=practice, uow=services.uow)
    assert given.check_keys() is None


@pytest.mark.postgres
def test_postgresql_with_keys_is_healthy(postgres_url: str, practice: Path) -> None:
    """On PostgreSQL with keys, every check is ok."""
    with services_on(postgres_url, practice) as services:
        status, body, _ = health_of(services)
    assert (status, body["checks"]) == (200, {"safety": "ok", "database": "ok", "keys": "ok"})


@pytest.mark.postgres
def test_postgresql_without_keys_is_not_healthy(postgres_url: str, practice: Path) -> None:
    """The reported defect: PostgreSQL without keys answered ok and failed every webhook;
    now the database answers but the keys check fails, and /healthz says 503."""
    with unconfigured(), services_on(postgres_url, practice) as services:
        status, body, _ = health_of(services)
    assert status == 503
    assert body["checks"] == {
        "safety": "ok",
        "database": "ok",
        "keys": "failed: no usable encryption keys",
    }


def test_production_answers_health_by_the_public_host_name_only(
    tmp_path: Path, practice: Path
) -> None:
    """In production /healthz, like every route, answers only the configured host names: a
    probe naming 127.0.0.1 gets 400 (why the container's probe names the public host)."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    upgrade(url)
    settings = Settings(
        environment="production",
        database_url=url,
        twilio_auth_token="0" * 32,
        twilio_account_sid="AC" + "0" * 32,
        notifier="twilio",
        public_url="https://frontdesk.example.org",
        **{
            name.removeprefix("FRONTDESK_").lower(): value
            for name, value in Keyring.generate().to_environment().items()
        },
    )
    with services_on(url, practice) as services:
        production = replace(services, settings=settings)
        with TestClient(create_app(production), base_url="http://127.0.0.1:8000") as client:
            loopback = client.get("/healthz")
            public = client.get("/healthz", headers={"Host": "frontdesk.example.org"})
    assert loopback.status_code == 400
    assert public.status_code == 200
    assert public.json()["checks"] == {"safety": "ok", "database": "ok", "keys": "ok"}
