"""Clauses that are not about the call: questions and requests for something else.

A caller's aside ("what fun things are there in Boston", "send me an uber at 5pm") names
places, times and people that are not the client's. Intake values are read only from the
clauses about the call; a clause that names the care ("can I come in Tuesday at 5?") is
about the call whatever its form. Word lists are data (`data/asides.json`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from difflib import SequenceMatcher

from frontdesk.conversation.understanding import care, commitments, places
from frontdesk.conversation.understanding import intents as lexicon
from frontdesk.conversation.understanding.data_files import load
from frontdesk.conversation.understanding.normalize import Words, numberize, words
from frontdesk.conversation.understanding.phrases import compile_all, first

_DATA = load("asides")
_QUESTION_WORDS = frozenset(_DATA["question_words"])
_AUXILIARIES = frozenset(_DATA["auxiliaries"])
_SUBJECTS = frozenset(_DATA["subjects"])
_ASKED_OF = frozenset({"i", "you", "we"})  # "can you …", "do I …": put to someone
_LEADS = tuple(
    tuple(lead.split()) for lead in sorted(_DATA["request_leads"], key=len, reverse=True)
)
_REQUEST_VERBS = frozenset(_DATA["request_verbs"])
_CONTACT_VERBS = frozenset(_DATA["contact_verbs"])
_CHANNEL_WORDS = frozenset(_DATA["channel_words"])
_WANTING = tuple(
    tuple(lead.split()) for lead in sorted(_DATA["wanting_leads"], key=len, reverse=True)
)
_TRIP_WORDS = frozenset(_DATA["trip_words"])
_AWAY = compile_all(_DATA["away_phrases"])
_NOT_AWAY = frozenset(_DATA["not_away"])
_CARE_WORDS = frozenset(_DATA["care_words"])
_BOOKING_VERBS = frozenset(_DATA["booking_verbs"])
_DETERMINERS = frozenset(_DATA["booking_determiners"])
_RENTAL_VERBS = frozenset(_DATA["rental_verbs"])
_OURS = frozenset(_DATA["booked_of_ours"])
_BOOKED_LEADS = frozenset(_DATA["booked_leads"])
_CARE_PHRASES = compile_all(_DATA["care_phrases"])
_JOINERS = "|".join(re.escape(j) for j in _DATA["joiners"])
_BOUNDARY = re.compile(rf"[.!?;,]+(?=\s|$)|[!?;,]+|\b(?:{_JOINERS})\b", re.IGNORECASE)
_SMALL_TALK = frozenset(_DATA["small_talk"])
_OPENERS = frozenset(_DATA["openers"])
_POINTERS = frozenset(_DATA["pointers"])
_DUMMY_NEIGHBOURS = frozenset(_DATA["dummy_neighbours"])
_CLAUSE_SUBJECTS = frozenset(_DATA["clause_subjects"])
_CLAUSE_LEADS = frozenset({"that"})
_NUMERALS = frozenset(_DATA["numeral_pointers"]["words"])
_CALENDAR = load("calendar_words")
_WHEN_WORDS = frozenset(
    (*_CALENDAR["weekdays"], *_CALENDAR["months"], *_CALENDAR["periods"], "today", "tonight")
)
"""Words that start a date or a time ("May 3", "Wednesday", "tonight")."""
_SCHEDULE_WORDS = frozenset(_CALENDAR["schedule_words"])
_NUMERAL_FOLLOWERS = frozenset(_DATA["numeral_pointers"]["followers"]).union(
    _CALENDAR["weekdays"], _CALENDAR["months"], _CALENDAR["periods"]
)
"""What may follow "one" when it stands for an appointment ("one on Friday", "that one");
before another word it counts something ("my capital one card", "one question")."""
_ABBREVIATED = re.compile(r"\b(mr|mrs|ms|mx|dr|st)\.", re.IGNORECASE)
_RELATIVES = frozenset(_DATA["relative_pronouns"])
_FACT_AUXILIARIES = frozenset(_DATA["fact_auxiliaries"])
_PROPOSALS = frozenset(tuple(p.split()) for p in _DATA["proposals"])
_TIME_LEADS = frozenset(_DATA["time_leads"])
_STILL_ANSWERS = frozenset(_DATA["still_answers"])
_SCENE_LEADS = frozenset(_DATA["scene_leads"])
_CONDITIONS = frozenset(_DATA["conditions"])
_ADDRESSED = frozenset(_DATA["addressed"])
_HEDGES = frozenset(_DATA["request_hedges"])
_BOOKINGS = frozenset(_DATA["bookings"])
_WEAK_CARE = frozenset(_DATA["weak_care_words"])
_AVAILABLE_OF = frozenset(_DATA["available_of"]) | _POINTERS
_PAST_VERBS = frozenset(_DATA["past_verbs"])
_STILL_WANTING = frozenset(_DATA["still_wanting"])
_AGE_VERBS = frozenset(_DATA["age_verbs"])
_LISTING = frozenset({",", "and"})
_POINTED_VERBS = frozenset(_DATA["pointed_verbs"])
_MISHEARD = 0.7  # "apartment" for "appointment"; "assignment" (0.67) is not
_NUMBER_WORDS = 3  # "twenty one pm": enough words to read a number said in words
_DEFINITE = frozenset({"the", "my", "our", "this", "that"})
_TIME_PREPOSITIONS = frozenset({"on", "at", "for", "around", "by"})
_TIME_FILLERS = frozenset(_DATA["time_fillers"])
_CLOCK = re.compile(r"\d{1,2}(?::\d\d)?(?:st|nd|rd|th)?|\d{4}|\d{1,2}/\d{1,2}(?:/\d{2,4})?")
_WHO = load("slots")["for_whom"]
_PEOPLE = frozenset(
    word
    for kind in ("child", "partner", "other")
    for entry in _WHO[kind]
    for word in entry.split("|")
)
"""The people a relative clause can describe: "for my son, who is 12" says his age."""


def on_call(text: str, *, ours: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """The words of `text` that are about the call, and whether any clause was an aside.

    A clause that starts like a question or a request for something else is an aside,
    unless it names the care. `ours` are the words of the practice's own names (its
    clinicians): "is Reyes available Tuesday?" asks about the care.
    """
    kept: list[str] = []
    aside = was_aside = dangling = False
    spoken = list(_clauses(text))
    listed = [joined for *_, joined in _spoken(text)]
    asides = [
        is_aside(tokens, ours=ours) and not _describes(said_of, tokens)
        for _, tokens, said_of in spoken
    ]
    for n, (clause, tokens, said_of) in enumerate(spoken):
        # The state after an aside's place ("the closest walmart to Boise, Idaho") is its,
        # and so is a place that only goes on with it ("between Denver and LA", "a car for
        # March 2, Dallas Texas") or a date or time ("rent a limo from May 1, 2019 to May
        # 3", "a table on Wednesday, 2:00pm if possible").
        of_aside = was_aside and (
            (bool(said_of) and (places.only_a_state(tokens) or places.only_a_code(tokens)))
            or (listed[n] and _another_place(tokens, spoken[n - 1][1]))
            or (listed[n] and _goes_on_with_a_place(tokens))
            or _goes_on_with_a_time(tokens)
        )
        # So is a time, a place or a condition said just before an aside that is not put to
        # the practice ("at 5 pm, is Kaya busy", "in Austin, what is there to do", "if I go
        # to the mall at 5, what will the traffic be like").
        if n + 1 < len(spoken) and asides[n + 1] and spoken[n + 1][2]:
            of_aside = of_aside or (_sets_the_scene(tokens) and not _put_to_us(spoken[n + 1][1]))
        # A clause that finishes an aside cut off mid-phrase ("a reservation for, me and
        # Teresa at 7") is its, and so is one that amends it ("reserve the table Friday, use
        # his name, make that close to 4:00 pm").
        of_aside = of_aside or (dangling and not _names_care(tokens))
        of_aside = of_aside or (aside and _amends(tokens))
        if asides[n] or of_aside:
            aside = was_aside = True
            dangling = dangling or tokens[-1] in _DANGLING
            dangling = dangling and not _names_care(tokens)
        else:
            kept.append(clause)
            was_aside = False
    return (", ".join(kept), True) if aside else (text, False)


_DANGLING = frozenset({"for", "with", "at", "to", "of", "from", "the", "a", "an", "and"})
_AMENDS = frozenset({("make", "that"), ("make", "it"), ("change", "that"), ("change", "it")})


def _names_care(tokens: Words) -> bool:
    return bool(_CARE_WORDS.intersection(tokens)) or first(_CARE_PHRASES, tokens) is not None


def _amends(tokens: Words) -> bool:
    """ "Make that close to 4:00 pm": a change to what was just asked for."""
    start = next((i for i, t in enumerate(tokens) if t not in _OPENERS), len(tokens))
    return tuple(tokens[start : start + 2]) in _AMENDS


def _another_place(tokens: Words, before: Words) -> bool:
    """Whether a clause only names places ("Dallas Texas"), or a code that goes on from a
    place just named ("LA" of "between Denver and LA")."""
    listing = places.only_a_code(tokens) and places.only_a_place(before[-1:])
    return places.only_a_place(tokens) or listing


_STREETS = frozenset({"street", "streets", "avenue", "avenues", "road", "roads", "boulevard"})
_PLACE_LEADS = frozenset({"in", "at", "near"})
_PLACE_WORDS = 3  # "in philadelphia", "near the mall": a short phrase of place


def _goes_on_with_a_place(tokens: Words) -> bool:
    """Whether a clause listed after an aside only goes on with its place ("to 20th and
    market streets, in philadelphia, pa")."""
    if _names_care(tokens):
        return False
    return tokens[-1] in _STREETS or (tokens[0] in _PLACE_LEADS and len(tokens) <= _PLACE_WORDS)


def told(text: str) -> tuple[str, bool]:
    """The words of `text` that tell rather than ask, and whether any clause asked.

    "Do you offer video sessions?", "is there a sliding scale?" or "what platform do you use
    for video?" ask what the practice does, even when they name the care; they tell
    nothing about the client. A proposal ("how about in person?") is no question of fact.
    """
    kept: list[str] = []
    asked = False
    for clause, tokens, said_of in _clauses(text):
        if _asks_of_practice(tokens) and not _describes(said_of, tokens):
            asked = True
        else:
            kept.append(clause)
    return (", ".join(kept), True) if asked else (text, False)


def before_asking(text: str) -> str | None:
    """The clauses of `text` said before its first question or aside, when both are there
    ("yes that's fine" in "yes that's fine, do you have anyone who works with kids?");
    None when it opens with the question or asks nothing."""
    kept: list[str] = []
    for clause, tokens, said_of in _clauses(text):
        asks = _asks_of_practice(tokens) or is_aside(tokens)
        if asks and not _describes(said_of, tokens):
            return ", ".join(kept) if kept else None
        kept.append(clause)
    return None


def clauses(text: str) -> list[str]:
    """The clauses of `text` as said (capitals kept), split at punctuation and joiners."""
    return [clause for clause, _, _ in _clauses(text)]


def listing(text: str) -> list[tuple[str, bool]]:
    """The clauses of `text` as said, each with whether it goes on from the one before after
    a comma or "and" ("I can't do Mondays and Wednesdays")."""
    return [(clause, joined) for clause, _, _, joined in _spoken(text, every_parting=True)]


def parted(text: str) -> list[tuple[Words, Words]]:
    """The words of each clause of `text`, with those of the clause before when only a comma
    parts them ("Columbus, Ohio")."""
    return [(tokens, said_of) for _, tokens, said_of in _clauses(text)]


def _clauses(text: str) -> Iterator[tuple[str, Words, Words]]:
    """Each clause of `text`: its words as said, its tokens, and the tokens of the clause
    before when only a comma parts them (a relative clause may follow)."""
    for clause, tokens, said_of, _ in _spoken(text):
        yield clause, tokens, said_of


def _spoken(text: str, *, every_parting: bool = False) -> Iterator[tuple[str, Words, Words, bool]]:
    """As `_clauses`, and whether the clause goes on from the one before after a comma or
    "and" ("Denver and LA"), not after a full stop or a question; with `every_parting`, not
    when another joiner follows the comma (", but Tuesdays")."""
    plain = _ABBREVIATED.sub(r"\1", text)
    position = 0
    said_of: Words = ()
    joined = False
    for match in [*_BOUNDARY.finditer(plain), None]:
        end = match.start() if match is not None else len(plain)
        clause = plain[position:end]
        position = match.end() if match is not None else end
        tokens = words(clause)
        if not tokens:
            parting = match.group().strip().lower() if match is not None else ""
            joined = joined and (not every_parting or parting in _LISTING)
            continue
        yield clause.strip(), tokens, said_of, joined
        parting = match.group().strip().lower() if match is not None else ""
        said_of = tokens if parting == "," else ()
        joined = parting in _LISTING


def only_asked_about(text: str, said: Callable[[Words], bool]) -> bool:
    """Whether every clause of `text` for which `said` holds is a question: "how do you say
    goodbye in Spanish" asks about the word, it does not say it."""
    found = [tokens for _, tokens, _ in _clauses(text) if said(tokens)]
    return bool(found) and all(_asks(tokens) for tokens in found)


def _asks(tokens: Words) -> bool:
    """A clause put as a question: "how …", "what …", "can you …" ("have a good day" wishes)."""
    return tokens[0] in _QUESTION_WORDS or (
        tokens[0] in _AUXILIARIES and len(tokens) > 1 and tokens[1] in _ASKED_OF
    )


def _asks_of_practice(tokens: Words) -> bool:
    """Whether a clause asks a question of fact ("do you …", "is it …", "what …")."""
    start = next((i for i, t in enumerate(tokens) if t not in _OPENERS), len(tokens))
    rest = tokens[start:]
    if not rest or tuple(rest[:2]) in _PROPOSALS:
        return False
    return rest[0] in _QUESTION_WORDS or rest[0] in _FACT_AUXILIARIES


def _describes(before: Words, tokens: Words) -> bool:
    """Whether the clause tells more about the person the clause before ends with ("for my
    son, who is 12"): a relative clause, not a question."""
    return bool(before) and before[-1] in _PEOPLE and tokens[0] in _RELATIVES


def is_aside(tokens: Words, *, ours: frozenset[str] = frozenset()) -> bool:
    """Whether a clause asks a question or asks for something else, and names no care."""
    care = _CARE_WORDS.intersection(tokens)
    if care and care <= _BOOKING_VERBS and _books_something_else(tokens):
        care = frozenset()
    if care and care <= _REMINDERS and _own_reminder(tokens):
        care = frozenset()  # "set a reminder for 5 pm to call my sister": the caller's own
    if care and care <= _WEAK_CARE and not (_AVAILABLE_OF | ours).intersection(tokens):
        care = frozenset()  # "is there a car rental available", "are 8pm tables available"
    start = next((i for i, t in enumerate(tokens) if t not in _OPENERS), len(tokens))
    rest = tokens[start:]
    points = _points(tokens) and not _points_back(rest)
    if care or first(_CARE_PHRASES, tokens) or points or _books_at_a_time(tokens):
        return False
    return bool(rest) and (
        _questions(rest)
        or _requests(rest)
        or _wants(rest)
        or _trip(rest)
        or _past(rest)
        or _rents(rest)
    )


def _points(tokens: Sequence[str]) -> bool:
    """Whether a pronoun points at what is being arranged ("book it", "do it over zoom"),
    not a dummy one ("how cold is it", "is it raining")."""
    for i, token in enumerate(tokens):
        if token not in _POINTERS:
            continue
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in _NUMERALS and after and after not in _NUMERAL_FOLLOWERS:
            continue
        if after in _CLAUSE_SUBJECTS and token in _CLAUSE_LEADS:
            continue  # "the things that I have for today" starts a clause
        if token in _CLAUSE_LEADS and _relative_verb(before, after):
            continue  # "a car that seats 5": the clause tells of the car
        if i and before not in _DUMMY_NEIGHBOURS and after not in _DUMMY_NEIGHBOURS:
            return True
    return False


_BACK_POINTERS = frozenset({"it", "that", "this"})


def _points_back(tokens: Sequence[str]) -> bool:
    """Whether every definite pointer comes after a request for a thing and points back at it
    ("I'd like to rent an automobile from Tuesday until Thursday, can I do that"): the
    request is for something else, whatever "that" then asks of it. A pointer that is the
    request's own object ("make it 5 pm", "send it to my email") is what is arranged."""
    rest = _unhedged(tokens)
    verb = _requested_verb(rest)
    if verb is None:
        return _asks(rest) and _points_at_its_thing(rest)
    thing = verb + 2 if rest[verb + 1 : verb + 2] in (("me",), ("us",)) else verb + 1
    pointed = [i for i, token in enumerate(rest) if token in _BACK_POINTERS]
    return (
        bool(pointed)
        and thing < len(rest)
        and rest[thing] not in _POINTERS
        and (min(pointed) > thing)
    )


_OWNING = frozenset({"my", "the", "a", "an", "his", "her", "their", "our"})


def _points_at_its_thing(tokens: Sequence[str]) -> bool:
    """Whether a question names a thing of its own before its first definite pointer ("when
    did I last bring my car in to have it looked at"): the pointer is that thing, not what
    is being arranged ("when can you do it" has none)."""
    pointed = next((i for i, t in enumerate(tokens) if t in _BACK_POINTERS), None)
    if pointed is None:
        return False
    return any(
        token in _OWNING
        and tokens[k + 1].isalpha()
        and not _starts_a_time(tokens[k + 1 : k + 2])
        and tokens[k + 1] not in _SCHEDULE_WORDS
        for k, token in enumerate(tokens[: pointed - 1])
    )


def _requested_verb(rest: Sequence[str]) -> int | None:
    """Where the verb of a request for a deed or a rental stands ("can you rent …", "I need
    to book …"), or None when the clause asks for no deed."""
    for lead in _LEADS:
        if tuple(rest[: len(lead)]) == lead:
            at = len(lead)
            break
    else:
        at = 0
    if at < len(rest) and rest[at] in _REQUEST_VERBS | _RENTAL_VERBS:
        return at
    return next((i for i, t in enumerate(rest) if t in _RENTAL_VERBS and i), None)


def _relative_verb(before: str, after: str) -> bool:
    """Whether "that" between `before` and `after` starts a clause about the thing before
    ("a van that seats 8", "a store that tests batteries"), not points at what is arranged
    ("that works", "book that", "is that ok")."""
    verb = after.endswith("s") and not after.endswith("ss") and len(after) > 3
    return (
        verb
        and after not in _POINTED_VERBS
        and before.isalpha()
        and before not in _REQUEST_VERBS | _BOOKING_VERBS | _DUMMY_NEIGHBOURS | _SMALL_TALK
    )


def _questions(tokens: Sequence[str]) -> bool:
    """ "What …", "can you …", "is there …"; and a question about someone or something else
    ("is Kaya busy at 5 pm", "will Cracker Barrel be crowded"), but not one that proposes a
    time ("is 5 ok", "would Tuesday work", "is after 5 ok")."""
    head = tokens[0]
    if head in _QUESTION_WORDS:
        return True
    if head not in _AUXILIARIES or len(tokens) < 2:
        return False
    said = tokens[1]
    if said in _SUBJECTS:
        return True
    return not (_starts_a_time(tokens[1:]) or said in _TIME_LEADS or said in _STILL_ANSWERS)


def _sets_the_scene(tokens: Sequence[str]) -> bool:
    """Whether a clause only says when or where, or on what condition ("at 5 pm", "around
    nine", "in Austin", "if I go to the mall at 5"), and names no care."""
    start = next((i for i, t in enumerate(tokens) if t not in _OPENERS), len(tokens))
    rest = tokens[start:]
    if not rest or _CARE_WORDS.intersection(rest) or first(_CARE_PHRASES, rest):
        return False
    if rest[0] in _CONDITIONS:
        return True
    leads = _starts_a_time(rest) or rest[0] in _SCENE_LEADS
    return leads and not _CLAUSE_SUBJECTS.intersection(rest)


def _put_to_us(tokens: Sequence[str]) -> bool:
    """Whether a question is put to the practice ("do you take Aetna?", "what's the fee?")."""
    return bool(_ADDRESSED.intersection(tokens)) or bool(lexicon.topics(tokens))


def _requests(tokens: Sequence[str]) -> bool:
    rest = _unhedged(tokens)
    for lead in _LEADS:
        if rest[: len(lead)] == lead:
            rest = rest[len(lead) :]
            break
    if len(rest) > 1 and rest[0] in _CONTACT_VERBS and rest[1] not in _CHANNEL_WORDS:
        return True  # "text Josh and tell him …" is a message to someone else
    if len(rest) > 2 and rest[0] == "call" and rest[1] in ("a", "an"):
        return True  # "call an uber for 2 people" sends for a car; "a call" is a channel
    if tuple(rest[:2]) == ("say", "that"):
        return True  # "say that I am in Tulsa, will I be charged": a case put, not a fact
    if tuple(rest[:2]) in (("know", "if"), ("know", "whether")):
        return False  # "let me know if Tuesday at 5 works" asks about the time it names
    return bool(rest) and rest[0] in _REQUEST_VERBS


def _books_something_else(tokens: Sequence[str]) -> bool:
    """ "Book a reservation for 8 pm", "book me a rental car", "move money from one account":
    what is booked or moved is not ours."""
    for i, token in enumerate(tokens):
        if token not in _BOOKING_VERBS:
            continue
        j = i + 2 if tokens[i + 1 : i + 2] in (("me",), ("us",)) else i + 1
        j = j + 1 if tokens[j : j + 1] and tokens[j] in _DETERMINERS else j
        booked = tokens[j:]
        if not booked or booked[0] in _POINTERS:
            return False
        return (
            booked[0] not in _OURS | _BOOKED_LEADS
            and not (_misheard_appointment(booked[0]) and _only_a_time(booked[1:]))
            and not _starts_a_time(booked)
        )
    return False


_REMINDERS = frozenset({"reminder", "reminders"})
_SETTING = frozenset(_DATA["own_reminders"]["setting_verbs"])
_NOT_DEEDS = frozenset(_DATA["own_reminders"]["not_deeds"])
_REMINDER_REACH = 5  # "a reminder for 5 pm tomorrow to call …"


def _own_reminder(tokens: Sequence[str]) -> bool:
    """Whether a reminder is one the caller sets for themselves ("set a reminder for 5 pm",
    "a reminder to pay my bills"), not one of ours ("text reminders", "reminders to my
    phone"): it is set, or it reminds of a deed ("to call my sister")."""
    for i, token in enumerate(tokens):
        if token not in _REMINDERS:
            continue
        if _SETTING.intersection(tokens[max(0, i - 3) : i]):
            return True
        after = tokens[i + 1 : i + 1 + _REMINDER_REACH]
        for k, word in enumerate(after[:-1]):
            if word == "to" and after[k + 1] not in _NOT_DEEDS:
                return True
    return False


def _misheard_appointment(word: str) -> bool:
    """Whether a booked word is "appointment" as a recogniser or a typist gets it wrong ("book
    me an apartment on the 13th", "an appintment at one pm"); "a lesson", "an assignment"
    are other things. Read so only when a time, or nothing, follows it ("an apartment in
    Denver" is somewhere to stay)."""
    return SequenceMatcher(None, word, "appointment").ratio() >= _MISHEARD


def _only_a_time(rest: Sequence[str]) -> bool:
    """Whether nothing follows, or a time does ("on the 13th of March", "at 1 pm")."""
    if rest and rest[0] in _TIME_PREPOSITIONS:
        rest = rest[1:]
    if rest and rest[0] == "the":
        rest = rest[1:]
    return not rest or _starts_a_time(rest)


def _rents(tokens: Sequence[str]) -> bool:
    """ "id like to rent a ford", "renting an apartment from the 1st": renting a thing is
    never ours, so the clause is an aside wherever the verb stands; "my rent" is a noun."""
    for i, token in enumerate(tokens):
        if token not in _RENTAL_VERBS or (i and tokens[i - 1] in _DETERMINERS):
            continue
        j = i + 2 if tokens[i + 1 : i + 2] in (("me",), ("us",)) else i + 1
        if tokens[j : j + 1] and tokens[j] in _DETERMINERS and j + 1 < len(tokens):
            return True
    return False


def _wants(tokens: Sequence[str]) -> bool:
    """ "I'd like a rental car", "I need a reservation at 8": a thing asked for, not a time."""
    rest = _unhedged(tokens)
    for lead in _WANTING:
        if rest[: len(lead)] == lead:
            after = rest[len(lead) :]
            return bool(after) and not (_starts_a_time(after) and _when_wanted(after))
    return False


def _when_wanted(tokens: Sequence[str]) -> bool:
    """Whether what is wanted is a time ("a 4 o'clock", "a Tuesday or a Wednesday", "an 8am
    time"), not a thing said with its time ("an 8 o'clock reservation at Pizza Hut")."""
    things = [t for t in tokens if not (_starts_a_time((t,)) or t in _TIME_LEADS)]
    things = [t for t in things if t not in _SMALL_TALK and t not in _TIME_FILLERS]
    return (
        not things
        or bool(_CARE_WORDS.intersection(things))
        or first(_CARE_PHRASES, tokens) is not None
        or bool(_SCHEDULE_WORDS.intersection(things))
    )


def _past(tokens: Sequence[str]) -> bool:
    """Whether a clause tells what someone did ("I replaced my tires on May 2", "I was at
    Walmart today"): its dates are gone by. "I was hoping for Tuesday", "I wanted to ask"
    or "I was wondering" still ask now, and "he just turned 9" says an age."""
    rest = _unhedged(tokens)
    for i, token in enumerate(rest[:-1]):
        if token not in _CLAUSE_SUBJECTS:
            continue
        verb, after = rest[i + 1], rest[i + 2] if i + 2 < len(rest) else ""
        past = verb in _PAST_VERBS or (verb.endswith("ed") and not verb.endswith("eed"))
        aged = verb in _AGE_VERBS and numberize((after,))[0].isdigit()
        if past and verb not in _STILL_WANTING and after != "to" and not after.endswith("ing"):
            return not aged
    return False


def _unhedged(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words without adverbs that only hedge a request ("I really need to", "I just
    want a")."""
    return tuple(t for t in tokens if t not in _HEDGES)


def _books_at_a_time(tokens: Sequence[str]) -> bool:
    """ "Make the reservation on the 4th of March": the booking that goes on with nothing but
    its date or time is the one being arranged; "a reservation at 8 on the 22nd" or "the
    reservation for three at Umi" is not."""
    for i, token in enumerate(tokens):
        if token in _BOOKINGS and i and tokens[i - 1] in _DEFINITE:
            after = tokens[i + 1 :]
            after = after[1:] if after[:1] and after[0] in _TIME_PREPOSITIONS else after
            return bool(after) and _starts_a_time(after) and _only_time(after)
    return False


def _only_time(tokens: Sequence[str]) -> bool:
    """Whether the words say nothing but days and times (and politeness)."""
    return all(
        _starts_a_time((t,)) or t in _TIME_LEADS or t in _SMALL_TALK or t in _TIME_FILLERS
        for t in tokens
    )


def _trip(tokens: Sequence[str]) -> bool:
    """A trip ("traveling to Rome", "I'm going to be in Canada from August 10th"): its dates
    are when the caller is away. Someone said in words of being away ("I'm on vacation
    Tuesday") is no aside: being away is a commitment, whose days are read as no
    availability. A stay in a place ("we'll be in New York from June 20") stays an aside, so
    its place is not the client's."""
    if any(tokens[start] != "in" for start, _ in commitments.away_spans(tokens)):
        return False
    if _TRIP_WORDS.intersection(tokens):
        return True
    span = first(_AWAY, tokens)
    if span is None:
        return False
    place = tokens[span[1] - 2]
    return place not in _NOT_AWAY and places.state((place,), expecting=True) is None


def _goes_on_with_a_time(tokens: Sequence[str]) -> bool:
    """Whether a clause only goes on with a date or time: it starts with one ("2019 to May
    3", "2:00pm if possible", "Wednesday next") and names no care."""
    start = next((i for i, t in enumerate(tokens) if t not in _OPENERS), len(tokens))
    rest = tokens[start:]
    return bool(rest) and _starts_a_time(rest) and not _CARE_WORDS.intersection(tokens)


def _starts_a_time(tokens: Sequence[str]) -> bool:
    """Whether the words start with a day, a date or a clock time ("5", "10:30", "3rd", "3/7",
    "2019", "six", "May", "Tuesday", "mornings"); "126" counts something."""
    head = numberize(tokens[:_NUMBER_WORDS])[0] if tokens[0].isalpha() else tokens[0]
    if head[:1].isdigit():
        return _CLOCK.fullmatch(head) is not None
    return head in _WHEN_WORDS or head.removesuffix("s") in _WHEN_WORDS


def substance(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words that say something: greetings ("good morning"), thanks and fillers removed."""
    return tuple(t for t in care.without_greetings(tokens) if t not in _SMALL_TALK)
