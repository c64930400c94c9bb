"""`understand` end to end: many values at once, short answers, keypad input, robustness."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.practice_builders import make_practice

from frontdesk.conversation.understanding import understand, vocabulary_from_practice
from frontdesk.conversation.understanding.result import Request, Slot, Understanding, Vocabulary
from frontdesk.domain.calls import Intent
from frontdesk.domain.inquiries import ForWhom, Modality, Payment

from .conftest import NOW

Hear = Callable[..., Understanding]


def test_one_sentence_fills_many_slots(hear: Hear) -> None:
    """The brief's example sentence fills who, age, modality, state, payment and payer."""
    understood = hear(
        "I'm looking for telehealth for my 15 year old daughter in Ohio, we have Aetna"
    )
    slots = understood.slots
    assert (slots.for_whom, slots.client_age, slots.modality) == (
        ForWhom.CHILD,
        15,
        Modality.TELEHEALTH,
    )
    assert (slots.state, slots.payment, slots.payer) == ("OH", Payment.INSURANCE, "aetna")
    assert understood.intent is Intent.NEW_CLIENT


def test_stt_style_text_reads_the_same(hear: Hear) -> None:
    """Lower case, no punctuation, fillers and stutters change nothing that is extracted."""
    clean = hear("I'm looking for telehealth for my 15 year old daughter in Ohio, we have Aetna")
    messy = hear(
        "um im im looking for uh telehealth for my fifteen year old daughter in ohio we have aetna"
    )
    assert messy.slots == clean.slots
    assert messy.intent is clean.intent


def test_normalized_text_has_digits(hear: Hear) -> None:
    """`normalized` is the cleaned text with number words as digits."""
    assert hear("Um, she's FIFTEEN.").normalized == "she is 15"


@pytest.mark.parametrize(
    ("heard", "expecting", "field", "value"),
    [
        ("twelve", Slot.CLIENT_AGE, "client_age", 12),
        ("yes", Slot.CONSENT_TO_TEXT, "consent_to_text", True),
        ("tx", Slot.STATE, "state", "TX"),
        ("son", Slot.FOR_WHOM, "for_whom", ForWhom.CHILD),
        ("both", Slot.MODALITY, "modality", Modality.HYBRID),
        ("sigma", Slot.PAYER, "payer", "cigna"),
    ],
)
def test_short_answers_read_by_the_question(
    hear: Hear, heard: str, expecting: Slot, field: str, value: object
) -> None:
    """A short answer fills the slot the flow asked about, and nothing without the question."""
    assert getattr(hear(heard, expecting=expecting).slots, field) == value
    assert getattr(hear(heard).slots, field) is None


@pytest.mark.parametrize(
    ("heard", "expecting", "field", "value"),
    [
        ("she's about 7", Slot.CLIENT_AGE, "client_age", 7),
        ("texas", Slot.STATE, "state", "TX"),
        ("me", Slot.FOR_WHOM, "for_whom", ForWhom.SELF),
        ("Aetna", Slot.PAYER, "payer", "aetna"),
    ],
)
def test_clear_answers_read_with_or_without_the_question(
    hear: Hear, heard: str, expecting: Slot, field: str, value: object
) -> None:
    """Answers that are unambiguous alone read the same whether or not they were asked for."""
    assert getattr(hear(heard, expecting=expecting).slots, field) == value
    assert getattr(hear(heard).slots, field) == value


def test_concern_is_stored_in_the_callers_words_when_asked(hear: Hear) -> None:
    """The caller's words are the concern, trimmed and otherwise untouched."""
    said = "  She's been having panic attacks since school started, um, and won't sleep.  "
    slots = hear(said, expecting=Slot.CONCERN).slots
    assert slots.concern == said.strip().rstrip(".")
    assert slots.specialty is None


def test_concern_taken_unasked_but_never_from_requests(hear: Hear) -> None:
    """A concern counts before its question; "can you repeat that" is never a concern."""
    assert hear("she has panic attacks").slots.concern == "she has panic attacks"
    assert hear("can you repeat that", expecting=Slot.CONCERN).slots.concern is None


def test_message_body_is_left_to_the_flow(hear: Hear) -> None:
    """When a message is being taken, understanding stores nothing as a concern."""
    assert hear("tell Dana I'll be late", expecting=Slot.MESSAGE).slots.concern is None


@pytest.mark.parametrize(
    ("digits", "expecting", "field", "value"),
    [
        ("3125550142", Slot.CALLBACK_NUMBER, "callback_number", "+13125550142"),
        ("13125550142", Slot.CALLBACK_NUMBER, "callback_number", "+13125550142"),
        ("0125550142", Slot.CALLBACK_NUMBER, "callback_number", None),
        ("12", Slot.CLIENT_AGE, "client_age", 12),
    ],
)
def test_keypad_answers(
    hear: Hear, digits: str, expecting: Slot, field: str, value: object
) -> None:
    """Pressed digits answer the number and age questions; impossible numbers are refused."""
    understood = hear("", digits=digits, expecting=expecting)
    assert getattr(understood.slots, field) == value
    assert understood.digits == digits


def test_keypad_zero_asks_for_a_person(hear: Hear) -> None:
    """Pressing 0 at any point asks for a person."""
    assert Request.SPEAK_TO_PERSON in hear("", digits="0").requests


@pytest.mark.parametrize(("digits", "expected"), [("1", True), ("2", False), ("3", None)])
def test_keypad_confirmation(hear: Hear, digits: str, expected: bool | None) -> None:
    """1 confirms and 2 denies a read-back; other keys say neither."""
    assert hear("", digits=digits, expecting=Slot.CONFIRMATION).affirm is expected


def test_callback_number_without_the_question(hear: Hear) -> None:
    """A full ten-digit number is unambiguous even when not asked for."""
    assert hear("call me back at 312 555 0142").slots.callback_number == "+13125550142"


def test_vocabulary_from_practice() -> None:
    """A practice gives its payers, clinicians, timezone and every clinician specialty."""
    practice = make_practice()
    vocabulary = vocabulary_from_practice(practice)
    assert vocabulary.payers == practice.payers
    assert vocabulary.clinicians == practice.clinicians
    assert vocabulary.timezone == practice.timezone
    expected = sorted({tag for c in practice.clinicians for tag in c.specialties})
    assert list(vocabulary.specialties) == expected


def test_practice_vocabulary_is_understood() -> None:
    """An utterance naming a practice payer alias resolves to that practice's payer id."""
    practice = make_practice()
    vocabulary = vocabulary_from_practice(practice)
    payer = practice.payers[0]
    said = f"we have {payer.aliases[0] if payer.aliases else payer.name}"
    assert understand(said, vocabulary=vocabulary, now=NOW).slots.payer == payer.id


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=200),
    expecting=st.one_of(st.none(), st.sampled_from(Slot)),
    digits=st.one_of(st.none(), st.text(alphabet="0123456789*#", max_size=14)),
)
def test_arbitrary_input_never_raises(
    text: str, expecting: Slot | None, digits: str | None
) -> None:
    """Any text, question and key presses give an Understanding, never an exception."""
    vocabulary = Vocabulary(payers=(), clinicians=(), specialties=("anxiety",), timezone="UTC")
    understood = understand(
        text,
        vocabulary=vocabulary,
        now=datetime(2025, 1, 31, tzinfo=UTC),
        expecting=expecting,
        digits=digits,
    )
    assert understood.text == text


_SPEECH_WORDS = (
        "the", "31st", "march", "may", "next", "week", "weekends", "after", "before", "at",
        "quarter", "half", "past", "to", "oh", "double", "five", "twenty", "one", "hundred",
        "thousand", "and", "12", "13", "25", "99", "3/3", "2/30", "31/31", "11:75", "0/0",
        "uh", "huh", "my", "son", "dot", "at", "gmail", "com", "in", "ohio", "tx", "yes", "no",
        "actually",
)  # fmt: skip
_SPEECHY = st.lists(st.sampled_from(_SPEECH_WORDS), max_size=20)


@settings(max_examples=300, deadline=None)
@given(tokens=_SPEECHY, expecting=st.one_of(st.none(), st.sampled_from(Slot)))
def test_date_and_number_words_in_any_order_never_raise(
    tokens: list[str], expecting: Slot | None
) -> None:
    """Jumbles of calendar, clock and number words (impossible dates included) never raise."""
    vocabulary = Vocabulary(payers=(), clinicians=(), specialties=(), timezone="America/Chicago")
    understood = understand(
        " ".join(tokens),
        vocabulary=vocabulary,
        now=datetime(2024, 2, 29, tzinfo=UTC),
        expecting=expecting,
    )
    assert isinstance(understood.slots.availability, tuple)


@pytest.mark.parametrize(
    "heard",
    [
        "I'd rather not say",
        "skip",
        "I don't want to say",
        "pass",
        "I'll pass",
        "prefer not to",
        "no thanks",
        "I'd rather not get into it right now",
        "I'm not comfortable sharing that",
    ],
)
def test_declining_the_concern_question_gives_no_concern(hear: Hear, heard: str) -> None:
    """A decline answers "what brings you in?" with don't-know, never with a concern."""
    understood = hear(heard, expecting=Slot.CONCERN)
    assert understood.slots.concern is None
    assert Request.DONT_KNOW in understood.requests


@pytest.mark.parametrize(
    "heard",
    ["I pass out at work sometimes", "just stress", "I don't want to be sad"],
)
def test_concerns_sharing_words_with_declines_are_kept(hear: Hear, heard: str) -> None:
    """Only a whole decline is one: "I pass out at work" is the caller's concern."""
    understood = hear(f"nothing major, {heard}", expecting=Slot.CONCERN)
    assert understood.slots.concern == heard
    assert Request.DONT_KNOW not in understood.requests


def test_bare_skip_declines_only_the_open_question(hear: Hear) -> None:
    """ "Skip" is a decline while the concern question is pending, and nothing otherwise."""
    assert Request.DONT_KNOW in hear("skip", expecting=Slot.CONCERN).requests
    assert hear("skip").requests == frozenset()


def test_a_spoken_decline_is_dont_know_for_any_question(hear: Hear) -> None:
    """ "I'd rather not say" declines whatever was asked, so the flow can move on."""
    assert Request.DONT_KNOW in hear("I'd rather not say", expecting=Slot.CLIENT_AGE).requests


@pytest.mark.parametrize("said", ["we're with united", "I'm in Illinois and I have united"])
def test_an_everyday_word_payer_said_as_theirs_is_heard_unasked(hear: Hear, said: str) -> None:
    """ "United" said right after "we're with" or "I have" is the caller's payer."""
    slots = hear(said).slots
    assert (slots.payer, slots.payment) == ("uhc", Payment.INSURANCE)


@pytest.mark.parametrize("said", ["the united states", "I have a united flight tomorrow"])
def test_an_everyday_word_payer_without_the_cue_is_not_heard(hear: Hear, said: str) -> None:
    """Without "we're with" right before it, "United" is an everyday word."""
    assert hear(said).slots.payer is None


@pytest.mark.parametrize(
    "said",
    [
        "i have had pizza in the fridge since monday, so is it safe to eat",
        "what are the things that i have for today",
    ],
)
def test_a_day_gone_by_or_in_a_question_is_not_availability(hear: Hear, said: str) -> None:
    """ "Since Monday" is past; "the things that I have for today" asks something else."""
    assert hear(said).slots.availability == ()


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("yes that's fine, do you have anyone who works with kids?", True),
        ("sure, texts are fine. Also what are your hours?", True),
        ("no, I don't have a private space, um, am I talking to a real person?", False),
        ("okay, how much is it?", None),
        ("sure, what are your hours?", None),
        ("do you have a sliding scale?", None),
        ("yes", None),
    ],
)
def test_a_yes_or_no_said_before_a_question(hear: Hear, heard: str, expected: bool | None) -> None:
    """A yes or no in the clauses before a question is kept apart from it; an "okay" that
    only acknowledges, or a yes with no question after it, is not."""
    assert hear(heard, expecting=Slot.CONSENT_TO_TEXT).affirm_before_question is expected


@pytest.mark.parametrize("expecting", [Slot.TELEHEALTH_PRIVATE_SPACE, Slot.CONSENT_TO_TEXT])
def test_a_yes_said_with_another_answer_answers_no_yes_or_no_question(
    hear: Hear, expecting: Slot
) -> None:
    """ "Yes, I'd like it at 11:15 on June 20th" gives a time: its yes may be about that."""
    slots = hear("Yes, I'd like it at 11:15 on June 20th.", expecting=expecting).slots
    assert slots.availability
    assert (slots.private_space, slots.consent_to_text) == (None, None)
    assert hear("yes", expecting=expecting).affirm is True


def test_a_name_written_after_this_is_at_the_concern_question(hear: Hear) -> None:
    """ "This is Taylor Okafor" names the caller even in free words; "this is hard" does not."""
    said = hear(
        "this is Taylor Okafor. Also mainly feeling low since the move", expecting=Slot.CONCERN
    )
    assert said.slots.caller_name == "Taylor Okafor"
    assert said.slots.concern == "mainly feeling low since the move"
    for words_ in ("this is hard", "this is really affecting my sleep", "the client is struggling"):
        assert hear(words_, expecting=Slot.CONCERN).slots.caller_name is None


def test_a_name_after_a_joiner_counts_when_written_as_one(hear: Hear) -> None:
    """ "… panic attacks and this is Jordan Lee" names the caller; "… and this is hard" does not."""
    said = hear(
        "I've been struggling with panic attacks and this is Jordan Lee", expecting=Slot.CONCERN
    )
    assert said.slots.caller_name == "Jordan Lee"
    assert hear("for my son and this is hard for him").slots.caller_name is None


@pytest.mark.parametrize(
    ("aside", "farewell"),
    [
        ("how do you say goodbye in spanish", "okay, goodbye"),
        ("what's a nice way to say bye to a coworker", "thanks, bye. have a good day"),
    ],
)
def test_a_goodbye_asked_about_takes_no_leave(hear: Hear, aside: str, farewell: str) -> None:
    """ "How do you say goodbye in Spanish?" asks about a word and ends nothing; "okay,
    goodbye" still takes leave."""
    assert Request.GOODBYE not in hear(aside, expecting=Slot.STATE).requests
    assert Request.GOODBYE in hear(farewell, expecting=Slot.STATE).requests


@pytest.mark.parametrize(
    ("aside", "answer", "expected"),
    [
        ("oh, um, i love dad jokes can you tell me one", "she's one", 1),
        ("which one do you mean", "um 34", 34),
        ("can i pick another one", "she is a 1 year old", 1),
        (
            "Can you try again to make an appointment? Can you try to make one for March 5th?",
            "9",
            9,
        ),
    ],
)
def test_one_standing_for_a_thing_is_no_age(
    hear: Hear, aside: str, answer: str, expected: int
) -> None:
    """Asked the age, "can you tell me one" asks for a joke: its "one" is no age of 1; "she's
    one" still is."""
    assert hear(aside, expecting=Slot.CLIENT_AGE).slots.client_age is None
    assert hear(answer, expecting=Slot.CLIENT_AGE).slots.client_age == expected


def test_an_age_said_after_and_is_kept_beside_the_payment(hear: Hear) -> None:
    """Asked the age, "private pay and 14" is private pay and 14, as "private pay, 14" is;
    "Tuesdays and 3 pm" is still a time and no age."""
    heard = hear("private pay and 14", expecting=Slot.CLIENT_AGE)
    assert (heard.slots.payment, heard.slots.client_age) == (Payment.PRIVATE_PAY, 14)
    timed = hear("Tuesdays and 3 pm", expecting=Slot.CLIENT_AGE)
    assert timed.slots.client_age is None
    assert [w.start for w in timed.slots.availability] == [time(15)]


@pytest.mark.parametrize(
    ("answer", "name"),
    [("some in person and some by video", None), ("riley", "Riley"), ("Sam Kim", "Sam Kim")],
)
def test_a_way_of_meeting_at_the_name_question_is_no_name(
    hear: Hear, answer: str, name: str | None
) -> None:
    """Asked the name, "some in person and some by video" says how to meet: "Some" is no
    name, while a name alone still is."""
    assert hear(answer, expecting=Slot.CLIENT_NAME).slots.client_name == name


@pytest.mark.parametrize("expecting", [None, Slot.CLIENT_AGE, Slot.CLIENT_NAME])
def test_an_age_said_before_other_clauses_is_read_whatever_was_asked(
    hear: Hear, expecting: Slot | None
) -> None:
    """ "I'm 34, in Illinois, in person please" says the age, the state and the way to meet,
    whichever question it answers."""
    slots = hear("I'm 34, in Illinois, in person please", expecting=expecting).slots
    assert (slots.client_age, slots.state, slots.modality) == (34, "IL", Modality.IN_PERSON)


def test_an_age_to_come_and_a_time_after_a_day_are_no_age(hear: Hear) -> None:
    """ "She is 10 in May" is the age to come, and "Tuesday, 5" asked the age is a time: the
    clause read alone is no bare answer."""
    assert hear("she is 10 in May").slots.client_age is None
    assert hear("Tuesday, 5", expecting=Slot.CLIENT_AGE).slots.client_age is None


@pytest.mark.parametrize(("heard", "expected"), [("he just turned 9", 9), ("I just turned 34", 34)])
def test_an_age_just_turned_is_read(hear: Hear, heard: str, expected: int) -> None:
    """ "He just turned 9" says an age; it is no tale of a deed done."""
    understood = hear(heard)
    assert (understood.slots.client_age, understood.aside) == (expected, False)


def test_a_deed_done_at_a_time_is_still_an_aside(hear: Hear) -> None:
    """ "I turned the car around at 5" tells what someone did: no availability, no age."""
    understood = hear("I turned the car around at 5")
    assert understood.aside
    assert (understood.slots.client_age, understood.slots.availability) == (None, ())


@pytest.mark.parametrize(
    ("said", "timed"),
    [
        ("Saturdays works best", True),
        ("At 11:15, please.", True),
        ("3 1 7, 5 5 5, 0 1 2 3", False),
        ("five five five, two one two three", False),
        ("312 555 0142, mornings are best", False),
    ],
)
def test_asked_for_the_number_a_time_said_instead_is_availability(
    hear: Hear, said: str, timed: bool
) -> None:
    """Asked for the number, "Saturdays works best" is availability; digits never are."""
    windows = hear(said, expecting=Slot.CALLBACK_NUMBER).slots.availability
    assert bool(windows) is timed


@pytest.mark.parametrize(
    ("said", "age"),
    [
        ("she's 12, weekday afternoons work best", 12),
        ("12, and weekday afternoons work best", 12),
        ("she is 12 years old and weekday afternoons work best", 12),
        ("oh she's, uh, weekday afternoons work best", None),
    ],
)
def test_times_said_at_the_age_question_are_kept_beside_the_age(
    hear: Hear, said: str, age: int | None
) -> None:
    """Asked the client's age, the number given is the age, and the days and times said
    with it (or instead of it) are still when the caller is free."""
    heard = hear(said, expecting=Slot.CLIENT_AGE)
    assert heard.slots.client_age == age
    [window] = heard.slots.availability
    assert (len(window.weekdays), window.start, window.end) == (5, time(12), time(17))


def test_the_age_is_no_time_at_the_age_question(hear: Hear) -> None:
    """ "I'm 34" or "12" at the age question names no time; a clock beside it still does."""
    assert hear("12", expecting=Slot.CLIENT_AGE).slots.availability == ()
    assert hear("I'm 34", expecting=Slot.CLIENT_AGE).slots.availability == ()
    [window] = hear("I'm 34, Friday at 12 works", expecting=Slot.CLIENT_AGE).slots.availability
    assert window.start == time(12)
