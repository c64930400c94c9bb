"""Callers who are not speaking English are recognised by a phrase or by scored words."""

from __future__ import annotations

import pytest

from frontdesk.conversation.understanding.languages import NAMES, language_of


@pytest.mark.parametrize(
    "text",
    [
        "Hola, necesito una cita para mi hijo, por favor",
        "¿Habla español?",
        "no hablo inglés",
        "Buenos días",
        "Mi esposa tiene ansiedad",
        "tengo seguro de Aetna",
    ],
)
def test_spanish_is_recognised(text: str) -> None:
    """A Spanish phrase, or enough Spanish words, is recognised as Spanish."""
    assert language_of(text) == "es"
    assert NAMES["es"] == "Spanish"


@pytest.mark.parametrize(
    "text",
    [
        "I need an appointment for my son",
        "My name is María de la Cruz",
        "De La Cruz",
        "sí, gracias",
        "hola",
        "I live in El Paso",
        "",
    ],
)
def test_english_with_a_few_spanish_words_is_not_another_language(text: str) -> None:
    """A Spanish name, a lone "hola" or "sí, gracias" does not make a call Spanish."""
    assert language_of(text) is None
