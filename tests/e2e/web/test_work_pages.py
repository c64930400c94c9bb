"""The work pages over HTTP: the queue, an item worked from open to done, the live feed,
inquiries, calls and home, with each role's allowed and refused pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from tests.console_helpers import add_staff, signed_in_as
from tests.services.queue_data import CALLER, CONCERN, make_handoff, stock

from frontdesk.bootstrap import Services
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.handoffs import HandoffStatus
from frontdesk.entrypoints.web.app import create_app

from .conftest import TestClient

MAYA = "maya_okafor"
JORDAN = "daniel_reyes"


@pytest.fixture
def stocked(services: Services) -> Services:
    """The queue-test day in the web database, at the test clock's time."""
    stock(services.uow(), now=services.clock(), maya=MAYA)
    for name, role, clinician in (
        ("desk", "front_desk", None),
        ("maya", "clinician", MAYA),
        ("dan", "clinician", JORDAN),
        ("otto", "auditor", None),
        ("ada", "admin", None),
    ):
        add_staff(services, name, role, clinician_id=clinician)
    return services


@pytest.fixture
def as_user(stocked: Services) -> Iterator[object]:
    """`as_user("desk")`: a client signed in as that person."""
    clients: list[TestClient] = []

    def signed(name: str) -> TestClient:
        client = TestClient(create_app(stocked))
        client.__enter__()
        clients.append(client)
        signed_in_as(client, name)
        return client

    yield signed
    for client in clients:
        client.__exit__(None, None, None)


def test_front_desk_sees_the_queue_with_crisis_items_apart(as_user) -> None:  # type: ignore[no-untyped-def]
    """Crisis first in its own section with the time since the call; the rest below with
    due times; the live panel and its script (this host only) are on the page."""
    page = as_user("desk").get("/queue")
    assert page.status_code == 200
    crisis, rest = page.text.split('id="rest-title"')
    assert "I don&#39;t want to be here anymore" in crisis
    assert "30 min</strong> since the call" in crisis
    assert "Calling about: new client" in rest
    assert "due today" in rest
    assert 'data-known="h-crisis"' in page.text
    assert '<script src="/console/static/live.js" defer></script>' in page.text
    assert "http://" not in page.text
    assert "https://" not in page.text


def test_an_item_shows_the_whole_context_to_front_desk_for_a_callback(as_user) -> None:  # type: ignore[no-untyped-def]
    """Intake with the caller's words, voicemail, transcript and earlier calls."""
    page = as_user("desk").get("/queue/h-callback")
    assert page.status_code == 200
    assert "<q>his name is Leo Park</q>" in page.text
    assert f"<q>{CONCERN}</q>" in page.text
    assert "<q>call me after 5</q>" in page.text
    assert "Earlier calls from this number" in page.text
    assert CALLER in page.text


def test_front_desk_sees_a_crisis_item_as_a_summary_only(as_user) -> None:  # type: ignore[no-untyped-def]
    """No transcript, intake or earlier calls of the crisis call for front desk; an admin
    sees them."""
    desk = as_user("desk").get("/queue/h-crisis")
    assert "The 988 wording was read." in desk.text
    for section in ('id="transcript-title"', 'id="intake-title"', 'id="earlier-title"'):
        assert section not in desk.text
    admin = as_user("ada").get("/queue/h-crisis")
    assert 'id="transcript-title"' in admin.text
    assert '<span class="who">Caller</span> I don&#39;t want to be here anymore' in admin.text


def test_a_crisis_item_is_worked_from_open_to_done_with_an_attempt(
    as_user, stocked: Services
) -> None:  # type: ignore[no-untyped-def]
    """Start, log a reached-them attempt with a note that finishes it: done, audited."""
    maya = as_user("maya")
    assert maya.post("/queue/h-crisis/status", data={"action": "start"}).status_code == 200
    logged = maya.post(
        "/queue/h-crisis/attempts",
        data={
            "outcome": "other",
            "note": "Reached the caller; safety plan in place.",
            "then": "done",
        },
    )
    assert logged.status_code == 200
    assert "Reached the caller; safety plan in place." in logged.text
    with stocked.uow() as uow:
        done = uow.handoffs.get("h-crisis")
        entries = uow.audit.search(object_id="h-crisis", action="change", limit=5)
    assert done is not None
    assert done.status is HandoffStatus.DONE
    assert [e.entry.detail for e in reversed(entries)] == [
        "status=in_progress",
        "attempt=other status=done",
    ]


def test_a_change_without_the_csrf_token_is_refused(as_user) -> None:  # type: ignore[no-untyped-def]
    """A form posted from elsewhere (no token) changes nothing."""
    desk = as_user("desk")
    desk.headers.pop("X-CSRF-Token")
    refused = desk.post("/queue/h-message/status", data={"action": "done"})
    assert refused.status_code == 403


def test_roles_are_refused_what_is_not_theirs(as_user) -> None:  # type: ignore[no-untyped-def]
    """Another clinician's client, the office pages for clinicians, the queue for auditors."""
    dan = as_user("dan")
    assert dan.get("/queue/h-callback").status_code == 403
    assert dan.post("/queue/h-callback/status", data={"action": "done"}).status_code == 403
    assert dan.get("/inquiries").status_code == 403
    assert dan.get("/queue/h-crisis").status_code == 200
    otto = as_user("otto")
    assert otto.get("/queue").status_code == 403
    assert otto.post("/queue/h-message/status", data={"action": "done"}).status_code == 403
    assert otto.post("/inquiries/i-leo/stage", data={"stage": "declined"}).status_code == 403


def test_the_live_feed_lists_urgent_items_by_id_only(as_user, stocked: Services) -> None:  # type: ignore[no-untyped-def]
    """The JSON holds ids, kinds and ages, and a new urgent item shows up in it."""
    desk = as_user("desk")
    first = desk.get("/queue/live").json()
    assert [i["id"] for i in first["urgent"]] == ["h-crisis"]
    assert set(first["urgent"][0]) == {"id", "category", "urgency", "age_seconds", "overdue", "url"}
    with stocked.uow() as uow:
        uow.handoffs.add(
            make_handoff("h-new", HandoffCategory.EMERGENCY, Urgency.URGENT, 0, now=stocked.clock())
        )
        uow.commit()
    assert [i["id"] for i in desk.get("/queue/live").json()["urgent"]] == ["h-new", "h-crisis"]


def test_inquiries_filter_and_take_a_stage(as_user) -> None:  # type: ignore[no-untyped-def]
    """Filters narrow the list; a stage set by staff shows as such; bad filters are 400."""
    desk = as_user("desk")
    page = desk.get("/inquiries")
    assert "Leo Park" in page.text
    assert "Ana Ruiz" in page.text
    wisconsin = desk.get("/inquiries?state=WI")
    assert "Ana Ruiz" in wisconsin.text
    assert "Leo Park" not in wisconsin.text
    ana = re.search(r"Ana Ruiz.*?</tr>", wisconsin.text, re.S)
    assert ana is not None  # an insurer the practice does not take, never shown as in network
    assert "payment ? · Humana (not in network)" in ana.group(0)
    assert desk.get("/inquiries?clinician=nobody").status_code == 400
    moved = desk.post("/inquiries/i-new/stage", data={"stage": "no_response"})
    assert moved.status_code == 200
    row = re.search(r"Ana Ruiz.*?</tr>", moved.text, re.S)
    assert row is not None
    assert 'No response</span> <span class="hint">(set by staff)' in row.group(0)


def test_calls_are_searched_by_number_and_name(as_user) -> None:  # type: ignore[no-untyped-def]
    """A number in any common form, or part of a name, finds the calls."""
    desk = as_user("desk")
    by_number = desk.get("/calls", params={"q": "(312) 555-0123"})
    assert by_number.text.count('href="/calls/c-') == 2
    by_name = desk.get("/calls", params={"q": "leo"})
    assert by_name.text.count('href="/calls/c-') == 1
    call = desk.get("/calls/c-intake")
    assert "his name is Leo Park" in call.text


def test_home_shows_the_day(as_user) -> None:  # type: ignore[no-untyped-def]
    """Urgent items, callbacks due today, today's appointments and new inquiries."""
    home = as_user("desk").get("/")
    assert home.status_code == 200
    for title in ("Urgent", "Callbacks due", "Appointments", "New inquiries"):
        assert title in home.text
    assert "I don&#39;t want to be here anymore" in home.text
    assert "Ana Ruiz" in home.text


def test_reports_and_roi_open_inside_the_console(as_user, anonymous: TestClient) -> None:  # type: ignore[no-untyped-def]
    """Signed in, the report and the calculator are console pages with the navigation; the
    calculator stays open without sign-in as a page of its own."""
    desk = as_user("desk")
    report = desk.get("/reports")
    assert report.status_code == 200
    assert report.text.count("<html") == 1
    assert '<nav aria-label="Console">' in report.text
    assert 'href="/reports" aria-current="page"' in report.text
    assert "What Frontdesk recovered" in report.text
    roi = desk.get("/roi")
    assert '<nav aria-label="Console">' in roi.text
    assert "$5,670.00" in roi.text
    assert desk.get("/roi?lift=2").status_code == 400
    outside = anonymous.get("/roi")
    assert outside.status_code == 200
    assert "<nav" not in outside.text
    assert "$5,670.00" in outside.text


def test_an_item_waits_until_a_practice_time_and_is_assigned(as_user, stocked: Services) -> None:  # type: ignore[no-untyped-def]
    """The time is read in the practice's timezone; a malformed one is a 400; assignment
    names a person from the list only."""
    desk = as_user("desk")
    url = "/queue/h-message"
    bad = desk.post(f"{url}/status", data={"action": "wait", "until": "3pm"})
    assert bad.status_code == 400
    waited = desk.post(f"{url}/status", data={"action": "wait", "until": "2026-03-03T15:00"})
    assert "until today 3:00 PM" in waited.text
    with stocked.uow() as uow:
        task = uow.handoffs.get("h-message")
        maya = uow.staff.get_by_username("maya")
    assert task is not None
    assert maya is not None
    assert task.waiting_until is not None
    assert task.waiting_until.isoformat() == "2026-03-03T21:00:00+00:00"
    assert not task.wake_on_contact
    assert desk.post(f"{url}/assign", data={"to": "someone"}).status_code == 400
    given = desk.post(f"{url}/assign", data={"to": maya.user.id})
    assert '<option value="' + maya.user.id + '" selected>maya</option>' in given.text
