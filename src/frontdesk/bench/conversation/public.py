"""Public sentences the simulated callers borrow, each with what it means.

- SGD therapist dialogues, `dev` part only: user turns that tell a date or a time, with the
  annotators' values read into a month and day, a weekday, a day offset and a clock time.
- CLINC150, `train` split: requests that have nothing to do with a front desk (asides).
- DiaSafety risk texts, `train` part: the ones labelled `crisis` or `emergency`.
"""

from __future__ import annotations

import calendar
import csv
import json
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from frontdesk.bench._number_words import number_values
from frontdesk.domain.errors import DatasetError
from frontdesk.domain.inquiries import Weekday

SGD_FILE = "sgd_therapist_dev.jsonl"
CLINC_FILE = "clinc150.jsonl"
RISK_FILE = "diasafety_risk_train.tsv"
RISK_LABELS = frozenset({"crisis", "emergency"})
MAX_RISK_CHARS = 280
_TIME_ACTS = frozenset({"INFORM:appointment_date", "INFORM:appointment_time"})
_ALLOWED_ACTS = _TIME_ACTS | {"INFORM_INTENT:intent", "AFFIRM", "SELECT"}
_NUMBERS = number_values(0, 12)
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_OFFSETS = {"today": 0, "later today": 0, "tomorrow": 1, "day after tomorrow": 2}


@dataclass(frozen=True, slots=True)
class TimeSaid:
    """An SGD user turn and what its annotated date and time mean.

    `hour_either` marks a clock time said without am/pm: either half of the day fits.
    """

    text: str
    day: int | None = None  # day of the month
    month: int | None = None  # when the caller's words name it ("the 1st of March")
    weekday: Weekday | None = None
    offset: int | None = None  # days from the day of the call
    clock: time | None = None
    hour_either: bool = False
    from_now: bool = False  # "later today": any time from the call on


@dataclass(frozen=True, slots=True)
class PublicSentences:
    times: tuple[TimeSaid, ...]
    asides: tuple[str, ...]
    risks: tuple[tuple[str, str], ...]  # (label, text)


def load(datasets: Path, *, aside_exclude: frozenset[str]) -> PublicSentences:
    """Read the three data sets from `datasets`; a missing file is a `DatasetError`."""
    return PublicSentences(
        times=_sgd_times(_require(datasets / SGD_FILE)),
        asides=_asides(_require(datasets / CLINC_FILE), aside_exclude),
        risks=_risks(_require(datasets / RISK_FILE)),
    )


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DatasetError(f"data set {path.name} not found in {path.parent}")
    return path


def _sgd_times(path: Path) -> tuple[TimeSaid, ...]:
    found: list[TimeSaid] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        for turn in json.loads(line)["turns"]:
            if turn["speaker"] != "user" or turn.get("service") != "Services_4":
                continue
            acts = set(turn.get("acts", []))
            if not acts & _TIME_ACTS or not acts <= _ALLOWED_ACTS:
                continue
            slots = turn.get("slots", {})
            said = _meaning(
                turn["text"],
                slots.get("appointment_date") if "INFORM:appointment_date" in acts else None,
                slots.get("appointment_time") if "INFORM:appointment_time" in acts else None,
            )
            if said is not None:
                found.append(said)
    if not found:
        raise DatasetError(f"data set {path.name} has no dated user turns")
    return tuple(found)


def _meaning(text: str, date_value: str | None, time_value: str | None) -> TimeSaid | None:
    day = month = weekday = offset = None
    if date_value is not None:
        value = date_value.lower().strip()
        if value in _OFFSETS:
            offset = _OFFSETS[value]
        elif match := re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\b", value):
            day = int(match.group(1))
            month = _month_named(value, text)
        else:
            named = [w for w in Weekday if w.value in value]
            if not named:
                return None
            weekday = named[0]
    clock, either = (None, False) if time_value is None else _clock(time_value)
    if time_value is not None and clock is None:
        return None
    # Annotators often wrote "today" for "later today": the words say it starts from now.
    later = date_value is not None and (
        "later" in date_value.lower() or (offset == 0 and "later today" in text.lower())
    )
    return TimeSaid(text, day, month, weekday, offset, clock, either, later)


def _month_named(value: str, text: str) -> int | None:
    """The month of an annotated date, kept only when the caller's own words name it too."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    for name, number in _MONTHS.items():
        if name in value and name in words:
            return number
    return None


def _clock(value: str) -> tuple[time | None, bool]:
    """A clock time from an SGD annotation ("quarter to 5 in the evening", "15:45")."""
    words = value.lower().replace("-", " ").split()
    text = " ".join(str(_NUMBERS.get(w, w)) for w in words)
    minute = 0
    if match := re.search(r"\b(\d{1,2}):(\d\d)\b", text):
        hour, minute = int(match.group(1)), int(match.group(2))
    elif match := re.search(r"\b(half past|quarter past|quarter to) (\d{1,2})\b", text):
        hour = int(match.group(2))
        phrase = match.group(1)
        if phrase == "quarter to":
            hour, minute = hour - 1, 45
        else:
            minute = 30 if phrase == "half past" else 15
    elif match := re.search(r"\b(\d{1,2})\b", text):
        hour = int(match.group(1))
    else:
        return None, False
    afternoon = any(w in text for w in ("pm", "afternoon", "evening", "night"))
    morning = any(w in text for w in ("am", "morning"))
    if hour > 12 or afternoon or morning:
        if afternoon and hour < 12:
            hour += 12
        if not 0 <= hour < 24:
            return None, False
        return time(hour, minute), False
    return time(hour % 12, minute), True


def _asides(path: Path, exclude: frozenset[str]) -> tuple[str, ...]:
    found: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["split"] == "train" and row["intent"] not in exclude:
            found.append(row["text"])
    if not found:
        raise DatasetError(f"data set {path.name} has no train requests")
    return tuple(found)


def _risks(path: Path) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 2 and row[0] in RISK_LABELS and len(row[1]) <= MAX_RISK_CHARS:
                found.append((row[0], row[1]))
    if not found:
        raise DatasetError(f"data set {path.name} has no crisis or emergency texts")
    return tuple(found)
