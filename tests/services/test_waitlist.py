"""The waitlist: joining, a cancellation offered by text, first acceptance books, expiries."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import NOW, intake, make_scheduling_practice

from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingSource, OpeningStatus
from frontdesk.domain.clients import Contact
from frontdesk.domain.errors import Conflict, SlotUnavailable
from frontdesk.domain.inquiries import AvailabilityWindow, Modality, ReminderPreference
from frontdesk.domain.messages import Purpose, QuietHours
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.domain.reminders import ReplyKind
from frontdesk.domain.schedule import ReminderSettings
from frontdesk.domain.waitlist import OfferStatus, WaitlistStatus
from frontdesk.services import appointments, openings, waitlist
from frontdesk.services.text_replies import ReplyOutcome, handle_reply

PRACTICE = make_scheduling_practice()
FIRST = ServiceKind.FIRST_SESSION
NUMBERS = ("+13125550161", "+13125550162", "+13125550163")


def seeded(
    windows: tuple[AvailabilityWindow, ...] = (),
) -> tuple[FakeUnitOfWork, str, list[str]]:
    """A booked first session (the earliest in `windows`, if given) and three waiting
    entries that it suits, oldest first."""
    uow = FakeUnitOfWork()
    with uow:
        for n in range(4):
            uow.inquiries.add(InquiryRecord(id=f"inq{n}", created_at=NOW, updated_at=NOW))
        uow.commit()
    slot = openings.find_openings_for(
        intake=intake(modality=Modality.TELEHEALTH, availability=windows),
        kind=FIRST,
        now=NOW,
        uow=uow,
        practice=PRACTICE,
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


def night_before(appointment_id: str, uow: FakeUnitOfWork) -> tuple[datetime, datetime]:
    """11 pm local on the evening before the appointment, and the appointment's start."""
    with uow:
        record = uow.appointments.get(appointment_id)
    assert record is not None
    start = record.appointment.start
    day = start.astimezone(PRACTICE.zone).date() - timedelta(days=1)
    return datetime.combine(day, time(23), tzinfo=PRACTICE.zone), start


def morning_after(night: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(
        night.date() + timedelta(days=1), time(hour, minute), tzinfo=PRACTICE.zone
    )


def yes_from(uow: FakeUnitOfWork, number: str, at: datetime) -> ReplyOutcome | None:
    result = handle_reply(
        uow=uow, practice=PRACTICE, from_number=number, text="YES", kind=ReplyKind.CONFIRM, at=at
    )
    return None if result is None else result.outcome


def test_an_opening_freed_at_night_is_still_held_when_the_morning_text_is_answered() -> None:
    """Freed at 11 pm, the first offer is texted at 8 am, nobody else is asked overnight,
    and the first person's "YES" at 8:30 books it."""
    uow, booked, entries = seeded()
    night, start = night_before(booked, uow)
    assert start > morning_after(night, 8, 30)
    appointments.cancel(appointment_id=booked, at=night, uow=uow, practice=PRACTICE)
    with uow:
        (opening,) = uow.openings.list_open()
        (text,) = [m for m in uow.messages.list_all() if m.purpose is Purpose.OFFER]
    (offer,) = opening.round.offers
    assert offer.offered_at == night
    assert offer.expires_at == morning_after(night, 10)
    assert text.to == NUMBERS[0]
    assert text.send_after == morning_after(night, 8)
    for moment in (morning_after(night, 1), morning_after(night, 8, 29)):
        assert waitlist.tick(at=moment, uow=uow, practice=PRACTICE) == waitlist.TickReport()
    assert offers_texted(uow, "a time opened") == [NUMBERS[0]]
    assert yes_from(uow, NUMBERS[0], morning_after(night, 8, 30)) is ReplyOutcome.OFFER_ACCEPTED
    with uow:
        entry = uow.waitlist.get(entries[0])
        (rebooked,) = [
            a
            for a in uow.appointments.between(start, start + timedelta(minutes=1))
            if a.id != booked
        ]
    assert entry is not None
    assert entry.entry.status is WaitlistStatus.BOOKED
    assert rebooked.client.inquiry_id == "inq1"


def test_a_night_offer_lapses_a_full_hold_after_the_morning_text() -> None:
    """An offer made at 11 pm for an afternoon time is held until 10 am: the next person is
    asked then, and a late "YES" from the first is answered as gone."""
    uow, booked, _ = seeded(windows=(AvailabilityWindow("afternoons", start=time(13)),))
    night, _ = night_before(booked, uow)
    appointments.cancel(appointment_id=booked, at=night, uow=uow, practice=PRACTICE)
    before = waitlist.tick(at=morning_after(night, 9, 59), uow=uow, practice=PRACTICE)
    assert before == waitlist.TickReport()
    after = waitlist.tick(at=morning_after(night, 10), uow=uow, practice=PRACTICE)
    assert (after.expired, after.offered) == (1, 1)
    assert offers_texted(uow, "a time opened") == [NUMBERS[0], NUMBERS[1]]
    assert yes_from(uow, NUMBERS[0], morning_after(night, 10)) is ReplyOutcome.OFFER_GONE


def test_an_opening_that_starts_before_quiet_hours_end_is_not_offered_at_night() -> None:
    """With quiet hours until 9:30, a 9 am time freed at 11 pm could never be texted in
    time: no opening is stored and nobody is texted."""
    late_mornings = make_scheduling_practice(
        reminders=ReminderSettings(quiet=QuietHours(time(21), time(9, 30)))
    )
    uow, booked, _ = seeded()
    night, start = night_before(booked, uow)
    assert start.astimezone(PRACTICE.zone).time() == time(9)
    appointments.cancel(appointment_id=booked, at=night, uow=uow, practice=late_mornings)
    with uow:
        assert uow.openings.list_open() == []
    assert offers_texted(uow, "a time opened") == []
