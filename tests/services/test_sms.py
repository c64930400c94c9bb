"""Inbound texts: offers taken by text, confirmations, reschedules, CANCEL, and retries."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from tests.fakes import FakeUnitOfWork
from tests.faults import Faults, InjectedFailure, ProcessDied
from tests.scheduling_practice import CONTACT, NOW, PHONE, intake, make_scheduling_practice
from tests.unit.conversation.engine_fakes import context

from frontdesk.adapters.script_file import default_script_library
from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calls import HandoffCategory, Route, Urgency
from frontdesk.domain.clients import Contact
from frontdesk.domain.events import AppointmentConfirmed
from frontdesk.domain.handoffs import Handoff, HandoffStatus
from frontdesk.domain.inbound_texts import CLAIM_TIMEOUT, InboundStatus, InboundText
from frontdesk.domain.inquiries import Modality, ReminderPreference
from frontdesk.domain.messages import Purpose
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.domain.schedule import WaitlistSettings
from frontdesk.domain.waitlist import WaitlistStatus
from frontdesk.services import appointments, callbacks, messages, openings, sms, waitlist
from frontdesk.services.sms import TextKind, TextResult
from frontdesk.services.telephony import VoiceDeps

# Two offers live at once, so a taken opening has someone to tell that it has gone.
PRACTICE = replace(
    make_scheduling_practice(waitlist=WaitlistSettings(hold=timedelta(hours=2), batch=2)),
    scripts=default_script_library(),
)
FIRST = ServiceKind.FIRST_SESSION
WAITING = ("+13125550161", "+13125550162")


def deps(uow: FakeUnitOfWork) -> VoiceDeps:
    return VoiceDeps(uow=lambda: uow, context=context(practice_=PRACTICE))


def text(uow: FakeUnitOfWork, number: str, body: str, at: datetime = NOW) -> TextResult:
    return sms.receive_text(
        message_sid=f"SM{number[-4:]}{body[:8]}{at.timestamp():.0f}",
        from_number=number,
        body=body,
        at=at,
        deps=deps(uow),
    )


def booked_with_waitlist() -> tuple[FakeUnitOfWork, str, list[str]]:
    """A video first session reminded to `PHONE`, and two entries waiting for such a slot."""
    uow = FakeUnitOfWork()
    with uow:
        for n in range(3):
            uow.inquiries.add(InquiryRecord(id=f"inq{n}", created_at=NOW, updated_at=NOW))
        uow.commit()
    slot = openings.find_openings_for(
        intake=intake(modality=Modality.TELEHEALTH), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )[0]
    appointment_id = appointments.book(
        slot=slot,
        client=ClientRef(inquiry_id="inq0"),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        booked_by_ai=True,
        source=BookingSource.CALL,
        contact=CONTACT,
    )
    entries = [
        waitlist.join(
            intake=intake(modality=Modality.TELEHEALTH),
            kind=FIRST,
            at=NOW + timedelta(minutes=n),
            uow=uow,
            inquiry_id=f"inq{n + 1}",
            contact=Contact(ReminderPreference.SMS, WAITING[n]),
        )
        for n in range(2)
    ]
    return uow, appointment_id, entries


def offer_texts(uow: FakeUnitOfWork) -> list[tuple[str, str]]:
    with uow:
        return [(m.to, m.body) for m in uow.messages.list_all() if m.purpose is Purpose.OFFER]


def test_a_cancellation_fills_from_the_waitlist_by_text_end_to_end() -> None:
    """The freed slot is texted to both entries; the first YES books it, the other hears it
    has gone."""
    uow, appointment_id, entries = booked_with_waitlist()
    appointments.cancel(appointment_id=appointment_id, at=NOW, uow=uow, practice=PRACTICE)
    offered = offer_texts(uow)
    assert sorted(to for to, _ in offered) == list(WAITING)
    assert all("a time opened" in body and "Reply YES" in body for _, body in offered)
    assert all(messages.lint_body(body, allow=(PRACTICE.name,)) == [] for _, body in offered)

    result = text(uow, WAITING[0], "YES", NOW + timedelta(minutes=30))

    assert result.kind is TextKind.SCHEDULING
    assert result.reply is not None
    assert "you are booked" in result.reply
    with uow:
        taken = uow.waitlist.get(entries[0])
        booked = [
            a
            for a in uow.appointments.between(NOW, NOW + timedelta(days=30))
            if a.status is AppointmentStatus.BOOKED
        ]
    assert taken is not None
    assert taken.entry.status is WaitlistStatus.BOOKED
    assert [a.client.inquiry_id for a in booked] == ["inq1"]
    gone = [(to, body) for to, body in offer_texts(uow) if "has been taken" in body]
    assert [to for to, _ in gone] == [WAITING[1]]


def test_yes_after_the_opening_was_taken_hears_it_is_gone() -> None:
    """A second YES to an opening another entry took is answered with the "gone" line."""
    uow, appointment_id, _ = booked_with_waitlist()
    appointments.cancel(appointment_id=appointment_id, at=NOW, uow=uow, practice=PRACTICE)
    text(uow, WAITING[0], "YES", NOW + timedelta(minutes=10))
    late = text(uow, WAITING[1], "yes", NOW + timedelta(minutes=20))
    assert late.kind is TextKind.SCHEDULING
    assert late.reply is not None
    assert "no longer available" in late.reply


def test_c_confirms_the_appointment_with_the_approved_line_and_an_event() -> None:
    """ "C" from the reminded number is answered with the confirmation line naming the time,
    and recorded as `AppointmentConfirmed` by text."""
    uow, appointment_id, _ = booked_with_waitlist()
    uow.collect_events()
    result = text(uow, PHONE, "C")
    assert result.kind is TextKind.SCHEDULING
    assert result.reply is not None
    assert "is confirmed" in result.reply
    assert "Tuesday" in result.reply
    confirmed = [e for e in uow.collect_events() if isinstance(e, AppointmentConfirmed)]
    assert [(e.appointment_id, e.channel) for e in confirmed] == [(appointment_id, "sms")]


def test_r_opens_a_callback_task_and_says_someone_will_call() -> None:
    """ "R" opens a callback task about the appointment and is answered with the approved line."""
    uow, appointment_id, _ = booked_with_waitlist()
    result = text(uow, PHONE, "R")
    assert result.kind is TextKind.SCHEDULING
    assert result.reply is not None
    assert "will call you" in result.reply
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.id == result.handoff_id
    assert task.category is HandoffCategory.CALLBACK
    assert task.details["appointment_id"] == appointment_id


def test_a_bare_cancel_opts_out_and_opens_a_callback_task() -> None:
    """CANCEL is STOP by carrier convention: the number opts out, gets no reply, and staff
    get a task about its appointment."""
    uow, appointment_id, _ = booked_with_waitlist()
    result = text(uow, PHONE, "Cancel")
    assert result.kind is TextKind.STOP
    assert result.reply is None
    assert messages.is_opted_out(uow=uow, number=PHONE)
    with uow:
        (task,) = uow.handoffs.list_queue()
    assert task.id == result.handoff_id
    assert task.details["appointment_id"] == appointment_id


def test_stop_opens_no_task() -> None:
    """A plain STOP only opts the number out: no callback task is opened."""
    uow, _, _ = booked_with_waitlist()
    result = text(uow, PHONE, "STOP")
    assert (result.kind, result.reply, result.handoff_id) == (TextKind.STOP, None, None)
    with uow:
        assert uow.handoffs.list_queue() == []


def test_help_is_answered_with_the_shipped_line_signed_by_the_sender_name() -> None:
    """HELP is answered with the shipped `sms_help` line, naming the practice as texts do."""
    uow, _, _ = booked_with_waitlist()
    result = text(uow, PHONE, "HELP")
    assert result.kind is TextKind.HELP
    assert result.reply is not None
    assert result.reply.startswith(f"{PRACTICE.schedule.reminders.sender_name or PRACTICE.name}:")
    assert "STOP" in result.reply


def test_a_confirmation_from_an_unknown_number_becomes_a_message() -> None:
    """ "C" from a number with no appointment or offer opens a general callback task."""
    uow, _, _ = booked_with_waitlist()
    result = text(uow, "+13125550100", "C")
    assert result.kind is TextKind.MESSAGE
    assert result.handoff_id is not None


# --- a retried delivery (the same MessageSid) ----------------------------------------------

CRISIS_TEXT = "I do not want to be here anymore"
LATER = NOW + timedelta(minutes=30)


def crisis_deps(uow: FakeUnitOfWork) -> VoiceDeps:
    return VoiceDeps(
        uow=lambda: uow,
        context=context(routes={CRISIS_TEXT: Route.CRISIS}, practice_=PRACTICE),
    )


def deliver(
    uow: FakeUnitOfWork,
    body: str,
    *,
    sid: str = "SM1",
    number: str = PHONE,
    at: datetime = NOW,
    with_deps: VoiceDeps | None = None,
) -> TextResult:
    return sms.receive_text(
        message_sid=sid, from_number=number, body=body, at=at, deps=with_deps or deps(uow)
    )


def stored(uow: FakeUnitOfWork) -> tuple[int, int, int, bool, list[AppointmentStatus]]:
    """How many hand-offs, outbox rows and events there are, whether `PHONE` opted out, and
    every appointment's status: what a second handling of a text would change."""
    with uow:
        return (
            len(uow.handoffs.list_queue()),
            len(uow.messages.list_all()),
            len(uow.events.query()),
            uow.opt_outs.get(PHONE) is not None,
            [a.status for a in uow.appointments.between(NOW, NOW + timedelta(days=30))],
        )


def receipt(uow: FakeUnitOfWork, sid: str = "SM1") -> InboundText:
    with uow:
        found = uow.inbound_texts.get(sid)
    assert found is not None
    return found


@pytest.mark.parametrize("body", ["STOP", "HELP", "Cancel", "R"])
def test_a_retried_keyword_or_reply_repeats_the_answer_and_changes_nothing(body: str) -> None:
    """STOP, HELP, a bare CANCEL and R delivered twice: the same kind, reply and task, and
    nothing stored twice."""
    uow, _, _ = booked_with_waitlist()
    first = deliver(uow, body)
    before = stored(uow)
    again = deliver(uow, body, at=NOW + timedelta(seconds=20))
    assert again == first
    assert stored(uow) == before
    assert (receipt(uow).status, receipt(uow).kind) == (InboundStatus.HANDLED, first.kind.value)


def test_a_retried_confirmation_is_confirmed_once() -> None:
    """A retried "C" repeats the confirmation line and records `AppointmentConfirmed` once."""
    uow, appointment_id, _ = booked_with_waitlist()
    first = deliver(uow, "C")
    again = deliver(uow, "C", at=NOW + timedelta(seconds=20))
    assert again == first
    assert first.reply is not None
    assert "is confirmed" in first.reply
    confirmed = [e for e in uow.collect_events() if isinstance(e, AppointmentConfirmed)]
    assert [e.appointment_id for e in confirmed] == [appointment_id]


def test_a_retried_waitlist_yes_repeats_the_booking_not_the_gone_line() -> None:
    """The person who took the opening hears "you are booked" again on a retry, never "it
    has gone"; one appointment is booked and the other entry is told once."""
    uow, appointment_id, _ = booked_with_waitlist()
    appointments.cancel(appointment_id=appointment_id, at=NOW, uow=uow, practice=PRACTICE)
    first = deliver(uow, "YES", number=WAITING[0], at=LATER)
    before = stored(uow)
    again = deliver(uow, "YES", number=WAITING[0], at=LATER + timedelta(seconds=20))
    assert again == first
    assert first.reply is not None
    assert "you are booked" in first.reply
    assert stored(uow) == before
    gone = [to for to, body in offer_texts(uow) if "has been taken" in body]
    assert gone == [WAITING[1]]


def test_a_retried_free_text_opens_one_task_even_after_staff_completed_it() -> None:
    """A retry of a free text returns the first task's id and opens none, also once staff
    have completed that task."""
    uow = FakeUnitOfWork()
    first = deliver(uow, "Please call me about my bill")
    assert first.kind is TextKind.MESSAGE
    assert first.handoff_id is not None
    callbacks.complete(
        handoff_id=first.handoff_id, at=NOW + timedelta(minutes=5), actor="cli", uow=uow
    )
    again = deliver(uow, "Please call me about my bill", at=NOW + timedelta(minutes=6))
    assert again == first
    with uow:
        assert [h.id for h in uow.handoffs.list_queue()] == [first.handoff_id]


def test_a_retried_urgent_text_is_paged_once() -> None:
    """A retried crisis text repeats the 988 reply without a second urgent task or page."""
    uow = FakeUnitOfWork()
    first = deliver(uow, CRISIS_TEXT, with_deps=crisis_deps(uow))
    again = deliver(uow, CRISIS_TEXT, at=NOW + timedelta(seconds=20), with_deps=crisis_deps(uow))
    assert first.kind is TextKind.URGENT
    assert again == first
    with uow:
        tasks = uow.handoffs.list_queue()
        pages = [m for m in uow.messages.list_all() if m.purpose is Purpose.PAGE]
    assert [t.id for t in tasks] == [first.handoff_id]
    assert len(pages) == 1


def test_a_delivery_still_in_hand_is_a_duplicate_that_does_nothing() -> None:
    """While another delivery's claim is recent and unanswered, a retry gets `DUPLICATE`,
    no reply, and opens nothing."""
    uow = FakeUnitOfWork()
    claimed = InboundText(
        message_sid="SM1", from_number=PHONE, received_at=NOW, claimed_by="a", claimed_at=NOW
    )
    with uow:
        uow.inbound_texts.add(claimed)
        uow.commit()
    result = deliver(uow, "Please call me", at=NOW + CLAIM_TIMEOUT - timedelta(seconds=1))
    assert result == TextResult(TextKind.DUPLICATE)
    with uow:
        assert uow.handoffs.list_queue() == []
    assert receipt(uow) == claimed


def test_a_stale_claim_is_taken_over_and_the_text_handled() -> None:
    """A claim left unanswered for `CLAIM_TIMEOUT` (its process died) is taken over: the
    text opens its task and the answer is stored."""
    uow = FakeUnitOfWork()
    with uow:
        uow.inbound_texts.add(
            InboundText(
                message_sid="SM1",
                from_number=PHONE,
                received_at=NOW,
                claimed_by="a",
                claimed_at=NOW,
            )
        )
        uow.commit()
    result = deliver(uow, "Please call me", at=NOW + CLAIM_TIMEOUT)
    assert result.kind is TextKind.MESSAGE
    with uow:
        assert [h.id for h in uow.handoffs.list_queue()] == [result.handoff_id]
    kept = receipt(uow)
    assert (kept.status, kept.handoff_id, kept.received_at) == (
        InboundStatus.HANDLED,
        result.handoff_id,
        NOW,
    )


def test_a_failure_releases_the_claim_for_the_retry() -> None:
    """When handling raises after the claim, the error reaches the caller, the claim is
    released, and the provider's retry handles the text in full."""
    uow = FakeUnitOfWork()
    # Block 1 is the claim; block 2, reading the sender's appointments, fails once.
    broken = VoiceDeps(uow=Faults(lambda: uow, fail_blocks={2}), context=deps(uow).context)
    with pytest.raises(InjectedFailure):
        deliver(uow, "Please call me", with_deps=broken)
    assert receipt(uow).status is InboundStatus.RELEASED
    result = deliver(uow, "Please call me", at=NOW + timedelta(seconds=5), with_deps=broken)
    assert result.kind is TextKind.MESSAGE
    assert result.reply is not None
    with uow:
        assert [h.id for h in uow.handoffs.list_queue()] == [result.handoff_id]
    assert receipt(uow).status is InboundStatus.HANDLED


def urgent_outcome(uow: FakeUnitOfWork) -> tuple[list[str], list[str], InboundStatus | None]:
    """The urgent hand-offs, the pages queued and the text's receipt status."""
    with uow:
        urgent = [h.id for h in uow.handoffs.list_queue() if h.urgency.value == "urgent"]
        pages = [m.dedupe_key or "" for m in uow.messages.list_all() if m.purpose is Purpose.PAGE]
        found = uow.inbound_texts.get("SM1")
    return urgent, pages, None if found is None else found.status


@pytest.mark.parametrize("commits_before_death", [0, 1, 2, 3])
def test_a_crisis_text_killed_mid_handling_is_handled_in_full_on_redelivery(
    commits_before_death: int,
) -> None:
    """A process that dies anywhere in handling a crisis text leaves either nothing or the
    whole hand-off, page and answer, and the redelivery ends with exactly one of each."""
    uow = FakeUnitOfWork()
    dying = VoiceDeps(
        uow=Faults(lambda: uow, die_after_commits=commits_before_death),
        context=crisis_deps(uow).context,
    )
    with contextlib.suppress(ProcessDied):
        deliver(uow, CRISIS_TEXT, with_deps=dying)
    urgent, pages, status = urgent_outcome(uow)
    assert (len(urgent), len(pages)) in {(0, 0), (1, 1)}
    assert status in (None, InboundStatus.HANDLED)
    result = deliver(uow, CRISIS_TEXT, at=NOW + timedelta(seconds=1), with_deps=crisis_deps(uow))
    assert result.kind is TextKind.URGENT
    assert result.reply is not None
    assert "988" in result.reply
    urgent, pages, status = urgent_outcome(uow)
    assert urgent == [result.handoff_id]
    assert pages == [f"page:{result.handoff_id}"]
    assert status is InboundStatus.HANDLED


# --- the worker's sweep of texts a stopped server left unhandled ---------------------------


@pytest.mark.parametrize(("body", "kind"), [("Please call me", "message"), (CRISIS_TEXT, "urgent")])
@pytest.mark.parametrize("commits_before_death", [1, 2])
def test_the_sweep_handles_a_text_whose_server_died_after_claiming_it(
    body: str, kind: str, commits_before_death: int
) -> None:
    """A text claimed by a server that then died is handled by the worker's sweep once the
    claim is stale: its hand-off is opened, its reply queued as a text, its words dropped."""
    uow = FakeUnitOfWork()
    dying = VoiceDeps(
        uow=Faults(lambda: uow, die_after_commits=commits_before_death),
        context=crisis_deps(uow).context,
    )
    with contextlib.suppress(ProcessDied):
        deliver(uow, body, with_deps=dying)
    assert sms.sweep_abandoned(deps=crisis_deps(uow), now=NOW + timedelta(seconds=5)) == 0
    later = NOW + CLAIM_TIMEOUT
    swept = sms.sweep_abandoned(deps=crisis_deps(uow), now=later)
    kept = receipt(uow)
    assert (kept.status, kept.kind, kept.body) == (InboundStatus.HANDLED, kind, None)
    with uow:
        tasks = [h.id for h in uow.handoffs.list_queue()]
        replies = [m for m in uow.messages.list_all() if m.purpose is Purpose.REPLY]
    assert tasks == [kept.handoff_id]
    if swept:
        assert [(m.to, m.body, m.dedupe_key) for m in replies] == [(PHONE, kept.reply, "reply:SM1")]
    assert sms.sweep_abandoned(deps=crisis_deps(uow), now=later + CLAIM_TIMEOUT) == 0


def test_a_text_still_in_hand_is_left_to_its_delivery() -> None:
    """A fresh claim belongs to a delivery still working on it: the sweep leaves it."""
    uow = FakeUnitOfWork()
    with uow:
        uow.inbound_texts.add(
            InboundText(
                message_sid="SM1",
                from_number=PHONE,
                received_at=NOW,
                claimed_by="a",
                claimed_at=NOW,
                body="Please call me",
            )
        )
        uow.commit()
    assert sms.sweep_abandoned(deps=deps(uow), now=NOW + CLAIM_TIMEOUT / 2) == 0
    assert receipt(uow).status is InboundStatus.RECEIVED


def test_a_text_wakes_the_tasks_waiting_for_that_caller() -> None:
    """A task snoozed until the caller texts again is open once any text from them comes."""
    uow = FakeUnitOfWork()
    with uow:
        uow.handoffs.add(
            Handoff(
                id="waiting",
                category=HandoffCategory.CALLBACK,
                urgency=Urgency.SAME_DAY,
                summary="Left a voicemail about fees.",
                created_at=NOW - timedelta(days=1),
                caller_number=PHONE,
            ).waiting(at=NOW - timedelta(hours=2), until=None, on_contact=True)
        )
        uow.commit()
    text(uow, PHONE, "Sorry I missed you, call any time after 4")
    with uow:
        assert uow.handoffs.get("waiting").status is HandoffStatus.OPEN  # type: ignore[union-attr]
    assert "HandoffWoken" in [e.kind for e in uow.collect_events()]
