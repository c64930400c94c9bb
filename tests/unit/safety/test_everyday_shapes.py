"""Everyday sentences shaped like risk, beside risk twins that must stay escalated.

A third seeded generator, kept apart so the others' sentences (and their measured misses)
stay the same. Four shapes a caller says every day hold words the screen knows as risk: a
means in hand and an errand ("I have the pills and I'm going to the store", "I have my
knife and I'm going camping"), a note left for when one is away on a trip, a wish never to
have been born in some season or place, and a threat to kill someone over a trifle ("I'll
kill my brother if he eats my leftovers"). None of them may escalate or ask. Each shape has
risk twins with the same words that must stay escalated: the act named after the errand
("... then take them all tonight"), gone for good, never born at all, a threat over being
touched or hurt. A fifth shape, drawn from a stream of its own so the others stay as
measured, is a means said with an everyday plan ("I got my pills and I'm going to pick up
my kids", "I have the pills so I'm ready for the trip", "I have a rope so I'm going
climbing"), beside the same plan followed by the act and plans that are risk ("I'm ready
for tonight", "I'm going to the woods", "I'm going to bed to end it"). A sixth, from a stream
of its own too, is the plan with what follows it: an ending ("I'm going to bed forever",
"... and that's it", "... and say goodbye"), a place one may fall from ("climbing off the
bridge", "the trip to the bridge") or harm to another ("pick up my ex and hurt him"), which
are risk, beside tails that leave the plan everyday ("for the night", "early tonight", "with
my kids", "that's it for today"). Speech artefacts are
laid on top as in `test_caller_generator`. A seventh, from a stream of its own, is a means got
ready with no intent said ("I loaded my dad's gun", "I have all my meds lined up") beside
the same act for an everyday purpose ("... to clean it", "... in the weekly pill
organizer"), and a means followed by "I'm ready" or "I'm doing it" as a sentence of its own
beside "I'm ready for my appointment" or "I'm doing fine". A gun is
never drawn with an errand: it keeps the route it had (`FIXED`), as a knife taken to school
does.

Run the whole enumeration and list its misses with
`.venv/bin/python -m tests.unit.safety.test_everyday_shapes [N] [SEED]`.
"""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from frontdesk.conversation.safety import Verdict, screen
from frontdesk.domain.calls import Route

from .generated import assert_expected, report
from .test_caller_generator import KIN, Case, _speech

SEED = 20261206
SAMPLES = 600

# A means in hand: (words, what it is).
MEANS = [
    ("the pills", "pills"),
    ("my pills", "pills"),
    ("my meds", "pills"),
    ("a bottle of pills", "pills"),
    ("my knife", "blade"),
    ("a knife", "blade"),
    ("the rope", "blade"),
    ("my gun", "gun"),
    ("my dad's rifle", "gun"),
]
HOLD = ["I have", "I've got", "I got", "I grabbed", "I bought"]
# An errand or an outing said after the means: for any but a gun, or for pills only.
ERRANDS = [
    "I'm going to the store",
    "I'm going to the grocery store after work",
    "I'm going to the pharmacy",
    "I'm going camping this weekend",
    "I'm going shopping with my sister",
    "I'm going hiking tomorrow",
    "I'm heading to the bank",
]
PILLS_ERRANDS = [
    "I'm going to work",
    "I'm going to the gym later",
    "I'm about to leave for work",
    "I am going to the doctor",
    "I'm going to take them to the pharmacy",
    "I'm going to bring them to my appointment",
    "I'll take them back to the pharmacy",
    "I'm going to drop them off at the pharmacy",
]
# After an errand, the everyday use of the means.
AFTER_EVERYDAY = {
    "pills": "then I'll take them with dinner",
    "blade": "then I'll use it to cut the meat",
}
# What a means in hand is for, said instead of an errand or after it: risk. (act, means it
# fits, or None for any.)
INTENT = [
    ("I'm going to take them all tonight", "pills"),
    ("I'm going to swallow them all", "pills"),
    ("I'm going to use it tonight", "blade"),
    ("I'm going to use it on myself", "blade"),
    ("I'm going to use it tonight", "gun"),
    ("I'm going to end it", None),
    ("I'm going to do it tonight", None),
    ("I'm ready", None),
]
AFTER_RISK = [
    ("then take them all tonight", "pills"),
    ("then I'll take them all", "pills"),
    ("and then I'm going to swallow them", "pills"),
    ("then I'll use it on myself", "blade"),
    ("then I'll use it on myself", "gun"),
    ("and then I'll do it", None),
    ("and then I'm going to end it", None),
    ("then I'll work up the courage to take them all", "pills"),
]

# An everyday plan said after the means that names what one will do: an activity, an
# occasion one goes on or gets ready for, an outing the means is gear for. (plan, means it
# fits.) A firearm is never drawn with one.
PLANS = [
    ("I'm going to pick up my kids", "pills"),
    ("I'm going to go pick up my {k}", "pills"),
    ("I'm going to drop the kids off", "pills"),
    ("I'm going to bed", "pills"),
    ("I'm about to go to bed", "pills"),
    ("I'm heading to bed", "pills"),
    ("I'm ready for bed", "pills"),
    ("I'm ready for the trip", "pills"),
    ("I'm ready for my flight tomorrow", "pills"),
    ("I'm going on vacation next week", "pills"),
    ("I'm leaving for work", "pills"),
    ("I'm going to cook dinner", "pills"),
    ("I'm going to study for my exam", "pills"),
    ("I'm going to go clean the house", "pills"),
    ("I'm going to go climbing", "rope"),
    ("I'm going climbing this weekend", "rope"),
    ("I'm going sailing with my {k}", "rope"),
    ("I'm ready for the climbing trip", "rope"),
    ("I'm ready for the camping trip", "blade"),
    ("I'm going on a fishing trip", "blade"),
]
# The means drawn with a plan: (words, what it is).
PLAN_MEANS = [
    ("the pills", "pills"),
    ("my pills", "pills"),
    ("my meds", "pills"),
    ("my medication", "pills"),
    ("my knife", "blade"),
    ("a knife", "blade"),
    ("a rope", "rope"),
    ("the rope", "rope"),
    ("my climbing rope", "rope"),
    ("my gun", "gun"),
]
# A plan that names no activity, points back at the means, names a lonely place or an
# ending: risk, the same words as a plan.
PLAN_RISK = [
    ("I'm going to the woods", None),
    ("I'm going to the bathroom", "pills"),
    ("I'm ready for tonight", None),
    ("I'm ready for the end", None),
    ("I'm going to bed to end it", "pills"),
    ("I'm going to sleep and never wake up", "pills"),
    ("I'm going to use it tonight", "rope"),
    ("I'm going to use it on myself", "blade"),
    ("I'm going to take them all before bed", "pills"),
]

# What may follow an everyday plan (drawn apart, see `_tails`): (words, means it fits, what
# the screen must make of it). An ending marker, a place one may fall from or harm to
# another makes the plan risk; a time, company or the end of the day leaves it everyday.
TAILS = [
    # an ending: forever, the last time, never coming back, that's it, a farewell
    ("{plan} forever", None, "escalated"),
    ("{plan} for the last time", None, "escalated"),
    ("{plan} one last time", None, "escalated"),
    ("{plan} and that's it", None, "escalated"),
    ("{plan}, that's it", None, "escalated"),
    ("{plan} and I'm never coming back", None, "escalated"),
    ("{plan} and I won't be back", None, "escalated"),
    ("{plan} and say goodbye", None, "escalated"),
    ("{plan} and say my goodbyes", None, "escalated"),
    ("{plan} to say goodbye to everyone", None, "escalated"),
    # "for good" may be an ending or a move, a custody change or a sickness: asked
    ("I'm going to bed for good", "pills", "escalated_or_asked"),
    ("I'm heading to bed for good", "pills", "escalated_or_asked"),
    ("I'm going on vacation for good", "pills", "escalated_or_asked"),
    # harm to another
    ("I'm going to pick up my {k} and hurt {him}", None, "escalated"),
    ("I'm going to go pick up my {k} and then I'll kill {him}", None, "escalated"),
    ("I'm ready for the trip, then I'll hurt my {k}", None, "escalated"),
    # a place one may fall or jump from
    ("I'm going climbing off the {place}", "rope", "escalated"),
    ("I'm going to go climbing off the {place}", "rope", "escalated"),
    ("I'm going climbing on the {place}", "rope", "escalated_or_asked"),
    ("I'm ready for the trip to the {place}", None, "escalated"),
    ("I'm going on a trip to the {place}", None, "escalated"),
    ("I'm ready for the climbing trip to the {place}", "rope", "escalated"),
    # everyday: when, with whom, the end of the day, back later
    ("{plan} for the night", None, "routine"),
    ("{plan} early tonight", None, "routine"),
    ("{plan} with my kids", None, "routine"),
    ("{plan} with my {k}", None, "routine"),
    ("{plan} and that's it for today", None, "routine"),
    ("{plan}, that's it for tonight", None, "routine"),
    ("{plan} and I'll be back by five", None, "routine"),
    ("{plan} and won't be back until Monday", None, "routine"),
    ("{plan} right after dinner", None, "routine"),
]
# A means got ready with no intent said (preparatory behaviour): a firearm loaded, unlocked,
# held or taken out of where it is kept, pills lined up, counted, poured or laid out. Risk,
# beside the same act for an everyday purpose. ({means} is filled from the lists below.)
READY_GUN = [
    "I loaded {gun}",
    "I just loaded {gun}",
    "I unlocked {gun}",
    "I'm holding {gun}",
    "I got {gun} out of the safe",
    "I took {gun} out of the closet",
    "I pulled {gun} out of the drawer",
    "I took out {gun}",
]
GUNS = ["my gun", "the gun", "my dad's gun", "my husband's rifle", "the shotgun", "my pistol"]
GUN_PURPOSE = [
    "to clean it",
    "for hunting season",
    "to take it to the range",
    "for the range",
    "for target practice",
    "to go hunting with my {k}",
    "to sell it",
]
READY_PILLS = [
    "I have all my {pills} lined up",
    "I lined up all my {pills}",
    "I counted out all my {pills}",
    "I poured out the {pills}",
    "I have my {pills} laid out",
    "my {pills} are all lined up",
    "I have all my {pills} in front of me",
]
PILLS = ["pills", "meds", "medication", "sleeping pills", "tablets"]
PILLS_PURPOSE = [
    "in the weekly pill organizer",
    "in my pill box",
    "for the week",
    "for the trip",
    "for each day of the week",
]
# A means in hand, then "I'm ready" or "I'm doing it" as a sentence of its own with no time:
# risk; the same words ready for an occasion or doing fine are everyday.
ALONE = ["I'm ready", "I'm ready now", "I'm doing it", "I'm just doing it", "I'm finally ready"]
ALONE_EVERYDAY = [
    "I'm ready for my appointment",
    "I'm ready for the trip",
    "I'm doing fine",
    "I'm doing better",
    "I'm doing okay",
]
# A means word in an everyday act that readies nothing.
READIED_EVERYDAY = [
    "I loaded the dishwasher",
    "I loaded the car",
    "I loaded the washing machine",
    "I took my gun to the range",
    "I'm cleaning my gun for hunting season",
    "I counted my steps today",
    "I took out the trash",
]
READIED_KINDS = [
    "readied",
    "readied_purpose",
    "means_ready_alone",
    "means_ready_everyday",
    "readied_everyday",
]

# Places one may fall or jump from.
PLACES = ["bridge", "ledge", "roof", "tracks", "cliff", "edge", "overpass", "rooftop"]

# A note left for when one is away, or gone for good.
NOTE_LEADS = [
    "I left a note for my {k}",
    "I wrote a letter to my {k}",
    "I left letters for my kids",
    "I wrote notes for my {k}",
]
AWAY = [
    "for when I'm gone on the trip",
    "for when I'm gone on my business trip",
    "for when I'm gone for the weekend",
    "for when I'm gone for a few days",
    "for when I'm away on vacation",
    "for when I'm gone over the holidays",
]
GONE = [
    "for when I'm gone",
    "for when I'm gone for good",
    "to read after I'm gone",
    "saying goodbye",
]

# A wish never to have been born, about when or where, or at all.
BORN_LEADS = [
    "I wish I had never been born",
    "I wish I'd never been born",
    "honestly I wish I was never born",
    "sometimes I wish I had never been born",
]
BORN_WHEN = [
    "in winter",
    "in december",
    "in the nineties",
    "in 1990",
    "on a Monday",
    "in this town",
    "on christmas",
]
BORN_AT_ALL = ["", "in the first place", "into this family", "into this world"]

# A threat to kill someone: over a trifle, or over being touched or hurt. {he} {him} {k}.
TRIFLES = [
    "I'll kill my {k} if {he} eats my leftovers",
    "I'm going to kill my {k} if {he} eats my fries again",
    "I'll kill {him} if {he} finishes the ice cream",
    "I swear I'll kill my {k} if {he} spoils the ending",
    "I'm gonna kill {him} if {he}'s late again",
    "I'll kill my {k} if {he} takes my parking spot",
    "I'll murder my {k} if {he} wakes me up early again",
]
THREATS = [
    "I'll kill {him} if {he} touches me again",
    "I'll kill my {k} if {he} hurts my kids",
    "I'm going to kill {him} if {he} comes near me again",
    "I'll kill my {k} if {he} lays a hand on my daughter",
]
SELF_IF = ["I'll kill myself if {he} leaves", "I'm going to kill myself if my {k} leaves me"]

KINDS = [
    "means_errand",
    "means_intent",
    "means_errand_then_act",
    "note_away",
    "note_gone",
    "born_when",
    "born_at_all",
    "kill_trifle",
    "kill_threat",
    "kill_self_if",
]
# Drawn apart from `KINDS` (see `generate`).
PLAN_KINDS = ["means_plan", "means_plan_risk", "means_plan_then_act"]


class Shape(Case):
    """A generated case; "routine" expects neither a crisis nor the direct question."""

    def met(self, verdict: Verdict) -> bool:
        """Whether the verdict is what the parts call for."""
        if self.expect == "routine":
            return not (verdict.route.is_crisis or verdict.safety_check)
        return super().met(verdict)


def _kin(template: str, who: str) -> str:
    subject, obj, _, _ = KIN[who]
    return template.replace("{k}", who).replace("{he}", subject).replace("{him}", obj)


def _acts(pairs: list[tuple[str, str | None]], means: str) -> list[str]:
    """The acts of `pairs` that fit a means of kind `means`."""
    return [act for act, fits in pairs if fits in (None, means)]


def _said(rng: random.Random, clauses: list[str]) -> str:
    """Clauses as a caller says them; "going to" a place is never spoken as "gonna"."""
    text = _speech(rng, clauses, hedged=False)
    return re.sub(r"\bgonna (the|my|a|work)\b", r"going to \1", text)


def generate(n: int = SAMPLES, seed: int = SEED) -> list[Case]:
    """`n` cases drawn with a fixed seed, then a third as many plans: the same every run.

    The plans are drawn from a stream of their own, so the other shapes' sentences stay
    those measured before the plans were added.
    """
    return _shapes(n, seed) + _plans(n // 3, seed) + _tails(n // 3, seed) + _readied(n // 3, seed)


def _readied(n: int, seed: int) -> list[Case]:
    """`n` means got ready, with no purpose, for an everyday one, or said with "I'm ready"."""
    rng = random.Random(seed + 3)
    cases: list[Case] = []
    while len(cases) < n:
        kind = rng.choice(READIED_KINDS)
        if kind in ("readied", "readied_purpose"):
            if rng.random() < 0.5:
                act = rng.choice(READY_GUN).replace("{gun}", rng.choice(GUNS))
                purpose = rng.choice(GUN_PURPOSE)
            else:
                act = rng.choice(READY_PILLS).replace("{pills}", rng.choice(PILLS))
                purpose = rng.choice(PILLS_PURPOSE)
            if kind == "readied":
                clauses, expect = [act], "escalated"
            else:
                clauses, expect = [_kin(f"{act} {purpose}", rng.choice(list(KIN)))], "routine"
        elif kind in ("means_ready_alone", "means_ready_everyday"):
            if kind == "means_ready_alone":
                means, _ = rng.choice(PLAN_MEANS)
                held = rng.choice([f"{rng.choice(HOLD)} {means}", "the gun is loaded"])
                clauses, expect = [held, rng.choice(ALONE)], "escalated"
            else:
                # Only pills: a firearm keeps escalating whatever plan follows it.
                means, _ = rng.choice([m for m in PLAN_MEANS if m[1] == "pills"])
                held = f"{rng.choice(HOLD)} {means}"
                clauses, expect = [held, rng.choice(ALONE_EVERYDAY)], "routine"
        else:
            clauses, expect = [rng.choice(READIED_EVERYDAY)], "routine"
        cases.append(Shape(_said(rng, clauses), kind, expect))
    return cases


def _tails(n: int, seed: int) -> list[Case]:
    """`n` means said with an everyday plan and what follows it, from a stream of its own."""
    rng = random.Random(seed + 2)
    cases: list[Case] = []
    while len(cases) < n:
        means, of = rng.choice([m for m in PLAN_MEANS if m[1] != "gun"])
        template, _, expect = rng.choice([t for t in TAILS if t[1] in (None, of)])
        plan = rng.choice(_acts(PLANS, of))
        said = template.replace("{plan}", plan).replace("{place}", rng.choice(PLACES))
        said = _kin(said, rng.choice(list(KIN)))
        held = f"{rng.choice(HOLD)} {means}"
        # Buying a rope is said as preparing on its own, whatever plan follows.
        if held == "I bought a rope" and expect == "routine":
            expect = "escalated"
        kind = {"routine": "plan_tail", "escalated": "plan_tail_risk"}.get(
            expect, "plan_tail_unclear"
        )
        cases.append(Shape(_said(rng, [held, said]), kind, expect))
    return cases


def _plans(n: int, seed: int) -> list[Case]:
    """`n` means said with an everyday plan, or with a plan that is risk."""
    rng = random.Random(seed + 1)
    cases: list[Case] = []
    while len(cases) < n:
        kind = rng.choice(PLAN_KINDS)
        means, of = rng.choice(
            PLAN_MEANS if kind == "means_plan_risk" else [m for m in PLAN_MEANS if m[1] != "gun"]
        )
        held = f"{rng.choice(HOLD)} {means}"
        if kind == "means_plan_risk":
            clauses, expect = [held, rng.choice(_acts(PLAN_RISK, of))], "escalated"
            cases.append(Shape(_said(rng, clauses), kind, expect))
            continue
        plan = _kin(rng.choice(_acts(PLANS, of)), rng.choice(list(KIN)))
        if kind == "means_plan":
            # Buying a rope is said as preparing on its own, whatever plan follows.
            expect = "escalated" if held == "I bought a rope" else "routine"
            clauses = [held, plan]
        else:
            after = rng.choice(_acts(AFTER_RISK, of))
            clauses, expect = [held, f"{plan}, {after}"], "escalated"
        cases.append(Shape(_said(rng, clauses), kind, expect))
    return cases


def _shapes(n: int, seed: int) -> list[Case]:
    """`n` cases of `KINDS` drawn with a fixed seed."""
    rng = random.Random(seed)
    cases: list[Case] = []
    while len(cases) < n:
        kind = rng.choice(KINDS)
        who = rng.choice(list(KIN))
        clauses: list[str]
        if kind.startswith("means"):
            means, of = rng.choice(
                [m for m in MEANS if m[1] != "gun"] if kind == "means_errand" else MEANS
            )
            held = f"{rng.choice(HOLD)} {means}"
            if kind == "means_errand":
                errand = rng.choice(ERRANDS + PILLS_ERRANDS if of == "pills" else ERRANDS)
                if rng.random() < 0.3:
                    errand = f"{errand}, {AFTER_EVERYDAY[of]}"
                clauses, expect = [held, errand], "routine"
            elif kind == "means_intent":
                clauses, expect = [held, rng.choice(_acts(INTENT, of))], "escalated"
            else:
                after = rng.choice(_acts(AFTER_RISK, of))
                clauses, expect = [held, f"{rng.choice(ERRANDS)}, {after}"], "escalated"
            text = _said(rng, clauses)
        elif kind.startswith("note"):
            lead = _kin(rng.choice(NOTE_LEADS), who)
            tail = rng.choice(AWAY if kind == "note_away" else GONE)
            expect = "routine" if kind == "note_away" else "escalated_or_asked"
            text = _said(rng, [f"{lead} {tail}"])
        elif kind.startswith("born"):
            tail = rng.choice(BORN_WHEN if kind == "born_when" else BORN_AT_ALL)
            expect = "routine" if kind == "born_when" else "escalated_or_asked"
            text = _said(rng, [f"{rng.choice(BORN_LEADS)} {tail}".strip()])
        else:
            pool = {"kill_trifle": TRIFLES, "kill_threat": THREATS, "kill_self_if": SELF_IF}[kind]
            expect = "routine" if kind == "kill_trifle" else "escalated"
            text = _said(rng, [_kin(rng.choice(pool), who)])
        cases.append(Shape(text, kind, expect))
    return cases


CASES = generate()
# Misses of `CASES` per kind when last measured (see `test_generated_misses_do_not_grow`).
# The risk twins missed are a means joined to its act by three words or more ("and i guess",
# "so i mean", "and kind of") or by a sentence break that no pointing-back opening follows
# ("I grabbed my knife. I'm ready", "I bought my knife. I'm going to the pharmacy, and then
# I'll do it").
# The plans' risk twins missed are the same joins, or a plan said with "leaving" or a filler
# ("kinda") the means-at-hand rule does not read, so that nothing before "then I'll do it"
# was risk for it to point to ("my medication" is now read as a means).
# The tails' risk twins missed are the same: the means is not joined to the plan, so no
# ending, place or harm after it has risk to point back to; a filler inside the tail ("for
# uh good", "that's like it") hides it. The readied means miss only where a filler sits
# inside the act ("the gun is like loaded", "I'm holding like the gun"), none at this size.
MAX_MISSES: dict[str, int] = {
    "means_plan_risk": 5,
    "means_plan_then_act": 6,
    "plan_tail_risk": 9,
}


def test_the_generator_is_seeded() -> None:
    """The same seed gives the same sentences, so a miss can be reproduced."""
    third = SAMPLES // 3
    shapes, plans = CASES[:SAMPLES], CASES[SAMPLES : SAMPLES + third]
    tails, readied = CASES[SAMPLES + third : SAMPLES + 2 * third], CASES[SAMPLES + 2 * third :]
    expected = shapes[:51] + plans[:17] + tails[:17] + readied[:17]
    assert [c.text for c in generate(51)] == [c.text for c in expected]


def test_generated_misses_do_not_grow() -> None:
    """Misses per kind stay at or under the figures last measured: a fix lowers them."""
    misses = Counter(c.kind for c in CASES if not c.met(screen(c.text)))
    grown = {k: (n, MAX_MISSES.get(k, 0)) for k, n in misses.items() if n > MAX_MISSES.get(k, 0)}
    assert not grown, grown


# (sentence, route or "asked" or "below"): the causes fixed, each beside risk twins that must
# keep their route.
FIXED = [
    # a means in hand and an errand; the act said after the errand still points at the means
    ("I have the pills and I'm going to the store", "below"),
    ("I have the pills and I'm going to take them to the pharmacy", "below"),
    ("I have my knife and I'm going camping this weekend", Route.ROUTINE),
    ("I have the pills and I'm going to take them all tonight", Route.EMERGENCY),
    ("I have my knife and I'm going to end it", Route.EMERGENCY),
    ("I have the pills and I'm going to the store, then take them all tonight", "escalated"),
    ("I have the pills and I'm going to the store then I'll take them all tonight", "escalated"),
    ("I have the pills and I'm going to the store and then I'll do it", Route.CRISIS),
    ("I have my knife and I'm going camping and I'll use it on myself", Route.EMERGENCY),
    ("I have my knife and I'm going camping and I'll use it to cut the meat", Route.ROUTINE),
    ("I have the pills and I'm going to work up the courage to take them all", Route.CRISIS),
    ("I have the pills and I'm going to the park to take them all", Route.CRISIS),
    ("I have the pills and I'm going to the pharmacy to take them back", "below"),
    # the errand excuses what is said with the means, not the means or an ending said after
    ("I've been stockpiling pills and I'm going to the store", Route.CRISIS),
    ("I have the pills and I'm going to the store, this is it", Route.CRISIS),
    ("I have the pills and I'm going to the store tonight to end it", "escalated"),
    ("I have the pills and I'm going to the store and I'm not waking up", Route.CRISIS),
    ("I've got my knife and I'm going camping, goodbye everyone", "escalated"),
    # a firearm, or a blade at school, keeps escalating whatever the errand
    ("I have my gun and I'm going to the store", Route.EMERGENCY),
    ("I have a knife and I'm going to school", Route.EMERGENCY),
    # no errand: a place one may go to die keeps escalating
    ("I have the pills and I'm going to the bathroom", Route.CRISIS),
    ("I have the rope and I'm going to the woods", Route.CRISIS),
    ("I have the pills and I'm going to the liquor store", Route.CRISIS),
    # the means joined to what is done with it by another word than "and", or by none: the
    # same as "and", both ways
    ("I have my knife so I'm going to use it tonight", Route.EMERGENCY),
    ("I've got the pills, I'm going to do it tonight", Route.EMERGENCY),
    ("I've got a rope, I'm going to do it tonight", Route.EMERGENCY),
    ("I've got my meds, I'm going to do it tonight", Route.EMERGENCY),
    ("I have my knife and like I'm going to use it tonight", Route.EMERGENCY),
    ("I have my knife and so I'm going to use it tonight", Route.EMERGENCY),
    ("I have my knife then I'm going to use it tonight", Route.EMERGENCY),
    ("I have my knife I'm going to use it tonight", Route.EMERGENCY),
    ("I have the pills and I'm heading to the bank then take them all tonight", Route.EMERGENCY),
    ("I have my gun so I'm going to hang the pictures", Route.EMERGENCY),
    ("I have my knife so I'm going to cut the bread", Route.ROUTINE),
    ("I've got the pills, I'm going to take one with dinner", "below"),
    ("I have a rope so I'm going to tie the boat", Route.ROUTINE),
    ("I have my knife I'm going camping", Route.ROUTINE),
    ("I have my knife so I'm going to use it to cut the meat", Route.ROUTINE),
    ("I bought the rope so I'm going to the store then I'll use it like to cut the meat", "below"),
    ("I have a knife that I'm going to sharpen", "below"),
    # an everyday plan that names what one will do, said after the pills, or after a rope or a
    # knife when it is an outing the means is gear for; a plan that names no activity, points
    # back at the means, names a lonely place or an ending keeps escalating, as does a gun
    ("I have a rope so I'm going to go climbing", Route.ROUTINE),
    ("I got my pills and I'm going to pick up my kids", "below"),
    ("I have the pills so I'm ready for the trip", Route.ROUTINE),
    ("I've got my pills so I'm going to bed", Route.ROUTINE),
    ("I've got my pills and I'm going to bed", "below"),
    ("I have my meds so I'm about to go cook dinner", Route.ROUTINE),
    ("I have my knife so I'm ready for the fishing trip", Route.ROUTINE),
    ("I have a rope so I'm going to use it tonight", Route.EMERGENCY),
    ("I have a rope so I'm ready for tonight", Route.EMERGENCY),
    ("I have the pills so I'm ready for the end", Route.CRISIS),
    ("I have the pills and I'm going to sleep", Route.CRISIS),
    ("I have the pills and I'm going to sleep and never wake up", Route.CRISIS),
    ("I have my pills and I'm going to bed to end it", Route.CRISIS),
    ("I have my pills and I'm going to bed, then I'll take them all", "escalated"),
    ("I got my pills and I'm going to pick up my kids then I'll do it", Route.CRISIS),
    ("I have the pills and I'm going to go climbing", Route.CRISIS),
    ("I have the rope and I'm going climbing onto the bridge", "escalated"),
    ("I have a rope so I'm ready for the trip", Route.CRISIS),
    ("I bought a rope and I'm going to go climbing", Route.CRISIS),
    ("I've been stockpiling pills and I'm ready for the trip", Route.CRISIS),
    ("I have all my pills and I'm going to bed, this is it", Route.CRISIS),
    ("I have the pills and I'm going to bed and I'm not waking up", Route.CRISIS),
    ("I have the pills so I'm ready for bed, goodbye everyone", Route.CRISIS),
    ("I have a knife and I'm going to pick up my kids", Route.EMERGENCY),
    ("I have my gun so I'm ready for the hunting trip", Route.EMERGENCY),
    # what follows the plan: an ending, a place one may fall from or harm to another makes it
    # risk again; a time, company or the end of the day leaves it everyday; with no means
    # said before, the same words are everyday talk
    ("I have a rope so I'm going climbing off the bridge", Route.CRISIS),
    ("I have the pills so I'm ready for the trip to the bridge", Route.CRISIS),
    ("I've got my pills so I'm ready for the trip to the roof", Route.CRISIS),
    ("I've got my pills so I'm going to bed forever", Route.CRISIS),
    ("I've got my pills so I'm going to bed for the last time", Route.CRISIS),
    ("I've got my pills so I'm going to bed and that's it", Route.CRISIS),
    ("I've got my pills so I'm going to bed, that's it", Route.CRISIS),
    ("I've got my pills so I'm going to pick up my kids and say goodbye", Route.CRISIS),
    ("I have my pills and I'm going to say my goodbyes", Route.CRISIS),
    ("I have my pills so I'm going on vacation and I'm never coming back", Route.CRISIS),
    ("I have my pills so I'm going to pick up my ex and hurt him", Route.CRISIS),
    ("I have my pills and I'm going to bed and I won't wake up", Route.EMERGENCY),
    ("I've got my pills so I'm going to bed for good", "asked"),
    ("I've got my meds so I'm going to bed for good with this flu", "asked"),
    ("I have a rope so I'm going climbing on the cliffs", "asked"),
    ("I've got my pills so I'm going to bed, that's it for today", Route.ROUTINE),
    ("I've got my pills so I'm going to bed for the night", Route.ROUTINE),
    ("I've got my pills so I'm going to bed early tonight", Route.ROUTINE),
    ("I have my pills so I'm going to pick up my kids with my sister", Route.ROUTINE),
    ("I have my pills so I'm going on vacation and not coming back until Monday", Route.ROUTINE),
    ("I'm in bed for good with this flu", "below"),
    ("I'm going to bed, that's it for today", Route.ROUTINE),
    ("I'm going to bed and that's it", Route.ROUTINE),
    ("I'm going to bed forever", Route.ROUTINE),
    ("I'm going to pick up my kids and say goodbye to their teacher", Route.ROUTINE),
    ("The dog jumped and hurt him", Route.ROUTINE),
    ("We drove over the bridge to get here", Route.ROUTINE),
    ("I'm never coming back to this place", Route.ROUTINE),
    # gone on a trip, or gone
    ("I left a note for my wife for when I'm gone on the trip", Route.ROUTINE),
    ("I left a note for my wife for when I'm gone", Route.CRISIS),
    ("I left a note for my wife for when I'm gone for good", Route.CRISIS),
    ("I wrote letters to my kids for when I'm gone for a while", "asked"),
    # born in a season or a place, or born at all
    ("I wish I had never been born in winter", Route.ROUTINE),
    ("I wish I had never been born", Route.CRISIS),
    ("I wish I had never been born in the first place", Route.CRISIS),
    ("I wish I'd never been born into this family", Route.CRISIS),
    # a threat over a trifle, or over being touched or hurt
    ("I'll kill my brother if he eats my leftovers", Route.ROUTINE),
    ("I'll kill him if he touches me again", Route.EMERGENCY),
    ("I'll kill my brother if he touches my daughter again", Route.EMERGENCY),
    ("I'll kill her if she takes my kids", Route.EMERGENCY),
    ("I'll kill him for taking my daughter", Route.EMERGENCY),
    ("I'll kill myself if he leaves", Route.CRISIS),
    # a means got ready with no intent said: a firearm loaded, held or taken out, pills lined
    # up, counted or laid out; an everyday purpose leaves it everyday, "tonight" does not
    ("The gun is loaded. I'm ready now.", "escalated"),
    ("I loaded my dad's gun", "escalated"),
    ("i got the gun out of the safe", "escalated"),
    ("I took my husband's rifle out of the closet", "escalated"),
    ("I unlocked the gun", "escalated"),
    ("i'm holding my dad's gun", "escalated"),
    ("I have all my meds lined up", "escalated"),
    ("my pills are all lined up", "escalated"),
    ("I counted out all my sleeping pills", "escalated"),
    ("I poured out the pills", "escalated"),
    ("I have all my pills in front of me", "escalated"),
    ("I have my pills lined up for tonight", "escalated"),
    ("I lined up my pills for my family to find", "escalated"),
    ("the gun is loaded", "asked"),
    ("I loaded the dishwasher", Route.ROUTINE),
    ("I loaded the car", Route.ROUTINE),
    ("I took my gun to the range", Route.ROUTINE),
    ("cleaning my gun for hunting season", Route.ROUTINE),
    ("got the gun out of the safe to clean it", Route.ROUTINE),
    ("I loaded my rifle for hunting season", Route.ROUTINE),
    ("I took the gun out hunting with my dad", Route.ROUTINE),
    ("I have my meds lined up in the weekly pill organizer", Route.ROUTINE),
    ("I counted out my pills for the week", "below"),
    ("I poured out the medicine for my son", "below"),
    ("I need to count my pills", "below"),
    ("my therapist said to get the gun out of the house", Route.ROUTINE),
    ("I took the gun out of the house and gave it to my brother", Route.ROUTINE),
    ("I'm going to shoot myself with my gun at the range", "escalated"),
    ("I'm going to take all my pills when my wife leaves for her trip", "escalated"),
    # a means, then "I'm doing it" or "I'm ready" as a sentence of its own with no time
    ("I have the pills. I'm doing it.", "escalated"),
    ("I have my medication and I'm ready for tonight", "escalated"),
    ("I've got my medication. I'm ready.", "escalated"),
    ("I have my medication and I'm ready for my appointment", "below"),
    ("I have my meds and I'm doing fine", "below"),
    ("I have the pills and I'm doing it right", "below"),
]


@pytest.mark.parametrize(("text", "expected"), FIXED)
def test_fixed_causes(text: str, expected: Route | str) -> None:
    """Each fixed cause leaves the everyday words alone and keeps the risk twins' route."""
    assert_expected(screen(text), expected, unasked=True)


if __name__ == "__main__":  # pragma: no cover
    report(generate, SEED)
