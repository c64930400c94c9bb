"""Asides: a question or a request for something else names nothing about the client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from frontdesk.conversation.understanding.asides import on_call, substance, told
from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.result import Slot, Understanding
from frontdesk.domain.inquiries import ReminderPreference

Hear = Callable[..., Understanding]


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("what fun things are there in Boston", ""),
        ("I'm in Ohio, what are your hours?", "I'm in Ohio"),
        ("send me an uber to arrive at 5pm", ""),
        ("actually can someone just call me back", ""),
        ("sorry, hold on. how cold is it in Wisconsin today", "sorry, hold on"),
    ],
)
def test_asides_are_left_out(said: str, kept: str) -> None:
    """Clauses that ask something or ask for something off the call are left out."""
    assert on_call(said) == (kept, True)


@pytest.mark.parametrize(
    "said",
    [
        "i need to tell my bank i'll be in rome from february 1 to march 1",
        "i gotta make a reservation for 8 pm at red robin for 3",
        "you need to transfer 100 dollars to my savings on friday",
    ],
)
def test_a_request_said_as_a_need_is_an_aside(hear: Hear, said: str) -> None:
    """ "I need to …", "I gotta …", "you need to …" ask for something else: its times are not
    the client's availability."""
    understood = hear(said)
    assert understood.aside
    assert understood.slots.availability == ()


@pytest.mark.parametrize(
    "said",
    ["I need to come in after 5", "I want to book Tuesday at 5", "I'd like to see someone Monday"],
)
def test_a_need_that_names_the_care_is_about_the_call(hear: Hear, said: str) -> None:
    """ "I need to come in after 5" names the care: its time is availability."""
    assert hear(said).slots.availability


@pytest.mark.parametrize(
    "said",
    [
        "can I come in Tuesday at 5?",
        "Book it for the 7th at half past 4 in the afternoon",
        "can you add my daughter to the wait list",
        "tuesdays and thursdays after 5",
        "we live in Indiana, the name is Jamie Patel",
    ],
)
def test_clauses_about_the_call_are_kept_whole(said: str) -> None:
    """A clause that names the care, or points at what is being arranged, is about the call."""
    assert on_call(said) == (said, False)


def test_greetings_and_thanks_say_nothing() -> None:
    """ "Good morning" and "hi there, thanks" have no substance; "mornings" has."""
    assert substance(words("good morning")) == ()
    assert substance(words("hi there, thanks")) == ()
    assert substance(words("good morning, mornings work")) == ("mornings", "work")


@pytest.mark.parametrize(
    "said",
    ["have i earned a lot of points on my capital one card", "what is one thing I can do"],
)
def test_one_counting_something_does_not_point_at_an_appointment(said: str) -> None:
    """ "One" before another word counts ("my capital one card"): the question is an aside."""
    assert on_call(said) == ("", True)


@pytest.mark.parametrize("said", ["can I get one on Friday", "could you book that one"])
def test_one_standing_for_an_appointment_is_about_the_call(said: str) -> None:
    """ "One on Friday", "that one" point at what is being arranged."""
    assert on_call(said) == (said, False)


@pytest.mark.parametrize(
    "said", ["it's for my son, who is 12", "for my partner, who is 29 and works nights"]
)
def test_a_clause_describing_the_person_before_it_is_not_a_question(said: str) -> None:
    """ "For my son, who is 12" tells his age; "who is 12" there asks nothing."""
    assert on_call(said) == (said, False)


def test_who_after_a_greeting_still_asks() -> None:
    """ "Hi, who do I talk to about billing" asks something off the call."""
    assert on_call("hi, who do I talk to about billing") == ("hi", True)


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("do you offer video sessions?", ""),
        ("I'm 52. do you offer video sessions?", "I'm 52"),
        ("is there a sliding scale for therapy", ""),
        ("what platform do you use for video sessions", ""),
    ],
)
def test_a_question_of_fact_tells_nothing_about_the_client(said: str, kept: str) -> None:
    """A question about what the practice does is left out of what the caller told."""
    assert told(said) == (kept, True)


@pytest.mark.parametrize(
    "said", ["how about video?", "can we do telehealth", "video please", "I'd rather come in"]
)
def test_a_proposal_or_a_statement_is_told(said: str) -> None:
    """A proposal, a request or a statement is the caller's own."""
    assert told(said) == (said, False)


@pytest.mark.parametrize(
    "said",
    [
        "i'd like to rent a limo in las vegas from may 01, 2019 to may 03, 2019",
        "make a reservation for 2 at red lobster on wednesday next, 2:00pm if possible",
        "send me an uber at 5pm, tonight",
    ],
)
def test_a_time_that_goes_on_with_an_aside_is_the_asides(hear: Hear, said: str) -> None:
    """A date or time after a comma that only goes on with the request before it belongs to
    that request: it is not the client's availability."""
    understood = hear(said)
    assert understood.aside
    assert understood.slots.availability == ()


def test_a_time_after_an_aside_said_as_the_callers_own_is_kept(hear: Hear) -> None:
    """ "I'm free Tuesdays" after a request is the caller's: it starts with no time."""
    understood = hear("send me an uber at 5pm, I'm free Tuesdays")
    assert understood.aside
    assert [w.text for w in understood.slots.availability] == ["I'm free Tuesdays"]


@pytest.mark.parametrize(
    "said",
    [
        "id like a rental car in denver colorado between january 1st and january 3rd",
        "i need a reservation at 8 on the 22nd of november",
        "oh, um, text william and ask him to pick up organic apples tonight",
    ],
)
def test_a_thing_or_an_errand_asked_for_is_an_aside(hear: Hear, said: str) -> None:
    """ "I'd like a rental car …", "ask him to pick up … tonight": their times are not the
    client's availability."""
    understood = hear(said)
    assert understood.aside
    assert understood.slots.availability == ()


@pytest.mark.parametrize(
    "said",
    [
        "im going to be in canada from august 10th until august 12th",
        "i'm going to norway between march 3 and march 5",
    ],
)
def test_a_trip_is_not_availability(hear: Hear, said: str) -> None:
    """When the caller is away is not when they are free."""
    understood = hear(said)
    assert understood.aside
    assert understood.slots.availability == ()


@pytest.mark.parametrize(
    "said",
    [
        "i will be traveling to rome from february 1 to march 1",
        "I'm on vacation Tuesday",
        "I'll be on a trip Monday through Wednesday",
    ],
)
def test_being_away_is_no_availability(hear: Hear, said: str) -> None:
    """Said in words of being away, a trip is a commitment, not an aside: its days are
    still not when the caller is free."""
    for expecting in (None, Slot.AVAILABILITY):
        understood = hear(said, expecting=expecting)
        assert not understood.aside
        assert understood.slots.availability == ()
        assert not understood.speaks_of_time


@pytest.mark.parametrize(
    "said",
    [
        "I'm on vacation Tuesday, but Wednesday works",
        "I'm traveling Tuesday, but Wednesday works",
        "we're on a trip Tuesday, but Wednesday works",
        "I'm on vacation in Florida Tuesday, but Wednesday works",
    ],
)
def test_the_offer_beside_being_away_is_kept(hear: Hear, said: str) -> None:
    """ "I'm on vacation Tuesday, but Wednesday works" offers Wednesday, as "I'm out of town
    Tuesday, but Wednesday works" does: the clause of being away is no aside that takes
    the offer after it along."""
    for expecting in (None, Slot.AVAILABILITY):
        windows = hear(said, expecting=expecting).slots.availability
        assert [(w.weekdays, w.on) for w in windows] == [(frozenset(), date(2025, 6, 18))]


@pytest.mark.parametrize(
    "said",
    [
        "I'd like a morning slot",
        "I need a Tuesday after 5",
        "I can be in town from 5",
        "I'll be in Wisconsin from Monday on",
        "I'm going to work from 9 to 5, so evenings",
    ],
)
def test_wanting_a_time_or_being_in_town_is_about_the_call(hear: Hear, said: str) -> None:
    """A time asked for, being in town or at work, or a state is no aside: the times are kept."""
    understood = hear(said)
    assert not understood.aside
    assert understood.slots.availability


@pytest.mark.parametrize(
    ("said", "expecting"),
    [
        ("tell me united's carry on policy", Slot.PAYMENT),
        ("whats the status of my united flight", Slot.PAYER),
        ("what's a good trivia fact about china", Slot.PAYER),
    ],
)
def test_a_payer_in_an_aside_is_no_insurer(hear: Hear, said: str, expecting: Slot) -> None:
    """ "United" in an airline question, "China" heard near "Cigna": nothing about paying."""
    slots = hear(said, expecting=expecting).slots
    assert (slots.payer, slots.payer_unlisted, slots.payment) == (None, None, None)


@pytest.mark.parametrize(
    "said", ["do you take UnitedHealthcare", "do you have someone who takes Cigna"]
)
def test_a_payer_in_a_question_about_the_practice_is_heard(hear: Hear, said: str) -> None:
    """A payer asked about is still heard, to be answered (and not recorded as theirs)."""
    assert hear(said).slots.payer is not None


@pytest.mark.parametrize(
    "said", ["oh, um, text josh and tell him i need a delivery", "email william about the meeting"]
)
def test_a_message_to_someone_else_names_no_reminder_channel(hear: Hear, said: str) -> None:
    """ "Text Josh …" asks for a message to someone else: it says nothing of reminders."""
    understood = hear(said, expecting=Slot.REMINDER_PREFERENCE)
    assert understood.aside
    assert understood.slots.reminder_preference is None


@pytest.mark.parametrize(
    ("said", "channel"),
    [
        ("text is best", ReminderPreference.SMS),
        ("text please", ReminderPreference.SMS),
        ("text me please", ReminderPreference.SMS),
        ("email is best", ReminderPreference.EMAIL),
    ],
)
def test_a_channel_named_is_still_the_reminder_answer(
    hear: Hear, said: str, channel: ReminderPreference
) -> None:
    """ "Text is best", "text please": the channel for reminders."""
    understood = hear(said, expecting=Slot.REMINDER_PREFERENCE)
    assert not understood.aside
    assert understood.slots.reminder_preference is channel


@pytest.mark.parametrize(
    "said",
    [
        "please book a reservation for 8 pm at red robin under the name kevin",
        "book me a rental car in aiken on may 12 to may 16",
        "is it possible to book a room at the taco bell for reavers at 3",
        "what is the process to move money from one account to another",
    ],
)
def test_booking_something_else_is_an_aside(hear: Hear, said: str) -> None:
    """ "Book a reservation …", "book me a rental car …": their times are not the client's."""
    understood = hear(said)
    assert understood.aside
    assert understood.slots.availability == ()


@pytest.mark.parametrize(
    "said",
    [
        "book a time on tuesday",
        "can you book me a spot tuesday at 5",
        "can I book a session for my son on Friday",
        "I want to book Tuesday at 5",
        "can we move it to tuesday at 5",
        "could you move my appointment to friday at 3",
        "can we move to thursday at 4",
    ],
)
def test_booking_with_us_is_about_the_call(hear: Hear, said: str) -> None:
    """A time, a spot or a session booked or moved is ours: the times are availability."""
    understood = hear(said)
    assert not understood.aside
    assert understood.slots.availability


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        # A question about someone or something else: the time is theirs.
        ("is Kaya busy around 5 pm", "is 5 pm ok?"),
        ("will cracker barrel be crowded around five this evening", "would Tuesday at 5 work?"),
        ("is 126 divisible by 8", "is after 5 ok?"),
        # A time or a condition said just before such a question belongs to it.
        ("at 5 pm, is Kaya very busy", "Tuesday at 5, do you take Aetna?"),
        ("around 5 pm, how busy is Kaya", "after 5, what does a session cost?"),
        (
            "if I go to Olive Garden at 4 pm, how busy will it be",
            "if possible, at 4 in the evening",
        ),
        # A number of things is no clock time.
        ("I need to transfer from one account to my other one", "from one to three works"),
        ("is rice ok after 3 days in the refrigerator", "after 3 on weekdays"),
        ("is rice bad after 3 days in fridge", "after 3 when school is out"),
        # A request hedged with "really" or "just" is still a request for something else.
        (
            "I really need to get a volkswagen car rental for march 5th to march 8th",
            "I really need something on March 5th",
        ),
        # A reservation for a party somewhere is not ours; "the reservation" with only its
        # date is the one being arranged.
        (
            "i need to make a reservation for three at umi, six pm on march 30th",
            "Could you make the reservation on 4th of March.",
        ),
    ],
)
def test_a_time_of_someone_or_something_else_is_no_availability(
    hear: Hear, aside: str, answer: str
) -> None:
    """At the availability question a time is the client's only when it is about them; the
    matching answer, said the caller's way, still is."""
    assert hear(aside, expecting=Slot.AVAILABILITY).slots.availability == ()
    assert hear(answer, expecting=Slot.AVAILABILITY).slots.availability


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("schedule an uber to the mall at 5", "schedule me for Tuesday at 5"),
        ("i need to schedule some car maintenance on friday", "can you schedule me for friday"),
        ("I need to know the transactions I made on the 10th", "let me know if the 10th works"),
    ],
)
def test_scheduling_something_else_or_asking_to_know_is_an_aside(
    hear: Hear, aside: str, answer: str
) -> None:
    """ "Schedule" names the care only when what is scheduled could be ours; asking to know
    something is a request, unless it asks whether a time works."""
    assert hear(aside, expecting=Slot.AVAILABILITY).slots.availability == ()
    assert hear(answer, expecting=Slot.AVAILABILITY).slots.availability


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("i replaced my tires on may 2, so when should i replace them next", "May 2 please"),
        ("I was at walmart today and my card got declined", "I was hoping for today"),
        ("i made some transactions on the 10th", "I wanted to ask about the 10th"),
        ("it has been in the fridge since last monday", "Monday next week"),
    ],
)
def test_what_someone_did_names_no_time_to_meet(hear: Hear, aside: str, answer: str) -> None:
    """A clause that tells what someone did, or a day gone by ("since last Monday"), is no
    availability; "I was hoping for …" and "I wanted to ask about …" still are."""
    assert hear(aside, expecting=Slot.AVAILABILITY).slots.availability == ()
    assert hear(answer, expecting=Slot.AVAILABILITY).slots.availability


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("how much is the atm fee for my boa card in orlando, fl", "we live in Orlando, FL"),
        ("could you help with booking a car rental for me in seattle", "Seattle"),
    ],
)
def test_a_place_of_an_aside_is_no_state(hear: Hear, aside: str, answer: str) -> None:
    """The code after an aside's city is the aside's; booking something else is an aside."""
    assert hear(aside, expecting=Slot.STATE).slots.state is None
    assert hear(answer, expecting=Slot.STATE).slots.state is not None


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("is there a car rental available from tuesday to thursday", "is Reyes available Tuesday?"),
        ("are there 8pm tables available at texas roadhouse", "is there anything available at 8?"),
        ("will car rentals be available in boston from march 2", "are you available March 2?"),
    ],
)
def test_available_names_the_care_only_of_ours(hear: Hear, aside: str, answer: str) -> None:
    """ "Available" said of a rental or a table asks about something else; said of a clinician,
    of "anything" or of the practice, it asks about the care."""
    assert hear(aside, expecting=Slot.AVAILABILITY).slots.availability == ()
    assert hear(answer, expecting=Slot.AVAILABILITY).slots.availability


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        (
            "i need a van that seats 8 or more for new york city, august 12th",
            "I could do 4 on Tuesday",
        ),
        ("find auto store that tests dead car batteries on monday", "I'm free after 3:30"),
        ("reserve a car that seats 5 for april 12th", "a time that works is after 5"),
    ],
)
def test_that_starting_a_clause_points_at_nothing_of_ours(
    hear: Hear, aside: str, answer: str
) -> None:
    """ "A car that seats 5" tells of the car: the "that" is no pointer at the booking being
    arranged, so the request for the car is an aside; "a time that works" still names ours."""
    assert hear(aside, expecting=Slot.AVAILABILITY).slots.availability == ()
    assert hear(answer, expecting=Slot.AVAILABILITY).slots.availability


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        (
            "i need an 8 o'clock reservation at pizza hut for the last name mercury",
            "i need a 4 o'clock",
        ),
        ("i would like a 7pm table at olive garden", "i would like a tuesday morning appointment"),
        ("get me a 5:30 flight to denver", "i'd like an 8am time"),
    ],
)
def test_a_thing_wanted_with_its_time_first_is_an_aside(aside: str, answer: str) -> None:
    """ "An 8 o'clock reservation at Pizza Hut" wants a reservation that has a time; "a 4
    o'clock" or "a Tuesday morning appointment" wants a time with us."""
    assert on_call(aside) == ("", True)
    assert on_call(answer) == (answer, False)


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("say that i am in tulsa, will i be charged even more if i use my card", "I'm in Ohio"),
        ("say that we live in denver, what would the weather be", "we live in Michigan"),
    ],
)
def test_a_case_put_with_say_that_is_no_state(hear: Hear, aside: str, answer: str) -> None:
    """ "Say that I am in Tulsa, will I be charged more" puts a case for a question; it does
    not say where the caller is."""
    assert hear(aside, expecting=Slot.STATE).slots.state is None
    assert hear(answer, expecting=Slot.STATE).slots.state is not None


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        (
            "sorry, hold on. listen i need to get a reservation for , me and teresa at "
            "georgetown cafe on tuesday at 7:00 pm",
            "sorry, hold on. for me, tuesday at 7:00 pm works",
        ),
        (
            "oh, um, i think we should reserve dad's regular table friday for 6 people, "
            "use his name, make that close to 4:00 pm at the club",
            "friday works, make that close to 4:00 pm",
        ),
    ],
)
def test_a_clause_finishing_or_amending_an_aside_is_its(
    hear: Hear, aside: str, answer: str
) -> None:
    """ "A reservation for, me and Teresa … at 7:00 pm" goes on with the reservation, and
    "make that close to 4:00 pm" after reserving a table changes the table's time: neither
    is availability. Said of the care, the same words still are."""
    assert hear(aside, expecting=Slot.AVAILABILITY).slots.availability == ()
    assert hear(answer, expecting=Slot.AVAILABILITY).slots.availability


def test_calling_for_a_car_is_an_aside(hear: Hear) -> None:
    """Asked how reminders should come, "call an uber for 2 people to go to fourth street
    live" sends for a car: no calls, no 4th of the month; "a call, please" still chooses calls."""
    heard = hear(
        "oh, um, call an uber for 2 people to go to fourth street live",
        expecting=Slot.REMINDER_PREFERENCE,
    )
    assert heard.slots.reminder_preference is None
    assert heard.slots.availability == ()
    answer = hear("a call, please", expecting=Slot.REMINDER_PREFERENCE)
    assert answer.slots.reminder_preference is ReminderPreference.CALL


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("tell the bank i'm traveling between denver and la", "I'm in Ohio"),
        ("can you help me book a bmw suv for march 2 to 6th, dallas texas", "we live in Michigan"),
        (
            "i'm traveling between denver and la so tell my bank",
            "what's the weather, and I'm in Ohio",
        ),
    ],
)
def test_a_place_that_goes_on_with_an_aside_is_no_state(
    hear: Hear, aside: str, answer: str
) -> None:
    """A place listed after an aside's ("between Denver and LA", "for March 2, Dallas Texas")
    is the aside's; the caller's own "I'm in Ohio" after an aside is still where they are."""
    assert hear(aside, expecting=Slot.STATE).slots.state is None
    assert hear(answer, expecting=Slot.STATE).slots.state is not None


def test_a_street_and_city_listed_after_an_aside_are_its(hear: Hear) -> None:
    """ "Where is the nearest gas station to 20th and market streets, in philadelphia, pa"
    asks about Philadelphia: PA is no state of the client; "I'm in Philadelphia, PA" is."""
    aside = (
        "sorry, hold on. where is the nearest gas station to 20th and market streets, "
        "in philadelphia, pa"
    )
    assert hear(aside, expecting=Slot.REMINDER_PREFERENCE).slots.state is None
    assert hear("I'm in Philadelphia, PA", expecting=Slot.STATE).slots.state == "PA"


@pytest.mark.parametrize(
    "aside",
    [
        "id like to rent a ford in denver colorado between january 1st to the 3rd",
        "we're renting an apartment from the 1st to the 3rd",
        "can I rent a room on March 4",
    ],
)
def test_renting_any_named_thing_is_an_aside(hear: Hear, aside: str) -> None:
    """Renting a Ford, an apartment or a room is nothing of ours: its dates are no
    availability and it chooses no way to pay; 'my rent' is a noun, and the caller's own
    days still count."""
    said = hear(aside, expecting=Slot.PAYMENT)
    assert said.slots.availability == ()
    assert said.slots.payment is None
    assert said.slots.payer is None
    answer = hear("private pay, and I'm free January 3rd", expecting=Slot.PAYMENT)
    assert answer.slots.availability
    assert answer.slots.payment is not None
    assert hear(
        "my rent is due so Tuesdays after 5 work", expecting=Slot.AVAILABILITY
    ).slots.availability


@pytest.mark.parametrize(
    ("said", "timed"),
    [
        ("Can you book me an apartment on the 13th of March?", True),
        ("Could you book me an appintment at one pm please?", True),
        ("can you book me an apartment in Colorado for March 1st", False),
        ("can you book me an assignment at 5", False),
        ("book me a lesson at 5", False),
    ],
)
def test_appointment_misheard_after_book_is_still_the_appointment(
    hear: Hear, said: str, timed: bool
) -> None:
    """ "Book me an apartment on the 13th" is "appointment" misheard, so its date is kept;
    an apartment in Colorado, an assignment or a lesson is booked for something else."""
    understood = hear(said)
    assert bool(understood.slots.availability) is timed
    assert understood.slots.state is None


@pytest.mark.parametrize(
    "aside",
    [
        "oh, um, i'd like to rent an automobile in pittsburgh from this tuesday until next "
        "thursday can i do that",
        "I want to rent a truck from Friday to Sunday can you do that",
        "could you order flowers for delivery on Tuesday and make sure it arrives by noon",
        "I need to buy tickets for Saturday at 8 can I still do that",
        "please rent us a van for the 5th would that be possible",
    ],
)
def test_a_pointer_after_a_request_for_something_else_points_back_at_it(
    hear: Hear, aside: str
) -> None:
    """ "Rent an automobile … from this Tuesday until next Thursday, can I do that": "that"
    asks about the rental, so its days are no availability, at any question."""
    for expecting in (None, Slot.AVAILABILITY, Slot.TELEHEALTH_PRIVATE_SPACE):
        assert hear(aside, expecting=expecting).slots.availability == ()


@pytest.mark.parametrize(
    "answer",
    [
        "can you make it 5 pm",
        "could you set that up for Tuesday at 5",
        "can you do that on Tuesday",
        "I'd like to move it to Thursday",
    ],
)
def test_a_pointer_that_is_the_request_is_what_is_arranged(hear: Hear, answer: str) -> None:
    """A pointer that is what the request acts on ("make it 5 pm", "set that up for
    Tuesday") is the appointment being arranged: its time is availability."""
    assert hear(answer).slots.availability


@pytest.mark.parametrize(
    "aside",
    [
        "set a reminder for 5 pm to call my sister",
        "can you set a reminder to call the pharmacy tomorrow",
        "please create a reminder to email my landlord",
        "add a reminder to text Josh at 6",
        "I need to set a reminder for my phone bill on Friday",
    ],
)
def test_a_reminder_the_caller_sets_for_themselves_is_an_aside(hear: Hear, aside: str) -> None:
    """A reminder set for oneself, or of a deed ("to call my sister"), is a request for
    something else: asked how reminders should come, its "call" or "text" is no answer, and
    its time is no availability."""
    heard = hear(aside, expecting=Slot.REMINDER_PREFERENCE)
    assert heard.slots.reminder_preference is None
    assert heard.slots.availability == ()


@pytest.mark.parametrize(
    ("answer", "channel"),
    [
        ("text reminders please", ReminderPreference.SMS),
        ("reminders to my phone please", ReminderPreference.CALL),
        ("send the reminders to my email", ReminderPreference.EMAIL),
        ("I'd like reminders by text", ReminderPreference.SMS),
        ("a call reminder is fine", ReminderPreference.CALL),
    ],
)
def test_our_reminders_still_choose_a_channel(
    hear: Hear, answer: str, channel: ReminderPreference
) -> None:
    """Reminders said of ours ("text reminders", "reminders to my phone") choose the way."""
    assert hear(answer, expecting=Slot.REMINDER_PREFERENCE).slots.reminder_preference is channel


@pytest.mark.parametrize(
    "aside",
    [
        "sorry, hold on. when did i last bring my car in to have it looked at",
        "when did my sister last take her car in to get it washed",
        "how long has the dog had it",
        "why did my landlord say that on Tuesday",
    ],
)
def test_a_pointer_after_a_questions_own_thing_points_back_at_it(hear: Hear, aside: str) -> None:
    """A question that names a thing of its own before "it" ("bring my car in to have it
    looked at") asks about that thing: no car as a private space, no day to meet."""
    for expecting in (Slot.TELEHEALTH_PRIVATE_SPACE, None):
        heard = hear(aside, expecting=expecting)
        assert heard.slots.private_space is None
        assert heard.slots.availability == ()
