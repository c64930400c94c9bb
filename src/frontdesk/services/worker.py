"""The outbox worker: sends due messages through a `Notifier`, at most once each.

One pass (`run_batch`) works in short units of work:

1. **Recover.** A `claimed` message whose lease ran out was never handed to the provider:
   it goes back to the queue. A `sending` one belonged to a worker that stopped between
   handing it over and recording the result; it may have gone out, so it is never resent
   automatically: it becomes `uncertain` and staff get a callback task to check the
   provider's log. (At most once: a duplicate reminder on a client's phone is worse than
   a missing one that staff are told about.)
2. **Claim.** Up to a batch of due `queued` messages is locked (`FOR UPDATE SKIP LOCKED` on
   PostgreSQL; the SQLite writer lock serialises workers), checked for opt-out and consent
   (suppressed), for staleness (skipped, with a `SkipReason`: a missed-call follow-up older
   than the practice's window, an offer no longer held, a reminder for an appointment
   passed or no longer booked) and quiet hours (deferred to the next allowed time), and
   the rest leased to this worker as `claimed`. Two workers never claim the same message.
3. **Hand over, send, record**, one message at a time: the message is re-checked (a STOP
   may have arrived meanwhile, or it went stale) and committed as `sending` *before* the
   notifier is called; then the outcome is committed: `sent` with the provider's id and a
   `MessageSent` event; a transient error puts it back in the queue with a backoff until
   `max_attempts`; a permanent one marks it `failed` and, for a client's message, opens a
   staff task naming the client so they are reached another way; an error after which the
   provider may have accepted it marks it `uncertain` with a staff task, as in recovery.

Any other exception escapes (a crash): the message stays `sending` until recovery, and the
rest of the batch stays `claimed` until its lease ends and it is released.

**Urgent pages are the exception to at most once**: a page that nobody reads can cost a
life, a second copy costs nothing. A page is leased for `urgent_lease` (seconds, not
minutes), so a dead worker's claim on it is soon taken over; a page whose send was
interrupted (the provider may or may not have taken it) is recorded `uncertain` and sent
again at once, to the next of the practice's page numbers (on-call, then the front desk)
when there is one; a page refused for a transient reason is retried at once too. After
`max_attempts` sends, an uncertain page is left to staff like any other message.

Given the practice, every cycle (`drain`, and so each turn of `run_forever`) first runs the
waitlist's `tick`: lapsed offer holds expire and the next entry is asked, so that entry's
offer text goes out in the same cycle; and once a day it purges what the practice's
retention settings say has expired (`retention.purge_if_due`, audited as the worker).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.events import MessageSent
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.messages import (
    MAX_ATTEMPTS,
    Channel,
    DeliveryFailed,
    FailureKind,
    MessageStatus,
    OptOut,
    OutboundMessage,
    Purpose,
    QuietHours,
    SkipReason,
    SuppressionReason,
    next_allowed,
    retry_delay,
)
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import new_id
from frontdesk.services import callbacks, retention, sms, waitlist
from frontdesk.services.messages import suppression_reason
from frontdesk.services.telephony import VoiceDeps
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.services.waitlist import TickReport

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
LEASE_EXPIRED = "lease_expired"


class Notifier(Protocol):
    """Delivers one message and returns the provider's id for it.

    Raises `DeliveryFailed` with `FailureKind.TRANSIENT` when the message certainly did not
    go out and may be retried, `PERMANENT` when it certainly did not and cannot, and
    `UNKNOWN` when the provider may have accepted it.
    """

    def send(self, message: OutboundMessage) -> str: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerPolicy:
    """How the worker behaves; quiet hours are read in `zone`, the practice's timezone."""

    batch: int = 50
    lease: timedelta = timedelta(minutes=5)
    # Longer than a provider call may take (Twilio's client gives up after 15 s), so a live
    # send is never taken for a dead one.
    urgent_lease: timedelta = timedelta(seconds=30)
    max_attempts: int = MAX_ATTEMPTS
    quiet: QuietHours | None = None
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    page_numbers: tuple[str, ...] = ()  # where pages go, in order: on-call, the front desk
    follow_up_window: timedelta = timedelta(hours=24)

    def __post_init__(self) -> None:
        if (
            self.batch < 1
            or self.max_attempts < 1
            or self.lease <= timedelta(0)
            or self.urgent_lease <= timedelta(0)
        ):
            raise ValueError("batch, max_attempts and the leases must be positive")
        if self.follow_up_window <= timedelta(0):
            raise ValueError("the follow-up window must be positive")

    def lease_for(self, message: OutboundMessage) -> timedelta:
        """How long a worker holds `message`: seconds for an urgent page, else `lease`."""
        return self.urgent_lease if message.purpose is Purpose.PAGE else self.lease

    @classmethod
    def for_practice(cls, practice: Practice, *, batch: int = 50) -> WorkerPolicy:
        """The policy `frontdesk worker` runs: the practice file's quiet hours
        (`reminders.quiet_hours`, None for none) in the practice's timezone, the same
        window reminders and waitlist offer holds are placed by, and its follow-up window
        (`reminders.follow_up_window_hours`)."""
        phones = practice.phones
        numbers = tuple(dict.fromkeys(n for n in (phones.on_call, phones.front_desk) if n))
        reminders = practice.schedule.reminders
        return cls(
            batch=batch,
            quiet=reminders.quiet,
            zone=practice.zone,
            page_numbers=numbers,
            follow_up_window=reminders.follow_up_window,
        )


@dataclass(frozen=True, slots=True)
class BatchReport:
    """What one pass did, as counts of messages by outcome."""

    sent: int = 0
    suppressed: int = 0
    skipped: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0

    @property
    def touched(self) -> int:
        return (
            self.sent
            + self.suppressed
            + self.skipped
            + self.deferred
            + self.retried
            + self.failed
            + self.uncertain
        )

    def __add__(self, other: BatchReport) -> BatchReport:
        return BatchReport(
            sent=self.sent + other.sent,
            suppressed=self.suppressed + other.suppressed,
            skipped=self.skipped + other.skipped,
            deferred=self.deferred + other.deferred,
            retried=self.retried + other.retried,
            failed=self.failed + other.failed,
            uncertain=self.uncertain + other.uncertain,
        )


def recover(
    *, uow: UnitOfWork, now: datetime, limit: int = 100, policy: WorkerPolicy | None = None
) -> BatchReport:
    """Release expired claims and mark expired sends `uncertain`, each with a staff task,
    except an urgent page, which is sent again at once (see the module docstring).

    Otherwise never resends. `uncertain` counts the messages marked.
    """
    policy = policy or WorkerPolicy()
    uncertain: list[OutboundMessage] = []
    with uow:
        for message in uow.messages.stale(now, limit=limit):
            if message.status is MessageStatus.CLAIMED:
                uow.messages.update(message.released(at=now))
            else:
                _settle_interrupted(uow, message, code=LEASE_EXPIRED, at=now, policy=policy)
                uncertain.append(message)
        uow.commit()
    for message in uncertain:
        log.warning("message %s may have been sent; marked uncertain for staff", message.id)
    return BatchReport(uncertain=len(uncertain))


def claim(
    *, uow: UnitOfWork, now: datetime, owner: str, policy: WorkerPolicy
) -> tuple[list[OutboundMessage], BatchReport]:
    """Lock due messages, settle the ones that must not go now, and lease the rest to
    `owner`; commits before returning the claimed messages."""
    claimed: list[OutboundMessage] = []
    suppressed = skipped = deferred = 0
    with uow:
        held = _HeldOffers(uow, now)
        for message in uow.messages.due(now, limit=policy.batch):
            reason = suppression_reason(uow, message)
            if reason is not None:
                uow.messages.update(message.suppressed(reason=reason, at=now))
                suppressed += 1
                continue
            stale = stale_reason(uow, message, now=now, policy=policy, held=held)
            if stale is not None:
                uow.messages.update(message.skipped(reason=stale, at=now))
                skipped += 1
                continue
            allowed = _allowed_at(message, now, policy)
            if allowed > now:
                uow.messages.update(message.deferred(until=allowed, at=now))
                deferred += 1
                continue
            taken = message.claimed(owner=owner, at=now, lease=policy.lease_for(message))
            uow.messages.update(taken)
            claimed.append(taken)
        uow.commit()
    if skipped:
        log.info("skipped %d stale message(s)", skipped)
    return claimed, BatchReport(suppressed=suppressed, skipped=skipped, deferred=deferred)


class _HeldOffers:
    """The keys of offer texts whose offers are still held, read once when first needed."""

    def __init__(self, uow: UnitOfWork, at: datetime) -> None:
        self._uow = uow
        self._at = at
        self._keys: frozenset[str] | None = None

    def holds(self, key: str | None) -> bool:
        if self._keys is None:
            self._keys = waitlist.held_offer_keys(self._uow, self._at)
        return key in self._keys


def stale_reason(
    uow: UnitOfWork,
    message: OutboundMessage,
    *,
    now: datetime,
    policy: WorkerPolicy,
    held: _HeldOffers | None = None,
) -> SkipReason | None:
    """Why `message` is no longer worth sending at `now`, read in the caller's unit of
    work, or None: a client is never texted about a missed call days old, an opening they
    can no longer take, or an appointment that has begun or is no longer booked."""
    if message.purpose is Purpose.FOLLOW_UP:
        if now - message.created_at > policy.follow_up_window:
            return SkipReason.FOLLOW_UP_TOO_OLD
    elif message.purpose is Purpose.OFFER:
        if waitlist.is_offer_text(message.dedupe_key):
            offers = held if held is not None else _HeldOffers(uow, now)
            if not offers.holds(message.dedupe_key):
                return SkipReason.OFFER_NOT_HELD
    elif message.purpose is Purpose.REMINDER and message.appointment_id is not None:
        record = uow.appointments.get(message.appointment_id)
        if record is not None:
            if record.appointment.status is not AppointmentStatus.BOOKED:
                return SkipReason.APPOINTMENT_CANCELLED
            if record.appointment.start <= now:
                return SkipReason.APPOINTMENT_PASSED
    return None


def deliver(
    *,
    uow: UnitOfWork,
    notifier: Notifier,
    message: OutboundMessage,
    clock: Clock,
    owner: str,
    policy: WorkerPolicy,
) -> BatchReport:
    """Hand one claimed message to the notifier and commit the outcome."""
    handed, report = _hand_over(uow, message.id, owner, clock(), policy)
    if handed is None:
        return report
    try:
        provider_id = notifier.send(handed)
    except DeliveryFailed as failure:
        return _record_failure(uow, handed, failure, clock(), policy)
    at = clock()
    with uow:
        current = uow.messages.get(handed.id, for_update=True)
        if current is None or current.status not in (
            MessageStatus.SENDING,
            MessageStatus.UNCERTAIN,
        ):
            return BatchReport()
        # An `uncertain` row (recovered while this send was slow) did go out after all.
        uow.messages.update(current.sent(provider_id=provider_id, at=at))
        uow.events.add(
            MessageSent(
                occurred_at=at,
                message_id=current.id,
                channel=current.channel.value,
                purpose=current.purpose.value,
            )
        )
        uow.commit()
    return BatchReport(sent=1)


def _hand_over(
    uow: UnitOfWork, message_id: str, owner: str, at: datetime, policy: WorkerPolicy
) -> tuple[OutboundMessage | None, BatchReport]:
    """Commit the message as `sending` if this worker still holds it and it may still go."""
    with uow:
        current = uow.messages.get(message_id, for_update=True)
        if (
            current is None
            or current.status is not MessageStatus.CLAIMED
            or current.lease_owner != owner
        ):
            return None, BatchReport()
        reason = suppression_reason(uow, current)
        if reason is not None:
            uow.messages.update(current.suppressed(reason=reason, at=at))
            uow.commit()
            return None, BatchReport(suppressed=1)
        stale = stale_reason(uow, current, now=at, policy=policy)
        if stale is not None:
            uow.messages.update(current.skipped(reason=stale, at=at))
            uow.commit()
            return None, BatchReport(skipped=1)
        handed = current.sending(at=at, lease=policy.lease_for(current))
        uow.messages.update(handed)
        uow.commit()
    return handed, BatchReport()


def run_batch(
    *,
    uow: UnitOfWork,
    notifier: Notifier,
    clock: Clock,
    owner: str,
    policy: WorkerPolicy | None = None,
) -> BatchReport:
    """One pass: recover expired leases, claim up to `policy.batch` messages, send them."""
    policy = policy or WorkerPolicy()
    now = clock()
    report = recover(uow=uow, now=now, limit=policy.batch, policy=policy)
    claimed, settled = claim(uow=uow, now=now, owner=owner, policy=policy)
    report += settled
    for message in claimed:
        report += deliver(
            uow=uow, notifier=notifier, message=message, clock=clock, owner=owner, policy=policy
        )
    return report


def tick_waitlist(*, uow: UnitOfWork, clock: Clock, practice: Practice) -> TickReport:
    """Run the waitlist's tick now: expire lapsed holds, ask the next entries, withdraw
    openings booked another way (their texts join the outbox)."""
    report = waitlist.tick(at=clock(), uow=uow, practice=practice)
    if report != TickReport():
        log.info(
            "waitlist tick offered=%d expired=%d withdrawn=%d",
            report.offered,
            report.expired,
            report.withdrawn,
        )
    return report


def drain(
    *,
    uow: UnitOfWork,
    notifier: Notifier,
    clock: Clock,
    owner: str,
    policy: WorkerPolicy | None = None,
    practice: Practice | None = None,
    texts: VoiceDeps | None = None,
) -> BatchReport:
    """One cycle (`frontdesk worker --once`): the sweep of abandoned inbound texts when the
    phone dependencies `texts` are given (their replies join the outbox), the waitlist tick
    when `practice` is given, then pass after pass until a pass finds less than a full
    batch."""
    policy = policy or WorkerPolicy()
    if texts is not None:
        swept = sms.sweep_abandoned(deps=texts, now=clock(), limit=policy.batch)
        if swept:
            log.warning("handled %d inbound texts left unhandled by a stopped server", swept)
    if practice is not None:
        tick_waitlist(uow=uow, clock=clock, practice=practice)
        retention.purge_if_due(uow=uow, retention=practice.retention, now=clock())
    total = BatchReport()
    while True:
        report = run_batch(uow=uow, notifier=notifier, clock=clock, owner=owner, policy=policy)
        total += report
        if report.touched < policy.batch:
            return total


def run_forever(
    *,
    uow: UnitOfWork,
    notifier: Notifier,
    clock: Clock,
    owner: str,
    interval: float,
    stop: threading.Event,
    policy: WorkerPolicy | None = None,
    practice: Practice | None = None,
    texts: VoiceDeps | None = None,
) -> BatchReport:
    """Cycle (`drain`, with the text sweep and the waitlist tick when given), then wait
    `interval` seconds, until `stop` is set; returns the message totals."""
    total = BatchReport()
    while not stop.is_set():
        total += drain(
            uow=uow,
            notifier=notifier,
            clock=clock,
            owner=owner,
            policy=policy,
            practice=practice,
            texts=texts,
        )
        stop.wait(interval)
    return total


def _allowed_at(message: OutboundMessage, now: datetime, policy: WorkerPolicy) -> datetime:
    """Client texts and calls wait out quiet hours; e-mail and staff pages do not."""
    if not (message.channel.is_phone and message.purpose.client_facing):
        return now
    return max(now, next_allowed(now, policy.quiet, policy.zone))


def _record_failure(
    uow: UnitOfWork,
    message: OutboundMessage,
    failure: DeliveryFailed,
    at: datetime,
    policy: WorkerPolicy,
) -> BatchReport:
    log.info("message %s: %s", message.id, failure)
    with uow:
        current = uow.messages.get(message.id)
        if current is None or current.status is not MessageStatus.SENDING:
            return BatchReport()
        if failure.opted_out and current.channel.is_phone:
            if uow.opt_outs.get(current.to) is None:
                uow.opt_outs.add(OptOut(current.to, at, "PROVIDER"))
            uow.messages.update(current.suppressed(reason=SuppressionReason.OPTED_OUT, at=at))
            uow.commit()
            return BatchReport(suppressed=1)
        if failure.kind is FailureKind.UNKNOWN:
            _settle_interrupted(uow, current, code=failure.code, at=at, policy=policy)
            uow.commit()
            return BatchReport(uncertain=1)
        if failure.kind is FailureKind.TRANSIENT and current.attempts < policy.max_attempts:
            urgent = current.purpose is Purpose.PAGE
            until = at if urgent else at + retry_delay(current.attempts)
            uow.messages.update(current.retried(code=failure.code, until=until, at=at))
            uow.commit()
            return BatchReport(retried=1)
        uow.messages.update(current.failed(code=failure.code, at=at))
        if current.purpose.client_facing:
            _open_undelivered_task(uow, current, code=failure.code, at=at)
        uow.commit()
        return BatchReport(failed=1)


def _settle_interrupted(
    uow: UnitOfWork, message: OutboundMessage, *, code: str, at: datetime, policy: WorkerPolicy
) -> None:
    """A send that may or may not have gone out: `uncertain`; an urgent page is also sent
    again at once (`_page_again`), any other message gets a staff task to check it."""
    if message.purpose is Purpose.PAGE and message.attempts < policy.max_attempts:
        uow.messages.update(message.uncertain(code=code, at=at))
        _page_again(uow, message, at=at, numbers=policy.page_numbers)
        return
    _mark_uncertain(uow, message, code=code, at=at)


def _page_again(
    uow: UnitOfWork, page: OutboundMessage, *, at: datetime, numbers: tuple[str, ...]
) -> OutboundMessage:
    """Queue a copy of an interrupted page, due now, to the page number after the one it
    went to (the same number when there is no other); it carries the attempts so far."""
    to = page.to
    if page.to in numbers and len(numbers) > 1:
        to = numbers[(numbers.index(page.to) + 1) % len(numbers)]
    elif numbers and page.to not in numbers:
        to = numbers[0]
    again = replace(
        page,
        id=new_id(),
        to=to,
        status=MessageStatus.QUEUED,
        created_at=at,
        send_after=at,
        updated_at=at,
        dedupe_key=f"page-again:{page.id}",
        provider_id=None,
        last_error=None,
        lease_owner=None,
        lease_expires_at=None,
        sent_at=None,
    )
    uow.messages.add(again)
    log.warning("page %s interrupted; sent again as %s", page.id, again.id)
    return again


def _open_undelivered_task(
    uow: UnitOfWork, message: OutboundMessage, *, code: str, at: datetime
) -> None:
    """A client's message that can never be delivered: staff reach the client another way
    (same unit of work). The task names the client; logs name only ids."""
    name = _client_name(uow, message)
    who = name or "the client"
    task = _open_message_task(
        uow,
        message,
        summary=(
            f"Reach {who} another way: their {message.purpose.value} "
            f"{_CHANNEL_NAMES[message.channel]} could not be delivered ({code}) and will not "
            "be retried."
        ),
        reason="undeliverable",
        code=code,
        at=at,
        extra={"client_name": name},
    )
    log.warning("message %s undeliverable (%s); staff task %s opened", message.id, code, task.id)


def _open_message_task(
    uow: UnitOfWork,
    message: OutboundMessage,
    *,
    summary: str,
    reason: str,
    code: str,
    at: datetime,
    extra: dict[str, object] | None = None,
) -> Handoff:
    """A same-day staff task about one outbound message, with its creation event."""
    details: dict[str, object] = {
        "reason": reason,
        **(extra or {}),
        "message_id": message.id,
        "channel": message.channel.value,
        "purpose": message.purpose.value,
        "error": code,
        "appointment_id": message.appointment_id,
    }
    return callbacks.open_handoff(
        uow,
        category=HandoffCategory.CALLBACK,
        urgency=Urgency.SAME_DAY,
        summary=summary,
        at=at,
        call_id=message.call_id,
        inquiry_id=message.inquiry_id,
        caller_number=message.to if message.channel.is_phone else None,
        details=details,
    )


_CHANNEL_NAMES = {Channel.SMS: "text", Channel.EMAIL: "e-mail", Channel.VOICE: "phone call"}


def _client_name(uow: UnitOfWork, message: OutboundMessage) -> str | None:
    """The name of whom the message was for: the appointment's client or inquiry, else the
    message's inquiry; None when nobody gave one."""
    inquiry_id = message.inquiry_id
    if message.appointment_id is not None:
        record = uow.appointments.get(message.appointment_id)
        if record is not None:
            client = record.appointment.client
            if client.client_id is not None:
                found = uow.clients.get(client.client_id)
                if found is not None:
                    return found.name
            inquiry_id = client.inquiry_id or inquiry_id
    if inquiry_id is not None:
        inquiry = uow.inquiries.get(inquiry_id)
        if inquiry is not None and inquiry.intake.client_name:
            return inquiry.intake.client_name
    return None


def _mark_uncertain(uow: UnitOfWork, message: OutboundMessage, *, code: str, at: datetime) -> None:
    """Mark a message possibly sent and open a task for staff to check it (same unit of work)."""
    uow.messages.update(message.uncertain(code=code, at=at))
    _open_message_task(
        uow,
        message,
        summary=(
            f"Check whether outbound {message.channel.value} message {message.id} "
            f"({message.purpose.value}) went out: the sender stopped before recording it. "
            "It will not be resent automatically; record what you find with "
            f"`frontdesk outbox resolve {message.id} --sent` or `--resend`."
        ),
        reason="uncertain_delivery",
        code=code,
        at=at,
    )


def default_owner() -> str:
    """A worker name unique enough for leases: host and process id."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"
