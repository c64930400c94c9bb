"""Violence happening now, threats with means at hand, hopelessness and their variants.

Each row is one utterance and the route DESIGN.md's table gives it; the negated,
historical, hypothetical and third-person forms sit beside the plain one, because context
changes a route and never clears it.
"""

from __future__ import annotations

import pytest

from frontdesk.conversation.safety import Category, Modifier, screen
from frontdesk.domain.calls import Route

VIOLENCE_NOW = [
    ("he just stabbed his brother", Route.EMERGENCY),
    ("my dad shot my uncle", Route.EMERGENCY),
    ("my son got shot", Route.EMERGENCY),
    ("she was stabbed in the chest", Route.EMERGENCY),
    ("he is strangling her", Route.EMERGENCY),
    ("he's choking my mom", Route.EMERGENCY),
    ("my husband is beating me", Route.EMERGENCY),
    ("they're attacking my son", Route.EMERGENCY),
    ("there's blood everywhere", Route.EMERGENCY),
    ("someone broke in and has a gun", Route.EMERGENCY),
    ("somebody is breaking into our house", Route.EMERGENCY),
    ("he's pointing a gun at my sister", Route.EMERGENCY),
    ("my ex came at me with a knife", Route.EMERGENCY),
    ("he just hit me", Route.EMERGENCY),
    ("someone shot at us", Route.EMERGENCY),
    ("there's a man with a gun outside my house", Route.EMERGENCY),
    ("he's trying to kill me", Route.EMERGENCY),
    ("my son is being stabbed", Route.EMERGENCY),
    # negated, historical, hypothetical
    ("he never stabbed anyone", Route.SENSITIVE),
    ("my dad stabbed my uncle years ago", Route.SENSITIVE),
    ("I was stabbed when I was a kid", Route.SENSITIVE),
    ("what if someone stabbed my brother", Route.SENSITIVE),
    ("in the movie he stabbed his brother", Route.SENSITIVE),
    # figures of speech and games
    ("my coworker stabbed me in the back", Route.ROUTINE),
    ("he shot me a text", Route.ROUTINE),
    ("she shot me down", Route.ROUTINE),
    ("he is beating me at chess", Route.ROUTINE),
    ("I choked up during the speech", Route.ROUTINE),
    ("the photographer shot her wedding", Route.ROUTINE),
    ("I shot him a quick email", Route.ROUTINE),
    ("he got shot down by his crush", Route.ROUTINE),
]

THREAT_WITH_MEANS = [
    ("my son has a knife and says he will kill his brother", Route.EMERGENCY),
    ("my son has a knife and is threatening to kill his brother right now", Route.EMERGENCY),
    ("he has a gun and says he'll shoot her", Route.EMERGENCY),
    ("she's holding a knife to her wrist", Route.EMERGENCY),
    ("I have a gun and I'm thinking about using it on myself", Route.EMERGENCY),
    ("the knife is against my throat", Route.EMERGENCY),
    # possession alone, or means without a threat, is not a crisis
    ("i have a gun", Route.ROUTINE),
    ("I have a knife", Route.ROUTINE),
    ("he has a knife and he is cutting vegetables", Route.ROUTINE),
    # the threat without means stays a crisis; history and hypotheticals soften it
    ("my son says he will kill his brother", Route.CRISIS),
    ("my husband says he's going to kill me", Route.CRISIS),
    ("my husband has a gun and says he's going to kill me", Route.EMERGENCY),
    ("he tried to kill me years ago", Route.SENSITIVE),
    ("last year he had a knife and threatened to kill my mom", Route.SENSITIVE),
    ("hypothetically if someone had a gun and said they would shoot her", Route.SENSITIVE),
]

HOPELESSNESS = [
    ("i dont see the point anymore", Route.SENSITIVE),
    ("what's the point anymore", Route.SENSITIVE),
    ("life feels pointless", Route.SENSITIVE),
    ("I don't see the point in living", Route.CRISIS),
    ("i cant see the point of going on", Route.CRISIS),
    ("what's the point of being alive", Route.CRISIS),
    ("i don't see the point in paying for that", Route.ROUTINE),
    ("i dont see the point of this form", Route.ROUTINE),
]

REVIEWED_PHRASES = [
    ("I'm thinking of ending things", Route.CRISIS),
    ("I've never thought of ending things", Route.SENSITIVE),
    ("I'm thinking of ending things with my boyfriend", Route.ROUTINE),
    ("nobody would miss me", Route.CRISIS),
    ("nobody would miss me if I skipped the party", Route.ROUTINE),
    ("I've been hurting myself again", Route.CRISIS),
    ("I used to hurt myself in high school", Route.SENSITIVE),
    ("my friend has been hurting herself", Route.CRISIS),
    ("he chokes me when he's angry", Route.CRISIS),
    ("he used to choke me when he was drunk", Route.SENSITIVE),
    ("my stepdad touches me", Route.CRISIS),
    ("my friend says her stepdad touches her", Route.CRISIS),
    ("I'm scared he'll kill me", Route.CRISIS),
    ("I'm not scared he'll kill me", Route.SENSITIVE),
    ("I feel like hurting someone", Route.CRISIS),
    ("I don't feel like hurting anyone", Route.SENSITIVE),
    ("I can't breathe, chest pain", Route.EMERGENCY),
    ("she's unconscious", Route.EMERGENCY),
    ("he was unconscious for a minute after the accident years ago", Route.SENSITIVE),
    ("he's having a seizure", Route.EMERGENCY),
    ("she had a seizure last year", Route.SENSITIVE),
    ("what should I do if someone is having a seizure", Route.SENSITIVE),
    ("my baby is choking", Route.EMERGENCY),
]


def _check(cases: list[tuple[str, Route]]) -> dict[str, str]:
    return {
        text: str(screen(text).route) for text, route in cases if screen(text).route is not route
    }


def test_violence_happening_now_is_an_emergency() -> None:
    """Lethal force or a weapon used on someone now or just now routes to 911 wording."""
    assert _check(VIOLENCE_NOW) == {}


def test_a_threat_with_means_at_hand_is_an_emergency() -> None:
    """A threat to kill with a weapon at hand is immediate danger; possession alone is not."""
    assert _check(THREAT_WITH_MEANS) == {}


def test_hopelessness_is_at_least_sensitive() -> None:
    """Seeing no point is flagged for review, and no point in living is a crisis."""
    assert _check(HOPELESSNESS) == {}


def test_reviewed_phrases_and_their_variants() -> None:
    """Phrases found in review route per the contract, as do their softer variants."""
    assert _check(REVIEWED_PHRASES) == {}


@pytest.mark.parametrize(
    "text",
    ["he just stabbed his brother", "someone broke in and has a gun", "my son got shot"],
)
def test_violence_now_is_named_as_abuse_or_violence(text: str) -> None:
    """The verdict names the violence rule and its category, so staff see why 911 was read."""
    verdict = screen(text)
    assert Category.ABUSE_VIOLENCE in verdict.categories
    assert any(m.rule == "av.violence_now" for m in verdict.matches)


def test_the_weapon_is_what_makes_a_threat_immediate() -> None:
    """The threat's match carries the immediacy modifier that the weapon nearby gave it."""
    verdict = screen("my son has a knife and says he will kill his brother")
    deciding = [m for m in verdict.matches if m.route is Route.EMERGENCY]
    assert deciding
    assert all(Modifier.IMMEDIATE in m.modifiers for m in deciding)
