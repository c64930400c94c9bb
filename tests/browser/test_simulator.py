"""The call simulator in headless Chromium against a live `frontdesk serve` on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium
from tests.browser.chromium import sign_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
ADMIN = "sim-admin"
PASSWORD = "a long simulator passphrase"
INTAKE = [
    "Hello, I'd like to start therapy for myself",
    "I'm 34",
    "Sam Rivera",
    "yes",
    "I've been feeling burned out at work",
    "I live in Chicago, Illinois",
    "in person please",
    "I'll pay out of pocket",
    "Tuesday or Thursday mornings",
    "email",
    "sam dot rivera at example dot com",
    "yes",
    "yes",
    "the first one",
    "yes",
]

chromium.require()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from tests.browser.live import LiveServer  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`frontdesk serve` with the simulator on, the example practice and a fresh SQLite file;
    its address."""
    enabled = {"FRONTDESK_SIMULATOR_ENABLED": "true"}
    with LiveServer(tmp_path_factory.mktemp("serve"), extra_env=enabled) as running:
        # Only a signed-in admin may use the simulator.
        running.cli(
            "users", "add", ADMIN, "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
        )
        yield running.base


@pytest.fixture(scope="module")
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A page signed in as the admin."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        signed_in = context.new_page()
        sign_in(signed_in, server, ADMIN, PASSWORD)
        expect(signed_in.get_by_role("heading", name="Today")).to_be_visible()
        yield signed_in
    finally:
        context.close()


def _say(page: Page, text: str) -> None:
    agent_lines = page.locator("#transcript .agent").count()
    page.fill("#text", text)
    page.press("#text", "Enter")
    expect(page.locator("#transcript .agent")).not_to_have_count(agent_lines)


def test_full_intake_in_the_simulator(page: Page, server: str) -> None:
    """A typed intake that books shows the agent's lines, the route, the call's intent, the
    captured intake, the booked first session, the outcome and the Good Faith Estimate task.
    """
    page.goto(server + "/simulator")
    page.click("#start")
    expect(page.locator("#transcript .agent").first).to_contain_text("automated assistant")
    expect(page.locator("#route")).to_have_text("routine")
    for text in INTAKE:
        _say(page, text)
    expect(page.locator("#status")).to_have_text("Call ended.")
    booked_line = page.locator("#transcript .agent").filter(has_text="You're booked")
    expect(booked_line).to_have_count(1)
    expect(page.locator("#transcript .caller")).to_have_count(len(INTAKE))
    expect(page.locator("#route")).to_have_text("routine")
    expect(page.locator("#intent")).to_have_text("new_client")
    expect(page.locator("#intake")).to_contain_text("IL")
    expect(page.locator("#intake")).to_contain_text("in_person")
    expect(page.locator("#intake")).to_contain_text("Tuesday or Thursday mornings")
    expect(page.locator("#intake")).not_to_contain_text('"weekdays"')
    expect(page.locator("#outcome")).to_contain_text("first_session_booked")
    booked = page.locator("#appointment.appointment")
    expect(booked).to_have_attribute("data-kind", "first_session")
    expect(booked).to_contain_text("first session")
    expect(booked).to_contain_text("in person")
    offered = page.locator("#transcript .agent").filter(has_text="To confirm").last.inner_text()
    clinician = booked.inner_text().split(" with ", 1)[1].split(" · ", 1)[0]
    assert clinician in offered
    expect(page.locator("#tasks .task")).to_have_count(1)
    expect(page.locator("#tasks .task").first).to_have_attribute("data-category", "task")
    expect(page.locator("#tasks .task").first).to_contain_text("Good Faith Estimate")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "simulator-intake.png"), full_page=True)


def test_crisis_call_in_the_simulator(page: Page, server: str) -> None:
    """Crisis words turn the route red, show the whole 988 wording and an urgent hand-off."""
    page.goto(server + "/simulator")
    page.click("#start")
    expect(page.locator("#transcript .agent").first).to_contain_text("automated assistant")
    _say(page, "I'm looking for a therapist for myself")
    _say(page, "honestly I don't want to live anymore")
    expect(page.locator("#route")).to_have_text("crisis")
    expect(page.locator("#transcript .agent.whole").last).to_contain_text("988")
    expect(page.locator("#tasks .task.urgent")).to_have_count(1)
    expect(page.locator("#tasks .task.urgent")).to_contain_text("crisis")
    expect(page.locator("#appointment")).to_be_empty()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "simulator-crisis.png"), full_page=True)


def test_the_route_shown_is_the_calls_highest_so_far(page: Page, server: str) -> None:
    """After crisis words, a booking request keeps the call's route red while this turn's
    route reads routine, and the caller hears that a team member will call about scheduling."""
    page.goto(server + "/simulator")
    page.click("#start")
    expect(page.locator("#transcript .agent").first).to_contain_text("automated assistant")
    _say(page, "I've been thinking about killing myself")
    expect(page.locator("#route")).to_have_text("crisis")
    _say(page, "can I still book an appointment")
    expect(page.locator("#transcript .agent").last).to_contain_text("call you about scheduling")
    expect(page.locator("#route")).to_have_text("crisis")
    expect(page.locator("#route")).to_have_class("route crisis")
    expect(page.locator("#turn-route")).to_have_text("routine")
