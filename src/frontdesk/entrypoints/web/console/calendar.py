"""The Calendar page: day and week views, booking, moving, cancelling and attendance.

Every change goes through `services.staff_booking` (the phone's rules and locked booking
path) with the signed-in person as actor. A clinician sees, books and changes only their
own clients' appointments; front desk and admins see every clinician. Names are shown,
never put in a URL or a log line; each view is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontdesk.bootstrap import Services
from frontdesk.domain.appointments import OUTCOMES, AppointmentStatus
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.calendar import Slot
from frontdesk.domain.errors import FrontdeskError, NotFound
from frontdesk.domain.inquiries import Modality
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.staff import Role, StaffUser
from frontdesk.entrypoints.web.console.auth import require_section, source_of
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.entrypoints.web.dependencies import services_of
from frontdesk.services import audit, calendar_view, staff_booking, staff_matching
from frontdesk.services.calendar_view import VIDEO, CalendarEntry
from frontdesk.services.staff_audit import ChangedBy

router = console_router(tags=["console"])
CalendarUser = Annotated[StaffUser, Depends(require_section("calendar"))]
App = Annotated[Services, Depends(services_of)]
T = TypeVar("T")

NOTICES = {
    "booked": "Booked.",
    "moved": "Moved.",
    "cancelled": "Cancelled; the time is offered to the waitlist.",
    "marked": "Recorded.",
}
MARKS = [
    (AppointmentStatus.ATTENDED, "Attended"),
    (AppointmentStatus.NO_SHOW, "No-show"),
    (AppointmentStatus.LATE_CANCELLED, "Late cancel"),
]
SEARCH_DAYS = 7  # openings listed at a time, from the chosen day


def changed_by(request: Request, user: StaffUser) -> ChangedBy:
    return ChangedBy(user.actor, source_of(request))


def clinician_scope(user: StaffUser, wanted: str | None) -> str | None:
    """The clinician whose calendar the user may see: a clinician only their own."""
    if user.role is Role.CLINICIAN:
        if user.clinician_id is None:
            raise HTTPException(status_code=403, detail="this account is not linked to a clinician")
        return user.clinician_id
    return wanted or None


def day_of(text: str | None, services: Services) -> date:
    if not text:
        return services.clock().astimezone(services.practice.zone).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(status_code=400, detail="the date is not like 2026-03-02") from None


def query(**values: str | None) -> str:
    return urlencode({k: v for k, v in values.items() if v})


async def call(function: Callable[[], T]) -> T:
    return await run_in_threadpool(function)


@router.get("/calendar", response_class=HTMLResponse)
async def calendar_page(
    request: Request,
    user: CalendarUser,
    services: App,
    view: str = "day",
    day: str | None = None,
    clinician: str | None = None,
    location: str | None = None,
    notice: str | None = None,
) -> Response:
    """The day or week of one clinician and office (or all the user may see)."""
    practice = services.practice
    chosen = day_of(day, services)
    week = view == "week"
    first = calendar_view.week_start(chosen) if week else chosen
    scope = clinician_scope(user, clinician)
    place = location or None
    days = await call(
        lambda: calendar_view.calendar(
            first=first,
            days=7 if week else 1,
            uow=services.uow(),
            practice=practice,
            clinician_id=scope,
            location=place,
        )
    )
    shown = sum(len(d.entries) for d in days)
    await call(
        lambda: audit.record_standalone(
            uow=services.uow(),
            actor=user.actor,
            action=AuditAction.VIEW.value,
            object_kind="calendar",
            object_id=scope,
            source=source_of(request),
            detail=f"rows={shown} days={len(days)}",
        )
    )
    step = timedelta(days=7 if week else 1)
    base = {"view": "week" if week else "day", "clinician": scope, "location": place}
    return await render(
        request,
        "calendar.html",
        {
            "days": days,
            "week": week,
            "first": first,
            "chosen": chosen,
            "zone": practice.zone,
            "clinicians": [
                c for c in practice.clinicians if user.role is not Role.CLINICIAN or c.id == scope
            ],
            "clinician_names": {c.id: c.name for c in practice.clinicians},
            "locations": practice.locations,
            "location_names": {loc.id: loc.name for loc in practice.locations},
            "video": VIDEO,
            "scope": scope,
            "place": place,
            "marks": MARKS,
            "notice": NOTICES.get(notice or ""),
            "previous": "/calendar?" + query(**base, day=(chosen - step).isoformat()),
            "next": "/calendar?" + query(**base, day=(chosen + step).isoformat()),
            "day_link": "/calendar?" + query(clinician=scope, location=place, view="day"),
            "week_link": "/calendar?"
            + query(clinician=scope, location=place, view="week", day=chosen.isoformat()),
            "book_link": "/calendar/book?" + query(clinician=scope, day=chosen.isoformat()),
            "back": "/calendar?" + query(**base, day=chosen.isoformat()),
            "now": services.clock(),
        },
    )


async def _entry(services: Services, user: StaffUser, appointment_id: str) -> CalendarEntry:
    """The appointment, if the user may see it (404 otherwise: its existence is not told)."""
    entry = await call(
        lambda: calendar_view.appointment_entry(appointment_id=appointment_id, uow=services.uow())
    )
    if entry is None or not user.may_see_client_of(entry.appointment.clinician_id):
        raise HTTPException(status_code=404, detail="no such appointment")
    return entry


def _back(back: str) -> str:
    """A local calendar address to return to (anything else goes to the calendar)."""
    return back if back.startswith("/calendar") and "//" not in back else "/calendar"


def _with_notice(back: str, notice: str) -> str:
    return f"{back}{'&' if '?' in back else '?'}notice={notice}"


@router.post("/calendar/appointments/{appointment_id}/mark")
async def mark(
    request: Request,
    user: CalendarUser,
    services: App,
    appointment_id: str,
    status: Annotated[str, Form(max_length=32)],
    back: Annotated[str, Form(max_length=500)] = "/calendar",
) -> Response:
    """Record attended, no-show or a late cancellation."""
    await _entry(services, user, appointment_id)
    try:
        outcome = AppointmentStatus(status)
    except ValueError:
        raise HTTPException(status_code=400, detail="not an attendance outcome") from None
    if outcome not in OUTCOMES:
        raise HTTPException(status_code=400, detail="not an attendance outcome")
    await _refusing(
        lambda: staff_booking.mark(
            appointment_id=appointment_id,
            status=outcome,
            at=services.clock(),
            uow=services.uow(),
            by=changed_by(request, user),
        )
    )
    return RedirectResponse(_with_notice(_back(back), "marked"), status_code=303)


@router.post("/calendar/appointments/{appointment_id}/cancel")
async def cancel(
    request: Request,
    user: CalendarUser,
    services: App,
    appointment_id: str,
    reason: Annotated[str, Form(max_length=200)] = "",
    back: Annotated[str, Form(max_length=500)] = "/calendar",
) -> Response:
    """Cancel for the client (late inside the notice window); the time goes to the waitlist."""
    await _entry(services, user, appointment_id)
    await _refusing(
        lambda: staff_booking.cancel(
            appointment_id=appointment_id,
            at=services.clock(),
            uow=services.uow(),
            practice=services.practice,
            by=changed_by(request, user),
            reason=reason.strip() or None,
        )
    )
    return RedirectResponse(_with_notice(_back(back), "cancelled"), status_code=303)


async def _refusing(function: Callable[[], T]) -> T:
    """Run a use case; a rule it refuses becomes a 409 page naming the rule."""
    try:
        return await call(function)
    except NotFound:
        raise HTTPException(status_code=404, detail="no such appointment or client") from None
    except FrontdeskError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from None


def slot_value(slot: Slot) -> str:
    return "|".join(
        [slot.clinician_id, slot.start.isoformat(), slot.modality.value, slot.location_id or ""]
    )


def slot_from(value: str, kind: ServiceKind, services: Services) -> Slot:
    try:
        clinician_id, start, modality, location = value.split("|")
        return staff_booking.slot_at(
            services.practice,
            clinician_id=clinician_id,
            start=datetime.fromisoformat(start),
            kind=kind,
            modality=Modality(modality),
            location_id=location or None,
        )
    except (ValueError, FrontdeskError):
        raise HTTPException(status_code=400, detail="choose one of the listed times") from None


@router.get("/calendar/appointments/{appointment_id}/move", response_class=HTMLResponse)
async def move_page(
    request: Request,
    user: CalendarUser,
    services: App,
    appointment_id: str,
    day: str | None = None,
    back: str = "/calendar",
) -> Response:
    """The open times of the same clinician and kind, a week at a time."""
    entry = await _entry(services, user, appointment_id)
    return await _move_form(request, services, entry, day_of(day, services), _back(back), None)


async def _move_form(
    request: Request,
    services: Services,
    entry: CalendarEntry,
    first: date,
    back: str,
    error: str | None,
) -> Response:
    appointment = entry.appointment
    zone = services.practice.zone
    now = services.clock()
    horizon = (first - now.astimezone(zone).date()).days + SEARCH_DAYS
    found = (
        await call(
            lambda: staff_matching.openings_for_move(
                appointment_id=appointment.id,
                now=now,
                days=horizon,
                uow=services.uow(),
                practice=services.practice,
            )
        )
        if horizon > 0
        else []
    )
    last = first + timedelta(days=SEARCH_DAYS)
    slots = [s for s in found if first <= s.start.astimezone(zone).date() < last]
    link = f"/calendar/appointments/{appointment.id}/move?"
    return await render(
        request,
        "calendar_move.html",
        {
            "entry": entry,
            "slots": [(s, slot_value(s)) for s in slots],
            "zone": services.practice.zone,
            "location_names": {loc.id: loc.name for loc in services.practice.locations},
            "clinician_names": {c.id: c.name for c in services.practice.clinicians},
            "earlier": link
            + query(day=(first - timedelta(days=SEARCH_DAYS)).isoformat(), back=back),
            "later": link + query(day=(first + timedelta(days=SEARCH_DAYS)).isoformat(), back=back),
            "back": back,
            "error": error,
        },
        status_code=409 if error else 200,
    )


@router.post("/calendar/appointments/{appointment_id}/move")
async def move(
    request: Request,
    user: CalendarUser,
    services: App,
    appointment_id: str,
    slot: Annotated[str, Form(max_length=200)],
    reason: Annotated[str, Form(max_length=200)] = "",
    back: Annotated[str, Form(max_length=500)] = "/calendar",
) -> Response:
    """Move to the chosen time (the client's matching rules still apply)."""
    entry = await _entry(services, user, appointment_id)
    chosen = slot_from(slot, entry.appointment.kind, services)
    if not user.may_see_client_of(chosen.clinician_id):
        raise HTTPException(status_code=403, detail="you may book only your own calendar")
    try:
        await call(
            lambda: staff_booking.move(
                appointment_id=appointment_id,
                slot=chosen,
                at=services.clock(),
                uow=services.uow(),
                practice=services.practice,
                by=changed_by(request, user),
                reason=reason.strip() or None,
            )
        )
    except FrontdeskError as exc:
        first = chosen.start.astimezone(services.practice.zone).date()
        return await _move_form(request, services, entry, first, _back(back), str(exc))
    return RedirectResponse(_with_notice(_back(back), "moved"), status_code=303)
