"""Modality, payment, telehealth set-up and the specialty asked for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from frontdesk.conversation.understanding import understand
from frontdesk.conversation.understanding.care import payment
from frontdesk.conversation.understanding.normalize import words
from frontdesk.conversation.understanding.result import Slot, Understanding, Vocabulary
from frontdesk.domain.calls import Intent
from frontdesk.domain.inquiries import ForWhom, Modality, Payment

from .conftest import NOW

Hear = Callable[..., Understanding]


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("in person please", Modality.IN_PERSON),
        ("I'd rather come in to the office", Modality.IN_PERSON),
        ("in-office sessions", Modality.IN_PERSON),
        ("telehealth", Modality.TELEHEALTH),
        ("video would be best", Modality.TELEHEALTH),
        ("online", Modality.TELEHEALTH),
        ("virtual", Modality.TELEHEALTH),
        ("can we do it over zoom", Modality.TELEHEALTH),
        ("hybrid", Modality.HYBRID),
        ("either in person or video", Modality.HYBRID),
    ],
)
def test_modality(hear: Hear, heard: str, expected: Modality) -> None:
    """In person, telehealth and hybrid in their everyday wordings."""
    assert hear(heard).slots.modality is expected


@pytest.mark.parametrize("heard", ["either", "both", "either one", "I don't mind"])
def test_either_or_both_is_hybrid_when_asked(hear: Hear, heard: str) -> None:
    """ "Either" answers the modality question as hybrid, and means nothing unasked."""
    assert hear(heard, expecting=Slot.MODALITY).slots.modality is Modality.HYBRID
    assert hear(heard).slots.modality is None


@pytest.mark.parametrize(
    ("heard", "payment", "payer"),
    [
        ("I have insurance", Payment.INSURANCE, None),
        ("we have Aetna", Payment.INSURANCE, "aetna"),
        ("I'll be paying out of pocket", Payment.PRIVATE_PAY, None),
        ("private pay", Payment.PRIVATE_PAY, None),
        ("self pay", Payment.PRIVATE_PAY, None),
        ("I'd pay cash", Payment.PRIVATE_PAY, None),
        ("I don't have insurance", Payment.PRIVATE_PAY, None),
        ("I can't afford much", Payment.SLIDING_SCALE, None),
    ],
)
def test_payment(hear: Hear, heard: str, payment: Payment, payer: str | None) -> None:
    """Insurance (with its payer), private pay and sliding scale."""
    slots = hear(heard).slots
    assert (slots.payment, slots.payer) == (payment, payer)


@pytest.mark.parametrize("heard", ["do you have a sliding scale", "is there a reduced fee"])
def test_a_way_of_paying_asked_about_is_not_recorded(hear: Hear, heard: str) -> None:
    """A question about the sliding scale is answered; it does not say how the client pays."""
    understood = hear(heard)
    assert understood.slots.payment is None
    assert understood.topics
    assert understood.named is not None
    assert understood.named.payment is Payment.SLIDING_SCALE


def test_insurer_not_taken_is_unlisted(hear: Hear) -> None:
    """An insurer the practice does not take is kept by name, with no payer id."""
    slots = hear("we have Kaiser").slots
    assert (slots.payment, slots.payer, slots.payer_unlisted) == (
        Payment.INSURANCE,
        None,
        "Kaiser Permanente",
    )


def test_sound_alike_payer_when_asked(hear: Hear) -> None:
    """ "Sigma" is Cigna after "which insurance do you have?"."""
    assert hear("sigma", expecting=Slot.PAYER).slots.payer == "cigna"
    assert hear("sigma").slots.payer is None


@pytest.mark.parametrize(
    ("heard", "field", "value"),
    [
        ("I have a private room", "private_space", True),
        ("I can use my office", "private_space", True),
        ("I share an apartment with roommates", "private_space", False),
        ("I'll use my laptop", "device", True),
        ("on my phone", "device", True),
        ("I have a tablet", "device", True),
        ("I don't have a computer", "device", False),
        ("no computer", "device", False),
        ("we have good wifi", "connection", True),
        ("my internet is spotty", "connection", False),
        ("the connection is not great", "connection", False),
    ],
)
def test_telehealth_setup(hear: Hear, heard: str, field: str, value: bool) -> None:
    """Private space, device and connection, with negations read as no."""
    assert getattr(hear(heard).slots, field) is value


@pytest.mark.parametrize(
    ("expecting", "field"),
    [
        (Slot.TELEHEALTH_PRIVATE_SPACE, "private_space"),
        (Slot.TELEHEALTH_DEVICE, "device"),
        (Slot.TELEHEALTH_CONNECTION, "connection"),
    ],
)
def test_telehealth_yes_no_answers(hear: Hear, expecting: Slot, field: str) -> None:
    """A yes or no answers the telehealth question just asked."""
    assert getattr(hear("yes", expecting=expecting).slots, field) is True
    assert getattr(hear("nope", expecting=expecting).slots, field) is False
    assert getattr(hear("yes").slots, field) is None


@pytest.mark.parametrize(
    ("heard", "expecting"),
    [
        ("no wait, we're in Wisconsin, not Indiana", Slot.TELEHEALTH_PRIVATE_SPACE),
        ("no, I meant I'm 34", Slot.TELEHEALTH_PRIVATE_SPACE),
        ("no wait, I'll be in Ohio for sessions", Slot.CONSENT_TO_TEXT),
    ],
)
def test_a_no_that_takes_back_another_value_does_not_answer_the_yes_no_question(
    hear: Hear, heard: str, expecting: Slot
) -> None:
    """ "no wait, we're in Wisconsin" corrects the state; it says nothing about the set-up or
    about texts."""
    slots = hear(heard, expecting=expecting).slots
    assert (slots.private_space, slots.device, slots.connection, slots.consent_to_text) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("do you treat anxiety", "anxiety"),
        ("someone who works with trauma", "trauma"),
        ("PTSD", "trauma"),
        ("does anyone do EMDR", "emdr"),
        ("couples counseling", "couples"),
        ("does anyone work with teens", "adolescents"),
        ("adolescents", "adolescents"),
        ("eating disorders", "eating_disorders"),
    ],
)
def test_specialties_match_the_practice_tags(hear: Hear, heard: str, expected: str) -> None:
    """Specialties asked for, with common synonyms, map to the practice's own tags."""
    assert hear(heard).slots.specialty == expected


@pytest.mark.parametrize("heard", ["my teen is having a hard time", "do you treat ocd", "hello"])
def test_no_specialty_for_people_or_unoffered_tags(hear: Hear, heard: str) -> None:
    """ "My teen" is a person, and a specialty the practice lacks is not invented."""
    assert hear(heard).slots.specialty is None


@pytest.fixture
def hear_attention(vocabulary: Vocabulary) -> Hear:
    """`hear` for a practice whose clinicians list ADHD and couples among their specialties."""
    practice = replace(vocabulary, specialties=("ADHD", "couples"))

    def _hear(text: str, **options: Any) -> Understanding:
        return understand(text, vocabulary=practice, now=NOW, **options)

    return _hear


@pytest.mark.parametrize(
    "heard",
    [
        "can you add my daughter to the wait list",
        "add me to the waitlist please",
        "could you add a note that I called",
        "I have a couple of questions",
        "just a couple more things",
    ],
)
def test_everyday_words_name_no_specialty(hear_attention: Hear, heard: str) -> None:
    """ "Add" as a verb and "a couple of" are everyday words, not ADD or couples therapy."""
    assert hear_attention(heard).slots.specialty is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("my son has ADD", "ADHD"),
        ("does anyone treat ADHD", "ADHD"),
        ("he was diagnosed with add last year", "ADHD"),
        ("she might have ADD and anxiety", "ADHD"),
        ("ADD", "ADHD"),
        ("we'd like couple therapy", "couples"),
        ("does anyone do couples counseling", "couples"),
    ],
)
def test_everyday_words_said_as_a_condition_name_the_specialty(
    hear_attention: Hear, heard: str, expected: str
) -> None:
    """ADD after "has", "treat" or "with", or alone as the answer, is the ADHD specialty."""
    assert hear_attention(heard).slots.specialty == expected


def test_adding_a_child_to_the_waitlist_is_a_waitlist_call_for_a_child(
    hear_attention: Hear,
) -> None:
    """The reported call: a waitlist request for the caller's daughter, with no specialty."""
    understood = hear_attention("can you add my daughter to the wait list")
    assert understood.intent is Intent.WAITLIST
    assert understood.slots.for_whom is ForWhom.CHILD
    assert understood.slots.specialty is None


def test_card_and_cash_words_are_a_way_to_pay_only_when_payment_was_asked() -> None:
    """ "My credit card application" in an aside is not private pay; "credit card" answering
    the payment question is."""
    aside = "please get me an update on the status of my credit card application"
    assert payment(words(aside), payer_named=False) is None
    assert payment(words("credit card"), payer_named=False, expecting=True) is Payment.PRIVATE_PAY


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("my credit card application status", "I'll pay with my credit card"),
        ("oh, um, my credit card application status", "credit card is fine"),
        ("use my credit card points", "just put it on my card"),
        ("my credit card was stolen", "I'll use my HSA card"),
        ("minimum payment for my credit card", "cash"),
        ("i tried to use my credit card yesterday, but it did not work", "debit card please"),
        ("time to move some cash from one account to another", "cash or card"),
        ("i need to apply for a new credit card", "credit card, and I'm free Tuesdays"),
        ("my card is from Fifth Third", "by card"),
    ],
)
def test_a_card_said_of_something_else_is_no_way_to_pay(
    hear: Hear, aside: str, answer: str
) -> None:
    """Asked how they pay, a card or cash counts only as the means of paying: a clause that
    says something else of it (its application, points, theft) answers nothing."""
    assert hear(aside, expecting=Slot.PAYMENT).slots.payment is None
    assert hear(answer, expecting=Slot.PAYMENT).slots.payment is Payment.PRIVATE_PAY


@pytest.mark.parametrize(
    "aside",
    [
        "remove the sync from my phone",
        "i no longer want this phone to sync",
        "spin a coin",
        "what's the eta for a new card to come in the mail",
        "do i need a travel visa to visit china",
        "i am wanting to know the carry-on restrictions for united airlines",
        "let's add wonder by hillsong united to my playlist",
    ],
)
def test_a_payer_heard_only_roughly_in_an_aside_is_none(hear: Hear, aside: str) -> None:
    """Asked how they pay, a word that only sounds like an insurer ("sync", "eta") or is an
    everyday word among its names ("United") names none in a clause about something else."""
    for expecting in (Slot.PAYMENT, Slot.PAYER):
        for said in (aside, f"oh, um, {aside}", f"sorry, hold on. {aside}"):
            slots = hear(said, expecting=expecting).slots
            assert (slots.payer, slots.payer_unlisted, slots.payment) == (None, None, None)


@pytest.mark.parametrize(
    ("said", "payer"),
    [
        ("sigma", "cigna"),
        ("it's sigma through my work", "cigna"),
        ("I have sigma I think", "cigna"),
        ("insurance, sigma", "cigna"),
        ("etna", "aetna"),
        ("we're with United", "uhc"),
        ("united", "uhc"),
    ],
)
def test_a_payer_heard_roughly_as_the_answer_is_kept(hear: Hear, said: str, payer: str) -> None:
    """The same rough hearing is the answer when the clause says only that."""
    slots = hear(said, expecting=Slot.PAYMENT).slots
    assert (slots.payer, slots.payment) == (payer, Payment.INSURANCE)


@pytest.mark.parametrize(
    "said",
    [
        "my auto insurance bill is due",
        "I have car insurance",
        "home insurance",
        "i need help paying my auto insurance bill",
        "i have been spending a lot on insurance lately",
        "my life insurance policy lapsed",
    ],
)
def test_insurance_of_another_kind_is_no_way_to_pay(hear: Hear, said: str) -> None:
    """Car, home or life insurance, or insurance as a bill paid, says nothing of how the
    care is paid for, asked or not."""
    for expecting in (None, Slot.PAYMENT):
        assert hear(said, expecting=expecting).slots.payment is None


@pytest.mark.parametrize(
    "said",
    ["insurance", "I have insurance", "I have health insurance", "dental and medical insurance"],
)
def test_health_insurance_is_still_a_way_to_pay(hear: Hear, said: str) -> None:
    """Insurance said plainly, or health insurance, is insurance."""
    assert hear(said, expecting=Slot.PAYMENT).slots.payment is Payment.INSURANCE


def test_a_card_named_beside_insurance_is_no_private_pay(hear: Hear) -> None:
    """ "I'll use my insurance card" pays with insurance: the card is the insurer's."""
    assert hear("I'll use my insurance card", expecting=Slot.PAYMENT).slots.payment is (
        Payment.INSURANCE
    )


@pytest.mark.parametrize(
    ("heard", "private"),
    [
        ("oh, um, I can't do anything today, my car is in the shop", None),
        ("my car broke down again", None),
        ("I need to get my car washed", None),
        ("I can do it from my car on my lunch break", True),
        ("I'd sit in my car, it's private", True),
        ("yes, I'll use my bedroom", True),
    ],
)
def test_a_car_is_a_private_space_only_where_the_caller_would_be(
    hear: Hear, heard: str, private: bool | None
) -> None:
    """ "My car is in the shop" speaks of the car, not of where the caller would sit for a
    video session; "from my car" or "in my car" does."""
    said = hear(heard, expecting=Slot.TELEHEALTH_PRIVATE_SPACE)
    assert said.slots.private_space is private
