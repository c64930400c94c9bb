"""Date and time recall of understanding on the Schema-Guided Dialogue therapist dialogues.

Replays every user turn of the `Services_4` service through `understand` and checks, for
the turns where the user said an appointment date or time (the turn's dialogue acts
include `INFORM:appointment_date` / `INFORM:appointment_time`), whether an availability
window carries it. The annotated value ("the 7th", "half past 4 in the afternoon") is
resolved by a small reader of its own here, independent of understanding, against the
same reference day: a date is found when a window falls on it (or recurs on its
weekday), a time when a window starts at it. An annotation that reader cannot resolve
counts as a miss and is reported. As a check on over-reading, the other user turns in
which understanding found a window anyway are counted too.

The dialogues carry no timestamp, but their system turns say "Today is March 1st" and
book "later today" on March 1st, and every annotated date lies between March 1st and
14th. So the reference `now` is Friday 1 March 2019, 09:00 Pacific (the dialogues are set
in California).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.bench._number_words import number_values
from frontdesk.config import Settings
from frontdesk.conversation.understanding import understand
from frontdesk.conversation.understanding.result import Vocabulary
from frontdesk.domain.errors import DatasetError
from frontdesk.domain.inquiries import AvailabilityWindow, Weekday

SERVICE = "Services_4"
TIMEZONE = "America/Los_Angeles"
REFERENCE_NOW = datetime(2019, 3, 1, 9, 0, tzinfo=ZoneInfo(TIMEZONE))
VOCABULARY = Vocabulary(payers=(), clinicians=(), specialties=(), timezone=TIMEZONE)
SPLITS = ("dev", "test")


@dataclass(frozen=True, slots=True)
class _Turn:
    text: str
    date: str | None  # annotated value, when said in this turn
    time: str | None


def sgd_date_time_recall(path: Path, *, now: datetime | None = None) -> dict[str, object]:
    """Recall of annotated appointment dates and times in one `sgd_therapist_*.jsonl` file."""
    reference = now or REFERENCE_NOW
    counts = {"date_turns": 0, "dates_found": 0, "time_turns": 0, "times_found": 0}
    quiet_turns = spurious = 0
    unresolved = 0
    for turn in _turns(path):
        windows = understand(turn.text, vocabulary=VOCABULARY, now=reference).slots.availability
        if turn.date is None and turn.time is None:
            quiet_turns += 1
            spurious += bool(windows)
        if turn.date is not None:
            wanted = _annotated_date(turn.date, reference)
            unresolved += wanted is None
            counts["date_turns"] += 1
            counts["dates_found"] += wanted is not None and _has_date(windows, wanted)
        if turn.time is not None:
            clock = _annotated_time(turn.time, reference)
            unresolved += clock is None
            counts["time_turns"] += 1
            counts["times_found"] += clock is not None and any(w.start == clock for w in windows)
    return {
        "file": path.name,
        "now": reference.isoformat(),
        **counts,
        "date_recall": _ratio(counts["dates_found"], counts["date_turns"]),
        "time_recall": _ratio(counts["times_found"], counts["time_turns"]),
        "unresolved_annotations": unresolved,
        "turns_without_date_or_time": quiet_turns,
        "windows_in_those_turns": spurious,
    }


def _ratio(found: int, total: int) -> float:
    return round(found / total, 4) if total else 0.0


def _turns(path: Path) -> Iterator[_Turn]:
    """User turns of the therapist service, with the date/time values said in them."""
    if not path.is_file():
        raise DatasetError(f"SGD therapist file not found: {path}")
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                dialogue = json.loads(line)
                yield from _user_turns(dialogue)
            except (ValueError, KeyError, TypeError, AttributeError):
                raise DatasetError(f"{path.name}:{number}: not an SGD dialogue") from None


def _user_turns(dialogue: dict[str, Any]) -> Iterator[_Turn]:
    for turn in dialogue["turns"]:
        if turn["speaker"] != "user" or turn.get("service") != SERVICE:
            continue
        acts = set(turn.get("acts", ()))
        slots = turn.get("slots", {})
        said_date = "INFORM:appointment_date" in acts
        said_time = "INFORM:appointment_time" in acts
        yield _Turn(
            text=turn["text"],
            date=str(slots["appointment_date"]) if said_date else None,
            time=str(slots["appointment_time"]) if said_time else None,
        )


_WEEKDAYS = {day.value: day for day in Weekday}
_HOUR_WORDS = number_values(1, 12)
_ORDINAL_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\b")
_QUARTER = re.compile(r"\b(half|quarter) (past|to) (\d{1,2})\b")
_PM_BELOW = 8  # the dialogues book between 9 and 18; a bare 1-7 is afternoon


def _annotated_date(value: str, now: datetime) -> date | None:
    """The day an annotation names ("the 7th", "next Friday", "later today")."""
    text, today = value.lower(), now.date()
    if "day after tomorrow" in text:
        return today + timedelta(days=2)
    if "tomorrow" in text:
        return today + timedelta(days=1)
    if "today" in text:
        return today
    ordinal = _ORDINAL_DAY.search(text)
    if ordinal:
        day = int(ordinal.group(1))
        month = today.month if day >= today.day else today.month % 12 + 1
        return date(today.year + (month < today.month), month, day)
    day_name = next((d for name, d in _WEEKDAYS.items() if name in text), None)
    if day_name is None:
        return None
    if "next" in text:
        return today - timedelta(days=today.weekday()) + timedelta(days=7 + day_name.number)
    return today + timedelta(days=(day_name.number - today.weekday()) % 7)


def _annotated_time(value: str, now: datetime) -> time | None:
    """The clock an annotation names ("quarter to 5 in the evening", "15:45", "one pm")."""
    text = " ".join(str(_HOUR_WORDS.get(w, w)) for w in value.lower().split())
    quarter = _QUARTER.search(text)
    if quarter:
        hour = int(quarter.group(3))
        minute = 30 if quarter.group(1) == "half" else 15
        if quarter.group(2) == "to":
            hour, minute = hour - 1, 45
    else:
        clock = _CLOCK.search(text)
        if clock is None:
            return None
        hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
    later = any(w in text for w in ("pm", "afternoon", "evening"))
    if hour < 12 and (later or ("am" not in text and "morning" not in text and hour < _PM_BELOW)):
        hour += 12
    return time(hour % 24, minute) if minute < 60 else None


def _has_date(windows: tuple[AvailabilityWindow, ...], wanted: date) -> bool:
    return any(w.on == wanted or Weekday.of(wanted) in w.weekdays for w in windows)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sgd-dates",
        description="Replays SGD Services_4 user turns through understanding and reports "
        "how often the annotated appointment date and time were found (JSON, one per split; "
        "dev unless --split names another).",
    )
    parser.add_argument(
        "--datasets",
        "--data",
        dest="data",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder holding sgd_therapist_{dev,test}.jsonl (default: $FRONTDESK_DATASETS_DIR)",
    )
    parser.add_argument(
        "--split",
        choices=(*SPLITS, "all"),
        default="dev",
        help="which file to replay (default: dev; the test split is read only when asked for)",
    )
    parser.add_argument("--json", action="store_true", help="accepted for symmetry: always JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Prints one JSON object: the recall figures per split."""
    splits = SPLITS if args.split == "all" else (args.split,)
    folder: Path = args.data if args.data is not None else settings.datasets_dir
    report = {s: sgd_date_time_recall(folder / f"sgd_therapist_{s}.jsonl") for s in splits}
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
