"""Understanding: caller speech to intents, requests, topics and intake slot values.

`understand` is pure: text in (as the speech recogniser heard it), an `Understanding` out.
`expecting` names the question the flow just asked, which is what lets short answers be
read ("twelve" is an age only after "how old is the client?"). Without it only values
that are unambiguous on their own are extracted; None always means not said.

The words of an e-mail address are data: once the address is read, nothing else (a
clinician, a payer, a state, an intent) is read from them. Answers in the caller's own
words (the address, the client's name, the concern) name a clinician only with a cue
("see Jordan", "Dr. Whitfield"), since a first name there is usually someone else's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from frontdesk.conversation.understanding import (
    asides,
    care,
    concerns,
    contact,
    numbers,
    payers,
    people,
    places,
)
from frontdesk.conversation.understanding import intents as lexicon
from frontdesk.conversation.understanding.choices import position_of, read_choice
from frontdesk.conversation.understanding.dates import (
    availability,
    date_of_birth,
    lists_on,
    of_free_time,
    speaks_of_time,
    stated_birthday,
)
from frontdesk.conversation.understanding.languages import language_of
from frontdesk.conversation.understanding.normalize import (
    CLAUSE_END,
    Words,
    clause_words,
    numberize,
    without_clause_ends,
    words,
)
from frontdesk.conversation.understanding.payers import PayerMatch
from frontdesk.conversation.understanding.result import (
    Request,
    Slot,
    SlotValues,
    Topic,
    Understanding,
    Vocabulary,
)
from frontdesk.conversation.understanding.vocabulary import (
    Compiled,
    compiled,
    vocabulary_from_practice,
)
from frontdesk.domain.calls import Intent
from frontdesk.domain.inquiries import Payment

__all__ = ["choice", "understand", "vocabulary_from_practice"]

_TOPIC_INTENTS: dict[Topic, Intent] = {
    Topic.INSURANCE: Intent.INSURANCE_QUESTION,
    Topic.FEES: Intent.FEE_QUESTION,
    Topic.SLIDING_SCALE: Intent.FEE_QUESTION,
    Topic.TELEHEALTH: Intent.TELEHEALTH_QUESTION,
    Topic.CLINICIANS: Intent.PROVIDER_QUESTION,
    Topic.SPECIALTIES: Intent.PROVIDER_QUESTION,
}
_PRACTICE_QUESTIONS = frozenset(_TOPIC_INTENTS.values())
_OUR_APPOINTMENTS = frozenset({Intent.EXISTING_CLIENT, Intent.RESCHEDULE, Intent.CANCEL})
"""Needs whose words are about an appointment with the practice: "I have an appointment
Friday at 2" then names it, and is no commitment elsewhere."""
_NOT_TIMES = frozenset({Slot.DATE_OF_BIRTH, Slot.CALLBACK_NUMBER})
_TELEHEALTH_SLOTS = {
    Slot.TELEHEALTH_PRIVATE_SPACE: "private_space",
    Slot.TELEHEALTH_DEVICE: "device",
    Slot.TELEHEALTH_CONNECTION: "connection",
}
_PHONE_LENGTHS = (10, 11)
_PAYING = frozenset({Slot.PAYER, Slot.PAYMENT})
_FREE_WORDS = frozenset({Slot.EMAIL, Slot.CLIENT_NAME, Slot.CONCERN})
_BARE_NAME_ASKED = frozenset(
    {
        Slot.FOR_WHOM,
        Slot.CLIENT_AGE,
        Slot.STATE,
        Slot.MODALITY,
        Slot.TELEHEALTH_PRIVATE_SPACE,
        Slot.TELEHEALTH_DEVICE,
        Slot.TELEHEALTH_CONNECTION,
        Slot.PAYMENT,
        Slot.PAYER,
        Slot.AVAILABILITY,
        Slot.REMINDER_PREFERENCE,
        Slot.CALLBACK_NUMBER,
        Slot.CONSENT_TO_TEXT,
        Slot.EMAIL,
    }
)
"""Intake questions at which a full name said alone ("Jordan Lee") is the caller's own: the
client's once the care is for the caller, read back before it is kept. At the e-mail
question too: an address is never a capitalised name and nothing more."""
_ABOUT_THE_CLIENT = (
    "for_whom",
    "client_age",
    "state",
    "modality",
    "payment",
    "availability",
    "reminder_preference",
    "private_space",
    "device",
    "connection",
)
"""Values an aside can name without their being the client's."""
_ABOUT_THE_CLIENT_PAYING = (*_ABOUT_THE_CLIENT, "payer", "payer_unlisted", "payer_program")
"""The same, with the payer, when nothing is asked about the practice."""
_ASKED_OF_THE_PRACTICE = ("state", "modality", "payment", "reminder_preference")
"""Values a question about what the practice does can name without their being the client's
("do you offer video sessions?", "do you have therapists in Wisconsin?")."""


def understand(
    text: str,
    *,
    vocabulary: Vocabulary,
    now: datetime,
    expecting: Slot | None = None,
    digits: str | None = None,
) -> Understanding:
    """What one caller utterance (or key press) says, read in the practice's timezone."""
    heard = words(text)
    address = contact.address(text, heard)
    tokens = address.around if address else heard
    numeric = numberize(tokens)
    local = now.astimezone(ZoneInfo(vocabulary.timezone))
    asked = lexicon.requests(tokens)
    if expecting is Slot.CONCERN and lexicon.declines(tokens):
        asked |= {Request.DONT_KNOW}  # "pass" declines the question; it is not the concern
    ours = compiled(vocabulary).clinician_words
    # "Go ahead and book a reservation" asks for a deed of another kind: no yes to anything.
    affirm = lexicon.affirm(tokens, elsewhere=lambda deed: asides.is_aside(tuple(deed), ours=ours))
    plain = address is None  # the words are all speech: clauses can be read from the text
    slots = _slots(text, tokens, numeric, vocabulary, local, expecting, plain=plain)
    # Beside an e-mail address, the clauses are read without it ("it's sam at example dot
    # com. do you have a sliding scale?" asks about the scale; it chooses no way to pay).
    speech = text if plain else (address.rest if address is not None else None)
    read = speech is not None
    about, aside = asides.on_call(speech, ours=ours) if speech is not None else (text, False)
    told, asking = asides.told(about) if read else (about, False)
    if plain and Request.GOODBYE in asked and asides.only_asked_about(text, _says_goodbye):
        asked -= {Request.GOODBYE}  # "how do you say goodbye in Spanish?" takes no leave
    named: SlotValues | None = None
    times_asked = False
    topics = lexicon.topics(tokens)
    if aside or asking:
        # A place, a time or a person in a question or a request for something else is not
        # the client's: those values come from the clauses about the call. A question about
        # what the practice does names a way of meeting or paying only to ask about it.
        # A question is answered for any place it names ("who treats anxiety in Wisconsin?").
        named = replace(slots, state=_place_named(tokens, vocabulary, expecting))
        # A payer named in a request for something else ("tell me United's carry-on
        # policy") is no insurer; one named in a question about the practice ("do you take
        # Optum?", "who takes Optum?") is answered.
        about_us = topics or _PRACTICE_QUESTIONS.intersection(lexicon.intents(tokens))
        on_call = _ABOUT_THE_CLIENT if about_us else _ABOUT_THE_CLIENT_PAYING
        for kept, fields_ in ((about, on_call), (told, _ASKED_OF_THE_PRACTICE)):
            if kept == (speech or text):
                continue
            # What is left of an aside may say nothing ("oh, um, what's the mpg …"): fillers
            # alone answer no question, not even "which state?" with an "oh".
            own = (
                _slots(
                    kept,
                    words(kept),
                    numberize(words(kept)),
                    vocabulary,
                    local,
                    expecting,
                    plain=True,
                )
                if asides.substance(words(kept))
                else SlotValues()
            )
            slots = replace(slots, **{name: getattr(own, name) for name in fields_})
            if fields_ is _ASKED_OF_THE_PRACTICE:
                # "Do you have anything on Friday?" asks what the practice has: the times it
                # names are asked about, not said to be the caller's.
                times_asked = bool(slots.availability) and not own.availability
    if affirm is True and expecting is Slot.CLIENT_NAME:
        slots = replace(slots, client_name=None)  # "yeah, that's right" is nobody's name
    if address is not None:
        slots = replace(slots, email=address.email)
    answered = _answers(slots, tokens, affirm, expecting)
    correction = lexicon.is_correction(tokens) or (affirm is False and bool(slots.filled()))
    owned = _payer_owned(text, tokens, vocabulary, plain=plain)
    if Topic.INSURANCE in topics and expecting is not Slot.PAYER and not owned:
        # "Do you take Aetna?" only asks, even asked how they pay; "I have Aetna, do you take
        # it?" says it is theirs, and so does naming it when asked which insurance.
        payment = None if answered.payment is Payment.INSURANCE else answered.payment
        answered = replace(answered, payer_question=True, payment=payment)
    found = _intents(tokens, topics, slots)
    result = Understanding(
        text=text,
        normalized=" ".join(numeric),
        intent=found[0] if found else None,
        intents=found,
        slots=answered,
        affirm=affirm,
        affirm_before_question=_affirm_before_question(text, affirm, plain=plain),
        correction=correction,
        requests=asked,
        topics=topics,
        digits=digits,
        choice=read_choice(numeric, today=local.date()),
        language=language_of(text),
        aside=aside,
        named=replace(answered, **{n: getattr(named, n) for n in _ABOUT_THE_CLIENT})
        if named is not None
        else None,
        said_anything=bool(asides.substance(tokens)),
        speaks_of_time=any(map(speaks_of_time, _free_words(text, tokens, plain=plain))),
        times_asked=times_asked,
        answers_another=expecting is Slot.CLIENT_NAME
        and bool(asides.substance(tokens))
        and _another_answer(tokens, compiled(vocabulary), local),
    )
    return _with_digits(result, digits, expecting) if digits else result


def _says_goodbye(tokens: Words) -> bool:
    return Request.GOODBYE in lexicon.requests(tokens)


def _affirm_before_question(text: str, affirm: bool | None, *, plain: bool) -> bool | None:
    """The yes or no said in the clauses before a question or an aside, if any."""
    if affirm is None or not plain:
        return None
    before = asides.before_asking(text)
    return lexicon.answer_before_question(words(before)) if before else None


def choice(text: str) -> int | None:
    """The offered option a caller picks ("the second one" → 2, "option 3", "the last one" → -1).

    1-based; None when no option is picked. Read it only right after options were offered.
    """
    return position_of(numberize(words(text)))


def _intents(tokens: Words, topics: tuple[Topic, ...], slots: SlotValues) -> tuple[Intent, ...]:
    """Intents from phrases, then those implied by the questions asked."""
    found = list(lexicon.intents(tokens))
    for topic in topics:
        implied = _TOPIC_INTENTS.get(topic)
        if implied is not None and implied not in found:
            found.append(implied)
    return tuple(found)


def _slots(
    text: str,
    tokens: Words,
    numeric: Words,
    vocabulary: Vocabulary,
    now: datetime,
    expecting: Slot | None,
    *,
    plain: bool,
) -> SlotValues:
    """Every value the utterance supplies, reading short answers by `expecting`. `plain` when
    `text` is all speech (no e-mail address taken out of `tokens`), so its clauses can be
    read."""
    compiled_vocabulary = compiled(vocabulary)
    parts = tuple(numberize(part) for part in people.clauses(text)) if plain else ()
    client_age = _age(numeric, parts, asked=expecting is Slot.CLIENT_AGE)
    # In the caller's own words (the concern, an e-mail address) a name counts only where
    # they say it is one ("their name is Riley Lee", "my name is Morgan Kim"); asked for the
    # name, it is read as the answer.
    free = expecting in _FREE_WORDS
    stated = None if expecting is Slot.CLIENT_NAME else people.stated_name(text, said_name=free)
    if stated is None and plain and expecting in _BARE_NAME_ASKED:
        bare = _bare_name(text, compiled_vocabulary, vocabulary, now)
        stated = (bare, True) if bare else None
    # Asked for a number, its digits are no time, but a day or a clock said instead of it
    # ("Saturdays works best", "at 11:15, please") is.
    timed = expecting not in _NOT_TIMES or (
        expecting is Slot.CALLBACK_NUMBER and not any(t.isdigit() for t in numeric)
    )
    paying = expecting in _PAYING
    match = compiled_vocabulary.payer(tokens, expecting=paying)
    if paying and match is not None and _heard_roughly(tokens, match):
        match = _rough_payer(text, tokens, match, compiled_vocabulary, plain=plain)
    if match is None and not paying:
        match = _owned_payer(tokens, compiled_vocabulary)
    # A date of birth said unasked, after its cue, is kept, and is never a day to meet.
    asked_birthday = expecting is Slot.DATE_OF_BIRTH
    birthday = None if asked_birthday else stated_birthday(numeric, today=now.date())
    when = (birthday[1],) if birthday else _free_words(text, numeric, plain=plain, ends=True)
    if expecting is Slot.CLIENT_AGE and client_age is not None:
        when = tuple(_without_age(run, client_age) for run in when)
    return SlotValues(
        for_whom=people.for_whom(
            tokens,
            expecting=expecting is Slot.FOR_WHOM,
            parts=parts,
            spoken=tuple(words(clause) for clause in asides.clauses(text)) if plain else (),
        ),
        client_age=client_age,
        client_name=(
            _answered_name(text, compiled_vocabulary, now)
            if expecting is Slot.CLIENT_NAME
            else (stated[0] if stated and not stated[1] else None)
        ),
        caller_name=stated[0]
        if stated and stated[1] and expecting is not Slot.CLIENT_NAME
        else None,
        date_of_birth=(
            date_of_birth(numeric, today=now.date())
            if asked_birthday
            else (birthday[0] if birthday else None)
        ),
        modality=care.modality(tokens, expecting=expecting is Slot.MODALITY),
        state=_state(text, tokens, match, vocabulary, expecting=expecting, plain=plain),
        payment=care.payment(
            tokens,
            payer_named=match is not None,
            expecting=expecting is Slot.PAYMENT,
            clauses=tuple(words(clause) for clause in asides.clauses(text)) if plain else (),
        ),
        payer=match.payer_id if match and not _unsure(match, vocabulary) else None,
        payer_unlisted=match.label if match and match.payer_id is None else None,
        payer_program=match.program if match and _unsure(match, vocabulary) else None,
        # Read whatever was asked: a concern said with other facts is kept, and an aside,
        # a question or another answer given at the concern question never is.
        concern=concerns.concern(text, names=compiled_vocabulary.names),
        availability=(
            tuple(
                window
                for run in when
                for window in availability(care.without_greetings(run), now=now, said=text)
            )
            if timed
            else ()
        ),
        reminder_preference=contact.reminder(
            tokens, expecting=expecting is Slot.REMINDER_PREFERENCE
        ),
        callback_number=numbers.phone_number(numeric),
        this_number=contact.this_number(tokens),
        email=None,  # read before the other slots, from the whole utterance
        consent_to_text=contact.consent_to_text(tokens),
        private_space=care.telehealth_answer(tokens, "private_space"),
        device=care.telehealth_answer(tokens, "device"),
        connection=care.telehealth_answer(tokens, "connection"),
        specialty=(
            None  # a concern is stored, never interpreted
            if expecting is Slot.CONCERN
            else care.specialty(tokens, compiled_vocabulary.specialties)
        ),
        age_group=None if expecting is Slot.CONCERN else care.age_group(tokens),
        clinician=people.clinician(
            people.without_other_names(tokens, text, vocabulary.clinicians) if plain else tokens,
            vocabulary.clinicians,
            cued_only=expecting in _FREE_WORDS,
        ),
    )


def _free_words(text: str, numeric: Words, *, plain: bool, ends: bool = False) -> tuple[Words, ...]:
    """The words that may say when the caller is free: without the clauses that say when they
    are not ("I can't do Monday, but Tuesday works" is free Tuesday, not Monday), when a
    reminder goes off ("set a reminder for 5 pm") or when they are busy ("I work Tuesdays"),
    nor the days listed on after those ("I have class on Mondays and Wednesdays"). Each run
    of clauses said one after another is read apart: the words either side of a clause left
    out were never said together ("on the 2nd. and phone call reminders please. Quinn
    Okafor" leaves "the 2nd" at the end of what was said, not before "Quinn"). With `ends`,
    `CLAUSE_END` marks where a clause ends ("after 3, text is fine" ends at the hour)."""
    if not plain:
        return (numeric,)
    ours = bool(_OUR_APPOINTMENTS.intersection(lexicon.intents(words(text))))
    runs: list[Words] = [()]
    before: Words = ()
    free = all_free = True
    for clause, joined in asides.listing(text):
        tokens = numberize(words(clause))
        listed_on = joined and not free and lists_on(before, tokens)
        free = of_free_time(tokens, ours=ours) and not listed_on
        all_free = all_free and free
        if free:
            runs[-1] += (CLAUSE_END, *tokens) if ends and runs[-1] else tokens
        elif runs[-1]:
            runs.append(())
        before = tokens
    if all_free:
        return (clause_words(text) if ends else numeric,)
    return tuple(run for run in runs if run)


def _without_age(tokens: Words, age: int) -> Words:
    """Asked for an age, the number given as the age is no time: the days and times said
    beside it ("she's 12, weekday afternoons work best") are read without it."""
    said = without_clause_ends(tokens)
    found = numbers.age_span(said, bare=True)
    if found is None or int(said[found[0]]) != age:
        return tokens
    at = [i for i, token in enumerate(tokens) if token != CLAUSE_END]
    return tokens[: at[found[0]]] + tokens[at[found[1] - 1] + 1 :]


def _age(numeric: Words, parts: tuple[Words, ...], *, asked: bool) -> int | None:
    """The client's age in the whole utterance, else stated in one of its clauses: "I'm 34,
    in Illinois" says 34 whatever was asked, though "34 in" alone may be an age to come. A
    clause's bare number is no age ("Tuesday, 5" is a time, even asked the age)."""
    found = numbers.age(numeric, bare=asked)
    for part in parts if found is None and len(parts) > 1 else ():
        found = numbers.age(part)
        if found is not None:
            break
    return found


def _heard_roughly(tokens: Words, match: PayerMatch) -> bool:
    """Whether a payer was heard only because it was asked for: by sound or a loose spelling
    ("sigma" for Cigna), or by an everyday word that is one of its names ("United")."""
    if match.score < 1.0:
        return True
    start, end = match.span or (0, 0)
    return " ".join(tokens[start:end]) in payers.NEVER_ALONE


def _rough_payer(
    text: str, tokens: Words, match: PayerMatch, vocabulary: Compiled, *, plain: bool
) -> PayerMatch | None:
    """A payer heard only roughly at the payment question ("sigma" for Cigna, "United") is
    the answer only in a clause that says nothing else (`insurers.json` `answer_words`):
    "remove the sync from my phone" and "the carry-on rules for United Airlines" name no
    insurer. Else the payer is what would be heard unasked."""
    for clause in [words(c) for c in asides.clauses(text)] if plain else [tokens]:
        heard = vocabulary.payer(clause, expecting=True)
        if heard is None or heard.span is None or heard.label != match.label:
            continue
        start, end = heard.span
        if all(word in payers.ANSWER_WORDS for word in (*clause[:start], *clause[end:])):
            return match
    return vocabulary.payer(tokens, expecting=False)


def _owned_payer(tokens: Words, vocabulary: Compiled) -> PayerMatch | None:
    """A payer whose name is an everyday word ("United"), heard unasked only right after the
    caller says it is theirs ("we're with United", "I have United"), and only as said."""
    match = vocabulary.payer(care.after_payer_owned(tokens), expecting=True)
    return match if match is not None and match.score == 1.0 else None


def _answered_name(text: str, vocabulary: Compiled, now: datetime) -> str | None:
    """The name given in answer to the name question; never another answer's words.

    A cue marks it anywhere ("the name is Jamie Patel", "Sam Kim, that's the client": the
    clause before, split at joiners, so "sliding scale and Sam Kim, that's the client" is
    Sam Kim).
    Otherwise it is read only from clauses that say something and neither ask a question
    nor ask for something ("can someone just call me back", "good morning" and "where is
    your office?" are no name, but a name said beside them is): a capitalised full name in
    any of them, else the first clause when it is a name and nothing more ("have I earned
    points on my card" is no "Have"). "Telehealth", "Ohio", "Aetna" or
    "Tuesday evenings" answer another question and are never the name.
    """
    said = people.client_name(text)
    if said is not None and said[1] and not _another_answer(words(said[0]), vocabulary, now):
        return said[0]
    spoken = asides.clauses(text)
    for before, after in pairwise(spoken):
        named = people.clause_name(before) if people.says_whose_name(after) else None
        if named and not _another_answer(words(named), vocabulary, now):
            return named
    own = [clause for clause in spoken if _may_name(words(clause))]
    found = people.written_names(", ".join(own))
    first_said = own[0] if own and own[0] == spoken[0] else None
    # "some in person" is a way of meeting, whatever word of it may look like a name.
    leading = (
        people.clause_name(first_said)
        if first_said and not _another_answer(words(first_said), vocabulary, now)
        else None
    )
    found += [leading] if leading else []
    names = [name for name in found if not _another_answer(words(name), vocabulary, now)]
    return max(names, key=lambda name: len(name.split())) if names else None


def _bare_name(text: str, compiled_: Compiled, vocabulary: Vocabulary, now: datetime) -> str | None:
    """A full name said alone at another question, when it can be nothing else: no greeting
    ("Good Morning"), no other answer ("San Diego", "Blue Cross"), no clinician of ours."""
    name = people.bare_name(text)
    if name is None:
        return None
    said = words(name)
    if len(asides.substance(said)) != len(said) or _another_answer(said, compiled_, now):
        return None
    return None if people.is_clinician(name, vocabulary.clinicians) else name


def _may_name(tokens: Words) -> bool:
    """Whether a clause could be a name: it says something, asks nothing, requests nothing."""
    return bool(asides.substance(tokens)) and not (
        asides.is_aside(tokens) or lexicon.requests(tokens)
    )


def _another_answer(tokens: Words, vocabulary: Compiled, now: datetime) -> bool:
    """Whether these words, alone, answer another intake question ("nine" is an age,
    "temper tantrums" the concern)."""
    return (
        numbers.age(numberize(tokens), bare=True) is not None
        or concerns.concern(" ".join(tokens), names=vocabulary.names) is not None
        or care.modality(tokens, expecting=True) is not None
        or places.state(tokens, expecting=True) is not None
        or care.payment(tokens, payer_named=False, expecting=True) is not None
        or vocabulary.payer(tokens, expecting=True) is not None
        or contact.reminder(tokens, expecting=True) is not None
        or contact.this_number(tokens) is not None
        or people.for_whom(tokens) is not None
        or bool(availability(care.without_greetings(numberize(tokens)), now=now, said=""))
    )


def _state(
    text: str,
    tokens: Words,
    match: PayerMatch | None,
    vocabulary: Vocabulary,
    *,
    expecting: Slot | None,
    plain: bool,
) -> places.StateCode | None:
    """The client's state, clause by clause: asked for it, a place given as the answer or said
    of where someone is ("Ohio", "I'd say Chicago", not "the traffic on the way to Phoenix");
    otherwise only a place said of where someone is ("we live in Iowa", not "a flight out of
    New York")."""
    spoken = asides.parted(text) if plain else [(tokens, ())]
    clauses = [(_without_payer(c, match, vocabulary), before) for c, before in spoken]
    if expecting is Slot.STATE:
        return places.answered_state(clauses)
    return places.client_state(clauses)


def _place_named(tokens: Words, vocabulary: Vocabulary, expecting: Slot | None) -> str | None:
    """The last state the words name, whatever it is said of (a plan's state aside)."""
    match = compiled(vocabulary).payer(tokens, expecting=expecting in _PAYING)
    return places.state(
        _without_payer(tokens, match, vocabulary), expecting=expecting is Slot.STATE
    )


def _payer_owned(text: str, tokens: Words, vocabulary: Vocabulary, *, plain: bool) -> bool:
    """Whether the caller says the payer is theirs, in the clause that names it ("I have
    Aetna, do you take it?"); "my number is …, do you take Aetna?" only asks."""
    if not plain:
        return care.payer_owned(tokens)
    spoken = [words(clause) for clause in asides.clauses(text)]
    payer = compiled(vocabulary).payer
    return any(care.payer_owned(c) and payer(c, expecting=False) is not None for c in spoken)


def _without_payer(tokens: Words, match: PayerMatch | None, vocabulary: Vocabulary) -> Words:
    """The words without the payer's name: "Illinois Medicaid" names a plan, not a place."""
    if match is None:
        return tokens
    names = [match.label]
    payer = next((p for p in vocabulary.payers if p.id == match.payer_id), None)
    if payer is not None:
        names += [payer.name, *payer.aliases]
    return places.without(tokens, [words(name) for name in names])


def _unsure(match: PayerMatch, vocabulary: Vocabulary) -> bool:
    """ "Medicaid" alone, where clinicians cover several states: which state's plan is unsaid."""
    if match.program is None or match.payer_id is None:
        return False
    states = {code for c in vocabulary.clinicians for code in c.licensed_states}
    return len(states) > 1


def _answers(
    slots: SlotValues, tokens: Words, affirm: bool | None, expecting: Slot | None
) -> SlotValues:
    """A yes or no read as the answer to the yes/no question just asked.

    A "no" that comes with other values ("no wait, we're in Wisconsin, not Indiana") takes
    back something said before; it does not answer the question. Nor does a yes said with
    an answer to another question, which it may be about.
    """
    if affirm is None or expecting is None:
        return slots
    if slots.takes_back(affirm) or (affirm and slots.answers_another()):
        return slots
    if expecting is Slot.CONSENT_TO_TEXT and slots.consent_to_text is None:
        return _replace(slots, consent_to_text=affirm)
    aspect = _TELEHEALTH_SLOTS.get(expecting)
    if aspect is not None and getattr(slots, aspect) is None:
        return _replace(slots, **{aspect: affirm})
    return slots


def _replace(slots: SlotValues, **changes: object) -> SlotValues:
    return replace(slots, **changes)  # type: ignore[arg-type]


def _with_digits(result: Understanding, digits: str, expecting: Slot | None) -> Understanding:
    """Keypad input: a callback number, an age, 1/2 for yes/no, 0 for a person."""
    pressed = "".join(ch for ch in digits if ch.isdigit())
    if digits.strip() == "0":
        return replace(result, requests=result.requests | {Request.SPEAK_TO_PERSON})
    if expecting is Slot.CALLBACK_NUMBER and len(pressed) in _PHONE_LENGTHS:
        number = numbers.e164(pressed)
        return replace(result, slots=replace(result.slots, callback_number=number))
    if expecting is Slot.CLIENT_AGE and pressed:
        age = numbers.age((pressed,), bare=True)
        return replace(result, slots=replace(result.slots, client_age=age))
    if expecting is Slot.CONFIRMATION and pressed in ("1", "2"):
        return replace(result, affirm=pressed == "1")
    return result
