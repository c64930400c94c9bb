"""The simulated callers' wordings (`callers.toml`), loaded once and checked against a schema.

A malformed file is refused with a `DatasetError` naming the key: unknown or missing keys,
empty lists, placeholders nobody fills, rates outside 0-1, and script line ids the engine
does not have.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any

from frontdesk.conversation.lines import Line
from frontdesk.domain.errors import DatasetError
from frontdesk.domain.inquiries import Weekday

PLACEHOLDERS = frozenset(
    {
        "age",
        "relation",
        "they",
        "they_are",
        "state",
        "payer",
        "number",
        "name",
        "concern",
        "email",
        "availability",
        "value",
        "ordinal",
        "weekday",
        "day",
        "clock",
        "clinician",
        "topic",
        "caller_name",
    }
)
SAFETY_QUESTION_LINE = "safety_check"
"""The direct safety question (`Verdict.safety_check`); it may be absent from older engines."""
_LINES = frozenset(line.value for line in Line) | {SAFETY_QUESTION_LINE}
RATE_NAMES = (
    "silence",
    "aside",
    "question",
    "other_fact",
    "extra_facts",
    "correction",
    "purpose_facts",
    "risk",
    "hang_up",
    "number_is_caller_id",
    "question_only",
    "callback_request",
    "consult",
    "keypad",
    "other_times",
    "own_aside",
)
FACT_KEYS = (
    "for_whom.self",
    "for_whom.child",
    "for_whom.partner",
    "relation.child",
    "relation.partner",
    "age.self",
    "age.child",
    "age.partner",
    "who_and_age.self",
    "who_and_age.child",
    "who_and_age.partner",
    "state",
    "modality.in_person",
    "modality.telehealth",
    "modality.hybrid",
    "modality_again.yes",
    "modality_again.no",
    "payment.private_pay",
    "payment.sliding_scale",
    "payment.insurance",
    "payer",
    "concern.self",
    "concern.child",
    "concern.partner",
    "availability",
    "reminder.sms",
    "reminder.email",
    "reminder.call",
    "email",
    "number",
    "number_known.yes",
    "number_known.no",
    "number_known.no_bare",
    "name",
    "own_name",
    "other_name",
    "false_start.self",
    "false_start.child",
    "false_start.partner",
    "bare_name",
    "stated_age.self",
    "stated_age.child",
    "stated_age.partner",
    "stated_reminder.sms",
    "stated_reminder.email",
    "stated_reminder.call",
    "this_number",
    "telehealth.yes",
    "telehealth.no",
    "consent.yes",
    "consent.no",
    "correction",
    "correction_state",
    "correction_age.self",
    "correction_age.child",
    "correction_age.partner",
    "yes",
    "no",
    "waitlist",
    "goodbye",
    "message",
    "offer_message",
    "aside",
    "safety_yes",
    "safety_no",
    "restate",
    "new_client",
    "lost",
)
PICK_STYLES = ("position", "weekday", "date", "time", "clinician")
_PICKS = (*PICK_STYLES, "other_times")
ASK_KINDS = frozenset(
    {
        "purpose",
        "new_or_existing",
        "for_whom",
        "age",
        "concern",
        "state",
        "modality",
        "modality_again",
        "telehealth",
        "payment",
        "payment_again",
        "payer",
        "availability",
        "reminder",
        "email",
        "number_known",
        "number",
        "consent",
        "name",
        "readback",
        "pick",
        "confirm_slot",
        "waitlist",
        "anything_else",
        "message",
        "offer_message",
    }
)
_TOP = frozenset(
    {
        "version",
        "rates",
        "questions",
        "repeat_limited",
        "crisis_lines",
        "pauses",
        "reworded_suffix",
        "done_lines",
        "answers",
        "purposes",
        "callback_topics",
        "asks",
        "facts",
        "picks",
        "values",
        "availability",
    }
)


@dataclass(frozen=True, slots=True)
class Ask:
    """A question a caller can ask, and the topics it asks about."""

    text: str
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Availability:
    """Availability in a caller's words, with what it means."""

    text: str
    weekdays: frozenset[Weekday]
    start: time | None
    end: time | None


@dataclass(frozen=True, slots=True)
class Wordings:
    """Everything `callers.toml` holds, typed."""

    rates: dict[str, float]
    questions: dict[str, str]  # script line id -> what the caller is asked
    repeat_limited: frozenset[str]
    crisis_lines: frozenset[str]
    pauses: frozenset[str]
    reworded_suffix: str
    done_lines: frozenset[str]
    answers: dict[str, frozenset[str]]  # topic -> lines that answer it
    purposes: dict[str, tuple[str, ...]]
    callback_topics: dict[str, str]
    asks: tuple[Ask, ...]
    facts: dict[str, tuple[str, ...]]
    picks: dict[str, tuple[str, ...]]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    email_domain: str
    concerns: tuple[str, ...]
    other_states: tuple[str, ...]
    unlisted_payers: tuple[str, ...]
    state_names: dict[str, str]
    area_codes: tuple[str, ...]
    ages: dict[str, tuple[int, ...]]
    aside_exclude: frozenset[str]
    availability: tuple[Availability, ...]
    own_asides: tuple[str, ...] = ()

    def question(self, line_id: str) -> str | None:
        """What a line asks the caller (a reworded question asks the same), or None."""
        found = self.questions.get(line_id)
        if found is None and self.reworded_suffix and line_id.endswith(self.reworded_suffix):
            found = self.questions.get(line_id.removesuffix(self.reworded_suffix))
        return found


def default_path() -> Path:
    """The packaged wordings file."""
    return Path(str(resources.files("frontdesk.bench.conversation") / "callers.toml"))


def load(path: Path | None = None) -> Wordings:
    """Read and check a wordings file (default: the packaged one)."""
    source = path or default_path()
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DatasetError(f"{source.name}: cannot be read: {exc}") from None
    return _parse(data, source.name)


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, key: str, problem: str) -> DatasetError:
        return DatasetError(f"{self.name}: {key}: {problem}")

    def table(self, data: Any, key: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(key, "must be a table")
        return data

    def texts(self, data: Any, key: str) -> tuple[str, ...]:
        if not isinstance(data, list) or not data or not all(isinstance(t, str) for t in data):
            raise self.fail(key, "must be a non-empty list of strings")
        for text in data:
            self.placeholders(text, key)
        return tuple(data)

    def placeholders(self, text: str, key: str) -> None:
        names = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        unknown = names - PLACEHOLDERS
        if unknown:
            raise self.fail(key, f"unknown placeholder {sorted(unknown)[0]!r}")

    def line(self, value: Any, key: str) -> str:
        if value not in _LINES:
            raise self.fail(key, f"{value!r} is not a script line id")
        return str(value)

    def clock(self, value: Any, key: str) -> time | None:
        if value is None:
            return None
        if not isinstance(value, str) or not re.fullmatch(r"\d\d:\d\d", value):
            raise self.fail(key, "must be HH:MM")
        return time.fromisoformat(value)


def _parse(data: dict[str, Any], name: str) -> Wordings:
    r = _Reader(name)
    unknown = set(data) - _TOP
    if unknown:
        raise r.fail(sorted(unknown)[0], "unknown key")
    missing = _TOP - set(data)
    if missing:
        raise r.fail(sorted(missing)[0], "missing")
    if data["version"] != 1:
        raise r.fail("version", "only version 1 is supported")
    rates = r.table(data["rates"], "rates")
    for key in set(rates) ^ set(RATE_NAMES):
        raise r.fail(f"rates.{key}", "unknown" if key in rates else "missing")
    for key, value in rates.items():
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise r.fail(f"rates.{key}", "must be a number from 0 to 1")
    questions = r.table(data["questions"], "questions")
    for line_id, kind in questions.items():
        r.line(line_id, f"questions.{line_id}")
        if kind not in ASK_KINDS:
            raise r.fail(f"questions.{line_id}", f"{kind!r} is not a kind of question")
    limited = r.texts(data["repeat_limited"], "repeat_limited")
    if not set(limited) <= ASK_KINDS:
        raise r.fail("repeat_limited", "names an unknown kind of question")
    crisis = frozenset(
        r.line(v, "crisis_lines") for v in r.texts(data["crisis_lines"], "crisis_lines")
    )
    pauses = frozenset(r.line(v, "pauses") for v in r.texts(data["pauses"], "pauses"))
    answers = {
        topic: frozenset(r.line(v, f"answers.{topic}") for v in r.texts(lines, f"answers.{topic}"))
        for topic, lines in r.table(data["answers"], "answers").items()
    }
    purposes = {
        key: r.texts(value, f"purposes.{key}")
        for key, value in r.table(data["purposes"], "purposes").items()
    }
    for key in ("appointment", "appointment_self", "consult", "callback", "greeting", "joiners"):
        if key not in purposes:
            raise r.fail(f"purposes.{key}", "missing")
    topics = r.table(data["callback_topics"], "callback_topics")
    asks = tuple(_ask(r, item, n, answers) for n, item in enumerate(data["asks"]))
    facts = _flat(r, r.table(data["facts"], "facts"), "facts")
    for key in FACT_KEYS:
        if key not in facts:
            raise r.fail(f"facts.{key}", "missing")
    picks = {
        key: r.texts(value, f"picks.{key}")
        for key, value in r.table(data["picks"], "picks").items()
    }
    if set(picks) != set(_PICKS):
        raise r.fail("picks", f"must have exactly {', '.join(_PICKS)}")
    values = r.table(data["values"], "values")
    ages = r.table(values.get("ages"), "values.ages")
    for key in ("self", "child", "partner"):
        if not isinstance(ages.get(key), list) or not all(isinstance(a, int) for a in ages[key]):
            raise r.fail(f"values.ages.{key}", "must be a list of whole numbers")
    return Wordings(
        rates={k: float(v) for k, v in rates.items()},
        questions=dict(questions),
        repeat_limited=frozenset(limited),
        crisis_lines=crisis,
        pauses=pauses,
        reworded_suffix=str(data["reworded_suffix"]),
        done_lines=frozenset(
            r.line(v, "done_lines") for v in r.texts(data["done_lines"], "done_lines")
        ),
        answers=answers,
        purposes=purposes,
        callback_topics={str(k): str(v) for k, v in topics.items()},
        asks=asks,
        facts=facts,
        picks=picks,
        first_names=r.texts(values.get("first_names"), "values.first_names"),
        last_names=r.texts(values.get("last_names"), "values.last_names"),
        email_domain=str(values.get("email_domain", "")) or "example.com",
        concerns=r.texts(values.get("concerns"), "values.concerns"),
        other_states=r.texts(values.get("other_states"), "values.other_states"),
        unlisted_payers=r.texts(values.get("unlisted_payers"), "values.unlisted_payers"),
        state_names={
            str(k): str(v)
            for k, v in r.table(values.get("state_names"), "values.state_names").items()
        },
        area_codes=r.texts(values.get("area_codes"), "values.area_codes"),
        ages={k: tuple(ages[k]) for k in ("self", "child", "partner")},
        aside_exclude=frozenset(r.texts(values.get("aside_exclude"), "values.aside_exclude")),
        availability=tuple(
            _availability(r, item, n) for n, item in enumerate(data["availability"])
        ),
        own_asides=(
            r.texts(values["own_asides"], "values.own_asides") if "own_asides" in values else ()
        ),
    )


def _flat(r: _Reader, table: dict[str, Any], prefix: str) -> dict[str, tuple[str, ...]]:
    flat: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            for sub, texts in _flat(r, value, f"{prefix}.{key}").items():
                flat[f"{key}.{sub}"] = texts
        else:
            flat[key] = r.texts(value, f"{prefix}.{key}")
    return flat


def _ask(r: _Reader, item: Any, n: int, answers: dict[str, frozenset[str]]) -> Ask:
    key = f"asks[{n}]"
    table = r.table(item, key)
    text = table.get("text")
    if not isinstance(text, str) or not text:
        raise r.fail(f"{key}.text", "must be text")
    r.placeholders(text, f"{key}.text")
    topics = r.texts(table.get("topics"), f"{key}.topics")
    for topic in topics:
        if topic not in answers:
            raise r.fail(f"{key}.topics", f"{topic!r} has no lines in [answers]")
    return Ask(text, topics)


def _availability(r: _Reader, item: Any, n: int) -> Availability:
    key = f"availability[{n}]"
    table = r.table(item, key)
    text = table.get("text")
    if not isinstance(text, str) or not text:
        raise r.fail(f"{key}.text", "must be text")
    try:
        weekdays = frozenset(Weekday(d) for d in table.get("weekdays", []))
    except ValueError:
        raise r.fail(f"{key}.weekdays", "must name weekdays") from None
    return Availability(
        text,
        weekdays,
        r.clock(table.get("start"), f"{key}.start"),
        r.clock(table.get("end"), f"{key}.end"),
    )
