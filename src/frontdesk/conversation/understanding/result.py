"""What understanding returns for one caller utterance: the contract with the flows.

`understand(text, vocabulary=..., now=..., expecting=...)` (in this package) fills an
`Understanding`; the flows read it and never look at raw text themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum

from frontdesk.domain.calls import Intent
from frontdesk.domain.inquiries import (
    AgeGroup,
    AvailabilityWindow,
    ForWhom,
    Modality,
    Payment,
    ReminderPreference,
)
from frontdesk.domain.practice import Clinician, Payer


class Slot(StrEnum):
    """An intake question the flow can be waiting on; helps read short answers ("12", "yes")."""

    FOR_WHOM = "for_whom"
    CLIENT_AGE = "client_age"
    CLIENT_NAME = "client_name"
    DATE_OF_BIRTH = "date_of_birth"
    MODALITY = "modality"
    STATE = "state"
    PAYMENT = "payment"
    PAYER = "payer"
    CONCERN = "concern"
    AVAILABILITY = "availability"
    REMINDER_PREFERENCE = "reminder_preference"
    CALLBACK_NUMBER = "callback_number"
    EMAIL = "email"
    CONSENT_TO_TEXT = "consent_to_text"
    TELEHEALTH_PRIVATE_SPACE = "telehealth_private_space"
    TELEHEALTH_DEVICE = "telehealth_device"
    TELEHEALTH_CONNECTION = "telehealth_connection"
    MESSAGE = "message"
    NEW_OR_EXISTING = "new_or_existing"  # has the client been seen here before?
    CONFIRMATION = "confirmation"  # a yes/no read-back


class Request(StrEnum):
    """Conversational requests that are not intake answers."""

    REPEAT = "repeat"
    SPEAK_TO_PERSON = "speak_to_person"
    LEAVE_MESSAGE = "leave_message"
    GOODBYE = "goodbye"
    OTHER_OPTIONS = "other_options"
    WAIT = "wait"  # "hold on", "one second"
    DONT_KNOW = "dont_know"
    APPOINTMENT = "appointment"  # "I'd like to make an appointment": new or existing unsaid
    CALLBACK = "callback"  # "please have someone call me back"
    CONNECT_LIFELINE = "connect_lifeline"  # "can you connect me to 988?"
    SCHEDULING = "scheduling"  # "can I still book an appointment?"
    SPELL = "spell"  # "can you spell that?"


class Topic(StrEnum):
    """A question the practice file can answer mid-intake."""

    INSURANCE = "insurance"
    FEES = "fees"
    SLIDING_SCALE = "sliding_scale"
    TELEHEALTH = "telehealth"
    CLINICIANS = "clinicians"
    SPECIALTIES = "specialties"
    HOURS = "hours"
    LOCATION = "location"
    CANCELLATION_POLICY = "cancellation_policy"
    AUTOMATED = "automated"  # "am I talking to a real person?"


# The fields a plain yes or no can answer: consent to text and the telehealth set-up.
YES_NO_FIELDS = frozenset({"consent_to_text", "private_space", "device", "connection"})
ASIDE_FIELDS = frozenset({"concern", "specialty", "age_group", "clinician", "caller_name"})
"""Values a yes can be said beside and still be the answer: a concern or a clinician named
in passing, or the words of a question ("anyone who works with kids?")."""


@dataclass(frozen=True, slots=True)
class SlotValues:
    """Values found in one utterance. None means not said, never a guess."""

    for_whom: ForWhom | None = None
    client_age: int | None = None
    client_name: str | None = None
    caller_name: str | None = None  # "my name is …", "this is …": the client's only for self
    date_of_birth: date | None = None
    modality: Modality | None = None
    state: str | None = None  # two-letter code
    payment: Payment | None = None
    payer: str | None = None  # payer id from the practice file
    payer_unlisted: str | None = None  # an insurer named that the practice does not take
    payer_program: str | None = None  # "Medicaid" without a state, in a practice of several
    payer_question: bool = False  # insurance only asked about ("do you take Aetna?"), not theirs
    concern: str | None = None  # the caller's words, only when they describe why they call
    availability: tuple[AvailabilityWindow, ...] = ()
    reminder_preference: ReminderPreference | None = None
    callback_number: str | None = None  # E.164
    this_number: bool | None = None  # True: "this number is good", the number calling is it
    email: str | None = None
    consent_to_text: bool | None = None
    private_space: bool | None = None
    device: bool | None = None
    connection: bool | None = None
    specialty: str | None = None  # a specialty tag from the practice file
    age_group: AgeGroup | None = None  # an age band asked about ("works with kids")
    clinician: str | None = None  # clinician id

    def filled(self) -> frozenset[str]:
        """Names of the fields this utterance supplied."""
        return frozenset(
            name
            for name in self.__slots__
            if name != "payer_question" and getattr(self, name) not in (None, ())
        )

    def takes_back(self, affirm: bool | None) -> bool:
        """Whether a "no" comes with other values, so it corrects those rather than answering.

        "No wait, we're in Wisconsin, not Indiana" at the texting question takes back the state;
        it is no refusal to be texted.
        """
        return affirm is False and bool(self.filled() - YES_NO_FIELDS)

    def answers_another(self) -> bool:
        """Whether this utterance answers another question, which a yes beside it may be
        about ("Yes, I'd like it at 11:15 on March 1st" at the telehealth set-up question)."""
        return bool(self.filled() - YES_NO_FIELDS - ASIDE_FIELDS)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The practice-specific words understanding needs: payers, clinicians, specialties."""

    payers: tuple[Payer, ...]
    clinicians: tuple[Clinician, ...]
    specialties: tuple[str, ...]
    timezone: str


@dataclass(frozen=True, slots=True)
class SaidTime:
    """A clock time said while choosing: 24-hour when `exact`, else an hour on a 12-hour dial.

    "the 1 pm" is exact (13:00); "the one at 6" is 6 on the dial, morning or evening.
    """

    hour: int
    minute: int = 0
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Choice:
    """How a caller names one of the options read to them, word by word.

    A position ("the third one", "number two") is only a position: its words name no date
    or clock time, and "the one" is a pronoun, never 1 o'clock or the 1st. What is left
    names weekdays, dates, clock times or parts of the day, and `words` are there for a
    clinician's name. Which option that is, the flow decides against the options read.
    """

    position: int | None = None  # 1-based; -1 is the last
    ruled_out: frozenset[int] = frozenset()  # positions the caller said they do not mean
    weekdays: frozenset[int] = frozenset()  # 0 is Monday
    dates: frozenset[date] = frozenset()
    times: tuple[SaidTime, ...] = ()
    parts_of_day: tuple[tuple[time, time], ...] = ()  # "the morning one": 08:00-12:00
    words: tuple[str, ...] = ()
    asks_for_times: bool = False  # "do you have anything Friday morning?" asks; it does not pick

    @property
    def describes(self) -> bool:
        """Whether the words name a weekday, a date, a time or a part of the day."""
        return bool(self.weekdays or self.dates or self.times or self.parts_of_day)


@dataclass(frozen=True, slots=True)
class Understanding:
    """One utterance, understood."""

    text: str
    normalized: str
    intent: Intent | None = None  # best guess, None when no call purpose was recognised
    intents: tuple[Intent, ...] = ()  # every intent found, best first
    slots: SlotValues = field(default_factory=SlotValues)
    affirm: bool | None = None  # yes / no, None when neither
    # The yes or no said before a question in one breath ("yes that's fine, do you have
    # anyone who works with kids?"): it answers ours, and the question is answered too.
    affirm_before_question: bool | None = None
    correction: bool = False  # "no, my number is …", "actually …", "I meant …"
    requests: frozenset[Request] = frozenset()
    topics: tuple[Topic, ...] = ()  # questions asked, in the order asked
    digits: str | None = None  # keypad input, as pressed
    choice: Choice = field(default_factory=Choice)  # read only when options were read
    language: str | None = None  # a language other than English the caller speaks ("es")
    aside: bool = False  # a clause asks something or asks for something off the call
    named: SlotValues | None = None  # with an aside: every value named, the aside's too
    said_anything: bool = True  # False for nothing but greetings, thanks and fillers
    speaks_of_time: bool = True  # False when no word is of days, times or a schedule
    times_asked: bool = False  # the times named are only asked about ("anything Friday?")
    # Asked for the name: the words alone answer another intake question ("text me",
    # "video is fine", "Ohio"), so they are no name, whatever their shape.
    answers_another: bool = False
