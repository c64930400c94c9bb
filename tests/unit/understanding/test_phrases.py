"""The word-pattern language the lexicons are written in."""

from __future__ import annotations

import pytest

from frontdesk.conversation.understanding.phrases import compile_pattern, first


@pytest.mark.parametrize(
    ("pattern", "heard", "span"),
    [
        ("cancel ~ appointment", "i need to cancel my appointment", (3, 6)),
        ("cancel ~ appointment", "cancel appointment", (0, 2)),
        ("my son|daughter", "for my daughter", (1, 3)),
        ("press * now", "press zero now", (0, 3)),
        ("^what", "oh what", (1, 2)),
        ("^what$", "what", (0, 1)),
    ],
)
def test_patterns_match_whole_words(pattern: str, heard: str, span: tuple[int, int]) -> None:
    """Alternatives, one-word and short gaps, and anchors match the expected span."""
    assert compile_pattern(pattern).find(heard.split()) == span


@pytest.mark.parametrize(
    ("pattern", "heard"),
    [
        ("no", "i know"),
        ("cancel ~ appointment", "cancel it because my car broke down before the appointment"),
        ("^what", "so tell me what"),
        ("^what$", "what time works"),
        ("press * now", "press now"),
    ],
)
def test_patterns_do_not_overreach(pattern: str, heard: str) -> None:
    """Words inside words, long gaps and anchors out of place do not match."""
    assert compile_pattern(pattern).find(heard.split()) is None


def test_first_returns_the_earliest_span() -> None:
    """Of several patterns, the earliest match in the utterance wins."""
    patterns = [compile_pattern("fees"), compile_pattern("hours")]
    assert first(patterns, ["your", "hours", "and", "fees"]) == (1, 2)


@pytest.mark.parametrize(
    ("pattern", "heard", "span"),
    [
        ("son|daughter is", "my daughter said my son is", (4, 6)),
        ("son|daughter", "my daughter and my son", (1, 2)),
        ("^hi|hello there", "well hello there", (1, 3)),
    ],
)
def test_matches_start_at_each_place_the_first_word_is_said(
    pattern: str, heard: str, span: tuple[int, int]
) -> None:
    """A pattern is tried wherever any of its first words occurs, earliest match first."""
    assert compile_pattern(pattern).find(tuple(heard.split())) == span


def test_word_lists_and_tuples_match_alike() -> None:
    """The same words as a list or a tuple give the same span."""
    pattern = compile_pattern("cancel ~ appointment")
    heard = "please cancel my appointment"
    assert pattern.find(heard.split()) == pattern.find(tuple(heard.split())) == (1, 4)
