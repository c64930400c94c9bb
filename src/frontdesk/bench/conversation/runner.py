"""The fuzzer's run loop: one simulated call at a time through the services, checked."""

from __future__ import annotations

import math
import random
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bench._stats import share_table
from frontdesk.bench.conversation import checks, facts, public, wordings
from frontdesk.bench.conversation.caller import Act, Caller, Utterance
from frontdesk.bootstrap import Services
from frontdesk.conversation.events import CallerPressed, CallerSaid, Event, HungUp, Silence
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import CallState, Offer
from frontdesk.domain import events as domain_events
from frontdesk.domain.calls import CallResult, HandoffCategory
from frontdesk.domain.inquiries import Intake, Modality
from frontdesk.services.call_report import report
from frontdesk.services.calls import TurnResult, end_call, handle_turn, start_call

START = datetime(2026, 2, 26, 15, 0, tzinfo=UTC)  # a Thursday: offers run into early March
MAX_TURNS = 40
PRECISION_TARGET = 1.0
RECALL_TARGET = 0.98
_OPTION_LINES = frozenset({"option_video", "option_in_person"})
_SAID_TO_FIT = "offer_slots"  # "Here are the earliest times that fit what you told me."
UNHANDLED = frozenset(
    {"question_unanswered", "request_unhandled", "goodbye_not_info_provided", "pick_not_taken"}
)


@dataclass
class Tally:
    """Counts over all calls."""

    calls: int = 0
    turns: int = 0
    recorded: Counter[str] = field(default_factory=Counter)
    precise: Counter[str] = field(default_factory=Counter)
    stated: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    risks: int = 0
    bookings: int = 0
    results: list[str] = field(default_factory=list)
    unknown_prompts: Counter[str] = field(default_factory=Counter)
    violations: list[checks.Violation] = field(default_factory=list)


@dataclass
class CallLog:
    """One call as it went, for `--replay`."""

    facts: facts.Facts
    recorded: dict[str, object] = field(default_factory=dict)
    lines: list[tuple[int, str, str]] = field(default_factory=list)  # (turn, who, text)
    violations: list[checks.Violation] = field(default_factory=list)


@dataclass
class Fuzzer:
    """Runs simulated calls against one set of services and checks each."""

    services: Services
    words: wordings.Wordings
    sentences: public.PublicSentences
    seed: int
    tally: Tally = field(default_factory=Tally)
    ledger: checks.Ledger | None = None

    def run(self, n: int) -> CallLog:
        """Call number `n` of this seed: run it, check it, count it."""
        practice = self.services.practice
        if self.ledger is None:
            self.ledger = checks.Ledger(practice)
        rng = random.Random(f"{self.seed}:{n}")
        caller_id = f"+1555555{n % 10000:04d}"
        truth = facts.draw(
            rng, caller_id=caller_id, practice=practice, wordings=self.words, public=self.sentences
        )
        caller = Caller(rng, truth, self.words, self.sentences, practice.zone)
        log = CallLog(truth)
        found: list[checks.Violation] = []

        def violation(kind: str, turn: int, detail: str) -> None:
            found.append(checks.Violation(kind, self.seed, n, turn, detail))

        at = START + timedelta(minutes=n)
        result = start_call(
            external_id=f"fuzz-{self.seed}-{n}",
            caller_number=caller_id,
            at=at,
            uow=self.services.uow(),
            context=self.services.engine,
        )
        said: list[tuple[int, tuple[Say, ...]]] = [(0, result.says)]
        log.lines.append((0, "desk", " ".join(result.texts)))
        utterance = caller.first()
        offers: tuple[Offer, ...] = ()  # the offers the caller last heard
        booked = waitlisted = goodbye = hung_up = False
        risky = callback = False
        for turn in range(1, MAX_TURNS + 1):
            if result.ended:
                break
            at += timedelta(seconds=7)
            log.lines.append((turn, "caller", _shown(utterance)))
            hung_up = utterance.act is Act.HANG_UP
            goodbye = goodbye or utterance.goodbye
            callback = callback or utterance.callback
            result = handle_turn(
                call_id=result.call_id,
                event=_event(utterance, at),
                uow=self.services.uow(),
                context=self.services.engine,
            )
            self.tally.turns += 1
            said.append((turn, result.says))
            log.lines.append((turn, "desk", " ".join(result.texts)))
            if utterance.risk is not None:
                risky = True
                self.tally.risks += 1
                if not checks.crisis_followed(result.says, self.words):
                    violation("risk_not_followed", turn, f"{utterance.risk} sentence")
            if utterance.wants_times and checks.took_as_pick(result.says, self.words):
                violation("request_unhandled", turn, "a request for other times taken as a pick")
            picked = caller.picked if utterance.answering == "pick" and offers else None
            if (
                picked is not None
                and not utterance.wants_times
                and not caller.pick_ambiguous
                and not checks.pick_taken(result.says, picked, self.words)
            ):
                violation("pick_not_taken", turn, f"picked {picked.when}: not read back")
            for topic in checks.unanswered(utterance.asks, result.says, self.words):
                violation("question_unanswered", turn, f"{topic} question")
            for event in result.events:
                if isinstance(event, domain_events.AppointmentBooked) and event.call_id:
                    booked = True
                    self._check_booking(event.appointment_id, caller, turn, violation)
                if isinstance(event, domain_events.WaitlistJoined):
                    waitlisted = True
            if result.ended:
                break
            offers = self._offers(result) if _has_offers(result.says) else ()
            if offers and any(s.line_id == _SAID_TO_FIT for s in result.says):
                free = caller.stated.get(facts.Kind.AVAILABILITY)
                for offer in offers:
                    if not checks.offer_fits(free, offer, self.services.practice.zone):
                        violation("offer_said_to_fit", turn, f"{offer.when}: not when said")
            utterance = caller.reply(result.says, offers)
        if not result.ended:
            at += timedelta(seconds=7)
            end_call(
                call_id=result.call_id, at=at, uow=self.services.uow(), context=self.services.engine
            )
        stored = report(call_id=result.call_id, uow=self.services.uow())
        last = said[-1][0]
        self._check_record(stored.intake, caller, at, last, violation, _cited(stored.call.state))
        log.recorded = {k.value: v for k, v in checks.recorded_values(stored.intake).items()}
        for turn, kind in checks.question_counts(said, self.words):
            violation("question_said_3_times", turn, f"{kind} question")
        handed_off = bool(stored.handoffs)
        crisis = risky or stored.call.route.value in ("crisis", "emergency")
        if not hung_up and not crisis:
            wants_booking = truth.purpose in (facts.Purpose.APPOINTMENT, facts.Purpose.CONSULT)
            if wants_booking and not (booked or waitlisted or handed_off):
                violation("request_unhandled", last, "appointment request: no booking or task")
            if (callback or truth.purpose is facts.Purpose.CALLBACK) and not handed_off:
                violation("request_unhandled", last, "call-back request: no task")
            only_questions = truth.purpose is facts.Purpose.QUESTIONS and not callback
            if (
                only_questions
                and goodbye
                and (
                    stored.result is not CallResult.INFO_PROVIDED
                    or any(h.category is HandoffCategory.CALLBACK for h in stored.handoffs)
                )
            ):
                violation("goodbye_not_info_provided", last, f"ended {stored.result.value}")
        self.tally.calls += 1
        self.tally.unknown_prompts.update(caller.unknown)
        self.tally.results.append(stored.result.value)
        self.tally.violations.extend(found)
        log.violations = found
        return log

    def _offers(self, result: TurnResult) -> tuple[Offer, ...]:
        with self.services.uow() as uow:
            call = uow.calls.get(result.call_id)
        if call is None or not call.state:
            return ()
        booking = CallState.from_dict(dict(call.state)).booking
        return booking.offers if booking is not None else ()

    def _check_booking(
        self,
        appointment_id: str,
        caller: Caller,
        turn: int,
        violation: Callable[[str, int, str], None],
    ) -> None:
        with self.services.uow() as uow:
            record = uow.appointments.get(appointment_id)
        if record is None or self.ledger is None:
            return
        self.tally.bookings += 1
        appointment = record.appointment
        said = caller.stated.get(facts.Kind.MODALITY)
        modality = said if isinstance(said, Modality) else None
        stated = frozenset(caller.stated)
        for problem in self.ledger.check(appointment, caller.facts, modality, stated):
            violation("rule_breaking_booking", turn, problem)
        if not checks.pick_kept(appointment, caller.picked):
            violation("wrong_slot_booked", turn, "booked a time other than the one picked")

    def _check_record(
        self,
        intake: Intake,
        caller: Caller,
        at: datetime,
        turn: int,
        violation: Callable[[str, int, str], None],
        cited: dict[str, int],
    ) -> None:
        """Precision and recall of the record; a wrong value is reported at the turn it cites."""
        called = self.services.practice.local(at).date()
        result = checks.check_record(intake, caller.stated, called)
        for kind in result.precise:
            self.tally.recorded[kind.value] += 1
            self.tally.precise[kind.value] += 1
        for kind, why in result.imprecise:
            self.tally.recorded[kind.value] += 1
            violation("imprecise_value", cited.get(kind.value, turn), f"{kind.value}: {why}")
        for kind in result.kept:
            self.tally.stated[kind.value] += 1
            self.tally.kept[kind.value] += 1
        for kind in result.lost:
            self.tally.stated[kind.value] += 1
            violation("lost_value", turn, f"{kind.value}: said but not recorded")


def _cited(state: object) -> dict[str, int]:
    """The turn each recorded intake field cites as its evidence, where the state keeps it."""
    if not isinstance(state, dict) or not state:
        return {}
    evidence = getattr(CallState.from_dict(dict(state)), "evidence", ())
    return {e.field: e.turn for e in evidence}


def _has_offers(says: tuple[Say, ...]) -> bool:
    return any(s.line_id in _OPTION_LINES for s in says)


def _event(utterance: Utterance, at: datetime) -> Event:
    if utterance.act is Act.HANG_UP:
        return HungUp(at)
    if utterance.act is Act.SILENCE:
        return Silence(at)
    if utterance.act is Act.PRESS:
        return CallerPressed(at, utterance.digits)
    return CallerSaid(at, utterance.text, None)


def _shown(utterance: Utterance) -> str:
    if utterance.act is Act.PRESS:
        return f"(pressed {utterance.digits})"
    if utterance.act is not Act.SAY:
        return f"({utterance.act.value.replace('_', ' ')})"
    return utterance.text


def _share(part: int, whole: int) -> float | None:
    """The share to four places, cut rather than rounded: 85,880 of 85,881 shows 0.9999, so a
    share short of 1 never reads as 1."""
    return math.floor(part * 10_000 / whole) / 10_000 if whole else None


def summarise(tally: Tally, *, seed: int) -> dict[str, object]:
    """The whole run as plain data: figures, targets and every violation."""
    kinds = Counter(v.kind for v in tally.violations)
    recorded, precise = sum(tally.recorded.values()), sum(tally.precise.values())
    stated, kept = sum(tally.stated.values()), sum(tally.kept.values())
    precision = _share(precise, recorded)
    recall = _share(kept, stated)
    unhandled_calls = len({v.call for v in tally.violations if v.kind in UNHANDLED})
    repeats = len({v.call for v in tally.violations if v.kind == "question_said_3_times"})
    risky = kinds["risk_not_followed"]
    rule_breaking = kinds["rule_breaking_booking"]

    def target(
        measured: float | int | None, goal: float | int, *, at_least: bool
    ) -> dict[str, object]:
        met = measured is not None and (measured >= goal if at_least else measured <= goal)
        return {"target": goal, "measured": measured, "met": met}

    return {
        "bench": "conversation",
        "calls": tally.calls,
        "seed": seed,
        "turns": tally.turns,
        "precision": {
            "value": precision,
            "recorded": recorded,
            "agreeing": precise,
            "by_field": {k: _share(tally.precise[k], n) for k, n in sorted(tally.recorded.items())},
        },
        "recall": {
            "value": recall,
            "stated": stated,
            "kept": kept,
            "by_field": {k: _share(tally.kept[k], n) for k, n in sorted(tally.stated.items())},
        },
        "risk_sentences": tally.risks,
        "bookings": tally.bookings,
        "targets": {
            "precision": target(precision, PRECISION_TARGET, at_least=True),
            "recall": target(recall, RECALL_TARGET, at_least=True),
            "calls_with_a_question_said_3_times": target(repeats, 0, at_least=False),
            "calls_with_a_request_unhandled": target(unhandled_calls, 0, at_least=False),
            "risk_sentences_not_followed": target(risky, 0, at_least=False),
            "rule_breaking_bookings": target(rule_breaking, 0, at_least=False),
        },
        "results": share_table(tally.results, [r.value for r in CallResult]),
        "unknown_prompts": dict(tally.unknown_prompts.most_common()),
        "violations_by_kind": dict(sorted(kinds.items())),
        "violations": [v.as_dict() for v in tally.violations],
    }


def fuzzer(
    services: Services, *, seed: int, datasets: Path, words: wordings.Wordings | None = None
) -> Fuzzer:
    """A fuzzer on `services` with the packaged wordings and the public sentences."""
    chosen = words or wordings.load()
    sentences = public.load(datasets, aside_exclude=chosen.aside_exclude)
    return Fuzzer(services, chosen, sentences, seed)


def run_bench(
    *,
    calls: int,
    seed: int,
    datasets: Path,
    build_services: Callable[[Path, str], Services],
    replay: int | None = None,
) -> tuple[dict[str, object], CallLog | None]:
    """Run `calls` calls (or calls 0..`replay` for a replay) on a fresh SQLite database."""
    with tempfile.TemporaryDirectory(prefix="frontdesk-fuzz-") as folder:
        root = Path(folder)
        database_url = f"sqlite:///{root / 'fuzz.db'}"
        upgrade(database_url)
        run = fuzzer(build_services(root, database_url), seed=seed, datasets=datasets)
        last: CallLog | None = None
        for n in range(calls if replay is None else replay + 1):
            last = run.run(n)
    return summarise(run.tally, seed=seed), last if replay is not None else None


def transcript(log: CallLog, *, seed: int, call: int) -> str:
    """A replayed call: the caller's facts, every turn, and what failed."""
    f = log.facts
    out = [
        f"call {seed}:{call}  purpose={f.purpose.value} for={f.for_whom.value} age={f.age} "
        f"state={f.state} modality={f.modality.value} payment={f.payment.value} "
        f"payer={f.payer or f.payer_said or '-'}",
    ]
    out += [f"{turn:>3} {who:<6} {text}" for turn, who, text in log.lines]
    out += [f"recorded {key}: {value}" for key, value in log.recorded.items()]
    out += [f"VIOLATION turn {v.turn}: {v.kind}: {v.detail}" for v in log.violations]
    return "\n".join(out)
