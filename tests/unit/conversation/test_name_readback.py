"""A client's name read back is never lost: without a yes it is kept, marked unconfirmed."""

from __future__ import annotations

from tests.unit.conversation.engine_fakes import context, hang_up, heard, ids, run

from frontdesk.conversation.state import CallState, Evidence, Phase
from frontdesk.conversation.turn import CaptureInquiry, Turn
from frontdesk.conversation.understanding.result import Request
from frontdesk.domain.calls import Intent, Route
from frontdesk.domain.inquiries import ForWhom, Intake

NEW_CHILD = heard(
    "I need a therapist for my son, he's 12",
    intent=Intent.NEW_CLIENT,
    for_whom=ForWhom.CHILD,
    client_age=12,
)
NAME = heard("Leo Park", client_name="Leo Park")
CRISIS = "I don't want to be alive anymore"
YES_AND_STATE = heard("yes, and we're in Illinois", affirm=True, state="IL")
STATE = heard("we're in Illinois", state="IL")
NO = heard("no", affirm=False)
TABLE = [NEW_CHILD, NAME, YES_AND_STATE, STATE, NO]
AT_READBACK = [NEW_CHILD.text, NAME.text]
"""The first sentence, then the client's name, which is read back."""
CITED = Evidence("client_name", 2, "Leo Park")


def after(*events: object, routes: dict[str, Route] | None = None) -> Turn:
    turns = run(context(TABLE, routes=routes), [*AT_READBACK, *events])  # type: ignore[list-item]
    assert turns[2].state.phase is Phase.CONFIRMING
    return turns[-1]


def test_a_hang_up_at_the_name_read_back_keeps_the_name_unconfirmed() -> None:
    """Hanging up when the name was read back keeps it on the inquiry, marked unconfirmed,
    citing the words it came from."""
    turn = after(hang_up())
    assert CaptureInquiry() in turn.actions
    assert turn.state.intake.client_name == "Leo Park"
    assert turn.state.intake.client_name_unconfirmed is True
    assert CITED in turn.state.evidence


def test_crisis_words_at_the_name_read_back_keep_the_name_unconfirmed() -> None:
    """The crisis wording pre-empts the read-back; the name is still kept for staff."""
    turn = after(CRISIS, routes={CRISIS: Route.CRISIS})
    assert "crisis" in ids(turn)
    assert (turn.state.intake.client_name, turn.state.intake.client_name_unconfirmed) == (
        "Leo Park",
        True,
    )


def test_silence_at_the_name_read_back_until_a_message_keeps_the_name_unconfirmed() -> None:
    """Silence at the read-back ends in the offer of a message; the name goes with it."""
    turn = after(None, None, None)
    assert ids(turn) == ["offer_message"]
    assert turn.state.intake.client_name == "Leo Park"
    assert turn.state.intake.client_name_unconfirmed is True


def test_yes_with_another_answer_confirms_the_name_and_keeps_the_answer() -> None:
    """ "Yes, and we're in Illinois" is a yes to the name and the client's state."""
    turn = after(YES_AND_STATE.text)
    intake = turn.state.intake
    assert (intake.client_name, intake.client_name_unconfirmed, intake.state) == (
        "Leo Park",
        False,
        "IL",
    )
    assert CITED in turn.state.evidence


def test_another_answer_at_the_name_read_back_keeps_the_name_unconfirmed() -> None:
    """An answer to another question instead of a yes keeps the name, unconfirmed, and the
    name is not asked again."""
    turn = after(STATE.text)
    intake = turn.state.intake
    assert (intake.client_name, intake.client_name_unconfirmed, intake.state) == (
        "Leo Park",
        True,
        "IL",
    )
    assert not {"ask_client_name", "ask_new_client_name", "readback_name"} & set(ids(turn))


def test_no_at_the_name_read_back_keeps_no_name() -> None:
    """A name the caller says is wrong is never kept."""
    turn = after(NO.text)
    assert turn.state.intake.client_name is None
    assert ids(turn) == ["ask_new_client_name_reworded"]


def test_a_name_confirmed_later_is_no_longer_marked_unconfirmed() -> None:
    """The same name read back again and confirmed loses the mark."""
    kept = CallState().evolve(
        phase=Phase.CONFIRMING,
        intake=Intake(client_name="Leo Park", client_name_unconfirmed=True),
        pending=Intake(client_name="Leo Parks"),
        pending_evidence=(Evidence("client_name", 4, "Leo Parks"),),
    )
    given_up = kept.without_readback()
    assert given_up.intake.client_name == "Leo Parks"
    assert given_up.intake.client_name_unconfirmed is True
    assert given_up.pending is None
    assert given_up.evidence == (Evidence("client_name", 4, "Leo Parks"),)


def test_a_name_a_number_and_an_address_outlive_their_read_back() -> None:
    """A number or an e-mail address read back and never confirmed is kept, marked as such."""
    waiting = CallState().evolve(
        phase=Phase.CONFIRMING,
        pending=Intake(callback_number="+13125550123", email="leo@example.com"),
    )
    assert waiting.without_readback().intake == Intake(
        callback_number="+13125550123", email="leo@example.com", email_unconfirmed=True
    )


def test_the_unconfirmed_mark_survives_the_stored_state() -> None:
    """The mark is part of the stored call state; a state stored before it reads as unmarked."""
    state = CallState().evolve(intake=Intake(client_name="Leo Park", client_name_unconfirmed=True))
    stored = state.to_dict()
    assert CallState.from_dict(stored).intake.client_name_unconfirmed is True
    del stored["intake"]["client_name_unconfirmed"]
    assert CallState.from_dict(stored).intake.client_name_unconfirmed is False


def test_spelling_the_name_keeps_the_read_back_open() -> None:
    """ "Can you spell that?" spells the name and still waits for the yes."""
    spell = heard("can you spell that", requests=[Request.SPELL])
    turn = run(context([*TABLE, spell]), [*AT_READBACK, spell.text])[-1]
    assert ids(turn) == ["readback_name_spelled"]
    assert turn.state.intake.client_name is None
    assert turn.state.pending is not None
