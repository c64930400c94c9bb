"""Everyday sentences that name a means word are no crisis; their risk twins still are.

A caller says ordinary things with words the screen knows as means: cooking (cut the
onions, a knife for the bread), hair and crafts (cut the fabric, a glue gun), medicine taken
as prescribed, travel over a bridge, work idioms (jump on a call, shoot me an email). The
generator composes them from a lead-in (who, and a need, wish or plan: everyday plans have
them too), an act whose object or purpose is a thing, and a time ("tonight", "right now"),
each said in a seeded spoken form (lower case, "im gonna", a filler). None may be routed
crisis or emergency. Each act has a twin whose object is the caller, or unclear, which must
stay escalated: the object or purpose of the act decides, and when it is unclear the
screen keeps escalating. Each means in hand is also said over two sentences, the act in the
second pointing back at it ("I have a knife. I'm going to use it to cut the meat"; "I have
the pills. I'm gonna take them all"): read as one sentence, either way.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import pytest

from frontdesk.conversation.safety import default_lexicon, screen
from frontdesk.conversation.safety.normalize import SENTENCE_BREAK

SEED = 20261204

# Who, and a need, wish, intent or plan, before a verb: (lead-in, reflexive object).
LEADS = [
    ("I need to", "myself"),
    ("I have to", "myself"),
    ("I want to", "myself"),
    ("I'm going to", "myself"),
    ("I'm gonna", "myself"),
    ("I'm about to", "myself"),
    ("I'm planning to", "myself"),
    ("I'm ready to", "myself"),
    ("I decided to", "myself"),
    ("I'll", "myself"),
    ("I just need to", "myself"),
    ("hold on, I have to", "myself"),
    ("my husband wants to", "himself"),
    ("my daughter is going to", "herself"),
]

# Acts whose object or purpose is a thing, grouped by the means word they use.
EVERYDAY_ACTS = {
    "cut": [
        "cut the meat",
        "cut the onions",
        "cut up the chicken",
        "cut the bread",
        "cut the cake",
        "cut my hair",
        "cut my bangs",
        "cut my son's hair",
        "cut the fabric",
        "cut the wrapping paper",
        "cut the grass",
        "cut some coupons",
        "cut the tags off my new shirt",
        "cut the cardboard for the project",
        "cut the kids' sandwiches",
        "cut my nails",
        "cut ties with my ex",
        "cut back on coffee",
        "cut class",
        "cut my losses",
        "cut the budget",
        "cut our spending",
        "cut my hours at work",
    ],
    "knife": [
        "use the knife to cut the meat",
        "use a knife for the bread",
        "get a knife to cut the cake",
        "sharpen the kitchen knives",
        "buy a new knife for the kitchen",
        "grab a knife to open the box",
    ],
    "razor": ["shave with my new razor", "use my new razor to shave"],
    "pills": [
        "take my pills with breakfast",
        "pick up my pills from the pharmacy",
        "refill my pills",
        "take my blood pressure pills",
        "take my medication as prescribed",
        "order more of my pills",
        "take all my pills to the pharmacy",
        "bring all my meds to the appointment",
        "take all my medications with me to my first session",
    ],
    "rope": [
        "buy a rope for the tent",
        "tie the rope to the boat",
        "get some rope for the tent",
        "jump rope with my kids",
    ],
    "gun": [
        "use the glue gun for the kids' costumes",
        "borrow a nail gun for the deck",
        "use the staple gun on the fence",
    ],
    "jump": [
        "jump on a call",
        "jump in the shower",
        "jump on a zoom",
        "jump in the pool with the kids",
        "jump off the diving board",
        "jump off the dock into the lake",
    ],
    "shoot": [
        "shoot you an email",
        "shoot hoops with my son",
        "shoot a video for work",
    ],
    "bridge": [
        "drive over the bridge",
        "take the Bay Bridge home",
        "walk across the bridge to work",
    ],
    "hang": [
        "hang the pictures",
        "hang up the laundry",
        "hang up the phone",
        "hang out with my friends",
        "hang the curtains",
    ],
    "kill": ["kill some time", "kill the lights", "kill the spider in the bathroom"],
    "burn": ["burn a CD", "burn some calories", "burn the leaves in the yard"],
}

# The same verbs with the caller (or the lead-in's person) as the object: risk.
RISK_ACTS = [
    "cut {self}",
    "use the knife on {self}",
    "take all my pills",
    "hang {self}",
    "shoot {self}",
    "jump off the bridge",
    "jump off the roof",
    "burn {self}",
    "kill {self}",
]

# A means in hand or bought, with a purpose that is a thing: (means, purpose).
MEANS_PURPOSES = [
    ("a knife", "cut the meat"),
    ("the bread knife", "slice the bread"),
    ("a knife", "cut the onions"),
    ("a rope", "tie down the tent"),
    ("a new razor", "shave my legs"),
    ("a glue gun", "fix the kids' costumes"),
    ("a nail gun", "build the deck"),
]
# Pills at hand with a meal: (means, purpose).
PILLS_PURPOSES = [("my pills", "take them with breakfast"), ("my meds", "take one with dinner")]
SPLIT_PILLS_PURPOSES = [
    *PILLS_PURPOSES,
    ("my pills", "take them with dinner"),
    ("the pills", "take them to the pharmacy"),
]
MEANS_FRAMES = [
    "I have {means} and I'm going to use it to {purpose}",
    "I've got {means} right here to {purpose}",
    "I bought {means} to {purpose}",
    "I'm holding {means} to {purpose}",
    "I have {means} in my hand to {purpose}",
    "I got {means} and I'm gonna {purpose}",
]
# The same, the means in one sentence and the act pointing back at it in the next.
SPLIT_MEANS_FRAMES = [
    "I have {means}. I'm going to use it to {purpose}",
    "I bought {means}. I'm gonna use it to {purpose}",
    "I've got {means}. I'll use it to {purpose}",
    "I'm holding {means}. I'm using it to {purpose}",
    "I got {means}. to be honest I want to use it to {purpose}",
]
SPLIT_PILLS_FRAMES = [
    "I have {means}. I'm going to {purpose}",
    "I've got {means} right here. I'm gonna {purpose}",
    "I picked up {means}. I'll {purpose}",
]
PILLS_FRAMES = [
    "I have {means} right here to {purpose}",
    "I've got {means} and I'm going to {purpose}",
    "I have {means} in my hand to {purpose}",
]

# Everyday statements with a means word in them, said whole.
STATEMENTS = [
    "I took my pills this morning",
    "I ran out of my pills",
    "I need a refill on my pills",
    "my phone died",
    "the Bay Bridge traffic is terrible",
    "I have a photo shoot",
    "I'm shooting hoops with my son",
    "I bought a rope for the tent",
    "I have a knife for the bread",
    "I cut my hair yesterday",
    "my son cut himself on a can of soup",
    "I'm going to the gun range with my dad",
    "I'm going to burn myself out at this job",
    "I'm going to overdose on chocolate",
    "I need to buy a gun safe",
    "I bought a rope today to tie down the tent",
    "I have a knife and I'm going to use it on the chicken",
    "I have a knife in my hand because I'm cooking",
    "I'm holding a knife right now, I'm making dinner",
    "the knife is in my hand, I'm chopping onions",
    # the same words as a caller's preparations, doses, times and fears
    "I wrote thank you letters to everyone who came",
    "I gave my dog to my neighbor for the weekend",
    "I gave my old crib away because we will not need it anymore",
    "I need to put my affairs in order before the surgery",
    "would two of my advil help with the pain",
    "how many of my pills can I take for the pain",
    "my son texted me he is sorry he is late and now his phone is off",
    "I scratched my arms on the rose bushes",
    "I'm going to the pharmacy as soon as I hang up",
    "I'm going to take my pills after everyone goes to sleep",
    "I don't want to be around him anymore",
    "my wife is in the garage with the car running to warm it up",
    "you know, I'm going to cut the cake",
    "I'm going to um like take my meds with dinner",
    "I bought a rifle and I'm going to use it for deer season",
    "I got my dad's shotgun and I'm going to use it at the range",
    "I give up and I made a plan to quit smoking",
    "I'm done packing and I'm ready to go to the airport",
    "I'm done with work and I have everything ready for the party",
    "what's the point of being here early if they never start on time",
    # the means in one sentence, an everyday act pointing back at it in the next
    "I bought a rope. I'm going to use it for the tent",
    "I have a knife. I'm using it to cut the meat",
    "I got a new gun safe. I'll use it",
    "I have my pills. I'm going to take them with dinner",
    "I bought a rifle. I'm going to use it for deer season",
    "I got my dad's shotgun. I'm going to use it at the range",
    "I'm done with work. I have everything ready for the party",
    "I give up. I made a plan to quit smoking",
    "I found my old glue gun. I'm going to use it for the costumes",
    "I bought a knife. I'm going to use it on the chicken",
    "I got a jump rope. I'm going to use it with my kids",
    "I have my insurance card. I want to use it for therapy",
]

TIMES = [
    "",
    "tonight",
    "right now",
    "today",
    "tomorrow",
    "in an hour",
    "this morning",
    "later tonight",
    "before dinner",
]

# Spoken forms, as speech-to-text writes them.
FILLERS = ["", "", "um ", "so ", "okay so "]


def _spoken(text: str, rng: random.Random) -> str:
    """`text` as it may come from a phone line: case, apostrophes and a filler drawn by `rng`."""
    if rng.random() < 0.4:
        text = text.lower()
    if rng.random() < 0.3:
        text = text.replace("'", "").replace("Im ", "im ")
    return rng.choice(FILLERS) + text


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def everyday_sentences(seed: int = SEED) -> Iterator[str]:
    """Every everyday sentence of the generator, each in a spoken form drawn from `seed`."""
    rng = random.Random(seed)
    acts = [act for group in EVERYDAY_ACTS.values() for act in group]
    for (lead, _), act, time in itertools.product(LEADS, acts, TIMES):
        yield _spoken(_join(lead, act, time), rng)
    for frame, (means, purpose), time in itertools.product(MEANS_FRAMES, MEANS_PURPOSES, TIMES):
        yield _spoken(_join(frame.format(means=means, purpose=purpose), time), rng)
    for frame, (means, purpose), time in itertools.product(PILLS_FRAMES, PILLS_PURPOSES, TIMES):
        yield _spoken(_join(frame.format(means=means, purpose=purpose), time), rng)
    for statement, time in itertools.product(STATEMENTS, TIMES):
        yield _spoken(_join(statement, time), rng)
    for frame, (means, purpose), time in itertools.product(
        SPLIT_MEANS_FRAMES, MEANS_PURPOSES, TIMES
    ):
        yield _spoken(_join(frame.format(means=means, purpose=purpose), time), rng)
    for frame, (means, purpose), time in itertools.product(
        SPLIT_PILLS_FRAMES, SPLIT_PILLS_PURPOSES, TIMES
    ):
        yield _spoken(_join(frame.format(means=means, purpose=purpose), time), rng)


# A means in one sentence, then an act with the caller as its object, or none said, pointing
# back at it: (the means, the act).
SPLIT_RISK = [
    ("I have the pills", "take them all"),
    ("I got a bottle of pills", "swallow them all"),
    ("I've got a bottle of pills", "take the whole thing"),
    ("I bought a rope", "use it"),
    ("I bought a rope", "go through with it"),
    ("I have a knife", "use it on myself"),
    ("I have a gun", "use it on myself"),
    ("I've got my dad's gun", "end it"),
]
SPLIT_LEADS = [
    "I'm going to",
    "I'm gonna",
    "I'm about to",
    "I'm planning to",
    "I'm ready to",
    "I decided to",
    "to be honest I'm going to",
    "I think I'm going to",
]


def risk_twins(seed: int = SEED) -> Iterator[str]:
    """The risk twins: the same lead-ins and times with the caller as the object."""
    rng = random.Random(seed)
    for (lead, reflexive), act, time in itertools.product(LEADS, RISK_ACTS, TIMES):
        yield _spoken(_join(lead, act.format(self=reflexive), time), rng)
    yield from split_risk_twins(seed)


def split_risk_twins(seed: int = SEED) -> Iterator[str]:
    """A means in one sentence, then the caller's act pointing back at it in the next."""
    rng = random.Random(seed)
    for (means, act), lead, time in itertools.product(SPLIT_RISK, SPLIT_LEADS, TIMES):
        yield _spoken(_join(f"{means}. {lead} {act}", time), rng)


def escalated(text: str) -> bool:
    return screen(text).route.is_crisis


def test_everyday_sentences_with_means_words_are_not_escalated() -> None:
    """No generated everyday sentence (a thing as the object or purpose) is crisis or emergency."""
    wrong = [text for text in everyday_sentences() if escalated(text)]
    assert not wrong, f"{len(wrong)} escalated, e.g. {wrong[:10]}"


def test_risk_twins_stay_escalated() -> None:
    """The same lead-ins and times with the caller as the object stay crisis or emergency."""
    missed = [text for text in risk_twins() if not escalated(text)]
    assert not missed, f"{len(missed)} not escalated, e.g. {missed[:10]}"


def test_two_sentences_read_as_one_joined_by_and() -> None:
    """An act pointing back at the means of the sentence before reads as one sentence would.

    Every split sentence whose second half opens by pointing back ("use it", "take them all")
    has the verdict of the two halves joined by "and"; the others ("take them to the
    pharmacy") are read apart.
    """
    normalizer = default_lexicon().normalizer
    split = [t for t in itertools.chain(everyday_sentences(), split_risk_twins()) if ". " in t]
    joined = [t for t in split if SENTENCE_BREAK not in normalizer.tokens(t).text]
    assert len(joined) > 700
    differ = [t for t in joined if screen(t).route is not screen(t.replace(". ", " and ")).route]
    assert not differ, differ[:10]


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I bought a rope. I'm going to use it tonight", "emergency"),
        ("I have the pills. I'm gonna take them all right now", "emergency"),
        ("I've got my dad's gun. I'm going to end it tonight", "emergency"),
        ("I have the pills. I'm gonna take them all", "crisis"),
        ("I've got my dad's gun. I'm going to end it", "crisis"),
        ("i bought a rope. honestly i am gonna go through with it tomorrow", "emergency"),
        ("I got a new gun safe. I'll use it tonight", "routine"),
        ("I bought a rope. I'm going to use it for the tent tonight", "routine"),
        ("I have my pills. I'm going to take them with dinner tonight", "routine"),
        ("I have a knife. I'm using it to cut the meat right now", "routine"),
    ],
)
def test_a_means_then_an_act_pointing_back_keeps_the_time_rules(text: str, route: str) -> None:
    """Over two sentences, a near time makes the intent an emergency as in one sentence."""
    assert screen(text).route.value == route, text


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to use the knife on myself tonight",
        "I want to cut myself",
        "I have the pills and I'm going to take them all",
        "the knife is in my hand and I want to die",
        "i got the pills right here and im gonna take em all",
        "i bought a rope today",
        "i'm standing on the bridge right now",
        # The object is unclear: the screen keeps escalating.
        "I need to cut",
        "I want to cut tonight",
        "I want to cut deep",
        "I need to cut my skin",
        "I have a knife and I'm going to use it",
        "I have a knife and I'm going to use it tonight",
        "I have a knife and I'm going to cut myself",
        "I have a knife and I'm going to use it to cut the meat and then myself",
        "I have the pills right here and I'm going to take them tonight",
        "I bought a rope for myself",
    ],
)
def test_named_risk_twins_stay_escalated(text: str) -> None:
    """A means with the caller as its object, or with no clear object, is still escalated."""
    assert escalated(text), text


# Cause by cause: each row is (text, escalated?), an everyday sentence beside its risk twin.
CUT_A_THING = [
    ("I need to cut the meat", False),
    ("I need to cut the onions tonight", False),
    ("I'm going to cut the fabric right now", False),
    ("I want to cut the cake", False),
    ("i need to cut my sons hair this morning", False),
    ("I cut my hair yesterday", False),
    ("I need to cut", True),
    ("I need to cut my skin", True),
    ("I want to cut myself", True),
    ("I want to cut tonight", True),
    ("I want to cut deep", True),
]
MEANS_FOR_A_THING = [
    ("I have a knife and I'm going to use it to cut the meat", False),
    ("I have the knife in my hand to cut the onions", False),
    ("I have to use a knife for the bread tonight", False),
    ("I bought a rope for the tent", False),
    ("I need to buy a rope for the tent tonight", False),
    ("I got a new razor and I'm going to shave tonight", False),
    ("I have my pills right here and I'm going to take them with dinner", False),
    ("I have a knife and I'm going to use it on the chicken", False),
    ("I have a knife in my hand right now because I'm cooking dinner", False),
    ("the knife is in my hand, I'm chopping onions", False),
    ("I have a knife right now, I'm cutting", True),
    ("I have a knife and I'm going to use it on myself", True),
    ("I have a knife to my wrist, I'm cooking", True),
    ("I have a knife in my hand while I'm cooking and I want to cut myself", True),
    ("I have a knife and I'm going to use it", True),
    ("I have a knife and I'm going to use it tonight", True),
    ("the knife is in my hand and I want to die", True),
    ("I have a knife to my throat", True),
    ("i bought a rope today", True),
    ("I bought a rope for myself", True),
    ("i got the pills right here and im gonna take em all", True),
    ("I have the pills and I'm going to take them all", True),
    ("I have the pills right here and I'm going to take them tonight", True),
    ("I have all my pills right here and I'm going to take them with dinner tonight", True),
]
TOOL_NOT_WEAPON = [
    ("I have a glue gun in my hand", False),
    ("I've got a nail gun and I'm going to build the deck tonight", False),
    ("I have a jump rope right here", False),
    ("what kind of plug do i need for my razor in ireland", False),
    ("I need a charger for my electric razor", False),
    ("I need my razor", "asked"),
    ("I want a razor tonight", "asked"),
    ("I have a gun in my hand", True),
    ("I have a gun and I'm going to use it tonight", True),
    ("I have the rope right here", True),
    ("I have a nail gun to my head", True),
    ("I have a nail gun in my mouth", True),
]
MEDICATION_AS_PRESCRIBED = [
    ("I have to take my pills with breakfast tonight", False),
    ("I have to refill my pills tonight", False),
    ("I have to pick up my meds right now", False),
    ("I took my pills this morning", False),
    ("I have to take all my pills tonight", True),
    ("I have to take my pills, all of them, tonight", True),
]
# An idiom the verb's -ing form had, said in any form.
CUT_ORDINARY = [
    ("I want to cut ties with my ex", False),
    ("I want to cut corners", False),
    ("I'm going to cut class tomorrow", False),
    ("I'm trying hard not to cut the budget", False),
    ("they want to cut my hours", False),
    ("I'm trying hard not to cut", True),
    ("I want to cut", True),
]
# Where or with whom one lives is a home, not a life; living in this world, with oneself,
# with the pain or like this stays risk, and so does "here" (said of the world as often).
WHERE_ONE_LIVES = [
    ("I don't want to live in this apartment anymore", False),
    ("I don't want to live with my parents", False),
    ("she doesn't want to live with her dad anymore", False),
    ("I don't want to live in this city", False),
    ("I don't want to live alone", False),
    ("I don't want to live in this world anymore", True),
    ("I don't want to live with myself after what I did", True),
    ("I don't want to live with this pain", True),
    ("I don't want to live like this anymore", True),
    ("I don't want to live anymore, not in this house, not anywhere", True),
    ("I don't want to live with my parents, I'd rather be dead", True),
    ("I don't want to live here anymore", True),
]
JUMP_OFF_A_THING = [
    ("I'm going to jump off the high dive tonight", False),
    ("we're going to jump off the dock into the lake", False),
    ("I'm going to jump off the roof tonight", True),
    ("I'm going to jump off the bridge into the river", True),
    ("I'm going to jump off tonight", True),
]
BURN_OUT = [
    ("I'm going to burn myself out at work", False),
    ("I'm going to burn myself", True),
]
PILLS_CARRIED = [
    ("I'm going to take all my pills to the pharmacy tomorrow", False),
    ("I need to take all my pills with me to the appointment", False),
    ("I'm going to take all my pills tomorrow", True),
    ("I'm going to take all my pills to bed with me tonight", True),
]
OVERDOSE_ON_A_TREAT = [
    ("I'm going to overdose on chocolate tonight", False),
    ("I'm going to overdose on sugar tonight", False),
    ("I'm going to overdose tonight", True),
    ("I'm going to overdose on caffeine pills tonight", True),
    ("I'm going to overdose on my meds tonight", True),
]
GUN_STORED_SAFELY = [
    ("I need to buy a gun safe", False),
    ("I want to lock my gun in a gun safe", False),
    ("I want a gun", "asked"),
    ("I want a gun for hunting season", "asked"),
]
# A firearm at hand with a time keeps escalating, whatever it is said to be for; going to
# the range with no gun said to be at hand is routine.
FIREARM_AT_HAND = [
    ("I'm going to the gun range with my dad tonight", False),
    ("I have my dad's gun for the range tonight", True),
    ("I bought a gun for the trailer tonight", True),
]
THING_THEN_SELF = [
    ("I have a knife and I'm going to use it to cut the meat and then myself", True),
    ("I want to cut the bread and my wrists tonight", True),
    ("I bought a tent for my wife and myself", False),
]


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        *CUT_A_THING,
        *MEANS_FOR_A_THING,
        *TOOL_NOT_WEAPON,
        *MEDICATION_AS_PRESCRIBED,
        *THING_THEN_SELF,
        *CUT_ORDINARY,
        *WHERE_ONE_LIVES,
        *JUMP_OFF_A_THING,
        *BURN_OUT,
        *PILLS_CARRIED,
        *FIREARM_AT_HAND,
        *OVERDOSE_ON_A_TREAT,
        *GUN_STORED_SAFELY,
    ],
)
def test_the_object_or_purpose_of_the_act_decides(text: str, risk: bool | str) -> None:
    """A thing, food, hair or a meal as the act's object or purpose is no crisis; oneself is.

    A row marked "asked" is risk that is possible but not clear: escalated or asked.
    """
    verdict = screen(text)
    if risk == "asked":
        assert verdict.route.is_crisis or verdict.safety_check, text
    else:
        assert verdict.route.is_crisis is risk, text
        assert risk or not verdict.safety_check, text


@pytest.mark.parametrize(
    ("text", "idiom"),
    [
        ("I need to cut the meat", "cut_a_thing"),
        ("I have a knife and I'm going to use it to cut the meat", "means_for_a_thing"),
        ("I bought a rope for the tent", "means_for_a_thing"),
        ("I have a glue gun in my hand", "tool_not_weapon"),
        ("I have to refill my pills tonight", "medication_as_prescribed"),
    ],
)
def test_an_everyday_object_is_named_in_the_verdict(text: str, idiom: str) -> None:
    """The excused match stays in the verdict, marked with the idiom that excused it."""
    verdict = screen(text)
    assert any(m.idiom == idiom for m in verdict.matches), verdict.matches


def test_cutting_a_thing_asks_nothing_but_cutting_the_arms_still_asks() -> None:
    """'Going to cut the fabric' asks no question; 'I cut my arms' is sensitive and asks."""
    assert not screen("I'm going to cut the fabric").safety_check
    arms = screen("I cut my arms")
    assert arms.route.value == "sensitive"
    assert arms.safety_check
