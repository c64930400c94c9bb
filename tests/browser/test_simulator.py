"""The call simulator in headless Chromium against a live `frontdesk serve` on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

import httpx
import pytest

from frontdesk.adapters.db.migrations import upgrade

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
ADMIN = "sim-admin"
PASSWORD = "a long simulator passphrase"
INTAKE = [
    "Hello, I'd like to start therapy for myself",
    "I'm 34",
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

if find_spec("playwright") is None:
    pytest.skip(
        "Playwright for Python is not installed (pip install playwright)", allow_module_level=True
    )
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)", allow_module_level=True
    )

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`frontdesk serve` with the simulator on, the example practice and a fresh SQLite file."""
    folder = tmp_path_factory.mktemp("serve")
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), folder / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
    url = f"sqlite:///{folder / 'sim.db'}"
    upgrade(url)
    port = _free_port()
    env = {
        **os.environ,
        "FRONTDESK_DATABASE_URL": url,
        "FRONTDESK_SIMULATOR_ENABLED": "true",
        "FRONTDESK_LOG_LEVEL": "WARNING",
        "FRONTDESK_ENVIRONMENT": "development",
    }
    command = [sys.executable, "-m", "frontdesk", "serve", "--port", str(port)]
    command += ["--practice", str(folder / "practice.yaml")]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    # Only a signed-in admin may use the simulator.
    add_admin = [sys.executable, "-m", "frontdesk", "users", "add", ADMIN, "--role", "admin"]
    subprocess.run(
        [*add_admin, "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    try:
        for _ in range(600):
            if child.poll() is not None:
                output = child.stderr.read().decode() if child.stderr else ""
                pytest.fail(f"frontdesk serve exited: {output}")
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=10)
        if child.stderr is not None:
            child.stderr.close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    """A headless Chromium page (Debian's build, driven by Playwright)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            signed_in = context.new_page()
            signed_in.goto(server + "/login")
            signed_in.get_by_label("Username").fill(ADMIN)
            signed_in.get_by_label("Password").fill(PASSWORD)
            signed_in.get_by_role("button", name="Sign in").click()
            expect(signed_in.get_by_role("heading", name="Today")).to_be_visible()
            yield signed_in
        finally:
            browser.close()


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
