"""Understanding never reads a value the caller did not state as theirs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from frontdesk.conversation.understanding.result import Request, Slot, Understanding
from frontdesk.domain.inquiries import ForWhom, Modality, Payment, ReminderPreference

Hear = Callable[..., Understanding]


@pytest.mark.parametrize(
    "heard",
    ["weekdays after 5", "from 3 to 4", "Tuesday 6", "anytime before 10", "at 4 pm"],
)
def test_a_number_in_a_time_phrase_is_never_an_age(hear: Hear, heard: str) -> None:
    """Even when the age was asked, a number inside a time phrase is not an age."""
    understood = hear(heard, expecting=Slot.CLIENT_AGE)
    assert understood.slots.client_age is None
    assert understood.slots.availability


@pytest.mark.parametrize(("heard", "age"), [("twelve", 12), ("about 10", 10), ("she's 8", 8)])
def test_an_age_answer_is_the_age_and_not_a_time(hear: Hear, heard: str, age: int) -> None:
    """A number given for the age is the age, and is never also read as a time."""
    understood = hear(heard, expecting=Slot.CLIENT_AGE)
    assert understood.slots.client_age == age
    assert understood.slots.availability == ()


@pytest.mark.parametrize("heard", ["good morning, I need a therapist", "good evening"])
def test_a_greeting_is_never_availability(hear: Hear, heard: str) -> None:
    """ "Good morning" greets; it does not say mornings work."""
    assert hear(heard).slots.availability == ()


def test_mornings_said_as_availability_still_count(hear: Hear) -> None:
    """Taking greetings out leaves a real morning window alone."""
    assert hear("mornings are good", expecting=Slot.AVAILABILITY).slots.availability


def test_a_payer_named_in_a_question_is_only_asked_about(hear: Hear) -> None:
    """ "Do you take Aetna?" names the payer for the answer but marks it as a question."""
    slots = hear("do you take Aetna?").slots
    assert (slots.payer, slots.payer_question, slots.payment) == ("aetna", True, None)


@pytest.mark.parametrize(
    "heard", ["I have Aetna, do you take it?", "my insurance is Aetna, is that in network?"]
)
def test_a_payer_said_to_be_theirs_is_theirs(hear: Hear, heard: str) -> None:
    """A question about a payer the caller says they have records it."""
    slots = hear(heard).slots
    assert (slots.payer, slots.payer_question, slots.payment) == (
        "aetna",
        False,
        Payment.INSURANCE,
    )


@pytest.mark.parametrize(
    "heard",
    [
        "my number is 6 0 8, 5 5 5, 0 1 2 7 and do you take Aetna?",
        "I have a question, do you take Aetna?",
        "my son is 12, do you take Aetna?",
    ],
)
def test_a_payer_in_a_question_beside_other_words_of_mine_is_only_asked_about(
    hear: Hear, heard: str
) -> None:
    """ "My number is …" or "I have a question" says nothing of the payer in another clause."""
    slots = hear(heard).slots
    assert (slots.payer_question, slots.payment) == (True, None)


def test_a_payer_asked_about_when_asked_how_they_pay_is_only_asked_about(hear: Hear) -> None:
    """Asked how they will pay, "do you take Cigna?" asks; it says nothing of how they pay."""
    slots = hear("do you take Cigna?", expecting=Slot.PAYMENT).slots
    assert (slots.payer_question, slots.payment) == (True, None)


def test_a_payer_asked_about_when_the_payer_was_asked_is_the_answer(hear: Hear) -> None:
    """Asked which insurance it is, "do you take Aetna?" answers with Aetna."""
    slots = hear("do you take Aetna?", expecting=Slot.PAYER).slots
    assert (slots.payer, slots.payer_question) == ("aetna", False)


@pytest.mark.parametrize("heard", ["call me", "text me", "email me"])
def test_a_reminder_answer_never_says_who_the_care_is_for(hear: Hear, heard: str) -> None:
    """ "Call me" chooses a reminder; it does not say the care is for the caller."""
    assert hear(heard, expecting=Slot.REMINDER_PREFERENCE).slots.for_whom is None


def test_me_alone_answers_who_the_care_is_for(hear: Hear) -> None:
    """ "Me" as the whole answer is the caller."""
    assert hear("me", expecting=Slot.FOR_WHOM).slots.for_whom is ForWhom.SELF


@pytest.mark.parametrize(
    ("heard", "name"),
    [
        ("Hi, this is Jane Doe, I'm looking for therapy for myself", "Jane Doe"),
        ("hello my name is maria gomez and I need a therapist", "Maria Gomez"),
    ],
)
def test_the_callers_own_name_is_read_unasked(hear: Hear, heard: str, name: str) -> None:
    """A caller who introduces themselves gives their name, kept apart from the client's."""
    slots = hear(heard).slots
    assert (slots.caller_name, slots.client_name) == (name, None)


def test_a_childs_name_said_unasked_is_the_clients(hear: Hear) -> None:
    """ "My son's name is Leo" names the client."""
    slots = hear("my son's name is Leo and he is 9").slots
    assert (slots.client_name, slots.caller_name) == ("Leo", None)


@pytest.mark.parametrize("heard", ["this is for my son", "this is really hard", "yes"])
def test_words_after_a_cue_that_are_not_a_name_are_not_one(hear: Hear, heard: str) -> None:
    """ "This is for my son" introduces no one."""
    slots = hear(heard).slots
    assert (slots.caller_name, slots.client_name) == (None, None)


@pytest.mark.parametrize("heard", ["yes", "yeah that's right", "no"])
def test_yes_or_no_is_never_a_name(hear: Hear, heard: str) -> None:
    """Asked the name, a yes or a no is not one."""
    assert hear(heard, expecting=Slot.CLIENT_NAME).slots.client_name is None


def test_asking_to_spell_is_a_request(hear: Hear) -> None:
    """ "Can you spell that?" asks for the name spelled out."""
    assert Request.SPELL in hear("can you spell that?").requests


@pytest.mark.parametrize(
    ("heard", "name"),
    [
        ("it's Riley Patel, um, I'd rather come into the office", "Riley Patel"),
        ("we live in Indiana. the name is Jamie Patel", "Jamie Patel"),
        ("her name is Sam Lee", "Sam Lee"),
        ("Jamie Rivera", "Jamie Rivera"),
    ],
)
def test_the_name_answer_is_only_the_name(hear: Hear, heard: str, name: str) -> None:
    """Asked the name, only the name is taken, not the words said after it."""
    assert hear(heard, expecting=Slot.CLIENT_NAME).slots.client_name == name


def test_an_introduction_stops_at_the_next_words(hear: Hear) -> None:
    """ "This is Jordan Rivera, yeah hi" introduces Jordan Rivera."""
    assert hear("this is Jordan Rivera, yeah hi and I'd like a session").slots.caller_name == (
        "Jordan Rivera"
    )


@pytest.mark.parametrize(
    ("heard", "name"),
    [
        ("Quinn Nguyen, that's the client", "Quinn Nguyen"),
        ("face to face. Also it's Taylor Garcia, um, See if she has an opening", "Taylor Garcia"),
    ],
)
def test_a_capitalised_full_name_is_the_name(hear: Hear, heard: str, name: str) -> None:
    """Where capitals are kept, a capitalised full name in the answer is the name."""
    assert hear(heard, expecting=Slot.CLIENT_NAME).slots.client_name == name


def test_capitalised_everyday_words_are_not_a_name(hear: Hear) -> None:
    """ "Okay Thanks" is not a name."""
    assert hear("Okay Thanks", expecting=Slot.CLIENT_NAME).slots.client_name is None


@pytest.mark.parametrize(
    ("heard", "name"),
    [
        ("private pay and I'll be in Iowa for sessions, Sam Okafor", "Sam Okafor"),
        ("sliding scale and Riley Patel and please schedule it for the evening", "Riley Patel"),
        ("she's been dealing with stress. Also Casey Kim, that's the client", "Casey Kim"),
        ("jordan garcia, that's the client. where is your office?", "Jordan Garcia"),
        ("Sam Kim, that's the client. am I talking to a real person?", "Sam Kim"),
        ("jamie rivera, can you call me back", "Jamie Rivera"),
        ("good morning, Avery Lee", "Avery Lee"),
        ("Grace Lee", "Grace Lee"),
        ("sliding scale and sam okafor, that's the client", "Sam Okafor"),
    ],
)
def test_a_name_beside_other_answers_questions_or_requests_is_the_name(
    hear: Hear, heard: str, name: str
) -> None:
    """Asked the name, a name in a clause of its own is kept whatever else is said with it."""
    assert hear(heard, expecting=Slot.CLIENT_NAME).slots.client_name == name


@pytest.mark.parametrize(
    "heard",
    [
        "good morning",
        "hi there, thanks",
        "let me think",
        "no worries",
        "she's nine",
        "twelve",
        "can someone just call me back",
        "where is your office?",
        "Telehealth, Ohio",
        "temper tantrums",
        "anxiety",
        "have i earned a lot of points on my capital one card",
    ],
)
def test_greetings_numbers_requests_and_questions_are_never_a_name(hear: Hear, heard: str) -> None:
    """Asked the name, words that greet, count, ask or answer something else (the concern)
    name no one."""
    assert hear(heard, expecting=Slot.CLIENT_NAME).slots.client_name is None


def test_a_name_said_with_its_cue_beside_the_concern_is_the_clients(hear: Hear) -> None:
    """At the concern question "their name is Riley Lee" names the client; the concern stays."""
    slots = hear("it's mostly school stress, their name is Riley Lee", expecting=Slot.CONCERN).slots
    assert (slots.client_name, slots.concern) == ("Riley Lee", "it's mostly school stress")


def test_words_of_the_concern_after_a_cue_without_name_are_no_name(hear: Hear) -> None:
    """At the concern question "the client is struggling" names no one."""
    slots = hear("the client is struggling with anxiety", expecting=Slot.CONCERN).slots
    assert (slots.client_name, slots.caller_name) == (None, None)


def test_a_reminder_channel_named_in_an_aside_is_not_the_preference(hear: Hear) -> None:
    """Asked how to send reminders, "would you please pair with my phone" chooses nothing."""
    said = hear(
        "sorry, hold on. would you please pair with my phone", expecting=Slot.REMINDER_PREFERENCE
    )
    assert said.slots.reminder_preference is None


@pytest.mark.parametrize(
    ("heard", "channel"),
    [
        ("could you text me", ReminderPreference.SMS),
        ("could you call me", ReminderPreference.CALL),
        ("could you email me the reminders", ReminderPreference.EMAIL),
    ],
)
def test_a_request_to_be_reached_a_way_is_the_preference(
    hear: Hear, heard: str, channel: ReminderPreference
) -> None:
    """ "Could you text me?" asks for the reminders that way: it is no aside."""
    assert hear(heard, expecting=Slot.REMINDER_PREFERENCE).slots.reminder_preference is channel


@pytest.mark.parametrize(
    "heard",
    [
        "do you offer video sessions?",
        "I'm 52. do you offer video sessions?",
        "do you have therapists in Wisconsin?",
        "is there a sliding scale for therapy?",
        "do you send text reminders?",
    ],
)
def test_values_in_a_question_about_the_practice_are_not_the_clients(
    hear: Hear, heard: str
) -> None:
    """A way of meeting, a state, a way of paying or a channel asked about is not recorded;
    the question is still answered for them."""
    understood = hear(heard)
    slots = understood.slots
    assert (slots.modality, slots.state, slots.payment, slots.reminder_preference) == (
        None,
        None,
        None,
        None,
    )
    assert understood.named is not None
    assert understood.named.filled()


def test_a_value_told_beside_a_question_is_kept(hear: Hear) -> None:
    """ "Video please, I'm in Ohio. Do you use Zoom?" tells the way and the state."""
    slots = hear("video please, I'm in Ohio. do you use Zoom?").slots
    assert (slots.modality, slots.state) == (Modality.TELEHEALTH, "OH")


@pytest.mark.parametrize("heard", ["oh, um, have i earned a lot of points on my capital one card"])
def test_a_number_in_an_aside_is_not_the_age(hear: Hear, heard: str) -> None:
    """Asked the age, "one" in a question about something else is no age."""
    assert hear(heard, expecting=Slot.CLIENT_AGE).slots.client_age is None


def test_an_age_said_of_the_person_in_a_relative_clause_is_kept(hear: Hear) -> None:
    """ "For my partner, who is 29" gives the partner's age."""
    slots = hear("we live in Illinois. for my partner, who is 29").slots
    assert (slots.for_whom, slots.client_age, slots.state) == (ForWhom.PARTNER, 29, "IL")


@pytest.mark.parametrize(
    ("heard", "speaks"),
    [
        ("whenever my shift allows", True),
        ("I'm pretty flexible", True),
        ("it depends on my work schedule", True),
        ("let me know if i need an international visa to go to sudan", False),
        ("i need to know my cards minimum payment", False),
        ("may i know my balance", False),
    ],
)
def test_free_words_speak_of_time_only_with_a_word_of_time(
    hear: Hear, heard: str, speaks: bool
) -> None:
    """Availability in free words needs a word of days, times or a schedule."""
    assert hear(heard, expecting=Slot.AVAILABILITY).speaks_of_time is speaks


def test_a_name_said_with_its_cue_at_the_email_question_is_the_callers(hear: Hear) -> None:
    """At the e-mail question "my name is Morgan Kim" gives the caller's name, not an address."""
    slots = hear("my name is Morgan Kim", expecting=Slot.EMAIL).slots
    assert (slots.caller_name, slots.email) == ("Morgan Kim", None)


@pytest.mark.parametrize(
    "heard",
    ["text me", "video is fine", "Ohio", "Blue Cross", "weekday evenings", "it's for my son"],
)
def test_another_questions_answer_at_the_name_question_is_marked(hear: Hear, heard: str) -> None:
    """Asked the name, words that alone answer another question are marked as such, so the
    words are never taken for a name as said."""
    assert hear(heard, expecting=Slot.CLIENT_NAME).answers_another


@pytest.mark.parametrize("heard", ["Jordan Lee", "riley patel", "Sam", "um"])
def test_a_name_or_nothing_at_the_name_question_is_not_another_answer(
    hear: Hear, heard: str
) -> None:
    """A name, or nothing of substance, answers no other question."""
    assert not hear(heard, expecting=Slot.CLIENT_NAME).answers_another
