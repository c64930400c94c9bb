"""Callback number, e-mail, reminder preference and consent to text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from frontdesk.conversation.understanding.result import Slot, Topic, Understanding
from frontdesk.domain.inquiries import Payment, ReminderPreference

Hear = Callable[..., Understanding]


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("jane dot doe at gmail dot com", "jane.doe@gmail.com"),
        ("my email is jane.doe@gmail.com", "jane.doe@gmail.com"),
        ("it's j doe underscore 42 at yahoo dot com", "jdoe_42@yahoo.com"),
        ("sam at g mail dot com", "sam@gmail.com"),
        ("Jane.Doe@Example.ORG.", "jane.doe@example.org"),
    ],
)
def test_email_spoken_or_typed(hear: Hear, heard: str, expected: str) -> None:
    """E-mail addresses said with "dot" and "at", or typed, come back as addresses."""
    assert hear(heard, expecting=Slot.EMAIL).slots.email == expected


@pytest.mark.parametrize("heard", ["I'm at work", "at 5 pm", "I live at the corner"])
def test_at_alone_is_not_an_email(hear: Hear, heard: str) -> None:
    """ "At" without a domain ending in a known suffix is not an address."""
    assert hear(heard).slots.email is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("text", ReminderPreference.SMS),
        ("sms please", ReminderPreference.SMS),
        ("email is best", ReminderPreference.EMAIL),
        ("a phone call", ReminderPreference.CALL),
    ],
)
def test_reminder_preference_when_asked(
    hear: Hear, heard: str, expected: ReminderPreference
) -> None:
    """Short answers to "how would you like reminders?" are read."""
    assert hear(heard, expecting=Slot.REMINDER_PREFERENCE).slots.reminder_preference is expected


def test_reminder_preference_unasked_needs_reminder_words(hear: Hear) -> None:
    """Without the question, only a sentence about reminders sets the preference."""
    assert hear("text reminders are best").slots.reminder_preference is ReminderPreference.SMS
    assert hear("call me back at 312 555 0142").slots.reminder_preference is None


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("text is fine", ReminderPreference.SMS),
        ("texts are fine", ReminderPreference.SMS),
        ("texting is best", ReminderPreference.SMS),
        ("email is best", ReminderPreference.EMAIL),
        ("a call is fine", None),
        ("just call me", None),
        ("the weather is fine", None),
    ],
)
def test_a_way_to_be_reached_said_outright_is_the_reminder_preference(
    hear: Hear, heard: str, expected: ReminderPreference | None
) -> None:
    """Unasked, "text is fine" chooses text reminders; a call said so may be a call back."""
    assert hear(heard, expecting=Slot.CLIENT_AGE).slots.reminder_preference is expected


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("this number is good", True),
        ("this number works", True),
        ("you can reach me at this number", True),
        ("that number is the best one", True),
        ("not this number, my work one is better", None),
        ("that number is wrong", None),
        ("a different number would be good", None),
    ],
)
def test_the_number_calling_said_to_be_the_one(
    hear: Hear, heard: str, expected: bool | None
) -> None:
    """ "This number is good" says the number calling is the one to use; "not this number"
    or "that number is wrong" does not."""
    assert hear(heard, expecting=Slot.REMINDER_PREFERENCE).slots.this_number is expected


@pytest.mark.parametrize(
    ("heard", "expecting", "expected"),
    [
        ("yes", Slot.CONSENT_TO_TEXT, True),
        ("sure", Slot.CONSENT_TO_TEXT, True),
        ("no", Slot.CONSENT_TO_TEXT, False),
        ("you can text me", None, True),
        ("texting is fine", None, True),
        ("please don't text me", None, False),
        ("yes", None, None),
    ],
)
def test_consent_to_text(
    hear: Hear, heard: str, expecting: Slot | None, expected: bool | None
) -> None:
    """Consent from a yes/no to the consent question, or said outright."""
    assert hear(heard, expecting=expecting).slots.consent_to_text is expected


def test_a_no_to_the_consent_question_is_not_a_correction(hear: Hear) -> None:
    """Answering no to a yes/no question is an answer, not a correction."""
    assert hear("no", expecting=Slot.CONSENT_TO_TEXT).correction is False


@pytest.mark.parametrize(
    "heard",
    [
        "it's dana dot smith at example dot com",
        "dana.smith@example.com",
        "my email is d dana underscore reyes at gmail dot com",
    ],
)
def test_a_name_inside_an_address_is_not_a_clinician(hear: Hear, heard: str) -> None:
    """A clinician's first name inside an e-mail address is part of the address, not a request."""
    understood = hear(heard, expecting=Slot.EMAIL)
    assert understood.slots.email is not None
    assert understood.slots.clinician is None


@pytest.mark.parametrize(
    "heard",
    [
        "aetna dot fan at example dot com",
        "indiana dot jones at example dot com",
        "monday dot blues at example dot com",
    ],
)
def test_words_inside_an_address_fill_no_other_slot(hear: Hear, heard: str) -> None:
    """A payer, state, day or reminder word inside an address fills only the e-mail."""
    understood = hear(heard, expecting=Slot.EMAIL)
    assert understood.slots.email is not None
    assert understood.slots.filled() == {"email"}


def test_a_clinician_asked_for_beside_the_address_still_counts(hear: Hear) -> None:
    """A clinician asked for outside the address, in the same sentence, is still read."""
    understood = hear(
        "it's pat dot smith at example dot com and I'd like to see Dana", expecting=Slot.EMAIL
    )
    assert understood.slots.email == "pat.smith@example.com"
    assert understood.slots.clinician == "dana-reyes"


def test_words_around_an_address_keep_their_meaning(hear: Hear) -> None:
    """What is said before and after an address is read as usual; only its words are set aside."""
    understood = hear("yes, it's dana.smith@example.com, I'm in Wisconsin")
    assert understood.slots.email == "dana.smith@example.com"
    assert understood.slots.state == "WI"
    assert understood.affirm is True


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        (
            "oh, um, my phone was too close to my card and demagnetized it, how can i report this",
            "on my phone please",
        ),
        ("please begin pairing with my phone", "a call to my phone"),
        ("sorry, my phone died earlier", "my phone number is best"),
    ],
)
def test_a_phone_owned_is_no_reminder_channel(hear: Hear, aside: str, answer: str) -> None:
    """Asked how reminders should come, "my phone was too close to my card" speaks of the
    caller's phone, not of calls; "on my phone" or "a call to my phone" chooses calls."""
    assert hear(aside, expecting=Slot.REMINDER_PREFERENCE).slots.reminder_preference is None
    assert (
        hear(answer, expecting=Slot.REMINDER_PREFERENCE).slots.reminder_preference
        is ReminderPreference.CALL
    )


@pytest.mark.parametrize(
    ("aside", "answer"),
    [
        ("oh, um, my new card will get here in the mail when", "by mail please"),
        ("I only check the mail once a week", "mail me"),
        ("no snail mail please", "email is best"),
    ],
)
def test_the_post_is_no_email(hear: Hear, aside: str, answer: str) -> None:
    """Asked how reminders should come, "in the mail" speaks of letters, not of e-mail;
    "by mail" or "mail me" still chooses e-mail."""
    assert hear(aside, expecting=Slot.REMINDER_PREFERENCE).slots.reminder_preference is None
    assert (
        hear(answer, expecting=Slot.REMINDER_PREFERENCE).slots.reminder_preference
        is ReminderPreference.EMAIL
    )


@pytest.mark.parametrize(
    "heard",
    [
        "it's taylor dot brooks at example dot com. Also do you have a sliding scale?",
        "it's alex dot brooks at example dot com and do you have a sliding scale?",
        "alex.brooks@example.com, do you have a sliding scale?",
    ],
)
def test_a_question_said_beside_an_address_chooses_no_way_to_pay(hear: Hear, heard: str) -> None:
    """Asking about the sliding scale after giving an address asks; it chooses nothing."""
    understood = hear(heard, expecting=Slot.EMAIL)
    assert understood.slots.email is not None
    assert understood.slots.payment is None
    assert Topic.SLIDING_SCALE in understood.topics


def test_a_way_to_pay_said_beside_an_address_is_still_kept(hear: Hear) -> None:
    """The same sentence choosing the scale, rather than asking about it, chooses it."""
    understood = hear(
        "it's alex dot brooks at example dot com and the sliding scale please",
        expecting=Slot.EMAIL,
    )
    assert understood.slots.email == "alex.brooks@example.com"
    assert understood.slots.payment is Payment.SLIDING_SCALE
