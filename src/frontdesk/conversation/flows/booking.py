"""Booking inside the call: offer slots, take the caller's pick, confirm, book.

A complete intake ends here instead of in a callback request. The flow never touches the
calendar: it returns a scheduling action (`FindOpenings`, `Book`, `JoinWaitlist`) and the
services answer with an outcome, which `resume` turns into what the caller hears next.
Whatever cannot be done falls back to the callback request the call ended with before.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from frontdesk.conversation.flows.base import EngineContext, Step, say, service_name
from frontdesk.conversation.flows.held import held_prompt
from frontdesk.conversation.flows.intake import service_kind
from frontdesk.conversation.flows.picking import named_time, pick_offer, wants_others
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import Booking, CallState, Offer, Phase, Stage
from frontdesk.conversation.turn import (
    Book,
    Booked,
    CaptureInquiry,
    FindOpenings,
    Found,
    HangUp,
    JoinWaitlist,
    Outcome,
    RequestCallback,
    Reschedule,
    SlotTaken,
    Waitlisted,
)
from frontdesk.conversation.understanding.result import Request, Slot, Understanding
from frontdesk.domain.appointments import slot_key
from frontdesk.domain.calls import CallResult, Intent
from frontdesk.domain.inquiries import Modality, Payment, ReminderPreference
from frontdesk.domain.practice import ServiceKind

_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth")
_CHANNELS = {
    ReminderPreference.SMS: "text",
    ReminderPreference.EMAIL: "email",
    ReminderPreference.CALL: "phone call",
}


# --- starting -----------------------------------------------------------------------------


def start_booking(state: CallState, context: EngineContext) -> Step:
    """A complete intake: look for slots (or join the waitlist when that was asked for).

    Licensure follows where the client is and each clinician sees certain ages: without the
    client's state and age, said by the caller, nothing is booked on a guess; staff call
    back to book instead. An appointment is made for someone: without the client's name
    (asked twice and not given, and no question is said a third time) staff call back too.
    So they do without the way of paying (`network_known`): a client who never said how
    they pay may hold insurance no offered clinician takes.
    """
    kind = service_kind(state.intent)
    cited = {e.field for e in state.evidence}
    intake = state.intake
    known = None not in (intake.client_age, intake.state, intake.client_name)
    needed = {"client_age", "state", "client_name"}
    said = known and needed <= cited and network_known(state)
    if not said and state.intent is not Intent.WAITLIST:
        return callback_close_new(state, context)
    booking = Booking(kind=kind)
    moved = state.evolve(phase=Phase.BOOKING, asking=None, booking=booking, reprompts=0)
    if state.intent is Intent.WAITLIST:
        return Step(
            moved.evolve(booking=replace(booking, stage=Stage.WAITLIST)), (), (JoinWaitlist(kind),)
        )
    return Step(moved, (), (FindOpenings(kind),))


def network_known(state: CallState) -> bool:
    """Whether the caller said how the client pays, so matching can respect payer networks.

    Private pay or the sliding scale, said, fits any clinician; insurance needs the insurer
    too. An insurer the practice does not take, with no other way of paying chosen after
    it, leaves payment unknown: booking then would put the client out of network without
    their saying they would pay privately.
    """
    intake = state.intake
    cited = {e.field for e in state.evidence}
    if intake.payment is None or "payment" not in cited:
        return False
    if intake.payment is Payment.INSURANCE:
        return intake.payer is not None and "payer" in cited
    return True


def callback_close_new(state: CallState, context: EngineContext, *, failed: bool = False) -> Step:
    """The intake is captured and staff call back to book (nothing fits, or it failed)."""
    ended = state.evolve(phase=Phase.ENDED, asking=None, result=CallResult.CALLBACK_REQUESTED)
    reason = f"schedule_{(state.intent or Intent.NEW_CLIENT).value}"
    service = service_name(context.practice, service_kind(state.intent))
    line = say(Line.BOOKING_FAILED) if failed else say(Line.CLOSE_CALLBACK_NEW, service=service)
    return Step(ended, (line,), (CaptureInquiry(complete=True), RequestCallback(reason), HangUp()))


# --- the caller's turn --------------------------------------------------------------------


def on_offers(state: CallState, u: Understanding, context: EngineContext, *, now: datetime) -> Step:
    """Slots were read: a pick is confirmed, "others" finds more, a named time looks near it."""
    booking = _booking(state)
    pick = pick_offer(booking.offers, u, context)
    if pick is not None:
        return confirm(state, pick, context)
    asked = _asked_for(state, u, context, now=now)
    if asked is not None:
        return asked
    return _again(state, context, (say(Line.REPROMPT_NO_MATCH),))


def _asked_for(
    state: CallState, u: Understanding, context: EngineContext, *, now: datetime
) -> Step | None:
    """A request for times: near a day or time they named ("anything Friday morning?"), or
    simply others ("anything else?"); None when the words ask for neither."""
    booking = _booking(state)
    wanted = named_time(u.slots.availability, now=now, context=context)
    if wanted is not None and (u.choice.asks_for_times or not wants_others(u)):
        near = FindOpenings(booking.kind, near=wanted, client_id=booking.client_id)
        return Step(state, (), (near,))
    if wants_others(u):
        return others(state)
    return None


def on_confirm(
    state: CallState, u: Understanding, context: EngineContext, *, now: datetime
) -> Step:
    """ "Shall I book it?": yes books, no offers others, another pick is confirmed instead."""
    booking = _booking(state)
    chosen = booking.chosen
    if chosen is None:  # pragma: no cover - a confirmation always has a pick
        return others(state)
    pick = pick_offer(booking.offers, u, context)
    if pick is not None and pick != chosen and u.affirm is not True:
        return confirm(state, pick, context)
    if u.affirm is True:
        if booking.target is not None and booking.client_id is not None:
            assert booking.target.appointment_id is not None
            move = Reschedule(
                booking.target.appointment_id, booking.client_id, chosen.slot, booking.reason
            )
            return Step(state, (), (move,))
        return Step(state, (), (Book(chosen.slot),))
    asked = _asked_for(state, u, context, now=now)
    if asked is not None:
        return asked
    if u.affirm is False:
        return others(state)
    return _again(state, context, (say(Line.SAY_YES_OR_NO), confirm_line(state, chosen, context)))


def on_waitlist(state: CallState, u: Understanding, context: EngineContext) -> Step:
    """Nothing fits: yes (or "the waitlist please") joins the waitlist; no (or "call me
    back") leaves it to a callback."""
    chose_waitlist = u.affirm is None and Intent.WAITLIST in u.intents
    if u.affirm is True or chose_waitlist:
        return Step(state, (), (JoinWaitlist(_booking(state).kind),))
    if u.affirm is False or Request.CALLBACK in u.requests:
        return callback_close_new(state, context)
    return _again(state, context, (say(Line.SAY_YES_OR_NO), say(Line.NO_FIT_WAITLIST_OR_CALLBACK)))


def others(state: CallState) -> Step:
    """Look for slots not offered yet."""
    booking = _booking(state)
    found = FindOpenings(booking.kind, exclude=booking.shown, client_id=booking.client_id)
    return Step(state, (), (found,))


def confirm(state: CallState, offer: Offer, context: EngineContext) -> Step:
    """Read the pick back before booking it."""
    booking = _booking(state)
    moved = state.evolve(
        booking=replace(booking, stage=Stage.CONFIRMING, chosen=offer),
        asking=Slot.CONFIRMATION,
        reprompts=0,
    )
    return Step(moved, (confirm_line(moved, offer, context),))


def confirm_line(state: CallState, offer: Offer, context: EngineContext) -> Say:
    """ "To confirm: … Shall I book it?" (or make the change, for a reschedule)."""
    booking = _booking(state)
    video = offer.slot.modality is not Modality.IN_PERSON
    where = {} if video else {"location": offer.location or ""}
    if booking.target is not None:
        line = Line.CONFIRM_RESCHEDULE_VIDEO if video else Line.CONFIRM_RESCHEDULE_IN_PERSON
        return say(line, when=offer.when, clinician=offer.clinician, **where)
    line = Line.CONFIRM_SLOT_VIDEO if video else Line.CONFIRM_SLOT_IN_PERSON
    service = service_name(context.practice, booking.kind)
    return say(line, service=service, when=offer.when, clinician=offer.clinician, **where)


def booking_prompt(state: CallState, context: EngineContext) -> tuple[Say, ...]:
    """What the caller is being asked in the booking phase (for reprompts)."""
    booking = _booking(state)
    if booking.stage is Stage.CONFIRMING and booking.chosen is not None:
        return (confirm_line(state, booking.chosen, context),)
    if booking.stage is Stage.WAITLIST:
        return (say(Line.NO_FIT_WAITLIST_OR_CALLBACK),)
    if booking.stage is Stage.DATE_OF_BIRTH:
        return (say(Line.ASK_DOB),)
    if booking.stage is Stage.CHOOSING:
        return held_prompt(booking, state.intent)
    if booking.stage is Stage.CONFIRMING_CANCEL and booking.target is not None:
        return (
            say(Line.CONFIRM_CANCEL, when=booking.target.when, clinician=booking.target.clinician),
        )
    if booking.stage is Stage.REASON:
        cancelling = state.intent is Intent.CANCEL
        return (say(Line.ASK_CANCEL_REASON if cancelling else Line.ASK_RESCHEDULE_REASON),)
    return (*options(booking.offers), say(Line.WHICH_SLOT))


# --- what the services found --------------------------------------------------------------


def resume_booking(state: CallState, outcome: Outcome, context: EngineContext) -> Step:
    """Continue after the services found slots, booked, or joined the waitlist."""
    booking = _booking(state)
    if isinstance(outcome, Found):
        return _offer(state, outcome.offers, context, fits=outcome.fits)
    if isinstance(outcome, SlotTaken):
        return others(state).prefixed(says=(say(Line.SLOT_TAKEN),))
    if isinstance(outcome, Booked) and booking.chosen is not None:
        return _booked(state, booking.chosen, context)
    if isinstance(outcome, Waitlisted):
        ended = state.evolve(phase=Phase.ENDED, asking=None, result=CallResult.WAITLISTED)
        return Step(ended, (say(Line.WAITLISTED),), (CaptureInquiry(complete=True), HangUp()))
    # Failed, or an outcome this stage cannot use: staff call back.
    if booking.client_id is not None:
        return callback_close_existing_failed(state)
    return callback_close_new(state, context, failed=True)


def _offer(
    state: CallState, found: tuple[Offer, ...], context: EngineContext, *, fits: bool
) -> Step:
    """The slots found, introduced as fitting what the caller said only when they do."""
    booking = _booking(state)
    if not found:
        if booking.client_id is not None:
            return callback_close_existing_failed(state)
        waiting = replace(booking, stage=Stage.WAITLIST, offers=())
        says = (say(Line.NO_MORE_SLOTS),) if booking.shown else ()
        return Step(
            state.evolve(booking=waiting, reprompts=0),
            (*says, say(Line.NO_FIT_WAITLIST_OR_CALLBACK)),
        )
    intro = Line.OFFER_MORE if booking.shown else Line.OFFER_SLOTS
    intro = intro if fits else Line.OFFER_CLOSEST
    shown = booking.shown | {slot_key(o.slot.clinician_id, o.slot.start) for o in found}
    offering = replace(booking, stage=Stage.OFFERING, offers=found, shown=shown)
    return Step(
        state.evolve(booking=offering, asking=None, reprompts=0),
        (say(intro), *options(found), say(Line.WHICH_SLOT)),
    )


def options(offers: tuple[Offer, ...]) -> tuple[Say, ...]:
    """Each offer read as "First, Tuesday the 9th at 6 pm with Dana Reyes, by video."."""
    read: list[Say] = []
    for n, offer in enumerate(offers):
        ordinal = _ORDINALS[n] if n < len(_ORDINALS) else str(n + 1)
        if offer.slot.modality is Modality.IN_PERSON:
            read.append(
                say(
                    Line.OPTION_IN_PERSON,
                    ordinal=ordinal,
                    when=offer.when,
                    clinician=offer.clinician,
                    location=offer.location or "",
                )
            )
        else:
            read.append(
                say(Line.OPTION_VIDEO, ordinal=ordinal, when=offer.when, clinician=offer.clinician)
            )
    return tuple(read)


def _booked(state: CallState, offer: Offer, context: EngineContext) -> Step:
    booking = _booking(state)
    done = replace(booking, done=offer)
    if booking.target is not None:
        ended = state.evolve(
            phase=Phase.ENDED, asking=None, result=CallResult.RESCHEDULED, booking=done
        )
        return Step(
            ended, (say(Line.RESCHEDULED, when=offer.when, clinician=offer.clinician),), (HangUp(),)
        )
    consult = booking.kind is ServiceKind.CONSULT
    result = CallResult.CONSULT_BOOKED if consult else CallResult.FIRST_SESSION_BOOKED
    line = Line.BOOKED_CONSULT if consult else Line.BOOKED_FIRST_SESSION
    channel = _CHANNELS[state.intake.reminder_preference or ReminderPreference.SMS]
    after = (
        Line.BOOKED_NEXT_IN_PERSON
        if offer.slot.modality is Modality.IN_PERSON
        else Line.BOOKED_NEXT_VIDEO
    )
    ended = state.evolve(phase=Phase.ENDED, asking=None, result=result, booking=done)
    return Step(
        ended,
        (say(line, when=offer.when, clinician=offer.clinician), say(after, channel=channel)),
        (CaptureInquiry(complete=True), HangUp()),
    )


def callback_close_existing_failed(state: CallState) -> Step:
    """A verified client's change could not be made here: staff call back."""
    ended = state.evolve(phase=Phase.ENDED, asking=None, result=CallResult.CALLBACK_REQUESTED)
    reason = (state.intent or Intent.EXISTING_CLIENT).value
    return Step(ended, (say(Line.BOOKING_FAILED),), (RequestCallback(reason), HangUp()))


# --- helpers ------------------------------------------------------------------------------


def _booking(state: CallState) -> Booking:
    return state.booking or Booking()


def _again(state: CallState, context: EngineContext, says: tuple[Say, ...]) -> Step:
    """Ask again, at most `max_reprompts` times; then staff call back."""
    count = state.reprompts + 1
    if count > context.max_reprompts:
        if _booking(state).client_id is not None or state.intent not in (
            Intent.NEW_CLIENT,
            Intent.CONSULT,
            Intent.WAITLIST,
        ):
            return callback_close_existing_failed(state)
        return callback_close_new(state, context)
    again = state.evolve(reprompts=count)
    if (
        _booking(state).stage is Stage.OFFERING
        and says
        and says[0].line_id == Line.REPROMPT_NO_MATCH
    ):
        return Step(again, (*says, *booking_prompt(again, context)))
    return Step(again, says)
