"""The new-client pipeline's pure rules: stages from what happened, and staff's say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from frontdesk.domain.pipeline import InquiryStage, StageFact, derived_stage, effective_stage

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def test_an_inquiry_without_facts_is_new() -> None:
    """Nothing happened yet: new, as of when it was made."""
    assert derived_stage([], created_at=T0) == StageFact(InquiryStage.NEW, T0)


def test_the_furthest_stage_reached_wins() -> None:
    """A booking after an attempt is the stage; a later attempt does not move it back."""
    facts = [
        StageFact(InquiryStage.CONTACTED, at(1)),
        StageFact(InquiryStage.FIRST_SESSION_BOOKED, at(2)),
        StageFact(InquiryStage.CONTACTED, at(3)),
    ]
    assert derived_stage(facts, created_at=T0) == StageFact(
        InquiryStage.FIRST_SESSION_BOOKED, at(2)
    )


def test_staff_set_stage_stands_until_a_later_booking() -> None:
    """No response set by staff holds against an older booking and a later attempt, and
    gives way to a booking made after it."""
    staff = StageFact(InquiryStage.NO_RESPONSE, at(5))
    assert effective_stage(StageFact(InquiryStage.CONSULT_BOOKED, at(2)), staff) is staff.stage
    assert effective_stage(StageFact(InquiryStage.CONTACTED, at(6)), staff) is staff.stage
    later = StageFact(InquiryStage.CONSULT_BOOKED, at(7))
    assert effective_stage(later, staff) is InquiryStage.CONSULT_BOOKED


def test_a_stage_staff_set_ahead_is_not_pulled_back() -> None:
    """Staff marked the first session booked; a later call attempt leaves it there."""
    staff = StageFact(InquiryStage.FIRST_SESSION_BOOKED, at(1))
    assert effective_stage(StageFact(InquiryStage.CONTACTED, at(2)), staff) is staff.stage
    attended = StageFact(InquiryStage.ATTENDED, at(3))
    assert effective_stage(attended, staff) is InquiryStage.ATTENDED


def test_without_a_staff_stage_the_facts_decide() -> None:
    """No staff stage: the derived one."""
    derived = StageFact(InquiryStage.CONTACTED, at(1))
    assert effective_stage(derived, None) is InquiryStage.CONTACTED


def test_labels_read_as_words() -> None:
    """Stage labels are for people."""
    assert InquiryStage.FIRST_SESSION_BOOKED.label == "First session booked"
    assert InquiryStage.NO_RESPONSE.is_closed
    assert not InquiryStage.ATTENDED.is_closed
