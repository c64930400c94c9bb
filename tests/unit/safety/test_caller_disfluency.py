"""Risk said the way a caller on the phone says it, with everyday twins said the same way.

A fourth seeded generator, kept apart so the others' sentences (and their measured misses)
stay the same. It lays a phone caller's disfluency over risk sentences: fillers ("um",
"uh", "like", "you know", "I mean", "kind of", "so yeah"), several in a row; restarts ("I I
want", "I want I want to"); self-corrections ("I'm going to, I mean I'm gonna"); run-ons
with no punctuation; lower case; and a recogniser's spellings ("my self", "gonna",
"kinda", "dont", "im"). The risk shapes are those a filler or a long phrase pulls apart: a
means in hand and the act joined by a run of fillers, a means and then a new sentence
saying one is ready or doing it now, a time said at the end of a long clause about the
act, and someone else not wanting to be here or to live. Each has everyday twins with the
same words and the same disfluency (a means for a chore, a child who does not want to be
at school, a time said in a clause of its own), which must neither escalate nor ask; a
risk said with its time in a clause of its own stays a crisis, not an emergency.

Run the whole enumeration and list its misses with
`.venv/bin/python -m tests.unit.safety.test_caller_disfluency [N] [SEED]`.
"""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from frontdesk.conversation.safety import Verdict, screen
from frontdesk.domain.calls import Route

from .generated import assert_expected, report
from .test_caller_generator import ACTIVE, IMMINENT, KIN, METHOD, NEGATED, PASSIVE, Case, _fill

SEED = 20261207
SAMPLES = 600

# Spoken fillers, one or several in a row between two parts of a thought.
FILLERS = ["um", "uh", "like", "you know", "i mean", "kind of", "so yeah", "kinda"]
# A means in hand, and what is done with it.
MEANS = [
    ("i have the pills", "im gonna take them all"),
    ("ive got the pills right here", "im just gonna take all of them"),
    ("i got a bottle of pills", "i am gonna swallow them all"),
    ("i have my dads gun", "im going to use it"),
    ("i bought a rope", "im gonna use it"),
    ("i have the knife", "im going to use it on my self"),
    ("ive been saving up my pills", "im gonna take them"),
]
# A means, then a new sentence that says one is ready or doing it, pointing back at nothing.
READY = ["im ready", "i am ready", "im ready now", "im doing it tonight", "im doing it now"]
HELD = [
    "i have the knife",
    "got the pills right here",
    "i have the gun",
    "i bought the rope",
    "ive got a bottle of pills",
]
# The act, a long phrase naming its means and place, then its time ("tonight").
ACTS = [
    "im going to hang my self",
    "im gonna kill my self",
    "im going to end it",
    "i want to kill myself",
    "im gonna overdose",
    "im going to shoot myself",
]
LONG_MEANS = [
    "with the rope in the garage",
    "with the pills in the cabinet",
    "with the gun my dad keeps in the closet upstairs",
    "with the knife from the kitchen drawer downstairs",
    "with my fathers old hunting rifle from the basement",
]
LATE_TIME = [
    "after everyone is asleep tonight",
    "when my wife goes to work in an hour",
    "after my shift tonight",
    "once the kids are at school today",
    "tonight",
]
# Someone else not wanting to be here, or to live, as the caller reports it.
OTHER_PASSIVE = [
    "{he} doesnt want to be here anymore",
    "{he} doesnt want to be here",
    "{he} doesnt want to live",
    "{he} doesnt wanna be alive anymore",
    "{he} wants to disappear forever",
    "{he} doesnt want to wake up",
]
REPORT = [
    "my {k} said {c}",
    "my {k} keeps saying {c}",
    "im worried about my {k} {c}",
    "my {k} told me {c}",
    "my {k} just texted me that {c}",
]
# Everyday twins said the same way.
CHORES = [
    ("i have the knife", "im going to use it to cut the bread"),
    ("ive got my pills right here", "im gonna take them with dinner"),
    ("i bought a rope", "im gonna use it for the tent"),
    ("i have the tickets", "im ready"),
    ("i have my notes", "im doing it tonight"),
]
OTHER_PLACE = [
    "{he} doesnt want to be here at this school",
    "{he} doesnt want to be here {he} wants to go home",
    "{he} doesnt want to be here today",
    "{he} doesnt want to live with {his} dad anymore",
    "{he} wants to disappear for the weekend",
]
# A risk whose time is said in a clause with its own subject: a crisis, not an emergency.
# The time is said more than ten words after the risk, beyond the reach of a near time.
OWN_CLAUSE_TIME = [
    "and my sister is coming to visit us from out of town tonight",
    "and i have to see the doctor at the clinic downtown for my knee today",
    "and my wife goes back to her job at the hospital across town in an hour",
]
OTHER_RISK = ["i want to kill myself sometimes", "i keep thinking about killing my self"]


# A recogniser's spellings of what a caller says.
_HEARD = [
    ("myself", "my self"),
    ("going to ", "gonna "),
    ("want to ", "wanna "),
    ("kind of ", "kinda "),
    ("i am ", "im "),
    ("do not ", "dont "),
    ("dont ", "don't "),
]


def _heard(rng: random.Random, text: str) -> str:
    """`text` as a recogniser may spell it."""
    for said, heard in _HEARD:
        if rng.random() < 0.5:
            text = text.replace(said, heard)
    return text


# Fillers a caller drops anywhere, even inside a phrase ("take my, um, own life"); the
# hedges ("kind of", "so yeah") come before a verb or between clauses, as `FILLERS` do.
INSIDE = ["um", "uh", "like", "you know", "i mean"]


def _scattered(rng: random.Random, text: str) -> str:
    """`text` with a filler or two dropped between its words."""
    words = text.split()
    for _ in range(rng.randrange(1, 3)):
        if len(words) > 2:
            words.insert(rng.randrange(1, len(words)), rng.choice(INSIDE))
    return " ".join(words)


def _restart(rng: random.Random, text: str) -> str:
    """A word or two said twice ("i i want", "i want i want to") or taken back and said again."""
    words = text.split()
    # Said again within a sentence, never across its end.
    places = [i for i in range(len(words) - 1) if not re.search(r"[.,]", words[i] + words[i + 1])]
    if len(words) < 3 or not places:
        return text
    at = rng.choice(places)
    kind = rng.random()
    if kind < 0.4:
        words.insert(at, words[at])
    elif kind < 0.7:
        words[at:at] = words[at : at + 2]
    else:
        words.insert(at, f"{words[at]} i mean")
    return " ".join(words)


def _fillers(rng: random.Random, least: int) -> str:
    """`least` or more fillers in a row."""
    return " ".join(rng.choice(FILLERS) for _ in range(least + rng.randrange(2)))


def _voice(rng: random.Random, parts: list[str], joint: str = "") -> str:
    """Parts joined as a caller says them: fillers between, a restart, recogniser text."""
    text = parts[0]
    for part in parts[1:]:
        text += (joint or rng.choice([" and ", " ", ". "])) + part
    if rng.random() < 0.3:
        text = _restart(rng, text)
    if rng.random() < 0.3:
        text = rng.choice(["um ", "uh ", "so yeah ", "hi um ", "you know "]) + text
    if rng.random() < 0.5:  # a recogniser's output: lower case, no punctuation
        text = re.sub(r"[.,?!]", "", text)
    else:  # typed: a capital, apostrophes where they belong
        text = text[0].upper() + text[1:]
        for bare, full in (("dont", "don't"), ("im", "I'm"), ("ive", "I've")):
            text = re.sub(rf"\b{bare}\b", full, text)
        text = text.replace("doesnt", "doesn't")
    return re.sub(r"\s+", " ", text).strip()


def _kin(rng: random.Random, template: str) -> str:
    who = rng.choice(list(KIN))
    subject, _, poss, _ = KIN[who]
    clause = template.replace("{he}", subject).replace("{his}", poss)
    if subject == "he":
        clause = clause.replace("she", "he")
    return rng.choice(REPORT).replace("{k}", who).replace("{c}", clause)


class Disfluent(Case):
    """A generated sentence; "routine" expects neither escalation nor the question,
    "crisis_only" a crisis that is not an emergency."""

    def met(self, verdict: Verdict) -> bool:
        """Whether the verdict is what the parts call for."""
        if self.expect == "routine":
            return not (verdict.route.is_crisis or verdict.safety_check)
        if self.expect == "crisis_only":
            return verdict.route is Route.CRISIS
        return super().met(verdict)


def generate(n: int = SAMPLES, seed: int = SEED) -> list[Disfluent]:
    """`n` cases drawn from the parts with a fixed seed: the same list every run."""
    rng = random.Random(seed)
    cases: list[Disfluent] = []
    kinds = [
        "means_fillers",
        "means_ready",
        "late_time",
        "other_passive",
        "chore_fillers",
        "other_place",
        "own_clause_time",
        "self_passive",
        "self_active",
        "method_time",
        "negated",
    ]
    while len(cases) < n:
        kind = rng.choice(kinds)
        if kind == "means_fillers":
            have, use = rng.choice(MEANS)
            text = _voice(rng, [have, _fillers(rng, 3), use], " ")
            expect = "escalated"
        elif kind == "means_ready":
            text = _voice(rng, [rng.choice(HELD), rng.choice(READY)], ". ")
            expect = "escalated"
        elif kind == "late_time":
            parts = [rng.choice(ACTS), rng.choice(LONG_MEANS), rng.choice(LATE_TIME)]
            text = _voice(rng, parts, " ")
            expect = "emergency"
        elif kind == "other_passive":
            text = _voice(rng, [_kin(rng, rng.choice(OTHER_PASSIVE))])
            expect = "escalated"
        elif kind == "chore_fillers":
            have, use = rng.choice(CHORES)
            joint = rng.choice([" " + _fillers(rng, 3) + " ", ". "])
            text = _voice(rng, [have, use], joint)
            expect = "routine"
        elif kind == "other_place":
            text = _voice(rng, [_kin(rng, rng.choice(OTHER_PLACE))])
            expect = "routine"
        elif kind == "own_clause_time":
            text = _voice(rng, [rng.choice(OTHER_RISK), rng.choice(OWN_CLAUSE_TIME)], " ")
            expect = "crisis_only"
        elif kind == "self_passive":
            clause = _fill(rng.choice(PASSIVE), None)
            text = _voice(rng, [_heard(rng, _scattered(rng, clause))])
            expect = "escalated_or_asked"
        elif kind == "self_active":
            clause = _fill(rng.choice(ACTIVE), None)
            text = _voice(rng, [_heard(rng, _scattered(rng, clause))])
            expect = "escalated"
        elif kind == "method_time":
            clause = _fill(rng.choice(METHOD), None) + " " + rng.choice(IMMINENT)
            text = _voice(rng, [_heard(rng, _scattered(rng, clause))])
            expect = "emergency"
        else:
            clause = _fill(rng.choice(NEGATED), None)
            text = _voice(rng, [_heard(rng, clause)])
            expect = "below_crisis"
        cases.append(Disfluent(text, kind, expect))
    return cases


CASES = generate()
# Misses of `CASES` per kind when last measured (see `test_generated_misses_do_not_grow`).
MAX_MISSES: dict[str, int] = {"self_passive": 1}


def test_the_generator_is_seeded() -> None:
    """The same seed gives the same sentences, so a miss can be reproduced."""
    assert [c.text for c in generate(50)] == [c.text for c in CASES[:50]]


def test_every_kind_is_drawn() -> None:
    """Each shape and its twins are in the sample the bounds are measured on."""
    assert len(Counter(c.kind for c in CASES)) == 11


def test_generated_misses_do_not_grow() -> None:
    """Misses per kind stay at or under the figures last measured: a fix lowers them."""
    misses = Counter(c.kind for c in CASES if not c.met(screen(c.text)))
    grown = {k: (n, MAX_MISSES.get(k, 0)) for k, n in misses.items() if n > MAX_MISSES.get(k, 0)}
    assert not grown, grown


# (sentence, route, "escalated", "asked" or "below"): the causes fixed, each beside everyday
# words that must keep their route.
FIXED = [
    # a run of spoken fillers between a means and the act counts as "and"
    ("I have the pills and um like you know I'm gonna take them all", Route.CRISIS),
    ("ive got the pills here and uh so yeah im just gonna take all of them", "escalated"),
    ("i have the pills and so yeah kind of im gonna take them", "escalated"),
    ("i grabbed my knife and i guess im ready", "escalated"),
    ("i have my pills and um so yeah im just gonna take them with dinner", Route.ROUTINE),
    ("i have the knife and like you know im just going to use it to cut the meat", "below"),
    ("what kind of pills should i take for my allergies", "below"),
    # a means, then a new sentence saying one is ready or doing it
    ("I have the knife. I'm ready.", Route.EMERGENCY),
    ("i have the knife. im ready", Route.EMERGENCY),
    ("Got the pills right here. I'm doing it tonight.", Route.EMERGENCY),
    ("I have the pills. I'm ready for my appointment.", Route.ROUTINE),
    ("I have the tickets. I'm ready.", Route.ROUTINE),
    ("I have the pills. I'm doing it the way the doctor said.", "below"),
    ("I have the knife and I'm doing it myself", "below"),
    # a time said later in the clause of the act, past a long means or place
    (
        "I'm going to hang myself with the rope in the garage after everyone is asleep tonight",
        Route.EMERGENCY,
    ),
    (
        "I'm going to kill myself with the gun my dad keeps in the closet upstairs tonight",
        Route.EMERGENCY,
    ),
    (
        "im gonna end it with the pills in the cabinet when my wife goes to work in an hour",
        Route.EMERGENCY,
    ),
    (
        "I want to kill myself sometimes and my sister is coming to visit from out of town tonight",
        Route.CRISIS,
    ),
    (
        "I tried to kill myself years ago, and I'm seeing my therapist for the first time today",
        "below",
    ),
    # ending it with pills is no break-up
    ("im gonna end it with the pills", Route.CRISIS),
    ("I want to end it with my boyfriend", Route.ROUTINE),
    ("I'm going to end things with my therapist", Route.ROUTINE),
    # someone else not wanting to be here, or to live
    ("my brother doesn't want to be here", Route.CRISIS),
    ("my mom said she doesnt want to be here", Route.CRISIS),
    ("he doesn't want to do this anymore, he doesn't want to be here", Route.CRISIS),
    ("my friend said he doesn't want to live", Route.CRISIS),
    ("my son keeps saying he wants to disappear forever", Route.CRISIS),
    ("my daughter doesn't want to be here, she wants to go home", Route.ROUTINE),
    ("my son doesn't want to be here at this school", Route.ROUTINE),
    ("she doesn't want to be here today", Route.ROUTINE),
    ("he doesn't want to be here with me", Route.ROUTINE),
    ("he doesn't want to live with his dad anymore", Route.ROUTINE),
    ("she wants to disappear for the weekend", Route.ROUTINE),
    # "you know" or "i mean" before a clause said again, "like" before where one is
    ("my family would be better off if i mean i was gone", "asked"),
    ("it would be easier if i i mean i just wasnt around", "asked"),
    ("uh i wish i wasnt you know here", "asked"),
    ("i wish i wasnt like around", "asked"),
    ("i dont see like the point in being here anymore", Route.CRISIS),
    ("i hope i dont like wake up", "asked"),
    ("do you know if the office is open on friday", Route.ROUTINE),
    ("you know i really like my therapist", Route.ROUTINE),
    ("its not like here in boston, parking is easy", Route.ROUTINE),
    # "a hard time" is no struggle not to act; "hard not to" is
    ("i have been having a really hard time kinda i dont want to kill myself", "below"),
    ("its hard to not hurt myself", Route.CRISIS),
    ("i try my hardest not to kill myself", Route.CRISIS),
    # "like" before "not" or "never", and after a wish, is a filler
    ("i wish i could just like not exist", Route.CRISIS),
    ("honestly i wish i was like never born", Route.CRISIS),
    ("sometimes i wish like i had never been born", Route.CRISIS),
    ("it's just like not fair", Route.ROUTINE),
    ("i wish like crazy i could go to the beach", Route.ROUTINE),
]


@pytest.mark.parametrize(("text", "expected"), FIXED)
def test_fixed_causes(text: str, expected: Route | str) -> None:
    """Each fixed cause catches its callers' words and leaves the everyday ones alone."""
    assert_expected(screen(text), expected)


if __name__ == "__main__":  # pragma: no cover
    report(generate, SEED)
