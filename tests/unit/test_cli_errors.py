"""Every command fails the documented way: `frontdesk: …` on stderr, exit 2, no traceback."""

from __future__ import annotations

import io
import shutil
import socket
import sqlite3
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.entrypoints.cli.main import describe_failure, main

COMMANDS_THAT_NEED_THE_DATABASE = [
    ["serve"],
    ["worker", "--once"],
    ["migrate"],
    ["callbacks"],
    ["outbox"],
    ["openings"],
    ["appointments"],
    ["waitlist"],
    ["report"],
]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def practice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped example practice and script library, named by FRONTDESK_PRACTICE_FILE."""
    data = resources.files("frontdesk.data")
    path = tmp_path / "practice.yaml"
    path.write_text((data / "example_practice.yaml").read_text(encoding="utf-8"))
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(path))
    return path


def _assert_one_line_refusal(code: int, capsys: pytest.CaptureFixture[str], *expected: str) -> str:
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("frontdesk: ")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    for words in expected:
        assert words in err
    return err


@pytest.mark.parametrize("command", COMMANDS_THAT_NEED_THE_DATABASE, ids=" ".join)
def test_an_unreachable_postgresql_server_is_one_line(
    command: list[str],
    practice: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With no PostgreSQL server answering, the command says the database cannot be reached."""
    url = f"postgresql://postgres@127.0.0.1:{_closed_port()}/test"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    _assert_one_line_refusal(main(command), capsys, "database", "cannot be reached")


@pytest.mark.parametrize("command", COMMANDS_THAT_NEED_THE_DATABASE, ids=" ".join)
def test_a_sqlite_file_that_cannot_be_opened_is_one_line(
    command: list[str],
    practice: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A SQLite path in a missing folder is refused with the driver's reason, not a trace."""
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'such.db'}")
    _assert_one_line_refusal(main(command), capsys, "unable to open database file")


def test_serve_on_a_port_in_use_is_one_line(
    practice: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`serve` on a port another program holds is refused before the server starts."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    upgrade(url)
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        code = main(["serve", "--port", str(port)])
    _assert_one_line_refusal(code, capsys, f"cannot listen on 127.0.0.1:{port}")


def test_screen_refuses_a_binary_input_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`screen --input` on a file that is not UTF-8 text names the file."""
    path = tmp_path / "calls.txt"
    path.write_bytes(b"I want to book\n\xff\xfe\x00\x81 binary\n")
    code = main(["screen", "--input", str(path)])
    _assert_one_line_refusal(code, capsys, f"{path} is not UTF-8 text")


def test_screen_refuses_binary_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`screen --input -` with binary bytes on standard input is refused the same way."""
    raw = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\xff")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    code = main(["screen", "--json", "--input", "-"])
    _assert_one_line_refusal(code, capsys, "standard input is not UTF-8 text")


def test_a_missing_input_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """An input file that does not exist is named in a one-line refusal."""
    code = main(["screen", "--input", "/no/such/calls.txt"])
    _assert_one_line_refusal(code, capsys, "/no/such/calls.txt")


def test_a_refused_statement_never_quotes_the_statement_or_its_values() -> None:
    """A database error met at the edge is described by its kind, without SQL or values."""
    error = IntegrityError(
        "INSERT INTO clients (name) VALUES (?)",
        ("Ana Lopez",),
        sqlite3.IntegrityError("UNIQUE constraint failed: clients.name"),
    )
    described = describe_failure(error)
    assert "Ana" not in described
    assert "INSERT" not in described
    assert "IntegrityError" in described


def test_a_dropped_connection_mid_statement_never_quotes_the_statement() -> None:
    """A server lost during a statement is reported as unreachable, without the statement."""
    error = OperationalError(
        "SELECT * FROM calls WHERE caller = ?", ("+13125550142",), sqlite3.OperationalError("x")
    )
    described = describe_failure(error)
    assert "cannot be reached" in described
    assert "3125550142" not in described
    assert "SELECT" not in described


def test_an_unexpected_error_is_named_by_its_kind_only() -> None:
    """An error nobody anticipated shows its type and how to see more, never its message."""
    described = describe_failure(KeyError("Ana Lopez"))
    assert "KeyError" in described
    assert "Ana" not in described
    assert "FRONTDESK_LOG_LEVEL=DEBUG" in described
