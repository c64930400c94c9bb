"""Booking from the Calendar: a new or an established client, into a time the rules allow.

The form is posted, never sent in an address (it holds a name and a number): `find` lists
the open times that fit the client by the phone's matching rules, `book` books the chosen
one through `services.staff_booking`. Whatever was typed comes back with any refusal.
"""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontdesk.bootstrap import Services
from frontdesk.domain.calendar import Slot
from frontdesk.domain.errors import FrontdeskError, InvalidInput
from frontdesk.domain.inquiries import Modality, Payment, ReminderPreference
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.staff import Role, StaffUser
from frontdesk.entrypoints.web.console.calendar import (
    SEARCH_DAYS,
    App,
    CalendarUser,
    call,
    changed_by,
    clinician_scope,
    day_of,
    query,
    slot_from,
    slot_value,
)
from frontdesk.entrypoints.web.console.render import render
from frontdesk.entrypoints.web.console.routing import console_router
from frontdesk.services import clients, staff_booking, staff_matching
from frontdesk.services.staff_audit import ChangedBy

router = console_router(tags=["console"])


def _blank_form(clinician: str | None, day: str) -> dict[str, str]:
    return {
        "who": "new",
        "name": "",
        "phone": "",
        "email": "",
        "state": "",
        "age": "",
        "pays": "",
        "payer": "",
        "remind": "",
        "client": "",
        "kind": ServiceKind.FIRST_SESSION.value,
        "clinician": clinician or "",
        "modality": "",
        "day": day,
        "weeks": "1",
    }


@router.get("/calendar/book", response_class=HTMLResponse)
async def book_page(
    request: Request,
    user: CalendarUser,
    services: App,
    clinician: str | None = None,
    day: str | None = None,
) -> Response:
    """The booking form: who (a new or an established client), what and with whom."""
    scope = clinician_scope(user, clinician)
    form = _blank_form(scope, day_of(day, services).isoformat())
    return await _book_form(request, services, user, form, slots=None, error=None)


async def _book_form(
    request: Request,
    services: Services,
    user: StaffUser,
    form: dict[str, str],
    *,
    slots: list[Slot] | None,
    error: str | None,
    status_code: int = 200,
) -> Response:
    practice = services.practice
    clinicians = [c for c in practice.clinicians if user.may_see_client_of(c.id)]
    return await render(
        request,
        "calendar_book.html",
        {
            "form": form,
            "slots": None if slots is None else [(s, slot_value(s)) for s in slots],
            "clinicians": clinicians,
            "clinician_names": {c.id: c.name for c in practice.clinicians},
            "location_names": {loc.id: loc.name for loc in practice.locations},
            "payers": practice.payers,
            "kinds": [k.value for k in ServiceKind],
            "payments": [p.value for p in Payment],
            "reminders": [r.value for r in ReminderPreference],
            "zone": practice.zone,
            "error": error,
            "max_weeks": staff_booking.MAX_WEEKS,
        },
        status_code=status_code,
    )


def _new_client(form: dict[str, str]) -> staff_matching.NewClient:
    age = form["age"].strip()
    if age and not age.isdigit():
        raise InvalidInput("age must be a whole number")
    return staff_matching.NewClient(
        name=form["name"],
        phone=form["phone"].strip() or None,
        email=form["email"].strip() or None,
        state=form["state"].strip() or None,
        age=int(age) if age else None,
        payment=Payment(form["pays"]) if form["pays"] else None,
        payer=form["payer"] or None,
        reminder=ReminderPreference(form["remind"]) if form["remind"] else None,
    )


def _choice(form: dict[str, str]) -> tuple[ServiceKind, Modality | None]:
    try:
        kind = ServiceKind(form["kind"])
        modality = Modality(form["modality"]) if form["modality"] else None
    except ValueError:
        raise InvalidInput("choose the kind of appointment and how it is held") from None
    if modality is Modality.HYBRID:
        raise InvalidInput("a session is either telehealth or in person")
    return kind, modality


def _find(services: Services, form: dict[str, str]) -> list[Slot]:
    """The open slots this client may be booked into, over the week from the chosen day."""
    practice = services.practice
    kind, modality = _choice(form)
    now = services.clock()
    first = date.fromisoformat(form["day"]) if form["day"] else now.date()
    days = (first - now.astimezone(practice.zone).date()).days + SEARCH_DAYS
    if days < 0:
        return []
    if form["who"] == "client":
        if not form["clinician"]:
            raise InvalidInput("choose the clinician the client sees")
        found = staff_matching.openings_for_client(
            client_id=clients.resolve(reference=form["client"], uow=services.uow()),
            clinician_id=form["clinician"],
            kind=kind,
            now=now,
            days=days,
            uow=services.uow(),
            practice=practice,
            modality=modality,
            state=form["state"] or None,
        )
    else:
        found = staff_matching.openings_for_new_client(
            client=_new_client(form),
            kind=kind,
            now=now,
            days=days,
            uow=services.uow(),
            practice=practice,
            modality=modality,
            clinician_id=form["clinician"] or None,
        )
    zone = practice.zone
    last = first + timedelta(days=SEARCH_DAYS)
    return [s for s in found if first <= s.start.astimezone(zone).date() < last]


def _book(services: Services, form: dict[str, str], slot_value: str, by: ChangedBy) -> None:
    kind, _ = _choice(form)
    slot = slot_from(slot_value, kind, services)
    at = services.clock()
    if form["who"] == "client":
        weeks = form["weeks"].strip() or "1"
        if not weeks.isdigit():
            raise InvalidInput("weeks must be a whole number")
        staff_booking.book_client(
            client_id=clients.resolve(reference=form["client"], uow=services.uow()),
            slot=slot,
            at=at,
            uow=services.uow(),
            practice=services.practice,
            by=by,
            weeks=int(weeks),
            state=form["state"] or None,
            reminder=ReminderPreference(form["remind"]) if form["remind"] else None,
        )
    else:
        staff_booking.book_new_client(
            client=_new_client(form),
            slot=slot,
            at=at,
            uow=services.uow(),
            practice=services.practice,
            by=by,
        )


@router.post("/calendar/book", response_class=HTMLResponse)
async def book(request: Request, user: CalendarUser, services: App) -> Response:
    """`action=find` lists the open times that fit; `action=book` books the chosen one.

    Whatever was entered comes back with an error, so nothing typed is lost.
    """
    posted = await request.form()
    form = _blank_form(None, "")
    for key in form:
        value = posted.get(key)
        if isinstance(value, str):
            form[key] = value[:200]
    if form["who"] not in ("new", "client"):
        raise HTTPException(status_code=400, detail="choose a new or an established client")
    if user.role is Role.CLINICIAN:
        form["clinician"] = user.clinician_id or ""
    action = posted.get("action")
    slot_value = posted.get("slot")
    try:
        if action == "book":
            if not isinstance(slot_value, str) or not slot_value:
                raise InvalidInput("choose one of the listed times")
            if not user.may_see_client_of(slot_value.split("|", 1)[0]):
                raise HTTPException(status_code=403, detail="you may book only your own calendar")
            await call(lambda: _book(services, form, slot_value, changed_by(request, user)))
            kind_day = slot_from(slot_value, ServiceKind(form["kind"]), services).start
            day = kind_day.astimezone(services.practice.zone).date().isoformat()
            target = "/calendar?" + query(
                view="day", day=day, clinician=form["clinician"] or None, notice="booked"
            )
            return RedirectResponse(target, status_code=303)
        slots = await call(lambda: _find(services, form))
    except FrontdeskError as exc:
        found = None
        if action == "book":
            try:
                found = await call(lambda: _find(services, form))
            except FrontdeskError:
                found = None
        return await _book_form(
            request, services, user, form, slots=found, error=str(exc), status_code=409
        )
    return await _book_form(request, services, user, form, slots=slots, error=None)
