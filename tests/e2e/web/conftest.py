"""A live application on a migrated SQLite file with the example practice, and a Twilio
client that signs every request with the `twilio` library's validator, as Twilio does."""

from __future__ import annotations

import shutil
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from starlette.exceptions import StarletteDeprecationWarning
from tests.console_helpers import add_staff, fast_passwords, signed_in_as
from twilio.request_validator import RequestValidator

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.key_check import require_usable_keys
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bootstrap import Services, build
from frontdesk.config import Settings
from frontdesk.domain.audit import AuditRecord
from frontdesk.entrypoints.web.app import create_app
from frontdesk.services import audit

with warnings.catch_warnings():
    # Starlette asks for its `httpx2` fork; plain httpx (a declared dev dependency) still works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

TOKEN = "test-auth-token-0123456789abcdef"
BASE = "http://testserver"
OPEN = datetime(2026, 3, 3, 10, 0, tzinfo=ZoneInfo("America/Chicago"))  # a Tuesday morning
CALLER = "+13125550100"


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = OPEN

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Twilio:
    """Posts signed webhooks the way Twilio does and parses every TwiML answer."""

    client: TestClient
    token: str = TOKEN
    sent: list[str] = field(default_factory=list)

    def sign(self, path: str, fields: Mapping[str, str]) -> str:
        return str(RequestValidator(self.token).compute_signature(BASE + path, dict(fields)))

    def post(self, path: str, fields: Mapping[str, str], *, signature: str | None = None):  # type: ignore[no-untyped-def]
        headers = {
            "X-Twilio-Signature": signature if signature is not None else self.sign(path, fields)
        }
        self.sent.append(path)
        return self.client.post(path, data=dict(fields), headers=headers)

    def twiml(self, path: str, fields: Mapping[str, str]) -> ET.Element:
        response = self.post(path, fields)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        root = ET.fromstring(response.text)
        assert root.tag == "Response"
        return root


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    upgrade(url)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(database: str, clock: Clock, tmp_path: Path) -> Iterator[Services]:
    data = resources.files("frontdesk.data")
    practice = tmp_path / "practice.yaml"
    shutil.copyfile(str(data / "example_practice.yaml"), practice)
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    settings = Settings(
        database_url=database,
        twilio_auth_token=SecretStr(TOKEN),
        simulator_enabled=True,
        allowed_hosts="testserver",
    )
    engine = make_engine(database)
    factory = make_session_factory(engine)
    built = build(
        settings,
        practice_file=practice,
        uow=lambda: SqlAlchemyUnitOfWork(factory),
        key_probe=lambda: require_usable_keys(engine),
        clock=clock,
    )
    built = replace(built, passwords_factory=fast_passwords)
    yield built
    engine.dispose()


@pytest.fixture
def anonymous(services: Services) -> Iterator[TestClient]:
    """A client that has not signed in to the console."""
    with TestClient(create_app(services)) as test_client:
        yield test_client


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    """A client signed in to the console as an admin (the API and simulator need one)."""
    with TestClient(create_app(services)) as test_client:
        add_staff(services, "admin", "admin")
        signed_in_as(test_client, "admin")
        yield test_client


@pytest.fixture
def twilio(client: TestClient) -> Twilio:
    return Twilio(client)


def audit_seqs(services: Services) -> set[int]:
    """The sequence numbers of every audit record so far."""
    return {r.seq for r in audit.entries(uow=services.uow())}


def audited_since(services: Services, before: set[int]) -> list[AuditRecord]:
    """Audit records added after `before`, oldest first, leaving out account records."""
    return [
        r
        for r in reversed(audit.entries(uow=services.uow()))
        if r.entry.object_kind != "staff_user" and r.seq not in before
    ]


def admin_actor(services: Services) -> str:
    """The audit actor of the signed-in `admin` account."""
    with services.uow() as uow:
        admin = uow.staff.get_by_username("admin")
    assert admin is not None
    return admin.user.actor
