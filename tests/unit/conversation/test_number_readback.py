"""A number or an e-mail address read back is never silently lost: without a yes it is kept,
marked unconfirmed, and said again it is read back again."""

from __future__ import annotations

from datetime import date

from tests.unit.conversation.engine_fakes import context, hang_up, heard, ids, run, said

from frontdesk.conversation.engine import step
from frontdesk.conversation.state import CallState, Evidence, Phase
from frontdesk.conversation.turn import Turn
from frontdesk.conversation.understanding.result import Request, Slot, Topic
from frontdesk.domain.calls import Intent, Route
from frontdesk.domain.inquiries import ForWhom, Intake, ReminderPreference

CALL_ME_BACK = heard(
    "please have someone call me back about fees, my number is 312 555 0199",
    intent=Intent.FEE_QUESTION,
    requests=[Request.CALLBACK],
    topics=[Topic.FEES],
    callback_number="+13125550199",
)
CRISIS = "I don't want to be alive anymore"
NO = heard("no", affirm=False)
YES = heard("yes", affirm=True)
CITED = Evidence("callback_number", 1, CALL_ME_BACK.text)


def after(*events: object, routes: dict[str, Route] | None = None) -> Turn:
    turns = run(context([CALL_ME_BACK, NO, YES], routes=routes), [CALL_ME_BACK.text, *events])  # type: ignore[list-item]
    assert ids(turns[1])[-1] == "readback_number"
    return turns[-1]


def test_a_hang_up_at_the_number_read_back_keeps_the_number_unconfirmed() -> None:
    """Hanging up while the number is read back keeps it, not confirmed, with its words."""
    turn = after(hang_up())
    intake = turn.state.intake
    assert (intake.callback_number, intake.callback_confirmed) == ("+13125550199", False)
    assert CITED in turn.state.evidence


def test_crisis_words_at_the_number_read_back_keep_the_number_unconfirmed() -> None:
    """The crisis wording pre-empts the read-back; the number is still kept for staff."""
    turn = after(CRISIS, hang_up(), routes={CRISIS: Route.CRISIS})
    intake = turn.state.intake
    assert (intake.callback_number, intake.callback_confirmed) == ("+13125550199", False)


def test_yes_at_the_number_read_back_confirms_it() -> None:
    """A yes keeps the number as confirmed."""
    intake = after(YES.text).state.intake
    assert (intake.callback_number, intake.callback_confirmed) == ("+13125550199", True)


def test_no_at_the_number_read_back_keeps_no_number() -> None:
    """A number the caller says is wrong is never kept."""
    assert after(NO.text, hang_up()).state.intake.callback_number is None


def test_a_confirmed_number_is_not_replaced_by_the_same_one_unconfirmed() -> None:
    """Giving up a read-back of the number already confirmed leaves it confirmed."""
    waiting = CallState().evolve(
        phase=Phase.CONFIRMING,
        intake=Intake(callback_number="+13125550123", callback_confirmed=True),
        pending=Intake(callback_number="+13125550123", callback_confirmed=True),
    )
    given_up = waiting.without_readback().intake
    assert (given_up.callback_number, given_up.callback_confirmed) == ("+13125550123", True)


ADDRESS = heard("it's leo dot park at example dot com", email="leo.park@example.com")
AT_EMAIL_READBACK = CallState().evolve(
    phase=Phase.CONFIRMING,
    asking=Slot.EMAIL,
    after_confirm=Phase.INTAKE,
    intent=Intent.NEW_CLIENT,
    intake=Intake(reminder_preference=ReminderPreference.EMAIL),
    pending=Intake(reminder_preference=ReminderPreference.EMAIL, email="leo.park@example.com"),
    pending_evidence=(Evidence("email", 9, ADDRESS.text),),
)


def test_a_hang_up_at_the_email_read_back_keeps_the_address_unconfirmed() -> None:
    """An address read back when the caller hangs up is kept, marked unconfirmed."""
    turn = step(AT_EMAIL_READBACK, hang_up(), context=context([ADDRESS]))
    intake = turn.state.intake
    assert (intake.email, intake.email_unconfirmed) == ("leo.park@example.com", True)
    assert Evidence("email", 9, ADDRESS.text) in turn.state.evidence


def test_an_unconfirmed_address_said_again_is_read_back_again() -> None:
    """Asked again, the same address is read back, and a yes confirms it."""
    kept = AT_EMAIL_READBACK.without_readback().evolve(phase=Phase.INTAKE, asking=Slot.EMAIL)
    ctx = context([ADDRESS, YES])
    again = step(kept, said(ADDRESS.text), context=ctx)
    assert ids(again)[-1] == "readback_email"
    intake = step(again.state, said(YES.text), context=ctx).state.intake
    assert (intake.email, intake.email_unconfirmed) == ("leo.park@example.com", False)


def test_an_unconfirmed_number_said_again_is_read_back_again() -> None:
    """The same number said again after it was left unconfirmed is read back digit by digit."""
    kept = CallState().evolve(
        phase=Phase.HANDOFF,
        asking=Slot.CALLBACK_NUMBER,
        wants_callback=True,
        intake=Intake(callback_number="+13125550199"),
    )
    number = heard("312 555 0199", callback_number="+13125550199")
    turn = step(kept, said(number.text), context=context([number]))
    assert ids(turn)[-1] == "readback_number"


def test_a_date_of_birth_offered_unasked_is_kept_with_its_words() -> None:
    """A new client's date of birth said before anything asks for it goes on the intake."""
    son = heard("I need a therapist for my son", intent=Intent.NEW_CLIENT, for_whom=ForWhom.CHILD)
    born = heard("he was born March 3rd 2014", date_of_birth=date(2014, 3, 3))
    turn = run(context([son, born]), [son.text, born.text])[-1]
    assert turn.state.intake.date_of_birth == date(2014, 3, 3)
    assert Evidence("date_of_birth", 2, born.text) in turn.state.evidence
