"""The start-up key check: a server whose encryption keys are missing, unreadable or not the
database's own is refused before it serves, with one line naming the setting to fix.

On PostgreSQL without configured keys `frontdesk serve` used to start, answer `/healthz` with
ok, and then fail every webhook; SQLite in development makes its key file, so `make demo`
and a fresh clone need no extra step.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from tests.conftest import postgres_database

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.key_check import require_usable_keys
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.encryption import (
    NO_POSTGRES_KEYS,
    Keyring,
    development_key_file,
    unconfigured,
)
from frontdesk.domain.errors import ConfigurationError, EncryptionKeyError
from frontdesk.domain.records import CallRecord, new_id
from frontdesk.entrypoints.cli.main import main

NUMBER = "+13125557193"
WORDS = "a sentence only the caller said"
STRANGER = Keyring("kother", {"kother": bytes(32)}, bytes([1]) * 32, source="another key file")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty, migrated PostgreSQL database (skipped, saying why, where none answers)."""
    for url in postgres_database():
        upgrade(url)
        yield url


def store_a_call(url: str, keyring: Keyring | None = None) -> CallRecord:
    """A call with a caller's number and words, sealed with `keyring` (else the configured)."""
    call = CallRecord(
        id=new_id(),
        external_id="CA" + new_id(),
        caller_number=NUMBER,
        started_at=datetime(2026, 3, 2, 14, 30, tzinfo=UTC),
        state={"said": WORDS},
    )
    engine = make_engine(url, keyring=keyring)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with uow:
            uow.calls.add(call)
            uow.commit()
    finally:
        engine.dispose()
    return call


def check_with(url: str, keyring: Keyring | None = None) -> None:
    engine = make_engine(url, keyring=keyring)
    try:
        require_usable_keys(engine)
    finally:
        engine.dispose()


def practice_in(folder: Path) -> Path:
    """The shipped example practice and script library, written to `folder`."""
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), folder / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
    return folder / "practice.yaml"


def test_any_working_keys_pass_on_an_empty_database(migrated_url: str) -> None:
    """Nothing stored yet: keys that seal and open a probe value are usable."""
    check_with(migrated_url)
    check_with(migrated_url, STRANGER)


def test_the_keys_a_database_was_written_with_pass(migrated_url: str) -> None:
    """Stored values that open with the keys in use pass the check."""
    store_a_call(migrated_url)
    check_with(migrated_url)


def test_keys_that_open_no_stored_value_are_refused_naming_key_ids_never_values(
    migrated_url: str, test_keyring: Keyring
) -> None:
    """Another key file than the one the database was written with is refused, naming its
    source and the stored values' key id and the settings to change, never a value."""
    store_a_call(migrated_url)
    with pytest.raises(EncryptionKeyError) as raised:
        check_with(migrated_url, STRANGER)
    message = str(raised.value)
    assert "another key file" in message
    assert test_keyring.encrypt_id in message
    assert "FRONTDESK_KEY_FILE" in message
    assert NUMBER not in message
    assert WORDS not in message


def test_a_value_left_on_a_removed_key_does_not_refuse_keys_that_open_the_rest(
    migrated_url: str, test_keyring: Keyring
) -> None:
    """Keys that open some stored values are the database's own; what they do not open is
    `frontdesk keys verify`'s to report, not a reason to refuse every call."""
    store_a_call(migrated_url, STRANGER)
    store_a_call(migrated_url)
    check_with(migrated_url)


@pytest.mark.postgres
def test_postgresql_without_keys_is_refused_naming_the_setting(postgres_url: str) -> None:
    """PostgreSQL has no development key file: without configured keys the check raises
    the message that names FRONTDESK_KEY_FILE and how to make one."""
    with unconfigured(), pytest.raises(ConfigurationError) as raised:
        check_with(postgres_url)
    assert str(raised.value) == NO_POSTGRES_KEYS
    assert "FRONTDESK_KEY_FILE" in NO_POSTGRES_KEYS
    assert "frontdesk keys generate FILE" in NO_POSTGRES_KEYS


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["worker", "--once"]])
def test_serve_and_worker_refuse_postgresql_without_keys(
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    """`serve` and `worker` on PostgreSQL without keys stop at start-up with exit status 2
    and one `frontdesk:` line naming the missing setting, instead of serving."""
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", postgres_url)
    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(practice_in(tmp_path)))
    with unconfigured():
        assert main(command) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"frontdesk: {NO_POSTGRES_KEYS}"


@pytest.mark.postgres
def test_serve_refuses_postgresql_keys_that_are_not_the_databases(
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A key file that opens none of what PostgreSQL holds stops `serve` at start-up."""
    store_a_call(postgres_url)
    key_file = tmp_path / "keys.toml"
    assert main(["keys", "generate", str(key_file)]) == 0
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", postgres_url)
    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(practice_in(tmp_path)))
    monkeypatch.setenv("FRONTDESK_KEY_FILE", str(key_file))
    with unconfigured():
        assert main(["serve", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "open none of the stored values" in err
    assert str(key_file) in err


def test_serve_refuses_a_sqlite_database_whose_development_key_file_was_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Development makes a key file beside a SQLite file; if it is lost after values were
    stored, the new one made in its place opens none of them and `serve` says so."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(practice_in(tmp_path)))
    with unconfigured():
        upgrade(url)
        store_a_call(url)
        development_key_file(tmp_path / "frontdesk.db").unlink()
        assert main(["serve", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "open none of the stored values" in err
    assert NUMBER not in err
