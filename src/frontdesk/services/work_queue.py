"""The work queue as staff read it: items in order with due times, and one item's context.

Reads go through the role rules of `frontdesk.domain.queue_access` and every read is
recorded in the audit log (ids and counts, never content).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from frontdesk.conversation.state import CallState
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.calls import Route, Urgency
from frontdesk.domain.errors import NotFound, NotPermitted
from frontdesk.domain.handoffs import CallbackAttempt, Handoff
from frontdesk.domain.inquiries import Intake, TelehealthConstraints
from frontdesk.domain.practice import Practice
from frontdesk.domain.queue_access import may_see, shows_detail
from frontdesk.domain.records import CallRecord, HandoffId, InquiryRecord, TurnRecord
from frontdesk.domain.staff import StaffUser
from frontdesk.domain.work_queue import DeskHours, QueueItem, ordered, queue_item
from frontdesk.services import audit
from frontdesk.services.call_report import grounded_evidence
from frontdesk.services.unit_of_work import UnitOfWork

EARLIER_CALLS = 10  # earlier calls from the same number shown with an item
DONE_SHOWN = timedelta(days=2)  # how long a finished item stays on the queue page


def desk_hours(practice: Practice) -> DeskHours:
    """The practice's front-desk hours, timezone and holidays, for due times."""
    return DeskHours(practice.hours, practice.zone, practice.schedule.holidays)


@dataclass(frozen=True, slots=True)
class Visibility:
    """For each item on the page: its call's route and the clinicians of its client."""

    call_routes: dict[str, Route] = field(default_factory=dict)
    clinicians: dict[str, frozenset[str]] = field(default_factory=dict)

    def route_of(self, handoff: Handoff) -> Route | None:
        return None if handoff.call_id is None else self.call_routes.get(handoff.call_id)

    def clinicians_of(self, handoff: Handoff) -> frozenset[str]:
        if handoff.inquiry_id is None:
            return frozenset()
        return self.clinicians.get(handoff.inquiry_id, frozenset())


def visibility(uow: UnitOfWork, handoffs: list[Handoff]) -> Visibility:
    """What the role rules need to know about some items, read in a few queries."""
    routes: dict[str, Route] = {}
    for call_id in {h.call_id for h in handoffs if h.call_id is not None}:
        call = uow.calls.get(call_id)
        if call is not None:
            routes[call_id] = call.route
    inquiry_ids = sorted({h.inquiry_id for h in handoffs if h.inquiry_id is not None})
    clinicians: dict[str, set[str]] = defaultdict(set)
    for record in uow.appointments.for_inquiries(inquiry_ids):
        if record.appointment.client.inquiry_id is not None:
            clinicians[record.appointment.client.inquiry_id].add(record.appointment.clinician_id)
    return Visibility(routes, {k: frozenset(v) for k, v in clinicians.items()})


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One line of the queue page: the item and whether its detail may be shown."""

    item: QueueItem
    detail: bool


def work_queue(
    *,
    uow: UnitOfWork,
    practice: Practice,
    user: StaffUser,
    now: datetime,
    include_done: bool = False,
    source: str | None = None,
) -> list[QueueEntry]:
    """The items this user may see, crisis and emergency first, then by urgency and age.

    `include_done` adds items finished in the last two days. The read is audited.
    """
    desk = desk_hours(practice)
    with uow:
        handoffs = uow.handoffs.list_active(done_since=now - DONE_SHOWN if include_done else None)
        seen = visibility(uow, handoffs)
        shown = [
            h
            for h in handoffs
            if may_see(
                user, h, call_route=seen.route_of(h), client_clinicians=seen.clinicians_of(h)
            )
        ]
        counts: dict[str, int] = defaultdict(int)
        for attempt in uow.handoffs.attempts([h.id for h in shown]):
            counts[attempt.handoff_id] += 1
        audit.record(
            uow=uow,
            actor=user.actor,
            action=AuditAction.VIEW,
            object_kind="handoff_queue",
            source=source,
            detail=f"rows={len(shown)}",
            at=now,
        )
        uow.commit()
    items = ordered(queue_item(h, desk=desk, now=now, attempts=counts[h.id]) for h in shown)
    return [
        QueueEntry(
            item,
            shows_detail(
                user,
                item.handoff,
                call_route=seen.route_of(item.handoff),
                client_clinicians=seen.clinicians_of(item.handoff),
            ),
        )
        for item in items
    ]


@dataclass(frozen=True, slots=True)
class IntakeValue:
    """One captured intake value and the caller's words it came from (turn and text)."""

    name: str
    value: str
    said: str | None = None
    turn: int | None = None


@dataclass(frozen=True, slots=True)
class EarlierCall:
    call: CallRecord
    handoffs: tuple[Handoff, ...]


@dataclass(frozen=True, slots=True)
class HandoffContext:
    """Everything about one item on one screen; without `detail`, the summary level only."""

    item: QueueItem
    detail: bool
    attempts: tuple[CallbackAttempt, ...]
    call: CallRecord | None = None
    inquiry: InquiryRecord | None = None
    intake: tuple[IntakeValue, ...] = ()
    turns: tuple[TurnRecord, ...] = ()
    voicemail: dict[str, object] | None = None
    earlier_calls: tuple[EarlierCall, ...] = ()


def handoff_context(
    *,
    uow: UnitOfWork,
    practice: Practice,
    user: StaffUser,
    handoff_id: HandoffId,
    now: datetime,
    source: str | None = None,
) -> HandoffContext:
    """One item with its summary, attempts and (where the role allows) intake with the
    caller's words, transcript, voicemail and earlier calls from the same number.

    Raises `NotFound` for an unknown id and `NotPermitted` for an item this user may not
    see (a clinician and another clinician's client). The view is audited.
    """
    with uow:
        handoff = uow.handoffs.get(handoff_id)
        if handoff is None:
            raise NotFound(f"no callback task {handoff_id}")
        seen = visibility(uow, [handoff])
        route, clinicians = seen.route_of(handoff), seen.clinicians_of(handoff)
        if not may_see(user, handoff, call_route=route, client_clinicians=clinicians):
            audit.record(
                uow=uow,
                actor=user.actor,
                action="refused",
                object_kind="handoff",
                object_id=handoff.id,
                source=source,
                at=now,
            )
            uow.commit()
            raise NotPermitted("this item is not one of yours")
        detail = shows_detail(user, handoff, call_route=route, client_clinicians=clinicians)
        attempts = tuple(uow.handoffs.attempts([handoff.id]))
        item = queue_item(handoff, desk=desk_hours(practice), now=now, attempts=len(attempts))
        context = HandoffContext(item=item, detail=detail, attempts=attempts)
        if detail:
            context = _with_detail(uow, context, handoff)
        audit.record(
            uow=uow,
            actor=user.actor,
            action=AuditAction.VIEW,
            object_kind="handoff",
            object_id=handoff.id,
            source=source,
            detail=f"detail={'full' if detail else 'summary'} turns={len(context.turns)}",
            at=now,
        )
        uow.commit()
    return context


def _with_detail(uow: UnitOfWork, context: HandoffContext, handoff: Handoff) -> HandoffContext:
    call = None if handoff.call_id is None else uow.calls.get(handoff.call_id)
    inquiry = None if handoff.inquiry_id is None else uow.inquiries.get(handoff.inquiry_id)
    turns = () if call is None else tuple(uow.turns.list_for_call(call.id))
    voicemail = handoff.details.get("voicemail")
    earlier: list[EarlierCall] = []
    if handoff.caller_number:
        for other in uow.calls.list_from_number(handoff.caller_number, limit=EARLIER_CALLS + 1):
            if call is not None and other.id == call.id:
                continue
            if other.started_at > handoff.created_at:
                continue
            earlier.append(EarlierCall(other, tuple(uow.handoffs.list_for_call(other.id))))
    return HandoffContext(
        item=context.item,
        detail=True,
        attempts=context.attempts,
        call=call,
        inquiry=inquiry,
        intake=intake_values(call, inquiry),
        turns=turns,
        voicemail=dict(voicemail) if isinstance(voicemail, dict) else None,
        earlier_calls=tuple(earlier[:EARLIER_CALLS]),
    )


_UNCONFIRMED = {"client_name": "client_name_unconfirmed", "email": "email_unconfirmed"}
_MARKS = frozenset({"callback_confirmed", *_UNCONFIRMED.values()})


def intake_values(
    call: CallRecord | None, inquiry: InquiryRecord | None
) -> tuple[IntakeValue, ...]:
    """The captured intake, field by field, each with the caller's words it came from."""
    if call is not None and call.state:
        state = CallState.from_dict(dict(call.state))
        intake = state.intake
        cited = {e.field: e for e in grounded_evidence(state)}
    elif inquiry is not None:
        intake, cited = inquiry.intake, {}
    else:
        return ()
    values = []
    for f in fields(Intake):
        if f.name in _MARKS:  # said with the value they mark
            continue
        shown = _shown(getattr(intake, f.name))
        if shown is None:
            continue
        if f.name == "callback_number":
            confirmed = intake.callback_confirmed
            shown += " (read back and confirmed)" if confirmed else " (read back, not confirmed)"
        if f.name in _UNCONFIRMED and getattr(intake, _UNCONFIRMED[f.name]):
            shown += " (read back, not confirmed)"
        evidence = cited.get(f.name)
        values.append(
            IntakeValue(
                name=f.name.replace("_", " "),
                value=shown,
                said=None if evidence is None else evidence.text,
                turn=None if evidence is None else evidence.turn,
            )
        )
    return tuple(values)


def _shown(value: object) -> str | None:
    if value is None or value == () or value == "":
        return None
    if isinstance(value, TelehealthConstraints):
        parts = [
            f"{name} {'yes' if flag else 'no'}"
            for name, flag in (
                ("private space", value.private_space),
                ("device", value.device),
                ("connection", value.connection),
            )
            if flag is not None
        ]
        if value.notes:
            parts.append(value.notes)
        return ", ".join(parts) or None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return "; ".join(_shown(v) or "" for v in value) or None
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text
    enum_value = getattr(value, "value", None)
    if isinstance(enum_value, str):
        return enum_value.replace("_", " ")
    return str(value)


def urgent_items(
    *, uow: UnitOfWork, practice: Practice, user: StaffUser, now: datetime
) -> list[QueueEntry]:
    """The open crisis, emergency and urgent items this user may see, newest first.

    What the live feed polls every few seconds: it carries ids, kinds and ages, no content,
    so it is not recorded as a view (opening an item is).
    """
    desk = desk_hours(practice)
    with uow:
        handoffs = [
            h
            for h in uow.handoffs.list_active()
            if h.is_urgent_route or h.urgency is Urgency.URGENT
        ]
        seen = visibility(uow, handoffs)
    entries = [
        QueueEntry(queue_item(h, desk=desk, now=now), detail=False)
        for h in handoffs
        if may_see(user, h, call_route=seen.route_of(h), client_clinicians=seen.clinicians_of(h))
    ]
    return sorted(
        entries, key=lambda e: (e.item.handoff.created_at, e.item.handoff.id), reverse=True
    )


def require_visible(
    *, uow: UnitOfWork, user: StaffUser, handoff_id: HandoffId, source: str | None = None
) -> None:
    """`NotFound` or `NotPermitted` (audited as a refusal) unless this user may see the
    item: no one changes what they may not open."""
    with uow:
        handoff = uow.handoffs.get(handoff_id)
        if handoff is None:
            raise NotFound(f"no callback task {handoff_id}")
        seen = visibility(uow, [handoff])
        if may_see(
            user,
            handoff,
            call_route=seen.route_of(handoff),
            client_clinicians=seen.clinicians_of(handoff),
        ):
            return
        audit.record(
            uow=uow,
            actor=user.actor,
            action="refused",
            object_kind="handoff",
            object_id=handoff.id,
            source=source,
        )
        uow.commit()
    raise NotPermitted("this item is not one of yours")
