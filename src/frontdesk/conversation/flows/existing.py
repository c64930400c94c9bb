"""Existing clients: verify the caller, then read, cancel or move their appointment.

Nothing about any appointment is said until the services confirm that the calling number,
the name and the date of birth belong to one client (`Verify` → `Verified`). An unverified
caller hears one neutral line and staff call back. A verified one hears their own next
appointment, or, with several, the next few to pick from (`flows.held`); then they give a
reason, and cancel or pick a new time.
"""

from __future__ import annotations

from dataclasses import replace

from frontdesk.conversation.flows.base import EngineContext, Step, say
from frontdesk.conversation.flows.booking import (
    booking_prompt,
    callback_close_existing_failed,
    resume_booking,
)
from frontdesk.conversation.flows.held import READ_AT_MOST, held_prompt, read_held, readable
from frontdesk.conversation.flows.picking import pick_offer, wants_others
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import Booking, CallState, Offer, Phase, Stage
from frontdesk.conversation.turn import (
    Cancel,
    Cancelled,
    FindOpenings,
    HangUp,
    NotVerified,
    Outcome,
    RequestCallback,
    Verified,
    Verify,
)
from frontdesk.conversation.understanding.result import Slot, Understanding
from frontdesk.domain.appointments import slot_key
from frontdesk.domain.calls import CallResult, Intent

CHANGES = frozenset({Intent.RESCHEDULE, Intent.CANCEL})


def callback_close_existing(state: CallState, context: EngineContext) -> Step:
    """Staff call back to help with the appointment (no details shared by phone)."""
    ended = state.evolve(phase=Phase.ENDED, asking=None, result=CallResult.CALLBACK_REQUESTED)
    reason = (state.intent or Intent.EXISTING_CLIENT).value
    return Step(ended, (say(Line.CLOSE_CALLBACK_EXISTING),), (RequestCallback(reason), HangUp()))


def start_verification(state: CallState, context: EngineContext) -> Step:
    """A reschedule or cancel: ask the date of birth to verify; other needs go to staff."""
    if state.intent not in CHANGES or state.intake.client_name is None:
        return callback_close_existing(state, context)
    if state.caller_number is None:
        return _not_verified(state)
    booking = Booking(stage=Stage.DATE_OF_BIRTH)
    asking = state.evolve(
        phase=Phase.BOOKING, asking=Slot.DATE_OF_BIRTH, booking=booking, reprompts=0
    )
    return Step(asking, (say(Line.ASK_DOB),))


def on_date_of_birth(state: CallState, u: Understanding, context: EngineContext) -> Step:
    """The date of birth starts verification; without one, ask again, then staff call back."""
    born = u.slots.date_of_birth
    name = state.intake.client_name
    if born is not None and name is not None:
        booking = replace(state.booking or Booking(), date_of_birth=born)
        return Step(state.evolve(booking=booking, asking=None), (), (Verify(name, born),))
    count = state.reprompts + 1
    if count > context.max_reprompts:
        return _not_verified(state)
    return Step(state.evolve(reprompts=count), (say(Line.REPROMPT_NO_MATCH), say(Line.ASK_DOB)))


def on_choice(state: CallState, u: Understanding, context: EngineContext) -> Step:
    """Several appointments were read: the one picked goes on to the reason.

    A reply that names none is asked again, then staff call back; with more appointments
    than were read, "a later one" is left to staff as well.
    """
    booking = state.booking or Booking()
    pick = _pick_held(readable(booking), u, context)
    if pick is not None:
        chosen = say(Line.APPOINTMENT_CHOSEN, when=pick.when, clinician=pick.clinician)
        return _ask_reason(state, pick, context).prefixed(says=(chosen,))
    if len(booking.held) > READ_AT_MOST and wants_others(u):
        ended = state.evolve(phase=Phase.ENDED, asking=None, result=CallResult.CALLBACK_REQUESTED)
        reason = (state.intent or Intent.EXISTING_CLIENT).value
        return Step(
            ended, (say(Line.APPOINTMENT_LATER_CALLBACK),), (RequestCallback(reason), HangUp())
        )
    count = state.reprompts + 1
    if count > context.max_reprompts:
        return callback_close_existing_failed(state)
    again = state.evolve(reprompts=count)
    return Step(again, (say(Line.REPROMPT_NO_MATCH), *held_prompt(booking, state.intent)))


def _pick_held(read: tuple[Offer, ...], u: Understanding, context: EngineContext) -> Offer | None:
    """The appointment picked the way offered slots are picked, but only when said plainly.

    A position ("the second one", "number two", "the last") or words that describe exactly
    one appointment pick it. Weekly sessions often share weekday, hour and clinician, so
    "the Thursday one" with two Thursdays picks none, and neither does "another one": an
    appointment is never cancelled or moved on a guess.
    """
    return None if wants_others(u) else pick_offer(read, u, context)


def _ask_reason(state: CallState, target: Offer, context: EngineContext) -> Step:
    """The appointment to change is known: ask why, in the caller's own words."""
    booking = replace(
        state.booking or Booking(), stage=Stage.REASON, target=target, kind=target.slot.kind
    )
    asking = state.evolve(booking=booking, asking=Slot.MESSAGE, reprompts=0)
    return Step(asking, booking_prompt(asking, context))


def on_reason(state: CallState, u: Understanding, context: EngineContext) -> Step:
    """The reason, in the caller's words: cancel now, or look for a new time."""
    booking = state.booking or Booking()
    target = booking.target
    if target is None or target.appointment_id is None or booking.client_id is None:
        return callback_close_existing_failed(state)
    reason = u.text.strip() or None
    noted = state.evolve(booking=replace(booking, reason=reason), asking=None)
    if state.intent is Intent.CANCEL:
        return _confirm_cancel(noted)
    exclude = frozenset({slot_key(target.slot.clinician_id, target.slot.start)})
    find = FindOpenings(target.slot.kind, exclude=exclude, client_id=booking.client_id)
    return Step(noted, (), (find,))


def _confirm_cancel(state: CallState) -> Step:
    """Read the appointment back before cancelling it, as a booking is read back."""
    booking = replace(state.booking or Booking(), stage=Stage.CONFIRMING_CANCEL)
    asking = state.evolve(booking=booking, asking=Slot.CONFIRMATION, reprompts=0)
    return Step(asking, (cancel_line(booking),))


def cancel_line(booking: Booking) -> Say:
    """ "To confirm: cancel your appointment on … with …. Shall I cancel it?" """
    target = booking.target
    assert target is not None, "a cancel is confirmed only once the appointment is known"
    return say(Line.CONFIRM_CANCEL, when=target.when, clinician=target.clinician)


def on_cancel_confirm(state: CallState, u: Understanding, context: EngineContext) -> Step:
    """ "Shall I cancel it?": yes cancels; no keeps it (or, with several, asks which one)."""
    booking = state.booking or Booking()
    target = booking.target
    if target is None or target.appointment_id is None or booking.client_id is None:
        return callback_close_existing_failed(state)
    if u.affirm is True:
        cancel = Cancel(target.appointment_id, booking.client_id, booking.reason)
        return Step(state.evolve(asking=None), (), (cancel,))
    if u.affirm is False:
        if len(booking.held) > 1:
            choosing = replace(booking, stage=Stage.CHOOSING, target=None, reason=None)
            again = state.evolve(booking=choosing, asking=None, reprompts=0)
            return Step(again, held_prompt(choosing, state.intent))
        ended = state.evolve(phase=Phase.ENDED, asking=None, result=CallResult.INFO_PROVIDED)
        return Step(ended, (say(Line.CANCEL_KEPT, when=target.when),), (HangUp(),))
    count = state.reprompts + 1
    if count > context.max_reprompts:
        return callback_close_existing_failed(state)
    again = state.evolve(reprompts=count)
    return Step(again, (say(Line.SAY_YES_OR_NO), cancel_line(booking)))


def resume_existing(state: CallState, outcome: Outcome, context: EngineContext) -> Step:
    """Continue after verification or a cancellation; moves go through booking."""
    booking = state.booking or Booking()
    if isinstance(outcome, NotVerified):
        return _not_verified(state)
    if isinstance(outcome, Verified):
        if not outcome.upcoming:
            ended = state.evolve(
                phase=Phase.ENDED, asking=None, result=CallResult.CALLBACK_REQUESTED
            )
            reason = (state.intent or Intent.EXISTING_CLIENT).value
            return Step(ended, (say(Line.NO_UPCOMING),), (RequestCallback(reason), HangUp()))
        held = tuple(sorted(outcome.upcoming, key=lambda o: o.slot.start))
        verified = state.evolve(booking=replace(booking, client_id=outcome.client_id, held=held))
        if len(held) == 1:
            target = held[0]
            read = say(Line.READ_APPOINTMENT, when=target.when, clinician=target.clinician)
            return _ask_reason(verified, target, context).prefixed(says=(read,))
        choosing = replace(verified.booking or Booking(), stage=Stage.CHOOSING)
        asking = verified.evolve(booking=choosing, asking=None, reprompts=0)
        return Step(asking, read_held(choosing, state.intent))
    if isinstance(outcome, Cancelled) and booking.target is not None:
        target = booking.target
        done = replace(booking, done=target)
        ended = state.evolve(
            phase=Phase.ENDED, asking=None, result=CallResult.CANCELLED, booking=done
        )
        if outcome.late:
            hours = str(context.practice.cancellation_policy.notice_hours)
            line = say(Line.CANCELLED_LATE, when=target.when, notice_hours=hours)
        else:
            line = say(Line.CANCELLED, when=target.when)
        return Step(ended, (line,), (HangUp(),))
    return resume_booking(state, outcome, context)


def _not_verified(state: CallState) -> Step:
    """The neutral line: nothing about any appointment, and staff call back."""
    ended = state.evolve(phase=Phase.ENDED, asking=None, result=CallResult.CALLBACK_REQUESTED)
    reason = (state.intent or Intent.EXISTING_CLIENT).value
    return Step(ended, (say(Line.VERIFY_FAILED),), (RequestCallback(reason), HangUp()))
