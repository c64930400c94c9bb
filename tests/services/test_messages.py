"""Queueing outbound messages, the discretion lint, consent and the STOP / START / HELP list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.fakes import FakeUnitOfWork

from frontdesk.adapters.script_file import default_script_library
from frontdesk.conversation.script import ScriptLibrary, ScriptLine
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.messages import Channel, MessageStatus, OutboundMessage, Purpose
from frontdesk.domain.records import InquiryRecord
from frontdesk.domain.reminders import ReplyKind
from frontdesk.services import messages

NOW = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)
NUMBER = "+15551234567"
BODY = "Reminder: your appointment with Dana is Tuesday at 3 PM. Reply C to confirm."
HELP_TEXT = "{practice}: appointment texts. Call {phone} for help. Reply STOP to opt out."
SCRIPTS = ScriptLibrary({"sms_help": ScriptLine("sms_help", HELP_TEXT)})
VALUES = {"practice": "Maple Street Practice", "phone": "+15550001111"}


def queue(uow: FakeUnitOfWork, **changes: object) -> str:
    values: dict[str, object] = {
        "uow": uow,
        "to": NUMBER,
        "channel": Channel.SMS,
        "purpose": Purpose.REMINDER,
        "body": BODY,
        "at": NOW,
    }
    values.update(changes)
    return messages.queue_message(**values)  # type: ignore[arg-type]


def stored(uow: FakeUnitOfWork, message_id: str) -> OutboundMessage:
    with uow:
        found = uow.messages.get(message_id)
    assert found is not None
    return found


def add_inquiry(uow: FakeUnitOfWork, consent: bool | None) -> str:
    with uow:
        uow.inquiries.add(
            InquiryRecord(
                id="inq1",
                created_at=NOW,
                updated_at=NOW,
                intake=Intake(callback_number=NUMBER, consent_to_text=consent),
            )
        )
        uow.commit()
    return "inq1"


def test_queue_message_stores_a_queued_row_due_now() -> None:
    """A queued message is stored with the normalised number, due at once, and committed."""
    uow = FakeUnitOfWork()
    message_id = queue(uow, to="(555) 123-4567")
    message = stored(uow, message_id)
    assert (message.status, message.to, message.send_after, message.attempts) == (
        MessageStatus.QUEUED,
        NUMBER,
        NOW,
        0,
    )
    assert uow.commits == 1


def test_send_after_schedules_the_message_later() -> None:
    """`send_after` is kept as the earliest time to send."""
    uow = FakeUnitOfWork()
    later = NOW + timedelta(days=1)
    assert stored(uow, queue(uow, send_after=later)).send_after == later


def test_the_same_dedupe_key_queues_one_message() -> None:
    """Queueing twice under one dedupe key returns the first id and stores one row."""
    uow = FakeUnitOfWork()
    first = queue(uow, dedupe_key="reminder:a1:2880m")
    second = queue(uow, dedupe_key="reminder:a1:2880m")
    assert first == second
    with uow:
        assert len(uow.messages.list_all()) == 1


def test_a_body_failing_the_lint_is_refused_without_quoting_it() -> None:
    """A reminder naming the kind of care is refused, nothing is stored, and the error
    does not repeat the flagged word."""
    uow = FakeUnitOfWork()
    with pytest.raises(InvalidInput, match="discretion lint") as caught:
        queue(uow, body="Reminder: your therapy session is tomorrow.")
    assert "therapy" not in str(caught.value)
    with uow:
        assert uow.messages.list_all() == []


@pytest.mark.parametrize("purpose", [Purpose.FOLLOW_UP, Purpose.OFFER, Purpose.CONFIRMATION])
def test_every_client_facing_purpose_is_linted(purpose: Purpose) -> None:
    """Follow-ups, offers and confirmations are held to the same lint as reminders."""
    with pytest.raises(InvalidInput):
        queue(FakeUnitOfWork(), purpose=purpose, body="About your counseling intake.")


def test_approved_values_such_as_the_practice_name_pass_the_lint() -> None:
    """A practice called "... Counseling" may sign its texts when its name is allowed."""
    uow = FakeUnitOfWork()
    body = "Maple Counseling: your appointment is Tuesday at 3 PM."
    message_id = queue(uow, body=body, allow=["Maple Counseling"])
    assert stored(uow, message_id).status is MessageStatus.QUEUED


def test_staff_pages_are_not_linted() -> None:
    """A page to the on-call clinician may name the route; it is not client-facing."""
    uow = FakeUnitOfWork()
    message_id = queue(uow, purpose=Purpose.PAGE, body="Crisis call waiting: see task 12.")
    assert stored(uow, message_id).status is MessageStatus.QUEUED


def test_a_bad_recipient_or_naive_time_is_refused() -> None:
    """A text needs a phone number and every time must be timezone-aware."""
    with pytest.raises(InvalidInput):
        queue(FakeUnitOfWork(), to="not a number")
    with pytest.raises(InvalidInput):
        queue(FakeUnitOfWork(), at=datetime(2026, 6, 1, 15, 0))


def test_a_message_to_an_opted_out_number_is_recorded_as_suppressed() -> None:
    """After STOP, a new reminder is stored as suppressed (opted_out), never queued."""
    uow = FakeUnitOfWork()
    messages.record_opt_out(uow=uow, number=NUMBER, at=NOW)
    message = stored(uow, queue(uow))
    assert (message.status, message.last_error) == (MessageStatus.SUPPRESSED, "opted_out")


def test_opt_outs_match_any_written_form_of_the_number() -> None:
    """STOP from +15551234567 covers a reminder queued to (555) 123-4567."""
    uow = FakeUnitOfWork()
    messages.record_opt_out(uow=uow, number="555-123-4567", at=NOW)
    assert messages.is_opted_out(uow=uow, number=NUMBER)
    assert stored(uow, queue(uow, to="(555) 123-4567")).status is MessageStatus.SUPPRESSED


def test_opting_out_twice_keeps_the_first_record() -> None:
    """A second STOP changes nothing and says so."""
    uow = FakeUnitOfWork()
    assert messages.record_opt_out(uow=uow, number=NUMBER, at=NOW)
    assert not messages.record_opt_out(uow=uow, number=NUMBER, at=NOW + timedelta(hours=1))
    with uow:
        opt_out = uow.opt_outs.get(NUMBER)
    assert opt_out is not None
    assert opt_out.at == NOW


def test_start_re_enables_later_messages() -> None:
    """After START, the next reminder is queued again."""
    uow = FakeUnitOfWork()
    messages.record_opt_out(uow=uow, number=NUMBER, at=NOW)
    assert messages.record_opt_in(uow=uow, number=NUMBER, at=NOW)
    assert not messages.is_opted_out(uow=uow, number=NUMBER)
    assert stored(uow, queue(uow)).status is MessageStatus.QUEUED
    assert not messages.record_opt_in(uow=uow, number=NUMBER, at=NOW)


def test_an_inquiry_that_declined_texts_gets_no_texts() -> None:
    """consent_to_text False suppresses a text tied to the inquiry (no_consent)."""
    uow = FakeUnitOfWork()
    inquiry_id = add_inquiry(uow, consent=False)
    message = stored(uow, queue(uow, inquiry_id=inquiry_id))
    assert (message.status, message.last_error) == (MessageStatus.SUPPRESSED, "no_consent")


def test_declining_texts_does_not_stop_email() -> None:
    """Consent to text governs texts only; an e-mail to the same inquiry is queued."""
    uow = FakeUnitOfWork()
    inquiry_id = add_inquiry(uow, consent=False)
    message_id = queue(uow, inquiry_id=inquiry_id, channel=Channel.EMAIL, to="ana@example.org")
    assert stored(uow, message_id).status is MessageStatus.QUEUED


def test_unknown_consent_does_not_suppress() -> None:
    """An inquiry that was never asked about texts (consent None) is not suppressed."""
    uow = FakeUnitOfWork()
    inquiry_id = add_inquiry(uow, consent=None)
    assert stored(uow, queue(uow, inquiry_id=inquiry_id)).status is MessageStatus.QUEUED


def test_enqueue_joins_the_callers_unit_of_work_without_committing() -> None:
    """`enqueue` leaves the commit to the caller: rolled back, nothing is stored."""
    uow = FakeUnitOfWork()
    with uow:
        message_id = messages.enqueue(
            uow, to=NUMBER, channel=Channel.SMS, purpose=Purpose.REMINDER, body=BODY, at=NOW
        )
        assert uow.messages.get(message_id) is not None
    assert uow.commits == 0
    with uow:
        assert uow.messages.get(message_id) is None


def test_help_reply_renders_the_approved_line() -> None:
    """HELP is answered with the library's `sms_help` line, values filled in."""
    reply = messages.help_reply(scripts=SCRIPTS, values=VALUES)
    assert reply == (
        "Maple Street Practice: appointment texts. Call +15550001111 for help. "
        "Reply STOP to opt out."
    )


def test_keywords_stop_start_and_help() -> None:
    """STOP opts out and START opts back in, both silently; HELP answers; other text is
    not a keyword."""
    uow = FakeUnitOfWork()

    def keyword(text: str) -> messages.KeywordReply | None:
        return messages.handle_keyword(
            uow=uow, number=NUMBER, text=text, at=NOW, scripts=SCRIPTS, values=VALUES
        )

    assert keyword(" stop ") == messages.KeywordReply(ReplyKind.STOP)
    assert messages.is_opted_out(uow=uow, number=NUMBER)
    with uow:
        opt_out = uow.opt_outs.get(NUMBER)
    assert opt_out is not None
    assert opt_out.keyword == "STOP"
    assert keyword("START") == messages.KeywordReply(ReplyKind.START)
    assert not messages.is_opted_out(uow=uow, number=NUMBER)
    help_answer = keyword("help")
    assert help_answer is not None
    assert help_answer.kind is ReplyKind.HELP
    assert help_answer.reply is not None
    assert help_answer.reply.startswith("Maple Street Practice")
    assert keyword("Can I move my appointment?") is None


def test_lint_body_blanks_only_the_allowed_values() -> None:
    """Allowed values are removed before linting; other flagged words still count."""
    assert messages.lint_body("Maple Therapy: see you Tuesday", allow=["Maple Therapy"]) == []
    assert messages.lint_body("Maple Therapy: therapy Tuesday", allow=["Maple Therapy"]) != []


def uncertain_message(uow: FakeUnitOfWork) -> str:
    message_id = queue(uow)
    with uow:
        message = uow.messages.get(message_id)
        assert message is not None
        uow.messages.update(message.uncertain(code="lease_expired", at=NOW))
        uow.commit()
    return message_id


def test_staff_confirm_an_uncertain_message_went_out() -> None:
    """Resolving as sent records it sent with a MessageSent event."""
    uow = FakeUnitOfWork()
    message_id = uncertain_message(uow)
    later = NOW + timedelta(hours=1)
    resolved = messages.resolve_uncertain(uow=uow, message_id=message_id, went_out=True, at=later)
    assert (resolved.status, resolved.sent_at) == (MessageStatus.SENT, later)
    assert stored(uow, message_id).status is MessageStatus.SENT
    assert [e.kind for e in uow.collect_events()] == ["MessageSent"]


def test_staff_requeue_an_uncertain_message_that_never_arrived() -> None:
    """Resolving as not sent queues it again, due now."""
    uow = FakeUnitOfWork()
    message_id = uncertain_message(uow)
    later = NOW + timedelta(hours=1)
    messages.resolve_uncertain(uow=uow, message_id=message_id, went_out=False, at=later)
    message = stored(uow, message_id)
    assert (message.status, message.send_after) == (MessageStatus.QUEUED, later)
    assert messages.list_messages(uow=uow, status=MessageStatus.QUEUED) == [message]


def test_only_uncertain_messages_can_be_resolved() -> None:
    """A queued message cannot be resolved, and an unknown id is not found."""
    uow = FakeUnitOfWork()
    message_id = queue(uow)
    with pytest.raises(Conflict):
        messages.resolve_uncertain(uow=uow, message_id=message_id, went_out=True, at=NOW)
    with pytest.raises(NotFound):
        messages.resolve_uncertain(uow=uow, message_id="nope", went_out=True, at=NOW)
    assert stored(uow, message_id).status is MessageStatus.QUEUED


def test_withdraw_closes_an_appointments_unsent_reminders_only() -> None:
    """Withdrawing an appointment's reminders closes its queued ones, leaves sent ones,
    other purposes and other appointments alone, and waits for the caller's commit."""
    uow = FakeUnitOfWork()
    reminder = queue(uow, appointment_id="a1")
    follow_up = queue(uow, appointment_id="a1", purpose=Purpose.FOLLOW_UP)
    other = queue(uow, appointment_id="a2")
    sent = queue(uow, appointment_id="a1", dedupe_key="sent")
    with uow:
        done = uow.messages.get(sent)
        assert done is not None
        uow.messages.update(done.sent(provider_id="SM1", at=NOW))
        uow.commit()
    with uow:
        assert messages.withdraw(uow, appointment_id="a1", at=NOW) == [reminder]
        uow.commit()
    assert [stored(uow, i).status for i in (reminder, follow_up, other, sent)] == [
        MessageStatus.WITHDRAWN,
        MessageStatus.QUEUED,
        MessageStatus.QUEUED,
        MessageStatus.SENT,
    ]
    assert stored(uow, reminder).last_error == "withdrawn"


def test_the_shipped_library_answers_help() -> None:
    """The default script library has an approved HELP answer that passes the lint."""
    values = {"practice": "Maple Street Practice", "emergency_number": "911"}
    reply = messages.help_reply(scripts=default_script_library(), values=values)
    assert reply.startswith("Maple Street Practice:")
    assert "STOP" in reply
    assert messages.lint_body(reply) == []
