"""A simulated caller: answers from its facts in varied words, and keeps track of what it said.

It reads what the front desk just asked (by script line id) and answers it, but like a real
caller: sometimes with other facts first, several in one breath, a question in the middle,
an aside, a correction, silence, a risk sentence or a hang-up. Every utterance lists the
facts it states, so the checks compare the record against what was really said.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from frontdesk.bench.conversation.facts import Facts, Kind, Purpose
from frontdesk.bench.conversation.public import PublicSentences, TimeSaid
from frontdesk.bench.conversation.wordings import SAFETY_QUESTION_LINE, Ask, Wordings
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import Offer
from frontdesk.domain.inquiries import ForWhom, Modality, Payment

_VOLUNTEERED = (
    Kind.FOR_WHOM,
    Kind.AGE,
    Kind.STATE,
    Kind.MODALITY,
    Kind.PAYMENT,
    Kind.CONCERN,
    Kind.AVAILABILITY,
    Kind.REMINDER,
    Kind.NUMBER,
    Kind.NAME,
)
_PRONOUNS = {"son": "he", "daughter": "she", "husband": "he", "wife": "she"}
"""How a caller speaks of the client ("she's 15", "he just turned 9"); "they" otherwise."""
_ORDINALS = ("first", "second", "third", "fourth", "fifth")
_CORRECTABLE = (Kind.STATE, Kind.AGE)


class Act(StrEnum):
    SAY = "say"
    PRESS = "press"  # keypad digits
    SILENCE = "silence"
    HANG_UP = "hang_up"


@dataclass(frozen=True, slots=True)
class Utterance:
    """One caller turn and what it means."""

    act: Act
    text: str = ""
    states: tuple[tuple[Kind, object], ...] = ()  # facts stated, with their values
    asks: tuple[str, ...] = ()  # topics of the questions asked
    risk: str | None = None  # the label of a risk sentence
    callback: bool = False  # asks to be called back
    goodbye: bool = False
    answering: str | None = None  # the kind of question this answers
    digits: str = ""  # what was pressed, for `Act.PRESS`
    wants_times: bool = False  # asks for other times than those offered: not a pick


class Caller:
    """One simulated caller; `stated` is the ground truth of what it has said so far."""

    def __init__(
        self,
        rng: random.Random,
        facts: Facts,
        wordings: Wordings,
        public: PublicSentences,
        zone: ZoneInfo,
    ) -> None:
        self.rng, self.facts, self.w, self.public, self.zone = rng, facts, wordings, public, zone
        rates = wordings.rates
        self.stated: dict[Kind, object] = {}
        self.turn = 0
        self.risk_turn = rng.randrange(1, 14) if rng.random() < rates["risk"] else None
        self.hang_up_turn = rng.randrange(2, 20) if rng.random() < rates["hang_up"] else None
        self.after_risk = False
        self.lost = 0
        self.readback_yes = True
        self.insurer_said = False
        self.pending: str | None = None  # the question last asked
        self.unknown: list[str] = []  # line ids of prompts the caller could not answer
        self.picked: Offer | None = None
        self.pick_ambiguous = False  # the last pick's words also name another offer
        self.asked_times = False
        self.corrected = False
        self.served = False  # booked or waitlisted
        self.restated = 0
        count = rng.choice((1, 2)) if facts.purpose is Purpose.QUESTIONS else rng.choice((0, 1))
        self.asks_left: list[Ask] = [rng.choice(wordings.asks) for _ in range(count)]

    # --- wording helpers -------------------------------------------------------------

    def _pick(self, key: str) -> str:
        return self.rng.choice(self.w.facts[key])

    def _fill(self, template: str, **extra: str) -> str:
        f = self.facts
        they = _PRONOUNS.get(f.relation, "they")
        values = {
            "age": str(f.age),
            "relation": f.relation,
            "they": they,
            "they_are": "they're" if they == "they" else f"{they}'s",
            "state": self.w.state_names[f.state],
            "payer": f.payer_said,
            "number": _spoken_number(f.number, self.rng),
            "name": f.name,
            "concern": f.concern,
            "email": _spoken_email(f.email) if self.rng.random() < 0.7 else f.email,
            "topic": self.w.callback_topics.get(f.callback_topic, f.callback_topic),
            "caller_name": self._caller_name(),
        }
        values.update(extra)
        return template.format_map(_Defaults(values))

    def _caller_name(self) -> str:
        """The name of a caller calling for someone else: another first name than the
        client's, the same family name (a parent, a partner)."""
        first, _, last = self.facts.name.partition(" ")
        names = self.w.first_names
        mine = names[(names.index(first) + 1) % len(names)] if first in names else names[0]
        return f"{mine} {last}".strip()

    def _join(self, parts: list[str]) -> str:
        text = parts[0]
        for part in parts[1:]:
            text += self.rng.choice(self.w.purposes["joiners"]) + part
        return text

    # --- facts -----------------------------------------------------------------------

    def fact(self, kind: Kind) -> tuple[str, tuple[tuple[Kind, object], ...]]:
        """Words that state `kind`, and every fact those words state."""
        f = self.facts
        who = f.for_whom.value
        if kind is Kind.FOR_WHOM:
            if self.rng.random() < 0.4:
                return self._fill(self._pick(f"who_and_age.{who}")), (
                    (Kind.FOR_WHOM, f.for_whom),
                    (Kind.AGE, f.age),
                )
            return self._fill(self._pick(f"for_whom.{who}")), ((Kind.FOR_WHOM, f.for_whom),)
        if kind is Kind.AGE:
            template = self._pick(f"age.{who}")
            states: tuple[tuple[Kind, object], ...] = ((Kind.AGE, f.age),)
            if "{relation}" in template:
                states = (*states, (Kind.FOR_WHOM, f.for_whom))
            return self._fill(template), states
        if kind is Kind.NAME:
            return self._fill(self._pick("name")), ((Kind.NAME, f.name),)
        if kind is Kind.STATE:
            return self._fill(self._pick("state")), ((Kind.STATE, f.state),)
        if kind is Kind.MODALITY:
            return self._pick(f"modality.{f.modality.value}"), ((Kind.MODALITY, f.modality),)
        if kind in (Kind.PAYMENT, Kind.PAYER):
            return self._payment(kind)
        if kind is Kind.CONCERN:
            # "My son has been struggling with …" says whom the care is for, as "my son is 12"
            # does, and "I've been struggling with …" says it is for the caller.
            template = self._pick(f"concern.{who}")
            states = ((Kind.CONCERN, f.concern),)
            if _names_client(template, f.for_whom):
                states = (*states, (Kind.FOR_WHOM, f.for_whom))
            return self._fill(template), states
        if kind is Kind.AVAILABILITY:
            said = f.availability
            text = (
                said.text
                if isinstance(said, TimeSaid)
                else self._fill(self._pick("availability"), availability=said.text)
            )
            return text, ((Kind.AVAILABILITY, said),)
        if kind is Kind.REMINDER:
            return self._pick(f"reminder.{f.reminder.value}"), ((Kind.REMINDER, f.reminder),)
        if kind is Kind.EMAIL:
            return self._fill(self._pick("email")), ((Kind.EMAIL, f.email),)
        if kind is Kind.NUMBER:
            return self._fill(self._pick("number")), ((Kind.NUMBER, f.number),)
        if kind is Kind.TELEHEALTH:
            key = "telehealth.yes" if f.telehealth_ok else "telehealth.no"
            return self._pick(key), ((Kind.TELEHEALTH, f.telehealth_ok),)
        key = "consent.yes" if f.consent else "consent.no"
        return self._pick(key), ((Kind.CONSENT, f.consent),)

    def _payment(self, kind: Kind) -> tuple[str, tuple[tuple[Kind, object], ...]]:
        """Insurance with a listed payer; an unlisted insurer first, then how they will pay."""
        f = self.facts
        key = "payer" if kind is Kind.PAYER else "payment.insurance"
        if f.payer is not None:
            return self._fill(self._pick(key)), (
                (Kind.PAYMENT, Payment.INSURANCE),
                (Kind.PAYER, f.payer),
            )
        if not f.payer_listed and not self.insurer_said:
            self.insurer_said = True
            return self._fill(self._pick(key)), (
                (Kind.PAYMENT, Payment.INSURANCE),
                (Kind.OUT_OF_NETWORK, f.payer_said),
            )
        return self._pick(f"payment.{f.payment.value}"), ((Kind.PAYMENT, f.payment),)

    def _unsaid(self) -> list[Kind]:
        # Only the number calling is offered unasked ("this number is good"); another is
        # given when asked.
        calling = self.facts.number == self.facts.caller_id
        return [
            k for k in _VOLUNTEERED if k not in self.stated and (k is not Kind.NUMBER or calling)
        ]

    def _volunteer(
        self, kind: Kind, *, alone: bool = False
    ) -> tuple[str, tuple[tuple[Kind, object], ...]]:
        """A fact said without being asked, in the words that say what it is: a name says
        whose name it is (or, said alone by a caller booking for themselves, is just the
        name), an age is stated as one ("I'm 34", "she's 15"), a way to be reminded is said
        outright ("text is fine"), the number is the one calling ("this number works")."""
        f = self.facts
        if kind is Kind.NAME:
            key = "own_name" if f.for_whom is ForWhom.SELF else "other_name"
            if alone and f.for_whom is ForWhom.SELF and self.rng.random() < 0.5:
                key = "bare_name"
            return self._fill(self._pick(key)), ((Kind.NAME, f.name),)
        if kind is Kind.AGE:
            template = self._pick(f"stated_age.{f.for_whom.value}")
            states: tuple[tuple[Kind, object], ...] = ((Kind.AGE, f.age),)
            if "{relation}" in template:
                states = (*states, (Kind.FOR_WHOM, f.for_whom))
            return self._fill(template), states
        if kind is Kind.REMINDER:
            return self._pick(f"stated_reminder.{f.reminder.value}"), ((Kind.REMINDER, f.reminder),)
        if kind is Kind.NUMBER and f.number == f.caller_id:
            return self._pick("this_number"), ((Kind.NUMBER, f.number),)
        return self.fact(kind)

    def _state(self, parts: list[str], kinds: list[Kind], asked: Kind | None = None) -> Utterance:
        states: list[tuple[Kind, object]] = []
        alone = not parts and len(kinds) == 1
        for kind in kinds:
            text, said = self.fact(kind) if kind is asked else self._volunteer(kind, alone=alone)
            parts.append(text)
            states.extend(said)
        return self._said(self._join(parts), tuple(states))

    def _said(
        self, text: str, states: tuple[tuple[Kind, object], ...] = (), **kw: object
    ) -> Utterance:
        for kind, value in states:
            self.stated[kind] = value
        return Utterance(Act.SAY, text, states, **kw)  # type: ignore[arg-type]

    # --- the call --------------------------------------------------------------------

    def first(self) -> Utterance:
        """The opening sentence: why they call, often with a few facts."""
        f, w, rng = self.facts, self.w, self.rng
        parts = [rng.choice(w.purposes["greeting"])] if rng.random() < 0.4 else []
        if f.purpose is Purpose.QUESTIONS:
            return self._ask(parts)
        if f.purpose is Purpose.CALLBACK:
            parts.append(self._fill(rng.choice(w.purposes["callback"])))
            numbers = [Kind.NUMBER] if rng.random() < 0.3 else []
            return replace(self._state(parts, numbers), callback=True)
        kinds: list[Kind] = []
        if f.for_whom is ForWhom.SELF and f.purpose is Purpose.APPOINTMENT and rng.random() < 0.4:
            parts.append(rng.choice(w.purposes["appointment_self"]))
            self.stated[Kind.FOR_WHOM] = ForWhom.SELF
            first_states: tuple[tuple[Kind, object], ...] = ((Kind.FOR_WHOM, ForWhom.SELF),)
        else:
            parts.append(rng.choice(w.purposes[f.purpose.value]))
            first_states = ()
        if rng.random() < w.rates["purpose_facts"]:
            pool = [Kind.FOR_WHOM, Kind.STATE, Kind.PAYMENT, Kind.CONCERN, Kind.AVAILABILITY]
            kinds = rng.sample(pool, rng.randint(1, 3))
        if f.for_whom is ForWhom.SELF and rng.random() < 0.2:
            parts.insert(0, self._fill(self._pick("own_name")))
            self.stated[Kind.NAME] = f.name
            first_states = (*first_states, (Kind.NAME, f.name))
        utterance = self._state(parts, kinds)
        return replace(utterance, states=(*first_states, *utterance.states))

    def _ask(self, parts: list[str]) -> Utterance:
        ask = self.asks_left.pop(0) if self.asks_left else self.rng.choice(self.w.asks)
        parts.append(self._fill(ask.text))
        return self._said(self._join(parts), asks=ask.topics)

    def reply(self, says: tuple[Say, ...], offers: tuple[Offer, ...]) -> Utterance:
        """The next turn, given the lines the front desk just said and the offers read."""
        self.turn += 1
        lines = [s.line_id for s in says]
        self.served = self.served or any(line in self.w.done_lines for line in lines)
        if self.hang_up_turn is not None and self.turn >= self.hang_up_turn:
            return Utterance(Act.HANG_UP)
        if self.after_risk:
            if SAFETY_QUESTION_LINE in lines:
                return self._said(self._pick("safety_yes"), answering="safety")
            return Utterance(Act.HANG_UP)
        if SAFETY_QUESTION_LINE in lines:
            # Asked without having said anything risky: the truthful answer is no.
            return self._said(self._pick("safety_no"), answering="safety")
        if self.risk_turn is not None and self.turn >= self.risk_turn:
            self.after_risk = True
            label, text = self.rng.choice(self.public.risks)
            return Utterance(Act.SAY, text, risk=label)
        asked = next((q for q in map(self.w.question, reversed(lines)) if q is not None), None)
        if asked is None and lines and lines[-1] in self.w.pauses:
            asked = self.pending  # "take your time": the question still stands
        self.pending = asked
        if asked is None:
            # A prompt these wordings do not know yet: ask once, then give up. A hang-up is
            # never held against the front desk as an unhandled request.
            self.lost += 1
            self.unknown.extend(lines[-1:])
            if self.lost >= 2:
                return Utterance(Act.HANG_UP)
            return self._said(self._pick("lost"))
        self.lost = 0
        return replace(self._answer(asked, says, offers), answering=asked)

    def _answer(self, asked: str, says: tuple[Say, ...], offers: tuple[Offer, ...]) -> Utterance:
        f, rng = self.facts, self.rng
        if asked == "purpose":
            return self.first()
        if asked == "new_or_existing":
            return self._said(self._pick("new_client"))
        if asked == "readback":
            return self._readback(says)
        if asked == "pick":
            return self._choose(offers)
        if asked == "confirm_slot":
            values = dict(says[-1].values) if says else {}
            same = self.picked is None or values.get("when") == self.picked.when
            return self._yes_no(same)
        if asked == "waitlist":
            return self._said(self._pick("waitlist"))
        if asked in ("message", "offer_message"):
            return self._said(self._pick(asked), callback=True)
        if asked == "anything_else":
            if self.asks_left:
                return self._ask([])
            if f.purpose in (Purpose.APPOINTMENT, Purpose.CONSULT) and not self.served:
                self.restated += 1
                if self.restated <= 1:  # the appointment they called for is still to come
                    return self._said(self._pick("restate"))
            return self._said(self._pick("goodbye"), goodbye=True)
        if asked == "modality_again":
            yes = f.modality is not Modality.TELEHEALTH
            if yes:
                return self._said(
                    self._pick("modality_again.yes"), ((Kind.MODALITY, Modality.IN_PERSON),)
                )
            return self._said(self._pick("modality_again.no"))
        if asked == "number_known":
            if f.number == f.caller_id:
                return self._said(self._pick("number_known.yes"), ((Kind.NUMBER, f.number),))
            if rng.random() < 0.6:
                return self._said(
                    self._fill(self._pick("number_known.no")), ((Kind.NUMBER, f.number),)
                )
            return self._said(self._pick("number_known.no_bare"))
        return self._fact_answer(Kind(_ASKED_KIND[asked]))

    def _fact_answer(self, kind: Kind) -> Utterance:
        rates, rng = self.w.rates, self.rng
        if kind in (Kind.NUMBER, Kind.AGE) and rng.random() < rates["keypad"]:
            value = self.facts.number[-10:] if kind is Kind.NUMBER else str(self.facts.age)
            truth: object = self.facts.number if kind is Kind.NUMBER else self.facts.age
            self.stated[kind] = truth
            return Utterance(Act.PRESS, states=((kind, truth),), digits=value)
        roll = rng.random()
        if roll < rates["silence"]:
            return Utterance(Act.SILENCE)
        roll -= rates["silence"]
        if roll < rates["aside"]:
            own = self.w.own_asides and rng.random() < rates["own_aside"]
            aside = rng.choice(self.w.own_asides if own else self.public.asides)
            return self._said(self._fill(self._pick("aside"), value=aside))
        roll -= rates["aside"]
        if roll < rates["question"] and self.asks_left:
            parts: list[str] = []
            if rng.random() < 0.5:
                text, states = self.fact(kind)
                self._said("", states)
                utterance = self._ask([text])
                return replace(utterance, states=states)
            return self._ask(parts)
        roll -= rates["question"]
        unsaid = [k for k in self._unsaid() if k is not kind]
        if roll < rates["other_fact"] and unsaid:
            # Asked the age, a caller may start to say it and go on to something else ("oh
            # she's, uh, weekday afternoons work best"): the start states nothing.
            start: list[str] = []
            if kind is Kind.AGE and rng.random() < 0.5:
                start = [self._fill(self._pick(f"false_start.{self.facts.for_whom.value}"))]
            return self._state(start, [rng.choice(unsaid)])
        roll -= rates["other_fact"]
        said = [k for k in _CORRECTABLE if k in self.stated]
        if self.facts.payer_bound:  # a state's own plan stays with the state said
            said = [k for k in said if k is not Kind.STATE]
        if roll < rates["correction"] and said and not self.corrected:
            self.corrected = True  # one change of mind a call
            return self._correct(rng.choice(said))
        kinds = [kind]
        if kind in _VOLUNTEERED and rng.random() < rates["extra_facts"] and unsaid:
            kinds += rng.sample(unsaid, min(len(unsaid), rng.choice((1, 2))))
            rng.shuffle(kinds)
        return self._state([], kinds, asked=kind)

    def _correct(self, kind: Kind) -> Utterance:
        """Change a fact already said, and say the new value with what it is about."""
        f, rng = self.facts, self.rng
        if kind is Kind.STATE:
            old = self.w.state_names[f.state]
            choices = [s for s in self.w.state_names if s != f.state]
            self.facts = replace(f, state=rng.choice(choices))
            text = self._fill(self._pick("correction_state"), value=old)
            states: tuple[tuple[Kind, object], ...] = ((Kind.STATE, self.facts.state),)
        else:
            choices_age = [a for a in self.w.ages[f.for_whom.value] if a != f.age]
            self.facts = replace(f, age=rng.choice(choices_age))
            key = f"correction_age.{f.for_whom.value}"
            text = self._fill(self._pick(key), value=str(f.age))
            states = ((Kind.AGE, self.facts.age),)
            if "{relation}" in text or (f.relation and f.relation in text):
                states = (*states, (Kind.FOR_WHOM, f.for_whom))
        return self._said(self._fill(self._pick("correction"), value=text), states)

    def _readback(self, says: tuple[Say, ...]) -> Utterance:
        read = next((s for s in reversed(says) if s.line_id.startswith("readback_")), None)
        if read is not None:
            self.readback_yes = self._matches(read)
        return self._yes_no(self.readback_yes)

    def _yes_no(self, yes: bool) -> Utterance:
        """Yes or no, said or pressed (1 is yes, 2 is no)."""
        if self.rng.random() < self.w.rates["keypad"]:
            return Utterance(Act.PRESS, digits="1" if yes else "2")
        return self._said(self._pick("yes" if yes else "no"))

    def _matches(self, read: Say) -> bool:
        """Whether a read-back repeats what this caller said."""
        values = dict(read.values)
        if read.line_id == "readback_number":
            digits = "".join(ch for ch in str(values.get("digits", "")) if ch.isdigit())
            said = str(self.stated.get(Kind.NUMBER, ""))
            return bool(digits) and said.endswith(digits)
        if read.line_id == "readback_email":
            return values.get("email") == _spoken_email(str(self.stated.get(Kind.EMAIL, "")))
        # Any other read-back ("I heard 34 and Illinois", "I have Jamie Rivera", a name
        # spelled): every part must be something this caller said, letter for letter.
        heard = ", ".join(str(v) for v in values.values())
        parts = [w for part in heard.split(", ") for w in part.split(" and ")]
        known = {_letters(_word(v)) for v in self.stated.values()} | {
            _letters(self.w.state_names.get(str(v), "")) for v in self.stated.values()
        }
        if _letters(heard) in known:  # one value, perhaps spelled with commas between words
            return True
        pieces = [_letters(p) for p in parts if _letters(p)]
        return bool(pieces) and all(p in known for p in pieces)

    def _choose(self, offers: tuple[Offer, ...]) -> Utterance:
        """Pick one of the offers by position, weekday, date, time or clinician."""
        rng = self.rng
        if not offers:
            return self._said(self.rng.choice(self.w.picks["position"]).format(ordinal="first"))
        starts = [o.slot.start.astimezone(self.zone) for o in offers]
        if not self.asked_times and rng.random() < self.w.rates["other_times"]:
            self.asked_times = True
            day = rng.choice(starts).strftime("%A")
            text = rng.choice(self.w.picks["other_times"]).format_map(_Defaults({"weekday": day}))
            return Utterance(Act.SAY, text, wants_times=True)
        index = rng.randrange(len(offers))
        offer = offers[index]
        self.picked = offer
        mine = starts[index]
        styles: dict[str, dict[str, str]] = {"position": {"ordinal": _ORDINALS[index]}}
        if [s.weekday() for s in starts].count(mine.weekday()) == 1:
            styles["weekday"] = {"weekday": mine.strftime("%A")}
        if [s.date() for s in starts].count(mine.date()) == 1:
            styles["date"] = {"day": _ordinal_day(mine.day)}
        if [s.time() for s in starts].count(mine.time()) == 1:
            styles["time"] = {"clock": _clock(mine)}
        if [o.clinician for o in offers].count(offer.clinician) == 1:
            styles["clinician"] = {"clinician": offer.clinician}
        style = rng.choice(sorted(styles))
        template = rng.choice(self.w.picks[style])
        # "The 2nd please" is also "the second please": a position, when that many were read
        # and the one at it is another. Such words may fairly be asked about again.
        bare_day = style == "date" and "on the {day}" not in template
        self.pick_ambiguous = bare_day and mine.day <= len(offers) and index != mine.day - 1
        return self._said(template.format_map(_Defaults(styles[style])))


_ASKED_KIND = {
    "for_whom": Kind.FOR_WHOM,
    "age": Kind.AGE,
    "concern": Kind.CONCERN,
    "state": Kind.STATE,
    "modality": Kind.MODALITY,
    "telehealth": Kind.TELEHEALTH,
    "payment": Kind.PAYMENT,
    "payment_again": Kind.PAYMENT,
    "payer": Kind.PAYER,
    "availability": Kind.AVAILABILITY,
    "reminder": Kind.REMINDER,
    "email": Kind.EMAIL,
    "number": Kind.NUMBER,
    "consent": Kind.CONSENT,
    "name": Kind.NAME,
}


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _word(value: object) -> str:
    text = value.value if isinstance(value, StrEnum) else str(value)
    return text.replace("_", " ").lower()


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _spoken_number(e164: str, rng: random.Random) -> str:
    digits = e164[-10:]
    groups = (digits[:3], digits[3:6], digits[6:])
    style = rng.randrange(3)
    if style == 0:
        return " ".join(groups)
    if style == 1:
        return "-".join(groups)
    return ", ".join(" ".join(g) for g in groups)


def _spoken_email(address: str) -> str:
    spoken = address.replace("@", " at ").replace(".", " dot ")
    return spoken.replace("_", " underscore ").replace("-", " dash ")


def _ordinal_day(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    half = "am" if moment.hour < 12 else "pm"
    return f"{hour} {half}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {half}"


_FIRST_PERSON = frozenset({"i", "i'm", "i've", "i'd", "me", "my", "myself"})


def _names_client(template: str, for_whom: ForWhom) -> bool:
    """Whether a concern's words say whom the care is for: the relative named, or the caller
    speaking of themselves when the care is for them."""
    if "{relation}" in template:
        return True
    spoken = {w.strip(".,!?").lower() for w in template.replace("’", "'").split()}
    return for_whom is ForWhom.SELF and bool(spoken & _FIRST_PERSON)
