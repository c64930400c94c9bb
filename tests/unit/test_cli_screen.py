"""`frontdesk screen` and `frontdesk demo`: the command-line contract others depend on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from frontdesk.entrypoints.cli.main import main

CONTRACT_KEYS = {
    "text",
    "route",
    "categories",
    "matches",
    "experiencer",
    "lexicon_version",
    "reason",
    "safety_check",
}
MATCH_KEYS = {"rule", "phrase", "start", "end", "modifiers"}


def test_readable_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    """Plain `screen TEXT` prints the route, categories and each rule with its span."""
    assert main(["screen", "I want to die"]) == 0
    out = capsys.readouterr().out
    assert "route:       crisis" in out
    assert "suicidal ideation" in out
    assert "si.wish_dead" in out
    assert "[2:13]" in out


def test_words_are_joined(capsys: pytest.CaptureFixture[str]) -> None:
    """Unquoted words are screened as one utterance."""
    assert main(["screen", "--json", "I", "want", "to", "die"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "I want to die"


def test_json_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    """`--json` prints one object with the contract keys and match fields."""
    assert main(["screen", "--json", "my son said he wants to die"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) >= CONTRACT_KEYS
    assert record["route"] == "crisis"
    assert record["experiencer"] == "other"
    assert set(record["matches"][0]) >= MATCH_KEYS
    assert record["matches"][0]["modifiers"] == ["third_person"]


def test_input_file_one_object_per_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--input FILE --json` prints one object per input line, in order, blank lines included."""
    source = tmp_path / "calls.txt"
    source.write_text(
        "I want to die\n\nlet's shoot for Tuesday\nI need a copy of my records\n"
        "I just wish it would all go away\n"
    )
    assert main(["screen", "--input", str(source), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["route"] for r in records] == [
        "crisis",
        "routine",
        "routine",
        "administrative",
        "sensitive",
    ]
    # `safety_check` is in every object, true only where risk is possible but not clear.
    assert [r["safety_check"] for r in records] == [False, False, False, False, True]
    assert [r["text"] for r in records][2] == "let's shoot for Tuesday"
    assert all(set(r) >= CONTRACT_KEYS for r in records)


def test_input_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--input -` reads utterances from standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO("kms\nhe's not breathing\n"))
    assert main(["screen", "--input", "-", "--json"]) == 0
    routes = [json.loads(line)["route"] for line in capsys.readouterr().out.splitlines()]
    assert routes == ["crisis", "emergency"]


def test_input_file_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without `--json`, each input line gets a readable block that repeats its text."""
    source = tmp_path / "calls.txt"
    source.write_text("I want to die\ndo you take Aetna\n")
    assert main(["screen", "--input", str(source)]) == 0
    out = capsys.readouterr().out
    assert out.count("route:") == 2
    assert "text:        do you take Aetna" in out


@pytest.mark.parametrize(
    "argv",
    [["screen"], ["screen", "--input", "missing.txt"], ["screen", "hi", "--input", "-"]],
)
def test_bad_usage_is_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """No text, an unreadable file or both text and a file exit with status 2 and a message."""
    assert main(argv) == 2
    assert "frontdesk:" in capsys.readouterr().err


def test_custom_lexicon_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--lexicon DIR` that does not hold a lexicon is refused clearly."""
    assert main(["screen", "--lexicon", str(tmp_path), "hello"]) == 2
    assert "lexicon.toml" in capsys.readouterr().err


def test_readable_verdicts_for_piped_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--input -` without `--json` prints one readable verdict per piped line, in order."""
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\nI want to die\ncustody evaluation"))
    assert main(["screen", "--input", "-"]) == 0
    out = capsys.readouterr().out
    routes = [line.split()[1] for line in out.splitlines() if line.startswith("route:")]
    assert routes == ["routine", "crisis", "administrative"]
