"""The staff console in headless Chromium against a live `frontdesk serve`: sign-in with a
second factor, idle log-off, lockout, and each role's allowed and refused pages.

Screenshots of the pages are taken as `tests/browser/screenshots.py` says (the README
shows them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk.adapters.practice_file import load_practice
from frontdesk.domain import totp
from tests.browser import chromium
from tests.browser.chromium import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a long demo passphrase"

chromium.require()

from playwright.sync_api import Browser, Page, expect  # noqa: E402

from tests.browser.live import LiveServer  # noqa: E402
from tests.browser.screenshots import shot  # noqa: E402

# The machine running the suite may be busy: wait for a page up to 30 s, not 5 s.
expect.set_options(timeout=30_000)


class Server(LiveServer):
    """A live server that requires a second factor, and `frontdesk users add` against it."""

    def __init__(self, folder: Path, *, idle_seconds: int) -> None:
        super().__init__(
            folder,
            extra_env={
                "FRONTDESK_SIMULATOR_ENABLED": "true",
                "FRONTDESK_REQUIRE_TOTP": "true",
                "FRONTDESK_SESSION_IDLE_SECONDS": str(idle_seconds),
            },
        )

    def add_user(self, username: str, role: str, *extra: str) -> None:
        self.cli(
            "users",
            "add",
            username,
            "--role",
            role,
            *extra,
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(tmp_path_factory.mktemp("console"), idle_seconds=600) as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) at desktop size."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        yield context.new_page()
    finally:
        context.close()


def _log_in(page: Page, base: str, username: str, password: str = PASSWORD, code: str = "") -> None:
    sign_in(page, base, username, password, code)


def _enrol(page: Page) -> str:
    """On the enrolment page: read the secret, type the current code; returns the secret."""
    expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(totp.code_at(secret, _now()))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("list", name="Recovery codes")).to_be_visible()
    return secret


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You were signed out.")).to_be_visible()


def test_log_in_with_a_second_factor(page: Page, server: Server) -> None:
    """The first sign-in enrols an authenticator and shows recovery codes; the next sign-in
    needs the password and a current code, and lands on home with the admin's links."""
    server.add_user("owner", "admin")
    page.goto(server.base + "/")
    expect(page).to_have_url(server.base + "/login?next=/")
    shot(page, "console-login.png")
    _log_in(page, server.base, "owner")
    expect(page).to_have_url(server.base + "/account/second-factor")
    expect(page.locator("#totp-uri")).to_contain_text("otpauth://totp/Frontdesk:owner")
    secret = _enrol(page)
    expect(page.locator(".codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue to the console").click()
    nav = page.get_by_role("navigation", name="Console")
    for label in ("Home", "Queue", "Calendar", "Reports", "Users", "Audit"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    _sign_out(page)
    _log_in(page, server.base, "owner")
    expect(page.locator("#login-error")).to_contain_text("not right")
    # The code used at enrolment cannot be used again: wait for the next step's code.
    step = totp.step_of(_now())
    while totp.step_of(_now()) == step:
        page.wait_for_timeout(500)
    _log_in(page, server.base, "owner", code=totp.code_at(secret, _now()))
    expect(page).to_have_url(server.base + "/")
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    shot(page, "console-home.png")
    page.set_viewport_size(PHONE)
    expect(nav.get_by_role("link", name="Queue")).to_be_attached()
    shot(page, "console-home-phone.png")


def test_keyboard_reaches_every_control_of_the_login_form(page: Page, server: Server) -> None:
    """The form opens with the username focused; Tab then reaches password, code and the
    button in order, and Enter on the button submits."""
    page.goto(server.base + "/login")
    focused = "document.activeElement.id || document.activeElement.tagName"
    order = [page.evaluate(focused)]
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(page.evaluate(focused))
    assert order == ["username", "password", "code", "BUTTON"]
    page.keyboard.press("Enter")
    expect(page.get_by_label("Username")).to_be_visible()


def test_lockout_after_repeated_failures(page: Page, server: Server) -> None:
    """Five wrong passwords lock the account; the right password is then refused too."""
    server.add_user("locked-desk", "front_desk")
    for _ in range(5):
        _log_in(page, server.base, "locked-desk", password="not the password")
    expect(page.locator("#login-error")).to_contain_text("locked until")
    _log_in(page, server.base, "locked-desk")
    expect(page.locator("#login-error")).to_contain_text("locked until")
    shot(page, "console-lockout.png")


ROLE_PAGES = {
    # role: (links shown, links not shown, path opened, path refused)
    "front_desk": (("Queue", "Inquiries", "Reports"), ("Users", "Audit"), "/reports", "/simulator"),
    "clinician": (("Queue", "Calendar"), ("Inquiries", "Reports", "Users"), "/", "/reports"),
    "auditor": (("Reports", "Audit"), ("Queue", "Users"), "/reports", "/simulator"),
}


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_each_role_sees_its_pages_and_is_refused_others(
    page: Page, server: Server, role: str
) -> None:
    """Each role's nav shows its own sections only; a page outside them answers 403."""
    username = f"{role.replace('_', '-')}-1"
    extra: tuple[str, ...] = ()
    if role == "clinician":
        practice = load_practice(server.practice)
        extra = ("--clinician", practice.clinicians[0].id, "--practice", str(server.practice))
    server.add_user(username, role, *extra)
    _log_in(page, server.base, username)
    _enrol(page)
    shown, hidden, opened, refused = ROLE_PAGES[role]
    page.goto(server.base + "/")
    nav = page.get_by_role("navigation", name="Console")
    for label in shown:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in hidden:
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(0)
    response = page.goto(server.base + opened)
    assert response is not None
    assert response.status == 200
    response = page.goto(server.base + refused)
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not open to you")).to_be_visible()
    if role == "clinician":
        shot(page, "console-refused.png")


IDLE_SECONDS = 20


def test_idle_sessions_are_signed_out(browser: Browser, tmp_path: Path) -> None:
    """With a short idle time, a page opened after a longer pause asks to sign in again.

    The idle time is long enough that a busy machine still moves between the sign-in pages
    inside it (each request restarts it), and the pause is longer still."""
    with Server(tmp_path, idle_seconds=IDLE_SECONDS) as quick:
        context = browser.new_context(viewport=DESKTOP)
        try:
            page = context.new_page()
            quick.add_user("idle-desk", "front_desk")
            _log_in(page, quick.base, "idle-desk")
            _enrol(page)
            page.goto(quick.base + "/")
            expect(page.get_by_role("heading", name="Today")).to_be_visible()
            page.wait_for_timeout((IDLE_SECONDS + 2) * 1000)
            page.goto(quick.base + "/")
            expect(page).to_have_url(quick.base + "/login?next=/")
        finally:
            context.close()
