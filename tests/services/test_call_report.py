"""The staff summary: who called, for whom, why, the route, the caller's words, everything."""

from __future__ import annotations

from tests.unit.conversation.engine_fakes import practice

from frontdesk.conversation.state import CallState, Evidence, Heard
from frontdesk.conversation.understanding.result import Slot
from frontdesk.domain.calls import Intent, Route
from frontdesk.domain.inquiries import ForWhom, Intake, Payment
from frontdesk.services.call_report import summary


def test_the_summary_carries_everything_captured_and_the_callers_words() -> None:
    """A crisis summary names the route, quotes the words and lists the intake so far."""
    state = CallState(
        intent=Intent.NEW_CLIENT,
        caller_number="+15555550123",
        intake=Intake(
            for_whom=ForWhom.CHILD,
            client_age=14,
            state="WI",
            payment=Payment.INSURANCE,
            payer="bcbs",
            concern="panic attacks",
        ),
        payer_unlisted=None,
    )
    text = summary(state, practice(), reason="crisis_language", route=Route.CRISIS, quote="help")
    for fact in (
        "Reason: crisis language.",
        "Route: crisis.",
        "Caller: +15555550123.",
        "Calling about: new client.",
        "For: child, age 14.",
        'Caller\'s words: "help".',
        'Concern, in the caller\'s words: "panic attacks".',
        "Client located in: WI.",
        "Payment: insurance (Blue Cross Blue Shield).",
    ):
        assert fact in text


def test_an_empty_call_summary_says_only_what_is_known() -> None:
    """With nothing captured, the summary says the number was withheld and guesses nothing."""
    text = summary(CallState(), practice(), reason="asked_for_person", route=Route.ROUTINE)
    assert text == "Reason: asked for person. Route: routine. Caller: number withheld."


def test_the_summary_quotes_the_evidence_and_names_skipped_questions() -> None:
    """Staff read each value's source words with its turn, and what to ask on the callback."""
    state = CallState(
        intake=Intake(state="IL"),
        evidence=(Evidence("state", 2, "I'll be in Illinois"),),
        skipped=(Slot.CONCERN,),
    )
    text = summary(state, practice(), reason="hung_up_mid_call", route=Route.ROUTINE)
    assert '"I\'ll be in Illinois" (turn 2: state)' in text
    assert "Asked twice without an answer (please ask): concern." in text


def test_the_summary_names_an_insurer_out_of_network_apart_from_payment() -> None:
    """An insurer the practice does not take is named as out of network with the caller's
    words, and never as a payment by insurance."""
    state = CallState(
        intake=Intake(payment=Payment.SLIDING_SCALE, out_of_network_payer="Ambetter"),
        evidence=(
            Evidence("out_of_network_payer", 8, "insurance, Ambetter"),
            Evidence("payment", 9, "the sliding scale"),
        ),
    )
    text = summary(state, practice(), reason="hung_up_mid_call", route=Route.ROUTINE)
    assert "Payment: sliding_scale." in text
    assert "Insurance named, not in network: Ambetter." in text
    assert '"insurance, Ambetter" (turn 8: out of network payer)' in text
    assert "insurance (" not in text


def test_the_summary_quotes_every_sentence_heard_once_in_call_order() -> None:
    """Sentences that gave no recorded value are quoted too, with their turn, beside the
    evidence; the message quoted in full above is not repeated."""
    state = CallState(
        intake=Intake(callback_number="+13125550123", callback_confirmed=True),
        evidence=(Evidence("callback_number", 4, "DIGITS: 3125550123"),),
        heard=(
            Heard(1, "I need to move my appointment on Tuesday"),
            Heard(2, "can we do Thursday instead"),
            Heard(3, "the afternoon"),
            Heard(5, "please call after 5"),
        ),
        message="please call after 5",
    )
    text = summary(state, practice(), reason="reschedule", route=Route.ROUTINE)
    assert text.endswith(
        'In the caller\'s words: "I need to move my appointment on Tuesday" (turn 1); '
        '"can we do Thursday instead" (turn 2); "the afternoon" (turn 3); '
        '"DIGITS: 3125550123" (turn 4: callback number).'
    )
    assert text.count("please call after 5") == 1
