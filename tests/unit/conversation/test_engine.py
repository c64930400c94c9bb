"""The call engine, turn by turn, with table-driven fakes of the screen and understanding."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from tests.unit.conversation.engine_fakes import (
    NOW,
    FakeScreen,
    FakeUnderstanding,
    context,
    hang_up,
    heard,
    ids,
    practice,
    run,
    said,
)

from frontdesk.conversation.engine import EngineContext, step
from frontdesk.conversation.events import CallerPressed
from frontdesk.conversation.state import CallState, Phase
from frontdesk.conversation.turn import (
    CaptureInquiry,
    FindOpenings,
    Handoff,
    HangUp,
    PageStaff,
    RequestCallback,
    TakeMessage,
    Transfer,
    TransferTarget,
)
from frontdesk.conversation.understanding import understand
from frontdesk.conversation.understanding.result import (
    Request,
    Slot,
    Topic,
    Understanding,
    Vocabulary,
)
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.inquiries import ForWhom, Intake, Modality, Payment, ReminderPreference
from frontdesk.domain.practice import Service, ServiceKind

NEW_CHILD = heard(
    "I need a therapist for my son, he's 12",
    intent=Intent.NEW_CLIENT,
    for_whom=ForWhom.CHILD,
    client_age=12,
)
CONCERN = heard("he's been anxious at school", concern="he's been anxious at school")
ILLINOIS = heard("Illinois", state="IL")
VIDEO = heard("video please", modality=Modality.TELEHEALTH)
YES = heard("yes", affirm=True)
NO = heard("no", affirm=False)
AETNA = heard("Aetna", payer="aetna")
EVENINGS = heard("weekday evenings")
TEXTS = heard("text", reminder_preference=ReminderPreference.SMS)
NAME = heard("Leo Park", client_name="Leo Park")
TABLE = [NEW_CHILD, NAME, CONCERN, ILLINOIS, VIDEO, YES, NO, AETNA, EVENINGS, TEXTS]
NAMED = [NEW_CHILD.text, NAME.text, "yes"]
"""The first sentence, then the client's name and "yes" to its read-back."""
FULL_INTAKE = [*NAMED, *(u.text for u in (CONCERN, ILLINOIS, VIDEO, YES, AETNA, EVENINGS, TEXTS))]


def test_greeting_says_it_is_an_automated_assistant() -> None:
    """The first words of every call say the caller is talking to an automated assistant."""
    ctx = context()
    greeting = run(ctx, [])[0]
    text = ctx.practice.scripts.render(greeting.says[0])
    assert "automated assistant" in text
    assert "911" in text


def test_after_hours_greeting_says_the_office_is_closed() -> None:
    """A call outside front-desk hours is greeted with the after-hours line."""
    assert ids(run(context(), [], after_hours=True)[0]) == ["greeting_after_hours"]


def test_full_intake_goes_on_to_find_a_first_session_carrying_everything() -> None:
    """A complete new-client intake asks the services for first-session openings."""
    turns = run(context(TABLE), [*FULL_INTAKE, "yes", "yes"])
    last = turns[-1]
    intake = last.state.intake
    assert last.scheduling == FindOpenings(ServiceKind.FIRST_SESSION)
    assert last.state.phase is Phase.BOOKING
    assert HangUp() not in last.actions
    assert (intake.for_whom, intake.client_age, intake.state) == (ForWhom.CHILD, 12, "IL")
    assert (intake.modality, intake.payment, intake.payer) == (
        Modality.TELEHEALTH,
        Payment.INSURANCE,
        "aetna",
    )
    assert intake.callback_number == "+15555550123"
    assert intake.callback_confirmed
    assert intake.consent_to_text is True
    assert intake.concern == "he's been anxious at school"
    assert intake.telehealth_constraints is not None
    assert intake.telehealth_constraints.private_space is True


def test_several_slots_in_one_sentence_are_never_asked_again() -> None:
    """Who the care is for and the age, said at once, skip straight to the next question."""
    ctx = context(TABLE)
    turns = run(ctx, FULL_INTAKE)
    assert ids(turns[1]) == ["intake_start", "ask_new_client_name"]
    assert ids(turns[3]) == ["ask_concern"]
    understand = ctx.understand
    assert isinstance(understand, FakeUnderstanding)
    assert Slot.FOR_WHOM not in understand.expected
    assert Slot.CLIENT_AGE not in understand.expected


def test_a_correction_replaces_the_earlier_value() -> None:
    """ "Actually, Wisconsin" replaces the state said before."""
    fix = heard("actually she'll be in Wisconsin", state="WI", correction=True)
    turns = run(context([*TABLE, fix]), [*NAMED, CONCERN.text, ILLINOIS.text, fix.text])
    assert turns[-1].state.intake.state == "WI"


def test_crisis_pre_empts_the_greeting_with_the_whole_wording() -> None:
    """Crisis language at the first turn gets the 988 wording, an urgent hand-off and a page."""
    words = "I don't want to be alive anymore"
    ctx = context(routes={words: Route.CRISIS})
    turn = run(ctx, [words])[-1]
    assert ids(turn) == ["crisis"]
    handoff = next(a for a in turn.actions if isinstance(a, Handoff))
    assert (handoff.category, handoff.urgency, handoff.quote) == (
        HandoffCategory.CRISIS,
        Urgency.URGENT,
        words,
    )
    assert PageStaff("crisis") in turn.actions
    assert turn.state.phase is Phase.CRISIS_CLOSED
    assert turn.route is Route.CRISIS
    rendered = ctx.practice.scripts.render(turn.says[0])
    for resource in ("911", "988", "988lifeline.org", "press 1"):
        assert resource in rendered


def test_after_a_crisis_the_call_never_returns_to_booking() -> None:
    """Once the crisis wording is given, a booking request hears that a team member will
    call about scheduling, and anything else hears the resources again."""
    words = "I have been thinking about killing myself"
    ctx = context(TABLE, routes={words: Route.CRISIS})
    turns = run(ctx, [NEW_CHILD.text, words, NEW_CHILD.text, CONCERN.text, None])
    assert [ids(t) for t in turns[3:]] == [
        ["crisis_booking_later"],
        ["crisis_repeat"],
        ["crisis_repeat"],
    ]
    assert all(not any(isinstance(a, Handoff) for a in t.actions) for t in turns[3:])
    assert not any(t.scheduling for t in turns[3:])
    assert turns[-1].state.result is CallResult.CRISIS_DIRECTED


def test_emergency_mid_intake_transfers_to_on_call_and_keeps_the_intake() -> None:
    """An emergency in the middle of intake gets 911 wording, a page, the on-call line."""
    words = "he took a whole bottle of pills just now"
    ctx = context(TABLE, routes={words: Route.EMERGENCY})
    turn = run(ctx, [*NAMED, CONCERN.text, words])[-1]
    assert ids(turn) == ["emergency_connecting"]
    assert Transfer(TransferTarget.ON_CALL) in turn.actions
    assert CaptureInquiry() in turn.actions
    assert turn.state.intake.client_age == 12
    assert turn.state.result is CallResult.EMERGENCY_DIRECTED


def test_emergency_after_crisis_still_escalates() -> None:
    """A crisis call that turns into an emergency gets the emergency wording too."""
    crisis, emergency = "I want to die", "I have the gun in my hand right now"
    ctx = context(routes={crisis: Route.CRISIS, emergency: Route.EMERGENCY})
    turns = run(ctx, [crisis, emergency])
    assert ids(turns[-1]) == ["emergency_connecting"]
    assert turns[-1].state.route is Route.EMERGENCY


def test_clinical_question_at_the_start_is_handed_off_with_a_callback() -> None:
    """A medication question gets the clinician wording, a clinical hand-off and a callback."""
    words = "can I stop taking my sertraline"
    ctx = context(TABLE, routes={words: Route.CLINICAL})
    turns = run(ctx, [words, "yes"])
    assert ids(turns[1]) == ["handoff_clinical", "ask_callback_known"]
    handoff = next(a for a in turns[1].actions if isinstance(a, Handoff))
    assert handoff.category is HandoffCategory.CLINICAL
    assert ids(turns[2]) == ["handoff_close"]
    assert turns[2].state.result is CallResult.HANDED_OFF


def test_clinical_question_mid_intake_resumes_the_intake() -> None:
    """Mid-intake, a clinical question gets the hand-off wording and the question reworded."""
    words = "does the doctor prescribe medication"
    ctx = context(TABLE, routes={words: Route.CLINICAL})
    turn = run(ctx, [*NAMED, CONCERN.text, words])[-1]
    assert ids(turn) == ["handoff_clinical", "resume_intake", "ask_state_reworded"]
    assert turn.state.phase is Phase.INTAKE


def test_sensitive_language_continues_with_a_same_day_review() -> None:
    """Negated or historical risk language continues the call and flags same-day review."""
    words = "I'm not suicidal, just very stressed"
    u = heard(words, concern="very stressed")
    ctx = context([*TABLE, u], routes={words: Route.SENSITIVE})
    turn = run(ctx, [*NAMED, words])[-1]
    assert ids(turn) == ["sensitive_ack", "ask_state"]
    handoff = next(a for a in turn.actions if isinstance(a, Handoff))
    assert (handoff.category, handoff.urgency) == (HandoffCategory.CLINICAL, Urgency.SAME_DAY)
    assert turn.state.route is Route.SENSITIVE


def test_question_mid_intake_is_answered_and_the_intake_resumes() -> None:
    """ "Which insurance do you take?" mid-intake is answered from the practice file."""
    q = heard("which insurances do you take", topics=[Topic.INSURANCE])
    ctx = context([*TABLE, q])
    turn = run(ctx, [*NAMED, CONCERN.text, q.text])[-1]
    assert ids(turn) == ["answer_insurance_list", "resume_intake", "ask_state_reworded"]
    text = ctx.practice.scripts.render(turn.says[0])
    assert "Aetna" in text
    assert "UnitedHealthcare" in text


def test_question_at_greeting_is_answered_and_the_call_ends_politely() -> None:
    """A fee question is answered; "no, that's all" ends the call with information given."""
    q = heard("how much does a session cost", intent=Intent.FEE_QUESTION)
    turns = run(context([q, NO]), [q.text, "no"])
    assert ids(turns[1]) == ["answer_consult_free", "answer_fees", "anything_else"]
    assert ids(turns[2]) == ["goodbye"]
    assert turns[2].state.result is CallResult.INFO_PROVIDED
    assert turns[2].state.intent is Intent.FEE_QUESTION


def test_repeat_that_says_the_last_lines_again() -> None:
    """ "Can you repeat that?" replays exactly what was said last."""
    again = heard("sorry can you repeat that", requests=[Request.REPEAT])
    turns = run(context([*TABLE, again]), [*NAMED, again.text])
    assert turns[4].says == turns[3].says
    assert turns[4].state.asking is Slot.CONCERN


def test_silence_reprompts_twice_then_offers_a_message() -> None:
    """Silence hears the question in other words, then the next one; the third silence in
    a row offers to take a message. No question is said a third time."""
    turns = run(context(TABLE), [*NAMED, CONCERN.text, None, None, None])
    assert ids(turns[5]) == ["reprompt_silence", "ask_state_reworded"]
    assert ids(turns[6]) == ["dont_know_ok", "ask_modality"]
    assert turns[6].state.skipped == (Slot.STATE,)
    assert ids(turns[7]) == ["offer_message"]
    assert turns[7].state.phase is Phase.MESSAGE


def test_no_match_reprompts_with_its_own_line() -> None:
    """An answer that fills nothing gets "I didn't catch that" and the question reworded."""
    turn = run(context(TABLE), [*NAMED, CONCERN.text, "purple"])[-1]
    assert ids(turn) == ["reprompt_no_match", "ask_state_reworded"]


def test_low_confidence_values_are_read_back_before_they_are_kept() -> None:
    """A state heard with low confidence is read back; yes keeps it."""
    ctx = context(TABLE)
    turns = run(ctx, [*NAMED, CONCERN.text, said("Illinois", confidence=0.3), "yes"])
    assert ids(turns[5]) == ["readback_value"]
    assert turns[5].state.intake.state is None
    assert ctx.practice.scripts.render(turns[5].says[0]) == "I heard IL. Is that right?"
    assert turns[6].state.intake.state == "IL"
    assert ids(turns[6]) == ["ask_modality"]


def test_a_rejected_read_back_asks_again() -> None:
    """ "No" to a read-back drops the value and asks the question again, reworded."""
    turns = run(context(TABLE), [*NAMED, CONCERN.text, said("Illinois", 0.3), "no"])
    assert turns[-1].state.intake.state is None
    assert ids(turns[-1]) == ["ask_state_reworded"]


def _to_callback(ctx_table: list[object] | None = None) -> list[str]:
    return FULL_INTAKE


def test_a_new_callback_number_is_read_back_digit_by_digit() -> None:
    """Declining the calling number, then giving another, reads the new one back in digits."""
    number = heard("it's 312 555 0199", callback_number="+13125550199")
    ctx = context([*TABLE, number])
    turns = run(ctx, [*FULL_INTAKE, "no", number.text, "yes"])
    assert ids(turns[-3]) == ["ask_callback_number"]
    assert ids(turns[-2]) == ["readback_number"]
    assert (
        ctx.practice.scripts.render(turns[-2].says[0])
        == "I have 3 1 2, 5 5 5, 0 1 9 9. Is that right?"
    )
    assert turns[-1].state.intake.callback_number == "+13125550199"
    assert turns[-1].state.intake.callback_confirmed


def test_no_with_a_new_number_replaces_the_number_being_read_back() -> None:
    """ "No, it's …" during a read-back replaces the number and reads the new one back."""
    first = heard("312 555 0199", callback_number="+13125550199")
    fix = heard("no it's 312 555 0188", callback_number="+13125550188", affirm=False)
    turns = run(context([*TABLE, first, fix]), [*FULL_INTAKE, "no", first.text, fix.text])
    assert ids(turns[-1]) == ["readback_number"]
    assert turns[-1].state.pending is not None
    assert turns[-1].state.pending.callback_number == "+13125550188"


def test_keypad_digits_give_the_callback_number() -> None:
    """A number typed on the keypad is taken as the callback number and read back."""
    ctx = context(TABLE)
    turns = run(ctx, [*FULL_INTAKE, "no", CallerPressed(NOW, "3125550177")])
    assert turns[-1].state.pending is not None
    assert turns[-1].state.pending.callback_number == "+13125550177"


def keys_understood(ctx: EngineContext) -> EngineContext:
    """`ctx` with key presses read by the real understanding (words still by the table)."""
    table = ctx.understand

    def understand_(
        text: str,
        *,
        vocabulary: Vocabulary,
        now: datetime,
        expecting: Slot | None,
        digits: str | None,
    ) -> Understanding:
        if digits is not None:
            return understand(
                text, vocabulary=vocabulary, now=now, expecting=expecting, digits=digits
            )
        return table(text, vocabulary=vocabulary, now=now, expecting=expecting, digits=digits)

    return replace(ctx, understand=understand_)


def test_keypad_1_at_the_number_read_back_keeps_the_number() -> None:
    """Pressing 1 when a typed number is read back confirms it; the number is kept."""
    ctx = keys_understood(context(TABLE))
    typed = run(ctx, [*FULL_INTAKE, "no", CallerPressed(NOW, "3125550177")])[-1]
    assert ids(typed) == ["readback_number"]
    confirmed = step(typed.state, CallerPressed(NOW, "1"), context=ctx)
    assert confirmed.state.intake.callback_number == "+13125550177"
    assert confirmed.state.intake.callback_confirmed
    assert ids(confirmed) == ["ask_consent_to_text"]


def test_keypad_2_at_the_number_read_back_asks_for_it_again() -> None:
    """Pressing 2 at the read-back declines the number: it is asked again, not misread."""
    ctx = keys_understood(context(TABLE))
    typed = run(ctx, [*FULL_INTAKE, "no", CallerPressed(NOW, "3125550177")])[-1]
    declined = step(typed.state, CallerPressed(NOW, "2"), context=ctx)
    assert ids(declined) == ["ask_callback_number_reworded"]  # its second asking
    assert declined.state.intake.callback_number is None


def test_hang_up_mid_intake_keeps_the_inquiry_and_opens_a_callback() -> None:
    """Hanging up halfway keeps the partial intake and asks staff to call back."""
    turn = run(context(TABLE), [*NAMED, CONCERN.text, hang_up()])[-1]
    assert CaptureInquiry() in turn.actions
    assert RequestCallback("hung_up_mid_call") in turn.actions
    assert turn.state.result is CallResult.ABANDONED
    assert turn.state.intake.client_age == 12


def test_speak_to_a_person_during_hours_transfers_to_the_front_desk() -> None:
    """Asking for a person while the desk is open transfers with a hand-off for context."""
    ask = heard("can I talk to a real person", intent=Intent.SPEAK_TO_PERSON)
    turn = run(context([ask]), [ask.text])[-1]
    assert ids(turn) == ["transfer_front_desk"]
    assert Transfer(TransferTarget.FRONT_DESK) in turn.actions
    assert turn.state.result is CallResult.HANDED_OFF


def test_speak_to_a_person_after_hours_arranges_a_callback() -> None:
    """After hours, asking for a person takes a callback number instead."""
    ask = heard("operator", requests=[Request.SPEAK_TO_PERSON])
    turns = run(context([ask, YES]), [ask.text, "yes"], after_hours=True)
    assert ids(turns[1]) == ["person_unavailable", "ask_callback_known"]
    assert RequestCallback("asked_for_person", Urgency.SAME_DAY) in turns[2].actions
    assert turns[2].state.result is CallResult.CALLBACK_REQUESTED


def test_a_message_is_taken_in_the_callers_words() -> None:
    """ "Leave a message" asks for it, keeps the words, confirms the number, then closes."""
    leave = heard("I'd like to leave a message", intent=Intent.MESSAGE)
    body = "Please tell Ana that Sam will be late on Tuesday"
    turns = run(context([leave, YES]), [leave.text, body, "yes"])
    assert ids(turns[1]) == ["ask_message"]
    assert ids(turns[2]) == ["ask_callback_known"]
    assert TakeMessage(body) in turns[3].actions
    assert turns[3].state.result is CallResult.MESSAGE_TAKEN


def test_existing_client_reschedule_asks_the_date_of_birth_before_any_detail() -> None:
    """An existing client's reschedule captures name (read back) and number, then asks the
    date of birth."""
    move = heard("I need to reschedule my appointment", intent=Intent.RESCHEDULE)
    turns = run(context([move, YES]), [move.text, "Jamie Rivera", "yes", "yes"])
    assert ids(turns[1]) == ["existing_start", "ask_client_name"]
    assert ids(turns[2]) == ["readback_name"]
    assert turns[3].state.intake.client_name == "Jamie Rivera"
    assert ids(turns[4]) == ["ask_dob"]
    assert turns[4].state.phase is Phase.BOOKING
    assert not any(isinstance(a, RequestCallback) for a in turns[4].actions)


def test_an_unlisted_payer_hears_the_alternatives() -> None:
    """An insurer the practice does not take is named back with private pay and sliding scale."""
    other = heard("I have Kaiser", payer_unlisted="Kaiser")
    private = heard("private pay is fine", payment=Payment.PRIVATE_PAY)
    ctx = context([*TABLE, other, private])
    steps = [
        *NAMED,
        CONCERN.text,
        ILLINOIS.text,
        VIDEO.text,
        "yes",
        other.text,
        private.text,
    ]
    turns = run(ctx, steps)
    assert ids(turns[-2]) == [
        "payer_not_accepted",
        "payer_alternatives",
        "answer_fees",
        "sliding_scale_available",
        "ask_payment_again",
    ]
    assert turns[-1].state.intake.payment is Payment.PRIVATE_PAY
    assert turns[-1].state.intake.out_of_network_payer == "Kaiser"
    assert ids(turns[-1]) == ["ask_availability"]


def test_an_unlisted_payer_with_a_cost_question_hears_the_fees_once() -> None:
    """ "I have Kaiser, what would I pay per session?": the fees answer the question and
    belong to the out-of-network answer too; they are said once."""
    other = heard(
        "I have Kaiser, what would I pay per session?",
        payer_unlisted="Kaiser",
        intent=Intent.FEE_QUESTION,
        topics=(Topic.FEES,),
    )
    ctx = context([*TABLE, other])
    steps = [*NAMED, CONCERN.text, ILLINOIS.text, VIDEO.text, "yes", other.text]
    spoken = ids(run(ctx, steps)[-1])
    assert spoken.count("answer_fees") == 1
    assert "payer_not_accepted" in spoken
    assert "payer_alternatives" in spoken


def test_an_unlisted_payer_is_kept_out_of_network_with_the_callers_words() -> None:
    """ "I have insurance, Kaiser" and no other way to pay: the intake keeps the insurer as
    out of network, citing the words, with no payment and no practice payer, so nothing is
    matched or booked as in network; a payer the practice takes, said after, replaces it."""
    other = heard("insurance, Kaiser", payment=Payment.INSURANCE, payer_unlisted="Kaiser")
    ctx = context([*TABLE, other])
    steps = [*NAMED, CONCERN.text, ILLINOIS.text, VIDEO.text, "yes", other.text]
    turns = run(ctx, steps)
    state = turns[-1].state
    assert state.intake.out_of_network_payer == "Kaiser"
    assert state.intake.payment is None
    assert state.intake.payer is None
    cited = {e.field: e for e in state.evidence}
    assert cited["out_of_network_payer"].text == "insurance, Kaiser"
    assert ids(turns[-1])[:2] == ["payer_not_accepted", "payer_alternatives"]
    turns = run(ctx, [*steps, AETNA.text])
    state = turns[-1].state
    assert state.intake.payer == "aetna"
    assert state.intake.payment is Payment.INSURANCE
    assert state.intake.out_of_network_payer is None


def test_a_service_not_offered_by_video_is_said_from_the_practice_file() -> None:
    """When the first session is in person only, a video request hears so and is asked again."""
    base = practice()
    services = tuple(
        replace(s, telehealth=False) if s.kind is ServiceKind.FIRST_SESSION else s
        for s in base.services
    )
    ctx = context(TABLE, practice_=replace(base, services=services))
    turns = run(ctx, [*NAMED, CONCERN.text, ILLINOIS.text, VIDEO.text, "yes"])
    assert ids(turns[-2]) == ["telehealth_not_offered", "ask_modality_again"]
    assert turns[-1].state.intake.modality is Modality.IN_PERSON


def test_a_state_without_licensed_clinicians_is_said() -> None:
    """A client located where no clinician is licensed hears the licensed states."""
    texas = heard("Texas", state="TX")
    ctx = context([*TABLE, texas])
    turn = run(ctx, [*NAMED, CONCERN.text, texas.text])[-1]
    assert ids(turn) == ["state_not_covered", "ask_modality"]
    assert "IL, IN, MN and WI" in ctx.practice.scripts.render(turn.says[0])


def test_the_screen_reads_every_utterance_first_even_a_message() -> None:
    """Crisis words inside a message body pre-empt the message flow."""
    leave = heard("leave a message", intent=Intent.MESSAGE)
    words = "tell them I'm going to hurt myself tonight"
    ctx = context([leave], routes={words: Route.CRISIS})
    turn = run(ctx, [leave.text, words])[-1]
    assert ids(turn) == ["crisis"]
    screen = ctx.screen
    assert isinstance(screen, FakeScreen)
    assert screen.screened == [leave.text, words]


def test_a_free_consult_request_looks_for_consult_openings() -> None:
    """A consult request runs the intake and then asks for consult openings."""
    consult = heard(
        "I'd like to book a free consultation for myself, I'm 34",
        intent=Intent.CONSULT,
        for_whom=ForWhom.SELF,
        client_age=34,
    )
    ctx = context([*TABLE, consult])
    turns = run(ctx, [consult.text, *FULL_INTAKE[1:], "yes", "yes"])
    assert turns[-1].scheduling == FindOpenings(ServiceKind.CONSULT)


def test_events_after_the_call_ended_do_nothing() -> None:
    """Once ended, a call ignores further events."""
    turns = run(context(TABLE), [hang_up()])
    after = step(turns[-1].state, said("hello"), context=context(TABLE))
    assert (after.says, after.actions) == ((), ())


def test_fees_with_a_paid_consult_name_the_fee() -> None:
    """A practice charging for consults answers with the consult fee."""
    base = practice()
    services = (
        Service(ServiceKind.CONSULT, "Consultation", 20, Decimal("40.50")),
        *base.services[1:],
    )
    q = heard("what are your fees", topics=[Topic.FEES])
    ctx = context([q], practice_=replace(base, services=services))
    turn = run(ctx, [q.text])[-1]
    assert ctx.practice.scripts.render(turn.says[0]) == "A 20-minute consultation is $40.50."


def test_the_turn_names_the_safety_rules_and_categories_that_fired() -> None:
    """A crisis turn carries the rule ids and categories of the verdict, for audit."""
    words = "I want to end it all"
    turn = run(context(routes={words: Route.CRISIS}), [words])[-1]
    assert turn.rules == ("test.crisis",)
    assert turn.categories == ("crisis words",)


def test_crisis_in_the_first_sentence_records_why_they_called() -> None:
    """A crisis at the greeting still records the call's intent, and the 988 wording comes first."""
    words = "I want to book therapy for my son, he says he wants to kill himself"
    booking = heard(words, intent=Intent.NEW_CLIENT)
    turn = run(context([booking], routes={words: Route.CRISIS}), [words])[-1]
    assert ids(turn) == ["crisis"]
    assert (turn.intent, turn.state.intent) == (Intent.NEW_CLIENT, Intent.NEW_CLIENT)
    assert turn.state.phase is Phase.CRISIS_CLOSED


def test_crisis_without_a_purpose_records_other_as_the_intent() -> None:
    """Crisis words that name no purpose leave the call's intent as "other", never empty."""
    words = "I don't want to be alive anymore"
    turn = run(context(routes={words: Route.CRISIS}), [words])[-1]
    assert turn.state.intent is Intent.OTHER


def test_a_failing_understanding_never_holds_back_the_emergency_wording() -> None:
    """If understanding fails on an emergency utterance, the 911 wording is still spoken."""
    words = "he has a gun and he is going to use it now"

    def broken(
        text: str,
        *,
        vocabulary: Vocabulary,
        now: datetime,
        expecting: Slot | None,
        digits: str | None,
    ) -> Understanding:
        raise RuntimeError("understanding failed")

    ctx = replace(context(routes={words: Route.EMERGENCY}), understand=broken)
    turn = run(ctx, [words])[-1]
    assert ids(turn) == ["emergency_connecting"]
    assert turn.state.intent is Intent.OTHER


EMAILS = heard("email", reminder_preference=ReminderPreference.EMAIL)
ADDRESS = heard("sam dot rivera at example dot com", email="sam.rivera@example.com")
BY_EMAIL = [*FULL_INTAKE[:-1], EMAILS.text]


def test_email_reminders_ask_for_the_address_and_read_it_back() -> None:
    """Reminders by e-mail ask for the address, read it back spoken, and keep it on yes."""
    turns = run(context([*TABLE, EMAILS, ADDRESS]), [*BY_EMAIL, ADDRESS.text, "yes"])
    assert ids(turns[-3]) == ["ask_email"]
    assert ids(turns[-2]) == ["readback_email"]
    assert dict(turns[-2].says[0].values)["email"] == "sam dot rivera at example dot com"
    assert turns[-2].state.intake.email is None
    assert turns[-1].state.intake.email == "sam.rivera@example.com"
    assert ids(turns[-1]) == ["ask_callback_known"]


def test_a_wrong_email_read_back_is_asked_again() -> None:
    """A no to the e-mail read-back asks for the address again and keeps nothing."""
    turns = run(context([*TABLE, EMAILS, ADDRESS]), [*BY_EMAIL, ADDRESS.text, "no"])
    assert ids(turns[-1]) == ["ask_email_reworded"]
    assert turns[-1].state.intake.email is None


def test_an_address_not_understood_twice_is_left_for_staff() -> None:
    """An address not understood after one reprompt is settled, and the intake moves on."""
    turns = run(context([*TABLE, EMAILS]), [*BY_EMAIL, "it's my name at my work", "still it"])
    assert ids(turns[-2]) == ["reprompt_no_match", "ask_email_reworded"]
    assert ids(turns[-1]) == ["dont_know_ok", "ask_callback_known"]
    assert turns[-1].state.intake.email is None


def test_text_reminders_never_ask_for_an_email() -> None:
    """Reminders by text go on to the callback number without an e-mail question."""
    turns = run(context(TABLE), FULL_INTAKE)
    assert all("ask_email" not in ids(t) for t in turns)


def test_a_long_free_text_answer_with_a_wait_word_is_the_answer() -> None:
    """ "add a second weekly session" answers the existing client's question, not "hold on"."""
    start = heard("I'm a current client", intent=Intent.EXISTING_CLIENT)
    name = heard("Jordan Lee")
    need = heard("I want to add a second weekly session", requests=[Request.WAIT])
    ctx = context([start, name, YES, need])
    turns = run(ctx, [start.text, name.text, "yes", "yes", need.text])
    assert ids(turns[-1]) == ["close_callback_existing"]
    assert turns[-1].state.message == need.text


def test_a_short_wait_request_still_gets_time() -> None:
    """ "One second" while a free-text answer is awaited is a request to wait."""
    start = heard("I'm a current client", intent=Intent.EXISTING_CLIENT)
    wait = heard("one second", requests=[Request.WAIT])
    turns = run(context([start, wait]), [start.text, wait.text])
    assert ids(turns[-1]) == ["take_your_time"]


def test_a_caller_speaking_spanish_hears_the_spanish_line_and_gets_a_callback() -> None:
    """Spanish is recognised at any point: the approved Spanish line, a callback noting it."""
    spanish = replace(heard("Hola, necesito una cita para mi hijo"), language="es")
    ctx = context([*TABLE, spanish])
    turn = run(ctx, [NEW_CHILD.text, spanish.text])[-1]
    assert ids(turn) == ["language_callback_es"]
    assert RequestCallback("callback_in_spanish") in turn.actions
    assert turn.state.phase is Phase.ENDED
    assert turn.state.result is CallResult.CALLBACK_REQUESTED


def test_a_yes_at_a_name_read_back_is_read_as_the_read_backs_not_the_pending_questions() -> None:
    """A name given while the video set-up question is pending is read back; the yes is
    understood as the read-back's answer, so it answers nothing about the set-up."""
    ctx = context()
    pending = Intake(for_whom=ForWhom.SELF, client_name="Avery Kim")
    state = CallState(
        phase=Phase.CONFIRMING,
        after_confirm=Phase.INTAKE,
        asking=Slot.TELEHEALTH_PRIVATE_SPACE,
        intent=Intent.NEW_CLIENT,
        intake=Intake(for_whom=ForWhom.SELF, modality=Modality.TELEHEALTH),
        pending=pending.merged(modality=Modality.TELEHEALTH),
    )
    step(state, said("yes please"), context=ctx)
    assert ctx.understand.expected == [Slot.CONFIRMATION]  # type: ignore[attr-defined]
