"""The work queue in headless Chromium against a live `frontdesk serve`: a crisis item worked
from open to done with an attempt, a new urgent item arriving without a reload (with its
alert and the mute switch), and role refusals.

Screenshots of the queue, an item and the home page are taken as
`tests/browser/screenshots.py` says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.encryption import development_keyring
from frontdesk.domain.calls import HandoffCategory, Urgency
from tests.browser import chromium
from tests.browser.chromium import DESKTOP, PHONE
from tests.services.queue_data import make_handoff, stock

pytestmark = pytest.mark.browser

chromium.require()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from tests.browser.screenshots import shot  # noqa: E402
from tests.browser.test_console import Server, _enrol, _log_in  # noqa: E402

MAYA = "maya_okafor"
OTHER_CLINICIAN = "daniel_reyes"


class Day:
    """Writes into the server's database from the test, as the phone edge would."""

    def __init__(self, url: str) -> None:
        # The server has no configured keys: it uses the development key file beside the
        # SQLite file, and so must the test writing into the same database.
        keys = development_keyring(Path(url.removeprefix("sqlite:///")))
        self.engine = make_engine(url, keyring=keys)
        self.uow = SqlAlchemyUnitOfWork(make_session_factory(self.engine))

    def add_urgent(self, handoff_id: str) -> None:
        with self.uow:
            self.uow.handoffs.add(
                make_handoff(
                    handoff_id,
                    HandoffCategory.EMERGENCY,
                    Urgency.URGENT,
                    0,
                    now=datetime.now(UTC),
                )
            )
            self.uow.commit()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(tmp_path_factory.mktemp("queue"), idle_seconds=600) as running:
        yield running


@pytest.fixture(scope="module")
def day(server: Server) -> Iterator[Day]:
    written = Day(server.env["FRONTDESK_DATABASE_URL"])
    stock(written.uow, now=datetime.now(UTC), maya=MAYA)
    practice = ("--practice", str(server.practice))
    server.add_user("queue-desk", "front_desk")
    server.add_user("queue-maya", "clinician", "--clinician", MAYA, *practice)
    server.add_user("queue-dan", "clinician", "--clinician", OTHER_CLINICIAN, *practice)
    yield written
    written.engine.dispose()


def _signed_in(browser: Browser, server: Server, username: str) -> Page:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    _log_in(page, server.base, username)
    _enrol(page)
    return page


def test_a_crisis_item_is_worked_from_open_to_done(
    browser: Browser, server: Server, day: Day
) -> None:
    """Maya opens the crisis item from the queue, starts it, logs an attempt that finishes
    it, and it leaves the crisis section."""
    page = _signed_in(browser, server, "queue-maya")
    try:
        page.goto(server.base + "/queue")
        crisis = page.get_by_role("region", name="Crisis and emergency")
        expect(
            crisis.get_by_role("link", name=re.compile("The 988 wording was read"))
        ).to_be_visible()
        expect(crisis).to_contain_text("since the call")
        shot(page, "queue.png")
        crisis.get_by_role("link", name=re.compile("The 988 wording was read")).click()
        expect(page.get_by_role("heading", name="Crisis · urgent")).to_be_visible()
        expect(page.get_by_role("region", name="Transcript")).to_contain_text(
            "I don't want to be here anymore"
        )
        page.get_by_role("button", name="Start").click()
        expect(page.get_by_role("region", name="Summary")).to_contain_text("in progress")
        page.get_by_label("Outcome").select_option("other")
        page.get_by_label("Note").fill("Reached the caller; safety plan in place.")
        page.get_by_label("Afterwards the item is").select_option("done")
        shot(page, "queue-item.png")
        page.get_by_role("button", name="Log attempt").click()
        attempts = page.get_by_role("region", name="Attempts")
        expect(attempts).to_contain_text("Reached the caller; safety plan in place.")
        expect(page.get_by_role("region", name="Summary")).to_contain_text("done")
        page.goto(server.base + "/queue")
        expect(
            page.get_by_role("region", name="Crisis and emergency").get_by_text("None open.")
        ).to_be_visible()
    finally:
        page.context.close()


def test_a_new_urgent_item_arrives_without_a_reload(
    browser: Browser, server: Server, day: Day
) -> None:
    """On the home page, an emergency item written meanwhile is listed within seconds with
    an alert; the sound can be muted and stays muted."""
    page = _signed_in(browser, server, "queue-desk")
    try:
        page.goto(server.base + "/")
        expect(page.get_by_role("heading", name="Today")).to_be_visible()
        shot(page, "queue-home.png")
        mute = page.get_by_role("button", name="Mute alert sound")
        day.add_urgent("h-live-1")
        alert = page.locator("[data-live-items] a[href='/queue/h-live-1']")
        expect(alert).to_have_text("New emergency item", timeout=15000)
        expect(page.locator("section.live")).to_have_class("live alerting")
        expect(page.locator("section.live")).to_have_attribute(
            "data-last-chime", re.compile(r"\d+")
        )
        expect(page.get_by_role("status").first).to_contain_text("A new urgent item came in.")
        mute.click()
        expect(page.get_by_role("button", name="Unmute alert sound")).to_have_attribute(
            "aria-pressed", "true"
        )
        page.reload()
        expect(page.get_by_role("button", name="Unmute alert sound")).to_be_visible()
        page.set_viewport_size(PHONE)
        day.add_urgent("h-live-2")
        expect(page.locator("[data-live-items] a[href='/queue/h-live-2']")).to_be_visible(
            timeout=15000
        )
        shot(page, "queue-home-phone.png")
        page.locator("[data-live-items] a[href='/queue/h-live-2']").click()
        expect(page.get_by_role("heading", name="Emergency · urgent")).to_be_visible()
    finally:
        page.context.close()


def test_roles_are_refused_what_is_not_theirs(browser: Browser, server: Server, day: Day) -> None:
    """Another clinician's client is refused; a clinician has no inquiries page."""
    page = _signed_in(browser, server, "queue-dan")
    try:
        response = page.goto(server.base + "/queue/h-callback")
        assert response is not None
        assert response.status == 403
        expect(page.get_by_role("heading", name="Not open to you")).to_be_visible()
        response = page.goto(server.base + "/inquiries")
        assert response is not None
        assert response.status == 403
        page.goto(server.base + "/queue")
        expect(
            page.get_by_role("link", name=re.compile("Calling about: new client"))
        ).to_have_count(0)
    finally:
        page.context.close()
