"""New-client inquiries as a pipeline: each inquiry's stage, filters, and staff setting it.

The stage follows from what happened (`frontdesk.domain.pipeline`): callback attempts and
completed callbacks on the inquiry's hand-offs, consults and first sessions booked for it,
an attended first session. Staff may set a stage; a later booking moves it on again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.bookings import BookingRecord
from frontdesk.domain.errors import NotFound, NotPermitted
from frontdesk.domain.handoffs import CallbackAttempt, Handoff
from frontdesk.domain.pipeline import InquiryStage, StageFact, derived_stage, effective_stage
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryId, InquiryRecord, require_aware
from frontdesk.domain.staff import Role, StaffUser
from frontdesk.services import audit
from frontdesk.services.unit_of_work import UnitOfWork

DEFAULT_DAYS = 90


@dataclass(frozen=True, slots=True)
class PipelineFilter:
    """Narrow the pipeline; None matches everything. `payer` is a payer id from the practice
    file, or `private_pay` / `sliding_scale`."""

    stage: InquiryStage | None = None
    clinician: str | None = None
    state: str | None = None
    payer: str | None = None
    modality: str | None = None


@dataclass(frozen=True, slots=True)
class PipelineEntry:
    """One inquiry on the pipeline page."""

    inquiry: InquiryRecord
    stage: InquiryStage
    staff_set: bool  # the stage shown is the one staff set
    clinicians: frozenset[str]  # clinicians it is booked with
    next_appointment: datetime | None
    open_tasks: int
    attempts: int

    @property
    def payer_key(self) -> str | None:
        intake = self.inquiry.intake
        if intake.payer:
            return intake.payer
        return None if intake.payment is None else intake.payment.value


def pipeline(
    *,
    uow: UnitOfWork,
    user: StaffUser,
    now: datetime,
    days: int = DEFAULT_DAYS,
    where: PipelineFilter | None = None,
    source: str | None = None,
) -> list[PipelineEntry]:
    """Inquiries made in the last `days` days, newest first, each with its stage.

    A clinician sees only the inquiries booked with them. The read is audited.
    """
    require_aware(now, "now")
    where = where or PipelineFilter()
    with uow:
        inquiries = uow.inquiries.list_created_between(
            now - timedelta(days=days), now + timedelta(1)
        )
        entries = _entries(uow, inquiries)
        shown = [e for e in entries if _visible(user, e) and _matches(e, where)]
        audit.record(
            uow=uow,
            actor=user.actor,
            action=AuditAction.VIEW,
            object_kind="inquiry_pipeline",
            source=source,
            detail=f"rows={len(shown)}",
            at=now,
        )
        uow.commit()
    return sorted(shown, key=lambda e: (e.inquiry.created_at, e.inquiry.id), reverse=True)


def _visible(user: StaffUser, entry: PipelineEntry) -> bool:
    if user.role is Role.CLINICIAN:
        return user.clinician_id is not None and user.clinician_id in entry.clinicians
    return True


def _matches(entry: PipelineEntry, where: PipelineFilter) -> bool:
    intake = entry.inquiry.intake
    modality = None if intake.modality is None else intake.modality.value
    return (
        (where.stage is None or entry.stage is where.stage)
        and (where.clinician is None or where.clinician in entry.clinicians)
        and (where.state is None or intake.state == where.state)
        and (where.payer is None or entry.payer_key == where.payer)
        and (where.modality is None or modality == where.modality)
    )


def _entries(uow: UnitOfWork, inquiries: list[InquiryRecord]) -> list[PipelineEntry]:
    ids = [i.id for i in inquiries]
    bookings: dict[str, list[BookingRecord]] = defaultdict(list)
    for record in uow.appointments.for_inquiries(ids):
        if record.appointment.client.inquiry_id is not None:
            bookings[record.appointment.client.inquiry_id].append(record)
    handoffs: dict[str, list[Handoff]] = defaultdict(list)
    for handoff in uow.handoffs.list_for_inquiries(ids):
        if handoff.inquiry_id is not None:
            handoffs[handoff.inquiry_id].append(handoff)
    attempts: dict[str, list[CallbackAttempt]] = defaultdict(list)
    owner = {h.id: h.inquiry_id for hs in handoffs.values() for h in hs}
    for attempt in uow.handoffs.attempts(list(owner)):
        inquiry_id = owner.get(attempt.handoff_id)
        if inquiry_id is not None:
            attempts[inquiry_id].append(attempt)
    return [
        _entry(inquiry, bookings[inquiry.id], handoffs[inquiry.id], attempts[inquiry.id])
        for inquiry in inquiries
    ]


def _entry(
    inquiry: InquiryRecord,
    bookings: list[BookingRecord],
    handoffs: list[Handoff],
    attempts: list[CallbackAttempt],
) -> PipelineEntry:
    facts = stage_facts(bookings, handoffs, attempts)
    derived = derived_stage(facts, created_at=inquiry.created_at)
    staff = None
    if inquiry.stage is not None and inquiry.stage_set_at is not None:
        staff = StageFact(inquiry.stage, inquiry.stage_set_at)
    stage = effective_stage(derived, staff)
    live = [b.appointment for b in bookings if b.appointment.status is AppointmentStatus.BOOKED]
    return PipelineEntry(
        inquiry=inquiry,
        stage=stage,
        staff_set=staff is not None and stage is staff.stage,
        clinicians=frozenset(
            b.appointment.clinician_id
            for b in bookings
            if b.appointment.status is not AppointmentStatus.RESCHEDULED
        ),
        next_appointment=min((a.start for a in live), default=None),
        open_tasks=sum(1 for h in handoffs if h.is_open),
        attempts=len(attempts),
    )


def stage_facts(
    bookings: list[BookingRecord], handoffs: list[Handoff], attempts: list[CallbackAttempt]
) -> list[StageFact]:
    """What places an inquiry in the pipeline: contact made, bookings kept or held, and an
    attended first session. Cancelled bookings and no-shows move nothing."""
    facts = [StageFact(InquiryStage.CONTACTED, a.at) for a in attempts]
    facts += [
        StageFact(InquiryStage.CONTACTED, h.completed_at)
        for h in handoffs
        if h.completed_at is not None
    ]
    for record in bookings:
        appointment = record.appointment
        when = appointment.booked_at or appointment.start
        if appointment.kind is ServiceKind.CONSULT and appointment.status in (
            AppointmentStatus.BOOKED,
            AppointmentStatus.ATTENDED,
        ):
            facts.append(StageFact(InquiryStage.CONSULT_BOOKED, when))
        elif appointment.kind is ServiceKind.FIRST_SESSION:
            if appointment.status is AppointmentStatus.BOOKED:
                facts.append(StageFact(InquiryStage.FIRST_SESSION_BOOKED, when))
            elif appointment.status is AppointmentStatus.ATTENDED:
                facts.append(
                    StageFact(InquiryStage.ATTENDED, appointment.changed_at or appointment.end)
                )
    return facts


def set_stage(
    *,
    uow: UnitOfWork,
    inquiry_id: InquiryId,
    stage: InquiryStage,
    at: datetime,
    user: StaffUser,
    source: str | None = None,
) -> InquiryRecord:
    """Staff place an inquiry in the pipeline (`declined`, `no_response`, or a correction).

    Raises `NotFound` for an unknown inquiry and `NotPermitted` for an auditor, or for a
    clinician and an inquiry not booked with them.
    """
    require_aware(at, "at")
    if user.read_only:
        raise NotPermitted("this account is read-only")
    with uow:
        inquiry = uow.inquiries.get(inquiry_id)
        if inquiry is None:
            raise NotFound(f"no inquiry {inquiry_id}")
        if not _visible(user, _entries(uow, [inquiry])[0]):
            raise NotPermitted("this inquiry is not one of yours")
        changed = replace(inquiry, stage=stage, stage_set_at=at, updated_at=at)
        uow.inquiries.update(changed)
        audit.record(
            uow=uow,
            actor=user.actor,
            action=AuditAction.CHANGE,
            object_kind="inquiry",
            object_id=inquiry.id,
            source=source,
            detail=f"stage={stage.value}",
            at=at,
        )
        uow.commit()
    return changed
