"""`frontdesk users` against the example practice and a migrated SQLite file."""

from __future__ import annotations

import io
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.passwords import Argon2Passwords
from frontdesk.adapters.practice_file import load_practice
from frontdesk.entrypoints.cli.commands import users
from frontdesk.entrypoints.cli.main import main

PASSWORD = "a long staff passphrase"


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The example practice file and a migrated database, named by the environment."""
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), tmp_path / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    upgrade(url)
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(tmp_path / "practice.yaml"))
    return tmp_path / "practice.yaml", url


def _stored_hash(url: str, username: str) -> str:
    engine = make_engine(url)
    try:
        with SqlAlchemyUnitOfWork(make_session_factory(engine)) as uow:
            account = uow.staff.get_by_username(username)
    finally:
        engine.dispose()
    assert account is not None
    return account.password_hash


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_the_first_admin_and_the_other_roles_are_made_from_the_cli(
    office: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`add` stores an Argon2 hash of the password read from stdin and prints the id; a
    clinician is linked to a clinician id of the practice; `list` never shows a secret."""
    practice, url = office
    _stdin(monkeypatch, PASSWORD + "\n")
    assert main(["users", "add", "Alex", "--role", "admin", "--password-stdin"]) == 0
    user_id = capsys.readouterr().out.strip()
    assert len(user_id) == 32
    assert Argon2Passwords().verify(_stored_hash(url, "alex"), PASSWORD)
    clinician = load_practice(practice).clinicians[0].id
    _stdin(monkeypatch, PASSWORD + "\n")
    assert (
        main(
            [
                "users",
                "add",
                "dr",
                "--role",
                "clinician",
                "--clinician",
                clinician,
                "--password-stdin",
            ]
        )
        == 0
    )
    assert main(["users", "add", "desk", "--role", "front_desk", "--generate-password"]) == 0
    out = capsys.readouterr().out
    generated = out.split("password: ")[1].strip()
    assert Argon2Passwords().verify(_stored_hash(url, "desk"), generated)
    assert main(["users", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["username"], r["role"], r["clinician"]) for r in rows] == [
        ("alex", "admin", None),
        ("desk", "front_desk", None),
        ("dr", "clinician", clinician),
    ]
    assert all(set(r) >= {"second_factor", "disabled"} for r in rows)
    assert main(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "dr" in listing
    assert f"clinician={clinician}" in listing
    assert PASSWORD not in listing
    assert generated not in listing


def test_bad_input_is_a_clear_error_and_changes_nothing(
    office: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A short password, a clinician without an id of the practice, a taken name, two typed
    passwords that differ, an unknown user: one line on stderr, exit 2, nothing stored."""
    _stdin(monkeypatch, "short\n")
    assert main(["users", "add", "sam", "--role", "front_desk", "--password-stdin"]) == 2
    _stdin(monkeypatch, PASSWORD + "\n")
    assert (
        main(
            [
                "users",
                "add",
                "dr",
                "--role",
                "clinician",
                "--clinician",
                "c-nobody",
                "--password-stdin",
            ]
        )
        == 2
    )
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(users.getpass, "getpass", lambda prompt: next(answers))
    assert main(["users", "add", "sam", "--role", "front_desk"]) == 2
    assert main(["users", "disable", "ghost"]) == 2
    err = capsys.readouterr().err
    assert "at least 12 characters" in err
    assert "no clinician 'c-nobody'" in err
    assert "differ" in err
    assert "no staff user" in err
    assert PASSWORD not in err
    assert main(["users", "list"]) == 0
    assert "no staff accounts yet" in capsys.readouterr().out


def test_disable_enable_and_reset_password(
    office: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Disable and enable flip the state; the last admin is kept; reset-password stores a
    new hash (typed at the prompt twice)."""
    _, url = office
    for name, role in (("boss", "admin"), ("sam", "front_desk")):
        _stdin(monkeypatch, PASSWORD + "\n")
        assert main(["users", "add", name, "--role", role, "--password-stdin"]) == 0
    assert main(["users", "disable", "sam"]) == 0
    assert "sam: disabled" in capsys.readouterr().out
    assert main(["users", "disable", "boss"]) == 2
    assert "last enabled admin" in capsys.readouterr().err
    assert main(["users", "enable", "sam"]) == 0
    assert "sam: enabled" in capsys.readouterr().out
    new = "another long passphrase"
    monkeypatch.setattr(users.getpass, "getpass", lambda prompt: new)
    assert main(["users", "reset-password", "sam", "--reset-second-factor"]) == 0
    assert "password changed" in capsys.readouterr().out
    assert Argon2Passwords().verify(_stored_hash(url, "sam"), new)
    assert main(["users", "reset-password", "sam", "--generate-password"]) == 0
    assert "password: " in capsys.readouterr().out
    _stdin(monkeypatch, "\n")
    assert main(["users", "reset-password", "sam", "--password-stdin"]) == 2


def test_doctor_warns_until_there_is_an_admin(
    office: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`frontdesk doctor` names the missing console admin, and is content once one exists."""

    def staff_finding() -> dict[str, str]:
        main(["doctor", "--json"])
        findings = json.loads(capsys.readouterr().out)["findings"]
        return next(f for f in findings if f["check"] == "staff")

    assert staff_finding()["severity"] == "warning"
    _stdin(monkeypatch, PASSWORD + "\n")
    assert main(["users", "add", "boss", "--role", "admin", "--password-stdin"]) == 0
    capsys.readouterr()
    assert staff_finding() == {
        "check": "staff",
        "severity": "ok",
        "message": "1 enabled admin account(s)",
    }
