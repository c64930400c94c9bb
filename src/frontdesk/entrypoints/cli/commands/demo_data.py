"""`frontdesk demo-data`: a realistic history, made by driving the real services.

Nothing is written as rows: scripted callers (`frontdesk/data/demo_calls.toml`) talk to the
real call engine through `start_call` / `handle_turn`, the telephony status callback ends
each call (so hang-ups and unanswered calls get their follow-up tasks), staff complete
hand-offs after realistic delays within opening hours, book consults and first sessions
against the real calendar (or put the caller on the waitlist), and record attendance,
no-shows and cancellations. The practice's established clients (`demo_clients`) come weekly;
they call the engine themselves to cancel or move a session. A freed slot is offered by
the waitlist service to the people waiting, oldest first; some answer the offer text "YES"
(through the real inbound-text service), the others let it lapse and the worker's tick asks
the next. A seeded random generator makes every choice, and a simulated clock orders them,
so the same seed gives the same report.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import logging
import random
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from importlib import resources
from typing import Any

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bootstrap import Services, build
from frontdesk.config import Settings
from frontdesk.conversation.events import CallerSaid
from frontdesk.domain.appointments import AppointmentStatus, ClientRef
from frontdesk.domain.audit import Actor
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calls import CallResult, Urgency
from frontdesk.domain.errors import FrontdeskError, InvalidInput
from frontdesk.domain.events import AppointmentBooked, AppointmentCancelled, AppointmentRescheduled
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.inquiries import ReminderPreference
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import CallId, InquiryStatus
from frontdesk.entrypoints.cli.common import add_practice_option, resolve_practice_path
from frontdesk.entrypoints.cli.demo_clients import Caseload, DemoClient
from frontdesk.services import appointments, callbacks, waitlist
from frontdesk.services.call_booking import contact_of
from frontdesk.services.calls import handle_turn, start_call
from frontdesk.services.missed_calls import call_status
from frontdesk.services.openings import find_openings_for
from frontdesk.services.sms import receive_text
from frontdesk.services.telephony import VoiceDeps

log = logging.getLogger(__name__)

DAYS_PER_MONTH = 30
MISSED_SHARE = 0.05  # calls nobody answered (the line was busy or the caller gave up ringing)
CALL_BACK_SHARE = 0.4  # a missed or abandoned caller tries again within a day or so
NEVER_DONE_SHARE = 0.07  # hand-offs still open at the end
BOOKING_SHARE = 0.65  # captured new-client intakes that staff book on the callback
OUTCOMES = (  # first sessions and consults: what happened, with weights
    (AppointmentStatus.ATTENDED, 0.76),
    (AppointmentStatus.NO_SHOW, 0.08),
    (AppointmentStatus.LATE_CANCELLED, 0.06),
    (AppointmentStatus.CANCELLED, 0.10),
)
CONSULT_TO_FIRST_SESSION = 0.7
OFFER_TAKEN_SHARE = 0.6  # a waitlisted person awake texts YES to an offer while it is held
WAKING = (8, 21)  # local hours when people cancel and answer texts
EXTRA_SESSION_SHARE = 0.5  # an established client's scheduling request ends in a booking
MAX_TURNS = 30  # a scripted caller never talks longer than this
# When people call, by local hour: mostly office hours, some early, evening and lunch calls.
HOURS = (7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21)
HOUR_WEIGHTS = (0.5, 1.5, 3, 3.5, 3.5, 3, 3, 3.5, 3, 2.5, 2, 1.5, 1, 0.7, 0.3)
Action = Callable[[datetime], None]


@dataclass(frozen=True, slots=True)
class ScriptedCaller:
    """One kind of caller from `demo_calls.toml`."""

    name: str
    weight: float
    lines: tuple[str, ...]
    hang_up_after: int | None = None
    client: str | None = None  # "any" or "in_person": one of the practice's clients calls


def _demo_calls() -> dict[str, Any]:
    text = resources.files("frontdesk.data").joinpath("demo_calls.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_answers() -> dict[str, str]:
    """Replies to prompts by script line id (slot offers, confirmations, e-mail)."""
    return {str(k): str(v) for k, v in _demo_calls().get("answers", {}).items()}


def load_callers() -> tuple[ScriptedCaller, ...]:
    """The shipped scripted callers."""
    return tuple(
        ScriptedCaller(
            name=item["name"],
            weight=float(item["weight"]),
            lines=tuple(item["lines"]),
            hang_up_after=item.get("hang_up_after"),
            client=item.get("client"),
        )
        for item in _demo_calls()["call"]
    )


def load_caseload() -> dict[str, Any]:
    """How the demo practice's established clients are made (`[caseload]`)."""
    return dict(_demo_calls().get("caseload", {}))


class DemoHistory:
    """A simulated stretch of days: actions run in time order on the real services.

    `after_booking` schedules what happens to a new client's booking; `Caseload` does the
    same for established clients' weekly sessions.
    """

    def __init__(self, services: Services, rng: random.Random, *, end: datetime) -> None:
        self.services = services
        self.practice = services.practice
        self.voice = VoiceDeps(uow=services.uow, context=services.engine)
        self.rng = rng
        self.end = end
        self.callers = load_callers()
        self.answers = load_answers()
        self.intake_callers = [c for c in self.callers if c.name.startswith("new client")]
        self.stats: Counter[str] = Counter()
        self._queue: list[tuple[datetime, int, Action]] = []
        self._order = itertools.count()
        self._sids = itertools.count(1)
        self._texts = itertools.count(1)
        self._offers_seen: set[tuple[str, str]] = set()
        self._client_calls: dict[CallId, DemoClient] = {}
        self.caseload = Caseload(
            uow=services.uow,
            practice=self.practice,
            rng=rng,
            at=self.at,
            stats=self.stats,
            config=load_caseload(),
        )

    # --- the clock ----------------------------------------------------------------------

    def at(self, moment: datetime, action: Action) -> None:
        """Run `action` at `moment`, unless that is after the end of the history."""
        if moment < self.end:
            heapq.heappush(self._queue, (moment, next(self._order), action))

    def run(self) -> None:
        while self._queue:
            moment, _, action = heapq.heappop(self._queue)
            try:
                action(moment)
            except FrontdeskError as exc:
                # The calendar can refuse (a slot gone, no offer left): that is realistic.
                self.stats[f"refused: {type(exc).__name__}"] += 1
                log.debug("demo action refused: %s", type(exc).__name__)

    # --- calls --------------------------------------------------------------------------

    def schedule_calls(self, first_day: date, days: int, per_month: int) -> None:
        """Calls at plausible local times: most in office hours, some evenings and weekends."""
        zone = self.practice.zone
        mean = per_month / DAYS_PER_MONTH
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            weekend = day.weekday() >= 5
            expected = mean * (0.45 if weekend else 1.22)
            for _ in range(self._poisson(expected)):
                hour = self.rng.choices(HOURS, weights=HOUR_WEIGHTS)[0]
                minute = self.rng.randrange(60)
                moment = datetime.combine(day, time(hour, minute), zone)
                number = f"+1312555{self.rng.randrange(10_000):04d}"
                if self.rng.random() < MISSED_SHARE:
                    self.at(moment, partial(self.missed_call, number=number))
                else:
                    caller = self._pick(self.callers)
                    self.at(moment, partial(self.answered_call, caller=caller, number=number))

    def answered_call(self, moment: datetime, caller: ScriptedCaller, number: str) -> None:
        services = self.services
        client = None
        if caller.client is not None:
            client = self.caseload.calling(moment, in_person=caller.client == "in_person")
        if client is not None:
            number = client.phone
            said = {"name": client.name, "dob": client.spoken_birthday}
            lines = [line.format_map(said) for line in caller.lines]
            answers = {k: v.format_map(said) for k, v in self.answers.items()}
        else:
            lines, answers = list(caller.lines), self.answers
        sid = f"DEMO{next(self._sids):08d}"
        opened = start_call(
            external_id=sid,
            caller_number=number,
            at=moment,
            uow=services.uow(),
            context=services.engine,
        )
        self.stats["calls answered"] += 1
        if client is not None:
            self._client_calls[opened.call_id] = client
        limit = caller.hang_up_after if caller.hang_up_after is not None else len(lines)
        story = lines[:limit]
        heard = [say.line_id for say in opened.says]
        ended, turns = opened.ended, 0
        while not ended and turns < MAX_TURNS:
            answer = next((answers[i] for i in reversed(heard) if i in answers), None)
            if answer is None or caller.hang_up_after is not None:
                if not story:
                    break
                answer = story.pop(0)
            moment += timedelta(seconds=self.rng.randint(6, 25))
            turn = handle_turn(
                call_id=opened.call_id,
                event=CallerSaid(moment, answer, round(self.rng.uniform(0.82, 0.98), 2)),
                uow=services.uow(),
                context=services.engine,
            )
            heard = [say.line_id for say in turn.says]
            ended, turns = turn.ended, turns + 1
            for event in turn.events:
                if isinstance(event, AppointmentBooked):
                    self.stats[f"{event.service} booked on the call"] += 1
                    self.at(
                        event.occurred_at,
                        partial(self.follow_booking, appointment_id=event.appointment_id),
                    )
                elif isinstance(event, AppointmentCancelled | AppointmentRescheduled):
                    done = "cancelled" if isinstance(event, AppointmentCancelled) else "moved"
                    self.stats[f"{event.service} {done} on the call"] += 1
                    self.follow_offers(event.occurred_at)
        # Twilio's status callback: ends a call left open and recovers an abandoned one.
        ended_at = moment + timedelta(seconds=self.rng.randint(4, 15))
        call_status(
            call_sid=sid, status="completed", caller_number=number, at=ended_at, deps=self.voice
        )
        self.after_call(opened.call_id, ended_at, number)

    def missed_call(self, moment: datetime, number: str) -> None:
        sid = f"DEMO{next(self._sids):08d}"
        status = self.rng.choice(("no-answer", "busy"))
        call = call_status(
            call_sid=sid, status=status, caller_number=number, at=moment, deps=self.voice
        )
        self.stats["calls missed"] += 1
        if call is not None:
            self.after_call(call.id, moment, number)

    def after_call(self, call_id: CallId, ended_at: datetime, number: str) -> None:
        """Schedule staff work on the call's hand-offs, and maybe the caller trying again."""
        with self.services.uow() as uow:
            call = uow.calls.get(call_id)
            handoffs = uow.handoffs.list_for_call(call_id)
            inquiries = uow.inquiries.list_for_call(call_id)
        captured = next((i for i in inquiries if i.status is InquiryStatus.CAPTURED), None)
        for handoff in handoffs:
            if self.rng.random() < NEVER_DONE_SHARE:
                continue
            done = self._business_time(ended_at + self._delay(handoff))
            inquiry_id = captured.id if captured is not None else None
            self.at(
                done,
                partial(self.callback, handoff=handoff, inquiry_id=inquiry_id, call_id=call_id),
            )
        if call is None or call.result in (None, CallResult.ABANDONED):
            self._maybe_call_again(ended_at, number)

    def _maybe_call_again(self, moment: datetime, number: str) -> None:
        if self.intake_callers and self.rng.random() < CALL_BACK_SHARE:
            later = moment + timedelta(minutes=self.rng.randint(20, 30 * 60))
            caller = self._pick(self.intake_callers)
            self.at(later, partial(self.answered_call, caller=caller, number=number))

    # --- staff --------------------------------------------------------------------------

    def callback(
        self, moment: datetime, handoff: Handoff, inquiry_id: str | None, call_id: CallId
    ) -> None:
        callbacks.complete(
            handoff_id=handoff.id, at=moment, actor=Actor.CLI, uow=self.services.uow()
        )
        self.stats["callbacks completed"] += 1
        client = self._client_calls.get(call_id)
        if client is not None and self.rng.random() < EXTRA_SESSION_SHARE:
            # The client asked for another session (or a time the call could not give).
            self.caseload.book_next(moment, client, extra=True)
            return
        if inquiry_id is None or self.rng.random() >= BOOKING_SHARE:
            return
        with self.services.uow() as uow:
            inquiry = uow.inquiries.get(inquiry_id)
            call = uow.calls.get(call_id)
        if inquiry is None or inquiry.status is not InquiryStatus.CAPTURED:
            return
        intent = call.intent.value if call is not None and call.intent else ""
        kind = ServiceKind.CONSULT if intent == "consult" else ServiceKind.FIRST_SESSION
        self.book(moment, inquiry_id, call_id, kind)

    def book(self, moment: datetime, inquiry_id: str, call_id: CallId, kind: ServiceKind) -> None:
        with self.services.uow() as uow:
            inquiry = uow.inquiries.get(inquiry_id)
            call = uow.calls.get(call_id)
        if inquiry is None:
            return
        slots = find_openings_for(
            intake=inquiry.intake,
            kind=kind,
            now=moment,
            uow=self.services.uow(),
            practice=self.practice,
        )
        if not slots:
            waitlist.join(
                intake=inquiry.intake,
                kind=kind,
                at=moment,
                uow=self.services.uow(),
                inquiry_id=inquiry_id,
                call_id=call_id,
                contact=contact_of(inquiry.intake, call.caller_number if call else None),
            )
            self.stats["waitlisted"] += 1
            return
        slot = slots[self.rng.randrange(len(slots))]
        appointment_id = appointments.book(
            slot=slot,
            client=ClientRef(inquiry_id=inquiry_id),
            at=moment,
            uow=self.services.uow(),
            practice=self.practice,
            booked_by_ai=False,
            source=BookingSource.CALL,
            call_id=call_id,
            contact=contact_of(inquiry.intake, call.caller_number if call else None),
            payment=inquiry.intake.payment,
        )
        self.stats[f"{kind.value} booked"] += 1
        self.after_booking(moment, appointment_id, slot.start, slot.end, inquiry_id, call_id, kind)

    def after_booking(
        self,
        booked_at: datetime,
        appointment_id: str,
        start: datetime,
        end: datetime,
        inquiry_id: str | None,
        call_id: CallId | None,
        kind: ServiceKind,
    ) -> None:
        """What becomes of a booking: attended, no-show, or cancelled (late or in time)."""
        statuses = [status for status, _ in OUTCOMES]
        status = self.rng.choices(statuses, weights=[w for _, w in OUTCOMES])[0]
        if status is AppointmentStatus.CANCELLED and start - booked_at > timedelta(hours=30):
            span = (start - timedelta(hours=26) - booked_at).total_seconds()
            when = booked_at + timedelta(seconds=self.rng.uniform(3600, max(3601, span)))
            when = max(booked_at + timedelta(minutes=5), self._waking(when))
            self.at(when, lambda t: self.cancel(t, appointment_id))
            return
        if status in (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED):
            when = self._waking(start - timedelta(hours=self.rng.uniform(3, 20)))
            when = min(start - timedelta(hours=1), max(booked_at + timedelta(minutes=5), when))
            self.at(when, lambda t: self.cancel(t, appointment_id))
            return
        marked_at = end + timedelta(minutes=self.rng.randint(5, 90))
        self.at(marked_at, lambda t: self.mark(t, appointment_id, status, inquiry_id))
        if (
            kind is ServiceKind.CONSULT
            and status is AppointmentStatus.ATTENDED
            and inquiry_id is not None
            and call_id is not None
            and self.rng.random() < CONSULT_TO_FIRST_SESSION
        ):
            first_session = marked_at + timedelta(minutes=10)
            self.at(
                first_session,
                lambda t: self.book(t, inquiry_id, call_id, ServiceKind.FIRST_SESSION),
            )

    def follow_booking(self, moment: datetime, appointment_id: str) -> None:
        """Schedule what becomes of an appointment booked on a call."""
        with self.services.uow() as uow:
            booking = uow.appointments.get(appointment_id)
        if booking is not None:
            booked = booking.appointment
            self.after_booking(
                moment,
                appointment_id,
                booked.start,
                booked.end,
                booked.client.inquiry_id,
                booking.call_id,
                booked.kind,
            )

    def mark(
        self,
        moment: datetime,
        appointment_id: str,
        status: AppointmentStatus,
        inquiry_id: str | None,
    ) -> None:
        marked = appointments.mark(
            appointment_id=appointment_id, status=status, at=moment, uow=self.services.uow()
        )
        self.stats[f"marked {status.value}"] += 1
        if marked.kind is not ServiceKind.FIRST_SESSION or status is not AppointmentStatus.ATTENDED:
            return
        with self.services.uow() as uow:
            record = uow.appointments.get(appointment_id)
            inquiry = uow.inquiries.get(inquiry_id) if inquiry_id is not None else None
        contact = record.contact if record is not None else None
        phone = contact.to if contact is not None and contact.to.startswith("+") else None
        age = inquiry.intake.client_age if inquiry is not None else None
        self.caseload.join_after_first_session(moment, marked, phone, age)

    def cancel(self, moment: datetime, appointment_id: str) -> None:
        appointments.cancel(
            appointment_id=appointment_id,
            at=moment,
            uow=self.services.uow(),
            practice=self.practice,
        )
        self.stats["cancelled"] += 1
        self.follow_offers(moment)

    # --- the waitlist -------------------------------------------------------------------

    def follow_offers(self, moment: datetime) -> None:
        """For each new offer text: maybe a "YES" later; the worker's tick when it lapses."""
        made: list[tuple[datetime, str, str, datetime, str | None]] = []
        with self.services.uow() as uow:
            for opening in uow.openings.list_open():
                for offer in opening.round.offers:
                    key = (opening.id, offer.entry_id)
                    if not offer.status.is_open or key in self._offers_seen:
                        continue
                    self._offers_seen.add(key)
                    record = uow.waitlist.get(offer.entry_id)
                    contact = record.contact if record is not None else None
                    texted = contact is not None and contact.channel is ReminderPreference.SMS
                    number = contact.to if contact is not None and texted else None
                    made.append(
                        (opening.slot.start, opening.id, offer.entry_id, offer.expires_at, number)
                    )
        # Storage order is not the seed's: draw in an order fixed by the history itself.
        for _, opening_id, entry_id, expires_at, number in sorted(
            made, key=lambda m: (m[0], m[3], m[4] or "")
        ):
            self.stats["waitlist offers texted"] += 1
            awake = WAKING[0] <= moment.astimezone(self.practice.zone).hour < WAKING[1]
            if number is not None and awake and self.rng.random() < OFFER_TAKEN_SHARE:
                hold = (expires_at - moment).total_seconds()
                reply_at = moment + timedelta(seconds=self.rng.uniform(120, max(121, hold * 0.8)))
                self.at(
                    reply_at,
                    partial(self.text_yes, number=number, opening_id=opening_id, entry_id=entry_id),
                )
            self.at(expires_at + timedelta(minutes=self.rng.randint(1, 15)), self.worker_tick)

    def worker_tick(self, moment: datetime) -> None:
        """The worker's pass: lapsed offers expire and the next person is asked."""
        waitlist.tick(at=moment, uow=self.services.uow(), practice=self.practice)
        self.follow_offers(moment)

    def text_yes(self, moment: datetime, number: str, opening_id: str, entry_id: str) -> None:
        """A waitlisted person answers the offer text; if it is still held, it is booked."""
        receive_text(
            message_sid=f"SMDEMO{next(self._texts):08d}",
            from_number=number,
            body="YES",
            at=moment,
            deps=self.voice,
        )
        with self.services.uow() as uow:
            opening = uow.openings.get(opening_id)
            record = uow.waitlist.get(entry_id)
        if opening is None or opening.appointment_id is None or opening.round.filled_by != entry_id:
            self.stats["waitlist offers answered too late"] += 1
            return
        self.stats["waitlist offers accepted"] += 1
        slot = opening.slot
        self.after_booking(
            moment,
            opening.appointment_id,
            slot.start,
            slot.end,
            record.inquiry_id if record is not None else None,
            record.call_id if record is not None else None,
            slot.kind,
        )

    # --- randomness ---------------------------------------------------------------------

    def _pick(self, callers: list[ScriptedCaller] | tuple[ScriptedCaller, ...]) -> ScriptedCaller:
        return self.rng.choices(callers, weights=[c.weight for c in callers])[0]

    def _poisson(self, mean: float) -> int:
        """Knuth's method: fine for the handful of calls a day a practice gets."""
        limit, count, product = pow(2.718281828459045, -mean), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def _delay(self, handoff: Handoff) -> timedelta:
        if handoff.urgency is Urgency.URGENT:
            return timedelta(minutes=self.rng.randint(3, 40))
        if handoff.urgency is Urgency.SAME_DAY:
            return timedelta(minutes=self.rng.randint(30, 300))
        return timedelta(minutes=min(4320, int(self.rng.lognormvariate(5.0, 0.9))))

    def _waking(self, moment: datetime) -> datetime:
        """`moment`, or the evening before it when it falls in the night (people cancel awake)."""
        local = moment.astimezone(self.practice.zone)
        if WAKING[0] <= local.hour < WAKING[1]:
            return moment
        day = local.date() if local.hour >= WAKING[1] else local.date() - timedelta(days=1)
        evening = datetime.combine(day, time(WAKING[1] - 2), self.practice.zone)
        return evening + timedelta(minutes=self.rng.randrange(120))

    def _business_time(self, moment: datetime) -> datetime:
        """The first moment the front desk is open, from `moment` (staff work office hours)."""
        probe = moment
        for _ in range(4 * 24 * 4):
            if self.practice.is_open(probe):
                return probe
            probe += timedelta(minutes=15)
        return moment


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo-data",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--days", type=int, default=60, metavar="N", help="days of history")
    parser.add_argument(
        "--calls-per-month", type=int, default=360, metavar="N", help="calls a month (average)"
    )
    parser.add_argument("--seed", type=int, default=7, metavar="N", help="random seed")
    parser.add_argument(
        "--until",
        type=date.fromisoformat,
        default=None,
        metavar="DATE",
        help="last day of the history (default today; nothing after now is written)",
    )
    add_practice_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.days <= 366:
        raise InvalidInput("--days must be between 1 and 366")
    if not 1 <= args.calls_per_month <= 20_000:
        raise InvalidInput("--calls-per-month must be between 1 and 20000")
    upgrade(settings.database_url)
    services = build(settings, practice_file=resolve_practice_path(args, settings))
    zone = services.practice.zone
    now = services.clock()
    last_day: date = args.until or now.astimezone(zone).date()
    end = min(now, datetime.combine(last_day + timedelta(days=1), time(0), zone))
    first_day = last_day - timedelta(days=args.days - 1)
    rng = random.Random(args.seed)  # noqa: S311 - a reproducible demo, not security
    history = DemoHistory(services, rng, end=end)
    # The caseload is in care a week before the first day, so that week has its sessions.
    history.at(
        datetime.combine(first_day - timedelta(days=7), time(9), zone), history.caseload.seed
    )
    history.schedule_calls(first_day, args.days, args.calls_per_month)
    history.run()
    print(f"demo history {first_day} to {last_day} ({services.practice.timezone})")
    for name, count in sorted(history.stats.items()):
        print(f"  {name}: {count}")
    return 0
