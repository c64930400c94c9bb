"""`frontdesk scripts add-missing` and what `frontdesk check` says about missing or extra lines."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from tests.services.test_script_upgrade import without

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.script_file import default_script_library, load_script_library
from frontdesk.conversation.lines import Line
from frontdesk.entrypoints.cli.main import main

SHIPPED = (resources.files("frontdesk.data.scripts") / "default.yaml").read_text("utf-8")
CLOSEST = default_script_library().line(Line.OFFER_CLOSEST).text


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No practice file from outside; the database a SQLite file here, not yet created."""
    for name in ("FRONTDESK_PRACTICE_FILE", "FRONTDESK_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'frontdesk.db'}")
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "WARNING")


@pytest.fixture
def database(tmp_path: Path) -> str:
    """The migrated database FRONTDESK_DATABASE_URL names, where add-missing records."""
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    upgrade(url)
    return url


def audit_log(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    """`frontdesk audit log --json`, newest first."""
    capsys.readouterr()
    assert main(["audit", "log", "--json"]) == 0
    entries: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return entries


def write_practice(directory: Path, scripts: str | None) -> Path:
    """The example practice with `scripts` as its library (None: no `scripts:` at all)."""
    example = (resources.files("frontdesk.data") / "example_practice.yaml").read_text("utf-8")
    path = directory / "practice.yaml"
    if scripts is None:
        lines = example.splitlines(keepends=True)
        example = "".join(line for line in lines if not line.startswith("scripts:"))
    else:
        (directory / "scripts.yaml").write_text(scripts, "utf-8")
    path.write_text(example, "utf-8")
    return path


def test_check_names_the_missing_lines_their_wording_and_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library from before `offer_closest` fails the check in one line that says how to
    add it, followed by the wording that would be added."""
    practice = write_practice(tmp_path, without(SHIPPED, Line.OFFER_CLOSEST))
    assert main(["check", "--practice", str(practice)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"frontdesk: {practice}: scripts: the script library is missing required lines: "
        "offer_closest; run `frontdesk scripts add-missing` to append the shipped wording of "
        "each for review"
    )
    assert f"frontdesk scripts add-missing --practice {practice}" in err[1]
    assert err[2] == f"  offer_closest: {CLOSEST}"


def test_check_json_lists_missing_and_unknown_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json still prints the summary, with `scripts.missing` and `scripts.unknown`, and
    exits 2 while a line is missing."""
    scripts = without(SHIPPED, Line.OFFER_CLOSEST).replace("  noted:", "  greting: Hi.\n  noted:")
    practice = write_practice(tmp_path, scripts)
    assert main(["check", "--practice", str(practice), "--json"]) == 2
    summary = json.loads(capsys.readouterr().out)["scripts"]
    assert summary["missing"] == [{"id": "offer_closest", "text": CLOSEST, "whole": False}]
    assert summary["unknown"] == [{"id": "greting", "did_you_mean": "greeting"}]


def test_check_warns_about_lines_the_engine_never_speaks_and_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An extra line (a retired or misspelt id) is a warning naming it, not a failure."""
    scripts = SHIPPED.replace("  noted:", "  greting: Hi.\n  old_goodbye: Bye.\n  noted:")
    practice = write_practice(tmp_path, scripts)
    assert main(["check", "--practice", str(practice)]) == 0
    out = capsys.readouterr().out
    assert (
        "  warning: the script library has lines this version never speaks, ignored: "
        "greting (did you mean greeting?), old_goodbye; remove or rename them"
    ) in out


def test_add_missing_appends_lists_and_then_check_passes(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """add-missing writes the missing lines, lists them on stdout, and the check then passes."""
    scripts = without(SHIPPED, Line.OFFER_CLOSEST).replace("reviewed: false", "reviewed: true")
    practice = write_practice(tmp_path, scripts)
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 0
    out = capsys.readouterr().out
    assert f"Added 1 line to {tmp_path / 'scripts.yaml'}" in out
    assert f"  offer_closest: {CLOSEST}" in out
    assert "it was set to `reviewed: false`" in out
    assert load_script_library(tmp_path / "scripts.yaml").reviewed is False
    assert main(["check", "--practice", str(practice)]) == 0


def test_add_missing_twice_changes_nothing_the_second_time(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second run says there is nothing to add and leaves the file as the first left it."""
    practice = write_practice(tmp_path, without(SHIPPED, Line.OFFER_CLOSEST))
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 0
    once = (tmp_path / "scripts.yaml").read_bytes()
    capsys.readouterr()
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 0
    assert "has every line this version speaks; nothing to add" in capsys.readouterr().out
    assert (tmp_path / "scripts.yaml").read_bytes() == once


def test_add_missing_dry_run_lists_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--dry-run lists the lines it would add and leaves the file as it was."""
    scripts = without(SHIPPED, Line.OFFER_CLOSEST)
    practice = write_practice(tmp_path, scripts)
    assert main(["scripts", "add-missing", "--dry-run", "--practice", str(practice)]) == 0
    out = capsys.readouterr().out
    assert "Would add 1 line" in out
    assert "dry run, nothing written" in out
    assert (tmp_path / "scripts.yaml").read_text("utf-8") == scripts
    assert not (tmp_path / "frontdesk.db").exists()  # no database opened, nothing recorded


def test_add_missing_records_each_added_line_in_the_audit_log(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The added line is recorded by id, as a change from the command line, without its
    wording; a second run with nothing to add records nothing more."""
    practice = write_practice(tmp_path, without(SHIPPED, Line.OFFER_CLOSEST))
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 0
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 0
    recorded = [e for e in audit_log(capsys) if e["object_kind"] == "script_line"]
    assert [(e["actor"], e["action"], e["object_id"]) for e in recorded] == [
        ("cli", "create", "offer_closest")
    ]
    assert CLOSEST not in json.dumps(recorded)


def test_add_missing_refuses_a_database_behind_the_schema_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where the addition cannot be recorded (the database not migrated), the file is left
    as it was and the command says to migrate."""
    scripts = without(SHIPPED, Line.OFFER_CLOSEST)
    practice = write_practice(tmp_path, scripts)
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 2
    assert "frontdesk migrate" in capsys.readouterr().err
    assert (tmp_path / "scripts.yaml").read_text("utf-8") == scripts


def test_add_missing_refuses_a_file_that_does_not_parse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A library that is not valid YAML is refused with its file and line, exit 2, untouched."""
    broken = 'version: "1"\nlines:\n  greeting: "unclosed\n'
    practice = write_practice(tmp_path, broken)
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"frontdesk: {tmp_path / 'scripts.yaml'}:")
    assert "invalid YAML" in err
    assert (tmp_path / "scripts.yaml").read_text("utf-8") == broken


def test_add_missing_warns_about_unknown_lines_and_keeps_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An id the engine never speaks is named on stderr, with the likely intended id."""
    practice = write_practice(tmp_path, SHIPPED.replace("  noted:", "  greting: Hi.\n  noted:"))
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err
    assert "greting (did you mean greeting?)" in captured.err
    assert "nothing to add" in captured.out
    assert "greting" in load_script_library(tmp_path / "scripts.yaml").lines


def test_add_missing_says_when_a_line_is_still_refused(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lines added, but the library still fails the engine check (crisis wording that can be
    cut short): exit 1, naming why."""
    scripts = without(SHIPPED, Line.OFFER_CLOSEST, Line.SAFETY_CHECK).replace(
        "  safety_check_thanks:", "  safety_check: Are you safe?\n  safety_check_thanks:"
    )
    practice = write_practice(tmp_path, scripts)
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 1
    captured = capsys.readouterr()
    assert "Added 1 line" in captured.out
    assert "still refused" in captured.err
    assert "must be read whole" in captured.err


def test_add_missing_with_the_packaged_default_library_has_nothing_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A practice without `scripts:` uses the packaged library, which lacks nothing."""
    practice = write_practice(tmp_path, None)
    assert main(["scripts", "add-missing", "--practice", str(practice)]) == 0
    assert "uses the packaged default" in capsys.readouterr().out
    assert not (tmp_path / "scripts.yaml").exists()
