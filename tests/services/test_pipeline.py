"""Inquiries as a pipeline: stages from what happened, filters, staff's say and roles."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from tests.services.queue_data import ADMIN, AUDITOR, DESK, JORDAN, MAYA, NOW, stocked

from frontdesk.domain.errors import NotFound, NotPermitted
from frontdesk.domain.handoffs import AttemptOutcome
from frontdesk.domain.pipeline import InquiryStage
from frontdesk.services import callbacks, pipeline
from frontdesk.services.pipeline import PipelineFilter


def stages(entries: list[pipeline.PipelineEntry]) -> dict[str, InquiryStage]:
    return {e.inquiry.id: e.stage for e in entries}


def test_a_booking_moves_the_inquiry_and_a_fresh_one_is_new() -> None:
    """Leo's consult is booked with Maya; Ana has had no contact yet."""
    entries = pipeline.pipeline(uow=stocked(), user=DESK, now=NOW)
    assert [e.inquiry.id for e in entries] == ["i-leo", "i-new"]  # newest first
    assert stages(entries) == {
        "i-leo": InquiryStage.CONSULT_BOOKED,
        "i-new": InquiryStage.NEW,
    }
    leo = entries[0]
    assert (leo.clinicians, leo.next_appointment, leo.open_tasks) == (
        frozenset({"maya"}),
        NOW + timedelta(hours=2),
        1,
    )


def test_a_callback_attempt_makes_an_inquiry_contacted() -> None:
    """An attempt on a hand-off of the inquiry counts as contact."""
    uow = stocked()
    with uow:
        handoff = uow.handoffs.get("h-message")
        assert handoff is not None
        uow.handoffs.update(replace(handoff, inquiry_id="i-new"))
        uow.commit()
    callbacks.record_attempt(
        handoff_id="h-message", outcome=AttemptOutcome.LEFT_MESSAGE, at=NOW, uow=uow, actor="cli"
    )
    assert stages(pipeline.pipeline(uow=uow, user=DESK, now=NOW))["i-new"] is InquiryStage.CONTACTED


def test_staff_set_a_stage_and_it_is_shown_and_audited() -> None:
    """Declined by staff after the booking: declined, marked as set by staff."""
    uow = stocked()
    pipeline.set_stage(
        uow=uow,
        inquiry_id="i-leo",
        stage=InquiryStage.DECLINED,
        at=NOW,
        user=DESK,
        source="10.0.0.9",
    )
    leo = pipeline.pipeline(uow=uow, user=DESK, now=NOW)[0]
    assert (leo.stage, leo.staff_set) == (InquiryStage.DECLINED, True)
    with uow:
        entry = uow.audit.search(action="change", limit=1)[0].entry
    assert (entry.object_kind, entry.object_id, entry.detail) == (
        "inquiry",
        "i-leo",
        "stage=declined",
    )


def test_filters_narrow_by_stage_clinician_state_payer_and_modality() -> None:
    """Each filter keeps only the inquiries that match it."""
    uow = stocked()

    def only(**where: str | InquiryStage) -> list[str]:
        found = pipeline.pipeline(uow=uow, user=DESK, now=NOW, where=PipelineFilter(**where))  # type: ignore[arg-type]
        return [e.inquiry.id for e in found]

    assert only(clinician="maya") == ["i-leo"]
    assert only(clinician="jordan") == []
    assert only(state="WI") == ["i-new"]
    assert only(payer="aetna") == ["i-leo"]
    assert only(modality="in_person") == ["i-new"]
    assert only(stage=InquiryStage.NEW) == ["i-new"]


def test_a_clinician_sees_only_inquiries_booked_with_them() -> None:
    """Maya sees Leo's; Jordan sees none and may not set Leo's stage."""
    uow = stocked()
    assert [e.inquiry.id for e in pipeline.pipeline(uow=uow, user=MAYA, now=NOW)] == ["i-leo"]
    assert pipeline.pipeline(uow=uow, user=JORDAN, now=NOW) == []
    with pytest.raises(NotPermitted):
        pipeline.set_stage(
            uow=uow, inquiry_id="i-leo", stage=InquiryStage.DECLINED, at=NOW, user=JORDAN
        )


def test_an_auditor_cannot_set_a_stage_and_an_unknown_inquiry_is_not_found() -> None:
    """Read-only stays read-only; a made-up id is `NotFound`."""
    uow = stocked()
    with pytest.raises(NotPermitted):
        pipeline.set_stage(
            uow=uow, inquiry_id="i-leo", stage=InquiryStage.DECLINED, at=NOW, user=AUDITOR
        )
    with pytest.raises(NotFound):
        pipeline.set_stage(
            uow=uow, inquiry_id="nope", stage=InquiryStage.DECLINED, at=NOW, user=ADMIN
        )
