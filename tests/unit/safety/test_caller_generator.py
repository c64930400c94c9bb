"""Risk said the way callers say it, composed at random from its parts.

A seeded generator composes sentences nobody wrote down: who (the caller, or their son,
wife, friend), what (a passive wish, an intent, a preparation, a means), when (now,
tonight, years ago), wrapped in speech (fillers, hedges, a recogniser's lower case without
punctuation or apostrophes, run-on clauses joined by "and"). Each sentence carries the
outcome its parts call for, so a miss is a rule that does not compose, not a phrase we
forgot. Negated and past controls must stay below crisis.

Run the whole enumeration and list its misses with
`.venv/bin/python -m tests.unit.safety.test_caller_generator [N] [SEED]`.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass

import pytest

from frontdesk.conversation.safety import Verdict, screen
from frontdesk.domain.calls import Route

from .generated import assert_expected, report

SEED = 20261204
SAMPLES = 600

# Who: the caller, or someone they name (with the pronouns a clause about them takes).
KIN = {
    "son": ("he", "him", "his", "himself"),
    "daughter": ("she", "her", "her", "herself"),
    "wife": ("she", "her", "her", "herself"),
    "husband": ("he", "him", "his", "himself"),
    "friend": ("he", "him", "his", "himself"),
    "brother": ("he", "him", "his", "himself"),
}

# Clauses written once for every experiencer: {I} {me} {my} {myself} are the pronouns,
# {am} {have} {do} and {s}/{es} (a verb's third-person ending) agree with them.
PASSIVE = [
    "{I} {do}nt want to be here anymore",
    "{I} {do}nt see the point in being here anymore",
    "{I} {do}nt see the point of being alive",
    "{I} just want{s} to go to sleep and not wake up",
    "{I} wish{es} {I} could just disappear",
    "{I} wish{es} {I} could go to sleep and never wake up",
    "{I} just want{s} to be gone",
    "everyone would be better off without {me}",
    "{my} family would be better off if {I} was gone",
    "{I} {do}nt want to be alive anymore",
    "{I} wish{es} {I} wasnt here",
    "{I} {do}nt wanna exist anymore",
    "it would be easier if {I} just wasnt around",
    "{I} keep{s} thinking about not being here",
    "nobody would even notice if {I} was gone",
    "{I} {do}nt want to wake up tomorrow",
    "{I} hope{s} {I} {do}nt wake up",
    "{I} {am} tired of being alive",
    "{I} want{s} to disappear forever",
    "{I} {do}nt want to do this anymore, {I} {do}nt want to be here",
    "{I} wish{es} {I} could just not exist",
    "{I} wish{es} {I} could fall asleep and not wake up",
    "{I} {do}nt want to live anymore",
    "whats the point of being here",
    "{I} {am} done with everything, {I} {do}nt wanna be here",
]
ACTIVE = [
    "{I} want{s} to end it",
    "{I} want{s} to end {my} life",
    "{I} want{s} to kill {myself}",
    "{I} {am} thinking about taking {my} own life",
    "{I} {am} gonna end it all",
    "{I} {am} going to kill {myself}",
    "{I} {am} thinking of ending it",
    "{I} want{s} to take {my} own life",
    "{I} {am} gonna end {my} life",
    "{I} {have} been thinking about killing {myself}",
    "{I} {am} gonna end things",
    "{I} {am} ready to end it",
    "{I} decided to end it",
    "{I} {am} planning to kill {myself}",
]
# Said of someone else, these may be about a third person ("better off without him" of an
# ex) or no death at all ("she wants to be gone by noon"): only the forms that say whose.
_VAGUE_OF_OTHERS = ("better off", "easier if", "point of being here", "disappear", "be gone")
PASSIVE_OTHER = [t for t in PASSIVE if not any(v in t for v in _VAGUE_OF_OTHERS)]
# Said of someone else, "end it" may be a marriage or a job: only the unambiguous forms.
ACTIVE_OTHER = [t for t in ACTIVE if "end it" not in t and "end things" not in t]
PREPARATION = [
    "{I} wrote letters to everyone",
    "{I} wrote letters to everyone already",
    "{I} gave away all {my} stuff",
    "{I} {have} been giving {my} things away",
    "{I} said goodbye to everyone",
    "{I} {have} been saying goodbye to people",
    "{I} wrote a note for {my} family",
    "{I} wrote goodbye letters",
    "{I} already said {my} goodbyes",
]
# Everyday on their own ("I made a will", "I got everything ready"): risk only after
# words of not being able to go on.
READY = [
    "{I} made a will",
    "{I} wrote {my} will",
    "{I} got everything ready",
    "{I} {have} got everything ready",
    "{I} made a plan",
    "{I} {have} a plan",
    "{I} {have} everything ready",
    "{I} {have} it all planned out",
    "{I} {am} ready to go",
]
CANNOT_GO_ON = [
    "{I} cant take it anymore",
    "{I} cant do this anymore",
    "{I} {am} done",
    "{I} give up",
    "{I} cant keep going like this",
    "{I} cant go on",
]
# A means named with what it is for ({use} is a clause that uses it).
MEANS = [
    ("{I} {have} the pills", "{I} {am} gonna take them all"),
    ("{I} got a bottle of pills", "{I} {am} gonna take the whole thing"),
    ("{I} {have} been saving up {my} pills", "{I} {am} gonna take them"),
    ("{I} bought a rope", "{I} {am} gonna use it"),
    ("{I} got {my} dads gun", "{I} {am} gonna use it"),
    ("{I} {have} a gun", "{I} {am} gonna use it on {myself}"),
    ("{I} {have} a razor", "{I} {am} gonna cut deep"),
    ("{I} {am} at the bridge", "{I} {am} gonna jump"),
    ("{I} {am} on the roof", "{I} {am} gonna jump"),
    ("{I} {am} in the car", "{I} {am} gonna drive it into a wall"),
    ("{I} {am} driving", "{I} {am} gonna crash the car on purpose"),
    ("{I} {have} a knife", "{I} {am} gonna use it on {myself}"),
]
# A method named with the act: crisis, and an emergency with a near time.
METHOD = [
    "{I} {am} gonna jump off the bridge",
    "{I} {am} going to hang {myself}",
    "{I} want{s} to overdose on {my} meds",
    "{I} {am} gonna slit {my} wrists",
    "{I} {am} thinking about shooting {myself}",
    "{I} {am} gonna crash {my} car on purpose",
    "{I} {am} gonna step in front of a train",
    "{I} {am} gonna take all {my} sleeping pills",
    "{I} want{s} to jump off {my} balcony",
]
# An act already done: an emergency when it is recent.
ACT = [
    "{I} took a bunch of pills",
    "{I} swallowed all {my} meds",
    "{I} took a whole bottle of tylenol",
    "{I} cut {my} wrists",
    "{I} tried to hang {myself}",
    "{I} overdosed",
]
RECENT = ["earlier today", "an hour ago", "a few minutes ago", "last night", "just now"]
# At the place now, or the act begun: an emergency whatever else is said.
AT_PLACE = [
    "{I} {am} standing on the bridge",
    "{I} {am} on the edge of the roof",
    "{I} {am} on the ledge",
    "{I} just took all {my} pills",
    "{I} took a whole bottle of pills",
    "{I} {have} the gun in {my} hand",
    "{I} {am} sitting on the train tracks",
]
# Times: imminent ones make an intent an emergency; past ones make it history.
IMMINENT = ["tonight", "right now", "in a few minutes", "tomorrow", "today"]
NOW = ["right now", "now", "at the moment"]
PAST = ["years ago", "when {I} was a teenager", "back in high school", "a long time ago"]
# Negated and past controls: below crisis.
NEGATED = [
    "{I} {am} not gonna kill {myself}, {I} {am} just tired",
    "{I} would never kill {myself}, {I} just need a break",
    "{I} {do}nt want to die, {I} just need some sleep",
    "{I} {am} not suicidal, just really stressed",
    "{I} {am} not going to end {my} life, {I} just need to talk to someone",
    "{I} {do}nt want to kill {myself}, {I} just feel stuck",
]
HISTORY = [
    "{when} {I} tried to kill {myself}",
    "{I} used to want to die",
    "{when} {I} took a bunch of pills",
    "{I} used to think about ending it",
    "{when} {I} wanted to kill {myself}",
]

FILLERS = ["um", "uh", "like", "you know", "i guess", "honestly", "kinda", "i mean", "so yeah"]
HEDGES = ["i think", "sometimes", "lately", "to be honest", "i feel like", "i dunno"]
LEADS = [
    "hi i was calling about an appointment",
    "i called last week",
    "i have been having a really hard time",
    "i just need to talk to someone",
    "things have been bad",
    "my therapist is on vacation",
    "i lost my job",
]

# Contractions a recogniser or a hurried typist produces.
_SPOKEN = [
    ("i am ", "im "),
    ("going to ", "gonna "),
    ("want to ", "wanna "),
    ("do not ", "dont "),
    ("can not ", "cant "),
    ("i have been ", "ive been "),
]

ESCALATED = frozenset({Route.CRISIS, Route.EMERGENCY})


@dataclass(frozen=True)
class Case:
    """One generated sentence and what its parts call for."""

    text: str
    kind: str  # the construct and experiencer it was built from, for grouping misses
    expect: str  # "emergency", "escalated", "escalated_or_asked" or "below_crisis"

    def met(self, verdict: Verdict) -> bool:
        """Whether the verdict is what the parts call for."""
        route = verdict.route
        if self.expect == "emergency":
            return route is Route.EMERGENCY
        if self.expect == "escalated":
            return route in ESCALATED
        if self.expect == "escalated_or_asked":
            return route in ESCALATED or verdict.safety_check
        return route not in ESCALATED


def _fill(template: str, who: str | None) -> str:
    """The clause about the caller (`who` None) or about someone they name."""
    if who is None:
        words = {"I": "i", "me": "me", "my": "my", "myself": "myself"}
        agree = {"am": "am", "have": "have", "do": "do", "s": "", "es": ""}
    else:
        subject, obj, poss, refl = KIN[who]
        words = {"I": subject, "me": obj, "my": poss, "myself": refl}
        agree = {"am": "is", "have": "has", "do": "does", "s": "s", "es": "es"}
    text = template.replace("{when}", "WHEN")
    for key, value in {**words, **agree}.items():
        text = text.replace("{" + key + "}", value)
    # "i wasnt" stays, "he wasnt" too; "i was" about someone else reads the same.
    return text


def _speech(rng: random.Random, clauses: list[str], *, hedged: bool = True) -> str:
    """Clauses as a caller says them: fillers, hedges, run-ons, recogniser text.

    Hedges that tell a time ("lately") are left off a sentence about the past.
    """
    out = []
    for index, clause in enumerate(clauses):
        words = clause.split()
        if hedged and rng.random() < 0.35:
            words.insert(0, rng.choice(HEDGES))
        if rng.random() < 0.4:
            words.insert(0, rng.choice(FILLERS))
        if len(words) > 3 and rng.random() < 0.25:
            words.insert(rng.randrange(1, len(words)), rng.choice(["um", "uh", "like"]))
        text = " ".join(words)
        if index:
            text = rng.choice([" and ", ", ", ". ", " and like ", " so "]) + text
        out.append(text)
    text = "".join(out)
    if rng.random() < 0.7:
        for long, short in _SPOKEN:
            if rng.random() < 0.7:
                text = text.replace(long, short)
    if rng.random() < 0.5:  # a recogniser's output: lower case, no punctuation
        text = re.sub(r"[.,?!]", "", text)
    else:  # typed: a capital, apostrophes where they belong
        text = text[0].upper() + text[1:]
        for bare, full in (("dont", "don't"), ("im", "I'm"), ("cant", "can't"), ("ive", "I've")):
            text = re.sub(rf"\b{bare}\b", full, text)
    return re.sub(r"\s+", " ", text).strip()


def _reported(rng: random.Random, who: str, clause: str) -> str:
    """A clause about someone the caller names, as the caller reports it."""
    frame = rng.choice(
        [
            "my {k} said {c}",
            "my {k} told me {c}",
            "im worried about my {k} {c}",
            "my {k} keeps saying {c}",
            "my {k} just texted me that {c}",
        ]
    )
    return frame.replace("{k}", who).replace("{c}", clause)


def generate(n: int = SAMPLES, seed: int = SEED) -> list[Case]:
    """`n` cases drawn from the parts with a fixed seed: the same list every run."""
    rng = random.Random(seed)
    cases: list[Case] = []
    kinds = [
        "passive",
        "active",
        "active_time",
        "preparation",
        "preparation_active",
        "ready_cannot_go_on",
        "means",
        "means_time",
        "at_place",
        "method",
        "method_time",
        "act_recent",
        "other_act_recent",
        "other_active",
        "other_passive",
        "other_means",
        "negated",
        "history",
    ]
    while len(cases) < n:
        kind = rng.choice(kinds)
        who = rng.choice(list(KIN)) if kind.startswith("other") else None
        clauses: list[str] = []
        if rng.random() < 0.3:
            clauses.append(rng.choice(LEADS))
        if kind == "passive":
            clauses.append(_fill(rng.choice(PASSIVE), None))
            expect = "escalated_or_asked"
        elif kind == "active":
            clauses.append(_fill(rng.choice(ACTIVE), None))
            expect = "escalated"
        elif kind == "active_time":
            clauses.append(_fill(rng.choice(ACTIVE), None) + " " + rng.choice(IMMINENT))
            expect = "emergency"
        elif kind == "preparation":
            clauses.append(_fill(rng.choice(PREPARATION), None))
            expect = "escalated_or_asked"
        elif kind == "ready_cannot_go_on":
            clauses.append(_fill(rng.choice(CANNOT_GO_ON), None))
            clauses.append(_fill(rng.choice(READY), None))
            expect = "escalated_or_asked"
        elif kind == "preparation_active":
            clauses.append(_fill(rng.choice(PREPARATION + READY), None))
            clauses.append(_fill(rng.choice(ACTIVE), None))
            expect = "escalated"
        elif kind in ("means", "means_time"):
            have, use = rng.choice(MEANS)
            clauses.append(_fill(have, None))
            when = " " + rng.choice(IMMINENT) if kind == "means_time" else ""
            clauses.append(_fill(use, None) + when)
            expect = "emergency" if kind == "means_time" else "escalated"
        elif kind in ("method", "method_time"):
            when = " " + rng.choice(IMMINENT) if kind == "method_time" else ""
            clauses.append(_fill(rng.choice(METHOD), None) + when)
            expect = "emergency" if kind == "method_time" else "escalated"
        elif kind in ("act_recent", "other_act_recent"):
            clause = _fill(rng.choice(ACT), who) + " " + rng.choice(RECENT)
            clauses.append(_reported(rng, who, clause) if who is not None else clause)
            expect = "emergency"
        elif kind == "at_place":
            clauses.append(_fill(rng.choice(AT_PLACE), None) + " " + rng.choice(NOW))
            expect = "emergency"
        elif kind == "other_active":
            assert who is not None
            clauses.append(_reported(rng, who, _fill(rng.choice(ACTIVE_OTHER), who)))
            expect = "escalated"
        elif kind == "other_passive":
            assert who is not None
            clauses.append(_reported(rng, who, _fill(rng.choice(PASSIVE_OTHER), who)))
            expect = "escalated"
        elif kind == "other_means":
            assert who is not None
            have, use = rng.choice(MEANS)
            clauses.append(_reported(rng, who, _fill(have, who) + " and " + _fill(use, who)))
            expect = "escalated"
        elif kind == "negated":
            clauses.append(_fill(rng.choice(NEGATED), None))
            expect = "below_crisis"
        else:
            when = _fill(rng.choice(PAST), None)
            clauses.append(_fill(rng.choice(HISTORY), None).replace("WHEN", when))
            if rng.random() < 0.5:
                clauses.append(
                    rng.choice(["but im doing better now", "im ok now", "thats all behind me"])
                )
            expect = "below_crisis"
        text = _speech(rng, clauses, hedged=kind not in ("history", "negated"))
        cases.append(Case(text, kind, expect))
    return cases


CASES = generate()
# Misses of `CASES` per kind when last measured (see `test_generated_misses_do_not_grow`).
MAX_MISSES: dict[str, int] = {
    "passive": 1,
    "ready_cannot_go_on": 2,
}


def test_the_generator_is_seeded() -> None:
    """The same seed gives the same sentences, so a miss can be reproduced."""
    assert [c.text for c in generate(50)] == [c.text for c in CASES[:50]]


def _misses(cases: list[Case]) -> Counter[str]:
    return Counter(c.kind for c in cases if not c.met(screen(c.text)))


def test_generated_misses_do_not_grow() -> None:
    """Misses per kind stay at or under the figures last measured: a fix lowers them.

    Each bound is what the screen missed of `SAMPLES` sentences when it was last set; the
    misses themselves are listed by running this module.
    """
    misses = _misses(CASES)
    grown = {k: (n, MAX_MISSES.get(k, 0)) for k, n in misses.items() if n > MAX_MISSES.get(k, 0)}
    assert not grown, grown


# (sentence, route or "asked"): the causes fixed, each beside everyday words that must keep
# their route.
FIXED = [
    # a sentence that points back at the means, plan or giving-up of the one before
    ("I have the pills. I'm gonna take them all", Route.CRISIS),
    ("I bought a rope. I'm going to use it tonight", Route.EMERGENCY),
    ("I've got my dad's gun. I'm going to end it tonight", Route.EMERGENCY),
    ("i got a bottle of pills. i guess im gonna take the whole thing tomorrow", Route.EMERGENCY),
    ("I'm done. I have everything ready", "asked"),
    ("i give up. like i dunno i made a will", "asked"),
    ("I have my pills. I'm going to take them with dinner", Route.ROUTINE),
    ("I bought a rope. I'm going to use it for the tent", Route.ROUTINE),
    ("I got a new gun safe. I'll use it tonight", Route.ROUTINE),
    # "take it" alone takes a time slot or an offer, not a life: it is risk only after risk
    ("Tuesday at 3? I'll take it", Route.ROUTINE),
    ("that works, I'm going to take it", Route.ROUTINE),
    ("It's small progress, but I'll take it", Route.ROUTINE),
    ("I want to kill myself. I'm going to take it tonight", Route.EMERGENCY),
    ("I'm going to take it all", Route.CRISIS),
    ("I'm going to take my life tonight", Route.EMERGENCY),
    ("I have the pills and I'll take them tonight", Route.EMERGENCY),
    ("I have the pills. I'll take it tonight", Route.EMERGENCY),
    ("I have my pills and I'll take them with dinner", Route.ROUTINE),
    # a spoken "like" inside a phrase is a filler
    ("i want to like end it", Route.CRISIS),
    ("sometimes i want to kill like myself", Route.CRISIS),
    ("im like gonna end it all tonight", Route.EMERGENCY),
    ("i dont wanna like be alive anymore", Route.CRISIS),
    ("i feel like dying", "asked"),
    ("i would like to book an appointment", Route.ROUTINE),
    ("i like my therapist a lot", Route.ROUTINE),
    ("i want to like end my subscription", Route.ROUTINE),
    ("my boss is like gonna kill me if im late", Route.ROUTINE),
    # not being here, said of oneself or of someone named
    ("honestly i dont see the point in being here anymore", Route.CRISIS),
    ("my son doesnt see the point in being here anymore", Route.CRISIS),
    ("i dont see the point in being here", "asked"),
    ("whats the point of being here if the doctor is out", Route.ROUTINE),
    ("i dont see the point in paying for parking", Route.ROUTINE),
    ("she wishes she wasnt here", Route.CRISIS),
    ("my wife wishes he wasnt here", Route.ROUTINE),
    ("nobody would even notice if i was gone", Route.CRISIS),
    ("nobody would even notice if i was late", Route.ROUTINE),
    # disappearing as a wish, not into a book
    ("i wish i could just disappear", "asked"),
    ("i wish i could just disappear into a good book", Route.ROUTINE),
    ("the stain should disappear with this spray", Route.ROUTINE),
    # at a drop or on the tracks now
    ("im on the ledge now", Route.EMERGENCY),
    ("i am sitting on the train tracks now", Route.EMERGENCY),
    ("im at the edge of the roof right now", Route.EMERGENCY),
    ("im at the tracks now, running late for my appointment", "below"),
    ("im on the roof right now fixing the gutter", Route.ROUTINE),
    # pills to be taken at once, in whatever clause they were named
    ("i have the pills so im gonna take them all tonight", Route.EMERGENCY),
    ("i got a bottle of pills, im gonna take the whole thing", Route.CRISIS),
    ("the doctor gave me antibiotic pills and im going to take them all as prescribed", "below"),
    ("i bought a bottle of wine and im gonna take the whole thing to the party", Route.ROUTINE),
    # a car driven into something, named as "it"
    ("im in the car and im gonna drive it into a wall", Route.CRISIS),
    ("im gonna drive it into the garage tonight", Route.ROUTINE),
    # preparing: letters to everyone, goodbyes, possessions given away
    ("i wrote letters to everyone already", "asked"),
    ("i wrote thank you notes to everyone at work", Route.ROUTINE),
    ("i left a note for my wife about dinner", Route.ROUTINE),
    ("ive been saying goodbye to people", "asked"),
    ("i said goodbye to the receptionist", Route.ROUTINE),
    ("i have been giving my things away", "asked"),
    ("i have been putting my things away", Route.ROUTINE),
    # not able to go on, and everything ready or a plan made
    ("i cant take it anymore, i have everything ready", Route.CRISIS),
    ("i cant take it anymore and i got everything ready for tonight", Route.EMERGENCY),
    ("i cant go on and i made a plan", Route.CRISIS),
    ("i cant go on tuesday so i made a plan to come thursday", Route.ROUTINE),
    ("i gave up and i made a plan to quit smoking", Route.ROUTINE),
    ("i have everything ready for the appointment", Route.ROUTINE),
    # a means named, then used, whatever words lie between
    ("i have the pills im gonna take them all", Route.CRISIS),
    ("my son told me he has the pills and he is gonna take them all", Route.CRISIS),
    ("i got my prescription today, the doctor said to take them all before friday", "below"),
    ("i got my dads gun so im gonna use it tonight", Route.EMERGENCY),
    ("i got my dads gun you know i am gonna use it", "asked"),
    ("i got a new phone and im gonna use it tonight", Route.ROUTINE),
    ("i have a razor, i am gonna cut deep", Route.CRISIS),
    ("i have a knife, i am gonna cut the cake", "below"),
    # a struggle word a comma parts from the negation frames nothing
    ("things are hard, i am not gonna end my life", "below"),
    ("i had a hard time, i am not going to kill myself, i just need to talk", "below"),
    ("it is hard not to kill myself", Route.CRISIS),
    ("i am trying so hard not to kill myself", Route.CRISIS),
    # an attempt by a named method, made a short while ago
    ("i tried to hang myself a few minutes ago", Route.EMERGENCY),
    ("my husband tried to hang himself last night", Route.EMERGENCY),
    ("i cut my wrists an hour ago", Route.EMERGENCY),
    ("i tried to kill myself last night", Route.EMERGENCY),
    ("my son tried to end his life earlier today", Route.EMERGENCY),
    ("years ago i tried to hang myself", "below"),
    ("i cut my wrists when i was 15", "below"),
    ("the curtains were hung yesterday", Route.ROUTINE),
    # "I don't know" between the parts of a thought is a hedge, not a negation
    ("i have the pills um i dunno i am gonna take them all", Route.CRISIS),
    (
        "i got a bottle of pills, i dont know, im gonna take the whole thing tonight",
        Route.EMERGENCY,
    ),
    ("i hope my cat does not die", Route.ROUTINE),
    ("i have the pills but i will not take them all", "below"),
    # someone else's things given away, pills counted, not being around much longer
    ("my brother gave away all his stuff", Route.CRISIS),
    ("my brother gave away his old bike", Route.ROUTINE),
    ("i looked up how many of my pills it would take", Route.CRISIS),
    ("i looked up how many of my pills are covered", "below"),
    ("i dont think ill be around much longer", Route.CRISIS),
    ("i dont think the doctor will be around much longer", Route.ROUTINE),
    # not able to any more, a funeral pictured, a plan and a date, sleeping for ever
    ("i just cant anymore", "asked"),
    ("i just cant make it on tuesday anymore", Route.ROUTINE),
    ("i keep picturing my funeral", "asked"),
    ("i am planning my grandmothers funeral", Route.ROUTINE),
    ("i have a plan and a date", "asked"),
    ("i have a date on friday", Route.ROUTINE),
    ("i want to sleep for ever", "asked"),
    ("i want to sleep in on sunday", Route.ROUTINE),
    # thoughts of driving off the road
    ("i think about driving off the road every day", Route.CRISIS),
    ("i was thinking about driving into the city tomorrow", Route.ROUTINE),
    # a firearm at hand with an intent to use it, whatever words lie between
    ("i got my dads gun and im going to use it", Route.CRISIS),
    ("my daughter told me she got her dads gun and she is gonna use it", Route.CRISIS),
    ("i bought a rifle and im going to use it for deer season", Route.ROUTINE),
    ("i got my dads shotgun and im going to use it at the range", Route.ROUTINE),
    # what the point of being here is, said alone
    ("whats the point of being here", "asked"),
    ("whats the point of being here when nobody cares", "asked"),
    ("whats the point of being here early if they never start on time", Route.ROUTINE),
    # giving up or being done, then a plan, a will or everything ready
    ("i give up, i have a plan", "asked"),
    ("im done and honestly i have it all planned out", "asked"),
    ("i cant go on sometimes i am ready to go", "asked"),
    ("i give up and i made a plan to quit smoking", Route.ROUTINE),
    ("im done packing and im ready to go to the airport", Route.ROUTINE),
    ("im done with work and i have everything ready for the party", Route.ROUTINE),
]


@pytest.mark.parametrize(("text", "expected"), FIXED)
def test_fixed_causes(text: str, expected: Route | str) -> None:
    """Each fixed cause catches its callers' words and leaves the everyday ones alone."""
    assert_expected(screen(text), expected)


if __name__ == "__main__":  # pragma: no cover
    report(generate, SEED)
