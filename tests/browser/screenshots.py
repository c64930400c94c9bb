"""Where the browser tests put their screenshots.

Every run takes them (a page that cannot be drawn fails the test) into `artifacts/`, which
git ignores, so running the tests never changes the repository. With
`FRONTDESK_SCREENSHOTS=1` they replace the README's pictures in `docs/screenshots/`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the browser tests skip where playwright is not installed
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]


def folder() -> Path:
    """`docs/screenshots/` when asked for by the environment, else `artifacts/screenshots/`."""
    if os.environ.get("FRONTDESK_SCREENSHOTS") == "1":
        return ROOT / "docs" / "screenshots"
    return ROOT / "artifacts" / "screenshots"


def shot(page: Page, name: str) -> None:
    """A full-page screenshot of `page` named `name`."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / name), full_page=True)
