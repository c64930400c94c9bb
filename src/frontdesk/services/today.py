"""Today at the front desk, for the console's home page: urgent items, callbacks due today,
today's appointments and new inquiries, each as the signed-in role may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from frontdesk.domain.appointments import Appointment
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.calls import Urgency
from frontdesk.domain.pipeline import InquiryStage
from frontdesk.domain.practice import Practice
from frontdesk.domain.staff import Role, StaffUser
from frontdesk.services import audit, pipeline, work_queue
from frontdesk.services.unit_of_work import UnitOfWork

NEW_INQUIRY_DAYS = 2  # "new" inquiries on the home page: made today or yesterday


@dataclass(frozen=True, slots=True)
class Today:
    urgent: list[work_queue.QueueEntry]
    due: list[work_queue.QueueEntry]  # not urgent, due before the end of today (or overdue)
    appointments: list[Appointment]
    inquiries: list[pipeline.PipelineEntry]
    day_start: datetime
    day_end: datetime


def today(
    *,
    uow: UnitOfWork,
    practice: Practice,
    user: StaffUser,
    now: datetime,
    source: str | None = None,
) -> Today:
    """What needs doing today, in the practice's timezone."""
    local = practice.local(now)
    start = datetime.combine(local.date(), time(0), tzinfo=practice.zone)
    end = start + timedelta(days=1)
    entries = work_queue.work_queue(uow=uow, practice=practice, user=user, now=now, source=source)
    urgent = [
        e
        for e in entries
        if e.item.handoff.is_urgent_route or e.item.handoff.urgency is Urgency.URGENT
    ]
    due = [e for e in entries if e not in urgent and e.item.due < end]
    inquiries = [
        e
        for e in pipeline.pipeline(
            uow=uow, user=user, now=now, days=NEW_INQUIRY_DAYS, source=source
        )
        if e.stage is InquiryStage.NEW
    ]
    with uow:
        appointments = [
            a
            for a in uow.appointments.between(start, end)
            if user.role is not Role.CLINICIAN or a.clinician_id == user.clinician_id
        ]
        if user.role is Role.AUDITOR:
            appointments = []
        audit.record(
            uow=uow,
            actor=user.actor,
            action=AuditAction.VIEW,
            object_kind="appointments",
            source=source,
            detail=f"rows={len(appointments)} range=today",
            at=now,
        )
        uow.commit()
    return Today(urgent, due, appointments, inquiries, start, end)
