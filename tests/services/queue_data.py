"""A small practice day for the work-queue tests: calls with transcripts, inquiries, hand-offs
of every kind and bookings with two clinicians, stored in a `FakeUnitOfWork`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.fakes import FakeUnitOfWork

from frontdesk.conversation.state import CallState, Evidence
from frontdesk.domain.appointments import Appointment, AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingRecord
from frontdesk.domain.calls import HandoffCategory, Route, Urgency
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.inquiries import Intake, Modality, Payment
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import CallRecord, InquiryRecord, TurnKind, TurnRecord
from frontdesk.domain.staff import Role, StaffId, StaffUser
from frontdesk.services.unit_of_work import UnitOfWork

NOW = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)  # Tuesday, 10 am in Chicago
CALLER = "+13125550123"
OTHER = "+13125550777"

ADMIN = StaffUser(StaffId("admin1"), "ada", Role.ADMIN)
DESK = StaffUser(StaffId("desk1"), "dee", Role.FRONT_DESK)
MAYA = StaffUser(StaffId("clin1"), "maya", Role.CLINICIAN, clinician_id="maya")
JORDAN = StaffUser(StaffId("clin2"), "jordan", Role.CLINICIAN, clinician_id="jordan")
AUDITOR = StaffUser(StaffId("aud1"), "otto", Role.AUDITOR)

CONCERN = "my son has been having panic attacks at school"

SUMMARIES = {
    "h-callback": (
        "Reason: callback. Route: routine. Caller: +13125550123. Calling about: new client. "
        "For: child, age 9. Client name: Leo Park. Client located in: IL. Payment: insurance "
        "(Aetna). Asked for a call back after 5 pm."
    ),
    "h-crisis": (
        "Reason: crisis language. Route: crisis. Caller: +13125550777. "
        "Caller's words: \"I don't want to be here anymore\". The 988 wording was read."
    ),
    "h-clinical": (
        "Reason: clinical question. Route: clinical. Caller: +13125550777. Caller's words: "
        '"can I take my medication before the session".'
    ),
    "h-message": 'Reason: message. Route: routine. Caller: +13125550777. Message: "running late".',
}
"""Summaries in the form the call engine writes them, so pages and screenshots read true."""


def _call(call_id: str, at: datetime, number: str, route: Route, state: CallState) -> CallRecord:
    return CallRecord(
        id=call_id,
        started_at=at,
        ended_at=at + timedelta(minutes=4),
        caller_number=number,
        route=route,
        state=state.to_dict(),
    )


def make_handoff(
    handoff_id: str,
    category: HandoffCategory,
    urgency: Urgency,
    minutes_ago: int,
    *,
    call_id: str | None = None,
    inquiry_id: str | None = None,
    number: str = CALLER,
    details: dict[str, object] | None = None,
    now: datetime = NOW,
) -> Handoff:
    return Handoff(
        id=handoff_id,
        category=category,
        urgency=urgency,
        summary=SUMMARIES.get(handoff_id, f"Reason: {category.value}. Route: {category.value}."),
        created_at=now - timedelta(minutes=minutes_ago),
        call_id=call_id,
        inquiry_id=inquiry_id,
        caller_number=number,
        details=details or {},
    )


def stocked() -> FakeUnitOfWork:
    """`stock` in a fresh fake."""
    uow = FakeUnitOfWork()
    stock(uow)
    return uow


def stock(uow: UnitOfWork, *, now: datetime = NOW, maya: str = "maya") -> None:
    """The day: an earlier call and today's intake call from CALLER (a callback task, booked
    with Maya), a crisis call from OTHER, a clinical question and a message."""
    intake = Intake(
        client_name="Leo Park",
        client_age=9,
        modality=Modality.TELEHEALTH,
        state="IL",
        payment=Payment.INSURANCE,
        payer="aetna",
        concern=CONCERN,
    )
    state = CallState(
        intake=intake,
        caller_number=CALLER,
        evidence=(
            Evidence("client_name", 2, "his name is Leo Park"),
            Evidence("client_age", 1, "it's for my son he's nine"),
            Evidence("concern", 3, CONCERN),
        ),
    )
    with uow:
        uow.calls.add(
            _call("c-earlier", now - timedelta(days=3), CALLER, Route.ROUTINE, CallState())
        )
        uow.calls.add(_call("c-intake", now - timedelta(hours=1), CALLER, Route.ROUTINE, state))
        uow.calls.add(
            _call("c-crisis", now - timedelta(minutes=30), OTHER, Route.CRISIS, CallState())
        )
        for seq, said in enumerate((None, "it's for my son he's nine", "his name is Leo Park")):
            uow.turns.add(
                TurnRecord(
                    call_id="c-intake",
                    seq=seq,
                    at=now - timedelta(hours=1) + timedelta(seconds=10 * seq),
                    kind=TurnKind.CALL_STARTED if said is None else TurnKind.SPEECH,
                    caller_text=said,
                    agent_text="Thank you.",
                )
            )
        uow.turns.add(
            TurnRecord(
                call_id="c-crisis",
                seq=1,
                at=now - timedelta(minutes=30),
                caller_text="I don't want to be here anymore",
                route=Route.CRISIS,
            )
        )
        uow.inquiries.add(
            InquiryRecord(
                id="i-leo",
                call_id="c-intake",
                created_at=now - timedelta(hours=1),
                updated_at=now - timedelta(hours=1),
                intake=intake,
            )
        )
        uow.inquiries.add(
            InquiryRecord(
                id="i-new",
                created_at=now - timedelta(hours=2),
                updated_at=now - timedelta(hours=2),
                intake=Intake(
                    client_name="Ana Ruiz",
                    state="WI",
                    modality=Modality.IN_PERSON,
                    out_of_network_payer="Humana",
                ),
            )
        )
        uow.handoffs.add(
            make_handoff(
                "h-callback",
                HandoffCategory.CALLBACK,
                Urgency.SAME_DAY,
                60,
                call_id="c-intake",
                inquiry_id="i-leo",
                details={"reason": "callback", "voicemail": {"transcription": "call me after 5"}},
                now=now,
            )
        )
        uow.handoffs.add(
            make_handoff(
                "h-crisis",
                HandoffCategory.CRISIS,
                Urgency.URGENT,
                30,
                call_id="c-crisis",
                number=OTHER,
                details={"route": "crisis"},
                now=now,
            )
        )
        uow.handoffs.add(
            make_handoff(
                "h-clinical", HandoffCategory.CLINICAL, Urgency.SAME_DAY, 20, number=OTHER, now=now
            )
        )
        uow.handoffs.add(
            make_handoff(
                "h-message", HandoffCategory.MESSAGE, Urgency.ROUTINE, 300, number=OTHER, now=now
            )
        )
        uow.appointments.add(
            BookingRecord(
                Appointment(
                    id="a-consult",
                    clinician_id=maya,
                    kind=ServiceKind.CONSULT,
                    start=now + timedelta(hours=2),
                    end=now + timedelta(hours=2, minutes=15),
                    modality=Modality.TELEHEALTH,
                    client=ClientRef(inquiry_id="i-leo"),
                    booked_at=now - timedelta(minutes=50),
                    status=AppointmentStatus.BOOKED,
                )
            )
        )
        uow.commit()
