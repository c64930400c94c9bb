"""The work queue's reads and writes behave the same on the fake and on both databases:
active items, waiting on a caller, attempts, calls from one number, inquiries by date and
their appointments, and the stage staff set."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests.fakes import FakeUnitOfWork

from frontdesk.adapters.db import SqlAlchemyUnitOfWork
from frontdesk.domain.appointments import Appointment, ClientRef
from frontdesk.domain.bookings import BookingRecord
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.handoffs import AttemptOutcome, CallbackAttempt, Handoff
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.pipeline import InquiryStage
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import CallRecord, InquiryRecord
from frontdesk.services.unit_of_work import UnitOfWork

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
NUMBER = "+13125550123"


def task(handoff_id: str, minutes: int, **changes: object) -> Handoff:
    base = Handoff(
        id=handoff_id,
        category=HandoffCategory.CALLBACK,
        urgency=Urgency.SAME_DAY,
        summary="Callback about fees.",
        created_at=T0 + timedelta(minutes=minutes),
        caller_number=NUMBER,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def script(uow: UnitOfWork) -> list[object]:
    """Store and read back everything the queue pages use; returns what was observed."""
    seen: list[object] = []
    inquiry = InquiryRecord(id="i" * 32, created_at=T0, updated_at=T0)
    older = InquiryRecord(id="j" * 32, created_at=T0 - timedelta(days=40), updated_at=T0)
    with uow:
        uow.calls.add(CallRecord(id="a" * 32, started_at=T0, caller_number=NUMBER))
        uow.calls.add(
            CallRecord(id="b" * 32, started_at=T0 + timedelta(hours=1), caller_number=NUMBER)
        )
        uow.calls.add(CallRecord(id="c" * 32, started_at=T0, caller_number="+13125550999"))
        uow.inquiries.add(inquiry)
        uow.inquiries.add(older)
        uow.handoffs.add(task("h1", 0, inquiry_id=inquiry.id))
        uow.handoffs.add(
            task("h2", 5).waiting(at=T0 + timedelta(minutes=6), until=None, on_contact=True)
        )
        uow.handoffs.add(
            task("h3", 1).waiting(
                at=T0 + timedelta(minutes=6), until=T0 + timedelta(days=1), on_contact=False
            )
        )
        uow.handoffs.add(task("h4", 2).completed(T0 + timedelta(hours=2)))
        uow.handoffs.add(task("h5", 3).completed(T0 - timedelta(days=3)))
        uow.appointments.add(
            BookingRecord(
                Appointment(
                    id="p" * 32,
                    clinician_id="maya",
                    kind=ServiceKind.CONSULT,
                    start=T0 + timedelta(days=2),
                    end=T0 + timedelta(days=2, minutes=15),
                    modality=Modality.TELEHEALTH,
                    client=ClientRef(inquiry_id=inquiry.id),
                    booked_at=T0 + timedelta(hours=1),
                )
            )
        )
        uow.commit()
    with uow:
        seen.append([h.id for h in uow.handoffs.list_active()])
        seen.append([h.id for h in uow.handoffs.list_active(done_since=T0)])
        seen.append([h.id for h in uow.handoffs.waiting_on_contact(NUMBER)])
        seen.append([h.id for h in uow.handoffs.waiting_on_contact("+13125550999")])
        seen.append([h.id for h in uow.handoffs.list_for_inquiries([inquiry.id, "none"])])
        seen.append(uow.handoffs.get("h2"))
    note = "Rang at 3:10, voicemail full."
    with uow:
        for n, outcome in enumerate((AttemptOutcome.NO_ANSWER, AttemptOutcome.LEFT_MESSAGE)):
            uow.handoffs.add_attempt(
                CallbackAttempt(
                    id=f"t{n}",
                    handoff_id="h1",
                    at=T0 + timedelta(minutes=10 - n),
                    outcome=outcome,
                    by="user:u1",
                    note=note,
                )
            )
        uow.commit()
    with uow:
        seen.append(uow.handoffs.attempts(["h1", "h2"]))
        try:
            uow.handoffs.add_attempt(
                CallbackAttempt(
                    id="t9", handoff_id="nope", at=T0, outcome=AttemptOutcome.OTHER, by="cli"
                )
            )
        except NotFound:
            seen.append("NotFound")
    with uow:
        try:
            uow.handoffs.add_attempt(
                CallbackAttempt(
                    id="t0", handoff_id="h1", at=T0, outcome=AttemptOutcome.OTHER, by="cli"
                )
            )
        except Conflict:
            seen.append("Conflict")
    with uow:
        seen.append([c.id for c in uow.calls.list_from_number(NUMBER)])
        seen.append([c.id for c in uow.calls.list_from_number(NUMBER, limit=1)])
        seen.append(
            [
                i.id
                for i in uow.inquiries.list_created_between(
                    T0 - timedelta(days=30), T0 + timedelta(1)
                )
            ]
        )
        seen.append([r.appointment.id for r in uow.appointments.for_inquiries([inquiry.id])])
        staged = InquiryRecord(
            id=inquiry.id,
            created_at=T0,
            updated_at=T0 + timedelta(hours=3),
            stage=InquiryStage.DECLINED,
            stage_set_at=T0 + timedelta(hours=3),
        )
        uow.inquiries.update(staged)
        uow.commit()
    with uow:
        seen.append(uow.inquiries.get(inquiry.id))
    return seen


def test_the_fake_and_the_database_agree(uow: SqlAlchemyUnitOfWork) -> None:
    """The same script gives the same observations on the fake and on the database."""
    assert script(uow) == script(FakeUnitOfWork())


def test_the_script_observes_what_the_queue_needs(uow: SqlAlchemyUnitOfWork) -> None:
    """Active excludes done work unless finished since the cut-off; waits on a caller are
    found by number; attempts come back oldest first with their notes; calls from a number
    newest first; the stage staff set is kept."""
    seen = script(uow)
    assert seen[0] == ["h1", "h3", "h2"]
    assert seen[1] == ["h1", "h3", "h4", "h2"]
    assert seen[2:5] == [["h2"], [], ["h1"]]
    attempts = seen[6]
    assert isinstance(attempts, list)
    assert [(a.id, a.outcome, a.note) for a in attempts] == [
        ("t1", AttemptOutcome.LEFT_MESSAGE, "Rang at 3:10, voicemail full."),
        ("t0", AttemptOutcome.NO_ANSWER, "Rang at 3:10, voicemail full."),
    ]
    assert seen[7:9] == ["NotFound", "Conflict"]
    assert seen[9:13] == [["b" * 32, "a" * 32], ["b" * 32], ["i" * 32], ["p" * 32]]
    stored = seen[13]
    assert isinstance(stored, InquiryRecord)
    assert (stored.stage, stored.stage_set_at) == (InquiryStage.DECLINED, T0 + timedelta(hours=3))
