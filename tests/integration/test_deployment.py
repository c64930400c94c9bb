"""`frontdesk doctor` and the production start-up gate: a deployment is checked before use."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import postgres_database
from tests.integration.test_key_check import store_a_call

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.encryption import NO_POSTGRES_KEYS, Keyring, unconfigured, write_key_file
from frontdesk.config import Settings
from frontdesk.deployment import Finding, Severity, examine, require_ready
from frontdesk.domain.errors import ConfigurationError
from frontdesk.domain.messages import Channel
from frontdesk.entrypoints.cli.main import main

TOKEN = "0123456789abcdef0123456789abcdef"
KEYS = Keyring.generate().to_environment()
PRODUCTION: dict[str, Any] = {
    "encryption_keys": KEYS["FRONTDESK_ENCRYPTION_KEYS"],
    "blind_index_key": KEYS["FRONTDESK_BLIND_INDEX_KEY"],
    "environment": "production",
    "twilio_auth_token": TOKEN,
    "twilio_account_sid": "AC" + "0" * 32,
    "notifier": "twilio",
    "smtp_host": "mail.example.org",
    "smtp_from": "desk@example.org",
    "public_url": "https://frontdesk.example.org",
}
KEY_SETTINGS = ("encryption_keys", "blind_index_key")
REAL_NUMBERS = {
    "+13125550142": "+13125551042",
    "+13125550143": "+13125551043",
    "+13125550199": "+13125551099",
}


def write_practice(folder: Path, *, reviewed: bool, real_numbers: bool) -> Path:
    """The shipped example practice, its numbers and script review status as asked."""
    data = resources.files("frontdesk.data")
    text = (data / "example_practice.yaml").read_text(encoding="utf-8")
    if real_numbers:
        for fictional, real in REAL_NUMBERS.items():
            assert fictional in text
            text = text.replace(fictional, real)
    path = folder / "practice.yaml"
    path.write_text(text, encoding="utf-8")
    scripts = (data / "scripts" / "default.yaml").read_text(encoding="utf-8")
    assert "\nreviewed: false\n" in scripts
    if reviewed:
        scripts = scripts.replace("\nreviewed: false\n", "\nreviewed: true\n")
    (folder / "scripts.yaml").write_text(scripts, encoding="utf-8")
    return path


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    upgrade(url)
    return url


def _blocked(settings: Settings, practice: Path) -> set[str]:
    return {f.check for f in examine(settings, practice).blockers}


def test_a_finished_production_deployment_has_no_blocker(tmp_path: Path, database: str) -> None:
    """Reviewed scripts, real numbers, a migrated database, https and every channel: ready."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    settings = Settings(**PRODUCTION, database_url=database)
    assert examine(settings, practice).blockers == ()
    require_ready(settings, practice)


def test_the_example_practice_is_blocked_in_production(tmp_path: Path, database: str) -> None:
    """Production blocks the unreviewed default scripts and the example's fictional numbers."""
    practice = write_practice(tmp_path, reviewed=False, real_numbers=False)
    settings = Settings(**PRODUCTION, database_url=database)
    assert _blocked(settings, practice) == {"scripts", "phones"}
    with pytest.raises(ConfigurationError, match=r"phones\.main"):
        require_ready(settings, practice)


def test_the_staging_override_lets_unreviewed_scripts_through_with_a_warning(
    tmp_path: Path, database: str
) -> None:
    """FRONTDESK_ALLOW_UNREVIEWED_SCRIPTS turns the unreviewed-library blocker into a warning."""
    practice = write_practice(tmp_path, reviewed=False, real_numbers=True)
    settings = Settings(**PRODUCTION, database_url=database, allow_unreviewed_scripts=True)
    examination = examine(settings, practice)
    assert examination.blockers == ()
    assert "scripts" in {f.check for f in examination.warnings}


@pytest.mark.parametrize(
    ("change", "blocked"),
    [
        ({"smtp_host": None, "smtp_from": None}, "notifier"),
        ({"public_url": None}, "public_url"),
    ],
)
def test_production_blocks_an_undeliverable_channel_and_a_missing_public_url(
    tmp_path: Path, database: str, change: dict[str, Any], blocked: str
) -> None:
    """E-mail reminders without SMTP, or no public URL for signatures, block production."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    settings = Settings(**{**PRODUCTION, **change}, database_url=database)
    assert _blocked(settings, practice) == {blocked}


def test_a_channel_the_notifier_lacks_is_named(tmp_path: Path, database: str) -> None:
    """A notifier without phone calls is reported for the `call` reminders the calls offer."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    settings = Settings(**PRODUCTION, database_url=database)
    examination = examine(
        settings, practice, channels_of=lambda *_: frozenset({Channel.SMS, Channel.EMAIL})
    )
    (blocker,) = examination.blockers
    assert blocker.check == "notifier"
    assert "call" in blocker.message


@pytest.mark.parametrize("state", ["unmigrated", "unreachable"])
def test_a_database_not_ready_is_a_blocker(tmp_path: Path, state: str) -> None:
    """A database never migrated, or one that cannot be opened, blocks the deployment."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    url = (
        f"sqlite:///{tmp_path / 'empty.db'}"
        if state == "unmigrated"
        else f"sqlite:///{tmp_path / 'missing' / 'x.db'}"
    )
    settings = Settings(**PRODUCTION, database_url=url)
    assert _blocked(settings, practice) == {"database"}
    assert not (tmp_path / "empty.db").exists(), "doctor never creates a database file"


def test_outside_production_the_same_problems_are_warnings(tmp_path: Path, database: str) -> None:
    """Development reports the example practice's problems as warnings and blocks nothing."""
    practice = write_practice(tmp_path, reviewed=False, real_numbers=False)
    examination = examine(Settings(database_url=database), practice)
    assert examination.blockers == ()
    assert {"scripts", "phones", "public_url", "twilio"} <= {f.check for f in examination.warnings}
    require_ready(Settings(database_url=database), practice)


def test_a_library_line_the_engine_never_speaks_is_a_warning_even_in_production(
    tmp_path: Path, database: str
) -> None:
    """An extra (retired or misspelt) line blocks nothing; doctor names it, and the id meant."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    scripts = tmp_path / "scripts.yaml"
    text = scripts.read_text("utf-8").replace("  noted:", "  greting: Hi.\n  noted:")
    scripts.write_text(text, "utf-8")
    examination = examine(Settings(**PRODUCTION, database_url=database), practice)
    assert examination.blockers == ()
    assert (
        Finding(
            "scripts",
            Severity.WARNING,
            "the script library has lines this version never speaks, ignored: greting "
            "(did you mean greeting?); remove or rename them",
        )
        in examination.warnings
    )


def test_a_library_missing_a_line_blocks_and_names_the_command_that_adds_it(
    tmp_path: Path, database: str
) -> None:
    """A library from before a line was added is a practice blocker saying how to add it."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    scripts = tmp_path / "scripts.yaml"
    text = scripts.read_text("utf-8")
    start = text.index("  offer_closest:")
    end = text.index("  option_video:")
    scripts.write_text(text[:start] + text[end:], "utf-8")
    blockers = examine(Settings(database_url=database), practice).blockers
    assert [(b.check, b.message) for b in blockers] == [
        (
            "practice",
            "the script library is missing required lines: offer_closest; run "
            "`frontdesk scripts add-missing` to append the shipped wording of each for review",
        )
    ]


def test_doctor_prints_json_and_exits_1_on_a_blocker(
    tmp_path: Path,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`doctor --json` lists every finding with its severity and says whether it is ready."""
    practice = write_practice(tmp_path, reviewed=False, real_numbers=True)
    for name, value in {**PRODUCTION, "database_url": database}.items():
        monkeypatch.setenv(f"FRONTDESK_{name.upper()}", value)
    assert main(["doctor", "--practice", str(practice), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ready"] is False
    assert report["environment"] == "production"
    severities = {(f["check"], f["severity"]) for f in report["findings"]}
    assert ("scripts", Severity.BLOCKER.value) in severities
    assert ("database", Severity.OK.value) in severities
    assert TOKEN not in json.dumps(report)


def test_doctor_passes_a_ready_deployment(
    tmp_path: Path,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A ready deployment prints its findings and `0 blocker(s)`, and exits 0."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    for name, value in {**PRODUCTION, "database_url": database}.items():
        monkeypatch.setenv(f"FRONTDESK_{name.upper()}", value)
    assert main(["doctor", "--practice", str(practice)]) == 0
    assert "0 blocker(s)" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["serve"], ["worker", "--once"]], ids=" ".join)
def test_production_refuses_to_start_where_doctor_finds_a_blocker(
    command: list[str],
    tmp_path: Path,
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Production `serve` and `worker` on the example practice stop before starting."""
    practice = write_practice(tmp_path, reviewed=False, real_numbers=False)
    for name, value in {**PRODUCTION, "database_url": database}.items():
        monkeypatch.setenv(f"FRONTDESK_{name.upper()}", value)
    assert main([*command, "--practice", str(practice)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("frontdesk: production start refused")
    assert "scripts" in err
    assert "phones" in err


def test_a_line_changed_by_hand_after_console_approval_blocks_production(
    tmp_path: Path, database: str
) -> None:
    """`reviewed: true` must mean every line is approved as it reads once review is in use."""
    from datetime import UTC, datetime

    from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
    from frontdesk.domain.script_review import LineReview, ReviewAction
    from frontdesk.services import script_review

    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    settings = Settings(**PRODUCTION, database_url=database)
    engine = make_engine(database)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    scripts = tmp_path / "scripts.yaml"
    lines = script_review.overview(path=scripts, uow=uow).lines
    with uow:
        for state in lines:
            uow.script_reviews.add(
                LineReview(
                    line_id=state.line.id,
                    action=ReviewAction.APPROVED,
                    digest=state.digest,
                    actor="user:lead",
                    at=datetime.now(UTC),
                )
            )
        uow.commit()
    engine.dispose()
    assert examine(settings, practice).blockers == ()
    text = scripts.read_text(encoding="utf-8")
    scripts.write_text(text.replace("Thank you, I've noted that.", "Noted."), encoding="utf-8")
    (blocker,) = examine(settings, practice).blockers
    assert blocker.check == "scripts"
    assert "noted" in blocker.message


def test_doctor_names_where_the_keys_come_from_and_blocks_a_key_file_others_can_read(
    tmp_path: Path, database: str
) -> None:
    """The encryption finding names the key file and the encrypting key; a key file readable
    by others blocks production; no keys at all is a warning outside production."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    key_file = tmp_path / "frontdesk.keys"
    keyring = Keyring.generate()
    write_key_file(key_file, keyring)
    production = {k: v for k, v in PRODUCTION.items() if k not in KEY_SETTINGS}
    settings = Settings(**production, key_file=key_file, database_url=database)
    found = [f for f in examine(settings, practice).findings if f.check == "encryption"]
    assert [f.severity for f in found] == [Severity.OK, Severity.OK]
    assert str(key_file) in found[0].message
    assert keyring.encrypt_id in found[0].message
    key_file.chmod(0o644)
    assert "encryption" in _blocked(settings, practice)
    development = Settings(database_url=database)
    found = [f for f in examine(development, practice).findings if f.check == "encryption"]
    assert [f.severity for f in found] == [Severity.WARNING, Severity.OK]


@pytest.mark.postgres
def test_doctor_blocks_postgresql_without_keys_in_any_environment(tmp_path: Path) -> None:
    """PostgreSQL has no development key file: without keys doctor blocks even outside
    production, naming FRONTDESK_KEY_FILE and how to make one (not the SQLite key file)."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    for url in postgres_database():
        upgrade(url)
        with unconfigured():
            examination = examine(Settings(database_url=url), practice)
        found = [f for f in examination.findings if f.check == "encryption"]
        assert [(f.severity, f.message) for f in found] == [(Severity.BLOCKER, NO_POSTGRES_KEYS)]


def test_doctor_blocks_keys_that_open_none_of_the_stored_values(
    tmp_path: Path, database: str, test_keyring: Keyring
) -> None:
    """Keys that are not the ones the database was written with are a blocker (what `serve`
    refuses at start), naming the stored values' key id; the right keys are reported ok."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    store_a_call(database)
    wrong = Settings(database_url=database, **keys_of(Keyring.generate()))
    (blocker,) = examine(wrong, practice).blockers
    assert blocker.check == "encryption"
    assert "open none of the stored values" in blocker.message
    assert test_keyring.encrypt_id in blocker.message
    right = Settings(database_url=database, **keys_of(test_keyring))
    found = [f for f in examine(right, practice).findings if f.check == "encryption"]
    assert found[-1] == Finding(
        "encryption", Severity.OK, "the keys open the values the database holds"
    )


def test_doctor_makes_no_development_key_file(tmp_path: Path, database: str) -> None:
    """A SQLite database without its development key file yet is not probed (probing would
    make the file); doctor leaves no trace."""
    practice = write_practice(tmp_path, reviewed=True, real_numbers=True)
    with unconfigured():
        examine(Settings(database_url=database), practice)
    assert not (tmp_path / "frontdesk.db.keys").exists()


def keys_of(keyring: Keyring) -> dict[str, str]:
    """The settings that name `keyring` through the environment's two variables."""
    return {
        name.removeprefix("FRONTDESK_").lower(): value
        for name, value in keyring.to_environment().items()
    }
