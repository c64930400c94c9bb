"""Who the care is for, the clinician named and the client's name."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from frontdesk.conversation.understanding.result import Slot, Understanding
from frontdesk.domain.inquiries import ForWhom

Hear = Callable[..., Understanding]


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("I'm looking for a therapist for myself", ForWhom.SELF),
        ("it's for me", ForWhom.SELF),
        ("I need a therapist", ForWhom.SELF),
        ("for my son", ForWhom.CHILD),
        ("my daughter needs someone to talk to", ForWhom.CHILD),
        ("I'm calling about my kid", ForWhom.CHILD),
        ("for my 15 year old daughter", ForWhom.CHILD),
        ("my teen is struggling", ForWhom.CHILD),
        ("therapy for my wife", ForWhom.PARTNER),
        ("my husband wants to see someone", ForWhom.PARTNER),
        ("for my boyfriend", ForWhom.PARTNER),
        ("couples counseling for me and my partner", ForWhom.PARTNER),
        ("we want couples therapy", ForWhom.PARTNER),
        ("family therapy for all of us", ForWhom.FAMILY),
        ("it's for my family", ForWhom.FAMILY),
        ("for my mom", ForWhom.OTHER),
        ("my friend needs help", ForWhom.OTHER),
        ("I'm calling on behalf of my brother", ForWhom.OTHER),
        ("um hi yeah i wanna start therapy", ForWhom.SELF),
        ("I'd like to begin counseling", ForWhom.SELF),
        ("just me, the name is Taylor Kim, feeling low since the move", ForWhom.SELF),
        ("I'd like to book a first session. Also just me", ForWhom.SELF),
    ],
)
def test_who_the_care_is_for(hear: Hear, heard: str, expected: ForWhom) -> None:
    """The person the care is for, with couples therapy counted as partner."""
    assert hear(heard).slots.for_whom is expected


@pytest.mark.parametrize(
    "heard",
    [
        "I'm struggling with my mom",
        "hello",
        "my number is 312",
        "arguing with my partner",
        "fighting with my kid",
        "it's mostly arguing with my partner and my name is Quinn Brooks",
        "grief since losing my mom, who was 70",
        "it's mostly arguing with my partner and I'm 52",
    ],
)
def test_a_relative_mentioned_in_passing_is_not_the_client(hear: Hear, heard: str) -> None:
    """Talking about a relative is not saying the care is for them."""
    assert hear(heard).slots.for_whom is None


@pytest.mark.parametrize(
    ("heard", "expecting", "expected"),
    [
        ("my son, actually", None, ForWhom.CHILD),
        (
            "my kid, actually. text is fine and grief after losing a parent",
            Slot.CONCERN,
            ForWhom.CHILD,
        ),
        (
            "yeah hi and I wanted to schedule the free 15 minute consult and my son, actually "
            "and the sliding scale please",
            None,
            ForWhom.CHILD,
        ),
        ("it's my wife actually", Slot.STATE, ForWhom.PARTNER),
        ("my son actually said I should call", None, None),
        ("I'm struggling with my mom, actually", Slot.CONCERN, None),
    ],
)
def test_a_relative_said_alone_with_actually_says_whom_the_care_is_for(
    hear: Hear, heard: str, expecting: Slot | None, expected: ForWhom | None
) -> None:
    """A clause that is only a relative and 'actually' answers whom the care is for, whatever
    was asked; a relative in a clause that goes on, or said of something else, does not."""
    assert hear(heard, expecting=expecting).slots.for_whom is expected


@pytest.mark.parametrize(
    "heard",
    [
        "Can you make an appointment for me for 12:00 on the 1st of March?",
        "I'd like to make an appointment for me",
        "could you book a session for me next week",
        "please schedule something for me on Tuesday",
        "can you set that up for me",
        "Tuesday works for me",
        "mornings are easier for me",
        "the Oak Street office is too far for me",
        "I need an appointment for me and my son",
        "is there a first session open for me on the 4th?",
    ],
)
def test_for_me_of_a_booking_or_a_fit_names_no_client(hear: Hear, heard: str) -> None:
    """ "For me" after a booking ("make an appointment for me", said as often by a parent
    booking for a child) or a fit ("Tuesday works for me") is whom the booking is made for or
    what suits the caller, and with someone after it ("for me and my son") the care is not
    the caller's alone: none of them says whom the care is for."""
    for expecting in (None, Slot.AVAILABILITY, Slot.CONSENT_TO_TEXT):
        assert hear(heard, expecting=expecting).slots.for_whom is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("it's for me", ForWhom.SELF),
        ("um, for me", ForWhom.SELF),
        ("Illinois, for me", ForWhom.SELF),
        ("for me, I'm in Ohio", ForWhom.SELF),
        ("I'm looking for a therapist for me", ForWhom.SELF),
        ("yeah it's counseling for me", ForWhom.SELF),
        ("make an appointment for me, it's for my daughter", ForWhom.CHILD),
        ("can you book an appointment for me? It's for my son, he's 9", ForWhom.CHILD),
        ("schedule me for next week, it's for my son", ForWhom.CHILD),
        ("I'd like to book for me and my wife, couples counseling", ForWhom.PARTNER),
    ],
)
def test_for_me_as_the_answer_or_of_the_care_is_the_caller(
    hear: Hear, heard: str, expected: ForWhom
) -> None:
    """ "For me" said as the answer or of the care ("a therapist for me") is the caller; a
    client named beside a booking "for me" ("… for me, it's for my daughter") is the client."""
    assert hear(heard).slots.for_whom is expected


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("me", ForWhom.SELF),
        ("myself", ForWhom.SELF),
        ("my son", ForWhom.CHILD),
        ("daughter", ForWhom.CHILD),
        ("4 in the evening would be best. Also my daughter, actually.", ForWhom.CHILD),
    ],
)
def test_short_answers_to_who_is_it_for(hear: Hear, heard: str, expected: ForWhom) -> None:
    """After "who is the care for?", one word is enough."""
    assert hear(heard, expecting=Slot.FOR_WHOM).slots.for_whom is expected


@pytest.mark.parametrize(
    "heard",
    [
        "the client's name is Avery Kim",
        "the patient is Quinn Okafor",
        "Jordan Schmidt, that's the client",
    ],
)
def test_the_client_named_is_no_answer_to_whom_it_is_for(hear: Hear, heard: str) -> None:
    """ "The client's name is …" names whoever the care is for; it does not say who that is."""
    assert hear(heard, expecting=Slot.FOR_WHOM).slots.for_whom is None


def test_a_client_of_the_callers_is_someone_else(hear: Hear) -> None:
    """ "A client of mine" (a case worker calling) is someone other than the caller."""
    assert hear("a client of mine", expecting=Slot.FOR_WHOM).slots.for_whom is ForWhom.OTHER


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("can I see Dana", "dana-reyes"),
        ("I'd like Dr. Reyes", "dana-reyes"),
        ("doctor reyez", "dana-reyes"),
        ("is Sam Okafor taking clients", "sam-okafor"),
        ("I want to work with Grace", "grace-lee"),
    ],
)
def test_clinicians_by_first_last_or_titled_name(hear: Hear, heard: str, expected: str) -> None:
    """A clinician named by first name, surname or title and surname gives their id."""
    assert hear(heard).slots.clinician == expected


@pytest.mark.parametrize("heard", ["grace is important to me", "nobody in particular"])
def test_names_that_are_also_words_need_a_cue(hear: Hear, heard: str) -> None:
    """ "Grace" as a word is not Grace Lee unless said as a name ("with Grace", "Dr. Lee")."""
    assert hear(heard).slots.clinician is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("my name is Jane Doe", "Jane Doe"),
        ("Jane", "Jane"),
        ("her name is maria lopez", "Maria Lopez"),
    ],
)
def test_client_name_when_asked(hear: Hear, heard: str, expected: str) -> None:
    """After the name question, lead-ins are dropped and the name is title-cased."""
    assert hear(heard, expecting=Slot.CLIENT_NAME).slots.client_name == expected


def test_client_name_not_read_unasked(hear: Hear) -> None:
    """Names are only taken when the flow asked for the client's name."""
    assert hear("my name is Jane Doe").slots.client_name is None


def test_client_name_refuses_numbers(hear: Hear) -> None:
    """An answer with digits is not a name."""
    assert hear("it is 312 555 0142", expecting=Slot.CLIENT_NAME).slots.client_name is None


@pytest.mark.parametrize(
    "heard",
    [
        "can you add my daughter to the wait list",
        "please put my son on the waitlist",
        "I'd like to schedule my daughter for an intake",
    ],
)
def test_asking_for_a_child_to_be_added_or_booked(hear: Hear, heard: str) -> None:
    """Adding, putting or booking "my daughter" makes the care for that child."""
    assert hear(heard).slots.for_whom is ForWhom.CHILD


@pytest.mark.parametrize(
    ("heard", "expecting"),
    [
        ("dana smith at work", Slot.EMAIL),
        ("Dana Smith", Slot.CLIENT_NAME),
        ("my sister dana moved away and I feel alone", Slot.CONCERN),
    ],
)
def test_a_bare_name_in_the_callers_own_words_is_not_a_clinician(
    hear: Hear, heard: str, expecting: Slot
) -> None:
    """In an address, a name or a concern, a first name alone is someone else's, not a request."""
    assert hear(heard, expecting=expecting).slots.clinician is None


@pytest.mark.parametrize(
    ("heard", "expecting"),
    [
        ("anxiety, and I was told to see Dana", Slot.CONCERN),
        ("I'd like Dr. Reyes, it's about grief", Slot.CONCERN),
        ("dana smith at work, and I'd prefer Sam", Slot.EMAIL),
    ],
)
def test_a_cued_clinician_in_the_callers_own_words_counts(
    hear: Hear, heard: str, expecting: Slot
) -> None:
    """A clinician named with a title or a cue ("see", "prefer") counts even in a free answer."""
    assert hear(heard, expecting=expecting).slots.clinician is not None


@pytest.mark.parametrize(
    "heard",
    [
        "grief after losing a parent",
        "mainly grief after losing my mom",
        "I've been fighting with my son",
        "grief since my dad passed",
    ],
)
def test_a_relative_named_in_another_answer_does_not_answer_who_it_is_for(
    hear: Hear, heard: str
) -> None:
    """Asked whom the care is for, a relative inside a concern is not the answer."""
    assert hear(heard, expecting=Slot.FOR_WHOM).slots.for_whom is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("video please. I'm in Michigan, um, just me", ForWhom.SELF),
        ("I'm in Ohio, my son", ForWhom.CHILD),
        ("it's my 15 year old daughter", ForWhom.CHILD),
        ("for a friend", ForWhom.OTHER),
        ("yes my wife", ForWhom.PARTNER),
    ],
)
def test_an_answer_to_who_it_is_for_can_be_one_clause_of_several(
    hear: Hear, heard: str, expected: ForWhom
) -> None:
    """Asked whom the care is for, a clause that is the answer counts beside other facts."""
    assert hear(heard, expecting=Slot.FOR_WHOM).slots.for_whom is expected


@pytest.mark.parametrize(
    "heard", ["I want to start my daughter in therapy", "is it just me who sees the therapist?"]
)
def test_starting_therapy_for_someone_else_is_not_for_the_caller(hear: Hear, heard: str) -> None:
    """Starting someone else in therapy, or "just me" inside a question, is not for the caller."""
    assert hear(heard).slots.for_whom is not ForWhom.SELF


def test_seeing_an_unnamed_him_does_not_say_whom_the_care_is_for(hear: Hear) -> None:
    """'I'd like to see him soon' names no one the care is for; seeing a therapist does."""
    heard = (
        "my name is Morgan Novak and hi. I'm calling to set up therapy, um, in Indiana and "
        "This is kind of urgent, so I'd like to see him soon. Could I see him today at half "
        "past 4 in the evening?"
    )
    assert hear(heard).slots.for_whom is None
    assert hear("I'd like to see him soon. I'd like to see a therapist").slots.for_whom is (
        ForWhom.SELF
    )
    assert hear("I'd like to see if you take Aetna").slots.for_whom is None


@pytest.mark.parametrize("expecting", [Slot.CLIENT_AGE, Slot.STATE, Slot.AVAILABILITY, Slot.EMAIL])
def test_a_full_name_said_alone_at_another_question_is_the_callers(
    hear: Hear, expecting: Slot
) -> None:
    """ "Jordan Kim." said alone when asked something else is the caller's own name, and no
    clinician."""
    slots = hear("Jordan Kim.", expecting=expecting).slots
    assert (slots.caller_name, slots.client_name, slots.clinician) == ("Jordan Kim", None, None)


@pytest.mark.parametrize(
    "heard",
    ["Good Morning", "San Diego", "Blue Cross", "Tuesday Morning", "jordan kim", "Grace Lee"],
)
def test_words_with_another_reading_are_no_name_said_alone(hear: Hear, heard: str) -> None:
    """A greeting, a city, a payer, a time, words not written as a name or a clinician's full
    name, said alone, are nobody's name."""
    assert hear(heard, expecting=Slot.CLIENT_AGE).slots.caller_name is None


def test_an_address_at_the_email_question_is_no_name(hear: Hear) -> None:
    """An address said in words, even one made of a name, is the address and no name."""
    slots = hear("avery dot patel at example dot com", expecting=Slot.EMAIL).slots
    assert (slots.caller_name, slots.email) == (None, "avery.patel@example.com")
    assert hear("avery patel", expecting=Slot.EMAIL).slots.caller_name is None


def test_a_full_name_said_alone_at_the_greeting_is_no_name(hear: Hear) -> None:
    """Before any intake question, a name said alone is read by its cues only."""
    assert hear("Jordan Kim").slots.caller_name is None


def test_a_clinicians_first_name_in_someone_elses_full_name_names_no_clinician(
    hear: Hear,
) -> None:
    """ "Grace Kim" is not Grace Lee; "Grace" alone or "Grace Lee" still names her."""
    assert hear("Grace Kim", expecting=Slot.CLIENT_AGE).slots.clinician is None
    assert hear("can I see Grace", expecting=Slot.CLIENT_AGE).slots.clinician == "grace-lee"
    assert hear("Grace Lee", expecting=Slot.CLIENT_AGE).slots.clinician == "grace-lee"


@pytest.mark.parametrize("heard", ["this number works", "you can reach me at this number"])
def test_the_number_calling_said_at_the_name_question_is_no_name(hear: Hear, heard: str) -> None:
    """ "This number works" answers another question: it is nobody's name, while a name said
    there still is."""
    assert hear(heard, expecting=Slot.CLIENT_NAME).slots.client_name is None
    assert hear("Avery Brooks", expecting=Slot.CLIENT_NAME).slots.client_name == "Avery Brooks"


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("just me and I'll pay out of pocket", ForWhom.SELF),
        ("just me and I'll be in Indiana for sessions", ForWhom.SELF),
        ("just me and my son", None),
        ("it's just me and I worry about him", None),
    ],
)
def test_just_me_before_and_i_opens_a_clause_of_its_own(
    hear: Hear, heard: str, expected: ForWhom | None
) -> None:
    """ "Just me and I'll pay …" says it is for the caller; "just me and my son" does not."""
    assert hear(heard).slots.for_whom is expected


@pytest.mark.parametrize(
    ("heard", "expecting"),
    [
        ("this is Alex Rivera, and the client's name is Jamie Rivera", Slot.CLIENT_AGE),
        ("in Ohio, um, this is Alex Rivera, and the client's name is Jamie Rivera", Slot.STATE),
        ("my name is Alex Rivera and my son's name is Jamie Rivera", None),
    ],
)
def test_the_clients_name_said_beside_the_callers_is_the_one_kept(
    hear: Hear, heard: str, expecting: Slot | None
) -> None:
    """A caller who names themselves and the client in one breath gives the client's name;
    their own is never filed as the client's."""
    slots = hear(heard, expecting=expecting).slots
    assert (slots.client_name, slots.caller_name) == ("Jamie Rivera", None)
