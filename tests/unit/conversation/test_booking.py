"""Booking inside the call, pure: offers, picks, read-backs, outcomes and verification."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from tests.unit.conversation.engine_fakes import NOW, context, heard, ids, run, said
from tests.unit.conversation.test_engine import FULL_INTAKE, NAMED, NO, TABLE, YES

from frontdesk.conversation.engine import EngineContext, resume, step
from frontdesk.conversation.flows.picking import named_time, pick_offer
from frontdesk.conversation.state import Booking, CallState, Offer, Phase, Stage
from frontdesk.conversation.turn import (
    Book,
    Booked,
    Cancel,
    Cancelled,
    CaptureInquiry,
    Failed,
    FindOpenings,
    Found,
    HangUp,
    JoinWaitlist,
    NotVerified,
    RequestCallback,
    Reschedule,
    SlotTaken,
    Turn,
    Verified,
    Verify,
    Waitlisted,
)
from frontdesk.conversation.understanding.result import Request, Understanding
from frontdesk.domain.calendar import Slot
from frontdesk.domain.calls import CallResult, Intent, Route
from frontdesk.domain.inquiries import AvailabilityWindow, Modality, Payment, Weekday
from frontdesk.domain.practice import ServiceKind

START = datetime(2026, 3, 10, 22, 0, tzinfo=NOW.tzinfo)  # Tuesday the 10th, 5 pm in Chicago (CDT)


def offer(n: int, *, hours: int = 0, modality: Modality = Modality.TELEHEALTH) -> Offer:
    """The n-th offer: a day apart, at 5 pm Chicago time plus `hours`."""
    start = START + timedelta(days=n, hours=hours)
    slot = Slot("jo", start, start + timedelta(hours=1), ServiceKind.FIRST_SESSION, modality)
    when = f"Day {n} at {5 + hours} pm"
    return Offer(slot, when, "Jo Park, LPC", location=None)


OFFERS = (offer(0), offer(1), offer(2, hours=2))  # Tuesday 5 pm, Wednesday 5 pm, Thursday 7 pm
MORE = heard("anything else?")


def offered() -> tuple[Turn, EngineContext]:
    """A call whose full intake has just been offered OFFERS."""
    ctx = context([*TABLE, MORE, YES])
    last = run(ctx, [*FULL_INTAKE, "yes", "yes"])[-1]
    return resume(last, Found(OFFERS), context=ctx), ctx


def test_found_slots_are_read_as_numbered_options_with_a_question() -> None:
    """Found slots are read in order, each with its ordinal, then "which one would suit you"."""
    turn, _ = offered()
    assert ids(turn) == [
        "offer_slots",
        "option_video",
        "option_video",
        "option_video",
        "which_slot",
    ]
    assert dict(turn.says[1].values)["ordinal"] == "First"
    assert turn.state.booking is not None
    assert turn.state.booking.stage is Stage.OFFERING
    assert len(turn.state.booking.shown) == 3
    assert turn.scheduling is None


def test_no_booking_is_made_for_a_client_whose_name_was_never_given() -> None:
    """The name asked twice and not given (no question is said a third time): the intake
    closes with a call back from staff to book, never an appointment with no name on it."""
    unnamed = [NAMED[0], "what?", "why?", *FULL_INTAKE[len(NAMED) :], "yes", "yes"]
    turns = run(context(TABLE), unnamed)
    said_lines = [line for turn in turns for line in ids(turn)]
    name_lines = {"ask_new_client_name", "ask_new_client_name_reworded", "ask_client_name"}
    assert sum(line in name_lines for line in said_lines) == 2
    last = turns[-1]
    assert last.state.intake.client_name is None
    assert last.scheduling is None
    assert ids(last)[-1] == "close_callback_new"
    assert last.state.result is CallResult.CALLBACK_REQUESTED


def _paid_as(answers: list[str], table: list[Understanding]) -> list[Turn]:
    """FULL_INTAKE to its end ("yes" to the number and to texts), with the answer to the
    payment question replaced by `answers`."""
    at = FULL_INTAKE.index("Aetna")
    intake = [*FULL_INTAKE[:at], *answers, *FULL_INTAKE[at + 1 :], "yes", "yes"]
    return run(context([*TABLE, *table]), intake)


def _closed_for_a_callback(turns: list[Turn]) -> None:
    last = turns[-1]
    assert last.scheduling is None
    assert ids(last)[-1] == "close_callback_new"
    assert last.state.result is CallResult.CALLBACK_REQUESTED
    assert any(isinstance(a, RequestCallback) for a in last.actions)


def test_no_booking_is_made_for_a_client_who_never_said_how_they_pay() -> None:
    """The way of paying asked twice and not given (seed 11 call 295: an insured client
    booked with a clinician out of their network): staff call back to book, since any
    clinician offered may be out of the client's network."""
    turns = _paid_as(["what?", "why?"], [])
    said_lines = [line for turn in turns for line in ids(turn)]
    assert sum(line.startswith("ask_payment") for line in said_lines) == 2
    assert turns[-1].state.intake.payment is None
    _closed_for_a_callback(turns)


def test_no_booking_is_made_for_insurance_whose_insurer_was_never_named() -> None:
    """Insurance said, the insurer asked twice and not named: no clinician can be matched
    to its network, so staff call back to book instead of saying nothing fits."""
    insured = heard("insurance", payment=Payment.INSURANCE)
    turns = _paid_as(["insurance", "what?", "why?"], [insured])
    assert turns[-1].state.intake.payment is Payment.INSURANCE
    assert turns[-1].state.intake.payer is None
    _closed_for_a_callback(turns)


def test_no_booking_is_made_after_an_insurer_out_of_network_without_another_way_to_pay() -> None:
    """An insurer the practice does not take, then no answer to "would private pay or the
    sliding scale work?": nothing is booked out of network unless the caller chose to pay
    privately; staff call back."""
    kaiser = heard("I have Kaiser", payer_unlisted="Kaiser")
    turns = _paid_as(["I have Kaiser", "what?"], [kaiser])
    intake = turns[-1].state.intake
    assert (intake.payment, intake.out_of_network_payer) == (None, "Kaiser")
    _closed_for_a_callback(turns)


def test_private_pay_after_an_insurer_out_of_network_goes_on_to_booking() -> None:
    """An insurer the practice does not take, then "I'll pay myself": the caller chose to
    pay privately, so the first session is sought."""
    kaiser = heard("I have Kaiser", payer_unlisted="Kaiser")
    private = heard("I'll pay myself", payment=Payment.PRIVATE_PAY)
    turns = _paid_as(["I have Kaiser", "I'll pay myself"], [kaiser, private])
    assert turns[-1].state.intake.payment is Payment.PRIVATE_PAY
    assert turns[-1].scheduling == FindOpenings(ServiceKind.FIRST_SESSION)


def test_slots_that_do_not_fit_what_was_said_are_not_said_to_fit() -> None:
    """Slots offered only because none fits the caller's times are introduced as the closest
    there are, never as "times that fit what you told me"."""
    ctx = context([*TABLE, MORE, YES])
    last = run(ctx, [*FULL_INTAKE, "yes", "yes"])[-1]
    turn = resume(last, Found(OFFERS, fits=False), context=ctx)
    assert ids(turn)[0] == "offer_closest"
    assert ids(turn)[-1] == "which_slot"
    assert "offer_slots" not in ids(turn)


def test_the_second_one_is_read_back_before_booking_and_yes_books_it() -> None:
    """ "The second one" is confirmed back; only "yes" asks the services to book it."""
    turn, ctx = offered()
    confirm = step(turn.state, said("the second one"), context=ctx)
    assert ids(confirm) == ["confirm_slot_video"]
    assert confirm.scheduling is None
    booked = step(confirm.state, said("yes"), context=ctx)
    assert booked.scheduling == Book(OFFERS[1].slot)


def test_a_booking_ends_with_the_confirmation_and_what_happens_next() -> None:
    """Booked: the first-session line, the reminder line, the inquiry kept, a hang-up."""
    turn, ctx = offered()
    confirm = step(turn.state, said("the first one"), context=ctx)
    yes = step(confirm.state, said("yes"), context=ctx)
    done = resume(yes, Booked("appt-1"), context=ctx)
    assert ids(done) == ["booked_first_session", "booked_next_video"]
    assert done.state.result is CallResult.FIRST_SESSION_BOOKED
    assert done.state.booking is not None
    assert done.state.booking.done == OFFERS[0]
    assert CaptureInquiry(complete=True) in done.actions
    assert HangUp() in done.actions


def test_asking_for_others_excludes_every_slot_already_offered() -> None:
    """ "Anything else?" looks for slots again without any of the three already read."""
    turn, ctx = offered()
    more = step(turn.state, said(MORE.text), context=ctx)
    request = more.scheduling
    assert isinstance(request, FindOpenings)
    assert turn.state.booking is not None
    assert request.exclude == turn.state.booking.shown


def test_a_slot_taken_meanwhile_is_said_and_the_next_options_are_sought() -> None:
    """SlotTaken: the approved "just taken" line, then a search for other slots."""
    turn, ctx = offered()
    confirm = step(turn.state, said("the first one"), context=ctx)
    yes = step(confirm.state, said("yes"), context=ctx)
    taken = resume(yes, SlotTaken(), context=ctx)
    assert ids(taken) == ["slot_taken"]
    assert isinstance(taken.scheduling, FindOpenings)


def test_no_fit_offers_the_waitlist_and_yes_joins_it() -> None:
    """Nothing found: the waitlist-or-callback question; yes joins, and the call closes."""
    ctx = context([*TABLE, YES])
    last = run(ctx, [*FULL_INTAKE, "yes", "yes"])[-1]
    none = resume(last, Found(()), context=ctx)
    assert ids(none) == ["no_fit_waitlist_or_callback"]
    join = step(none.state, said("yes"), context=ctx)
    assert join.scheduling == JoinWaitlist(ServiceKind.FIRST_SESSION)
    done = resume(join, Waitlisted("entry-1"), context=ctx)
    assert done.state.result is CallResult.WAITLISTED
    assert ids(done) == ["waitlisted"]


def test_naming_the_waitlist_or_a_call_back_answers_the_no_fit_question() -> None:
    """ "The waitlist please" joins it; "have someone call me back" leaves it to staff."""
    waitlist = heard("the waitlist please", intent=Intent.WAITLIST)
    call_back = heard("have someone call me back", requests=[Request.CALLBACK])
    ctx = context([*TABLE, YES, waitlist, call_back])
    last = run(ctx, [*FULL_INTAKE, "yes", "yes"])[-1]
    none = resume(last, Found(()), context=ctx)
    join = step(none.state, said(waitlist.text), context=ctx)
    assert join.scheduling == JoinWaitlist(ServiceKind.FIRST_SESSION)
    staff = step(none.state, said(call_back.text), context=ctx)
    assert staff.state.result is CallResult.CALLBACK_REQUESTED
    assert RequestCallback("schedule_new_client") in staff.actions


def test_a_failed_step_falls_back_to_a_callback_request() -> None:
    """Failed: the apology line, the inquiry kept and a callback task to book by phone."""
    ctx = context(TABLE)
    last = run(ctx, [*FULL_INTAKE, "yes", "yes"])[-1]
    failed = resume(last, Failed(), context=ctx)
    assert ids(failed) == ["booking_failed"]
    assert RequestCallback("schedule_new_client") in failed.actions
    assert failed.state.result is CallResult.CALLBACK_REQUESTED


def test_crisis_while_slots_are_offered_pre_empts_booking_for_good() -> None:
    """Crisis words during the offers get the crisis line; a later pick books nothing."""
    words = "I don't want to be alive anymore"
    ctx = context([*TABLE, YES], routes={words: Route.CRISIS})
    last = run(ctx, [*FULL_INTAKE, "yes", "yes"])[-1]
    turn = resume(last, Found(OFFERS), context=ctx)
    crisis = step(turn.state, said(words), context=ctx)
    assert ids(crisis) == ["crisis"]
    after = step(crisis.state, said("the first one"), context=ctx)
    later = step(after.state, said("yes"), context=ctx)
    assert after.scheduling is None
    assert later.scheduling is None
    assert later.state.phase is Phase.CRISIS_CLOSED


def test_a_pick_is_read_by_position_weekday_time_or_name() -> None:
    """Picks: "second", "last", a weekday, "the 7 pm", nothing recognisable gives None."""
    ctx = context()
    tuesday = OFFERS[0].slot.start.astimezone(ctx.practice.zone).strftime("%A")
    assert pick_offer(OFFERS, heard("the second one"), ctx) == OFFERS[1]
    assert pick_offer(OFFERS, heard("the last one please"), ctx) == OFFERS[2]
    assert pick_offer(OFFERS, heard(f"{tuesday} works"), ctx) == OFFERS[0]
    assert pick_offer(OFFERS, heard("the 7 pm"), ctx) == OFFERS[2]
    assert pick_offer(OFFERS, heard("Jo Park at 7"), ctx) == OFFERS[2]
    assert pick_offer(OFFERS, heard("hmm let me think"), ctx) is None


def test_a_named_weekday_and_time_becomes_the_next_such_moment() -> None:
    """ "Thursday morning" on a Tuesday is this Thursday at the window's start, local time."""
    ctx = context()
    window = AvailabilityWindow(
        "thursday morning", frozenset({Weekday.THURSDAY}), None, start=time(8)
    )
    wanted = named_time((window,), now=NOW, context=ctx)
    assert wanted is not None
    assert (wanted.date(), wanted.hour) == (date(2026, 3, 5), 8)
    assert named_time((), now=NOW, context=ctx) is None


# --- existing clients -----------------------------------------------------------------------

MOVE = heard("I need to reschedule my appointment", intent=Intent.RESCHEDULE)
CANCEL = heard("I need to cancel my appointment", intent=Intent.CANCEL)
BORN = heard("April 12th 1985", date_of_birth=date(1985, 4, 12))
HELD = replace(offer(0), appointment_id="appt-9")


def asked_dob(first: Understanding) -> tuple[Turn, EngineContext]:
    ctx = context([first, YES, NO, BORN])
    turns = run(ctx, [first.text, "Maria Gomez", "yes", "yes"])
    return turns[-1], ctx


def test_a_date_of_birth_asks_the_services_to_verify_name_and_date() -> None:
    """The date of birth becomes a Verify step with the name given; nothing is read yet."""
    turn, ctx = asked_dob(MOVE)
    verify = step(turn.state, said(BORN.text), context=ctx)
    assert verify.scheduling == Verify("Maria Gomez", date(1985, 4, 12))
    assert verify.says == ()


def test_an_unverified_caller_hears_the_neutral_line_and_nothing_else() -> None:
    """NotVerified: only the neutral line, a callback task, and no appointment detail."""
    turn, ctx = asked_dob(MOVE)
    verify = step(turn.state, said(BORN.text), context=ctx)
    done = resume(verify, NotVerified(), context=ctx)
    assert ids(done) == ["verify_failed"]
    assert all(not dict(s.values) for s in done.says)
    assert RequestCallback("reschedule") in done.actions
    assert done.state.booking is not None
    assert done.state.booking.held == ()


def test_a_verified_cancel_reads_the_appointment_takes_the_reason_and_cancels() -> None:
    """Verified: the appointment is read, the reason asked, the cancel read back; yes cancels."""
    turn, ctx = asked_dob(CANCEL)
    verify = step(turn.state, said(BORN.text), context=ctx)
    read = resume(verify, Verified("client-1", (HELD,)), context=ctx)
    assert ids(read) == ["read_appointment", "ask_cancel_reason"]
    reason = step(read.state, said("my schedule changed"), context=ctx)
    assert ids(reason) == ["confirm_cancel"]
    assert reason.scheduling is None
    confirmed = step(reason.state, said("yes"), context=ctx)
    assert confirmed.scheduling == Cancel("appt-9", "client-1", "my schedule changed")
    late = resume(confirmed, Cancelled(late=True), context=ctx)
    assert ids(late) == ["cancelled_late"]
    assert late.state.result is CallResult.CANCELLED


def test_a_verified_reschedule_confirms_the_new_time_before_moving() -> None:
    """A reschedule offers times for the appointment's kind and moves it only after yes."""
    turn, ctx = asked_dob(MOVE)
    verify = step(turn.state, said(BORN.text), context=ctx)
    read = resume(verify, Verified("client-1", (HELD,)), context=ctx)
    reason = step(read.state, said("a work trip"), context=ctx)
    assert isinstance(reason.scheduling, FindOpenings)
    assert reason.scheduling.client_id == "client-1"
    offers = resume(reason, Found(OFFERS[1:]), context=ctx)
    confirm = step(offers.state, said("the first one"), context=ctx)
    assert ids(confirm) == ["confirm_reschedule_video"]
    yes = step(confirm.state, said("yes"), context=ctx)
    assert yes.scheduling == Reschedule("appt-9", "client-1", OFFERS[1].slot, "a work trip")
    moved = resume(yes, Booked("appt-10"), context=ctx)
    assert moved.state.result is CallResult.RESCHEDULED


def test_booking_state_survives_the_json_round_trip() -> None:
    """A call paused mid-offer is stored and loaded with its offers, pick and client intact."""
    booking = Booking(
        stage=Stage.CONFIRMING,
        offers=OFFERS,
        shown=frozenset({"a", "b"}),
        chosen=OFFERS[1],
        date_of_birth=date(1985, 4, 12),
        client_id="client-1",
        held=(HELD,),
        target=HELD,
        reason="a trip",
    )
    state = CallState(phase=Phase.BOOKING, booking=booking)
    assert CallState.from_dict(state.to_dict()) == state
