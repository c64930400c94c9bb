"""The waitlist: joining, a cancellation offered by text, first acceptance books, expiries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import NOW, intake, make_scheduling_practice

from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingSource, OpeningStatus
from frontdesk.domain.clients import Contact
from frontdesk.domain.errors import Conflict, SlotUnavailable
from frontdesk.domain.inquiries import Modality, ReminderPreference
from frontdesk.domain.messages import Purpose
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.domain.waitlist import OfferStatus, WaitlistStatus
from frontdesk.services import appointments, openings, waitlist

PRACTICE = make_scheduling_practice()
FIRST = ServiceKind.FIRST_SESSION
NUMBERS = ("+13125550161", "+13125550162", "+13125550163")


def seeded() -> tuple[FakeUnitOfWork, str, list[str]]:
    """A booked first session and three waiting entries that it suits, oldest first."""
    uow = FakeUnitOfWork()
    with uow:
        for n in range(4):
            uow.inquiries.add(InquiryRecord(id=f"inq{n}", created_at=NOW, updated_at=NOW))
        uow.commit()
    slot = openings.find_openings_for(
        intake=intake(modality=Modality.TELEHEALTH), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )[0]
    booked = appointments.book(
        slot=slot,
        client=ClientRef(inquiry_id="inq0"),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        booked_by_ai=True,
        source=BookingSource.CALL,
    )
    entries = [
        waitlist.join(
            intake=intake(modality=Modality.TELEHEALTH),
            kind=FIRST,
            at=NOW + timedelta(minutes=n),
            uow=uow,
            inquiry_id=f"inq{n + 1}",
            contact=Contact(ReminderPreference.SMS, NUMBERS[n]),
        )
        for n in range(3)
    ]
    return uow, booked, entries


def offers_texted(uow: FakeUnitOfWork, line_text: str) -> list[str]:
    with uow:
        return [
            m.to
            for m in uow.messages.list_all()
            if m.purpose is Purpose.OFFER and line_text in m.body
        ]


def test_joining_records_the_entry_with_criteria_windows_and_event() -> None:
    """An entry keeps the caller's criteria and is announced with `WaitlistJoined`."""
    uow, _, entries = seeded()
    records = waitlist.list_entries(uow=uow)
    assert [r.entry.id for r in records] == entries
    assert records[0].entry.criteria.payer == "aetna"
    assert "WaitlistJoined" in [e.kind for e in uow.collect_events()]


def test_a_cancellation_fills_from_the_waitlist_end_to_end() -> None:
    """The freed slot is texted to the oldest entry; its acceptance books it for that entry."""
    uow, booked, entries = seeded()
    appointments.cancel(
        appointment_id=booked, at=NOW + timedelta(hours=1), uow=uow, practice=PRACTICE
    )
    assert offers_texted(uow, "a time opened") == [NUMBERS[0]]
    new_id = waitlist.accept_offer(
        entry_id=entries[0], at=NOW + timedelta(hours=2), uow=uow, practice=PRACTICE
    )
    with uow:
        record = uow.appointments.get(new_id)
        entry = uow.waitlist.get(entries[0])
    assert record is not None
    assert record.appointment.client.inquiry_id == "inq1"
    assert record.source is BookingSource.WAITLIST
    assert entry is not None
    assert entry.entry.status is WaitlistStatus.BOOKED
    kinds = [e.kind for e in uow.collect_events()]
    assert "OpeningOffered" in kinds
    assert "OfferAccepted" in kinds


def test_an_unanswered_offer_expires_and_the_next_entry_is_asked() -> None:
    """After the hold runs out the worker tick records the expiry and texts the next entry."""
    uow, booked, entries = seeded()
    appointments.cancel(appointment_id=booked, at=NOW, uow=uow, practice=PRACTICE)
    report = waitlist.tick(at=NOW + timedelta(hours=3), uow=uow, practice=PRACTICE)
    assert report.expired == 1
    assert report.offered == 1
    assert sorted(offers_texted(uow, "a time opened")) == [NUMBERS[0], NUMBERS[1]]
    with pytest.raises(Conflict):
        waitlist.accept_offer(
            entry_id=entries[0], at=NOW + timedelta(hours=3), uow=uow, practice=PRACTICE
        )
    assert "OfferExpired" in [e.kind for e in uow.collect_events()]


def test_the_first_to_accept_wins_and_the_others_are_told_it_has_gone() -> None:
    """With two offers out, the first acceptance books and the other holder hears it has gone."""
    uow, booked, entries = seeded()
    practice = make_scheduling_practice(
        waitlist=type(PRACTICE.schedule.waitlist)(hold=timedelta(hours=2), batch=2)
    )
    appointments.cancel(appointment_id=booked, at=NOW, uow=uow, practice=practice)
    assert sorted(offers_texted(uow, "a time opened")) == [NUMBERS[0], NUMBERS[1]]
    waitlist.accept_offer(
        entry_id=entries[1], at=NOW + timedelta(minutes=5), uow=uow, practice=practice
    )
    assert offers_texted(uow, "has been taken") == [NUMBERS[0]]
    with pytest.raises(Conflict):
        waitlist.accept_offer(
            entry_id=entries[0], at=NOW + timedelta(minutes=6), uow=uow, practice=practice
        )
    with uow:
        assert uow.openings.list_open() == []  # filled: no longer open


def test_an_offer_for_a_slot_booked_meanwhile_is_withdrawn() -> None:
    """If staff booked the slot first, accepting is refused and every holder is told."""
    uow, booked, entries = seeded()
    appointments.cancel(appointment_id=booked, at=NOW, uow=uow, practice=PRACTICE)
    with uow:
        (opening,) = uow.openings.list_open()
    appointments.book(
        slot=opening.slot,
        client=ClientRef(inquiry_id="inq0"),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        booked_by_ai=False,
        source=BookingSource.STAFF,
    )
    with pytest.raises(SlotUnavailable):
        waitlist.accept_offer(
            entry_id=entries[0], at=NOW + timedelta(minutes=1), uow=uow, practice=PRACTICE
        )
    with uow:
        stored = uow.openings.get(opening.id)
    assert stored is not None
    assert stored.status is OpeningStatus.WITHDRAWN
    assert offers_texted(uow, "has been taken") == [NUMBERS[0]]


def test_declining_asks_the_next_entry_at_once() -> None:
    """A no moves the offer to the next entry without waiting for the hold."""
    uow, booked, entries = seeded()
    appointments.cancel(appointment_id=booked, at=NOW, uow=uow, practice=PRACTICE)
    waitlist.decline_offer(
        entry_id=entries[0], at=NOW + timedelta(minutes=1), uow=uow, practice=PRACTICE
    )
    with uow:
        (opening,) = uow.openings.list_open()
    assert [(o.entry_id, o.status) for o in opening.round.offers] == [
        (entries[0], OfferStatus.DECLINED),
        (entries[1], OfferStatus.OFFERED),
    ]


def test_a_cancellation_nobody_waits_for_opens_nothing() -> None:
    """With an empty waitlist no opening is stored and nothing is texted."""
    uow = FakeUnitOfWork()
    with uow:
        uow.inquiries.add(InquiryRecord(id="inq0", created_at=NOW, updated_at=NOW))
        uow.commit()
    slot = openings.find_openings_for(
        intake=intake(), kind=FIRST, now=NOW, uow=uow, practice=PRACTICE
    )[0]
    booked = appointments.book(
        slot=slot,
        client=ClientRef(inquiry_id="inq0"),
        at=NOW,
        uow=uow,
        practice=PRACTICE,
        booked_by_ai=True,
        source=BookingSource.CALL,
    )
    cancelled = appointments.cancel(appointment_id=booked, at=NOW, uow=uow, practice=PRACTICE)
    assert cancelled.status is AppointmentStatus.CANCELLED
    with uow:
        assert uow.openings.list_open() == []
