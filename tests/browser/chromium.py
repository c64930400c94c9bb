"""Headless Chromium for the browser tests (Debian's build, driven by Playwright), and the
sign-in form every console test fills.

A test module calls `require()` before it imports Playwright, so that it skips where
Playwright or Chromium is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the browser tests skip where playwright is not installed
    from playwright.sync_api import Browser, Page

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
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def require() -> None:
    """Skip the calling test module unless Playwright and Chromium are installed."""
    if find_spec("playwright") is None:
        pytest.skip(
            "Playwright for Python is not installed (pip install playwright)",
            allow_module_level=True,
        )
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium)", allow_module_level=True
        )


@contextmanager
def launched() -> Iterator[Browser]:
    """A headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Page, base: str, username: str, password: str, code: str = "") -> None:
    """Fill and send the console's sign-in form (the one-time code only when given)."""
    page.goto(base + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    if code:
        page.get_by_label("One-time code").fill(code)
    page.get_by_role("button", name="Sign in").click()
