"""What the fuzzer checks, each against the caller's facts and words, never the system's record.

- the record: every value recorded agrees with what the caller said (precision), and every
  fact said is recorded (recall);
- no question said a third time; every question the caller asked is answered;
- every risk sentence is followed by the crisis path or the direct safety question;
- every booking keeps the practice file's rules for this client, and is the time picked;
- every offer picked is read back to confirm, never taken as a wish for other times;
- offers said to fit what the caller told ("the earliest times that fit what you told me")
  fit the availability the caller said.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.bench.conversation.facts import Facts, Kind
from frontdesk.bench.conversation.public import TimeSaid
from frontdesk.bench.conversation.wordings import Availability, Wordings
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import Offer
from frontdesk.domain.appointments import Appointment
from frontdesk.domain.inquiries import AgeGroup, AvailabilityWindow, Intake, Modality, Payment
from frontdesk.domain.practice import Practice, ServiceKind


@dataclass(frozen=True, slots=True)
class Violation:
    """One failed check, with what replays it: `--replay SEED:CALL` shows the turn."""

    kind: str
    seed: int
    call: int
    turn: int
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "replay": f"{self.seed}:{self.call}",
            "turn": self.turn,
            "detail": self.detail,
        }


def recorded_values(intake: Intake) -> dict[Kind, object]:
    """The values the intake holds, by the kind of fact each records."""
    values: dict[Kind, object] = {
        Kind.FOR_WHOM: intake.for_whom,
        Kind.AGE: intake.client_age,
        Kind.NAME: intake.client_name,
        Kind.STATE: intake.state,
        Kind.MODALITY: intake.modality,
        Kind.PAYMENT: intake.payment,
        Kind.PAYER: intake.payer,
        Kind.OUT_OF_NETWORK: intake.out_of_network_payer,
        Kind.CONCERN: intake.concern,
        Kind.AVAILABILITY: intake.availability or None,
        Kind.REMINDER: intake.reminder_preference,
        Kind.EMAIL: intake.email,
        Kind.NUMBER: intake.callback_number,
        Kind.CONSENT: intake.consent_to_text,
    }
    tc = intake.telehealth_constraints
    answers = () if tc is None else (tc.private_space, tc.device, tc.connection)
    values[Kind.TELEHEALTH] = tuple(a for a in answers if a is not None) or None
    return {k: v for k, v in values.items() if v is not None and v != ""}


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """Per kind of fact: recorded values that agree or not, facts said that were kept or not."""

    precise: tuple[Kind, ...]
    imprecise: tuple[tuple[Kind, str], ...]  # (kind, why)
    kept: tuple[Kind, ...]
    lost: tuple[Kind, ...]


def check_record(intake: Intake, stated: dict[Kind, object], called: date) -> RecordCheck:
    """Compare the recorded intake with the latest value of each fact the caller said."""
    recorded = recorded_values(intake)
    precise: list[Kind] = []
    imprecise: list[tuple[Kind, str]] = []
    for kind, value in recorded.items():
        if kind not in stated:
            imprecise.append((kind, "recorded but never said"))
        elif _agrees(kind, value, stated[kind], called):
            precise.append(kind)
        else:
            imprecise.append((kind, "recorded differs from what was said"))
    kept = [k for k in stated if k in recorded and _agrees(k, recorded[k], stated[k], called)]
    if _insured_out_of_network(recorded, stated, called):
        kept.append(Kind.PAYMENT)
    lost = [k for k in stated if k not in kept]
    return RecordCheck(tuple(precise), tuple(imprecise), tuple(kept), tuple(lost))


def _insured_out_of_network(
    recorded: dict[Kind, object], stated: dict[Kind, object], called: date
) -> bool:
    """Insurance said with an insurer the practice does not list, and no other way to pay:
    the record keeps it as "insurance, out of network: <insurer>", never as `payment`
    insurance (which matching and booking read as in network)."""
    if stated.get(Kind.PAYMENT) is not Payment.INSURANCE or Kind.PAYMENT in recorded:
        return False
    said, kept = stated.get(Kind.OUT_OF_NETWORK), recorded.get(Kind.OUT_OF_NETWORK)
    return (
        said is not None and kept is not None and _agrees(Kind.OUT_OF_NETWORK, kept, said, called)
    )


def _agrees(kind: Kind, recorded: object, said: object, called: date) -> bool:
    if kind is Kind.NAME:
        got, truth = _tokens(str(recorded)), _tokens(str(said))
        return bool(got) and set(got) <= set(truth)
    if kind is Kind.EMAIL:
        return str(recorded).lower() == str(said).lower()
    if kind is Kind.CONCERN:
        return str(said).lower() in str(recorded).lower()
    if kind is Kind.OUT_OF_NETWORK:
        # The insurer's name as the practice knows it ("Kaiser Permanente" for "Kaiser").
        named, spoken = set(_tokens(str(recorded))), set(_tokens(str(said)))
        return bool(named) and bool(spoken) and (spoken <= named or named <= spoken)
    if kind is Kind.TELEHEALTH:
        return isinstance(recorded, tuple) and all(a is said for a in recorded)
    if kind is Kind.AVAILABILITY:
        windows = recorded if isinstance(recorded, tuple) else ()
        return all(_window_agrees(w, said, called) for w in windows)
    return recorded == said


def _tokens(text: str) -> list[str]:
    return [t for t in "".join(c if c.isalpha() else " " for c in text.lower()).split() if t]


def _window_agrees(window: AvailabilityWindow, said: object, called: date) -> bool:
    if isinstance(said, Availability):
        days = said.weekdays
        if days and window.weekdays and not window.weekdays <= days:
            return False
        if days and window.on is not None and window.on.weekday() not in {d.number for d in days}:
            return False
        return _overlaps(window.start, window.end, said.start, said.end)
    if not isinstance(said, TimeSaid):
        return False
    meant = _date_meant(said, called)
    if window.on is not None:
        if meant is not None and window.on != meant:
            return False
        if said.weekday is not None and window.on.weekday() != said.weekday.number:
            return False
    if window.weekdays:
        weekday = meant.weekday() if meant is not None else None
        if said.weekday is not None:
            weekday = said.weekday.number
        if weekday is not None and {d.number for d in window.weekdays} != {weekday}:
            return False
    if window.start is None and window.end is None:
        return True
    if said.clock is None:
        return said.from_now  # "later today" starts now; otherwise no time of day was said
    clocks = [said.clock]
    if said.hour_either and said.clock.hour < 12:
        clocks.append(said.clock.replace(hour=said.clock.hour + 12))
    return any(_within(c, window.start, window.end) for c in clocks)


def _date_meant(said: TimeSaid, called: date) -> date | None:
    if said.offset is not None:
        return called + timedelta(days=said.offset)
    if said.day is None:
        return None
    if said.month is not None:
        # "the 1st of March" said on the 2nd of March is next year's, as it would be on a calendar.
        for year in (called.year, called.year + 1):
            if said.day <= calendar.monthrange(year, said.month)[1]:
                named = date(year, said.month, said.day)
                if named >= called:
                    return named
        return None
    day = called
    for _ in range(62):
        if day.day == said.day:
            return day
        day += timedelta(days=1)
    return None


def _within(clock: time, start: time | None, end: time | None) -> bool:
    if start is not None and end is not None and end <= start:  # a window across midnight
        return clock >= start or clock < end
    return (start is None or start <= clock) and (end is None or clock < end)


def _overlaps(a0: time | None, a1: time | None, b0: time | None, b1: time | None) -> bool:
    low, high = time.min, time.max
    return (a0 or low) < (b1 or high) and (b0 or low) < (a1 or high)


def question_counts(
    turns: Iterable[tuple[int, tuple[Say, ...]]], wordings: Wordings
) -> list[tuple[int, str]]:
    """(turn, kind) where a question is said for the third time in one call."""
    counts: Counter[str] = Counter()
    over: list[tuple[int, str]] = []
    for turn, says in turns:
        kinds = {wordings.question(s.line_id) for s in says}
        for kind in sorted(k for k in kinds if k in wordings.repeat_limited):
            counts[kind] += 1
            if counts[kind] == 3:
                over.append((turn, kind))
    return over


def unanswered(topics: Iterable[str], says: tuple[Say, ...], wordings: Wordings) -> list[str]:
    """The topics asked that no line of the reply answers."""
    lines = {s.line_id for s in says}
    if lines & wordings.answers.get("any", frozenset()):
        return []
    return [t for t in topics if not lines & wordings.answers[t]]


def took_as_pick(says: tuple[Say, ...], wordings: Wordings) -> bool:
    """Whether the reply asks to confirm a time, as if the caller had picked one."""
    return any(wordings.question(s.line_id) == "confirm_slot" for s in says)


def pick_taken(says: tuple[Say, ...], picked: Offer, wordings: Wordings) -> bool:
    """Whether the reply to a pick reads that offer back to confirm it.

    The caller names an offer only in words that fit it alone (its position, or a weekday,
    date, time or clinician no other offer shares), so any other reply misses the pick.
    """
    for s in says:
        if wordings.question(s.line_id) == "confirm_slot":
            values = dict(s.values)
            return values.get("when") == picked.when and values.get("clinician") == (
                picked.clinician
            )
    return False


def offer_fits(said: object, offer: Offer, zone: ZoneInfo) -> bool:
    """Whether an offer read as fitting what the caller said fits the availability they said.

    Judged only where the words leave no doubt: the weekdays and the hours of availability
    said in the caller's own words ("Mondays and Wednesdays after 3"), and the weekday of a
    day named from SGD. A session must start and end inside the hours said.
    """
    start, end = offer.slot.start.astimezone(zone), offer.slot.end.astimezone(zone)
    if isinstance(said, Availability):
        days = {d.number for d in said.weekdays}
        if days and start.weekday() not in days:
            return False
        if said.start is not None and start.time() < said.start:
            return False
        return said.end is None or (end.date() == start.date() and end.time() <= said.end)
    if isinstance(said, TimeSaid) and said.weekday is not None:
        return start.weekday() == said.weekday.number
    return True


def crisis_followed(says: tuple[Say, ...], wordings: Wordings) -> bool:
    """Whether the reply took the crisis path or asked the direct safety question."""
    return any(s.line_id in wordings.crisis_lines for s in says)


@dataclass
class Ledger:
    """Every booking the fuzzer saw, to check capacity and double booking across calls."""

    practice: Practice
    busy: dict[str, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    first_sessions: Counter[tuple[str, date]] = field(default_factory=Counter)

    def check(
        self,
        appointment: Appointment,
        facts: Facts,
        said_modality: Modality | None,
        stated: frozenset[Kind] = frozenset(),
    ) -> list[str]:
        """The practice-file rules this booking breaks for this client.

        A rule broken on a fact the caller never said is marked "(never said)": the booking
        is still wrong for the client, but the cause is a question skipped or unasked.
        """
        problems = self._problems(appointment, facts, said_modality)
        return [p if _said_for(p, stated) else f"{p} (never said)" for p in problems]

    def _problems(
        self, appointment: Appointment, facts: Facts, said_modality: Modality | None
    ) -> list[str]:
        practice = self.practice
        problems: list[str] = []
        clinician = practice.clinician(appointment.clinician_id)
        if clinician is None:
            return ["clinician not in the practice file"]
        if not clinician.accepting_new_clients:
            problems.append("clinician not accepting new clients")
        video = appointment.modality is Modality.TELEHEALTH
        # Licensure follows where the client is during the session: at home for video, at
        # the office in person.
        office = next((o for o in practice.locations if o.id == appointment.location_id), None)
        where = facts.state if video else (office.state if office is not None else None)
        if where not in clinician.licensed_states:
            problems.append("clinician not licensed where the client is during the session")
        if appointment.modality not in clinician.modalities:
            problems.append("modality the clinician does not offer")
        service = practice.service(appointment.kind)
        if service is not None and not (service.telehealth if video else service.in_person):
            problems.append(f"{appointment.kind.value} booked {appointment.modality.value}")
        if not video and appointment.location_id not in clinician.locations:
            problems.append("in person at a location the clinician does not work at")
        allowed = {Modality.IN_PERSON: Modality.IN_PERSON, Modality.TELEHEALTH: Modality.TELEHEALTH}
        wanted = allowed.get(said_modality) if said_modality is not None else None
        offered = service is None or (service.in_person and service.telehealth)
        if wanted is not None and offered and appointment.modality is not wanted:
            problems.append("modality other than the one the caller asked for")
        if (
            facts.payment is Payment.INSURANCE
            and facts.payer
            and facts.payer not in clinician.payers
        ):
            problems.append("clinician out of network for the client's payer")
        if AgeGroup.for_age(facts.age) not in clinician.age_groups:
            problems.append("clinician does not see the client's age group")
        if appointment.kind is ServiceKind.FIRST_SESSION:
            week = _week(appointment.start, practice.zone)
            self.first_sessions[(clinician.id, week)] += 1
            if self.first_sessions[(clinician.id, week)] > clinician.new_client_capacity:
                problems.append("over the clinician's new-client capacity for the week")
        taken = self.busy.setdefault(clinician.id, [])
        if any(s < appointment.end and appointment.start < e for s, e in taken):
            problems.append("double booking")
        taken.append((appointment.start, appointment.end))
        return problems


_RULE_FACTS = {
    "clinician not licensed where the client is during the session": Kind.STATE,
    "clinician out of network for the client's payer": Kind.PAYER,
    "clinician does not see the client's age group": Kind.AGE,
}


def _said_for(problem: str, stated: frozenset[Kind]) -> bool:
    kind = _RULE_FACTS.get(problem)
    return kind is None or kind in stated


def pick_kept(appointment: Appointment, picked: Offer | None) -> bool:
    """Whether the booking is the offer the caller picked (True when nothing was picked)."""
    if picked is None:
        return True
    slot = picked.slot
    return slot.start == appointment.start and slot.clinician_id == appointment.clinician_id


def _week(moment: datetime, zone: ZoneInfo) -> date:
    local = moment.astimezone(zone).date()
    return local - timedelta(days=local.weekday())
