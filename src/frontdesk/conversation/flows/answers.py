"""Questions answered from the practice file: insurance, fees, telehealth, clinicians, hours.

Every answer is an approved line with values from the practice file, never free text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from frontdesk.conversation.flows.base import listing, money, practice_say, say
from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.understanding import payers, places
from frontdesk.conversation.understanding.result import SlotValues, Topic, Understanding
from frontdesk.domain.calls import Intent
from frontdesk.domain.inquiries import AgeGroup, Intake, Modality, Payment, Weekday
from frontdesk.domain.practice import Clinician, Practice, ServiceKind, TimeRange

INTENT_TOPICS: dict[Intent, Topic] = {
    Intent.INSURANCE_QUESTION: Topic.INSURANCE,
    Intent.FEE_QUESTION: Topic.FEES,
    Intent.TELEHEALTH_QUESTION: Topic.TELEHEALTH,
    Intent.PROVIDER_QUESTION: Topic.CLINICIANS,
}


def topics_of(understanding: Understanding) -> tuple[Topic, ...]:
    """The questions an utterance asks, including the one its intent implies."""
    topics = list(understanding.topics)
    for intent in (understanding.intent, *understanding.intents):
        implied = INTENT_TOPICS.get(intent) if intent is not None else None
        if implied is not None and implied not in topics and not _covered(implied, topics):
            topics.append(implied)
            break
    return tuple(topics)


def _covered(topic: Topic, topics: list[Topic]) -> bool:
    if topic is Topic.FEES:
        return Topic.SLIDING_SCALE in topics
    if topic is Topic.CLINICIANS:
        return Topic.SPECIALTIES in topics
    return False


def answer(
    topics: tuple[Topic, ...],
    understanding: Understanding,
    practice: Practice,
    *,
    known: Intake | None = None,
) -> tuple[Say, ...]:
    """The approved lines answering each topic, in the order asked.

    `known` is what the caller said earlier in the call: cost and provider questions are
    answered for it as well (their payer; the client's age, state and way of meeting), so
    "who could see my son?" after "he's 9, in Wisconsin" names only who fits. A question
    is answered for what it names ("who treats anxiety in Wisconsin?") although those
    values are not recorded as the client's.
    """
    if understanding.named is not None:
        understanding = replace(understanding, slots=understanding.named)
    with_known = _with_known(understanding, known) if known is not None else understanding
    says: list[Say] = []
    for topic in topics:
        heard = with_known if topic in _FOR_THE_CALLER else understanding
        says.extend(_ANSWERERS[topic](heard, practice))
    return tuple(says)


def _with_known(understanding: Understanding, known: Intake) -> Understanding:
    """The utterance with what the caller said earlier filling what it leaves unsaid."""
    slots = understanding.slots
    insured = known.payment is Payment.INSURANCE
    insured = insured and slots.payer_program is None and slots.payer_unlisted is None
    filled = replace(
        slots,
        payer=slots.payer or (known.payer if insured else None),
        client_age=slots.client_age if slots.client_age is not None else known.client_age,
        state=slots.state or known.state,
        modality=slots.modality or known.modality,
    )
    return replace(understanding, slots=filled)


def program_plans(program: str, practice: Practice) -> list[Say]:
    """ "Medicaid plans differ by state. Of those, we are in network with Illinois Medicaid.":
    the practice's plans of a by-state program, when the caller's state is not known yet."""
    plans = listing(p.name for p in payers.of_program(program, practice.payers))
    return [say(Line.PAYER_BY_STATE, program=program, payers=plans)]


def state_plan(slots: SlotValues, state: str, practice: Practice) -> SlotValues:
    """A by-state program named without a state, read for the client's `state`: that
    state's plan when the practice takes it, else not in network under its own name."""
    program = slots.payer_program
    if program is None:
        return slots
    payer = payers.in_state(program, state, practice.payers)
    if payer is not None:
        return replace(slots, payer=payer.id, payer_program=None)
    unlisted = f"{places.state_name(state)} {program}"
    return replace(slots, payer_unlisted=unlisted, payer_program=None)


def _insurance(understanding: Understanding, practice: Practice) -> list[Say]:
    slots = understanding.slots
    if slots.payer_program is not None:
        if slots.state is None:
            return program_plans(slots.payer_program, practice)
        slots = state_plan(slots, slots.state, practice)
    if slots.payer is not None:
        payer = practice.payer(slots.payer)
        if payer is not None:
            return [say(Line.PAYER_ACCEPTED, payer=payer.name)]
    if slots.payer_unlisted is not None:
        return out_of_network(slots.payer_unlisted, practice)
    if not practice.payers:
        return [say(Line.ANSWER_INSURANCE_NONE)]
    return [say(Line.ANSWER_INSURANCE_LIST, payers=listing(p.name for p in practice.payers))]


def out_of_network(insurer: str, practice: Practice) -> list[Say]:
    """The approved answer for an insurer the practice does not take: not in network, paying
    privately with a superbill, what a session costs paid privately, and the sliding scale
    where the practice file offers one."""
    return [
        say(Line.PAYER_NOT_ACCEPTED, payer=insurer),
        say(Line.PAYER_ALTERNATIVES),
        *private_fees(practice),
        *_sliding(practice),
    ]


def private_fees(practice: Practice) -> list[Say]:
    """The practice's first and ongoing session fees, paid privately; none if unset."""
    first = practice.service(ServiceKind.FIRST_SESSION)
    ongoing = practice.service(ServiceKind.ONGOING) or first
    if first is None or ongoing is None:
        return []
    return [say(Line.ANSWER_FEES, first_fee=money(first.fee), ongoing_fee=money(ongoing.fee))]


def _sliding(practice: Practice) -> list[Say]:
    scale = practice.sliding_scale
    if scale.offered and scale.minimum_fee is not None and scale.maximum_fee is not None:
        return [
            say(
                Line.SLIDING_SCALE_AVAILABLE,
                minimum=money(scale.minimum_fee),
                maximum=money(scale.maximum_fee),
            )
        ]
    return []


def _fees(understanding: Understanding, practice: Practice) -> list[Say]:
    says: list[Say] = []
    consult = practice.service(ServiceKind.CONSULT)
    if consult is not None:
        minutes = str(consult.duration_minutes)
        if consult.fee == 0:
            says.append(say(Line.ANSWER_CONSULT_FREE, minutes=minutes))
        else:
            says.append(say(Line.ANSWER_CONSULT_FEE, minutes=minutes, fee=money(consult.fee)))
    first = practice.service(ServiceKind.FIRST_SESSION)
    ongoing = practice.service(ServiceKind.ONGOING) or first
    if first is None or ongoing is None:
        return says
    fees = {"first_fee": money(first.fee), "ongoing_fee": money(ongoing.fee)}
    payer = practice.payer(understanding.slots.payer) if understanding.slots.payer else None
    if payer is not None:  # in network: the plan decides what the session costs the client
        says.append(say(Line.ANSWER_FEES_IN_NETWORK, payer=payer.name, **fees))
    else:
        says.append(say(Line.ANSWER_FEES, **fees))
    return says


def _sliding_scale(understanding: Understanding, practice: Practice) -> list[Say]:
    scale = practice.sliding_scale
    if not scale.offered:
        return [say(Line.ANSWER_NO_SLIDING_SCALE)]
    if scale.minimum_fee is None or scale.maximum_fee is None:
        return [say(Line.ANSWER_SLIDING_SCALE_GENERAL)]
    return [
        say(
            Line.ANSWER_SLIDING_SCALE,
            minimum=money(scale.minimum_fee),
            maximum=money(scale.maximum_fee),
        )
    ]


def _telehealth(understanding: Understanding, practice: Practice) -> list[Say]:
    return [
        say(
            Line.ANSWER_TELEHEALTH,
            platform=practice.telehealth.platform,
            states=listing(sorted(practice.states)),
        )
    ]


def _clinicians(understanding: Understanding, practice: Practice) -> list[Say]:
    slots = understanding.slots
    if slots.clinician is not None:
        clinician = practice.clinician(slots.clinician)
        if clinician is not None:
            return [
                say(
                    Line.ANSWER_CLINICIAN,
                    clinician=clinician.display_name,
                    specialties=listing(clinician.specialties),
                )
            ]
    if slots.specialty is not None or _wants(understanding):
        return _who_fits(understanding, practice)
    return [
        say(
            Line.ANSWER_CLINICIANS,
            clinicians=listing(c.display_name for c in practice.clinicians),
        )
    ]


def _wants(understanding: Understanding) -> bool:
    """Whether the caller said anything clinicians can be filtered by."""
    slots = understanding.slots
    return bool(
        slots.specialty
        or _age_group(understanding)
        or slots.modality in _SESSION_WAYS
        or slots.state
        or slots.payer
    )


def _who_fits(understanding: Understanding, practice: Practice) -> list[Say]:
    """The clinicians who fit everything the caller said: specialty, age group, the way they
    would meet (video needs a licence in the client's state; the office, one in that state),
    and the payer's network. Nobody who misses one of these is named."""
    slots = understanding.slots
    fitting = [c for c in practice.clinicians if _fits(c, understanding, practice)]
    specialty = slots.specialty
    if specialty is not None and not any(_treats(c, specialty) for c in practice.clinicians):
        return [say(Line.ANSWER_SPECIALTY_NO, specialty=specialty)]
    if not fitting:
        return [say(Line.ANSWER_CLINICIANS_NONE_FIT)]
    names = listing(c.name for c in fitting)
    if specialty is not None:
        return [say(Line.ANSWER_SPECIALTY_YES, clinicians=names, specialty=specialty)]
    return [say(Line.ANSWER_CLINICIANS_FIT, clinicians=names)]


def _fits(clinician: Clinician, understanding: Understanding, practice: Practice) -> bool:
    slots = understanding.slots
    age = _age_group(understanding)
    if slots.specialty is not None and not _treats(clinician, slots.specialty):
        return False
    if age is not None and age not in clinician.age_groups:
        return False
    if slots.payer is not None and slots.payer not in clinician.payers:
        return False
    offered = clinician.modalities
    if Modality.HYBRID in offered:
        offered = _SESSION_WAYS
    ways = _ways(slots.modality) & offered
    if not ways:
        return False
    if slots.state is None:
        return True
    offices = {loc.state for loc in practice.locations if loc.id in clinician.locations}
    video = Modality.TELEHEALTH in ways and slots.state in clinician.licensed_states
    office = Modality.IN_PERSON in ways and slots.state in offices
    return video or office


def _treats(clinician: Clinician, specialty: str) -> bool:
    wanted = " ".join(specialty.casefold().replace("-", " ").split())
    return wanted in {
        " ".join(s.casefold().replace("-", " ").split()) for s in clinician.specialties
    }


def _age_group(understanding: Understanding) -> AgeGroup | None:
    slots = understanding.slots
    if slots.age_group is not None:
        return slots.age_group
    return AgeGroup.for_age(slots.client_age) if slots.client_age is not None else None


_SESSION_WAYS = frozenset({Modality.TELEHEALTH, Modality.IN_PERSON})


def _ways(modality: Modality | None) -> frozenset[Modality]:
    return frozenset({modality}) if modality in _SESSION_WAYS else _SESSION_WAYS


def _specialties(understanding: Understanding, practice: Practice) -> list[Say]:
    if understanding.slots.specialty is not None or _wants(understanding):
        return _who_fits(understanding, practice)
    everything = sorted({s for c in practice.clinicians for s in c.specialties})
    return [say(Line.ANSWER_SPECIALTIES, specialties=listing(everything))]


def _clock(moment: time) -> str:
    hour = moment.hour % 12 or 12
    suffix = "AM" if moment.hour < 12 else "PM"
    return f"{hour} {suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {suffix}"


def _ranges(ranges: tuple[TimeRange, ...]) -> str:
    return listing(f"{_clock(r.start)} to {_clock(r.end)}" for r in ranges)


def opening_hours(practice: Practice) -> str:
    """The front-desk hours as words, consecutive days with the same hours grouped."""
    groups: list[tuple[list[Weekday], str]] = []
    for day in Weekday:
        ranges = practice.hours.periods.get(day, ())
        if not ranges:
            continue
        words = _ranges(ranges)
        previous = groups[-1] if groups else None
        if (
            previous is not None
            and previous[1] == words
            and previous[0][-1].number == day.number - 1
        ):
            previous[0].append(day)
        else:
            groups.append(([day], words))
    parts = []
    for days, words in groups:
        first, last = days[0].value.capitalize(), days[-1].value.capitalize()
        span = first if len(days) == 1 else f"{first} to {last}"
        parts.append(f"{span}, {words}")
    return "; ".join(parts)


def _hours(understanding: Understanding, practice: Practice) -> list[Say]:
    return [say(Line.ANSWER_HOURS, hours=opening_hours(practice))]


def _location(understanding: Understanding, practice: Practice) -> list[Say]:
    if not practice.locations:
        return [say(Line.ANSWER_UNKNOWN)]
    return [say(Line.ANSWER_LOCATION, address=listing(loc.address for loc in practice.locations))]


def _cancellation(understanding: Understanding, practice: Practice) -> list[Say]:
    return [
        say(
            Line.ANSWER_CANCELLATION,
            notice_hours=str(practice.cancellation_policy.notice_hours),
        )
    ]


def _automated(understanding: Understanding, practice: Practice) -> list[Say]:
    return [practice_say(Line.ANSWER_AUTOMATED, practice)]


_FOR_THE_CALLER = frozenset({Topic.FEES, Topic.CLINICIANS, Topic.SPECIALTIES})
"""Questions answered for what the caller said earlier in the call too."""

_ANSWERERS = {
    Topic.INSURANCE: _insurance,
    Topic.FEES: _fees,
    Topic.SLIDING_SCALE: _sliding_scale,
    Topic.TELEHEALTH: _telehealth,
    Topic.CLINICIANS: _clinicians,
    Topic.SPECIALTIES: _specialties,
    Topic.HOURS: _hours,
    Topic.LOCATION: _location,
    Topic.CANCELLATION_POLICY: _cancellation,
    Topic.AUTOMATED: _automated,
}
