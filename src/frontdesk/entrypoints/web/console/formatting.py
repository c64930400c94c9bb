"""How the work pages write times, ages and codes for people (practice time, short ages)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from frontdesk.domain.practice import Practice


def age(span: timedelta) -> str:
    """`4 min`, `2 h 05 min`, `3 d 4 h` (never negative)."""
    minutes = max(0, int(span.total_seconds()) // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def words(code: str | None) -> str:
    """A stored code as words: `same_day` → `same day`."""
    return "" if code is None else code.replace("_", " ")


def helpers(practice: Practice, now: datetime) -> dict[str, Any]:
    """What every work page's template uses to write times in the practice's timezone."""

    def when(moment: datetime | None) -> str:
        if moment is None:
            return ""
        local = practice.local(moment)
        today = practice.local(now).date()
        clock = local.strftime("%I:%M %p").lstrip("0")
        if local.date() == today:
            return f"today {clock}"
        if local.date() == today - timedelta(days=1):
            return f"yesterday {clock}"
        if local.date() == today + timedelta(days=1):
            return f"tomorrow {clock}"
        return f"{local.strftime('%a %b')} {local.day}, {clock}"

    def iso(moment: datetime | None) -> str:
        return "" if moment is None else moment.isoformat()

    return {"when": when, "iso": iso, "age": age, "words": words, "now": now}
