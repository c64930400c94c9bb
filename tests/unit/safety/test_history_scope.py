"""A time of life reaches over its own clause only, in English and in Spanish.

A history marker ("used to", "years ago", "solía", "hace años") makes the risk in its own
clause history; the intent or plan said in the next clause is as urgent as it is alone,
whatever joins the two ("," "and" "y" "pero" "because" "..."). The converse holds too: a
marker inside the risk's own clause, before or after it, with or without a comma, keeps it
history.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.conversation.safety import Modifier, screen
from frontdesk.domain.calls import Route

# Clauses of their own that tell of the past, with or without risk in them.
HISTORY_CLAUSES = [
    "I used to feel hopeless",
    "I used to cut myself",
    "I used to drink a lot",
    "used to feel hopeless",
    "I tried to kill myself years ago",
    "years ago I tried to kill myself",
    "back in 2015 I overdosed on my pills",
    "in high school I took a bottle of pills",
    "when I was a teen I wanted to die",
    "as a kid I used to hurt myself",
    "I wanted to die back then",
    "I was in a dark place years ago",
    "my son tried to kill himself years ago",
    "solía sentirme sin esperanza",
    "yo solía pensar en suicidarme",
    "solía cortarme",
    "hace años intenté suicidarme",
    "hace años tomé muchas pastillas",
    "cuando era niña quería morir",
    "en el pasado pensaba en suicidarme",
]
# What may join two clauses: a comma, a joining word, both, a break, dots.
CONNECTORS = [
    ", ",
    ", and ",
    " and ",
    ", and then ",
    " and so ",
    ", so ",
    " but ",
    ", but ",
    " because ",
    ". ",
    "; ",
    "...",
    " y ",
    ", y ",
    " pero ",
    ", pero ",
    " porque ",
    ", entonces ",
]
# Risk now, each with its route when said alone.
PRESENT_CLAUSES = [
    ("I want to kill myself", Route.CRISIS),
    ("I want to die", Route.CRISIS),
    ("I am going to end my life", Route.CRISIS),
    ("I'm going to kill myself", Route.CRISIS),
    ("I want to kill myself tonight", Route.EMERGENCY),
    ("I'm going to kill myself tonight", Route.EMERGENCY),
    ("I plan to overdose on my pills tonight", Route.EMERGENCY),
    ("quiero matarme", Route.CRISIS),
    ("quiero morir", Route.CRISIS),
    ("me quiero suicidar", Route.CRISIS),
    ("pienso en suicidarme", Route.CRISIS),
    ("quiero matarme y voy a hacerlo hoy", Route.EMERGENCY),
    ("me voy a matar esta noche", Route.EMERGENCY),
    ("voy a suicidarme hoy", Route.EMERGENCY),
    ("quiero suicidarme esta noche", Route.EMERGENCY),
]


@pytest.mark.parametrize(("text", "route"), PRESENT_CLAUSES)
def test_each_present_clause_alone_has_its_route(text: str, route: Route) -> None:
    """The present clauses the properties join are risk on their own, as listed."""
    assert screen(text).route is route


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(HISTORY_CLAUSES),
    st.sampled_from(CONNECTORS),
    st.sampled_from(PRESENT_CLAUSES),
)
def test_history_in_an_earlier_clause_leaves_present_risk_as_it_is(
    history: str, connector: str, present: tuple[str, Route]
) -> None:
    """A past told in its own clause neither softens nor sharpens the risk said after it."""
    clause, route = present
    text = f"{history}{connector}{clause}"
    assert screen(text).route is route, text


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(PRESENT_CLAUSES),
    st.sampled_from([", ", ", and ", " and ", ". ", ", y ", " pero "]),
    st.sampled_from([c for c in HISTORY_CLAUSES if c.split()[0] in ("I", "years", "yo", "hace")]),
)
def test_history_in_a_later_clause_leaves_present_risk_as_it_is(
    present: tuple[str, Route], connector: str, history: str
) -> None:
    """Nor does a past told in a clause of its own after the risk."""
    clause, route = present
    text = f"{clause}{connector}{history}"
    assert screen(text).route is route, text


# Risk told in the past tense, and markers that put it in the past from inside its clause.
PAST_RISK = [
    "I tried to kill myself",
    "I wanted to die",
    "I wanted to kill myself",
    "I cut myself",
    "I overdosed on my pills",
    "quería morir",
    "pensaba en suicidarme",
    "tomé muchas pastillas",
]
MARKERS_BEFORE = [
    "years ago",
    "a few years ago",
    "back in 2015",
    "when I was a teen",
    "as a kid",
    "in high school",
    "last year",
    "hace años",
    "hace muchos años",
    "cuando era niña",
    "cuando tenía quince años",
    "en el pasado",
]
MARKERS_AFTER = [
    "years ago",
    "back then",
    "in high school",
    "as a teenager",
    "when I was a teen",
    "last summer",
    "hace años",
    "en el pasado",
    "cuando era adolescente",
]
USED_TO = [
    "I used to cut myself",
    "I used to want to die",
    "I used to think about killing myself",
    "I used to overdose on my pills",
    "I used to feel hopeless and want to die",
    "I used to drink and cut myself",
    "solía pensar en matarme",
    "yo solía pensar en suicidarme",
]


def _is_history(text: str) -> bool:
    """Whether every crisis-level match is read as past and nothing is escalated."""
    verdict = screen(text)
    risk = [m for m in verdict.matches if m.base_route.is_crisis]
    return (
        not verdict.route.is_crisis
        and bool(risk)
        and all(Modifier.HISTORICAL in m.modifiers for m in risk)
    )


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(MARKERS_BEFORE), st.sampled_from([" ", ", "]), st.sampled_from(PAST_RISK))
def test_a_marker_heading_the_clause_keeps_its_risk_history(
    marker: str, joint: str, risk: str
) -> None:
    """'Years ago, I tried to kill myself', 'cuando era niña quería morir': history."""
    text = f"{marker}{joint}{risk}"
    assert _is_history(text), text


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PAST_RISK), st.sampled_from([" ", ", "]), st.sampled_from(MARKERS_AFTER))
def test_a_marker_ending_the_clause_keeps_its_risk_history(
    risk: str, joint: str, marker: str
) -> None:
    """'I cut myself, years ago', 'quería morir hace años': history."""
    text = f"{risk}{joint}{marker}"
    assert _is_history(text), text


@pytest.mark.parametrize("text", USED_TO)
def test_used_to_keeps_its_own_clause_history(text: str) -> None:
    """'Used to' and 'solía' make their clause history, shared subject and all."""
    assert _is_history(text), text


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I used to feel hopeless, quiero matarme y voy a hacerlo hoy", Route.EMERGENCY),
        ("I used to feel hopeless, I want to kill myself", Route.CRISIS),
        ("I used to feel hopeless and I want to kill myself", Route.CRISIS),
        ("I used to feel hopeless...I want to die", Route.CRISIS),
        ("solía sentirme sin esperanza, quiero morir", Route.CRISIS),
        ("hace años intenté suicidarme, quiero morir", Route.CRISIS),
        ("I want to kill myself, years ago I tried", Route.CRISIS),
        ("my son tried to kill himself years ago, I want to die", Route.CRISIS),
        ("back in 2015 I overdosed on my pills, I want to die", Route.CRISIS),
        ("I tried to kill myself, it was years ago", Route.SENSITIVE),
        ("a few years ago, when I was 15, I tried to kill myself", Route.SENSITIVE),
        ("when my mom died years ago, I wanted to die", Route.SENSITIVE),
        ("last year he had a knife and threatened to kill my mom", Route.SENSITIVE),
        ("after being clean for 10 months, I cut myself again last night", Route.CRISIS),
    ],
)
def test_where_a_clause_ends(text: str, route: Route) -> None:
    """A comma or a joining word ends a clause only between two with subjects of their own."""
    assert screen(text).route is route, text


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I want to die I used to be happy", Route.CRISIS),
        ("I want to kill myself I used to feel hopeless", Route.CRISIS),
        ("I want to kill myself I tried years ago", Route.CRISIS),
        ("I want to die he tried to kill himself years ago", Route.CRISIS),
        ("yo quiero morir yo solía ser feliz", Route.CRISIS),
        ("I tried to kill myself it was years ago", Route.SENSITIVE),
        ("a few years ago when I was 15 I tried to kill myself", Route.SENSITIVE),
        ("years ago I tried to kill myself", Route.SENSITIVE),
        ("I guess years ago I tried to kill myself", Route.SENSITIVE),
        ("I mean a long time ago I took a bunch of pills", Route.SENSITIVE),
        ("I tried to kill myself when I used to drink", Route.SENSITIVE),
        ("as a teen I wanted to die", Route.SENSITIVE),
    ],
)
def test_a_transcript_without_commas_ends_a_clause_at_a_subject(text: str, route: Route) -> None:
    """With no punctuation, a clause ends before a subject pronoun after the risk, as at a comma.

    A time said before the risk ("I guess years ago I tried") heads the risk's own clause.
    """
    assert screen(text).route is route, text


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I relapsed and cut myself after 6 months clean", Route.CRISIS),
        ("after 6 months clean I cut myself", Route.CRISIS),
        ("I cut myself after two years clean", Route.CRISIS),
        ("after being clean for 10 months, I cut myself", Route.CRISIS),
        ("I have been 6 months clean from cutting", Route.SENSITIVE),
        ("I used to cut myself but I have been clean for a year", Route.SENSITIVE),
        ("I cut myself years ago and have been clean since", Route.SENSITIVE),
    ],
)
def test_a_relapse_after_clean_time_is_current(text: str, route: Route) -> None:
    """Time clean tells of the past; an act after it ('after 6 months clean') is news."""
    assert screen(text).route is route, text
