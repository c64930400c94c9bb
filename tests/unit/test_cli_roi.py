"""`frontdesk roi`: readable text, one JSON object, and clear refusals of bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from frontdesk.entrypoints.cli.main import main

REFERENCE = [
    "roi",
    "--monthly-calls",
    "360",
    "--intent-rate",
    "0.42",
    "--lift",
    "0.25",
    "--first-session-value",
    "150",
]


def run_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main([*REFERENCE, "--json", *extra]) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def test_text_shows_the_formula_and_the_result_in_dollars(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The reference command prints the inputs, the 37.8 first sessions and $5,670.00."""
    assert main(REFERENCE) == 0
    out = capsys.readouterr().out
    assert "360 calls x 42% intake or scheduling intent x 25% lift x $150.00" in out
    assert "= 37.8 first sessions a month x $150.00" in out
    assert out.rstrip().endswith("= $5,670.00 a month")
    assert "Longer-term" not in out
    assert "Sensitivity" not in out


def test_json_prints_the_value_with_its_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one object: the monthly value as a number and the four inputs."""
    assert run_json(capsys) == {
        "currency": "USD",
        "inputs": {
            "monthly_calls": 360,
            "intent_rate": 0.42,
            "lift": 0.25,
            "first_session_value": 150.0,
        },
        "recovered_first_sessions": 37.8,
        "monthly_recovered_value": 5670.0,
    }


def test_json_long_term_and_sensitivity_are_labelled_planning_estimates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Asked for both, the JSON carries five projection lines and nine grid rows, all labelled."""
    document = run_json(capsys, "--long-term", "--sensitivity")
    long_term = document["long_term"]
    assert long_term["basis"] == "planning estimate, not guaranteed revenue"
    assert long_term["value_per_session"] == 132.0
    assert [line["key"] for line in long_term["lines"]] == [
        "recovered_callers",
        "first_sessions_booked",
        "first_sessions_attended",
        "sessions_delivered",
        "course_of_care_value",
    ]
    assert {line["basis"] for line in long_term["lines"]} == {long_term["basis"]}
    assert long_term["lines"][-1]["monthly"] == 15268.18
    assert long_term["lines"][-1]["annual"] == 183218.11
    rows = document["sensitivity"]["rows"]
    assert len(rows) == 9
    assert document["sensitivity"]["basis"] == long_term["basis"]
    assert rows[4]["monthly_recovered_value"] == document["monthly_recovered_value"]


def test_a_long_term_option_implies_the_projection(capsys: pytest.CaptureFixture[str]) -> None:
    """Giving --sessions-per-client alone adds the projection and uses that value."""
    document = run_json(capsys, "--sessions-per-client", "12")
    assert document["long_term"]["assumptions"]["sessions_per_client"] == 12.0
    assert document["long_term"]["lines"][-1]["monthly"] == 30536.35
    assert "sensitivity" not in document


def test_a_range_option_implies_the_grid_with_the_input_as_base(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--lift-range 0.1 0.4 builds the grid with 10%, the 25% input and 40% as lifts."""
    document = run_json(capsys, "--lift-range", "0.1", "0.4")
    assert [row["lift"] for row in document["sensitivity"]["rows"][:3]] == [0.1, 0.25, 0.4]
    assert "long_term" not in document


def test_text_long_term_and_grid_are_readable(capsys: pytest.CaptureFixture[str]) -> None:
    """The text projection names its caveat and shows dollars with thousands separators."""
    assert main([*REFERENCE, "--long-term", "--sensitivity"]) == 0
    out = capsys.readouterr().out
    assert "Longer-term projection (planning estimate, not guaranteed revenue)" in out
    assert "$15,268.18" in out
    assert "$183,218.11" in out
    assert "Sensitivity: monthly recovered value (planning estimate" in out
    assert "42% (base)" in out
    assert "$9,828.00" in out


def test_dollar_signs_and_commas_in_money_are_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    """A first-session value typed as $1,500 is read as 1500 dollars."""
    args = [*REFERENCE[:-1], "$1,500", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["monthly_recovered_value"] == 56700.0


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--monthly-calls", "-5", "monthly_calls must be 0 or more"),
        ("--intent-rate", "1.5", "intent_rate must be between 0 and 1 inclusive"),
        ("--lift", "-0.1", "lift must be between 0 and 1 inclusive"),
        ("--first-session-value", "-150", "first_session_value must be 0 or more"),
        ("--lift", "nan", "lift must be a finite number"),
    ],
)
def test_out_of_range_inputs_exit_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], flag: str, value: str, message: str
) -> None:
    """An out-of-range input prints its name and allowed range on stderr and exits 2."""
    args = list(REFERENCE)
    args[args.index(flag) + 1] = value
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_a_bad_long_term_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A show rate above 1 is refused with exit 2 and names the assumption."""
    assert main([*REFERENCE, "--show-rate", "1.2"]) == 2
    assert "first_session_show_rate must be between 0 and 1" in capsys.readouterr().err


def test_an_unordered_range_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A lift range whose low is above the base lift is refused with exit 2."""
    assert main([*REFERENCE, "--lift-range", "0.3", "0.5"]) == 2
    assert "lift values must be ordered low <= base <= high" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flag", "value"), [("--intent-rate", "lots"), ("--monthly-calls", "12.5")]
)
def test_non_numbers_are_usage_errors(
    capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    """A value that is not a number stops argument parsing with exit 2 and names the option."""
    args = list(REFERENCE)
    args[args.index(flag) + 1] = value
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2
    assert f"argument {flag}" in capsys.readouterr().err


def test_missing_input_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Leaving out --lift stops with exit 2 and says the option is required."""
    with pytest.raises(SystemExit) as stopped:
        main(REFERENCE[:5] + REFERENCE[7:])
    assert stopped.value.code == 2
    assert "--lift" in capsys.readouterr().err
