"""A person's records on SQLite and PostgreSQL: export finds everything, erase leaves none
of their words, keeps the billing records and leaves every report figure as it was."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from tests.fakes import FakeUnitOfWork
from tests.integration.test_report import PRACTICE, write_history

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine
from frontdesk.adapters.db.tables import metadata
from frontdesk.analytics.report import build_report
from frontdesk.domain.appointments import Appointment, ClientRef
from frontdesk.domain.bookings import BookingRecord, WaitlistRecord
from frontdesk.domain.calls import CallResult, HandoffCategory, Urgency
from frontdesk.domain.clients import Client, Contact
from frontdesk.domain.errors import InvalidInput, NotFound
from frontdesk.domain.handoffs import AttemptOutcome, CallbackAttempt, Handoff
from frontdesk.domain.inbound_texts import InboundStatus, InboundText
from frontdesk.domain.inquiries import Intake, Modality, ReminderPreference
from frontdesk.domain.matching import MatchCriteria
from frontdesk.domain.messages import Channel, MessageStatus, OptOut, OutboundMessage, Purpose
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import CallRecord, CallStatus, InquiryRecord, TurnRecord
from frontdesk.domain.waitlist import WaitlistEntry
from frontdesk.entrypoints.cli.commands.records import as_json
from frontdesk.services import audit, records
from frontdesk.services.unit_of_work import UnitOfWork

NAME = "Wilhelmina Quarrington"
NUMBER = "+15035550187"
EMAIL = "wq@example.org"
WORDS = "my sister keeps having panic attacks at the bakery"
NOTE = "spoke with her mother about the bakery"
OTHER = "+15035550999"
OTHER_WORDS = "I would like to book a consult for my son"
T0 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def _person(uow: UnitOfWork, tag: str, number: str, words: str, *, client: bool) -> None:
    """One person's calls, inquiry, task, client, appointment, waitlist entry and texts."""
    call_id = f"call-{tag}"
    name = NAME if tag == "p" else "Otto Ottmar"
    uow.calls.add(
        CallRecord(
            id=call_id,
            started_at=T0,
            ended_at=T0 + timedelta(minutes=4),
            caller_number=number,
            status=CallStatus.ENDED,
            result=CallResult.CALLBACK_REQUESTED,
            state={"words": words},
        )
    )
    uow.turns.add(TurnRecord(call_id=call_id, seq=0, at=T0, caller_text=words, agent_text=name))
    email = EMAIL if tag == "p" else f"{tag}@example.org"
    intake = Intake(client_name=name, concern=words, callback_number=number, email=email)
    uow.inquiries.add(
        InquiryRecord(id=f"inq-{tag}", created_at=T0, updated_at=T0, call_id=call_id, intake=intake)
    )
    uow.handoffs.add(
        Handoff(
            id=f"h-{tag}",
            category=HandoffCategory.CALLBACK,
            urgency=Urgency.ROUTINE,
            summary=f"{name}: {words}",
            created_at=T0,
            call_id=call_id,
            caller_number=number,
            details={"reason": "callback", "quote": words},
        )
    )
    uow.handoffs.add_attempt(
        CallbackAttempt(
            id=f"a-{tag}",
            handoff_id=f"h-{tag}",
            at=T0,
            outcome=AttemptOutcome.NO_ANSWER,
            by="cli",
            note=NOTE if tag == "p" else "left a message",
        )
    )
    ref = ClientRef(client_id=f"client-{tag}") if client else ClientRef(inquiry_id=f"inq-{tag}")
    if client:
        uow.clients.add(
            Client(
                id=f"client-{tag}",
                name=name,
                date_of_birth=date(1990, 5, 17),
                phone=number,
                created_at=T0,
                email=email,
            )
        )
    uow.appointments.add(
        BookingRecord(
            Appointment(
                id=f"appt-{tag}",
                clinician_id=f"rivera-{tag}",
                kind=ServiceKind.FIRST_SESSION,
                start=T0 + timedelta(days=7),
                end=T0 + timedelta(days=7, hours=1),
                modality=Modality.TELEHEALTH,
                client=ref,
                cancel_reason=words,
            ),
            call_id=call_id,
            contact=Contact(ReminderPreference.SMS, number),
        )
    )
    uow.waitlist.add(
        WaitlistRecord(
            WaitlistEntry(id=f"wait-{tag}", criteria=MatchCriteria(), windows=(), added_at=T0),
            inquiry_id=f"inq-{tag}",
            contact=Contact(ReminderPreference.SMS, number),
        )
    )
    for status in (MessageStatus.SENT, MessageStatus.QUEUED):
        uow.messages.add(
            OutboundMessage(
                id=f"m-{tag}-{status.value}",
                to=number,
                channel=Channel.SMS,
                purpose=Purpose.REMINDER,
                body=f"Hi {name}",
                created_at=T0,
                send_after=T0,
                updated_at=T0,
                status=status,
            )
        )
    uow.inbound_texts.add(
        InboundText(
            message_sid=f"SM{tag}",
            from_number=number,
            received_at=T0,
            claimed_by="w",
            claimed_at=T0,
            status=InboundStatus.HANDLED,
            handled_at=T0,
            body=words,
        )
    )
    uow.opt_outs.add(OptOut(number=number, at=T0))


def _seed(uow: UnitOfWork) -> None:
    with uow:
        _person(uow, "p", NUMBER, WORDS, client=True)
        _person(uow, "o", OTHER, OTHER_WORDS, client=False)
        uow.commit()


def _everything(uow: SqlAlchemyUnitOfWork, *, but: frozenset[str] = frozenset()) -> str:
    """Every row of every table (but the audit log and `but`) as text, to search for words."""
    with uow:
        session = uow._require_session()
        return "\n".join(
            str(tuple(row))
            for table in metadata.sorted_tables
            if table.name not in {"audit_log", *but}
            for row in session.execute(select(table))
        )


def test_export_finds_everything_about_the_person_and_audits_it(uow: SqlAlchemyUnitOfWork) -> None:
    """By phone, every kind of record comes back, none of the other person's, and the export
    is audited with counts and no content."""
    _seed(uow)
    found = records.export(uow=uow, actor="cli", phone="(503) 555-0187")
    assert [c.id for c in found.calls] == ["call-p"]
    assert [t.caller_text for t in found.turns] == [WORDS]
    assert [i.id for i in found.inquiries] == ["inq-p"]
    assert [h.id for h in found.handoffs] == ["h-p"]
    assert [a.note for a in found.attempts] == [NOTE]
    assert [c.id for c in found.clients] == ["client-p"]
    assert [b.appointment.id for b in found.appointments] == ["appt-p"]
    assert [w.entry.id for w in found.waitlist] == ["wait-p"]
    assert sorted(m.id for m in found.messages) == ["m-p-queued", "m-p-sent"]
    assert [t.message_sid for t in found.inbound_texts] == ["SMp"]
    assert found.opt_out is not None
    document = json.dumps(as_json(found))
    for held in (NAME, WORDS, NOTE, EMAIL, NUMBER, "1990-05-17"):
        assert held in document
    assert OTHER_WORDS not in document
    [entry] = audit.entries(uow=uow, action="export")
    assert (entry.entry.object_kind, entry.entry.object_id) == ("person", "client-p")
    assert entry.entry.detail.startswith("by=phone calls=1 inquiries=1 handoffs=1 clients=1")
    by_client = records.export(uow=uow, actor="cli", client_id="client-p")
    assert by_client == found


def test_a_person_must_be_named_once_and_exist(uow: SqlAlchemyUnitOfWork) -> None:
    """Neither or both of phone and client, an unknown client or a malformed number fail."""
    with pytest.raises(InvalidInput):
        records.export(uow=uow, actor="cli")
    with pytest.raises(InvalidInput):
        records.export(uow=uow, actor="cli", phone=NUMBER, client_id="x")
    with pytest.raises(NotFound):
        records.export(uow=uow, actor="cli", client_id="nobody")
    with pytest.raises(InvalidInput):
        records.export(uow=uow, actor="cli", phone="call me maybe")
    assert audit.entries(uow=uow) == []


def test_erase_leaves_none_of_the_persons_words_and_keeps_billing_records(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """After an erase nothing they said is anywhere; their name, number and birth date stay
    only in the client record their appointment needs, their number in the opt-out; the
    other person is untouched, and the whole report is unchanged."""
    _seed(uow)
    engine = make_engine(migrated_url)
    try:
        before = build_report(engine, PRACTICE, start=date(2026, 3, 2), end=date(2026, 3, 8))
        records.erase(uow=uow, actor="cli", phone=NUMBER)
        after = build_report(engine, PRACTICE, start=date(2026, 3, 2), end=date(2026, 3, 8))
    finally:
        engine.dispose()
    assert after == before
    dump = _everything(uow)
    for said in (WORDS, NOTE):
        assert said not in dump
    assert OTHER_WORDS in dump
    beyond_kept = _everything(uow, but=frozenset({"clients", "opt_outs"}))
    for held in (NAME, EMAIL, NUMBER, "1990, 5, 17"):
        assert held not in beyond_kept
        assert held in dump  # in the client record kept for the appointment (or the opt-out)
    with uow:
        assert uow.clients.get("client-p") is not None  # the billing record's client
        booking = uow.appointments.get("appt-p")
        assert booking is not None
        assert (booking.contact, booking.appointment.cancel_reason) == (None, None)
        call = uow.calls.get("call-p")
        assert call is not None
        assert call.caller_number is not None
        assert call.caller_number.startswith("erased:")
        assert call.state == {}
        assert uow.opt_outs.get(NUMBER) is not None
        assert uow.messages.get("m-p-queued") is None
        other = uow.handoffs.get("h-o")
        assert other is not None
        assert other.summary == f"Otto Ottmar: {OTHER_WORDS}"
        [entry] = uow.audit.search(action="erase")
    assert entry.entry.detail.endswith("clients_kept=1")
    assert audit.verify(uow=uow).ok


def test_erase_deletes_a_client_without_appointments(uow: SqlAlchemyUnitOfWork) -> None:
    """A client with no appointment is not a billing record: the erase deletes them."""
    with uow:
        uow.clients.add(
            Client(id="c1", name=NAME, date_of_birth=date(1990, 5, 17), phone=NUMBER, created_at=T0)
        )
        uow.commit()
    records.erase(uow=uow, actor="cli", client_id="c1")
    assert NAME not in _everything(uow)


def test_erase_keeps_the_report_on_a_full_history(
    uow: SqlAlchemyUnitOfWork, migrated_url: str
) -> None:
    """Erasing a caller whose missed call was recovered by a later call keeps the recovered
    count: all their calls share one pseudonym."""
    write_history(uow)
    engine = make_engine(migrated_url)
    try:
        before = build_report(engine, PRACTICE, start=date(2026, 3, 2), end=date(2026, 3, 8))
        with uow:
            numbers = {
                c.caller_number
                for c in uow.calls.list_started_between(
                    T0 - timedelta(days=30), T0 + timedelta(days=30)
                )
            }
        for number in sorted(n for n in numbers if n):
            records.erase(uow=uow, actor="cli", phone=number)
        after = build_report(engine, PRACTICE, start=date(2026, 3, 2), end=date(2026, 3, 8))
    finally:
        engine.dispose()
    assert before.value("recovered_calls") == 2
    assert after == before


def test_the_fake_erases_as_the_database_does(uow: SqlAlchemyUnitOfWork) -> None:
    """`FakeUnitOfWork` finds and clears exactly what the real repositories do."""
    fake = FakeUnitOfWork()
    for each in (uow, fake):
        _seed(each)
    assert records.export(uow=fake, actor="cli", phone=NUMBER) == records.export(
        uow=uow, actor="cli", phone=NUMBER
    )
    for each in (uow, fake):
        records.erase(uow=each, actor="cli", phone=NUMBER)
    real = records.export(uow=uow, actor="cli", client_id="client-p")
    faked = records.export(uow=fake, actor="cli", client_id="client-p")
    assert faked.calls == real.calls == ()  # the number no longer finds the erased calls
    assert faked.inquiries == real.inquiries == ()  # erased numbers no longer find them
    assert faked.handoffs == real.handoffs
    assert faked.appointments == real.appointments
    assert faked.waitlist == real.waitlist
    assert faked.messages == real.messages == ()
    assert faked.inbound_texts == real.inbound_texts == ()
