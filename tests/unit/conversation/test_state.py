"""The call state survives a JSON round trip at every point of a call."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from tests.unit.conversation.engine_fakes import context, run
from tests.unit.conversation.test_engine import FULL_INTAKE, TABLE

from frontdesk.conversation.state import CallState, Phase
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inquiries import AvailabilityWindow, Intake, TelehealthConstraints, Weekday


def test_every_state_of_a_full_call_round_trips_through_json() -> None:
    """A restarted process rebuilds exactly the state the last turn stored."""
    for turn in run(context(TABLE), [*FULL_INTAKE, None, "yes", "yes"]):
        stored = json.loads(json.dumps(turn.state.to_dict()))
        assert CallState.from_dict(stored) == turn.state


def test_a_rich_intake_round_trips() -> None:
    """Windows, dates, times and telehealth constraints keep their values and types."""
    intake = Intake(
        availability=(
            AvailabilityWindow("Tuesday evenings", frozenset({Weekday.TUESDAY}), None, time(17)),
            AvailabilityWindow("March 5 morning", on=date(2026, 3, 5), end=time(12, 30)),
        ),
        telehealth_constraints=TelehealthConstraints(True, None, False, "shared flat"),
        date_of_birth=date(2014, 3, 3),
        email="leo@example.com",
        email_unconfirmed=True,
        out_of_network_payer="Ambetter",
    )
    state = CallState(phase=Phase.CONFIRMING, intake=intake, pending=intake)
    assert CallState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_a_state_stored_before_out_of_network_insurers_were_kept_still_loads() -> None:
    """A call state stored without `out_of_network_payer` reads back with none."""
    stored = json.loads(json.dumps(CallState(intake=Intake(state="IL")).to_dict()))
    del stored["intake"]["out_of_network_payer"]
    assert CallState.from_dict(stored).intake == Intake(state="IL")


def test_an_unknown_state_version_is_refused() -> None:
    """A state written by another version of the engine is refused, not misread."""
    data = CallState().to_dict() | {"version": 99}
    with pytest.raises(InvalidInput):
        CallState.from_dict(data)


def test_a_malformed_state_is_refused_without_its_content() -> None:
    """A broken stored state raises InvalidInput naming no caller data."""
    data = CallState().to_dict() | {"phase": "dancing"}
    with pytest.raises(InvalidInput) as caught:
        CallState.from_dict(data)
    assert "dancing" not in str(caught.value)


def test_the_transfer_being_rung_and_those_unanswered_round_trip() -> None:
    """A missed transfer is remembered across turns, and older states without it still load."""
    state = CallState(dialling="front_desk", unreached=("on_call",))
    assert CallState.from_dict(state.to_dict()) == state
    older = {k: v for k, v in state.to_dict().items() if k not in ("dialling", "unreached")}
    assert CallState.from_dict(older) == CallState()
