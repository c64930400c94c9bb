"""PHI is encrypted at rest: no table, SQLite file, WAL or log holds a caller's words, name
or number in plain text; lookups still find people; a wrong key fails loudly."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.engine import normalise_url
from frontdesk.adapters.db.key_rotation import verify
from frontdesk.adapters.db.tables import CallRow
from frontdesk.adapters.encryption import Keyring
from frontdesk.analytics.queries import read_engine
from frontdesk.bootstrap import Services, build
from frontdesk.config import Settings
from frontdesk.domain.clients import Client
from frontdesk.domain.errors import EncryptionKeyError
from frontdesk.domain.messages import OptOut
from frontdesk.domain.records import CallRecord, new_id
from frontdesk.entrypoints.cli.commands.simulate import parse_script, run_script
from frontdesk.services import clients

AT = datetime.fromisoformat("2026-03-03T10:00:00-06:00")
CANARY_NAME = "Quillon Marrowby"
CANARY_NUMBER = "+13125557193"
CANARY_CONCERN = "nightmares about violet lighthouses"
CANARIES = (CANARY_NAME, "Marrowby", "Quillon", CANARY_NUMBER, "3125557193", "lighthouses")

CALL = f"""\
Hi, I'm looking for a therapist for my 12 year old son
{CANARY_NAME}
yes
he has {CANARY_CONCERN}
Illinois
video would be best
yes
we have Aetna
weekday evenings after 5
text is fine
yes
yes
yes
""".splitlines()


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    """The shipped example practice with the default script library beside it."""
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), tmp_path / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    return tmp_path / "practice.yaml"


@contextmanager
def services_on(
    database_url: str, practice_file: Path, keyring: Keyring | None = None
) -> Iterator[Services]:
    """Services on the example practice and `database_url`; the engine is disposed after."""
    engine = make_engine(database_url, keyring=keyring)
    factory = make_session_factory(engine)
    try:
        yield build(
            Settings(),
            practice_file=practice_file,
            uow=lambda: SqlAlchemyUnitOfWork(factory),
        )
    finally:
        engine.dispose()


def _raw_values(database_url: str) -> Iterator[tuple[str, object]]:
    """Every value of every table, read through the driver with no decryption."""
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(str(url.database))
        try:
            tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]
            for table in tables:
                if (
                    connection.execute(
                        "SELECT type FROM sqlite_master WHERE name = ?", (table,)
                    ).fetchone()[0]
                    != "table"
                ):
                    continue
                for row in connection.execute(f'SELECT * FROM "{table}"'):
                    for value in row:
                        yield table, value
        finally:
            connection.close()
        return
    with psycopg.connect(url.set(drivername="postgresql").render_as_string(False)) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    yield table, value


def _found(haystack: str) -> list[str]:
    return [canary for canary in CANARIES if canary.casefold() in haystack.casefold()]


def test_a_whole_call_leaves_no_caller_words_name_or_number_in_plain_text(
    migrated_url: str, practice_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """After a call with a distinctive name, number and concern, no table read raw through
    the driver, no SQLite file, WAL or shared-memory file and no log line contains them,
    while the services read every one of them back."""
    caplog.set_level(logging.DEBUG)
    with services_on(migrated_url, practice_file) as services:
        report = run_script(parse_script(CALL), services=services, at=AT, caller=CANARY_NUMBER)
    assert report.call.caller_number == CANARY_NUMBER
    assert any(CANARY_NAME in (turn.caller_text or "") for turn in report.turns)
    assert report.inquiry is not None
    assert report.inquiry.intake.client_name == CANARY_NAME
    assert CANARY_CONCERN in (report.inquiry.intake.concern or "")

    leaks = [
        (table, canary)
        for table, value in _raw_values(migrated_url)
        for canary in _found(str(value))
    ]
    assert leaks == []
    url = make_url(normalise_url(migrated_url))
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{url.database}{suffix}")
            if path.exists():
                assert _found(path.read_bytes().decode("latin-1")) == [], path.name
    assert _found(caplog.text) == []


def test_a_wrong_key_fails_loudly_naming_the_column_and_key_never_the_value(
    migrated_url: str, test_keyring: Keyring
) -> None:
    """Reading with keys that are not the ones the values were sealed with raises
    `EncryptionKeyError` naming the column and the key id, and no value."""
    call = CallRecord(
        id=new_id(),
        external_id="CA" + new_id(),
        caller_number=CANARY_NUMBER,
        started_at=datetime(2026, 3, 2, 14, 30, tzinfo=UTC),
        state={"said": CANARY_CONCERN},
    )
    engine = make_engine(migrated_url)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with uow:
            uow.calls.add(call)
            uow.commit()
    finally:
        engine.dispose()

    stranger = Keyring(
        encrypt_id=test_keyring.encrypt_id,  # the same id, another key: a wrong key file
        keys={test_keyring.encrypt_id: bytes(32)},
        blind_index_key=bytes([1]) * 32,
        source="another key file",
    )
    engine = make_engine(migrated_url, keyring=stranger)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with pytest.raises(EncryptionKeyError) as raised, uow:
            uow.calls.get(call.id)
        message = str(raised.value)
        assert "calls." in message
        assert test_keyring.encrypt_id in message
        assert "another key file" in message
        assert _found(message) == []
        result = verify(engine)
        assert not result.ok
        assert {(f.table, f.row) for f in result.failures} >= {("calls", call.id)}
        assert all(_found(f"{f.row} {f.problem}") == [] for f in result.failures)
    finally:
        engine.dispose()

    missing = Keyring("kother", {"kother": bytes(32)}, bytes([1]) * 32, source="a new key file")
    engine = make_engine(migrated_url, keyring=missing)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with pytest.raises(EncryptionKeyError, match="not in the keyring"), uow:
            uow.calls.get(call.id)
    finally:
        engine.dispose()


def test_verification_by_caller_number_and_client_lookups_work_through_blind_indexes(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """A client is verified by number, name and date of birth, found by name and date of
    birth, and an opted-out number is found, though none is stored in plain text."""
    born = date(1984, 7, 9)
    client_id = clients.add(
        name=CANARY_NAME,
        date_of_birth=born,
        phone=CANARY_NUMBER,
        at=datetime(2026, 3, 1, tzinfo=UTC),
        uow=uow,
    )
    assert (
        clients.verify(phone=CANARY_NUMBER, name="quillon  marrowby", date_of_birth=born, uow=uow)
        == client_id
    )
    assert (
        clients.verify(phone="+13125550000", name=CANARY_NAME, date_of_birth=born, uow=uow) is None
    )
    with uow:
        found = uow.clients.with_name_and_birth("QUILLON MARROWBY", born)
        assert [c.id for c in found] == [client_id]
        assert uow.clients.with_name_and_birth(CANARY_NAME, date(1984, 7, 10)) == []
        uow.opt_outs.add(OptOut(CANARY_NUMBER, datetime(2026, 3, 1, tzinfo=UTC), "STOP"))
        uow.commit()
    with uow:
        opted = uow.opt_outs.get(CANARY_NUMBER)
        assert opted is not None
        assert opted.number == CANARY_NUMBER
        assert uow.opt_outs.get("+13125550000") is None
    assert [canary for _, v in _raw_values(migrated_url) for canary in _found(str(v))] == []


def test_client_records_round_trip_every_field(uow: SqlAlchemyUnitOfWork) -> None:
    """A client's name, date of birth, number and e-mail come back exactly as stored."""
    client = Client(
        id=new_id(),
        name=CANARY_NAME,
        date_of_birth=date(1990, 1, 31),
        phone=CANARY_NUMBER,
        email="q.marrowby@example.org",
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    with uow:
        uow.clients.add(client)
        uow.commit()
    with uow:
        assert uow.clients.get(client.id) == client


def test_the_sqlite_file_its_wal_and_the_development_key_file_are_private(
    tmp_path: Path,
) -> None:
    """A new SQLite database, its write-ahead log and shared-memory file, and the key file
    development makes beside it are all mode 0600."""
    from frontdesk.adapters.db.migrations import upgrade
    from frontdesk.adapters.encryption import development_key_file, unconfigured

    path = tmp_path / "practice.db"
    url = f"sqlite:///{path}"
    with unconfigured():
        upgrade(url)
        engine = make_engine(url)
        try:
            uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
            with uow:
                uow.calls.add(
                    CallRecord(
                        id=new_id(),
                        external_id=None,
                        caller_number=CANARY_NUMBER,
                        started_at=datetime(2026, 3, 2, tzinfo=UTC),
                    )
                )
                uow.commit()
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                modes = {
                    p.name: p.stat().st_mode & 0o777
                    for p in tmp_path.iterdir()
                    if p.name.startswith("practice.db")
                }
        finally:
            engine.dispose()
    assert development_key_file(path).name in modes
    assert {"practice.db", "practice.db-wal", "practice.db-shm"} <= set(modes)
    assert set(modes.values()) == {0o600}, modes


def test_the_report_reader_opens_encrypted_columns_with_the_same_keys(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """The report's read-only engine reads an encrypted column as the services wrote it."""
    call = CallRecord(
        id=new_id(),
        external_id=None,
        caller_number=CANARY_NUMBER,
        started_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    with uow:
        uow.calls.add(call)
        uow.commit()
    reader = read_engine(migrated_url)
    try:
        with reader.connect() as connection:
            stored = connection.execute(
                select(CallRow.caller_number).where(CallRow.id == call.id)
            ).scalar_one()
    finally:
        reader.dispose()
    assert stored == CANARY_NUMBER
