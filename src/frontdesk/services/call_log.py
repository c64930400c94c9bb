"""The call log staff read: calls with route, intent and outcome, searched by number or
name, and one call's transcript. Reads follow the queue's role rules and are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from frontdesk.conversation.understanding.numbers import e164
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.calls import Route
from frontdesk.domain.errors import InvalidInput, NotFound, NotPermitted
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.queue_access import CLINICAL_ROUTES
from frontdesk.domain.records import CallId, CallRecord, InquiryRecord, TurnRecord
from frontdesk.domain.staff import Role, StaffUser
from frontdesk.services import audit
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.services.work_queue import IntakeValue, intake_values

SEARCH_DAYS = 365  # a search by name or number looks back this far
MAX_QUERY = 100
MAX_ROWS = 500


@dataclass(frozen=True, slots=True)
class CallLine:
    """One call in the log; `client_name` only where the role may see the client."""

    call: CallRecord
    client_name: str | None
    tasks: int


def number_of(query: str) -> str | None:
    """The E.164 number a search means, when it is one (`(312) 555-0142`, `+13125550142`)."""
    digits = "".join(c for c in query if c.isdigit())
    if len(digits) < 10:
        return None
    if query.strip().startswith("+") and not digits.startswith("1"):
        return f"+{digits}"
    return e164(digits) or f"+{digits}"


def may_see_call(user: StaffUser, call: CallRecord) -> bool:
    """Front desk, admins and auditors see the log; clinicians the calls that took a
    clinical, crisis or sensitive route."""
    if user.role is Role.CLINICIAN:
        return call.route in CLINICAL_ROUTES
    return True


def shows_transcript(user: StaffUser, call: CallRecord) -> bool:
    """The transcript and intake: admins always; clinicians for the calls they see; front
    desk for calls without clinical content; auditors never."""
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.CLINICIAN:
        return may_see_call(user, call)
    if user.role is Role.FRONT_DESK:
        return call.route not in CLINICAL_ROUTES
    return False


def call_log(
    *,
    uow: UnitOfWork,
    user: StaffUser,
    now: datetime,
    days: int = 7,
    query: str = "",
    source: str | None = None,
) -> list[CallLine]:
    """Calls of the last `days` days, newest first; with `query`, calls from that number or
    whose inquiry names that client, over the last year. At most 500 lines."""
    query = query.strip()
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"a search is at most {MAX_QUERY} characters")
    if not 1 <= days <= 366:
        raise InvalidInput("days must be between 1 and 366")
    number = number_of(query) if query else None
    with uow:
        if number is not None:
            calls = uow.calls.list_from_number(number, limit=MAX_ROWS)
        else:
            span = SEARCH_DAYS if query else days
            calls = uow.calls.list_started_between(now - timedelta(days=span), now + timedelta(1))
            calls.reverse()
        calls = [c for c in calls if may_see_call(user, c)]
        names = _names(uow, calls)
        if query and number is None:
            wanted = query.casefold()
            calls = [c for c in calls if wanted in (names.get(c.id) or "").casefold()]
        lines = [
            CallLine(
                call=c,
                client_name=names.get(c.id) if shows_transcript(user, c) else None,
                tasks=len(uow.handoffs.list_for_call(c.id)),
            )
            for c in calls[:MAX_ROWS]
        ]
        kind = "number" if number else ("name" if query else "none")
        audit.record(
            uow=uow,
            actor=user.actor,
            action=AuditAction.VIEW,
            object_kind="call_log",
            source=source,
            detail=f"rows={len(lines)} search={kind}",
            at=now,
        )
        uow.commit()
    return lines


def _names(uow: UnitOfWork, calls: list[CallRecord]) -> dict[CallId, str]:
    names: dict[CallId, str] = {}
    for call in calls:
        for inquiry in uow.inquiries.list_for_call(call.id):
            if inquiry.intake.client_name:
                names[call.id] = inquiry.intake.client_name
    return names


@dataclass(frozen=True, slots=True)
class CallView:
    """One call as a page shows it; `transcript` False leaves turns and intake out."""

    call: CallRecord
    transcript: bool
    turns: tuple[TurnRecord, ...]
    intake: tuple[IntakeValue, ...]
    inquiry: InquiryRecord | None
    handoffs: tuple[Handoff, ...]


def call_view(
    *,
    uow: UnitOfWork,
    user: StaffUser,
    call_id: CallId,
    now: datetime,
    source: str | None = None,
) -> CallView:
    """One call with its tasks, and its transcript and intake where the role allows.

    Raises `NotFound` for an unknown call and `NotPermitted` for one the role may not see.
    The view is audited.
    """
    with uow:
        call = uow.calls.get(call_id)
        if call is None:
            raise NotFound(f"no call {call_id}")
        if not may_see_call(user, call):
            raise NotPermitted("this call is not one of yours")
        transcript = shows_transcript(user, call)
        inquiries = uow.inquiries.list_for_call(call.id)
        inquiry = inquiries[-1] if inquiries else None
        turns = tuple(uow.turns.list_for_call(call.id)) if transcript else ()
        view = CallView(
            call=call,
            transcript=transcript,
            turns=turns,
            intake=intake_values(call, inquiry) if transcript else (),
            inquiry=inquiry if transcript else None,
            handoffs=tuple(uow.handoffs.list_for_call(call.id)),
        )
        audit.record(
            uow=uow,
            actor=user.actor,
            action=AuditAction.VIEW,
            object_kind="call",
            object_id=call.id,
            source=source,
            detail=f"turns={len(turns)}",
            at=now,
        )
        uow.commit()
    return view


def route_label(route: Route) -> str:
    return route.value.replace("_", " ")
