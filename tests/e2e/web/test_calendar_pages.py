"""The Calendar, Waitlist and Scripts pages over HTTP: booking by the phone's rules, roles,
moves, cancellations, attendance, offers and script approval, asserted on stored outcomes."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.console_helpers import add_staff, signed_in_as

from frontdesk.adapters.script_file import load_script_library
from frontdesk.bootstrap import Services
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.inquiries import Intake, Modality, Payment, ReminderPreference
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.entrypoints.web.app import create_app
from frontdesk.services import (
    audit,
    calendar_view,
    script_review,
    staff_booking,
    staff_matching,
    waitlist,
)
from frontdesk.services.staff_audit import CLI

from .conftest import OPEN, Clock, TestClient

SLOT = re.compile(r'name="slot" value="([^"]+)"')
NEW_CLIENT = {
    "who": "new",
    "name": "Jordan Avery",
    "phone": "312-555-0177",
    "state": "IL",
    "age": "34",
    "pays": "private_pay",
    "kind": "first_session",
    "clinician": "maya_okafor",
    "modality": "telehealth",
    "day": OPEN.date().isoformat(),
}


def signed(services: Services, username: str, role: str, **extra: str) -> TestClient:
    client = TestClient(create_app(services))
    add_staff(services, username, role, **extra)
    signed_in_as(client, username)
    return client


def appointments_on(services: Services, day: date) -> list[calendar_view.CalendarEntry]:
    (found,) = calendar_view.calendar(
        first=day, days=1, uow=services.uow(), practice=services.practice
    )
    return found.entries


def book_by_page(client: TestClient, **changes: str) -> str:
    """Find the open times for the client and book the first; the redirect target."""
    form = {**NEW_CLIENT, **changes}
    found = client.post("/calendar/book", data={**form, "action": "find"})
    assert found.status_code == 200, found.text
    slots = SLOT.findall(found.text)
    assert slots, "no open time listed"
    booked = client.post(
        "/calendar/book",
        data={**form, "action": "book", "slot": slots[0].replace("&#43;", "+")},
        follow_redirects=False,
    )
    assert booked.status_code == 303, booked.text
    return str(booked.headers["location"])


def test_front_desk_books_a_new_client_from_the_calendar(
    services: Services, client: TestClient
) -> None:
    """The booking is stored as staff-made with the name given, and the day shows it."""
    desk = signed(services, "desk", "front_desk")
    target = book_by_page(desk)
    assert "notice=booked" in target
    entries = appointments_on(services, OPEN.date())
    entries += appointments_on(services, OPEN.date() + timedelta(days=1))
    (entry,) = [e for e in entries if e.client_name == "Jordan Avery"]
    assert entry.made_by == "staff"
    assert entry.appointment.clinician_id == "maya_okafor"
    day = desk.get(target)
    assert day.status_code == 200
    assert "Jordan Avery" in day.text
    assert "source-staff" in day.text
    assert "Booked." in day.text
    assert "Jordan" not in target  # no name in any address
    views = audit.entries(uow=services.uow(), object_kind="calendar", action="view")
    assert views
    assert views[0].entry.actor.startswith("user:")


def test_a_client_outside_the_network_gets_no_times_and_a_forged_one_is_refused(
    services: Services, client: TestClient
) -> None:
    """Aetna is not Daniel's network: nothing is listed, a posted time is refused with the
    rule's name, and what was typed comes back in the form."""
    desk = signed(services, "desk", "front_desk")
    form = {**NEW_CLIENT, "pays": "insurance", "payer": "aetna", "clinician": "daniel_reyes"}
    found = desk.post("/calendar/book", data={**form, "action": "find"})
    assert found.status_code == 200
    assert SLOT.findall(found.text) == []
    other = desk.post(
        "/calendar/book",
        data={**form, "clinician": "maya_okafor", "action": "find"},
    )
    maya_slot = SLOT.findall(other.text)[0].replace("&#43;", "+")
    forged = "daniel_reyes|" + maya_slot.split("|", 1)[1]
    refused = desk.post("/calendar/book", data={**form, "action": "book", "slot": forged})
    assert refused.status_code == 409
    assert "payer_network" in refused.text or "not open" in refused.text
    assert 'value="Jordan Avery"' in refused.text


def test_an_established_clients_weekly_sessions_are_booked_from_the_page(
    services: Services, client: TestClient, clock: Clock
) -> None:
    """Four weekly sessions at the chosen time, each shown as made by staff."""
    from frontdesk.services import clients

    client_id = clients.add(
        name="Riley Stone",
        date_of_birth=date(1988, 5, 1),
        phone="+13125550188",
        at=clock.now,
        uow=services.uow(),
    )
    desk = signed(services, "desk", "front_desk")
    form = {
        "who": "client",
        "client": "(312) 555-0188",  # staff know the number, not the id
        "kind": "ongoing",
        "clinician": "maya_okafor",
        "modality": "in_person",
        "day": (OPEN.date() + timedelta(days=1)).isoformat(),
        "weeks": "4",
    }
    found = desk.post("/calendar/book", data={**form, "action": "find"})
    slots = [s.replace("&#43;", "+") for s in SLOT.findall(found.text)]
    assert slots
    for chosen in slots:
        booked = desk.post(
            "/calendar/book",
            data={**form, "action": "book", "slot": chosen},
            follow_redirects=False,
        )
        if booked.status_code == 303:
            break
        assert booked.status_code == 409  # a later week taken or closed: try the next time
    else:
        raise AssertionError("no time open four weeks running")
    with services.uow() as uow:
        held = uow.appointments.for_client(client_id=client_id)
    assert len(held) == 4
    assert all(r.appointment.made_by == "staff" for r in held)


def test_a_clinician_sees_and_changes_only_their_own_clients(
    services: Services, client: TestClient, clock: Clock
) -> None:
    """Maya's calendar holds Maya's client only; Daniel's appointment is not hers to mark."""
    practice = services.practice
    mine = _book(services, "maya_okafor", "Client Of Maya", Modality.TELEHEALTH, clock)
    theirs = _book(services, "daniel_reyes", "Client Of Daniel", Modality.TELEHEALTH, clock)
    maya = signed(services, "maya", "clinician", clinician_id="maya_okafor")
    day = mine.start.astimezone(practice.zone).date().isoformat()
    page = maya.get(f"/calendar?view=week&day={day}&clinician=daniel_reyes")
    assert page.status_code == 200
    assert "Client Of Maya" in page.text
    assert "Client Of Daniel" not in page.text
    refused = maya.post(f"/calendar/appointments/{theirs.id}/mark", data={"status": "attended"})
    assert refused.status_code == 404
    done = maya.post(
        f"/calendar/appointments/{mine.id}/mark",
        data={"status": "no_show"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with services.uow() as uow:
        stored = uow.appointments.get(mine.id)
        other = uow.appointments.get(theirs.id)
    assert stored is not None
    assert stored.appointment.status is AppointmentStatus.NO_SHOW
    assert other is not None
    assert other.appointment.status is AppointmentStatus.BOOKED


def test_an_auditor_cannot_open_the_calendar_and_front_desk_cannot_approve_scripts(
    services: Services, client: TestClient
) -> None:
    """Minimum necessary: the auditor has no calendar; approval is the clinical lead's."""
    auditor = signed(services, "auditor", "auditor")
    assert auditor.get("/calendar").status_code == 403
    desk = signed(services, "desk", "front_desk")
    assert desk.get("/scripts").status_code == 200
    assert desk.post("/scripts/noted/approve", data={"seen": "x" * 64}).status_code == 403


def test_move_and_cancel_from_the_calendar(
    services: Services, client: TestClient, clock: Clock
) -> None:
    """A move lands on a listed open time; a cancellation frees it."""
    booked = _book(services, "maya_okafor", "Moved Person", Modality.TELEHEALTH, clock)
    day = booked.start.astimezone(services.practice.zone).date()
    page = client.get(f"/calendar/appointments/{booked.id}/move?day={day.isoformat()}")
    assert page.status_code == 200
    choices = [s.replace("&#43;", "+") for s in SLOT.findall(page.text)]
    later = next(
        c
        for c in choices
        if c.split("|")[2] == "telehealth" and c.split("|")[1] > booked.start.isoformat()
    )
    moved = client.post(
        f"/calendar/appointments/{booked.id}/move", data={"slot": later}, follow_redirects=False
    )
    assert moved.status_code == 303
    with services.uow() as uow:
        old = uow.appointments.get(booked.id)
    assert old is not None
    assert old.appointment.status is AppointmentStatus.RESCHEDULED
    new_id = old.appointment.rescheduled_to
    assert new_id is not None
    cancelled = client.post(f"/calendar/appointments/{new_id}/cancel", follow_redirects=False)
    assert cancelled.status_code == 303
    with services.uow() as uow:
        new = uow.appointments.get(new_id)
    assert new is not None
    assert new.appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)


def test_the_waitlist_shows_entries_with_age_and_offers_a_suitable_time(
    services: Services, client: TestClient, clock: Clock
) -> None:
    """A waiting client is listed with how long they waited; "Offer now" opens an offer."""
    joined = clock.now - timedelta(days=3)
    with services.uow() as uow:
        uow.inquiries.add(
            InquiryRecord(
                id="inq-wait",
                created_at=joined,
                updated_at=joined,
                intake=Intake(client_name="Pat Waiting"),
            )
        )
        uow.commit()
    waitlist.join(
        inquiry_id="inq-wait",
        intake=Intake(
            client_name="Pat Waiting",
            modality=Modality.TELEHEALTH,
            state="IL",
            payment=Payment.PRIVATE_PAY,
            client_age=40,
            callback_number="+13125550166",
            reminder_preference=ReminderPreference.SMS,
            consent_to_text=True,
        ),
        kind=ServiceKind.FIRST_SESSION,
        at=joined,
        uow=services.uow(),
    )
    page = client.get("/waitlist")
    assert page.status_code == 200
    assert "Pat Waiting" in page.text
    assert "waiting 3 days" in page.text
    offered = [s.replace("&#43;", "+") for s in SLOT.findall(page.text)]
    assert offered
    done = client.post("/waitlist/offer", data={"slot": offered[0]}, follow_redirects=False)
    assert done.status_code == 303
    assert "notice=offered" in done.headers["location"]
    with services.uow() as uow:
        assert len(uow.openings.list_open()) == 1
    again = client.post("/waitlist/offer", data={"slot": offered[0]})
    assert again.status_code == 409
    assert "already been offered" in again.text
    with services.uow() as uow:
        assert len(uow.openings.list_open()) == 1


def test_the_lead_approves_and_edits_script_lines_on_the_page(
    services: Services, client: TestClient
) -> None:
    """An approval is recorded; an edit that drops a placeholder is refused and shown; a
    good edit is written to the file and waits for approval."""
    assert services.practice_file is not None
    path = services.practice_file.parent / "scripts.yaml"
    page = client.get("/scripts")
    assert page.status_code == 200
    assert "Placeholders:" in page.text
    state = script_review.overview(path=path, uow=services.uow()).line("greeting")
    approved = client.post(
        "/scripts/greeting/approve", data={"seen": state.digest}, follow_redirects=False
    )
    assert approved.status_code == 303
    assert script_review.overview(path=path, uow=services.uow()).line("greeting").approved
    assert "Last approved by admin on" in client.get("/scripts?show=approved").text
    refused = client.post(
        "/scripts/greeting/edit", data={"seen": state.digest, "text": "Hello from {practice}."}
    )
    assert refused.status_code == 409
    assert "{emergency_number} is missing" in refused.text
    assert "Hello from {practice}." in refused.text  # what was typed is kept
    noted = script_review.overview(path=path, uow=services.uow()).line("noted")
    saved = client.post(
        "/scripts/noted/edit",
        data={"seen": noted.digest, "text": "Thank you, that is written down."},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert load_script_library(path).lines["noted"].text == "Thank you, that is written down."


def _book(services: Services, clinician: str, name: str, modality: Modality, clock: Clock):  # type: ignore[no-untyped-def]
    """Book the first open first session with `clinician` for a new client, as staff."""
    client = staff_matching.NewClient(name=name, state="IL", payment=Payment.PRIVATE_PAY)
    (slot, *_) = staff_matching.openings_for_new_client(
        client=client,
        kind=ServiceKind.FIRST_SESSION,
        now=clock.now,
        days=14,
        uow=services.uow(),
        practice=services.practice,
        modality=modality,
        clinician_id=clinician,
    )
    booking = staff_booking.book_new_client(
        client=client,
        slot=slot,
        at=clock.now,
        uow=services.uow(),
        practice=services.practice,
        by=CLI,
    )
    (appointment_id,) = booking.appointment_ids
    with services.uow() as uow:
        record = uow.appointments.get(appointment_id)
    assert record is not None
    return record.appointment


def test_lines_the_product_never_speaks_are_shown_apart_from_the_approval_list(
    services: Services, client: TestClient
) -> None:
    """An unknown line is listed under "Not used by this version", not as a line to approve,
    and approving it is refused."""
    assert services.practice_file is not None
    path = services.practice_file.parent / "scripts.yaml"
    path.write_text(path.read_text("utf-8").replace("  noted:", "  greting: Hi.\n  noted:", 1))
    page = client.get("/scripts?show=waiting").text
    assert "Not used by this version" in page
    assert 'id="unused-greting"' in page
    assert "(did you mean <code>greeting</code>?)" in page
    assert 'id="greting"' not in page  # no approval card
    assert "/scripts/greting/approve" not in page
    refused = client.post("/scripts/greting/approve", data={"seen": "x" * 64})
    assert refused.status_code == 404
