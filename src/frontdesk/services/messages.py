"""Queueing outbound messages and keeping the opt-out list.

Two ways to queue, after the cosmicpython service layer:

- `queue_message(*, uow, ...)` is a use case: it opens the unit of work, queues and commits.
- `enqueue(uow, ...)` is the step other use cases call *inside their own* open unit of work
  (booking an appointment queues its reminders in the same commit as the booking); it never
  commits, so the booking and its reminders are stored together or not at all.

Client-facing bodies must pass the discretion lint (`frontdesk.domain.reminders`); a message
to a number that opted out, or tied to an inquiry that declined texts, is stored as
`suppressed` so every decision not to send is on record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say, ScriptLibrary
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound
from frontdesk.domain.events import MessageSent
from frontdesk.domain.messages import (
    Channel,
    MessageId,
    MessageStatus,
    OptOut,
    OutboundMessage,
    Purpose,
    SuppressionReason,
    normalise_address,
    normalise_number,
)
from frontdesk.domain.records import CallId, InquiryId, new_id, require_aware
from frontdesk.domain.reminders import ReplyKind, lint_template, parse_reply
from frontdesk.services.unit_of_work import UnitOfWork

LINE_HELP: str = Line.SMS_HELP
"""The approved answer to a HELP text (who is texting, how to reach the practice, STOP)."""


def lint_body(body: str, *, allow: Iterable[str] = ()) -> list[str]:
    """Discretion problems of a rendered body; `allow` names values approved as they are
    (the practice's own name may contain a flagged word such as "Counseling")."""
    text = body
    for value in allow:
        if value:
            text = text.replace(value, " ")
    return lint_template(text.replace("{", "(").replace("}", ")"))


def enqueue(
    uow: UnitOfWork,
    *,
    to: str,
    channel: Channel,
    purpose: Purpose,
    body: str,
    at: datetime,
    send_after: datetime | None = None,
    dedupe_key: str | None = None,
    call_id: CallId | None = None,
    appointment_id: str | None = None,
    inquiry_id: InquiryId | None = None,
    allow: Iterable[str] = (),
) -> MessageId:
    """Queue a message inside the caller's open unit of work, without committing.

    Returns the new message's id, or the id already stored under `dedupe_key` (queueing is
    idempotent). Raises `InvalidInput` for a bad recipient, a naive time or a client-facing
    body that fails the discretion lint (the message names no flagged word: it could be
    logged). A message that may not be sent is stored as `suppressed`.
    """
    require_aware(at, "at")
    require_aware(send_after, "send_after")
    if purpose.client_facing and lint_body(body, allow=allow):
        raise InvalidInput(
            f"the {purpose.value} body fails the discretion lint; check it with lint_template"
        )
    if dedupe_key is not None:
        existing = uow.messages.get_by_dedupe_key(dedupe_key)
        if existing is not None:
            return existing.id
    message = OutboundMessage(
        id=new_id(),
        to=normalise_address(channel, to),
        channel=channel,
        purpose=purpose,
        body=body,
        created_at=at,
        send_after=at if send_after is None else send_after,
        updated_at=at,
        dedupe_key=dedupe_key,
        call_id=call_id,
        appointment_id=appointment_id,
        inquiry_id=inquiry_id,
    )
    reason = suppression_reason(uow, message)
    if reason is not None:
        message = message.suppressed(reason=reason, at=at)
    uow.messages.add(message)
    return message.id


def queue_message(
    *,
    uow: UnitOfWork,
    to: str,
    channel: Channel,
    purpose: Purpose,
    body: str,
    at: datetime,
    send_after: datetime | None = None,
    dedupe_key: str | None = None,
    call_id: CallId | None = None,
    appointment_id: str | None = None,
    inquiry_id: InquiryId | None = None,
    allow: Iterable[str] = (),
) -> MessageId:
    """Queue one message and commit (see `enqueue`); a concurrent queue of the same
    `dedupe_key` that committed first wins, and its id is returned."""
    try:
        with uow:
            message_id = enqueue(
                uow,
                to=to,
                channel=channel,
                purpose=purpose,
                body=body,
                at=at,
                send_after=send_after,
                dedupe_key=dedupe_key,
                call_id=call_id,
                appointment_id=appointment_id,
                inquiry_id=inquiry_id,
                allow=allow,
            )
            uow.commit()
            return message_id
    except Conflict:
        if dedupe_key is None:
            raise
        with uow:
            existing = uow.messages.get_by_dedupe_key(dedupe_key)
        if existing is None:
            raise
        return existing.id


def withdraw(
    uow: UnitOfWork,
    *,
    appointment_id: str,
    at: datetime,
    purposes: Iterable[Purpose] = (Purpose.REMINDER,),
    code: str = "withdrawn",
) -> list[MessageId]:
    """Withdraw an appointment's messages not yet handed to the provider (queued or
    claimed by a worker), inside the caller's unit of work; their ids. A claimed message
    withdrawn here is skipped by its worker at hand-over."""
    require_aware(at, "at")
    wanted = frozenset(purposes)
    withdrawn: list[MessageId] = []
    for message in uow.messages.for_appointment(appointment_id):
        if message.status.unsent and message.purpose in wanted:
            uow.messages.update(message.withdrawn(code=code, at=at))
            withdrawn.append(message.id)
    return withdrawn


def suppression_reason(uow: UnitOfWork, message: OutboundMessage) -> SuppressionReason | None:
    """Why `message` must not go out now, read inside the caller's unit of work, or None.

    A phone number that opted out receives nothing. An inquiry that declined texts
    (`consent_to_text` False) receives no texts; unknown consent does not suppress.
    """
    if message.channel.is_phone and uow.opt_outs.get(message.to) is not None:
        return SuppressionReason.OPTED_OUT
    if message.channel is Channel.SMS and message.inquiry_id is not None:
        inquiry = uow.inquiries.get(message.inquiry_id)
        if inquiry is not None and inquiry.intake.consent_to_text is False:
            return SuppressionReason.NO_CONSENT
    return None


def opt_out(uow: UnitOfWork, *, number: str, at: datetime, keyword: str = "STOP") -> bool:
    """Record an opt-out inside the caller's unit of work; False if one was already there."""
    require_aware(at, "at")
    normalised = normalise_number(number)
    if uow.opt_outs.get(normalised) is not None:
        return False
    uow.opt_outs.add(OptOut(normalised, at, keyword))
    return True


def record_opt_out(*, uow: UnitOfWork, number: str, at: datetime, keyword: str = "STOP") -> bool:
    """STOP: no later message goes to `number` until START. Idempotent; True if new."""
    with uow:
        added = opt_out(uow, number=number, at=at, keyword=keyword)
        uow.commit()
    return added


def record_opt_in(*, uow: UnitOfWork, number: str, at: datetime) -> bool:
    """START: messages may go to `number` again; True if it had opted out.

    Messages suppressed meanwhile stay suppressed: only later ones are sent.
    """
    require_aware(at, "at")
    normalised = normalise_number(number)
    with uow:
        removed = uow.opt_outs.remove(normalised)
        uow.commit()
    return removed


def is_opted_out(*, uow: UnitOfWork, number: str) -> bool:
    """Whether `number` has texted STOP (and not START since)."""
    normalised = normalise_number(number)
    with uow:
        return uow.opt_outs.get(normalised) is not None


def help_reply(*, scripts: ScriptLibrary, values: Mapping[str, str]) -> str:
    """The approved answer to HELP (line `sms_help`), with the practice's values filled in."""
    return scripts.render(Say.of(LINE_HELP, **values))


@dataclass(frozen=True, slots=True)
class KeywordReply:
    """What an inbound text keyword did: its kind and the reply to send back, if any."""

    kind: ReplyKind
    reply: str | None = None


def handle_keyword(
    *,
    uow: UnitOfWork,
    number: str,
    text: str,
    at: datetime,
    scripts: ScriptLibrary,
    values: Mapping[str, str],
) -> KeywordReply | None:
    """Apply STOP, START or HELP sent from `number`; None for any other text.

    STOP and START change the opt-out list and reply nothing (the carrier or Twilio's
    opt-out handling confirms them); HELP answers with the approved line.
    """
    kind = parse_reply(text)
    if kind is ReplyKind.STOP:
        keyword = text.strip().upper()[:32]
        record_opt_out(uow=uow, number=number, at=at, keyword=keyword)
        return KeywordReply(kind)
    if kind is ReplyKind.START:
        record_opt_in(uow=uow, number=number, at=at)
        return KeywordReply(kind)
    if kind is ReplyKind.HELP:
        return KeywordReply(kind, help_reply(scripts=scripts, values=values))
    return None


def list_messages(*, uow: UnitOfWork, status: MessageStatus | None = None) -> list[OutboundMessage]:
    """The outbox (all, or with one status), oldest first."""
    with uow:
        return uow.messages.list_all(status=status)


def resolve_uncertain(
    *, uow: UnitOfWork, message_id: MessageId, went_out: bool, at: datetime
) -> OutboundMessage:
    """Staff checked the provider's log for an `uncertain` message: record it `sent` (with a
    `MessageSent` event), or queue it again to be sent now.

    Raises `NotFound` for an unknown id and `Conflict` unless the message is uncertain.
    """
    require_aware(at, "at")
    with uow:
        message = uow.messages.get(message_id, for_update=True)
        if message is None:
            raise NotFound(f"no message {message_id}")
        if message.status is not MessageStatus.UNCERTAIN:
            raise Conflict(f"message {message_id} is {message.status.value}, not uncertain")
        if went_out:
            resolved = message.sent(provider_id=message.provider_id or "confirmed", at=at)
            uow.events.add(
                MessageSent(
                    occurred_at=at,
                    message_id=message.id,
                    channel=message.channel.value,
                    purpose=message.purpose.value,
                )
            )
        else:
            resolved = message.requeued(at=at)
        uow.messages.update(resolved)
        uow.commit()
    return resolved
