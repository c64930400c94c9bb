"""Risk composed from its parts: each construct, each time rule and each negation scope.

Cases are drawn from the shared train and dev data (never a test part) and from sentences
phrased the way a caller would say them on the phone.
"""

from __future__ import annotations

import pytest

from frontdesk.conversation.safety import Experiencer, Modifier, default_lexicon, screen
from frontdesk.domain.calls import Route

# (construct, sentence): each must be escalated to crisis or emergency.
ESCALATED = [
    # passive ideation: a wish, hope or longing for one's own death
    ("passive", "I hope I die in my sleep"),
    ("passive", "I'd really like to not wake up tomorrow"),
    ("passive", "I wake up every day desperate to die"),
    ("passive", "I'm so ready to die. There is nothing for me in this life"),
    ("passive", "I just wanna lay down and die"),
    ("passive", "I hope I'm dead before the new year"),
    ("passive", "I just wish I never existed"),
    ("passive", "please let me die, it hurts so much to keep existing"),
    ("passive", "honestly I'm so over existing"),
    ("passive", "I don't want to die but I wouldn't mind if I did"),
    ("passive", "I want to take a nap and never have to wake up"),
    ("passive", "I had a dream I finally died, why did I wake up"),
    ("passive", "when I'm not busy I just wanna die"),
    ("passive", "honestly I don't have anything to live for"),
    ("passive", "there's nothing keeping me here anymore"),
    ("passive", "why do I have to stay alive"),
    ("passive", "life is way too long, I wish it would end already"),
    ("passive", "my family would be better off without me"),
    ("passive", "maybe everyone would be better off if I just ended it"),
    # active ideation, intent and plans in the caller's own words
    ("active", "I guess I'll jump off a bridge next week"),
    ("active", "I think I might end it all"),
    ("active", "I keep thinking it would be easier if I just ended my life"),
    ("active", "what if I just killed myself"),
    ("active", "I'm going to finally put a bullet through my skull"),
    ("active", "if I go through with my plans nobody will find me for a week"),
    ("active", "death is on my mind every day"),
    ("active", "I've never been this close to suicide"),
    ("active", "every single day I get closer to my eventual suicide"),
    ("active", "if it weren't for my wife I'd have killed myself by now"),
    ("active", "does anyone else feel it would be easier to just kill yourself"),
    ("active", "if I killed myself nobody would notice"),
    ("active", "all I can think about the whole time is dying"),
    ("active", "I've never been so close to ending it"),
    # lethal means and methods
    ("means", "could I OD on a bottle of tylenol"),
    ("means", "I keep wanting to run out into traffic"),
    ("means", "I've been hoarding all my pills"),
    ("means", "I started mixing pills and alcohol hoping it will kill me"),
    ("means", "what's the easiest way to end it all"),
    # self-injury, current or relapsed
    ("self-injury", "after being clean for 10 months, I cut myself again last night"),
    ("self-injury", "I relapsed and cut myself again"),
    ("self-injury", "I'm still cutting"),
    ("self-injury", "I keep hitting myself when I'm angry"),
    ("self-injury", "I just cut for the first time"),
    ("self-injury", "how do I stop cutting when I'm sad"),
    # a promise or struggle not to act is still risk
    ("struggle", "I had to promise my therapist not to kill myself"),
    ("struggle", "my dog is the only reason I haven't ended everything"),
    ("struggle", "every day I ask myself why I haven't killed myself"),
    ("struggle", "I just want to not want to kill myself for one day"),
    ("struggle", "I can't stop thinking of suicide"),
    ("struggle", "I would never be able to kill myself, but I wish I would just die in my sleep"),
    # lethal means kept close, by the caller or someone they name
    ("means kept", "She sits quietly with the knife. When will someone hear her cries?"),
    ("means kept", "I've been sleeping with the gun under my pillow"),
    # a slip on the first key of a trigger word
    ("spelling", "I haven't been drunk without thinking heavily about milling myself"),
    # preparatory acts and methods in a caller's own words
    ("preparing", "I wrote letters to my family saying goodbye"),
    ("preparing", "I've been writing goodbye notes all week"),
    ("method", "thinking of crashing my car on purpose"),
    ("method", "I've been researching how many pills it would take"),
    ("method", "how many sleeping pills would kill me"),
    ("self-injury", "I relapsed and cut last night"),
    ("self-injury", "I'm scared I'm going to do something to myself"),
    ("self-injury", "she's been cutting again"),
    # unable to stay safe, passive wishes in everyday words
    ("safety", "I can't keep myself safe"),
    ("safety", "I don't think I'll make it through the night"),
    ("passive", "I've been thinking it would be easier if I just didn't wake up"),
    ("means at hand", "I have a bottle of pills and I'm thinking about it"),
    ("means kept", "I'm sitting here with my dad's gun"),
    ("abuse", "my partner pushed me down the stairs"),
    ("abuse", "I'm not safe at home"),
    ("others", "my son has a rope in his room and he's been talking about dying"),
    ("others", "my brother just texted me a goodbye and isn't picking up"),
    ("passive, spoken without apostrophes", "ive been feeling like i want to die for weeks"),
    ("passive, 'for' after the wish", "I've wanted to die for months"),
    ("means", "if i had a gun i would use it"),
    ("method", "I keep thinking about driving off the overpass"),
]

# (construct, sentence): each must be escalated or at least ask the direct question.
ASKED = [
    (
        "passive",
        "Does anybody else hope a war starts soon, so you can fight overseas and die a hero?",
    ),
    ("passive", "Is there any way to get doctors to do it? Lack of euthanasia is unconstitutional"),
    ("hopelessness", "What does it matter, I'm dead by the end of this year anyway"),
    ("hopelessness", "I just want to lie in bed forever and never get up"),
    ("means", "I need some poison, anything would work at this point"),
    ("means", "honestly I just want a gun"),
    ("self-injury", "Any skin pickers? It's a terrible way I try to cope"),
    ("self-injury", "I pick at my skin until it bleeds again"),
    ("self-injury", "next time I'll ask a stranger to punch me as hard as he can"),
    ("passive", "Why do innocent people die daily on accident and not me?"),
    ("passive", "I feel like dying"),
    ("place", "I'm at the train tracks"),
    ("thoughts", "I'm having really dark thoughts"),
    ("fear of acting", "I don't trust myself right now"),
    ("goodbye", "this will be my last call"),
    ("goodbye", "I already said my goodbyes"),
]


@pytest.mark.parametrize(("construct", "text"), ASKED)
def test_possible_risk_is_escalated_or_asked(construct: str, text: str) -> None:
    """A wording of risk the rules cannot call clear still asks the direct question."""
    verdict = screen(text)
    assert verdict.route.is_crisis or verdict.safety_check, construct


@pytest.mark.parametrize(("construct", "text"), ESCALATED)
def test_composed_risk_is_escalated(construct: str, text: str) -> None:
    """An unseen wording of a risk construct still reaches crisis or emergency."""
    assert screen(text).route.is_crisis, construct


# (time rule, sentence): each must be an emergency.
EMERGENCY = [
    ("intent tonight", "will be swallowing all of my psych meds tonight"),
    ("intent tonight", "I'm going to kill myself tonight"),
    ("intent tonight", "tonight is the date"),
    ("intent tomorrow", "I'm going to overdose tomorrow"),
    ("intent by morning", "I'll be dead by morning, I'm going to end my life"),
    ("act minutes ago", "an overdose taken a few minutes ago"),
    ("act minutes ago", "I took 30 of my pills about twenty minutes ago"),
    ("act hours ago", "I took 20 paracetamol about twelve hours ago"),
    ("act last night", "I made a failed attempt last night"),
    ("act just", "I just took a whole bottle of pills"),
    ("act just", "I just failed a suicide attempt"),
    ("intent later", "gunna end my life later on"),
    ("self-harm later today", "I'm going home later today to slice my arm open"),
    ("urge right now", "I'm really tempted to just end it right now"),
    ("place now", "I'm standing on the bridge right now"),
    ("means in hand", "I have the knife in my hand"),
    (
        "act referred, the day",
        "Never been so close to ending it. I think this is the day I finally do it",
    ),
    ("act referred, tonight", "I want to kill myself. I'm going to do it tonight"),
    ("act referred, right now", "I'm scared of what I might do. I could do it right now"),
    ("means laid out now", "I want to die, the pills are lined up in front of me"),
    ("act referred after death as escape", "Suicide is the only way out. I'll do it tonight"),
    ("at the place now", "I'm at the bridge and I want to jump"),
    ("at the place now", "I think about suicide every day and I'm on the overpass"),
    ("act a little while ago", "I swallowed all my antidepressants a little while ago"),
    ("act not long ago", "I took a bottle of pills not long ago"),
    ("in the running car now", "I'm sitting in my car with the engine running in the garage"),
    ("means in hand with a plan", "I've got a plan and the pills are in my hand"),
    ("armed at the door", "he's got a knife and he's outside my door"),
    ("armed at the door", "my ex is outside with a gun"),
    ("means at hand now", "I'm in the bathtub with a razor"),
    ("means at hand now", "my wife locked herself in the bathroom with a razor"),
    ("act with drink", "I drank a bottle of vodka and took some Xanax"),
    ("act, symptoms now", "I took something and I feel really weird"),
    ("act referred, tonight", "I want to kill myself. Tonight is the night."),
    ("means at hand now", "i have my husbands gun right here"),
    ("injury an hour ago", "I was hit by a car an hour ago"),
    ("seizure last night", "I had a seizure last night and I still feel awful"),
    ("overdose in Spanish, an hour ago", "mi hijo tomó muchas pastillas hace una hora"),
]


@pytest.mark.parametrize(("rule", "text"), EMERGENCY)
def test_time_makes_it_an_emergency(rule: str, text: str) -> None:
    """An act minutes or hours ago, or an intent for tonight or tomorrow, is an emergency."""
    assert screen(text).route is Route.EMERGENCY, rule


# (time rule, sentence, route): the time keeps it from being an emergency.
NOT_EMERGENCY = [
    ("history years ago", "I overdosed years ago", Route.SENSITIVE),
    ("history used to", "I used to cut myself", Route.SENSITIVE),
    ("passive wish tonight", "Hopefully I'll die in my sleep tonight", Route.CRISIS),
    ("plan next week", "I guess I'll jump off a bridge next week", Route.CRISIS),
    ("self-harm last night", "I cut myself again last night", Route.CRISIS),
    ("past attempt", "I nearly killed myself in 2015", Route.SENSITIVE),
    ("a loss", "my brother killed himself last year", Route.SENSITIVE),
    (
        "an old injury told as history",
        "I got hit by a car last year and now I have anxiety driving",
        Route.SENSITIVE,
    ),
    (
        "an old illness",
        "I had a stroke in 2019 and now I struggle with depression",
        Route.SENSITIVE,
    ),
]


@pytest.mark.parametrize(("rule", "text", "route"), NOT_EMERGENCY)
def test_time_that_is_not_acute(rule: str, text: str, route: Route) -> None:
    """History is sensitive; a passive wish or a plan for next week is crisis, not 911."""
    assert screen(text).route is route, rule


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I'm not suicidal, just lonely", Route.SENSITIVE),
        ("I'm not going to kill myself", Route.SENSITIVE),
        ("I would never be able to kill myself", Route.SENSITIVE),
        ("I don't really want to die", Route.SENSITIVE),
        ("I hope my cat does not die", Route.ROUTINE),
        ("I don't know why I want to die", Route.CRISIS),
        ("I have never been so close to hurting someone", Route.CRISIS),
        ("I can't stop wanting to die", Route.CRISIS),
        ("I promised I would not hurt myself but I'm scared I will", Route.CRISIS),
    ],
)
def test_negation_scopes_over_the_risk_itself(text: str, route: Route) -> None:
    """A negation softens the risk it denies, and nothing it does not reach."""
    assert screen(text).route is route


# (form, risk said in it, everyday twin): a promise or a struggle not to act keeps the risk
# live; the same frame around an everyday act stays routine.
PROMISE_OR_STRUGGLE = [
    (
        "a promise to someone, 'I wouldn't'",
        "I promised my wife I wouldn't kill myself",
        "I promised my son I would take him to the park",
    ),
    (
        "a promise to someone, 'I would not', said to be hard",
        "I promised my therapist I would not kill myself but it's hard",
        "I promised my therapist I would not miss another session",
    ),
    (
        "a promise to someone, of self-harm",
        "I promised my mom I wouldn't hurt myself",
        "I promised my mom I wouldn't be late",
    ),
    ("swore", "I swore to my sister I would never kill myself", "I swore I would never smoke"),
    ("made a promise", "I made a promise not to kill myself", "I made a promise not to eat sugar"),
    (
        "telling oneself",
        "I keep telling myself not to kill myself",
        "I told myself not to eat junk food",
    ),
    ("trying", "I'm trying not to cut", "I'm trying not to cut my hair too short"),
    ("trying hard", "I'm trying so hard not to hurt myself", "I'm trying hard not to cut corners"),
    (
        "doing one's best",
        "I'm doing my best not to kill myself",
        "I'm doing my best not to eat junk food",
    ),
    (
        "keeping oneself from",
        "I keep myself from cutting",
        "I keep myself from cutting in line",
    ),
]


@pytest.mark.parametrize(("form", "risk", "twin"), PROMISE_OR_STRUGGLE)
def test_a_promise_or_struggle_not_to_act_is_still_risk(form: str, risk: str, twin: str) -> None:
    """The thought is there when one promises or fights not to act; the twin is routine."""
    verdict = screen(risk)
    assert verdict.route.is_crisis, form
    assert all(Modifier.NEGATION not in m.modifiers for m in verdict.matches), form
    assert screen(twin).route is Route.ROUTINE, form


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # self-harm resisted tonight is as near as self-harm wanted tonight
        ("I'm trying not to cut tonight", Route.EMERGENCY),
        ("I'm trying not to hurt myself tonight", Route.EMERGENCY),
        # a plain denial stays one, a promise in it or not
        ("I'm not going to kill myself, I'm just tired", Route.SENSITIVE),
        ("I would never kill myself", Route.SENSITIVE),
        ("things are hard, I am not gonna end my life", Route.SENSITIVE),
        ("I'm not going to kill myself, I promise", Route.SENSITIVE),
        # a promise a comma parts from the negation frames nothing
        ("I promised to call, I would not kill myself", Route.SENSITIVE),
    ],
)
def test_a_promise_or_struggle_and_its_limits(text: str, route: Route) -> None:
    """Time still decides emergency; a denial with no frame around it stays a denial."""
    assert screen(text).route is route


@pytest.mark.parametrize(
    "text",
    [
        "I just wish it would all go away",
        "I'm scared of what I might do",
        "I don't know how much longer I can go on",
        "is life even worth living",
        "I think about suicide",
        "The only downside of dying is that I won't be around to enjoy it",
        "honestly death sounds so peaceful",
        "I woke up still alive, unfortunately",
        "I'm still alive and I don't really want to be",
        "What does it matter, I'm dying this year anyway I've been like this since 5 years ago",
        "I need a coffee..or a poison",
        "honestly I don't know if I'll even be around by then",
        "I'm not sure I'll still be alive by Christmas",
        "40 happened today and I'm still alive.. I don't particularly want to be.",
        "I'm still here. I don't want to be.",
    ],
)
def test_possible_risk_asks_the_direct_question(text: str) -> None:
    """Risk that is possible but not clear sets `safety_check` without escalating."""
    verdict = screen(text)
    assert verdict.safety_check or verdict.route.is_crisis
    assert verdict.to_dict()["safety_check"] is verdict.safety_check


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal, just lonely",
        "I don't know if I'll be around next week, I travel for work",
        "not sure if I'll still be here at 5, the office might close early",
        "I'm still here. I don't want to be late.",
        "I'm at the office. I don't want to be.",
        "my uncle died by suicide last year",
        "what are the warning signs of suicide",
        "I feel so tired all the time",
        "can I book for next Tuesday",
        "I want to cancel my appointment, my car died",
        "I'd like to end my sessions after this month",
        "I stopped cutting years ago",
        "Can we do it tomorrow?",
        "I could do it on Tuesday",
        "we should do it next week, the earliest slot is fine",
        "Starting ECT on friday. Sh*t scared. Anyone done this?",
        "When people think you don't give a sh** about anything",
        "I'm not going to kill myself. Can we do it on Tuesday?",
        "where can I euthanize my sick dog?",
        "the steak sounds good, and the weekend sounds nice",
        "I'm looking forward to the weekend",
        "I'm still here, unfortunately I can't make Tuesday",
        "ok...see you then, the appointment sounds good",
        "my grandfather is dying this year they said, he has cancer since 5 years ago",
        "how many tablets of amoxicillin would it take for a child with an ear infection",
        "he's got a new job and he's outside my office every day",
        "I took my meds a little while ago, can I book for Tuesday",
        "I left a note for the front desk saying goodbye until next week",
        "tonight is the night we celebrate, can we move my session",
        "tomorrow is the date of my appointment, can I move it",
        "it would be easier if I didn't have to drive, is telehealth possible",
        "I pushed my son into the pool for fun",
    ],
)
def test_no_question_without_possible_risk(text: str) -> None:
    """Denied, third-party, hypothetical, distress and booking talk never ask the question."""
    verdict = screen(text)
    assert not verdict.safety_check
    assert not verdict.route.is_crisis


def test_crisis_verdict_needs_no_question() -> None:
    """A crisis verdict never also asks: the crisis wording comes first."""
    verdict = screen("I want to die, I just wish it would all go away")
    assert verdict.route is Route.CRISIS
    assert not verdict.safety_check


@pytest.mark.parametrize(
    ("text", "experiencer"),
    [
        ("Does anyone else want to die?", Experiencer.SELF),
        ("anybody else hope they die in their sleep", Experiencer.SELF),
        ("did anyone see him kill himself", Experiencer.OTHER),
        ("why do other people die and not me", Experiencer.SELF),
        ("my son said he wants to kill me", Experiencer.SELF),
        ("someone else wants to kill herself", Experiencer.OTHER),
    ],
)
def test_asking_whether_anyone_else_feels_it_speaks_for_oneself(
    text: str, experiencer: Experiencer
) -> None:
    """Asking whether anyone else feels it shares the speaker's own; a named other stays other."""
    assert screen(text).experiencer is experiencer


# (construct, sentence, route): hopelessness and entrapment alone are a same-day review;
# joined to death as the way out, they are ideation.
HOPELESSNESS_AND_ENTRAPMENT = [
    ("hopelessness", "Feels like I have no future in it", Route.SENSITIVE),
    (
        "hopelessness",
        "I feel like nothing can help me and it will never get better",
        Route.SENSITIVE,
    ),
    ("hopelessness", "there's no end to this pain", Route.SENSITIVE),
    ("hopelessness", "nothing will change, I might as well be dead", Route.CRISIS),
    ("entrapment", "I feel so trapped in my life, there is no escape", Route.SENSITIVE),
    ("entrapment", "I'm running out of options and I just want to escape", Route.SENSITIVE),
    ("entrapment", "Suicide is the only way to end everything.", Route.CRISIS),
    ("entrapment", "When I finish my bucket list I can kill myself and be free", Route.CRISIS),
    ("entrapment", "death seems like the only way out for me", Route.CRISIS),
]


@pytest.mark.parametrize(("construct", "text", "route"), HOPELESSNESS_AND_ENTRAPMENT)
def test_hopelessness_and_entrapment(construct: str, text: str, route: Route) -> None:
    """Hopelessness or entrapment alone flags a review; death as the escape escalates."""
    verdict = screen(text)
    assert verdict.route is route, construct
    assert construct in {
        default_lexicon().entry(m.rule).construct for m in verdict.matches if m.score is None
    }


@pytest.mark.parametrize(
    "text",
    [
        "what is the main cause of becoming homeless",
        "what's the best place to just get away from it all",
        "I want out of my lease, who do I talk to",
        "I'm running out of time before my appointment",
    ],
)
def test_everyday_words_near_hopelessness_stay_routine(text: str) -> None:
    """Homelessness, holidays, contracts and running late are not hopelessness."""
    assert screen(text).route is Route.ROUTINE


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("my son said he wants to kill me", Route.CRISIS),
        ("I think my ex is planning to kill me", Route.CRISIS),
        ("my mom is going to kill me if I'm late", Route.ROUTINE),
    ],
)
def test_a_wish_or_plan_to_kill_the_caller_is_a_threat(text: str, route: Route) -> None:
    """Someone wanting or planning to kill the caller is abuse; the everyday hyperbole is not."""
    assert screen(text).route is route
