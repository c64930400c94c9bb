"""Properties over arbitrary input: the screen always answers, and fails closed."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.conversation.safety import SCREEN_ERROR, default_lexicon, screen
from frontdesk.conversation.safety.lexicon import Lexicon
from frontdesk.domain.calls import Route

WORDS = st.sampled_from(
    [
        "i",
        "want",
        "to",
        "die",
        "not",
        "kill",
        "myself",
        "my",
        "son",
        "years",
        "ago",
        "what",
        "if",
        "took",
        "pills",
        "right",
        "now",
        "-",
        "'",
        ".",
        ",",
        "but",
        "um",
        "kms",
        "fever",
        "records",
        "İ",
        "ß",
        "\n",
        "🙂",
        "don't",
        "w-",
        "",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_yields_a_route(text: str) -> None:
    """Arbitrary text never raises and always yields a route, with spans inside the text."""
    verdict = screen(text)
    assert verdict.route in set(Route)
    assert verdict.reason is None
    for match in verdict.matches:
        assert 0 <= match.start <= match.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join))
def test_word_salad_yields_a_route(text: str) -> None:
    """Mixtures of trigger words, cues and odd characters never make the screen fail."""
    verdict = screen(text)
    assert verdict.reason is None
    assert all(text[m.start : m.end] == m.phrase for m in verdict.matches)


class BrokenNormalizer:
    """A normaliser that fails, standing in for any internal error."""

    def tokens(self, text: str) -> object:
        raise RuntimeError("secret caller words")


def test_internal_error_fails_closed(caplog: pytest.LogCaptureFixture) -> None:
    """An internal error escalates to crisis with reason screen_error, logging no caller text."""
    lexicon = Lexicon.__new__(Lexicon)
    real = default_lexicon()
    for name in Lexicon.__slots__:
        setattr(lexicon, name, getattr(real, name))
    lexicon.normalizer = BrokenNormalizer()  # type: ignore[assignment]
    with caplog.at_level(logging.ERROR):
        verdict = screen("I am fine, thanks", lexicon=lexicon)
    assert verdict.route is Route.CRISIS
    assert verdict.reason == SCREEN_ERROR
    assert verdict.lexicon_version == real.version
    assert "RuntimeError" in caplog.text
    assert "fine" not in caplog.text
    assert "secret" not in caplog.text
