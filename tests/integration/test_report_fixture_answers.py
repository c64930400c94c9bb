"""The whole report over the bench's bulk fixture, figure by figure, on both backends.

The expected document was written by the report's queries as they stood before they were
reworked for speed; any rewrite of a query must leave every figure, daily row, hand-off
route and callback-delay bucket exactly as it was, on SQLite and PostgreSQL alike. Ranges
that cut through the fixture and a short recovery window are included, so window edges
and the recovery deadline are compared too.

To regenerate after a deliberate change of a definition (never to make a speed-up pass):
`python -m tests.integration.test_report_fixture_answers sqlite:///PATH` prints the
document for a fresh database at PATH.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from frontdesk.adapters.db import make_engine
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.analytics.queries import read_engine
from frontdesk.analytics.report import build_report
from frontdesk.bench.report import build_fixture, example_practice
from frontdesk.entrypoints.cli.commands.report import as_json

CALLS = 3000
EXPECTED = Path(__file__).with_name("report_fixture_answers.json")
# (name, first day, last day, recovery window in hours)
RANGES: tuple[tuple[str, date, date, int], ...] = (
    ("whole", date(2026, 1, 5), date(2026, 2, 3), 48),
    ("whole-2h", date(2026, 1, 5), date(2026, 2, 3), 2),
    ("middle", date(2026, 1, 8), date(2026, 1, 16), 48),
    ("last-day", date(2026, 2, 3), date(2026, 2, 3), 24),
)


def fixture_answers(database_url: str, rescheduled: float = 0.0) -> dict[str, Any]:
    """Fill the empty database at `database_url` with the bench fixture (`rescheduled` of
    its bookings moved before their outcome); the report's JSON document for each of
    `RANGES`."""
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        build_fixture(engine, CALLS, 1, rescheduled)
    finally:
        engine.dispose()
    reader = read_engine(database_url)
    try:
        with example_practice() as practice:
            return {
                name: as_json(
                    build_report(
                        reader,
                        practice,
                        start=start,
                        end=end,
                        recovery_window=timedelta(hours=hours),
                    )
                )
                for name, start, end, hours in RANGES
            }
    finally:
        reader.dispose()


def test_every_figure_of_the_fixture_report_is_unchanged(database_url: str) -> None:
    """Each range's report equals the document recorded before the queries were reworked."""
    expected = json.loads(EXPECTED.read_text("utf-8"))
    answers = json.loads(json.dumps(fixture_answers(database_url)))
    for name, *_ in RANGES:
        assert answers[name] == expected[name], name


def test_bookings_moved_before_their_outcome_report_the_same(database_url: str) -> None:
    """With half the bookings moved one to three times and each outcome recorded on the
    last appointment of the chain, every figure is the same as without the moves."""
    expected = json.loads(EXPECTED.read_text("utf-8"))
    answers = json.loads(json.dumps(fixture_answers(database_url, rescheduled=0.5)))
    for name, *_ in RANGES:
        assert answers[name] == expected[name], name


if __name__ == "__main__":  # pragma: no cover - regenerates the expected document
    text = json.dumps(fixture_answers(sys.argv[1]), indent=1, sort_keys=True)
    print(re.sub(r"\[\s+(\d+),\s+(\d+)\s+\]", r"[\1, \2]", text))
