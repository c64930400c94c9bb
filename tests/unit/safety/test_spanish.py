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
    ("cannot take it, all ready", "ya no aguanto, tengo todo listo", Route.CRISIS),
    ("cannot take it, a plan", "no puedo más, ya hice un plan", Route.CRISIS),
    (
        "cannot take it, ready tonight",
        "ya no aguanto, tengo todo listo para esta noche",
        Route.EMERGENCY,
    ),
    ("booking", "tengo todo listo para la cita del martes", Route.ROUTINE),
    ("back pain", "ya no aguanto el dolor de espalda", Route.ROUTINE),
    ("better off without me", "mi familia está mejor sin mí", Route.CRISIS),
    ("better off without me", "todos estarán mejor sin mí", Route.CRISIS),
    ("better if I were not", "sería mejor para todos si yo no estuviera", Route.CRISIS),
    ("a meeting", "la reunión de hoy está mejor sin mí, no puedo ir", Route.ROUTINE),
    ("not wake up", "no quiero despertar mañana", Route.CRISIS),
    ("third party", "mi hijo dice que ya no quiere vivir", Route.CRISIS),
    ("third party", "mi hijo dice que ya no quiere ir a la escuela", Route.ROUTINE),
]


@pytest.mark.parametrize(
    "text",
    [
        "ya escribí cartas a todos",
        "regalé todas mis cosas",
        "ya no aguanto esta vida",
        "ya me despedí de todos",
    ],
)
def test_spanish_preparation_asks(text: str) -> None:
    """Letters to everyone, things given away, not standing life: the direct question."""
    verdict = screen(text)
    assert verdict.safety_check or verdict.route in (Route.CRISIS, Route.EMERGENCY)


def test_spanish_everyday_letters_ask_nothing() -> None:
    """A letter to the office, a gift to a friend: no question."""
    for text in ("le escribí una carta a la oficina", "le regalé un libro a mi amiga"):
        verdict = screen(text)
        assert verdict.route is Route.ROUTINE, text
        assert not verdict.safety_check, text


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


# Spanish sentences paired with the English the screen already reads: each must take the
# route its English counterpart takes.
# (spanish, english)
PAIRED = [
    ("ojalá no despertar", "I wish I would not wake up"),
    ("quisiera dormirme y no despertar", "I want to go to sleep and not wake up"),
    ("quiero dormir y no despertar nunca", "I want to sleep and never wake up"),
    ("ya no quiero vivir", "I don't want to live anymore"),
    ("preferiría estar muerta", "I'd rather be dead"),
    ("voy a tomarme todas las pastillas esta noche", "I am going to take all my pills tonight"),
    ("tengo la pistola aquí", "I have the gun right here"),
    ("voy a tirarme del puente", "I'm going to jump off the bridge"),
    ("voy a saltar del puente", "I am going to jump off the bridge"),
    ("quiero matarme ahora mismo", "I want to kill myself right now"),
    ("me tomé todas las pastillas hace un rato", "I took all the pills a little while ago"),
    ("tengo un plan para matarme", "I have a plan to kill myself"),
    ("solía querer morir", "I used to want to die"),
    ("hace muchos años quise matarme", "years ago I wanted to kill myself"),
    ("de joven quería morirme", "when I was young I wanted to die"),
    ("de adolescente me cortaba", "as a teenager I used to cut myself"),
    ("antes me cortaba", "I used to cut myself"),
    ("solía cortarme", "I used to cut myself"),
    ("antes pensaba en matarme", "I used to think about killing myself"),
    ("cuando era joven intenté matarme", "when I was young I tried to kill myself"),
    ("me corté", "I cut myself"),
    ("me corté anoche", "I cut myself last night"),
    ("me corté hace una hora", "I cut myself an hour ago"),
    ("me corté hoy", "I cut myself today"),
    ("me volví a cortar", "I cut myself again"),
    ("me corté otra vez", "I cut myself again"),
    ("me estoy cortando", "I am cutting myself"),
    ("me lastimé a propósito", "I hurt myself on purpose"),
    ("me hice daño anoche", "I hurt myself last night"),
    ("me quemé con un cigarro a propósito", "I burned myself with a cigarette on purpose"),
    ("después de un año sin cortarme, me volví a cortar", "after a year clean I cut myself again"),
    ("recaí y me corté", "I relapsed and cut myself"),
    ("intenté matarme anoche", "I tried to kill myself last night"),
    ("me tomé 20 pastillas", "I took 20 pills"),
    ("mi amiga se tomó todas las pastillas", "my friend took all the pills"),
    ("hace años me tomé todas las pastillas", "years ago I took all my pills"),
    ("estoy en el puente y voy a saltar", "I'm on the bridge and I'm going to jump"),
    ("tengo una pistola y voy a usarla", "I have a gun and I'm going to use it"),
    ("no vale la pena vivir", "life is not worth living"),
    ("ya escribí mi carta de despedida", "I already wrote my goodbye note"),
    ("no quiero morir", "I don't want to die"),
    (
        "nunca me haría daño, pero ojalá no despertar",
        "I would never hurt myself but I wish I would not wake up",
    ),
    ("nunca me haría daño", "I would never hurt myself"),
    ("no me voy a matar", "I am not going to kill myself"),
    ("mi hijo dice que se quiere matar", "my son says he wants to kill himself"),
    ("mi hija se corta", "my daughter cuts herself"),
    ("mi esposo dice que quiere morir", "my husband says he wants to die"),
    # everyday Spanish that must stay routine, as its English does
    ("me corté el pelo", "I got my hair cut"),
    ("me corté el dedo cocinando", "I cut my finger cooking"),
    ("me muero de hambre", "I'm starving"),
    ("me quiero morir de la vergüenza", "I could die of embarrassment"),
    ("esta noche tengo una cita", "I have an appointment tonight"),
    ("el tráfico me mata", "the traffic is killing me"),
    ("me tomé la pastilla anoche", "I took my pill last night"),
    ("estoy en el puente", "I'm on the bridge"),
    ("me tomé un café", "I had a coffee"),
    ("estoy en el puente de camino a la cita", "I'm on the bridge on my way to the appointment"),
    ("hace años que no voy al terapeuta", "I have not seen a therapist in years"),
    ("me duele cuando me corto las uñas", "it hurts when I cut my nails"),
]


@pytest.mark.parametrize(("spanish", "english"), PAIRED)
def test_spanish_takes_the_route_of_its_english(spanish: str, english: str) -> None:
    """History, recent acts, relapse, negation and third parties compose as in English."""
    es, en = screen(spanish), screen(english)
    assert (es.route, es.safety_check) == (en.route, en.safety_check)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("solía querer morir", Route.SENSITIVE),
        ("hace muchos años quise matarme", Route.SENSITIVE),
        ("me corté", Route.CRISIS),
        ("me corté anoche", Route.CRISIS),
        ("me volví a cortar", Route.CRISIS),
        ("me corté hoy", Route.EMERGENCY),
        ("me corté el pelo", Route.ROUTINE),
        ("tengo un cuchillo y voy a usarlo para cortar la carne", Route.ROUTINE),
    ],
)
def test_spanish_history_and_acts_pinned(text: str, route: Route) -> None:
    """The reported cases keep their routes even if the English wording drifts."""
    assert screen(text).route is route
