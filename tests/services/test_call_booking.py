"""Scheduling inside a call's turn, with the in-memory unit of work: what a turn books or finds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from tests.fakes import FakeUnitOfWork
from tests.scheduling_practice import NOW, intake, make_scheduling_practice
from tests.unit.conversation.engine_fakes import context
from tests.unit.conversation.test_engine import YES

from frontdesk.adapters.script_file import default_script_library
from frontdesk.conversation.engine import EngineContext
from frontdesk.conversation.events import CallerSaid
from frontdesk.conversation.state import Booking, CallState, Phase, Stage
from frontdesk.conversation.turn import (
    Cancel,
    Cancelled,
    Failed,
    FindOpenings,
    Found,
    NotVerified,
    Verified,
    Verify,
)
from frontdesk.domain.appointments import AppointmentStatus, ClientRef, slot_key
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import Slot, TimeOff
from frontdesk.domain.calls import CallResult, Intent
from frontdesk.domain.clients import Contact
from frontdesk.domain.inquiries import AvailabilityWindow, Intake, Modality, ReminderPreference
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.domain.records import CallRecord, InquiryStatus
from frontdesk.services import appointments, call_booking, clients, openings
from frontdesk.services.call_booking import DECIDING, CallBookingContext, describe, perform
from frontdesk.services.call_report import report
from frontdesk.services.calls import handle_turn, start_call
from frontdesk.services.unit_of_work import UnitOfWork

CALLER = "+13125550177"


def _practice() -> Practice:
    return replace(make_scheduling_practice(), scripts=default_script_library())


def _ctx(practice: Practice) -> EngineContext:
    return replace(context([YES]), practice=practice)


def _first_open(uow: FakeUnitOfWork, practice: Practice) -> Slot:
    found = openings.find_openings_for(
        intake=intake(),
        kind=ServiceKind.FIRST_SESSION,
        now=NOW + DECIDING,
        uow=uow,
        practice=practice,
    )
    return found[0]


def _confirming(uow: FakeUnitOfWork, practice: Practice, slot: Slot) -> str:
    """A call that has just asked the caller to confirm `slot`."""
    ctx = _ctx(practice)
    opened = start_call(external_id=None, caller_number=CALLER, at=NOW, uow=uow, context=ctx)
    chosen = describe(slot, practice)
    booking = Booking(
        stage=Stage.CONFIRMING,
        offers=(chosen,),
        shown=frozenset({slot_key(slot.clinician_id, slot.start)}),
        chosen=chosen,
    )
    state = CallState(
        phase=Phase.BOOKING,
        intent=Intent.NEW_CLIENT,
        intake=intake(),
        caller_number=CALLER,
        booking=booking,
        turns=1,
    )
    with uow:
        call = uow.calls.get(opened.call_id)
        assert call is not None
        uow.calls.update(replace(call, state=state.to_dict()))
        uow.commit()
    return opened.call_id


def book_for_client(
    uow: UnitOfWork,
    practice: Practice,
    slot: Slot,
    *,
    name: str = "Someone Else",
    born: date = date(1990, 1, 1),
    phone: str = "+15555550999",
) -> tuple[str, str]:
    """A client added and `slot` booked for them by staff: the client's and booking's ids."""
    client_id = clients.add(name=name, date_of_birth=born, phone=phone, at=NOW, uow=uow)
    appointment_id = appointments.book(
        slot=slot,
        client=ClientRef(client_id=client_id),
        at=NOW,
        uow=uow,
        practice=practice,
        booked_by_ai=False,
        source=BookingSource.STAFF,
    )
    return client_id, appointment_id


def test_yes_books_the_slot_for_the_inquiry_in_the_turns_single_commit() -> None:
    """Confirming books the slot for the call's inquiry, marks it booked, and commits once."""
    uow, practice = FakeUnitOfWork(), _practice()
    slot = _first_open(uow, practice)
    call_id = _confirming(uow, practice, slot)
    before = uow.commits
    result = handle_turn(
        call_id=call_id,
        event=CallerSaid(NOW + timedelta(seconds=8), "yes"),
        uow=uow,
        context=_ctx(practice),
    )
    assert uow.commits == before + 1
    assert result.ended
    assert "AppointmentBooked" in [e.kind for e in result.events]
    stored = report(call_id=call_id, uow=uow)
    assert stored.call.result is CallResult.FIRST_SESSION_BOOKED
    assert stored.inquiry is not None
    assert stored.inquiry.status is InquiryStatus.BOOKED
    booked = appointments.list_between(start=slot.start, end=slot.end, uow=uow)
    assert [r.appointment.client.inquiry_id for r in booked] == [stored.inquiry.id]
    assert booked[0].appointment.booked_by_ai
    assert booked[0].source is BookingSource.CALL


def test_a_slot_taken_meanwhile_is_said_and_the_next_options_read_in_the_same_turn() -> None:
    """Another booking of the slot first: the caller hears it was taken, then new options."""
    uow, practice = FakeUnitOfWork(), _practice()
    slot = _first_open(uow, practice)
    call_id = _confirming(uow, practice, slot)
    other, _ = book_for_client(uow, practice, slot)
    result = handle_turn(
        call_id=call_id,
        event=CallerSaid(NOW + timedelta(seconds=8), "yes"),
        uow=uow,
        context=_ctx(practice),
    )
    lines = [s.line_id for s in result.says]
    assert lines[:2] == ["slot_taken", "offer_more"]
    assert "which_slot" in lines
    assert not result.ended
    stored = report(call_id=call_id, uow=uow)
    assert stored.call.result is None
    booked = appointments.list_between(start=slot.start, end=slot.end, uow=uow)
    assert [r.appointment.client.client_id for r in booked] == [other]


def _booking_context(uow: FakeUnitOfWork, practice: Practice) -> CallBookingContext:
    call = CallRecord(id="call-1", started_at=NOW, caller_number=CALLER)
    state = CallState(phase=Phase.BOOKING, intake=intake(), booking=Booking())
    return CallBookingContext(call, state, NOW, practice)


def test_find_openings_describes_each_slot_for_reading_aloud() -> None:
    """FindOpenings answers with up to three offers, each with its spoken day and clinician."""
    uow, practice = FakeUnitOfWork(), _practice()
    with uow:
        found = perform(
            FindOpenings(ServiceKind.FIRST_SESSION), ctx=_booking_context(uow, practice), uow=uow
        )
    assert isinstance(found, Found)
    assert 1 <= len(found.offers) <= 3
    assert all(" at " in o.when and o.clinician for o in found.offers)


def test_verify_needs_the_calling_number_name_and_date_of_birth() -> None:
    """The right name and date of birth verify and list upcoming visits; a wrong date does not."""
    uow, practice = FakeUnitOfWork(), _practice()
    slot = _first_open(uow, practice)
    client_id, _ = book_for_client(
        uow, practice, slot, name="Maria Gomez", born=date(1985, 4, 12), phone=CALLER
    )
    ctx = _booking_context(uow, practice)
    with uow:
        good = perform(Verify("maria gomez", date(1985, 4, 12)), ctx=ctx, uow=uow)
        bad = perform(Verify("Maria Gomez", date(1985, 4, 13)), ctx=ctx, uow=uow)
    assert isinstance(good, Verified)
    assert good.client_id == client_id
    assert [o.slot.start for o in good.upcoming] == [slot.start]
    assert bad == NotVerified()


def test_a_cancel_of_someone_elses_appointment_fails_without_changing_it() -> None:
    """A cancel naming another client's appointment is refused as Failed; it stays booked."""
    uow, practice = FakeUnitOfWork(), _practice()
    slot = _first_open(uow, practice)
    owner, appointment_id = book_for_client(
        uow, practice, slot, name="Ann Lee", born=date(1980, 1, 1), phone=CALLER
    )
    ctx = _booking_context(uow, practice)
    with uow:
        outcome = perform(Cancel(appointment_id, "someone-else"), ctx=ctx, uow=uow)
        assert outcome == Failed()
        mine = perform(Cancel(appointment_id, owner, "moving"), ctx=ctx, uow=uow)
        assert isinstance(mine, Cancelled)
    # Nothing was committed by `perform`: the appointment is still booked.
    record = appointments.list_between(start=slot.start, end=slot.end, uow=uow)[0]
    assert record.appointment.status is AppointmentStatus.BOOKED


def _moving(uow: FakeUnitOfWork, practice: Practice, modality: Modality) -> CallBookingContext:
    """A verified client moving their first upcoming `modality` session with Ana Lopez."""
    slot = next(
        s
        for s in openings.open_slots_for(
            kind=ServiceKind.ONGOING,
            now=NOW + timedelta(days=1),
            days=14,
            uow=uow,
            practice=practice,
        )
        if s.clinician_id == "ana_lopez" and s.modality is modality
    )
    client_id, appointment_id = book_for_client(
        uow, practice, slot, name="Maria Gomez", born=date(1985, 4, 12), phone=CALLER
    )
    target = describe(slot, practice, appointment_id)
    booking = Booking(
        stage=Stage.REASON, kind=ServiceKind.ONGOING, client_id=client_id, target=target
    )
    # An existing client is asked for a name and a date of birth, never for a state.
    state = CallState(
        phase=Phase.BOOKING,
        intent=Intent.RESCHEDULE,
        intake=Intake(client_name="Maria Gomez", callback_number=CALLER),
        booking=booking,
    )
    call = CallRecord(id="call-1", started_at=NOW, caller_number=CALLER)
    return CallBookingContext(call, state, NOW, practice)


def _new_times(uow: FakeUnitOfWork, ctx: CallBookingContext, *, near: bool = False) -> Found:
    booking = ctx.state.booking
    assert booking is not None
    assert booking.target is not None
    assert booking.client_id is not None
    moved = booking.target.slot
    request = FindOpenings(
        ServiceKind.ONGOING,
        exclude=frozenset({slot_key(moved.clinician_id, moved.start)}),
        near=moved.start + timedelta(days=1) if near else None,
        client_id=booking.client_id,
    )
    with uow:
        found = perform(request, ctx=ctx, uow=uow)
    assert isinstance(found, Found)
    return found


def test_a_video_session_moves_to_other_video_times_with_the_same_clinician() -> None:
    """A verified client moving a video session hears video times with their own clinician."""
    uow, practice = FakeUnitOfWork(), _practice()
    ctx = _moving(uow, practice, Modality.TELEHEALTH)
    for near in (False, True):
        found = _new_times(uow, ctx, near=near)
        assert found.offers
        assert {o.slot.clinician_id for o in found.offers} == {"ana_lopez"}
        assert {o.slot.modality for o in found.offers} == {Modality.TELEHEALTH}


def test_an_office_session_moves_to_office_times_with_the_same_clinician() -> None:
    """A verified client moving an office session hears office times with their clinician."""
    uow, practice = FakeUnitOfWork(), _practice()
    ctx = _moving(uow, practice, Modality.IN_PERSON)
    booking = ctx.state.booking
    assert booking is not None
    assert booking.target is not None
    found = _new_times(uow, ctx)
    assert found.offers
    assert {o.slot.clinician_id for o in found.offers} == {"ana_lopez"}
    assert {o.slot.modality for o in found.offers} == {Modality.IN_PERSON}
    assert {o.slot.location_id for o in found.offers} == {booking.target.slot.location_id}


def test_a_clinician_with_no_time_left_is_not_swapped_for_another() -> None:
    """When the client's clinician has no other time, no other clinician's time is offered."""
    uow, practice = FakeUnitOfWork(), _practice()
    ctx = _moving(uow, practice, Modality.TELEHEALTH)
    leave = TimeOff("ana_lopez", NOW, NOW + timedelta(days=365))
    on_leave = replace(practice, schedule=replace(practice.schedule, time_off=(leave,)))
    assert _new_times(uow, replace(ctx, practice=on_leave)).offers == ()


def test_reminders_never_go_to_an_address_the_caller_did_not_confirm() -> None:
    """An e-mail address read back but never confirmed gets no reminders; a confirmed one does."""
    confirmed = Intake(reminder_preference=ReminderPreference.EMAIL, email="leo@example.com")
    assert call_booking.contact_of(confirmed, None) == Contact(
        ReminderPreference.EMAIL, "leo@example.com"
    )
    unconfirmed = replace(confirmed, email_unconfirmed=True)
    assert call_booking.contact_of(unconfirmed, None) is None


def _found_for(uow: FakeUnitOfWork, practice: Practice, **changes: object) -> Found:
    """What FindOpenings answers for an intake with `changes` (its availability)."""
    ctx = _booking_context(uow, practice)
    ctx = replace(ctx, state=ctx.state.evolve(intake=intake(**changes)))
    with uow:
        found = perform(FindOpenings(ServiceKind.FIRST_SESSION), ctx=ctx, uow=uow)
    assert isinstance(found, Found)
    return found


def test_offers_fit_only_when_every_slot_is_inside_the_callers_windows() -> None:
    """Slots found for no availability, or inside it, fit what the caller said; the slots
    ranked first when nothing does (a caller free only at 3 am) are offered but do not."""
    uow, practice = FakeUnitOfWork(), _practice()
    assert _found_for(uow, practice).fits
    anytime = _found_for(uow, practice)
    first = anytime.offers[0].slot.start.astimezone(practice.zone)
    window = AvailabilityWindow("that day", on=first.date())
    fitting = _found_for(uow, practice, availability=(window,))
    assert fitting.offers
    assert fitting.fits
    night = AvailabilityWindow(
        "at 3 am", start=first.replace(hour=3, minute=0).time(), end=first.replace(hour=4).time()
    )
    closest = _found_for(uow, practice, availability=(night,))
    assert closest.offers
    assert not closest.fits
