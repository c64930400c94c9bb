"""Booking from the calendar and approving a script line, in headless Chromium against a
live `frontdesk serve`. The calendar's screenshot is taken as
`tests/browser/screenshots.py` says."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from frontdesk.adapters.script_file import load_script_library
from tests.browser import chromium
from tests.browser.chromium import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a long demo passphrase"

chromium.require()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from tests.browser.live import LiveServer as Server  # noqa: E402
from tests.browser.screenshots import shot  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(tmp_path_factory.mktemp("calendar")) as running:
        running.cli("users", "add", "lead", "--role", "admin", "--password-stdin", stdin=PASSWORD)
        yield running


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A browser signed in as the clinical lead (an admin), at desktop size."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        opened = context.new_page()
        sign_in(opened, server.base, "lead", PASSWORD)
        expect(opened).to_have_url(server.base + "/")
        yield opened
    finally:
        context.close()


def test_booking_a_new_client_from_the_calendar(page: Page, server: Server) -> None:
    """Staff find the open times that fit a new client, book one, and see it marked staff."""
    openings = json.loads(server.cli("openings", "--days", "14", "--kind", "ongoing", "--json"))
    first = next(s for s in openings if s["clinician"] == "maya_okafor")
    client_id = server.cli(
        "clients", "add", "--name", "Riley Stone", "--dob", "1988-05-01", "--phone", "3125550188"
    ).strip()
    server.cli(
        "book",
        "--client",
        client_id,
        "--clinician",
        "maya_okafor",
        "--at",
        first["start"][:16],
        "--modality",
        first["modality"],
        *(["--location", first["location"]] if first["location"] else ["--state", "IL"]),
    )
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Calendar").click()
    page.get_by_role("link", name="Book an appointment").click()
    page.get_by_role("radio", name="New client").check()
    page.get_by_role("textbox", name="Name (new client)").fill("Jordan Avery")
    page.get_by_role("textbox", name="Phone (new client; for reminders)").fill("312-555-0177")
    page.get_by_role("combobox", name="Pays by (new client)").select_option("private_pay")
    page.get_by_role("textbox", name="State the client is in during sessions").fill("IL")
    page.get_by_role("combobox", name="Kind").select_option("first_session")
    page.get_by_role("combobox", name="Clinician").select_option("maya_okafor")
    page.get_by_role("combobox", name="How").select_option("telehealth")
    page.get_by_role("button", name="Find open times").click()
    times = page.get_by_role("group", name="Open times that fit").get_by_role("radio")
    expect(times.first).to_be_visible()
    times.first.check()
    page.get_by_role("button", name="Book the chosen time").click()
    expect(page.get_by_role("status")).to_have_text("Booked.")
    row = page.locator("tr.appointment", has_text="Jordan Avery")
    expect(row).to_be_visible()
    expect(row.locator(".badge")).to_have_text("staff")
    page.get_by_role("link", name="Week", exact=True).click()
    expect(page.locator("tr.appointment", has_text="Jordan Avery")).to_be_visible()
    shot(page, "console-calendar.png")
    page.set_viewport_size(PHONE)
    shot(page, "console-calendar-phone.png")
    listed = json.loads(server.cli("appointments", "--json"))
    assert sorted(a["made_by"] for a in listed) == ["staff", "staff"]


def test_approving_a_script_line(page: Page, server: Server) -> None:
    """The clinical lead approves a line; it shows approved and the approval is stored."""
    page.goto(server.base + "/scripts?show=waiting")
    line = page.locator("section.script-line#greeting")
    expect(line.locator(".state")).to_have_text("waiting for approval")
    line.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_have_text("Approved.")
    page.goto(server.base + "/scripts?show=approved")
    expect(page.locator("section.script-line#greeting .state")).to_have_text("approved")
    shot(page, "console-scripts.png")
    assert load_script_library(server.scripts).reviewed is False  # other lines still wait


def test_lines_never_spoken_are_folded_apart_from_the_lines_to_approve(
    page: Page, server: Server
) -> None:
    """A line this version never speaks is listed, when opened, under "Not used by this
    version" with the line it probably meant, and has no approval card."""
    before = server.scripts.read_text("utf-8")
    server.scripts.write_text(before.replace("  noted:", "  greting: Hi.\n  noted:", 1), "utf-8")
    try:
        page.goto(server.base + "/scripts")
        unused = page.locator("section#unused")
        expect(unused.get_by_role("heading")).to_contain_text("Not used by this version")
        line = unused.locator("#unused-greting")
        expect(line).to_be_hidden()
        unused.get_by_text("Show the unused lines").click()
        expect(line).to_have_text("greting (did you mean greeting?): Hi.")
        expect(page.locator("section.script-line#greting")).to_have_count(0)
    finally:
        server.scripts.write_text(before, "utf-8")
