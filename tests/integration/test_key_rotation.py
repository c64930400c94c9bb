"""Key rotation: values sealed with an old key (or stored plain before encryption) are
re-sealed with the new key while calls keep being taken, and nothing is lost."""

from __future__ import annotations

import shutil
import threading
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.integration.test_encryption_at_rest import AT, CALL, services_on

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.key_rotation import pending_rows, rotate, verify
from frontdesk.adapters.encryption import Keyring, read_key_file
from frontdesk.bootstrap import Services
from frontdesk.entrypoints.cli.commands.simulate import parse_script, run_script
from frontdesk.entrypoints.cli.main import main
from frontdesk.services import audit, clients
from frontdesk.services.call_report import CallReport

NUMBERS = [f"+1312555{7000 + n:04d}" for n in range(12)]


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), tmp_path / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    return tmp_path / "practice.yaml"


def _call(services: Services, n: int) -> CallReport:
    return run_script(
        parse_script(CALL),
        services=services,
        at=AT + timedelta(hours=n),
        caller=NUMBERS[n],
    )


def _stored(services: Services, report: CallReport) -> tuple[object, ...]:
    with services.uow() as uow:
        call = uow.calls.get(report.call.id)
        turns = uow.turns.list_for_call(report.call.id)
        handoffs = uow.handoffs.list_for_call(report.call.id)
        inquiries = uow.inquiries.list_for_call(report.call.id)
    assert call is not None
    return (call, tuple(turns), tuple(handoffs), tuple(inquiries))


def test_rotation_while_calls_run_loses_nothing_and_leaves_only_the_new_key(
    migrated_url: str, practice_file: Path, test_keyring: Keyring
) -> None:
    """Calls taken before a new key, and calls taken while `rotate` runs in small batches,
    all read back whole afterwards through a keyring holding only the new key."""
    with services_on(migrated_url, practice_file, test_keyring) as old:
        before = [_call(old, n) for n in range(3)]
        expected = {r.call.id: _stored(old, r) for r in before}

    rotated = test_keyring.with_new_key("knew")
    during: list[CallReport] = []
    failures: list[BaseException] = []
    engine = make_engine(migrated_url, keyring=rotated)
    try:
        with services_on(migrated_url, practice_file, rotated) as new:

            def take_calls() -> None:
                try:
                    during.extend(_call(new, n) for n in range(3, 6))
                except BaseException as exc:  # reported by the test thread
                    failures.append(exc)

            caller = threading.Thread(target=take_calls)
            caller.start()
            passes = 0
            while caller.is_alive() or passes == 0:
                rotate(engine, batch=3)
                passes += 1
            caller.join()
            assert failures == []
            for report in during:
                expected[report.call.id] = _stored(new, report)
        rotate(engine, batch=3)
        assert set(pending_rows(engine).values()) == {0}
    finally:
        engine.dispose()

    only_new = Keyring("knew", {"knew": rotated.keys["knew"]}, rotated.blind_index_key)
    engine = make_engine(migrated_url, keyring=only_new)
    try:
        assert verify(engine).ok
    finally:
        engine.dispose()
    with services_on(migrated_url, practice_file, only_new) as check:
        for report in [*before, *during]:
            assert _stored(check, report) == expected[report.call.id]
    assert len(expected) == 6


def test_plain_rows_from_before_encryption_are_read_and_then_sealed(
    migrated_url: str, test_keyring: Keyring
) -> None:
    """Rows written in plain text (as before revision 0010) are read as they are, reported
    by `verify`, and sealed by `rotate`, with their lookups filled."""
    engine = make_engine(migrated_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO clients (id, name, date_of_birth, phone, email, created_at) "
                    "VALUES ('c1', 'Ada Plainrow', '1970-05-06', '+13125550001', NULL, "
                    ":at)"
                ),
                {"at": AT},
            )
        before = verify(engine)
        assert not before.ok
        assert {(f.table, f.row, f.column) for f in before.failures} == {
            ("clients", "c1", "name"),
            ("clients", "c1", "date_of_birth"),
            ("clients", "c1", "phone"),
        }
        assert pending_rows(engine)["clients"] == 1
        results = {r.table: r for r in rotate(engine)}
        assert results["clients"].rewritten == 1
        assert verify(engine).ok
        with engine.connect() as connection:
            raw = connection.execute(text("SELECT name, phone FROM clients")).one()
        assert not any("Plainrow" in value or "5550001" in value for value in raw)
    finally:
        engine.dispose()
    engine = make_engine(migrated_url)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        found = clients.verify(
            phone="+13125550001",
            name="Ada Plainrow",
            date_of_birth=date(1970, 5, 6),
            uow=uow,
        )
        assert found == "c1"
    finally:
        engine.dispose()


def test_keys_commands_generate_add_rotate_and_verify(
    tmp_path: Path,
    practice_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`keys generate` writes a 0600 key file, `keys add` adds a key that encrypts from
    then on, `keys rotate` re-seals what the old key sealed, `keys verify` proves it."""
    key_file = tmp_path / "frontdesk.keys"
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    monkeypatch.setenv("FRONTDESK_KEY_FILE", str(key_file))
    assert main(["keys", "generate", str(key_file)]) == 0
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert main(["migrate"]) == 0
    first = read_key_file(key_file)
    with services_on(url, practice_file, first) as services:
        _call(services, 0)
    assert main(["keys", "add", "--id", "ksecond"]) == 0
    assert key_file.stat().st_mode & 0o777 == 0o600
    capsys.readouterr()
    assert main(["keys", "rotate", "--dry-run", "--json"]) == 0
    assert '"calls": 1' in capsys.readouterr().out
    assert main(["keys", "rotate"]) == 0
    assert "every value is sealed with the newest key" in capsys.readouterr().out
    assert main(["keys", "verify"]) == 0
    out = capsys.readouterr().out
    assert "every stored value decrypts" in out
    assert "ksecond" in out
    assert first.encrypt_id not in out
    assert main(["keys", "generate", str(key_file)]) == 2
    assert "exists already" in capsys.readouterr().err
    engine = make_engine(url, keyring=read_key_file(key_file))
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        rotations = audit.entries(uow=uow, action="key_rotate")
        checks = audit.entries(uow=uow, action="key_verify")
    finally:
        engine.dispose()
    assert [(r.entry.object_kind, r.entry.object_id) for r in rotations] == [
        ("encryption_key", "ksecond")
    ]
    assert rotations[0].entry.actor == "cli"
    assert len(checks) == 1
    assert "failures=0" in checks[0].entry.detail
