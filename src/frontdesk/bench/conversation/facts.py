"""The truth about one simulated caller, chosen at random before the call starts.

The fuzzer's ground truth is these facts and which of them the caller said, never what the
front desk recorded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.bench.conversation.public import PublicSentences, TimeSaid
from frontdesk.bench.conversation.wordings import Availability, Wordings
from frontdesk.domain.errors import DatasetError
from frontdesk.domain.inquiries import ForWhom, Modality, Payment, ReminderPreference
from frontdesk.domain.practice import Practice


class Kind(StrEnum):
    """A fact a caller can state; each maps to one intake field."""

    FOR_WHOM = "for_whom"
    AGE = "client_age"
    NAME = "client_name"
    STATE = "state"
    MODALITY = "modality"
    PAYMENT = "payment"
    PAYER = "payer"
    OUT_OF_NETWORK = "out_of_network_payer"  # an insurer the practice does not list, as said
    CONCERN = "concern"
    AVAILABILITY = "availability"
    REMINDER = "reminder_preference"
    EMAIL = "email"
    NUMBER = "callback_number"
    TELEHEALTH = "telehealth_constraints"
    CONSENT = "consent_to_text"


class Purpose(StrEnum):
    APPOINTMENT = "appointment"
    CONSULT = "consult"
    QUESTIONS = "questions"  # asks about the practice, then says goodbye
    CALLBACK = "callback"  # asks to be called back about something


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything true about the caller and the client, whether or not it is ever said."""

    purpose: Purpose
    for_whom: ForWhom
    relation: str  # how the caller names the client ("son"); empty for self
    age: int
    name: str
    state: str  # two-letter code
    modality: Modality
    payment: Payment  # after an unlisted insurer: how they will pay instead
    payer: str | None  # payer id in the practice file
    payer_said: str  # the insurer as the caller names it (listed or not)
    payer_listed: bool
    concern: str
    availability: Availability | TimeSaid
    reminder: ReminderPreference
    email: str
    number: str  # E.164: the best number to call back
    caller_id: str  # E.164: the number calling
    telehealth_ok: bool
    consent: bool
    callback_topic: str  # for a callback request: the topic key
    # A payer named for a state (a state Medicaid plan) covers people living there: the
    # caller's state is then never changed to another ("I'll be in Minnesota" with Illinois
    # Medicaid would say a plan the practice does not take).
    payer_bound: bool = False


def draw(
    rng: random.Random,
    *,
    caller_id: str,
    practice: Practice,
    wordings: Wordings,
    public: PublicSentences,
) -> Facts:
    """Random facts for one caller."""
    rates = wordings.rates
    roll = rng.random()
    if roll < rates["question_only"]:
        purpose = Purpose.QUESTIONS
    elif roll < rates["question_only"] + rates["callback_request"]:
        purpose = Purpose.CALLBACK
    else:
        purpose = Purpose.CONSULT if rng.random() < rates["consult"] else Purpose.APPOINTMENT
    for_whom = rng.choice((ForWhom.SELF, ForWhom.SELF, ForWhom.CHILD, ForWhom.PARTNER))
    relation = (
        "" if for_whom is ForWhom.SELF else rng.choice(wordings.facts[f"relation.{for_whom}"])
    )
    states = sorted(practice.states) + list(wordings.other_states)
    state = rng.choice(states[:-1] * 3 + states)  # mostly states the practice covers
    if state not in wordings.state_names:
        raise DatasetError(f"callers.toml: values.state_names: no name for {state}")
    payment = rng.choice(tuple(Payment))
    payer: str | None = None
    payer_said = ""
    listed = True
    bound = False
    if payment is Payment.INSURANCE:
        # A payer named for a state (a state Medicaid plan) covers people living there.
        mine = [p for p in practice.payers if _state_fits(p.name, state, wordings)]
        if mine and rng.random() < 0.8:
            chosen = rng.choice(mine)
            payer, payer_said = chosen.id, rng.choice((chosen.name, chosen.name, *chosen.aliases))
            bound = any(name in chosen.name for name in wordings.state_names.values())
        else:
            listed = False
            payer_said = rng.choice(wordings.unlisted_payers)
            payment = rng.choice((Payment.PRIVATE_PAY, Payment.SLIDING_SCALE))
    else:
        other = rng.choice(practice.payers) if practice.payers else None
        payer_said = other.name if other is not None else rng.choice(wordings.unlisted_payers)
    first, last = rng.choice(wordings.first_names), rng.choice(wordings.last_names)
    own = rng.random() < rates["number_is_caller_id"]
    number = (
        caller_id if own else f"+1{rng.choice(wordings.area_codes)}5550{rng.randrange(100, 200)}"
    )
    availability: Availability | TimeSaid = (
        rng.choice(public.times) if rng.random() < 0.5 else rng.choice(wordings.availability)
    )
    return Facts(
        purpose=purpose,
        for_whom=for_whom,
        relation=relation,
        age=rng.choice(wordings.ages[for_whom.value]),
        name=f"{first} {last}",
        state=state,
        modality=rng.choice(
            (Modality.IN_PERSON, Modality.TELEHEALTH, Modality.TELEHEALTH, Modality.HYBRID)
        ),
        payment=payment,
        payer=payer,
        payer_said=payer_said,
        payer_listed=listed,
        concern=rng.choice(wordings.concerns),
        availability=availability,
        reminder=rng.choice(tuple(ReminderPreference)),
        email=f"{first}.{last}@{wordings.email_domain}".lower(),
        number=number,
        caller_id=caller_id,
        telehealth_ok=rng.random() < 0.8,
        consent=rng.random() < 0.8,
        callback_topic=rng.choice(sorted(wordings.callback_topics)),
        payer_bound=bound,
    )


def _state_fits(payer_name: str, state: str, wordings: Wordings) -> bool:
    named = [code for code, name in wordings.state_names.items() if name in payer_name]
    return not named or state in named
