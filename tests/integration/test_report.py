"""The measured report on a small hand-built history with a known answer for every metric.

The history is written through the real repositories, on SQLite and PostgreSQL: ten calls
in the range (one after local midnight in UTC terms, one on the day clocks spring forward),
two outside it, a never-answered call, abandoned calls recovered by a later call and by a
callback, appointments with corrected, cancelled, rescheduled and pending outcomes, and
waitlist activity.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import OperationalError
from tests.practice_builders import make_practice

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine
from frontdesk.adapters.db.codec import to_json
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.db.tables import CallRow, EventRow, HandoffRow
from frontdesk.analytics.metrics import DailyCalls, SpeedBucket
from frontdesk.analytics.queries import read_engine
from frontdesk.analytics.report import Report, build_report, definitions
from frontdesk.domain import events as ev
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.records import CallRecord, CallStatus

CHICAGO = ZoneInfo("America/Chicago")
PRACTICE = replace(make_practice(), private_pay_first_session_value=Decimal("160"))


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CHICAGO)


class History:
    """Writes calls and events through one unit of work."""

    def __init__(self, uow: SqlAlchemyUnitOfWork) -> None:
        self.uow = uow

    def call(
        self,
        call_id: str,
        at: datetime,
        number: str,
        *,
        intent: Intent | None = None,
        result: CallResult = CallResult.INFO_PROVIDED,
        route: Route = Route.ROUTINE,
        after_hours: bool = False,
        minutes: int = 4,
    ) -> datetime:
        ended = at + timedelta(minutes=minutes)
        self.uow.calls.add(
            CallRecord(
                id=call_id,
                started_at=at,
                ended_at=ended,
                caller_number=number,
                status=CallStatus.ENDED,
                after_hours=after_hours,
                route=route,
                intent=intent,
                result=result,
            )
        )
        self.event(ev.CallStarted(occurred_at=at, call_id=call_id, after_hours=after_hours))
        self.event(
            ev.CallEnded(
                occurred_at=ended,
                call_id=call_id,
                route=route,
                intent=intent,
                result=result,
                after_hours=after_hours,
            )
        )
        return ended

    def event(self, event: ev.Event) -> None:
        self.uow.events.add(event)

    def handoff(
        self,
        handoff_id: str,
        call_id: str,
        at: datetime,
        category: HandoffCategory,
        *,
        done: datetime | None = None,
    ) -> None:
        urgency = Urgency.URGENT if category is HandoffCategory.CRISIS else Urgency.ROUTINE
        record = Handoff(
            id=handoff_id,
            category=category,
            urgency=urgency,
            summary="",
            created_at=at,
            call_id=call_id,
        )
        self.uow.handoffs.add(record)
        if done is not None:
            self.uow.handoffs.update(record.completed(done))
        self.event(
            ev.HandoffCreated(
                occurred_at=at,
                handoff_id=handoff_id,
                category=category,
                urgency=urgency,
                call_id=call_id,
            )
        )
        if done is not None:
            self.event(
                ev.CallbackCompleted(
                    occurred_at=done,
                    handoff_id=handoff_id,
                    category=category,
                    urgency=urgency,
                    call_id=call_id,
                )
            )

    def booked(
        self,
        appointment_id: str,
        at: datetime,
        service: str,
        *,
        source: str = "call",
        by_ai: bool = True,
        established: bool = False,
        call_id: str | None = None,
    ) -> None:
        self.event(
            ev.AppointmentBooked(
                occurred_at=at,
                appointment_id=appointment_id,
                service=service,
                clinician_id="rivera",
                starts_at=at + timedelta(days=1),
                booked_by_ai=by_ai,
                source=source,
                established_client=established,
                call_id=call_id,
            )
        )

    def marked(self, appointment_id: str, at: datetime, status: str, service: str) -> None:
        self.event(
            ev.AppointmentMarked(
                occurred_at=at, appointment_id=appointment_id, service=service, status=status
            )
        )


def write_history(uow: SqlAlchemyUnitOfWork) -> None:
    with uow:
        h = History(uow)
        # Outside the range: the evening before (already 2 March in UTC) and just after.
        h.call("c00", local(1, 23), "+15550000000", intent=Intent.NEW_CLIENT)
        h.call("c11", local(9, 0, 30), "+15550000011", intent=Intent.NEW_CLIENT)

        end1 = h.call(
            "c01",
            local(2, 10),
            "+15550000001",
            intent=Intent.NEW_CLIENT,
            result=CallResult.CALLBACK_REQUESTED,
        )
        h.event(ev.InquiryCaptured(occurred_at=end1, inquiry_id="inq1", call_id="c01"))
        h.event(ev.InquiryCaptured(occurred_at=end1, inquiry_id="inq1", call_id="c01"))
        h.handoff("h01", "c01", end1, HandoffCategory.CALLBACK, done=end1 + timedelta(minutes=30))

        end2 = h.call(
            "c02",
            local(2, 20),
            "+15550000002",
            intent=Intent.CONSULT,
            result=CallResult.CALLBACK_REQUESTED,
            after_hours=True,
        )
        h.handoff("h02", "c02", end2, HandoffCategory.CALLBACK, done=end2 + timedelta(minutes=90))

        h.call("c03", local(3, 9), "+15550000003", intent=Intent.INSURANCE_QUESTION)
        h.call("c04", local(3, 11), "+15550000004", intent=Intent.FEE_QUESTION)

        # 23:30 in Chicago is already the next day in UTC: it belongs to 4 March.
        end5 = h.call(
            "c05",
            local(4, 23, 30),
            "+15550000005",
            route=Route.CRISIS,
            result=CallResult.CRISIS_DIRECTED,
            after_hours=True,
        )
        h.event(ev.CrisisFlagged(occurred_at=end5, call_id="c05", seq=1, route=Route.CRISIS))
        h.handoff("h05", "c05", end5, HandoffCategory.CRISIS, done=end5 + timedelta(minutes=10))

        end6 = h.call(
            "c06", local(5, 14), "+15550000006", route=Route.CLINICAL, result=CallResult.HANDED_OFF
        )
        h.handoff("h06", "c06", end6, HandoffCategory.CLINICAL, done=end6 + timedelta(minutes=200))

        # Abandoned, then the same number calls back next morning and an intake is captured.
        h.call(
            "c07",
            local(5, 15),
            "+15550000007",
            intent=Intent.NEW_CLIENT,
            result=CallResult.ABANDONED,
        )
        end8 = h.call(
            "c08",
            local(6, 10),
            "+15550000007",
            intent=Intent.NEW_CLIENT,
            result=CallResult.FIRST_SESSION_BOOKED,
        )
        h.event(ev.InquiryCaptured(occurred_at=end8, inquiry_id="inq2", call_id="c08"))

        # Abandoned, then staff call back six hours after the call ended.
        end9 = h.call(
            "c09",
            local(6, 12),
            "+15550000009",
            intent=Intent.NEW_CLIENT,
            result=CallResult.ABANDONED,
            minutes=1,
        )
        h.event(ev.CallMissed(occurred_at=end9, call_id="c09", reason="abandoned"))
        h.handoff("h09", "c09", end9, HandoffCategory.CALLBACK, done=end9 + timedelta(hours=6))

        # Never answered: a missed call with no call record.
        h.event(ev.CallMissed(occurred_at=local(7, 9), call_id="m01", reason="no-answer"))
        # Never answered, as the telephony edge records it: a bare call record and CallMissed.
        h.call("c12", local(7, 10), "+15550000012", result=CallResult.ABANDONED, minutes=0)
        h.event(ev.CallMissed(occurred_at=local(7, 10), call_id="c12", reason="busy"))

        # The day the clocks spring forward, after hours on a Sunday.
        h.call("c10", local(8, 10), "+15550000010", intent=Intent.NEW_CLIENT, after_hours=True)

        # Appointments.
        h.booked("a01", local(3, 10), "consult", source="staff", by_ai=False)
        h.booked("a02", end8, "first_session", call_id="c08")
        h.marked("a02", local(7, 9), "no_show", "first_session")
        h.marked("a02", local(7, 10), "attended", "first_session")  # a correction: attended
        h.booked("a03", local(4, 10), "first_session", source="staff", by_ai=False)
        h.marked("a03", local(5, 10), "attended", "first_session")
        h.booked("a04", local(5, 10), "first_session", source="waitlist", by_ai=False)
        h.event(
            ev.OfferAccepted(
                occurred_at=local(5, 10), offer_id="o1", entry_id="w1", appointment_id="a04"
            )
        )
        h.event(
            ev.AppointmentCancelled(
                occurred_at=local(6, 9), appointment_id="a04", service="first_session", late=True
            )
        )
        h.booked("a05", local(5, 11), "first_session")
        h.marked("a05", local(7, 11), "no_show", "first_session")
        h.booked("a06", local(7, 12), "first_session")
        h.booked("a07", local(4, 12), "first_session")
        h.event(
            ev.AppointmentRescheduled(
                occurred_at=local(5, 12),
                appointment_id="a07",
                new_appointment_id="a08",
                service="first_session",
            )
        )
        h.marked("a08", local(7, 15), "attended", "first_session")  # the move was kept
        h.booked("a09", local(3, 12), "ongoing", source="staff", by_ai=False, established=True)
        h.marked("a09", local(4, 12), "no_show", "ongoing")
        h.booked("a10", local(2, 12), "ongoing", established=True)
        h.marked("a10", local(3, 12), "late_cancelled", "ongoing")
        # Booked before the range: its attendance inside the range does not count.
        h.booked("a11", local(20, 10, month=2), "first_session")
        h.marked("a11", local(4, 9), "attended", "first_session")
        h.booked("a12", local(20, 11, month=2), "ongoing", established=True)
        h.event(
            ev.AppointmentCancelled(
                occurred_at=local(10, 9), appointment_id="a12", service="ongoing", late=True
            )
        )

        # Waitlist.
        h.event(ev.WaitlistJoined(occurred_at=local(3, 13), entry_id="w1"))
        h.event(ev.WaitlistJoined(occurred_at=local(4, 13), entry_id="w2"))
        h.event(ev.WaitlistJoined(occurred_at=local(27, 13, month=2), entry_id="w0"))
        uow.commit()


EXPECTED: dict[str, int | Decimal | None] = {
    "answered_calls": 10,
    "after_hours_calls": 3,
    "after_hours_share": Decimal("0.3000"),
    "missed_calls": 2,
    "abandoned_calls": 2,
    "recovered_calls": 2,
    "recovery_rate": Decimal("0.5000"),
    "new_client_inquiries": 2,
    "consult_requests": 2,
    "consults_booked": 1,
    "first_sessions_booked": 6,
    "first_sessions_completed": 3,
    "first_sessions_cancelled": 1,
    "first_sessions_no_show": 1,
    "established_client_bookings": 2,
    "established_client_no_shows": 1,
    "late_cancellations": 2,
    "waitlist_additions": 2,
    "waitlist_rebooked": 1,
    "insurance_questions": 1,
    "fee_questions": 1,
    "crisis_handoffs": 1,
    "staff_only_handoffs": 1,
    "callbacks_completed": 5,
    "callback_median_minutes": 90,
    "callback_p90_minutes": 360,
    "first_sessions_via_frontdesk_completed": 2,
    "first_session_value": Decimal("160"),
    "recovered_first_session_value": Decimal("320.00"),
}


@pytest.fixture
def report(uow: SqlAlchemyUnitOfWork, migrated_url: str) -> Report:
    write_history(uow)
    engine = make_engine(migrated_url)
    try:
        return build_report(engine, PRACTICE, start=date(2026, 3, 2), end=date(2026, 3, 8))
    finally:
        engine.dispose()


def test_every_metric_has_its_known_answer(report: Report) -> None:
    """Each metric of the report equals the answer worked out by hand for the history."""
    assert {m.key: m.value for m in report.metrics} == EXPECTED


def test_the_expected_answers_cover_every_defined_metric() -> None:
    """The known answers name exactly the metrics the report defines, so none goes untested."""
    assert set(EXPECTED) == {d.key for d in definitions()}


def test_daily_calls_fall_on_local_days_across_the_clock_change(report: Report) -> None:
    """Calls count on the practice's local day, the late-evening call and DST day included."""
    assert report.daily == (
        DailyCalls(date(2026, 3, 2), answered=2),
        DailyCalls(date(2026, 3, 3), answered=2),
        DailyCalls(date(2026, 3, 4), answered=1),
        DailyCalls(date(2026, 3, 5), answered=2, abandoned=1),
        DailyCalls(date(2026, 3, 6), answered=2, abandoned=1),
        DailyCalls(date(2026, 3, 7), missed=2),
        DailyCalls(date(2026, 3, 8), answered=1),
    )


def test_handoff_routes_and_callback_delays(report: Report) -> None:
    """Hand-offs are counted per category, callback delays per minute from hand-off to done."""
    assert dict(report.handoff_routes) == {
        HandoffCategory.EMERGENCY: 0,
        HandoffCategory.CRISIS: 1,
        HandoffCategory.CLINICAL: 1,
        HandoffCategory.ADMINISTRATIVE: 0,
        HandoffCategory.CALLBACK: 3,
        HandoffCategory.MESSAGE: 0,
        HandoffCategory.TASK: 0,
    }
    assert report.callback_delays == tuple(
        SpeedBucket(minutes, 1) for minutes in (10, 30, 90, 200, 360)
    )


def test_a_shorter_recovery_window_recovers_fewer_calls(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """With a four-hour window only follow-ups within four hours count as recoveries."""
    write_history(uow)
    engine = make_engine(migrated_url)
    try:
        report = build_report(
            engine,
            PRACTICE,
            start=date(2026, 3, 2),
            end=date(2026, 3, 8),
            recovery_window=timedelta(hours=4),
        )
    finally:
        engine.dispose()
    assert report.value("recovered_calls") == 0
    assert report.recovery_window_hours == 4


def _moved(old: str, new: str, at: datetime) -> ev.AppointmentRescheduled:
    return ev.AppointmentRescheduled(
        occurred_at=at, appointment_id=old, new_appointment_id=new, service="first_session"
    )


def test_a_booking_moved_twice_takes_the_latest_outcome_along_its_chain(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """Each booking counts once, with the latest outcome of any appointment it was moved
    to, however many moves; a move of a booking from before the range counts nothing."""
    with uow:
        h = History(uow)
        h.booked("m1", local(2, 9), "first_session")
        h.event(_moved("m1", "m2", local(3, 9)))
        h.event(_moved("m2", "m3", local(4, 9)))
        h.marked("m3", local(6, 9), "attended", "first_session")
        h.booked("n1", local(2, 10), "first_session")
        h.marked("n1", local(3, 10), "no_show", "first_session")  # then moved on, and kept
        h.event(_moved("n1", "n2", local(3, 11)))
        h.event(_moved("n2", "n3", local(4, 11)))
        h.event(
            ev.AppointmentCancelled(
                occurred_at=local(6, 11), appointment_id="n3", service="first_session", late=False
            )
        )
        h.booked("p1", local(2, 11), "first_session")
        h.event(_moved("p1", "p2", local(3, 12)))  # no outcome yet
        h.booked("q0", local(20, 9, month=2), "first_session")  # before the range
        h.event(_moved("q0", "q1", local(3, 13)))
        h.marked("q1", local(5, 13), "attended", "first_session")
        uow.commit()
    engine = make_engine(migrated_url)
    try:
        report = build_report(engine, PRACTICE, start=date(2026, 3, 2), end=date(2026, 3, 8))
    finally:
        engine.dispose()
    assert report.value("first_sessions_booked") == 3
    assert report.value("first_sessions_completed") == 1
    assert report.value("first_sessions_cancelled") == 1
    assert report.value("first_sessions_no_show") == 0


def test_the_report_reads_without_holding_up_writers(tmp_path: Path) -> None:
    """On SQLite the report's read transaction lets a call be written meanwhile, and
    refuses to write itself."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    upgrade(url)
    reader = read_engine(url)
    writer = make_engine(url)
    try:
        with reader.connect() as reading:
            reading.execute(select(func.count()).select_from(CallRow)).scalar_one()
            with writer.begin() as writing:  # would wait for the lock, then fail
                writing.execute(
                    insert(CallRow).values(
                        id="w1",
                        started_at=local(2, 9),
                        status="ended",
                        after_hours=False,
                        route="routine",
                        state={},
                    )
                )
            with pytest.raises(OperationalError):
                reading.execute(delete(CallRow))
    finally:
        reader.dispose()
        writer.dispose()


BOOKED = ev.AppointmentBooked(
    occurred_at=local(2, 9),
    appointment_id="a-col",
    service="first_session",
    clinician_id="rivera",
    starts_at=local(5, 9),
    booked_by_ai=True,
    source="call",
    established_client=False,
)
CANCELLED = ev.AppointmentCancelled(
    occurred_at=local(3, 9), appointment_id="a-col", service="first_session", late=True
)
MISSED = ev.CallMissed(occurred_at=local(3, 10), call_id="m-col", reason="no-answer")
COLUMNS = (
    EventRow.kind,
    EventRow.appointment_id,
    EventRow.service,
    EventRow.status,
    EventRow.source,
    EventRow.late,
    EventRow.established_client,
    EventRow.booked_by_ai,
)
EXPECTED_COLUMNS = [
    ("AppointmentBooked", "a-col", "first_session", None, "call", None, False, True),
    ("AppointmentCancelled", "a-col", "first_session", None, None, True, False, None),
    ("CallMissed", None, None, "no-answer", None, None, None, None),
]


def test_events_keep_the_fields_the_report_reads_as_columns(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """An event written through the repository carries its appointment, service, status
    or reason, source and flags in the columns the report reads."""
    with uow:
        for event in (BOOKED, CANCELLED, MISSED):
            uow.events.add(event)
        uow.commit()
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(*COLUMNS).order_by(EventRow.id)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == EXPECTED_COLUMNS


def test_revision_0005_copies_the_fields_of_events_already_recorded(database_url: str) -> None:
    """Upgrading a database with events from before revision 0005 fills the new columns
    from their payloads, as the repository would have written them."""
    url = database_url
    upgrade(url, "0004")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for event in (BOOKED, CANCELLED, MISSED):
                connection.execute(
                    insert(EventRow).values(
                        kind=event.kind,
                        occurred_at=event.occurred_at,
                        call_id=getattr(event, "call_id", None),
                        payload=to_json(event),
                    )
                )
        upgrade(url)
        with engine.connect() as connection:
            rows = connection.execute(select(*COLUMNS).order_by(EventRow.id)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == EXPECTED_COLUMNS


def _handoff_minutes(url: str) -> list[tuple[str, int | None]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            query = select(HandoffRow.id, HandoffRow.minutes_to_complete).order_by(HandoffRow.id)
            return [(str(i), m) for i, m in connection.execute(query)]
    finally:
        engine.dispose()


def test_hand_offs_are_saved_with_their_minutes_to_complete(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """The repository writes the delay the report counts with every save: none while open,
    whole minutes once done."""
    with uow:
        h = History(uow)
        h.call("c1", local(2, 9), "+15550000001")
        h.handoff("h1", "c1", local(2, 10), HandoffCategory.CALLBACK, done=local(2, 11, 30))
        h.handoff("h2", "c1", local(2, 10), HandoffCategory.CALLBACK)
        uow.commit()
    assert _handoff_minutes(migrated_url) == [("h1", 90), ("h2", None)]


def test_revision_0016_fills_the_minutes_of_hand_offs_already_completed(
    database_url: str,
) -> None:
    """Hand-offs completed before revision 0016 get the minutes the report computed from
    their times (floored); open ones stay empty."""
    upgrade(database_url, "0015")
    engine = make_engine(database_url)
    made = local(2, 10)
    try:
        with engine.begin() as connection:
            for handoff_id, done in (
                ("h1", made + timedelta(minutes=90, seconds=59)),
                ("h2", None),
            ):
                connection.execute(
                    insert(HandoffRow).values(
                        id=handoff_id,
                        category="callback",
                        urgency="routine",
                        summary="",
                        status="done" if done else "open",
                        created_at=made,
                        completed_at=done,
                        details={},
                        wake_on_contact=False,
                    )
                )
    finally:
        engine.dispose()
    upgrade(database_url)
    assert _handoff_minutes(database_url) == [("h1", 90), ("h2", None)]
