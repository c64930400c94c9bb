"""Pages the web edge sends itself when it answered a crisis without the use case.

When a turn or a text is answered at the edge (over the budget, or the use case failed:
the database down, refusing or hanging), its hand-off and page may never be stored. For
crisis language the edge then also pages staff straight through the notifier, in a
background thread so the caller's answer never waits for it. A page may arrive twice (the
turn may still complete and page through the outbox): for an urgent page that is the
right side to err on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from frontdesk.domain.calls import Route
from frontdesk.domain.practice import Practice
from frontdesk.services.paging import Sender, page_directly


class EdgePager:
    """Sends direct pages in the background; `join` waits for those under way."""

    def __init__(self, sender: Sender, practice: Practice, clock: Callable[[], datetime]) -> None:
        self._sender = sender
        self._practice = practice
        self._clock = clock
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def page(self, *, route: Route, source: str, callback: str | None) -> None:
        """Page about a crisis `source` ("call" or "text") that the edge answered alone."""
        at = self._clock()
        thread = threading.Thread(
            target=page_directly,
            args=(self._sender, self._practice),
            kwargs={"route": route.value, "source": source, "callback": callback, "at": at},
            name="frontdesk-edge-page",
            daemon=True,
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the pages under way (shutdown and tests)."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
