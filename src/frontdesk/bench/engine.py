"""`frontdesk bench engine`: per-turn latency of the call engine and of a whole stored turn.

Generates varied synthetic calls from a seeded generator: a caller who answers whatever
the front desk asked, with some silences, "repeat that", questions mid-intake, corrections,
crisis language and hang-ups. Every call runs through the real services on a fresh SQLite
database (the whole turn: load state, safety screen, understanding, flow, store the turn,
state, inquiry and hand-offs, commit); the same events are then replayed through the pure
`step` alone. The whole turns run with a keyring that times every value it seals or opens
and every blind index it computes, so the report says what field encryption costs a turn.
It also reports how often understanding finds the appointment dates and times
annotated in the SGD therapist dialogues (dev and test separately).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.encryption import configured
from frontdesk.bench._encryption import CryptoMeter
from frontdesk.bench._options import add_common_options, datasets_dir
from frontdesk.bench._stats import latency_summary, print_report, share_table
from frontdesk.bench.sgd_dates import sgd_date_time_recall
from frontdesk.bootstrap import Services, build
from frontdesk.config import Settings
from frontdesk.conversation.engine import step
from frontdesk.conversation.events import (
    CallerPressed,
    CallerSaid,
    CallStarted,
    Event,
    HungUp,
    Silence,
)
from frontdesk.conversation.state import CallState
from frontdesk.domain.appointments import ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calls import CallResult
from frontdesk.domain.errors import SlotUnavailable
from frontdesk.services import appointments, clients
from frontdesk.services.call_report import report
from frontdesk.services.calls import TurnResult, end_call, handle_turn, start_call

_T = TypeVar("_T")

ENGINE_P99_TARGET_MS = 5.0
WHOLE_TURN_P99_TARGET_MS = 20.0
START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # a Tuesday, front desk open
MAX_TURNS = 24
TAKEN_SHARE = 0.15  # of confirmations, the time is booked by staff just before "yes"
CONFIRM_LINES = frozenset({"confirm_slot_video", "confirm_slot_in_person"})

PURPOSES = (
    "Hi, I'm looking for a therapist for myself",
    "I need counseling for my teenage daughter",
    "I'd like to book a free consultation",
    "can I get on your waitlist",
    "um hi yeah i wanna start therapy for me and my husband",
    "I need to reschedule my appointment on Thursday",
    "I have to cancel my session tomorrow",
    "I'm a current client and I have a question about billing",
    "do you take Blue Cross?",
    "how much does a session cost",
    "do you offer video sessions?",
    "does anyone there work with trauma?",
    "I'd like to leave a message",
    "can I talk to a real person",
    "what are your hours?",
    "are you a robot?",
)
ANSWERS: dict[str, tuple[str, ...]] = {
    "ask_for_whom": ("it's for me", "for my son", "my wife", "for my daughter, she's 15"),
    "ask_age_self": ("I'm 34", "twenty nine", "52", "I'm sixty"),
    "ask_age_child": ("he's 12", "she is nine", "fifteen"),
    "ask_age_other": ("she's 41", "he is 38", "70"),
    "ask_concern": (
        "anxiety mostly",
        "we've been arguing a lot",
        "I'd rather not say",
        "trouble sleeping and stress at work",
    ),
    "ask_state": ("Illinois", "Wisconsin", "I'm in Indiana", "Ohio", "Minnesota"),
    "ask_modality": ("in person", "video please", "either is fine", "telehealth"),
    "ask_modality_again": ("yes", "no"),
    "ask_telehealth_setup": ("yes", "yes I have a laptop", "no, I share a room"),
    "ask_payment": ("insurance", "private pay", "sliding scale", "we have Aetna", "I have Kaiser"),
    "ask_payment_again": ("private pay", "sliding scale"),
    "ask_payer": ("Aetna", "Cigna", "United Healthcare", "Blue Cross Blue Shield"),
    "ask_availability": ("weekday evenings", "Tuesday mornings", "after 5", "weekends only"),
    "ask_reminder": ("text", "email", "a phone call", "text me please"),
    "ask_callback_known": ("yes", "yes that's fine", "no"),
    "ask_callback_number": ("312 555 0123", "it's 608-555-0142", "DIGITS"),
    "readback_number": ("yes", "that's right", "no"),
    "readback_value": ("yes", "no"),
    "ask_consent_to_text": ("yes", "no thanks"),
    "ask_client_name": ("Jamie Rivera", "Alex Kim", "it's Sam Lee"),
    "ask_name_self": ("Jamie Rivera", "it's Alex Kim"),
    "ask_new_client_name": ("Sam Lee", "her name is Robin Kim"),
    "readback_name": ("yes", "that's right"),
    "ask_existing_need": ("I want to reschedule", "cancel please", "a billing question"),
    "ask_message": ("Please tell Dr. Okafor I will be late today", "call me back about openings"),
    "offer_message": ("please have someone call me back", "never mind"),
    "message_empty": ("sorry, please call me back",),
    "anything_else": ("no that's all, thanks", "yes, I'd like to start therapy", "no"),
    # Booking in the call: the times read aloud end with "Which one would suit you?".
    "which_slot": (
        "the first one",
        "the first one",
        "the second one",
        "the third one please",
        "anything else?",
        "do you have other times?",
    ),
    "confirm_slot_video": ("yes", "yes please", "yes", "no"),
    "confirm_slot_in_person": ("yes", "yes that works", "yes", "no"),
    "no_fit_waitlist_or_callback": ("yes", "please put me on the waitlist", "no"),
    "ask_purpose": PURPOSES,
    "ask_new_or_existing": ("no, I'm new", "yes", "it's my first time"),
    "say_yes_or_no": ("yes", "no"),
}
NOISE = (
    "sorry, can you repeat that?",
    "which insurances do you take?",
    "actually, I'll be in Wisconsin for sessions",
    "hold on one second",
    "no, my number is 312 555 0188",
)
CRISIS = (
    "honestly I don't want to live anymore",
    "I've been thinking about killing myself",
    "my son just took a whole bottle of pills",
)


@dataclass
class _Caller:
    """A synthetic caller who answers the last question asked, sometimes off script."""

    rng: random.Random

    def first(self) -> str:
        return self.rng.choice(PURPOSES)

    def reply(self, last_line: str | None) -> str | None:
        """The next utterance; None for silence, `DIGITS` for keypad input."""
        roll = self.rng.random()
        if roll < 0.05:
            return None
        if roll < 0.10:
            return self.rng.choice(NOISE)
        if roll < 0.115:
            return self.rng.choice(CRISIS)
        pool = ANSWERS.get(last_line or "", ("yes", "okay", "hmm"))
        return self.rng.choice(pool)


@dataclass(slots=True)
class TurnTimes:
    """Each whole turn's time, and the field-encryption work done inside the turns."""

    meter: CryptoMeter
    durations: list[float]
    crypto_operations: int = 0
    crypto_seconds: float = 0.0

    def time(self, run: Callable[..., _T], /, **arguments: Any) -> _T:
        """`run(**arguments)`, timed as one whole turn."""
        operations, seconds = self.meter.operations, self.meter.seconds
        started = time.perf_counter()
        result = run(**arguments)
        self.durations.append(time.perf_counter() - started)
        self.crypto_operations += self.meter.operations - operations
        self.crypto_seconds += self.meter.seconds - seconds
        return result

    def encryption(self) -> dict[str, float]:
        """Per whole turn on average: operations, microseconds, and share of the turn's time."""
        turns = max(len(self.durations), 1)
        total = sum(self.durations)
        return {
            "operations_per_turn": round(self.crypto_operations / turns, 2),
            "microseconds_per_turn": round(self.crypto_seconds / turns * 1e6, 1),
            "share_of_turn_time": round(self.crypto_seconds / total, 4) if total else 0.0,
        }


def _event(utterance: str | None, at: datetime, rng: random.Random) -> Event:
    if utterance is None:
        return Silence(at)
    if utterance == "DIGITS":
        return CallerPressed(at, "3125550177")
    confidence = round(rng.uniform(0.3, 0.99), 2) if rng.random() < 0.3 else None
    return CallerSaid(at, utterance, confidence)


def _last_line(result: TurnResult) -> str | None:
    return result.says[-1].line_id if result.says else None


def _take_chosen(services: Services, call_id: str, at: datetime, client_id: str) -> None:
    """Staff book the time this caller is about to confirm (untimed): "that time was just taken"."""
    with services.uow() as uow:
        call = uow.calls.get(call_id)
    booking = CallState.from_dict(dict(call.state)).booking if call is not None else None
    if booking is None or booking.chosen is None:
        return
    # A time already gone is left as it is: the caller hears "that time was just taken" anyway.
    with contextlib.suppress(SlotUnavailable):
        appointments.book(
            slot=booking.chosen.slot,
            client=ClientRef(client_id=client_id),
            at=at,
            uow=services.uow(),
            practice=services.practice,
            booked_by_ai=False,
            source=BookingSource.STAFF,
        )


def run_calls(
    services: Services, calls: int, seed: int, turns: TurnTimes
) -> tuple[list[list[Event]], list[str]]:
    """Run synthetic calls through the services, timing each whole turn into `turns`; their
    events and results."""
    rng = random.Random(seed)
    walk_in = clients.add(
        name="Walk In",
        date_of_birth=date(1980, 1, 1),
        phone="+15555550100",
        at=START,
        uow=services.uow(),
    )
    transcripts: list[list[Event]] = []
    outcomes: list[str] = []
    for n in range(calls):
        caller = _Caller(rng)
        at = START + timedelta(minutes=n)
        number = f"+1555555{n % 10000:04d}"
        result = turns.time(
            start_call,
            external_id=f"bench-{seed}-{n}",
            caller_number=number,
            at=at,
            uow=services.uow(),
            context=services.engine,
        )
        events: list[Event] = [CallStarted(at, number, not services.practice.is_open(at))]
        utterance: str | None = caller.first()
        for turn in range(MAX_TURNS):
            if result.ended:
                break
            at += timedelta(seconds=7)
            hang_up = turn > 2 and rng.random() < 0.03
            event: Event = HungUp(at) if hang_up else _event(utterance, at, rng)
            events.append(event)
            result = turns.time(
                handle_turn,
                call_id=result.call_id,
                event=event,
                uow=services.uow(),
                context=services.engine,
            )
            last = _last_line(result)
            utterance = caller.reply(last)
            saying_yes = utterance is not None and utterance.startswith("yes")
            if last in CONFIRM_LINES and saying_yes and rng.random() < TAKEN_SHARE:
                _take_chosen(services, result.call_id, at, walk_in)
        if not result.ended:
            at += timedelta(seconds=7)
            events.append(HungUp(at))
            turns.time(
                end_call, call_id=result.call_id, at=at, uow=services.uow(), context=services.engine
            )
        transcripts.append(events)
        outcomes.append(report(call_id=result.call_id, uow=services.uow()).result.value)
    return transcripts, outcomes


def replay_engine(services: Services, transcripts: list[list[Event]]) -> list[float]:
    """Replay every call's events through the pure `step`; the time of each step."""
    durations: list[float] = []
    clock = time.perf_counter
    for events in transcripts:
        state = CallState()
        for event in events:
            started = clock()
            state = step(state, event, context=services.engine).state
            durations.append(clock() - started)
    return durations


def _target(measured: float, target: float) -> dict[str, float | bool]:
    return {"target": target, "measured": measured, "met": measured <= target}


def run_bench(
    *, calls: int, seed: int, datasets: Path, build_services: Callable[[Path, str], Services]
) -> dict[str, object]:
    """The whole benchmark as plain data."""
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as folder:
        root = Path(folder)
        database_url = f"sqlite:///{root / 'bench.db'}"
        upgrade(database_url)
        meter = CryptoMeter()
        turns = TurnTimes(meter, [])
        with configured(meter.keyring()):
            services = build_services(root, database_url)
            transcripts, outcomes = run_calls(services, calls, seed, turns)
        engine = replay_engine(services, transcripts)
    engine_summary = latency_summary(engine)
    whole_summary = latency_summary(turns.durations)
    sgd: dict[str, object] = {}
    for split in ("dev", "test"):
        path = datasets / f"sgd_therapist_{split}.jsonl"
        sgd[split] = sgd_date_time_recall(path) if path.is_file() else {"missing": str(path)}
    return {
        "bench": "engine",
        "calls": calls,
        "seed": seed,
        "turns": len(engine),
        "engine_step": engine_summary,
        "whole_turn_sqlite": whole_summary,
        "encryption_in_whole_turn": turns.encryption(),
        "targets": {
            "engine_p99_ms": _target(float(engine_summary["p99_ms"]), ENGINE_P99_TARGET_MS),
            "whole_turn_p99_ms": _target(float(whole_summary["p99_ms"]), WHOLE_TURN_P99_TARGET_MS),
        },
        "results": share_table(outcomes, [r.value for r in CallResult]),
        "sgd_date_time_recall": sgd,
    }


def example_services(settings: Settings) -> Callable[[Path, str], Services]:
    """Services on the shipped example practice and default script library, in `folder`."""

    def build_in(folder: Path, database_url: str) -> Services:
        data = resources.files("frontdesk.data")
        practice_file = folder / "practice.yaml"
        shutil.copyfile(str(data / "example_practice.yaml"), practice_file)
        shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
        return build(settings, practice_file=practice_file, database_url=database_url)

    return build_in


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "engine",
        description=__doc__,
    )
    parser.add_argument("--calls", type=int, default=1000, metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    datasets = datasets_dir(args, settings)
    result = run_bench(
        calls=args.calls,
        seed=args.seed,
        datasets=datasets,
        build_services=example_services(settings),
    )
    print_report(result, as_json=args.json)
    return 0
