"""How context readings move a match's route."""

from __future__ import annotations

import pytest

from frontdesk.conversation.safety.context import Reading, effective_route
from frontdesk.conversation.safety.verdict import Experiencer, Modifier
from frontdesk.domain.calls import Route

SELF, OTHER, UNKNOWN = Experiencer.SELF, Experiencer.OTHER, Experiencer.UNKNOWN


@pytest.mark.parametrize(
    ("base", "modifiers", "experiencer", "expected"),
    [
        (Route.CRISIS, (), SELF, Route.CRISIS),
        (Route.CRISIS, (Modifier.NEGATION,), SELF, Route.SENSITIVE),
        (Route.CRISIS, (Modifier.HISTORICAL,), OTHER, Route.SENSITIVE),
        (Route.CRISIS, (Modifier.THIRD_PERSON,), OTHER, Route.CRISIS),
        (Route.CRISIS, (Modifier.HYPOTHETICAL,), OTHER, Route.SENSITIVE),
        (Route.CRISIS, (Modifier.HYPOTHETICAL,), UNKNOWN, Route.SENSITIVE),
        (Route.CRISIS, (Modifier.HYPOTHETICAL,), SELF, Route.CRISIS),
        (Route.CRISIS, (Modifier.IMMEDIATE,), SELF, Route.EMERGENCY),
        (Route.CRISIS, (Modifier.IMMEDIATE, Modifier.THIRD_PERSON), OTHER, Route.EMERGENCY),
        (Route.CRISIS, (Modifier.IMMEDIATE, Modifier.NEGATION), SELF, Route.SENSITIVE),
        (Route.EMERGENCY, (Modifier.HISTORICAL,), SELF, Route.SENSITIVE),
        (Route.EMERGENCY, (), OTHER, Route.EMERGENCY),
        (Route.CLINICAL, (Modifier.NEGATION,), SELF, Route.CLINICAL),
        (Route.ADMINISTRATIVE, (Modifier.HISTORICAL,), SELF, Route.ADMINISTRATIVE),
        (Route.SENSITIVE, (Modifier.IMMEDIATE,), SELF, Route.SENSITIVE),
    ],
)
def test_effective_route(
    base: Route, modifiers: tuple[Modifier, ...], experiencer: Experiencer, expected: Route
) -> None:
    """Context changes a crisis-level route and never clears it; staff routes pass through."""
    assert effective_route(base, Reading(modifiers, experiencer)) is expected


@pytest.mark.parametrize(
    "modifiers", [(), (Modifier.NEGATION,), (Modifier.HISTORICAL, Modifier.HYPOTHETICAL)]
)
def test_crisis_language_never_becomes_routine(modifiers: tuple[Modifier, ...]) -> None:
    """Whatever the context, crisis language stays at least sensitive."""
    for experiencer in Experiencer:
        assert effective_route(Route.CRISIS, Reading(modifiers, experiencer)) is not Route.ROUTINE
