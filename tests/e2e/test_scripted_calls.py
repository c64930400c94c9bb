"""Scripted calls through `frontdesk simulate`: the real engine, services and SQLite.

Each `calls/*.txt` is one call; its `# expect:` header lines state the outcome as
`key=value` pairs: `result`, `route`, `intent`, `intake.FIELD` (`intake.FIELD.0.KEY` indexes a
list), `evidence.FIELD.turn` / `.text` (null when the field cites nothing), `handoff` /
`handoff.FIELD`, `appointment` / `appointment.FIELD` (`null` for none), `said=TEXT` (some
agent line contains TEXT), `never=TEXT` (none does) and `quoted=TEXT` (the hand-off summary
staff read contains TEXT).

Each call runs on its own copy of a migrated database. Set-up headers seed it first:
`# client: NAME, YYYY-MM-DD` adds an established client calling from the script's number;
`# appointment: ISO-START CLINICIAN KIND MODALITY [LOCATION]` books that client a session
(as staff did a week earlier); `# at: ISO-TIME` sets when the call takes place (default
`AT`, so the times offered can be chosen: 1 pm slots, dates early in a month);
`# hook: take_chosen` books the slot the caller is asked to confirm for someone else just
before they answer, as if it were taken meanwhile; `# safety_check: TEXT` makes the screen's
verdict on exactly TEXT ask the direct safety question (`tests.screen_fakes.AskingScreen`),
so the question flow runs through the real engine, services and database.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest
from tests.screen_fakes import AskingScreen

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.script_file import default_script_library
from frontdesk.bootstrap import Services, build
from frontdesk.config import Settings
from frontdesk.conversation.state import CallState, Stage
from frontdesk.domain.appointments import ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import Slot
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import CallId
from frontdesk.entrypoints.cli.commands.simulate import (
    DEFAULT_CALLER,
    call_json,
    parse_script,
    run_script,
)
from frontdesk.entrypoints.cli.main import main
from frontdesk.services import appointments, clients

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
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file at the newest migration, copied for each call."""
    path = tmp_path_factory.mktemp("db") / "migrated.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def database(migrated: Path, tmp_path: Path) -> str:
    """A fresh migrated database for one call."""
    path = tmp_path / "calls.db"
    shutil.copyfile(migrated, path)
    return f"sqlite:///{path}"


def headers(script: Path, name: str) -> list[str]:
    """The values of a script's `# NAME:` header lines, in order."""
    prefix = f"# {name}:"
    lines = script.read_text(encoding="utf-8").splitlines()
    return [line[len(prefix) :].strip() for line in lines if line.startswith(prefix)]


def call_time(script: Path) -> datetime:
    """When the scripted call takes place: its `# at:` header, else `AT`."""
    return datetime.fromisoformat(next(iter(headers(script, "at")), AT))


def seed(script: Path, services: Services) -> None:
    """Add the clients and appointments the script's set-up headers name."""
    at = call_time(script)
    client_id = None
    for header in headers(script, "client"):
        name, born = (part.strip() for part in header.rsplit(",", 1))
        client_id = clients.add(
            name=name,
            date_of_birth=date.fromisoformat(born),
            phone=DEFAULT_CALLER,
            at=at - timedelta(days=30),
            uow=services.uow(),
        )
    for header in headers(script, "appointment"):
        assert client_id is not None, "an appointment header needs a client header first"
        start_text, clinician, kind, modality, *where = header.split()
        start = datetime.fromisoformat(start_text)
        length = services.practice.schedule.appointment_type(ServiceKind(kind)).duration
        slot = Slot(
            clinician,
            start,
            start + length,
            ServiceKind(kind),
            Modality(modality),
            where[0] if where else None,
        )
        appointments.book(
            slot=slot,
            client=ClientRef(client_id=client_id),
            at=at - timedelta(days=7),
            uow=services.uow(),
            practice=services.practice,
            booked_by_ai=False,
            source=BookingSource.STAFF,
        )


def take_chosen_once() -> Callable[[Services, CallId], None]:
    """A hook that books the first slot the caller is asked to confirm, for someone else."""
    done: list[bool] = []

    def hook(services: Services, call_id: CallId) -> None:
        if not done and take_chosen(services, call_id):
            done.append(True)

    return hook


def take_chosen(services: Services, call_id: CallId) -> bool:
    """Book the slot the caller is being asked to confirm, for someone else; whether it did."""
    with services.uow() as uow:
        call = uow.calls.get(call_id)
    assert call is not None
    state = CallState.from_dict(dict(call.state))
    chosen = state.booking.chosen if state.booking else None
    if chosen is None or state.booking is None or state.booking.stage is not Stage.CONFIRMING:
        return False
    other = clients.add(
        name="Someone Else",
        date_of_birth=date(1990, 1, 1),
        phone="+15555550999",
        at=datetime.fromisoformat(AT),
        uow=services.uow(),
    )
    appointments.book(
        slot=chosen.slot,
        client=ClientRef(client_id=other),
        at=datetime.fromisoformat(AT),
        uow=services.uow(),
        practice=services.practice,
        booked_by_ai=False,
        source=BookingSource.STAFF,
    )
    return True


def run_call(script: Path, practice_file: Path, database: str) -> dict[str, object]:
    """Seed the database, run the scripted call through the services, return its JSON."""
    services = build(
        Settings(database_url=database, practice_file=practice_file, log_level="WARNING"),
        screen=AskingScreen.of(headers(script, "safety_check")),
    )
    seed(script, services)
    hook = take_chosen_once() if "take_chosen" in headers(script, "hook") else None
    turns = parse_script(script.read_text(encoding="utf-8").splitlines())
    call = run_script(
        turns,
        services=services,
        at=call_time(script),
        caller=DEFAULT_CALLER,
        before_turn=hook,
    )
    return call_json(call, services.practice.zone)


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
    """The value at a dotted path; a number indexes a list; a field without evidence is null."""
    value: object = outcome
    for part in key.split("."):
        if isinstance(value, list) and part.isdigit():
            value = value[int(part)]
            continue
        assert isinstance(value, dict), f"{key}: no such field"
        if key.startswith("evidence.") and part not in value:
            return None
        value = value[part]
    return value


def _text(value: object) -> str:
    return "null" if value is None else str(value)


def test_there_are_at_least_twenty_five_scripted_calls() -> None:
    """The scripted-call suite covers at least 25 calls, each stating what it expects."""
    assert len(SCRIPTS) >= 25
    assert all(expectations(script) for script in SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_scripted_call(script: Path, practice_file: Path, database: str) -> None:
    """The call ends as its script's `# expect:` header states."""
    document = run_call(script, practice_file, database)
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
        elif key == "quoted":
            handoff = outcome["handoff"]
            assert isinstance(handoff, dict), "no hand-off"
            assert expected in str(handoff["summary"]), f"not quoted {expected!r}"
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
    assert set(outcome) == {
        "result",
        "route",
        "intent",
        "intake",
        "evidence",
        "handoff",
        "appointment",
    }
    assert set(outcome["intake"]) == {
        "for_whom",
        "client_age",
        "client_name",
        "client_name_unconfirmed",
        "date_of_birth",
        "modality",
        "state",
        "payment",
        "payer",
        "out_of_network_payer",
        "availability",
        "reminder_preference",
        "callback_number",
        "callback_confirmed",
        "email",
        "email_unconfirmed",
        "concern",
        "clinician_preference",
        "appointment_said",
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


def _question_texts() -> dict[str, str]:
    """Each question's words (up to any placeholder), keyed by the question it asks."""
    library = default_script_library()
    texts: dict[str, str] = {}
    for line_id, line in library.lines.items():
        if line_id.startswith("ask_") and line_id != "ask_message":
            words = line.text.split("{", 1)[0].strip()
            if len(words) >= 15:
                texts[words] = line_id.removesuffix("_reworded")
    return texts


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_no_question_is_said_a_third_time(script: Path, practice_file: Path, database: str) -> None:
    """Whatever the caller does, each question is said at most twice in a call."""
    turns = run_call(script, practice_file, database)["turns"]
    assert isinstance(turns, list)
    said: Counter[str] = Counter()
    for turn in turns:
        agent = str(turn["agent"])
        for words, question in _question_texts().items():
            said[question] += agent.count(words)
    assert [q for q, n in said.items() if n > 2] == []


def test_simulate_asks_the_direct_question_on_the_screens_own_verdict(
    practice_file: Path,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`frontdesk simulate` asks the direct question once where the screen marks possible
    risk, and a clear no continues the intake with a same-day review flag."""
    script = CALLS / "55_safety_check_from_the_screen.txt"
    document = simulate(script, practice_file, database, monkeypatch, capsys)
    turns = document["turns"]
    outcome = document["outcome"]
    assert isinstance(turns, list)
    assert isinstance(outcome, dict)
    asked = [t for t in turns if "ending your life" in str(t["agent"])]
    assert [t["caller"] for t in asked] == ["honestly I feel hopeless"]
    assert outcome["route"] == "sensitive"
    assert outcome["handoff"]["category"] == "clinical"
