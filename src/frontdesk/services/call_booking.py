"""The scheduling steps a call's turn asks for, performed inside the turn's unit of work.

The engine stays pure: a turn that needs the calendar carries one scheduling action
(`FindOpenings`, `Book`, `JoinWaitlist`, `Verify`, `Cancel`, `Reschedule`); `perform` runs
it against storage without committing and answers with an outcome for
`frontdesk.conversation.engine.resume`. Anything that fails becomes `Failed` (the call
falls back to a callback request); a slot gone meanwhile becomes `SlotTaken`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from frontdesk.conversation.state import CallState, Offer
from frontdesk.conversation.turn import (
    Book,
    Booked,
    Cancel,
    Cancelled,
    Failed,
    FindOpenings,
    Found,
    JoinWaitlist,
    NotVerified,
    Outcome,
    Scheduling,
    SlotTaken,
    Verified,
    Verify,
    Waitlisted,
)
from frontdesk.domain.appointments import Appointment, ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import Slot
from frontdesk.domain.clients import Contact
from frontdesk.domain.errors import FrontdeskError, SlotUnavailable
from frontdesk.domain.inquiries import Intake, Modality, ReminderPreference
from frontdesk.domain.matching import BEST_FIT, window_fit
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import CallRecord, InquiryRecord, InquiryStatus, new_id
from frontdesk.services import appointments, clients, openings, waitlist
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

DECIDING = timedelta(minutes=10)
"""Slots are sought as of this much later than the turn, so a slot at the edge of the
minimum notice is still bookable once the caller has picked and confirmed it."""


@dataclass(frozen=True, slots=True)
class CallBookingContext:
    """What performing a step needs: the call, its state after the step, the time."""

    call: CallRecord
    state: CallState
    at: datetime
    practice: Practice


def perform(request: Scheduling, *, ctx: CallBookingContext, uow: UnitOfWork) -> Outcome:
    """Run one scheduling step in the open unit of work; never commits.

    The step runs in a savepoint: a step that fails (a slot taken at the last moment, a
    broken rule) leaves nothing behind, and what the turn did before it is kept.
    """
    try:
        with uow.savepoint():
            return _perform(request, ctx, uow)
    except SlotUnavailable:
        return SlotTaken()
    except FrontdeskError as exc:
        log.warning(
            "scheduling step failed call_id=%s step=%s error=%s",
            ctx.call.id,
            type(request).__name__,
            type(exc).__name__,
        )
        return Failed()


def _perform(request: Scheduling, ctx: CallBookingContext, uow: UnitOfWork) -> Outcome:
    practice, at, state = ctx.practice, ctx.at, ctx.state
    if isinstance(request, FindOpenings):
        found = _find(request, ctx, uow)
        offers = tuple(describe(s, practice) for s in found)
        return Found(offers, fits=_fits(request, found, ctx))
    if isinstance(request, Book):
        inquiry_id = ensure_inquiry(uow, ctx)
        appointment = appointments.reserve(
            uow,
            slot=request.slot,
            client=ClientRef(inquiry_id=inquiry_id),
            at=at,
            practice=practice,
            booked_by_ai=True,
            source=BookingSource.CALL,
            call_id=ctx.call.id,
            contact=contact_of(state.intake, ctx.call.caller_number),
            payment=state.intake.payment,
        )
        return Booked(appointment.id)
    if isinstance(request, JoinWaitlist):
        entry_id = waitlist.join_within(
            uow,
            intake=state.intake,
            kind=request.kind,
            at=at,
            inquiry_id=ensure_inquiry(uow, ctx),
            call_id=ctx.call.id,
            contact=contact_of(state.intake, ctx.call.caller_number),
        )
        return Waitlisted(entry_id)
    if isinstance(request, Verify):
        phone = ctx.call.caller_number
        client_id = None
        if phone is not None:
            client_id = clients.verify_within(
                uow, phone=phone, name=request.name, date_of_birth=request.date_of_birth
            )
        if client_id is None:
            return NotVerified()
        upcoming = appointments.upcoming_within(uow, client_id=client_id, now=at)
        return Verified(client_id, tuple(_held(a, practice) for a in upcoming))
    if isinstance(request, Cancel):
        cancelled = appointments.cancel_within(
            uow,
            appointment_id=request.appointment_id,
            at=at,
            practice=practice,
            reason=request.reason,
            client_id=request.client_id,
        )
        return Cancelled(cancelled.late)
    new_id_ = appointments.reschedule_within(
        uow,
        appointment_id=request.appointment_id,
        slot=request.slot,
        at=at,
        practice=practice,
        booked_by_ai=True,
        reason=request.reason,
        client_id=request.client_id,
    )
    return Booked(new_id_)


def _find(request: FindOpenings, ctx: CallBookingContext, uow: UnitOfWork) -> list[Slot]:
    """Slots for a new caller from the intake; for a session being moved, from that session.

    Continuity of care: a verified client's session moves to another time with the same
    clinician, the same way (video or office) and at the same office. That clinician
    already sees the client, so the client's state is not needed (`MatchCriteria.in_care`);
    when they have no other time, nothing is offered and staff call back.
    """
    intake, reachable = ctx.state.intake, None
    target = ctx.state.booking.target if ctx.state.booking else None
    in_care = target is not None and request.client_id is not None
    if target is not None:
        moved = target.slot
        intake = Intake(clinician_preference=moved.clinician_id, modality=moved.modality)
        if moved.modality is Modality.IN_PERSON and moved.location_id is not None:
            reachable = frozenset({moved.location_id})
    new_client = request.client_id is None
    if request.near is not None:
        return openings.slots_near_time_within(
            uow,
            intake=intake,
            kind=request.kind,
            wanted=request.near,
            now=ctx.at + DECIDING,
            practice=ctx.practice,
            reachable_locations=reachable,
            new_client=new_client,
            limit=3,
            in_care=in_care,
        )
    return openings.find_openings_within(
        uow,
        intake=intake,
        kind=request.kind,
        now=ctx.at + DECIDING,
        practice=ctx.practice,
        exclude=request.exclude,
        reachable_locations=reachable,
        new_client=new_client,
        in_care=in_care,
    )


def _fits(request: FindOpenings, found: list[Slot], ctx: CallBookingContext) -> bool:
    """Whether every slot found fits what the caller said: on the day they asked about, or
    wholly inside their availability (the slots ranked first when nothing does are offered
    too, and must not be said to fit). A session being moved has no availability to fit."""
    zone = ctx.practice.zone
    if request.near is not None:
        day = request.near.astimezone(zone).date()
        return all(slot.start.astimezone(zone).date() == day for slot in found)
    moving = ctx.state.booking is not None and ctx.state.booking.target is not None
    windows = () if moving else ctx.state.intake.availability
    return all(window_fit(slot, windows, zone) == BEST_FIT for slot in found)


def describe(slot: Slot, practice: Practice, appointment_id: str | None = None) -> Offer:
    """A slot with the words that read it aloud (practice local time)."""
    spoken = openings.describe(slot, practice)
    return Offer(
        slot=slot,
        when=spoken.when,
        clinician=spoken.clinician,
        location=spoken.location,
        appointment_id=appointment_id,
    )


def _held(appointment: Appointment, practice: Practice) -> Offer:
    slot = Slot(
        appointment.clinician_id,
        appointment.start,
        appointment.end,
        appointment.kind,
        appointment.modality,
        appointment.location_id,
    )
    return describe(slot, practice, appointment.id)


def contact_of(intake: Intake, caller_number: str | None) -> Contact | None:
    """Where reminders go: the chosen channel and its address, None when there is none."""
    channel = intake.reminder_preference or ReminderPreference.SMS
    if channel is ReminderPreference.EMAIL:
        # An address the caller never confirmed at its read-back gets no reminders: one wrong
        # letter loses every one; staff confirm it first.
        if not intake.email or intake.email_unconfirmed:
            return None
        return Contact(channel, intake.email)
    number = intake.callback_number or caller_number
    if number is None:
        return None
    if channel is ReminderPreference.SMS and intake.consent_to_text is False:
        return Contact(ReminderPreference.CALL, number)
    return Contact(channel, number)


def ensure_inquiry(uow: UnitOfWork, ctx: CallBookingContext) -> str:
    """The call's inquiry id, stored now when the call has none yet."""
    existing = uow.inquiries.list_for_call(ctx.call.id)
    if existing:
        current = existing[-1]
        uow.inquiries.update(replace(current, intake=ctx.state.intake, updated_at=ctx.at))
        return current.id
    inquiry_id = new_id()
    uow.inquiries.add(
        InquiryRecord(
            id=inquiry_id,
            created_at=ctx.at,
            updated_at=ctx.at,
            call_id=ctx.call.id,
            status=InquiryStatus.OPEN,
            intake=ctx.state.intake,
        )
    )
    return inquiry_id
