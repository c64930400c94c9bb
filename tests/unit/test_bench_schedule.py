"""`frontdesk bench schedule` on a small synthetic practice: timings reported, one booking wins."""

from __future__ import annotations

from pathlib import Path

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bench.schedule import race, seed_bookings, synthetic_practice, time_openings


def test_the_bench_times_searches_and_races_twenty_threads(tmp_path: Path) -> None:
    """Searches are timed with offers found, and the race books exactly once."""
    practice = synthetic_practice(clinicians=3)
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    upgrade(url)
    assert seed_bookings(url, practice, days=10) > 0
    timings = time_openings(url, practice, runs=3)
    assert timings["count"] == 3
    assert timings["offered"] == 3
    outcome = race(url, practice)
    assert outcome["booked"] == 1
    assert outcome["slot_unavailable"] == 19
    assert outcome["other_errors"] == {}
    assert outcome["exactly_one"] is True
