"""Located YAML: plain data with the line of every field, and YAML 1.1 surprises kept out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.adapters.located_yaml import Problem, format_loc, parse_located_yaml
from frontdesk.domain.errors import PracticeFileError


@given(st.integers(0, 23), st.integers(0, 59))
def test_clock_times_stay_text(hour: int, minute: int) -> None:
    """An unquoted `H:MM` is the text the person wrote, never a sexagesimal number."""
    document = parse_located_yaml(f"at: {hour}:{minute:02d}\n", source="t.yaml")
    assert document.data == {"at": f"{hour}:{minute:02d}"}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("+13125550142", "+13125550142"),
        ("NO", "NO"),
        ("off", "off"),
        ("0755", "0755"),
        ("175.50", "175.50"),
        ("1_000", "1_000"),
        ("42", 42),
        ("-3", -3),
        ("true", True),
        ("False", False),
        ("~", None),
        ("", None),
        ("'42'", "42"),
        ("!!str 42", "42"),
    ],
)
def test_plain_scalars_follow_the_small_rule_set(written: str, value: object) -> None:
    """Only decimal integers, true/false and null are converted; everything else stays text."""
    document = parse_located_yaml(f"v: {written}\n", source="t.yaml")
    assert document.data == {"v": value}


def test_every_key_and_item_has_its_line() -> None:
    """Keys and list items map to their 1-based line; absent paths fall back to the parent."""
    text = "a:\n  b:\n    - x\n    - y: 1\n      z: 2\nc: 3\n"
    document = parse_located_yaml(text, source="t.yaml")
    assert document.line_of(("a",)) == 1
    assert document.line_of(("a", "b", 0)) == 3
    assert document.line_of(("a", "b", 1, "z")) == 5
    assert document.line_of(("a", "b", 1, "missing")) == 4
    assert document.line_of(("c",)) == 6


def test_failure_lists_problems_in_line_order() -> None:
    """The error's headline is the earliest problem; the others follow with their lines."""
    document = parse_located_yaml("a: 1\nb: 2\n", source="t.yaml")
    error = document.fail([Problem(("b",), "second"), Problem(("a",), "first")])
    assert error.line == 1
    assert str(error) == "t.yaml:1: a: first\n1 more problem(s):\n  t.yaml:2: b: second"


def test_mapping_as_a_key_is_refused() -> None:
    """A key that is not a plain scalar is refused at its line."""
    with pytest.raises(PracticeFileError, match=r"t\.yaml:2: a: keys must be plain names"):
        parse_located_yaml("a:\n  ? {x: 1}\n  : 2\n", source="t.yaml")


def test_loc_formatting() -> None:
    """Paths read the way a person would point at a field."""
    assert format_loc(("clinicians", 1, "licensed_states", 0)) == "clinicians[1].licensed_states[0]"
    assert format_loc(()) == ""
