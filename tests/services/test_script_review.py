"""Script review: edits keep placeholders, approvals follow the text, `reviewed` follows both."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from tests.fakes import FakeUnitOfWork

from frontdesk.adapters.script_file import load_script_library
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.script_review import LineReview, ReviewAction, digest
from frontdesk.services import audit, script_review
from frontdesk.services.staff_audit import ChangedBy

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
LEAD = ChangedBy("user:lead", "10.0.0.5")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the shipped default library (unreviewed)."""
    path = tmp_path / "scripts.yaml"
    shutil.copyfile(str(resources.files("frontdesk.data") / "scripts" / "default.yaml"), path)
    return path


def approve_all(path: Path, uow: FakeUnitOfWork, *, but: frozenset[str] = frozenset()) -> None:
    """Record approvals of every line as it reads (but `but`), as earlier reviews would have,
    then approve the last waiting line through the service so the file's flag follows."""
    lines = script_review.overview(path=path, uow=uow).lines
    waiting = [s for s in lines if s.line.id not in but]
    with uow:
        for state in waiting[:-1]:
            uow.script_reviews.add(
                LineReview(
                    line_id=state.line.id,
                    action=ReviewAction.APPROVED,
                    digest=state.digest,
                    actor=LEAD.actor,
                    at=AT,
                )
            )
        uow.commit()
    last = waiting[-1]
    script_review.approve(
        path=path, line_id=last.line.id, seen=last.digest, at=AT, uow=uow, by=LEAD
    )


def test_the_overview_lists_every_line_with_its_placeholders_unapproved(library: Path) -> None:
    """A fresh library: every line shown, none approved, the file not reviewed."""
    uow = FakeUnitOfWork()
    review = script_review.overview(path=library, uow=uow)
    greeting = review.line("greeting")
    assert greeting.placeholders == ["emergency_number", "practice"]
    assert review.approved == 0
    assert review.reviewed is False
    assert len(review.lines) == len(load_script_library(library).lines)


def test_reviewed_becomes_true_only_when_the_last_line_is_approved(library: Path) -> None:
    """The file's flag stays false until every line is approved, then is written true."""
    uow = FakeUnitOfWork()
    approve_all(library, uow, but=frozenset({"greeting"}))
    assert load_script_library(library).reviewed is False
    greeting = script_review.overview(path=library, uow=uow).line("greeting")
    done = script_review.approve(
        path=library, line_id="greeting", seen=greeting.digest, at=AT, uow=uow, by=LEAD
    )
    assert done.approved == len(done.lines)
    assert load_script_library(library).reviewed is True
    assert "# Frontdesk default script library" in library.read_text()  # comments kept


def test_an_edit_rewrites_the_line_withdraws_its_approval_and_the_reviewed_flag(
    library: Path,
) -> None:
    """The edited text is in the file; the line needs approval again; who and when kept."""
    uow = FakeUnitOfWork()
    approve_all(library, uow)
    noted = script_review.overview(path=library, uow=uow).line("noted")
    after = script_review.edit(
        path=library,
        line_id="noted",
        text="Thank you,   I have written that down.",
        seen=noted.digest,
        at=AT,
        uow=uow,
        by=LEAD,
    )
    file = load_script_library(library)
    assert file.lines["noted"].text == "Thank you, I have written that down."
    assert file.reviewed is False
    state = after.line("noted")
    assert state.approved is False
    assert state.edit is not None
    assert (state.edit.actor, state.edit.at) == ("user:lead", AT)
    assert after.approved == len(after.lines) - 1
    recorded = audit.entries(uow=uow, object_kind="script_line", object_id="noted")
    assert recorded[0].entry.detail == "review=edited"
    assert recorded[0].entry.source == "10.0.0.5"
    script_review.approve(path=library, line_id="noted", seen=state.digest, at=AT, uow=uow, by=LEAD)
    assert load_script_library(library).reviewed is True


def test_an_edit_must_keep_the_lines_placeholders(library: Path) -> None:
    """Dropping {practice} or adding an unknown placeholder is refused; the file is untouched."""
    uow = FakeUnitOfWork()
    before = library.read_text()
    greeting = script_review.overview(path=library, uow=uow).line("greeting")
    with pytest.raises(InvalidInput, match=r"\{practice\} is missing"):
        script_review.edit(
            path=library,
            line_id="greeting",
            text="Hello. In an emergency call {emergency_number}.",
            seen=greeting.digest,
            at=AT,
            uow=uow,
            by=LEAD,
        )
    with pytest.raises(InvalidInput, match=r"\{name\} is not one of them"):
        script_review.edit(
            path=library,
            line_id="greeting",
            text="Hi {name}, this is {practice}; emergencies {emergency_number}.",
            seen=greeting.digest,
            at=AT,
            uow=uow,
            by=LEAD,
        )
    assert library.read_text() == before
    with uow:
        assert uow.script_reviews.all() == []


def test_a_reminder_line_must_stay_discreet(library: Path) -> None:
    """A texted reminder may not name the kind of care."""
    uow = FakeUnitOfWork()
    line = script_review.overview(path=library, uow=uow).line("reminder_appointment")
    with pytest.raises(InvalidInput, match="discreet"):
        script_review.edit(
            path=library,
            line_id="reminder_appointment",
            text=line.line.text + " Your therapy session awaits.",
            seen=line.digest,
            at=AT,
            uow=uow,
            by=LEAD,
        )


def test_a_line_changed_since_it_was_shown_is_not_overwritten_or_approved(library: Path) -> None:
    """The digest the reviewer saw must still be the line's text."""
    uow = FakeUnitOfWork()
    stale = digest("an older text")
    with pytest.raises(Conflict):
        script_review.approve(path=library, line_id="noted", seen=stale, at=AT, uow=uow, by=LEAD)
    with pytest.raises(Conflict):
        script_review.edit(
            path=library, line_id="noted", text="New.", seen=stale, at=AT, uow=uow, by=LEAD
        )
    with pytest.raises(NotFound):
        script_review.approve(path=library, line_id="nope", seen=stale, at=AT, uow=uow, by=LEAD)


def test_a_hand_edit_after_approval_is_a_stale_line(library: Path) -> None:
    """Editing the file by hand withdraws that line's approval, as `doctor` reports."""
    uow = FakeUnitOfWork()
    assert script_review.stale_lines(path=library, uow=uow) == []  # never reviewed here
    approve_all(library, uow)
    assert script_review.stale_lines(path=library, uow=uow) == []
    text = library.read_text().replace("Thank you, I've noted that.", "Noted, thanks.")
    library.write_text(text)
    assert script_review.stale_lines(path=library, uow=uow) == ["noted"]


def test_the_reviewed_flag_is_added_to_a_library_that_lacks_it() -> None:
    """A hand-written library without `reviewed:` gets the key before `lines:`, and a
    block-scalar line keeps the lines after it in place when replaced."""
    from frontdesk.adapters.script_file import edited_library_text, parse_library_text

    text = 'version: "1"\nlines:\n  first: >-\n    One\n    two.\n\n  second: "Three {x}."\n'
    edited = edited_library_text(text, line_id="first", new_text="Uno.", reviewed=True)
    library = parse_library_text(edited, source="test")
    assert library.reviewed is True
    assert library.lines["first"].text == "Uno."
    assert library.lines["second"].text == "Three {x}."
    assert edited.index("reviewed: true") < edited.index("lines:")


def test_lines_this_version_never_speaks_are_listed_apart_and_never_wait(library: Path) -> None:
    """An unknown line is shown as unused, with the line it probably meant; it is not in the
    approval list, cannot be approved, and the library is reviewed without it."""
    text = library.read_text("utf-8").replace("  noted:", "  greting: Hi.\n  noted:", 1)
    library.write_text(text, "utf-8")
    uow = FakeUnitOfWork()
    review = script_review.overview(path=library, uow=uow)
    assert [(u.line.id, u.line.text, u.did_you_mean) for u in review.unused] == [
        ("greting", "Hi.", "greeting")
    ]
    assert "greting" not in [s.line.id for s in review.lines]
    with pytest.raises(NotFound):
        script_review.approve(
            path=library, line_id="greting", seen=digest("Hi."), at=AT, uow=uow, by=LEAD
        )
    approve_all(library, uow)
    assert load_script_library(library).reviewed is True
    assert script_review.stale_lines(path=library, uow=uow) == []
