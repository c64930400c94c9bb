"""Adding missing lines: the shipped wording appended, nothing else changed, review asked."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from tests.fakes import FakeUnitOfWork
from tests.services.test_script_review import approve_all

from frontdesk.adapters.script_file import (
    appended_lines_text,
    default_script_library,
    load_script_library,
)
from frontdesk.bootstrap import build
from frontdesk.config import Settings
from frontdesk.conversation.lines import Line, require_engine_lines
from frontdesk.conversation.safety import screen
from frontdesk.conversation.script import ScriptLine
from frontdesk.domain.errors import PracticeFileError
from frontdesk.services import audit, script_review
from frontdesk.services.script_upgrade import MissingLines, add_missing_lines, missing_lines
from frontdesk.services.staff_audit import CLI

AT = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
SHIPPED = (resources.files("frontdesk.data") / "scripts" / "default.yaml").read_text("utf-8")


def without(text: str, *line_ids: str) -> str:
    """The library text with each of `line_ids` (written as a block under its key) removed."""
    for line_id in line_ids:
        text, count = re.subn(rf"\n  {line_id}:.*\n(?:    .*\n)*", "\n", text)
        assert count == 1, line_id
    return text


def add(path: Path, *, at: datetime = AT, uow: FakeUnitOfWork | None = None) -> MissingLines:
    """Add the missing lines to `path` as `frontdesk scripts add-missing` does."""
    return add_missing_lines(path=path, at=at, uow=uow or FakeUnitOfWork(), by=CLI)


@pytest.fixture
def older(tmp_path: Path) -> Path:
    """A practice's library written before `offer_closest` and `crisis_repeat` existed, with
    its own edits and comments, marked reviewed."""
    text = without(SHIPPED, Line.OFFER_CLOSEST, Line.CRISIS_REPEAT)
    text = text.replace("\nreviewed: false\n", "\nreviewed: true\n")
    text = text.replace(
        "  noted: Thank you, I've noted that.\n",
        "  # our own wording, approved 2026-03-02\n  noted: Got it, thank you.\n",
    )
    path = tmp_path / "scripts.yaml"
    path.write_text(text, "utf-8")
    return path


def test_the_missing_lines_are_appended_with_the_shipped_wording(older: Path) -> None:
    """Each missing line gets the default's text (and `whole`), and the engine accepts it."""
    found = add(older)
    assert [line.id for line in found.added] == ["crisis_repeat", "offer_closest"]
    assert found.written
    library = load_script_library(older)
    shipped = default_script_library()
    for line_id in (Line.OFFER_CLOSEST, Line.CRISIS_REPEAT):
        assert library.line(line_id) == shipped.line(line_id)
    assert library.line(Line.CRISIS_REPEAT).whole
    require_engine_lines(library)


def test_nothing_already_written_is_changed_but_the_reviewed_flag(older: Path) -> None:
    """The old text is kept byte for byte (comments, order, own wording) before the added
    block; only `reviewed: true` became false."""
    before = older.read_text("utf-8")
    found = add(older)
    after = older.read_text("utf-8")
    assert found.unreviewed
    assert after.startswith(before.replace("\nreviewed: true\n", "\nreviewed: false\n"))
    added = after[len(before) :]
    assert "# --- added by `frontdesk scripts add-missing` on 2026-12-04" in added
    assert "Not reviewed by the practice" in added
    library = load_script_library(older)
    assert library.reviewed is False
    assert library.line("noted").text == "Got it, thank you."


def test_each_added_line_is_recorded_in_the_audit_log_by_id(older: Path) -> None:
    """One audit entry per added line, naming the line and who added it, never its wording;
    a dry run and a run with nothing to add record nothing."""
    uow = FakeUnitOfWork()
    missing_lines(path=older)
    add(older, uow=uow)
    add(older, uow=uow)
    recorded = [r.entry for r in audit.entries(uow=uow, object_kind="script_line")]
    assert sorted((e.object_id, e.action, e.actor, e.at) for e in recorded) == [
        ("crisis_repeat", "create", "cli", AT),
        ("offer_closest", "create", "cli", AT),
    ]
    assert {e.detail for e in recorded} == {
        "review=added wording=shipped_default library_reviewed=false"
    }


def test_running_it_again_adds_nothing_and_writes_nothing(older: Path) -> None:
    """Idempotent: a second run finds no missing line and leaves the file as it was."""
    add(older)
    once = older.read_bytes()
    again = add(older, at=datetime(2027, 1, 1, 9, tzinfo=UTC))
    assert again.added == ()
    assert not again.written
    assert older.read_bytes() == once


def test_a_dry_run_writes_nothing(older: Path) -> None:
    """A dry run reports what would be added, leaves the file untouched and records nothing."""
    before = older.read_bytes()
    found = missing_lines(path=older)
    assert [line.id for line in found.added] == ["crisis_repeat", "offer_closest"]
    assert found.unreviewed
    assert not found.written
    assert older.read_bytes() == before


def test_an_unreviewed_library_without_the_flag_keeps_its_text_and_gains_no_flag(
    tmp_path: Path,
) -> None:
    """A library that never wrote `reviewed:` is not given one: it is unreviewed already."""
    path = tmp_path / "scripts.yaml"
    path.write_text(without(SHIPPED, Line.OFFER_CLOSEST).replace("reviewed: false\n", ""), "utf-8")
    before = path.read_text("utf-8")
    found = add(path)
    assert not found.unreviewed
    assert path.read_text("utf-8").startswith(before)
    assert "\nreviewed:" not in path.read_text("utf-8")


def test_lines_followed_by_other_keys_get_the_new_lines_inside_the_mapping(
    tmp_path: Path,
) -> None:
    """With `version` after `lines`, the new lines go after the last line at its indentation,
    and the file's CRLF line endings are kept."""
    shipped = default_script_library()
    body = "".join(
        f"    {line_id}: {json.dumps(line.text)}\n"
        for line_id, line in sorted(shipped.lines.items())
        if line_id != Line.OFFER_CLOSEST
    )
    text = f"lines:\n{body}\n# trailing note\nversion: '7'\n"
    path = tmp_path / "scripts.yaml"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    add(path)
    written = path.read_bytes().decode("utf-8")
    assert "\n" not in written.replace("\r\n", "")
    assert written.index("\r\n    offer_closest: >-\r\n") < written.index("# trailing note")
    library = load_script_library(path)
    assert library.version == "7"
    assert library.line(Line.OFFER_CLOSEST).text == shipped.line(Line.OFFER_CLOSEST).text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('version: "1"\nlines:\n  greeting: "unclosed\n', "invalid YAML"),
        ('version: "1"\nlines:\n  greeting: Hello {\n', "placeholder"),
        ("lines:\n  greeting: Hello.\n", "version"),
        ('version: "1"\nlines: {greeting: Hello.}\n', "inline"),
    ],
    ids=["not-yaml", "bad-placeholder", "no-version", "inline-lines"],
)
def test_a_file_that_cannot_be_parsed_or_appended_to_is_refused_untouched(
    tmp_path: Path, text: str, problem: str
) -> None:
    """A broken file is refused naming the problem (and line), and is not written."""
    path = tmp_path / "scripts.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(PracticeFileError, match=problem):
        add(path)
    assert path.read_text("utf-8") == text


def test_unknown_lines_are_reported_and_kept(tmp_path: Path) -> None:
    """A line the engine never speaks is named in the result and left in the file."""
    path = tmp_path / "scripts.yaml"
    path.write_text(SHIPPED.replace("  noted:", "  greting: Hi.\n  noted:"), "utf-8")
    found = add(path)
    assert found.unknown == ("greting",)
    assert found.added == ()
    assert load_script_library(path).line("greting").text == "Hi."


def test_text_that_folding_would_change_is_written_quoted() -> None:
    """Doubled spaces or a line break survive: such text is written as one quoted scalar."""
    base = 'version: "1"\nlines:\n  first: One.\n'
    odd = ScriptLine("second", "Two  spaces,\nand a break.")
    text = appended_lines_text(base, [odd], heading=["note"], source="test")
    assert '  second: "Two  spaces,\\nand a break."\n' in text
    plain = ScriptLine("third", ("word " * 40).strip())
    text = appended_lines_text(base, [plain], heading=["note"], source="test")
    assert "  third: >-\n" in text


def test_added_lines_wait_for_approval_on_the_scripts_page(older: Path) -> None:
    """After a console review, the added lines are the only ones waiting for approval."""
    uow = FakeUnitOfWork()
    approve_all(older, uow)
    assert load_script_library(older).reviewed is True
    add(older)
    waiting = [
        s.line.id for s in script_review.overview(path=older, uow=uow).lines if not s.approved
    ]
    assert waiting == ["crisis_repeat", "offer_closest"]
    assert script_review.stale_lines(path=older, uow=uow) == ["crisis_repeat", "offer_closest"]


def test_start_up_logs_a_warning_naming_lines_the_engine_never_speaks(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Building the services from a practice file whose library has an extra line starts,
    and says which line is ignored."""
    example = resources.files("frontdesk.data") / "example_practice.yaml"
    practice_file = tmp_path / "practice.yaml"
    practice_file.write_text(example.read_text("utf-8"), "utf-8")
    (tmp_path / "scripts.yaml").write_text(
        SHIPPED.replace("  noted:", "  greting: Hi.\n  noted:"), "utf-8"
    )
    with caplog.at_level(logging.WARNING, logger="frontdesk.bootstrap"):
        services = build(Settings(), practice_file=practice_file, uow=FakeUnitOfWork, screen=screen)
    assert "greting" in services.practice.scripts.lines
    assert [r.getMessage() for r in caplog.records if r.name == "frontdesk.bootstrap"] == [
        "the script library has lines this version never speaks, ignored: greting "
        "(did you mean greeting?); remove or rename them"
    ]
