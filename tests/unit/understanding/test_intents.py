"""Call purposes, conversational requests, practice-file questions, yes/no and corrections."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from frontdesk.conversation.understanding.result import Request, Slot, Topic, Understanding
from frontdesk.domain.calls import Intent

Hear = Callable[..., Understanding]


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("Hi, I'm looking for a therapist for my son", Intent.NEW_CLIENT),
        ("I'd like to start therapy", Intent.NEW_CLIENT),
        ("I wanted to see if you are taking new clients", Intent.NEW_CLIENT),
        ("hello I'm calling for my son", Intent.NEW_CLIENT),
        ("do you have a free consultation", Intent.CONSULT),
        ("can I set up a quick phone consult first", Intent.CONSULT),
        ("I'm an existing client and need to book my next session", Intent.EXISTING_CLIENT),
        ("I see Dr. Reyes and want my regular appointment", Intent.EXISTING_CLIENT),
        ("I need to reschedule my appointment", Intent.RESCHEDULE),
        ("can I move my session to Friday", Intent.RESCHEDULE),
        ("I need to cancel my appointment tomorrow", Intent.CANCEL),
        ("I can't make it on Thursday", Intent.CANCEL),
        ("can you put me on the waitlist", Intent.WAITLIST),
        ("do you take my insurance", Intent.INSURANCE_QUESTION),
        ("do you take Aetna", Intent.INSURANCE_QUESTION),
        ("are you in network with cigna", Intent.INSURANCE_QUESTION),
        ("how much does a session cost", Intent.FEE_QUESTION),
        ("do you have a sliding scale", Intent.FEE_QUESTION),
        ("do you do video sessions", Intent.TELEHEALTH_QUESTION),
        ("is therapy online or in person", Intent.TELEHEALTH_QUESTION),
        ("who are your therapists", Intent.PROVIDER_QUESTION),
        ("does anyone work with teens", Intent.PROVIDER_QUESTION),
        ("do you treat anxiety", Intent.PROVIDER_QUESTION),
        ("I'd like to leave a message for Dana", Intent.MESSAGE),
        ("can I speak to a real person", Intent.SPEAK_TO_PERSON),
        ("operator", Intent.SPEAK_TO_PERSON),
        ("representative please", Intent.SPEAK_TO_PERSON),
        (
            "I'm calling to set up therapy, I'd like the 9th but I'd like to change the time",
            Intent.NEW_CLIENT,
        ),
    ],
)
def test_call_purposes(hear: Hear, heard: str, expected: Intent) -> None:
    """Each kind of call is recognised as its intent, and it ranks first."""
    understood = hear(heard)
    assert understood.intent is expected
    assert understood.intents[0] is expected


@pytest.mark.parametrize("heard", ["hi", "hello there", "um", "uh", "fifteen", "42", "", "ok"])
def test_no_purpose_in_greetings_fillers_or_numbers(hear: Hear, heard: str) -> None:
    """Greetings, fillers and bare numbers carry no call purpose."""
    assert hear(heard).intent is None
    assert hear(heard).intents == ()


@pytest.mark.parametrize(
    ("heard", "not_expected"),
    [
        ("how much gas does my car have", Intent.FEE_QUESTION),
        ("I'm looking for a hotel downtown", Intent.NEW_CLIENT),
        ("are you a human being or a computer", Intent.SPEAK_TO_PERSON),
    ],
)
def test_everyday_phrases_outside_the_practice(
    hear: Hear, heard: str, not_expected: Intent
) -> None:
    """ "How much" or "looking for" alone is not a fee question or a new client."""
    assert not_expected not in hear(heard).intents


def test_every_intent_found_best_first(hear: Hear) -> None:
    """Several purposes in one sentence are all listed, the strongest first."""
    understood = hear("I want to cancel my appointment and also how much is a session")
    assert understood.intents[0] is Intent.CANCEL
    assert Intent.FEE_QUESTION in understood.intents


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("can you repeat that", Request.REPEAT),
        ("say that again", Request.REPEAT),
        ("what?", Request.REPEAT),
        ("sorry, what", Request.REPEAT),
        ("I didn't catch that", Request.REPEAT),
        ("let me speak to a person", Request.SPEAK_TO_PERSON),
        ("human", Request.SPEAK_TO_PERSON),
        ("operator", Request.SPEAK_TO_PERSON),
        ("can I talk to a representative", Request.SPEAK_TO_PERSON),
        ("press zero", Request.SPEAK_TO_PERSON),
        ("I just want to leave a message", Request.LEAVE_MESSAGE),
        ("ok bye", Request.GOODBYE),
        ("that's all, thanks", Request.GOODBYE),
        ("have a good day", Request.GOODBYE),
        ("what other options do you have", Request.OTHER_OPTIONS),
        ("anything else", Request.OTHER_OPTIONS),
        ("is there a different time", Request.OTHER_OPTIONS),
        ("hold on", Request.WAIT),
        ("one second let me grab my card", Request.WAIT),
        ("hang on a minute", Request.WAIT),
        ("I don't know", Request.DONT_KNOW),
        ("im not sure", Request.DONT_KNOW),
        ("no idea", Request.DONT_KNOW),
    ],
)
def test_conversational_requests(hear: Hear, heard: str, expected: Request) -> None:
    """Requests that steer the conversation are recognised in their usual wordings."""
    assert expected in hear(heard).requests


@pytest.mark.parametrize(
    "heard", ["I'm looking for a therapist", "texas", "yes", "what time works"]
)
def test_plain_answers_make_no_request(hear: Hear, heard: str) -> None:
    """Ordinary answers and intake statements are not requests."""
    assert hear(heard).requests == frozenset()


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("do you take my insurance", Topic.INSURANCE),
        ("do you take blue cross", Topic.INSURANCE),
        ("how much is a session", Topic.FEES),
        ("what do you charge", Topic.FEES),
        ("do you have a sliding scale", Topic.SLIDING_SCALE),
        ("do you do video", Topic.TELEHEALTH),
        ("are sessions online", Topic.TELEHEALTH),
        ("who are your therapists", Topic.CLINICIANS),
        ("do you treat anxiety", Topic.SPECIALTIES),
        ("does anyone work with teens", Topic.SPECIALTIES),
        ("what are your hours", Topic.HOURS),
        ("are you open on saturdays", Topic.HOURS),
        ("where are you located", Topic.LOCATION),
        ("what's the address", Topic.LOCATION),
        ("what's your cancellation policy", Topic.CANCELLATION_POLICY),
        ("what if I cancel late", Topic.CANCELLATION_POLICY),
        ("am I talking to a robot", Topic.AUTOMATED),
        ("is this a real person", Topic.AUTOMATED),
        ("are you a human", Topic.AUTOMATED),
    ],
)
def test_practice_file_questions(hear: Hear, heard: str, expected: Topic) -> None:
    """Questions the practice file answers are recognised as topics."""
    assert expected in hear(heard).topics


def test_topics_in_the_order_asked(hear: Hear) -> None:
    """Two questions in one breath come back in the order they were asked."""
    understood = hear("where are you located and how much is a session")
    assert understood.topics == (Topic.LOCATION, Topic.FEES)


@pytest.mark.parametrize("heard", ["I have Aetna", "I'm in Chicago", "can I speak to a person"])
def test_statements_are_not_questions(hear: Hear, heard: str) -> None:
    """Saying what you have is not asking whether it is accepted."""
    assert hear(heard).topics == ()


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("yes", True),
        ("yeah", True),
        ("yep", True),
        ("correct", True),
        ("that's right", True),
        ("sure", True),
        ("uh huh", True),
        ("mm hmm", True),
        ("yes please", True),
        ("no", False),
        ("nope", False),
        ("that's wrong", False),
        ("not quite", False),
        ("no, that's not right", False),
        ("I'm not sure", None),
        ("no idea", None),
        ("texas", None),
        ("I know", None),
    ],
)
def test_yes_and_no(hear: Hear, heard: str, expected: bool | None) -> None:
    """Affirmations and denials are read; "not sure" and "no idea" are neither."""
    assert hear(heard).affirm is expected


@pytest.mark.parametrize(
    ("heard", "slot", "value"),
    [
        ("no, my number is 312 555 0142", "callback_number", "+13125550142"),
        ("actually it's Wisconsin", "state", "WI"),
        ("I meant Aetna", "payer", "aetna"),
        ("sorry, I said fifteen years old", "client_age", 15),
        ("no, she is 14", "client_age", 14),
    ],
)
def test_corrections_carry_the_corrected_value(
    hear: Hear, heard: str, slot: str, value: object
) -> None:
    """A correction is flagged and the corrected value is among the slots."""
    understood = hear(heard)
    assert understood.correction is True
    assert getattr(understood.slots, slot) == value


@pytest.mark.parametrize("heard", ["no", "I'm actually looking for a therapist", "yes it is"])
def test_plain_answers_are_not_corrections(hear: Hear, heard: str) -> None:
    """A bare no, or "actually" mid-sentence, is not a correction."""
    assert hear(heard).correction is False


@pytest.mark.parametrize(
    "heard",
    [
        "I'd like to make an appointment",
        "I'm calling to schedule a session",
        "I wanted to ask about getting an appointment",
        "can I set up an appointment",
    ],
)
def test_common_ways_of_asking_for_an_appointment_are_understood(hear: Hear, heard: str) -> None:
    """An appointment asked for in everyday words is an appointment request."""
    assert Request.APPOINTMENT in hear(heard).requests


@pytest.mark.parametrize(
    "heard",
    [
        "please have someone call me back about fees",
        "can you call me back",
        "could somebody give me a call back",
    ],
)
def test_a_callback_asked_for_is_a_callback_request(hear: Hear, heard: str) -> None:
    """Asking to be called back is a request, wherever it appears in the sentence."""
    assert Request.CALLBACK in hear(heard).requests


def test_several_questions_in_one_sentence_are_all_found(hear: Hear) -> None:
    """Insurance and cost asked together are two topics, in the order asked."""
    topics = hear("do you take Aetna? and what would I pay per session?").topics
    assert topics == (Topic.INSURANCE, Topic.FEES)


@pytest.mark.parametrize("heard", ["I'm new", "no, this is my first time"])
def test_saying_one_is_new_names_a_new_client(hear: Hear, heard: str) -> None:
    """Being new, or here for the first time, is a new-client purpose."""
    assert hear(heard).intent is Intent.NEW_CLIENT


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("go ahead an unsync my phone now", None),
        ("go ahead and turn on the lights", None),
        ("go ahead and transfer $200 to savings", None),
        ("go ahead", True),
        ("yes go ahead", True),
        ("go ahead and book it", True),
        ("go ahead an put me down", True),
        ("go ahead and schedule me", True),
        ("sure, go ahead and do that", True),
    ],
)
def test_go_ahead_agrees_only_to_our_own_process(
    hear: Hear, heard: str, expected: bool | None
) -> None:
    """'Go ahead and <deed>' asking for something not ours is an aside, not a yes."""
    said = hear(heard, expecting=Slot.TELEHEALTH_PRIVATE_SPACE)
    assert said.affirm is expected
    assert said.slots.private_space is expected


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("go ahead and book a reservation", None),
        ("go ahead and book a table for two at 7", None),
        ("go ahead and reserve a table at Olive Garden", None),
        ("go ahead and make a reservation for dinner", None),
        ("go ahead and schedule a pickup for Friday", None),
        ("go ahead and book me a rental car", None),
        ("go ahead and book the appointment", True),
        ("go ahead and put me down for Tuesday", True),
        ("go ahead and sign me up", True),
        ("go ahead and book the first session", True),
    ],
)
def test_go_ahead_with_a_booking_of_something_else_is_no_yes(
    hear: Hear, heard: str, expected: bool | None
) -> None:
    """ "Go ahead and book a reservation" asks to book something that is not ours, though
    its verb is one of ours: it answers no yes/no question; booking what is ours ("the
    appointment", "the first session", "put me down") agrees."""
    for asked in (Slot.CONSENT_TO_TEXT, Slot.TELEHEALTH_PRIVATE_SPACE, Slot.CONFIRMATION):
        said = hear(heard, expecting=asked)
        assert said.affirm is expected
        if expected is None:
            assert said.slots.consent_to_text is None
