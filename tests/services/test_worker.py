"""The outbox worker: sends once, suppresses, defers for quiet hours, retries, never resends."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.fakes import FakeNotifier, FakeUnitOfWork
from tests.scheduling_practice import NOW as SCHEDULING_NOW
from tests.scheduling_practice import intake as scheduling_intake
from tests.scheduling_practice import make_scheduling_practice

from frontdesk.adapters.practice_file import load_practice
from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calls import HandoffCategory
from frontdesk.domain.clients import Contact
from frontdesk.domain.events import HandoffCreated, MessageSent
from frontdesk.domain.inquiries import Intake, Modality, ReminderPreference
from frontdesk.domain.messages import (
    Channel,
    DeliveryFailed,
    FailureKind,
    MessageStatus,
    OutboundMessage,
    Purpose,
    QuietHours,
    SkipReason,
)
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import CallRecord, InquiryRecord, TurnRecord
from frontdesk.services import appointments, messages, openings, waitlist, worker
from frontdesk.services.worker import BatchReport, WorkerPolicy

NEW_YORK = ZoneInfo("America/New_York")
NOON = datetime(2026, 6, 1, 12, 0, tzinfo=NEW_YORK)
NUMBER = "+15551234567"
BODY = "Reminder: your appointment with Dana is Tuesday at 3 PM. Reply C to confirm."
POLICY = WorkerPolicy(zone=NEW_YORK, quiet=QuietHours(time(21, 0), time(8, 0)))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class SimulatedCrash(Exception):
    """Stands for the process dying: nothing after it runs."""


class CrashAfterSending(FakeNotifier):
    """Sends (records) the message, then dies before the worker can record the result."""

    def __init__(self, crash_on: int = 1) -> None:
        super().__init__()
        self._crash_on = crash_on

    def send(self, message: OutboundMessage) -> str:
        provider_id = super().send(message)
        if len(self.sent) == self._crash_on:
            raise SimulatedCrash
        return provider_id


def queue(uow: FakeUnitOfWork, at: datetime = NOON, **changes: object) -> str:
    values: dict[str, object] = {
        "uow": uow,
        "to": NUMBER,
        "channel": Channel.SMS,
        "purpose": Purpose.REMINDER,
        "body": BODY,
        "at": at,
    }
    values.update(changes)
    return messages.queue_message(**values)  # type: ignore[arg-type]


def run(
    uow: FakeUnitOfWork,
    notifier: FakeNotifier,
    clock: Clock,
    owner: str = "w1",
    policy: WorkerPolicy = POLICY,
) -> BatchReport:
    return worker.drain(uow=uow, notifier=notifier, clock=clock, owner=owner, policy=policy)


def row(uow: FakeUnitOfWork, message_id: str) -> OutboundMessage:
    with uow:
        found = uow.messages.get(message_id)
    assert found is not None
    return found


def test_a_due_message_is_sent_once_and_recorded() -> None:
    """The worker sends a due message, records sent with the provider id and a MessageSent
    event, and a second pass sends nothing."""
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(NOON)
    message_id = queue(uow)
    assert run(uow, notifier, clock) == BatchReport(sent=1)
    assert run(uow, notifier, clock) == BatchReport()
    assert [m.id for m in notifier.sent] == [message_id]
    sent = row(uow, message_id)
    assert (sent.status, sent.provider_id, sent.attempts, sent.sent_at) == (
        MessageStatus.SENT,
        "fake-1",
        1,
        NOON,
    )
    events = [e for e in uow.collect_events() if isinstance(e, MessageSent)]
    assert [(e.message_id, e.channel, e.purpose) for e in events] == [
        (message_id, "sms", "reminder")
    ]


def test_a_future_message_waits_for_its_time() -> None:
    """A message scheduled for tomorrow is left alone today and sent tomorrow."""
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(NOON)
    message_id = queue(uow, send_after=NOON + timedelta(days=1))
    run(uow, notifier, clock)
    assert notifier.sent == []
    clock.advance(timedelta(days=1))
    run(uow, notifier, clock)
    assert [m.id for m in notifier.sent] == [message_id]


def test_stop_after_queueing_suppresses_the_reminder_at_send_time() -> None:
    """A STOP that arrives after a reminder was queued stops it: suppressed, not sent."""
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(NOON)
    message_id = queue(uow)
    messages.record_opt_out(uow=uow, number=NUMBER, at=NOON)
    assert run(uow, notifier, clock) == BatchReport(suppressed=1)
    assert notifier.sent == []
    assert row(uow, message_id).last_error == "opted_out"


def test_start_re_enables_messages_queued_afterwards() -> None:
    """After STOP then START, a newly queued reminder is sent."""
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(NOON)
    messages.record_opt_out(uow=uow, number=NUMBER, at=NOON)
    messages.record_opt_in(uow=uow, number=NUMBER, at=NOON)
    message_id = queue(uow)
    run(uow, notifier, clock)
    assert [m.id for m in notifier.sent] == [message_id]


def test_consent_withdrawn_after_queueing_suppresses_at_send_time() -> None:
    """An inquiry that says no to texts after a text was queued receives no text."""
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(NOON)
    inquiry = InquiryRecord(id="inq1", created_at=NOON, updated_at=NOON, intake=Intake())
    with uow:
        uow.inquiries.add(inquiry)
        uow.commit()
    message_id = queue(uow, inquiry_id="inq1")
    with uow:
        uow.inquiries.update(
            InquiryRecord(
                id="inq1",
                created_at=NOON,
                updated_at=NOON,
                intake=Intake(consent_to_text=False),
            )
        )
        uow.commit()
    run(uow, notifier, clock)
    assert notifier.sent == []
    assert row(uow, message_id).last_error == "no_consent"


def test_quiet_hours_defer_a_text_to_the_next_morning() -> None:
    """A text due at 22:00 local is deferred to 08:00, not dropped, and sent then."""
    uow, notifier = FakeUnitOfWork(), FakeNotifier()
    evening = datetime(2026, 6, 1, 22, 0, tzinfo=NEW_YORK)
    clock = Clock(evening)
    message_id = queue(uow, at=evening)
    assert run(uow, notifier, clock) == BatchReport(deferred=1)
    deferred = row(uow, message_id)
    morning = datetime(2026, 6, 2, 8, 0, tzinfo=NEW_YORK)
    assert (deferred.status, deferred.send_after, deferred.attempts) == (
        MessageStatus.QUEUED,
        morning,
        0,
    )
    clock.advance(timedelta(hours=9, minutes=59))
    run(uow, notifier, clock)
    assert notifier.sent == []
    clock.advance(timedelta(minutes=1))
    run(uow, notifier, clock)
    assert [m.id for m in notifier.sent] == [message_id]


def practice_with_quiet_hours(folder: Path, quiet_hours: str) -> Practice:
    """The shipped example practice (America/Chicago) with `reminders.quiet_hours` replaced."""
    data = resources.files("frontdesk.data")
    text = (data / "example_practice.yaml").read_text(encoding="utf-8")
    shipped = 'quiet_hours: "21:00-08:00"'
    assert shipped in text
    path = folder / "practice.yaml"
    path.write_text(text.replace(shipped, quiet_hours), encoding="utf-8")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
    return load_practice(path)


def test_the_practice_files_quiet_hours_hold_a_text_until_they_end(tmp_path: Path) -> None:
    """With `quiet_hours: "20:00-09:00"` in the practice file, a client text due at 8:30
    local is held, not sent, and goes out at 9:00."""
    practice = practice_with_quiet_hours(tmp_path, 'quiet_hours: "20:00-09:00"')
    policy = WorkerPolicy.for_practice(practice)
    morning = datetime(2026, 6, 2, 8, 30, tzinfo=practice.zone)
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(morning)
    message_id = queue(uow, at=morning)
    assert run(uow, notifier, clock, policy=policy) == BatchReport(deferred=1)
    assert notifier.sent == []
    nine = datetime(2026, 6, 2, 9, 0, tzinfo=practice.zone)
    assert row(uow, message_id).send_after == nine
    clock.advance(timedelta(minutes=29))
    run(uow, notifier, clock, policy=policy)
    assert notifier.sent == []
    clock.advance(timedelta(minutes=1))
    assert run(uow, notifier, clock, policy=policy) == BatchReport(sent=1)
    assert [m.id for m in notifier.sent] == [message_id]


def test_a_practice_file_without_quiet_hours_holds_nothing(tmp_path: Path) -> None:
    """`quiet_hours: null` in the practice file turns quiet hours off: a text due at 3 am
    local is sent at once."""
    practice = practice_with_quiet_hours(tmp_path, "quiet_hours: null")
    policy = WorkerPolicy.for_practice(practice)
    assert policy.quiet is None
    night = datetime(2026, 6, 2, 3, 0, tzinfo=practice.zone)
    uow, notifier = FakeUnitOfWork(), FakeNotifier()
    queue(uow, at=night)
    assert run(uow, notifier, Clock(night), policy=policy) == BatchReport(sent=1)


def test_quiet_hours_do_not_hold_email_or_staff_pages() -> None:
    """At 23:00 an e-mail and a page to the on-call clinician still go out."""
    uow, notifier = FakeUnitOfWork(), FakeNotifier()
    late = datetime(2026, 6, 1, 23, 0, tzinfo=NEW_YORK)
    queue(uow, at=late, channel=Channel.EMAIL, to="ana@example.org")
    queue(uow, at=late, purpose=Purpose.PAGE, body="Urgent hand-off waiting: task 7.")
    assert run(uow, notifier, Clock(late)) == BatchReport(sent=2)


def test_a_transient_error_is_retried_with_backoff() -> None:
    """A transient failure puts the message back one minute later; the retry sends it."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("twilio_http_503", FailureKind.TRANSIENT)])
    message_id = queue(uow)
    assert run(uow, notifier, clock) == BatchReport(retried=1)
    waiting = row(uow, message_id)
    assert (waiting.status, waiting.send_after, waiting.last_error, waiting.attempts) == (
        MessageStatus.QUEUED,
        NOON + timedelta(minutes=1),
        "twilio_http_503",
        1,
    )
    clock.advance(timedelta(minutes=1))
    assert run(uow, notifier, clock) == BatchReport(sent=1)
    assert row(uow, message_id).attempts == 2


def test_transient_errors_fail_the_message_after_max_attempts() -> None:
    """After `max_attempts` transient failures the message is failed, not retried forever."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("smtp_unreachable", FailureKind.TRANSIENT)] * 3)
    policy = WorkerPolicy(zone=NEW_YORK, max_attempts=3)
    message_id = queue(uow)
    for _ in range(3):
        run(uow, notifier, clock, policy=policy)
        clock.advance(timedelta(hours=1))
    failed = row(uow, message_id)
    assert (failed.status, failed.attempts, failed.last_error) == (
        MessageStatus.FAILED,
        3,
        "smtp_unreachable",
    )
    assert notifier.sent == []


def test_a_permanent_error_fails_at_once() -> None:
    """A permanent failure (an invalid number) is failed without a retry."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("twilio_21211", FailureKind.PERMANENT)])
    message_id = queue(uow)
    assert run(uow, notifier, clock) == BatchReport(failed=1)
    assert row(uow, message_id).status is MessageStatus.FAILED


def test_a_provider_opt_out_is_recorded_for_every_later_message() -> None:
    """When the provider reports the number unsubscribed, the message is suppressed and the
    number opted out, so the next message is suppressed before sending."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    unsubscribed = DeliveryFailed("twilio_21610", FailureKind.PERMANENT, opted_out=True)
    notifier = FakeNotifier([unsubscribed])
    first = queue(uow)
    assert run(uow, notifier, clock) == BatchReport(suppressed=1)
    assert row(uow, first).status is MessageStatus.SUPPRESSED
    assert messages.is_opted_out(uow=uow, number=NUMBER)
    second = queue(uow)
    assert row(uow, second).status is MessageStatus.SUPPRESSED


def test_an_ambiguous_error_marks_the_message_uncertain_with_a_staff_task() -> None:
    """A timeout after the request left is not retried: uncertain, and staff must check."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("twilio_no_response", FailureKind.UNKNOWN)])
    message_id = queue(uow)
    assert run(uow, notifier, clock) == BatchReport(uncertain=1)
    assert row(uow, message_id).status is MessageStatus.UNCERTAIN
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.details["message_id"] == message_id
    clock.advance(timedelta(hours=2))
    run(uow, notifier, clock)
    assert notifier.sent == []


def test_a_crash_between_send_and_record_never_sends_twice() -> None:
    """The notifier sends and the worker dies before recording; a fresh worker after the
    lease does not resend, marks the row uncertain and opens a staff task."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    crashing = CrashAfterSending()
    message_id = queue(uow)
    with pytest.raises(SimulatedCrash):
        run(uow, crashing, clock)
    assert row(uow, message_id).status is MessageStatus.SENDING

    fresh = FakeNotifier()
    assert run(uow, fresh, clock, owner="w2") == BatchReport()
    assert row(uow, message_id).status is MessageStatus.SENDING  # lease still running

    clock.advance(POLICY.lease)
    assert run(uow, fresh, clock, owner="w2") == BatchReport(uncertain=1)
    assert fresh.sent == []
    assert [m.id for m in crashing.sent] == [message_id]
    uncertain = row(uow, message_id)
    assert (uncertain.status, uncertain.last_error) == (MessageStatus.UNCERTAIN, "lease_expired")
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.category is HandoffCategory.CALLBACK
    assert task.caller_number == NUMBER
    assert task.details["message_id"] == message_id
    assert "Check whether" in task.summary
    assert BODY not in task.summary
    created = [e for e in uow.collect_events() if isinstance(e, HandoffCreated)]
    assert [e.handoff_id for e in created] == [task.id]

    clock.advance(timedelta(days=1))
    run(uow, fresh, clock, owner="w2")
    assert fresh.sent == []


def test_a_restart_mid_batch_sends_every_other_message_exactly_once() -> None:
    """Dying on the second of three claimed messages: the first stays sent, the second is
    uncertain, the third (never handed over) is released and sent by the next worker."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    ids = [queue(uow, at=NOON + timedelta(seconds=n)) for n in range(3)]
    clock.advance(timedelta(seconds=3))
    crashing = CrashAfterSending(crash_on=2)
    with pytest.raises(SimulatedCrash):
        run(uow, crashing, clock)
    assert [row(uow, i).status for i in ids] == [
        MessageStatus.SENT,
        MessageStatus.SENDING,
        MessageStatus.CLAIMED,
    ]
    clock.advance(POLICY.lease)
    fresh = FakeNotifier()
    assert run(uow, fresh, clock, owner="w2") == BatchReport(sent=1, uncertain=1)
    assert [m.id for m in crashing.sent] == ids[:2]
    assert [m.id for m in fresh.sent] == ids[2:]
    assert [row(uow, i).status for i in ids] == [
        MessageStatus.SENT,
        MessageStatus.UNCERTAIN,
        MessageStatus.SENT,
    ]


def test_a_message_claimed_by_another_worker_is_not_sent() -> None:
    """A worker only hands over messages it holds the claim for."""
    uow, clock, notifier = FakeUnitOfWork(), Clock(NOON), FakeNotifier()
    queue(uow)
    (claimed,), _ = worker.claim(uow=uow, now=NOON, owner="w1", policy=POLICY)
    report = worker.deliver(
        uow=uow, notifier=notifier, message=claimed, clock=clock, owner="w2", policy=POLICY
    )
    assert report == BatchReport()
    assert notifier.sent == []


def test_a_stop_between_claim_and_hand_over_is_honoured() -> None:
    """A STOP that lands after the batch was claimed still stops the message."""
    uow, clock, notifier = FakeUnitOfWork(), Clock(NOON), FakeNotifier()
    message_id = queue(uow)
    (claimed,), _ = worker.claim(uow=uow, now=NOON, owner="w1", policy=POLICY)
    messages.record_opt_out(uow=uow, number=NUMBER, at=NOON)
    report = worker.deliver(
        uow=uow, notifier=notifier, message=claimed, clock=clock, owner="w1", policy=POLICY
    )
    assert report == BatchReport(suppressed=1)
    assert notifier.sent == []
    assert row(uow, message_id).status is MessageStatus.SUPPRESSED


def test_drain_works_through_more_than_one_batch() -> None:
    """`drain` keeps passing until the queue is empty, a batch at a time."""
    uow, clock, notifier = FakeUnitOfWork(), Clock(NOON), FakeNotifier()
    for n in range(7):
        queue(uow, at=NOON - timedelta(seconds=n))
    policy = WorkerPolicy(zone=NEW_YORK, batch=3)
    assert run(uow, notifier, clock, policy=policy) == BatchReport(sent=7)
    assert len({m.id for m in notifier.sent}) == 7


def test_run_forever_stops_when_asked() -> None:
    """The loop sends what is due and returns its totals once the stop event is set."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    stop = threading.Event()

    class StopAfterOne(FakeNotifier):
        def send(self, message: OutboundMessage) -> str:
            stop.set()
            return super().send(message)

    queue(uow)
    notifier = StopAfterOne()
    totals = worker.run_forever(
        uow=uow, notifier=notifier, clock=clock, owner="w1", interval=60, stop=stop
    )
    assert totals == BatchReport(sent=1)


def test_a_bad_policy_is_refused() -> None:
    """Batch size, attempts and lease must be positive."""
    with pytest.raises(ValueError, match="positive"):
        WorkerPolicy(batch=0)


def test_sending_is_recorded_in_utc_whatever_the_clock_zone() -> None:
    """Times written by the worker compare equal to the same instant in UTC."""
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(NOON)
    message_id = queue(uow)
    run(uow, notifier, clock)
    assert row(uow, message_id).sent_at == NOON.astimezone(UTC)


def test_a_reminder_withdrawn_after_it_was_claimed_is_not_sent() -> None:
    """An appointment cancelled while its reminder sits in a worker's batch: the worker
    skips it at hand-over."""
    uow, clock, notifier = FakeUnitOfWork(), Clock(NOON), FakeNotifier()
    message_id = queue(uow, appointment_id="a1")
    (claimed,), _ = worker.claim(uow=uow, now=NOON, owner="w1", policy=POLICY)
    with uow:
        assert messages.withdraw(uow, appointment_id="a1", at=NOON) == [message_id]
        uow.commit()
    report = worker.deliver(
        uow=uow, notifier=notifier, message=claimed, clock=clock, owner="w1", policy=POLICY
    )
    assert report == BatchReport()
    assert notifier.sent == []
    assert row(uow, message_id).status is MessageStatus.WITHDRAWN


def waiting_for_a_cancelled_slot(
    uow: FakeUnitOfWork, practice: Practice, cancelled_at: datetime = SCHEDULING_NOW
) -> tuple[str, str]:
    """A booked video first session (Tuesday 9 am), two entries waiting for one, then the
    cancellation at `cancelled_at`; the numbers of the two entries, oldest first."""
    with uow:
        for n in range(3):
            uow.inquiries.add(
                InquiryRecord(id=f"inq{n}", created_at=SCHEDULING_NOW, updated_at=SCHEDULING_NOW)
            )
        uow.commit()
    video = scheduling_intake(modality=Modality.TELEHEALTH)
    slot = openings.find_openings_for(
        intake=video, kind=ServiceKind.FIRST_SESSION, now=SCHEDULING_NOW, uow=uow, practice=practice
    )[0]
    booked = appointments.book(
        slot=slot,
        client=ClientRef(inquiry_id="inq0"),
        at=SCHEDULING_NOW,
        uow=uow,
        practice=practice,
        booked_by_ai=True,
        source=BookingSource.CALL,
    )
    numbers = ("+13125550161", "+13125550162")
    for n, number in enumerate(numbers):
        waitlist.join(
            intake=video,
            kind=ServiceKind.FIRST_SESSION,
            at=SCHEDULING_NOW + timedelta(minutes=n),
            uow=uow,
            inquiry_id=f"inq{n + 1}",
            contact=Contact(ReminderPreference.SMS, number),
        )
    appointments.cancel(appointment_id=booked, at=cancelled_at, uow=uow, practice=practice)
    return numbers


def test_each_cycle_expires_lapsed_offers_and_texts_the_next_entry() -> None:
    """With the practice given, a cycle after the hold ran out expires the first offer and
    sends the offer to the next entry in the same cycle; before then nobody else is asked."""
    practice = make_scheduling_practice()
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(SCHEDULING_NOW)
    first, second = waiting_for_a_cancelled_slot(uow, practice)
    policy = WorkerPolicy()

    worker.drain(
        uow=uow, notifier=notifier, clock=clock, owner="w1", policy=policy, practice=practice
    )
    offers = [m.to for m in notifier.sent if m.purpose is Purpose.OFFER]
    assert offers == [first]

    clock.advance(practice.schedule.waitlist.hold - timedelta(minutes=1))
    worker.drain(
        uow=uow, notifier=notifier, clock=clock, owner="w1", policy=policy, practice=practice
    )
    assert [m.to for m in notifier.sent if m.purpose is Purpose.OFFER] == [first]

    clock.advance(timedelta(minutes=2))
    uow.collect_events()
    worker.drain(
        uow=uow, notifier=notifier, clock=clock, owner="w1", policy=policy, practice=practice
    )
    assert [m.to for m in notifier.sent if m.purpose is Purpose.OFFER] == [first, second]
    assert "OfferExpired" in [e.kind for e in uow.collect_events()]


def test_a_night_cancellation_is_offered_by_the_morning_text_and_held_after_it() -> None:
    """Cancelled at 11 pm: the night's cycles send nothing and ask nobody else, the 8 am
    cycle texts the first entry, and nobody else is asked while that hold runs."""
    practice = make_scheduling_practice()
    zone = practice.zone
    night = datetime(2026, 3, 2, 23, 0, tzinfo=zone)  # Monday; the session is Tuesday 9 am
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(night)
    first, _ = waiting_for_a_cancelled_slot(uow, practice, cancelled_at=night)

    def offers_sent_at(hour: int, minute: int = 0) -> list[str]:
        clock.now = datetime(2026, 3, 3, hour, minute, tzinfo=zone)
        worker.drain(uow=uow, notifier=notifier, clock=clock, owner="w1", practice=practice)
        return [m.to for m in notifier.sent if m.purpose is Purpose.OFFER]

    assert offers_sent_at(1) == []
    assert offers_sent_at(7, 59) == []
    assert offers_sent_at(8) == [first]
    assert offers_sent_at(8, 59) == [first]


def test_without_the_practice_the_waitlist_is_left_alone() -> None:
    """A cycle given no practice only sends messages: a lapsed hold is not moved on, and
    the text of the offer no longer held is skipped rather than sent."""
    practice = make_scheduling_practice()
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(SCHEDULING_NOW)
    waiting_for_a_cancelled_slot(uow, practice)
    clock.advance(practice.schedule.waitlist.hold + timedelta(minutes=1))
    report = worker.drain(uow=uow, notifier=notifier, clock=clock, owner="w1")
    assert [m for m in notifier.sent if m.purpose is Purpose.OFFER] == []
    offers = [m for m in uow.messages.list_all() if m.purpose is Purpose.OFFER]
    assert [(m.status, m.last_error) for m in offers] == [
        (MessageStatus.SKIPPED, SkipReason.OFFER_NOT_HELD.value)
    ]
    assert report.skipped == 1


def test_run_forever_ticks_the_waitlist_every_cycle() -> None:
    """The continuous loop passes the practice to each cycle, so a lapsed hold moves on:
    the next entry is texted, and the lapsed offer's unsent text never goes out."""
    practice = make_scheduling_practice()
    uow, clock = FakeUnitOfWork(), Clock(SCHEDULING_NOW)
    _, second = waiting_for_a_cancelled_slot(uow, practice)
    clock.advance(practice.schedule.waitlist.hold + timedelta(minutes=1))
    stop = threading.Event()

    class StopAfterOne(FakeNotifier):
        def send(self, message: OutboundMessage) -> str:
            provider_id = super().send(message)
            stop.set()
            return provider_id

    notifier = StopAfterOne()
    worker.run_forever(
        uow=uow,
        notifier=notifier,
        clock=clock,
        owner="w1",
        interval=60,
        stop=stop,
        practice=practice,
    )
    assert [m.to for m in notifier.sent if m.purpose is Purpose.OFFER] == [second]


# --- urgent pages: sent again rather than left uncertain ---------------------------------

ON_CALL, FRONT_DESK = "+15550000001", "+15550000002"
PAGING = WorkerPolicy(zone=NEW_YORK, page_numbers=(ON_CALL, FRONT_DESK))
PAGE_BODY = "Frontdesk URGENT: crisis call, hand-off abc12345. Call back +15551234567."


def queue_page(uow: FakeUnitOfWork) -> str:
    return queue(uow, to=ON_CALL, purpose=Purpose.PAGE, body=PAGE_BODY, dedupe_key="page:h1")


def pages(uow: FakeUnitOfWork) -> list[tuple[str, MessageStatus]]:
    """Recipient and status of every page, in the order they were queued."""
    with uow:
        found = uow.messages.list_all()
    return [(m.to, m.status) for m in sorted(found, key=lambda m: (m.created_at, m.attempts))]


def test_an_interrupted_page_is_sent_again_at_once_to_the_next_number() -> None:
    """A page whose send timed out after leaving is marked uncertain and a copy goes to the
    front desk in the same cycle, with no staff task to check it."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("twilio_no_response", FailureKind.UNKNOWN)])
    queue_page(uow)
    run(uow, notifier, clock, policy=PAGING)
    run(uow, notifier, clock, policy=PAGING)
    assert pages(uow) == [(ON_CALL, MessageStatus.UNCERTAIN), (FRONT_DESK, MessageStatus.SENT)]
    assert [m.to for m in notifier.sent] == [FRONT_DESK]
    with uow:
        assert uow.handoffs.list_queue() == []


def test_a_dead_workers_claim_on_a_page_expires_in_seconds() -> None:
    """A worker that dies mid-send holds a page for the urgent lease only: the next worker,
    seconds later, sends it again to the next number."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    queue_page(uow)
    with pytest.raises(SimulatedCrash):
        run(uow, CrashAfterSending(), clock, policy=PAGING)
    assert PAGING.urgent_lease <= timedelta(seconds=60)
    clock.advance(PAGING.urgent_lease)
    fresh = FakeNotifier()
    run(uow, fresh, clock, owner="w2", policy=PAGING)
    assert [m.to for m in fresh.sent] == [FRONT_DESK]
    assert pages(uow) == [(ON_CALL, MessageStatus.UNCERTAIN), (FRONT_DESK, MessageStatus.SENT)]


def test_a_reminder_claimed_by_a_dead_worker_still_waits_the_full_lease() -> None:
    """Only pages have the short lease: a reminder a dead worker was sending is not touched
    after the urgent lease."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    message_id = queue(uow)
    with pytest.raises(SimulatedCrash):
        run(uow, CrashAfterSending(), clock, policy=PAGING)
    clock.advance(PAGING.urgent_lease)
    fresh = FakeNotifier()
    assert run(uow, fresh, clock, owner="w2", policy=PAGING) == BatchReport()
    assert row(uow, message_id).status is MessageStatus.SENDING


def test_a_page_with_one_number_is_sent_again_to_it() -> None:
    """Without a second page number the copy goes to the same number."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("twilio_no_response", FailureKind.UNKNOWN)])
    queue_page(uow)
    policy = WorkerPolicy(zone=NEW_YORK, page_numbers=(ON_CALL,))
    run(uow, notifier, clock, policy=policy)
    run(uow, notifier, clock, policy=policy)
    assert sorted(pages(uow)) == [(ON_CALL, MessageStatus.SENT), (ON_CALL, MessageStatus.UNCERTAIN)]


def test_a_page_refused_for_a_transient_reason_is_retried_without_backoff() -> None:
    """A transient refusal of a page is retried in the next cycle, not minutes later."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("twilio_busy", FailureKind.TRANSIENT)])
    page_id = queue_page(uow)
    assert run(uow, notifier, clock, policy=PAGING) == BatchReport(retried=1)
    run(uow, notifier, clock, policy=PAGING)
    assert row(uow, page_id).status is MessageStatus.SENT


def test_a_page_interrupted_every_time_is_left_to_staff_after_max_attempts() -> None:
    """Copies of a page stop after `max_attempts` sends; the last is uncertain with a task."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    policy = WorkerPolicy(zone=NEW_YORK, max_attempts=3, page_numbers=(ON_CALL, FRONT_DESK))
    notifier = FakeNotifier([DeliveryFailed("timeout", FailureKind.UNKNOWN)] * 10)
    queue_page(uow)
    for _ in range(5):
        run(uow, notifier, clock, policy=policy)
    assert pages(uow) == [
        (ON_CALL, MessageStatus.UNCERTAIN),
        (FRONT_DESK, MessageStatus.UNCERTAIN),
        (ON_CALL, MessageStatus.UNCERTAIN),
    ]
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.details["reason"] == "uncertain_delivery"


# --- stale messages and undeliverable ones ----------------------------------------------------


def _booked(uow: FakeUnitOfWork, practice: Practice, name: str = "Ana Lopez") -> str:
    """A first session booked for inquiry `inq0`, whose client gave `name`."""
    with uow:
        uow.inquiries.add(
            InquiryRecord(
                id="inq0",
                created_at=SCHEDULING_NOW,
                updated_at=SCHEDULING_NOW,
                intake=Intake(client_name=name),
            )
        )
        uow.commit()
    slot = openings.find_openings_for(
        intake=scheduling_intake(modality=Modality.TELEHEALTH),
        kind=ServiceKind.FIRST_SESSION,
        now=SCHEDULING_NOW,
        uow=uow,
        practice=practice,
    )[0]
    return appointments.book(
        slot=slot,
        client=ClientRef(inquiry_id="inq0"),
        at=SCHEDULING_NOW,
        uow=uow,
        practice=practice,
        booked_by_ai=True,
        source=BookingSource.CALL,
    )


@pytest.mark.parametrize(
    ("window", "waited", "sent"),
    [
        (timedelta(hours=24), timedelta(hours=23), True),
        (timedelta(hours=24), timedelta(hours=25), False),
        (timedelta(hours=2), timedelta(hours=3), False),
    ],
)
def test_a_missed_call_follow_up_older_than_the_window_is_skipped(
    window: timedelta, waited: timedelta, sent: bool
) -> None:
    """A follow-up text still queued after the practice's window is settled as skipped with
    its reason, never sent; inside the window it goes out."""
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(NOON)
    message_id = queue(uow, purpose=Purpose.FOLLOW_UP)
    clock.advance(waited)
    policy = WorkerPolicy(zone=NEW_YORK, follow_up_window=window)
    report = run(uow, notifier, clock, policy=policy)
    if sent:
        assert report == BatchReport(sent=1)
        return
    assert report == BatchReport(skipped=1)
    assert notifier.sent == []
    skipped = row(uow, message_id)
    assert (skipped.status, skipped.last_error) == (
        MessageStatus.SKIPPED,
        SkipReason.FOLLOW_UP_TOO_OLD.value,
    )


def test_the_follow_up_window_comes_from_the_practice_file() -> None:
    """`reminders.follow_up_window_hours` sets the worker's window (24 hours by default)."""
    practice = make_scheduling_practice()
    assert WorkerPolicy.for_practice(practice).follow_up_window == timedelta(hours=24)


def test_a_reminder_for_an_appointment_already_begun_is_skipped() -> None:
    """A reminder still queued when its appointment has started is skipped, not sent."""
    practice = make_scheduling_practice()
    uow, notifier = FakeUnitOfWork(), FakeNotifier()
    appointment_id = _booked(uow, practice)
    with uow:
        record = uow.appointments.get(appointment_id)
    assert record is not None
    start = record.appointment.start
    message_id = queue(uow, at=SCHEDULING_NOW, appointment_id=appointment_id)
    clock = Clock(start + timedelta(minutes=5))
    assert run(uow, notifier, clock, policy=WorkerPolicy()) == BatchReport(skipped=1)
    assert row(uow, message_id).last_error == SkipReason.APPOINTMENT_PASSED.value
    assert notifier.sent == []


def test_a_reminder_for_an_appointment_no_longer_booked_is_skipped() -> None:
    """A reminder that escaped withdrawal (the appointment cancelled) is skipped when due."""
    practice = make_scheduling_practice()
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(SCHEDULING_NOW)
    appointment_id = _booked(uow, practice)
    message_id = queue(uow, at=SCHEDULING_NOW, appointment_id=appointment_id)
    with uow:
        record = uow.appointments.get(appointment_id)
        assert record is not None
        uow.appointments.update(replace(record.appointment, status=AppointmentStatus.CANCELLED))
        uow.commit()
    assert run(uow, notifier, clock, policy=WorkerPolicy()) == BatchReport(skipped=1)
    assert row(uow, message_id).last_error == SkipReason.APPOINTMENT_CANCELLED.value


def test_a_permanently_undeliverable_reminder_opens_a_task_naming_the_client() -> None:
    """When a client's reminder can never be delivered, staff get a same-day task naming
    the client and the number, so the client is reached another way."""
    practice = make_scheduling_practice()
    uow, clock = FakeUnitOfWork(), Clock(SCHEDULING_NOW)
    notifier = FakeNotifier([DeliveryFailed("channel_unavailable", FailureKind.PERMANENT)])
    appointment_id = _booked(uow, practice, name="Ana Lopez")
    queue(uow, at=SCHEDULING_NOW, appointment_id=appointment_id, channel=Channel.VOICE)
    assert run(uow, notifier, clock, policy=WorkerPolicy()) == BatchReport(failed=1)
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert "Ana Lopez" in task.summary
    assert "phone call" in task.summary
    assert task.caller_number == NUMBER
    assert task.details["appointment_id"] == appointment_id
    assert task.details["reason"] == "undeliverable"


def test_an_undeliverable_message_with_nobody_named_still_opens_a_task() -> None:
    """Without a name on record the task says "the client" and keeps the number."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("twilio_21211", FailureKind.PERMANENT)])
    queue(uow, purpose=Purpose.FOLLOW_UP)
    run(uow, notifier, clock)
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.summary.startswith("Reach the client another way")
    assert task.caller_number == NUMBER


def test_an_undeliverable_staff_page_opens_no_client_task() -> None:
    """A staff page that fails is not a client to reach: no client task is opened."""
    uow, clock = FakeUnitOfWork(), Clock(NOON)
    notifier = FakeNotifier([DeliveryFailed("twilio_21211", FailureKind.PERMANENT)])
    queue(uow, purpose=Purpose.PAGE, body="Urgent handoff h1: crisis route.")
    assert run(uow, notifier, clock) == BatchReport(failed=1)
    with uow:
        assert uow.handoffs.list_queue() == []


def test_a_cycle_with_the_practice_purges_expired_content_once_a_day() -> None:
    """The worker purges what the practice's retention says expired, audits it as `worker`,
    and does not purge again until a day has passed."""
    practice = make_scheduling_practice()
    uow, notifier, clock = FakeUnitOfWork(), FakeNotifier(), Clock(SCHEDULING_NOW)
    old = SCHEDULING_NOW - timedelta(days=practice.retention.transcripts_days + 1)
    with uow:
        uow.calls.add(CallRecord(id="old", started_at=old, state={"said": "words"}))
        uow.turns.add(TurnRecord(call_id="old", seq=0, at=old, caller_text="words"))
        uow.commit()
    worker.drain(uow=uow, notifier=notifier, clock=clock, owner="w1", practice=practice)
    clock.advance(timedelta(hours=1))
    worker.drain(uow=uow, notifier=notifier, clock=clock, owner="w1", practice=practice)
    with uow:
        turn = uow.turns.get("old", 0)
        purges = uow.audit.search(action="purge")
    assert turn is not None
    assert turn.caller_text is None
    assert [(p.entry.actor, p.entry.detail.split()[0]) for p in purges] == [
        ("worker", "transcripts=1")
    ]
