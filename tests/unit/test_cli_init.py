"""`frontdesk init` and `frontdesk check`: example files, database, refusals, practice lookup."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from frontdesk.adapters.db.migrations import current, head
from frontdesk.adapters.practice_file import load_practice
from frontdesk.config import Settings
from frontdesk.entrypoints.cli.commands.init import database_url_for
from frontdesk.entrypoints.cli.main import main


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FRONTDESK_PRACTICE_FILE", "FRONTDESK_DATABASE_URL", "FRONTDESK_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "WARNING")


def _write_practice(directory: Path, name: str) -> Path:
    """The example practice renamed to `name`, with the default library beside it."""
    directory.mkdir(parents=True, exist_ok=True)
    example = (resources.files("frontdesk.data") / "example_practice.yaml").read_text("utf-8")
    path = directory / "practice.yaml"
    path.write_text(example.replace("name: Cedar Grove Counseling", f"name: {name}"), "utf-8")
    default = (resources.files("frontdesk.data.scripts") / "default.yaml").read_text("utf-8")
    (directory / "scripts.yaml").write_text(default, "utf-8")
    return path


def test_init_writes_a_valid_practice_and_creates_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`init DIR` writes practice.yaml and scripts.yaml that load, and migrates DIR/frontdesk.db."""
    target = tmp_path / "new" / "practice"
    assert main(["init", str(target)]) == 0
    practice = load_practice(target / "practice.yaml")
    assert practice.name == "Cedar Grove Counseling"
    assert practice.scripts.reviewed is False
    database = target / "frontdesk.db"
    assert current(f"sqlite:///{database}") == head()
    out = capsys.readouterr().out
    assert f"Wrote {target / 'practice.yaml'}" in out
    assert f"Wrote {target / 'scripts.yaml'}" in out
    assert f"frontdesk check --practice {target / 'practice.yaml'}" in out


def test_init_defaults_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without DIR, init writes into the working directory, where check then finds the file."""
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert (tmp_path / "practice.yaml").is_file()
    assert (tmp_path / "frontdesk.db").is_file()
    assert main(["check"]) == 0


def test_init_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An existing practice file is left untouched unless --force is given."""
    (tmp_path / "practice.yaml").write_text("name: Mine\n", "utf-8")
    assert main(["init", str(tmp_path)]) == 1
    assert (tmp_path / "practice.yaml").read_text("utf-8") == "name: Mine\n"
    assert not (tmp_path / "scripts.yaml").exists()
    assert not (tmp_path / "frontdesk.db").exists()
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "--force" in err


def test_init_with_force_overwrites(tmp_path: Path) -> None:
    """--force replaces existing files with the example."""
    (tmp_path / "practice.yaml").write_text("name: Mine\n", "utf-8")
    (tmp_path / "scripts.yaml").write_text("version: old\n", "utf-8")
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert load_practice(tmp_path / "practice.yaml").name == "Cedar Grove Counseling"


def test_init_uses_an_explicit_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FRONTDESK_DATABASE_URL, when set, is the database init creates."""
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite:///{elsewhere}")
    assert main(["init", str(tmp_path / "site")]) == 0
    assert current(f"sqlite:///{elsewhere}") == head()
    assert not (tmp_path / "site" / "frontdesk.db").exists()


def test_database_url_defaults_to_a_file_in_the_directory(tmp_path: Path) -> None:
    """Without an explicit URL the database is DIR/frontdesk.db, as an absolute SQLite URL."""
    url = database_url_for(tmp_path / "x", Settings())
    assert url == f"sqlite:///{(tmp_path / 'x' / 'frontdesk.db').resolve()}"


def test_practice_lookup_prefers_option_then_environment_then_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--practice wins over FRONTDESK_PRACTICE_FILE, which wins over ./practice.yaml."""
    here = _write_practice(tmp_path / "here", "Here Counseling")
    env = _write_practice(tmp_path / "env", "Env Counseling")
    option = _write_practice(tmp_path / "option", "Option Counseling")
    monkeypatch.chdir(here.parent)

    assert main(["check"]) == 0
    assert "practice:      Here Counseling" in capsys.readouterr().out

    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(env))
    assert main(["check"]) == 0
    assert "practice:      Env Counseling" in capsys.readouterr().out

    assert main(["check", "--practice", str(option)]) == 0
    assert "practice:      Option Counseling" in capsys.readouterr().out


def test_check_without_any_practice_file_explains_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no file anywhere, check exits 2 and points at --practice and init."""
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "no practice file found" in err
    assert "frontdesk init" in err


def test_check_reports_a_broken_file_with_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken practice file makes check exit 2 with FILE:LINE: field: problem."""
    path = _write_practice(tmp_path, "Broken Counseling")
    text = path.read_text("utf-8").replace("licensed_states: [IL, WI]", "licensed_states: [IL, ZZ]")
    path.write_text(text, "utf-8")
    line = text[: text.index("[IL, ZZ]")].count("\n") + 1
    assert main(["check", "--practice", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line}: clinicians[0].licensed_states[1]: 'ZZ' is not a US state code" in err


def test_check_refuses_a_library_missing_engine_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A script library without every line the engine speaks fails the check."""
    path = _write_practice(tmp_path, "Short Scripts")
    (tmp_path / "scripts.yaml").write_text('version: "1"\nlines:\n  hello: Hello.\n', "utf-8")
    assert main(["check", "--practice", str(path)]) == 2
    assert "missing required lines" in capsys.readouterr().err


def test_check_refuses_a_direct_safety_question_that_can_be_cut_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library whose `safety_check` line is not `whole: true` fails the check."""
    path = _write_practice(tmp_path, "Partial Question")
    scripts = tmp_path / "scripts.yaml"
    text = scripts.read_text("utf-8")
    start = text.index("  safety_check:\n")
    end = text.index("  safety_check_thanks:")
    scripts.write_text(text[:start] + "  safety_check: Are you safe?\n" + text[end:], "utf-8")
    assert main(["check", "--practice", str(path)]) == 2
    assert "must be read whole" in capsys.readouterr().err


def test_check_json_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one object with clinicians, states, payers, services and script review."""
    path = _write_practice(tmp_path, "Json Counseling")
    assert main(["check", "--practice", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["practice"] == "Json Counseling"
    assert len(summary["clinicians"]) == 5
    assert summary["states"] == ["IL", "IN", "MI", "MN", "WI"]
    assert "bcbs" in summary["payers"]
    assert [s["kind"] for s in summary["services"]] == ["consult", "first_session", "ongoing"]
    assert summary["services"][0]["fee"] == "0.00"
    assert summary["hours"]["saturday"] == []
    assert summary["scripts"]["reviewed"] is False
