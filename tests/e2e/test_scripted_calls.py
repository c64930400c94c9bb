"""Scripted calls through `frontdesk simulate`: the real engine, services and SQLite.

Each `calls/*.txt` is one call; its `# expect:` header lines state the outcome as
`key=value` pairs: `result`, `route`, `intent`, `intake.FIELD`, `handoff` / `handoff.FIELD`
(`null` for none), `said=TEXT` (some agent line contains TEXT) and `never=TEXT` (none does).
"""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from frontdesk.entrypoints.cli.main import main

CALLS = Path(__file__).parent / "calls"
SCRIPTS = sorted(CALLS.glob("*.txt"))
AT = "2026-03-03T10:00:00-06:00"  # a Tuesday morning: the front desk is open
_PAIR = re.compile(r"(\S+?)=(.*?)(?=\s+[\w.]+=|$)")


def expectations(script: Path) -> list[tuple[str, str]]:
    """The `(key, value)` pairs of a script's `# expect:` lines."""
    pairs: list[tuple[str, str]] = []
    for line in script.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            pairs.extend((k, v.strip()) for k, v in _PAIR.findall(line[len("# expect:") :].strip()))
    return pairs


@pytest.fixture(scope="module")
def practice_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example practice with the default script library beside it."""
    folder = tmp_path_factory.mktemp("practice")
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), folder / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
    return folder / "practice.yaml"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'calls.db'}"


def simulate(
    script: Path,
    practice_file: Path,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, object]:
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", database)
    monkeypatch.setenv("FRONTDESK_LOG_LEVEL", "WARNING")
    capsys.readouterr()
    status = main(
        [
            "simulate",
            "--script",
            str(script),
            "--practice",
            str(practice_file),
            "--at",
            AT,
            "--json",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    document: dict[str, object] = json.loads(out)
    return document


def _lookup(outcome: dict[str, object], key: str) -> object:
    value: object = outcome
    for part in key.split("."):
        assert isinstance(value, dict), f"{key}: no such field"
        value = value[part]
    return value


def _text(value: object) -> str:
    return "null" if value is None else str(value)


def test_there_are_at_least_twenty_five_scripted_calls() -> None:
    """The scripted-call suite covers at least 25 calls, each stating what it expects."""
    assert len(SCRIPTS) >= 25
    assert all(expectations(script) for script in SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_scripted_call(
    script: Path,
    practice_file: Path,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The call ends as its script's `# expect:` header states."""
    document = simulate(script, practice_file, database, monkeypatch, capsys)
    assert set(document) == {"turns", "outcome"}
    outcome = document["outcome"]
    turns = document["turns"]
    assert isinstance(outcome, dict)
    assert isinstance(turns, list)
    spoken = [str(t["agent"]).lower() for t in turns]
    for key, expected in expectations(script):
        if key == "said":
            assert any(expected.lower() in s for s in spoken), f"nothing said {expected!r}"
        elif key == "never":
            assert not any(expected.lower() in s for s in spoken), f"said {expected!r}"
        else:
            assert _text(_lookup(outcome, key)) == expected, key


def test_simulate_prints_the_documented_keys(
    practice_file: Path,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The JSON has exactly the documented turn and outcome keys."""
    document = simulate(SCRIPTS[0], practice_file, database, monkeypatch, capsys)
    outcome = document["outcome"]
    turns = document["turns"]
    assert isinstance(outcome, dict)
    assert isinstance(turns, list)
    assert set(outcome) == {"result", "route", "intent", "intake", "handoff", "appointment"}
    assert set(outcome["intake"]) == {
        "for_whom",
        "client_age",
        "modality",
        "state",
        "payment",
        "payer",
        "availability",
        "reminder_preference",
        "callback_number",
        "concern",
        "telehealth_constraints",
    }
    assert all(set(t) == {"caller", "agent", "route", "intent"} for t in turns)
    assert turns[0]["caller"] is None
    assert "automated assistant" in turns[0]["agent"]


def test_silence_and_digits_are_echoed_in_the_transcript(
    practice_file: Path,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """Silence is an empty caller turn with no intent; keypad input is shown as DIGITS."""
    script = tmp_path / "call.txt"
    script.write_text("# a comment\n\nDIGITS: 42\n", encoding="utf-8")
    turns = simulate(script, practice_file, database, monkeypatch, capsys)["turns"]
    assert isinstance(turns, list)
    assert [(t["caller"], t["intent"]) for t in turns[1:3]] == [("", None), ("DIGITS: 42", "other")]
