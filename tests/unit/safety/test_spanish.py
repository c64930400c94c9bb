"""Spanish crisis language goes through the same composition: who, wish or intent, death, time.

Sentences are written the way a Spanish-speaking caller might say them on the phone, with
and without accents.
"""

from __future__ import annotations

import pytest

from frontdesk.conversation.safety import Experiencer, Modifier, screen
from frontdesk.domain.calls import Route

# (construct, sentence, route)
SPANISH = [
    ("wish to die", "Quiero morir", Route.CRISIS),
    ("wish to die", "me quiero morir, ya no aguanto más", Route.CRISIS),
    ("wish to die", "No quiero vivir más", Route.CRISIS),
    ("wish to die", "ya no tengo ganas de vivir", Route.CRISIS),
    ("wish to die", "ojalá no despertara mañana", Route.CRISIS),
    ("wish to die", "mi familia estaría mejor sin mí", Route.CRISIS),
    ("thoughts", "últimamente pienso en suicidarme", Route.CRISIS),
    ("thoughts", "me siento suicida", Route.CRISIS),
    ("intent", "quiero matarme", Route.CRISIS),
    ("intent", "me quiero suicidar", Route.CRISIS),
    ("intent", "voy a quitarme la vida", Route.CRISIS),
    ("self-harm", "quiero hacerme daño", Route.CRISIS),
    ("self-harm", "me estoy cortando las muñecas", Route.CRISIS),
    ("third party", "Mi hijo dice que va a suicidarse", Route.CRISIS),
    ("time tonight", "Voy a matarme esta noche", Route.EMERGENCY),
    ("act an hour ago", "Me tomé todas las pastillas hace una hora", Route.EMERGENCY),
    ("act just now", "Acabo de tomarme un frasco de pastillas", Route.EMERGENCY),
    ("means in hand", "Tengo la pistola en la mano", Route.EMERGENCY),
    ("act referred tonight", "Quiero morir. Lo voy a hacer esta noche", Route.EMERGENCY),
    ("booking", "¿Puedo hacerlo mañana? Necesito cambiar la cita", Route.ROUTINE),
    ("negated", "No quiero morir", Route.SENSITIVE),
    ("negated", "nunca me voy a matar", Route.SENSITIVE),
    ("history", "Hace años pensaba en suicidarme", Route.SENSITIVE),
    ("booking", "Quisiera una cita para mañana", Route.ROUTINE),
    ("booking", "¿Puedo cambiar mi cita para el martes?", Route.ROUTINE),
    ("idiom", "Mi mamá me va a matar si llego tarde", Route.ROUTINE),
    ("third party, an hour ago", "mi hijo tomó muchas pastillas hace una hora", Route.EMERGENCY),
    ("abuse", "mi esposo me pegó y me amenazó con un cuchillo", Route.CRISIS),
    ("abuse", "no me siento segura en casa", Route.CRISIS),
    ("booking", "me duele la espalda y me lastima sentarme, ¿hay citas por video?", Route.ROUTINE),
]


@pytest.mark.parametrize(("construct", "text", "route"), SPANISH)
def test_spanish_route(construct: str, text: str, route: Route) -> None:
    """Each Spanish sentence takes the route its parts compose to."""
    assert screen(text).route is route, construct


@pytest.mark.parametrize("text", ["Quiero morir", "quiero matarme", "Me tomé todas las pastillas"])
def test_first_person_verbs_speak_for_the_caller(text: str) -> None:
    """A Spanish verb in the first person needs no pronoun: the caller is the experiencer."""
    assert screen(text).experiencer is Experiencer.SELF


def test_accents_fold_and_spans_point_at_the_raw_text() -> None:
    """Accented and plain spellings match alike, and the span is the caller's own words."""
    text = "No quiero vivir más, me tomé todas las pastillas"
    verdict = screen(text)
    assert verdict.route.is_crisis
    for match in verdict.matches:
        assert text[match.start : match.end] == match.phrase
    assert screen("me tome todas las pastillas").route is verdict.route


def test_spanish_negation_is_a_modifier() -> None:
    """'No' before the risk denies it, as 'not' does in English."""
    (match,) = screen("no quiero matarme").matches
    assert Modifier.NEGATION in match.modifiers


def test_suicide_named_asks() -> None:
    """Suicide named without a clear wish or act asks the direct question."""
    verdict = screen("¿Qué pasa si hablo de suicidio?")
    assert verdict.safety_check or verdict.route.is_crisis
