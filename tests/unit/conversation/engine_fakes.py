"""Table-driven fakes of the safety screen and understanding, for engine and flow tests.

The flows read only what understanding returns, so a table from utterance to
`Understanding` states each scenario exactly and keeps these tests about the flows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from tests.practice_builders import make_practice

from frontdesk.adapters.script_file import default_script_library
from frontdesk.conversation.engine import EngineContext, step, vocabulary_of
from frontdesk.conversation.events import CallerSaid, CallStarted, Event, HungUp, Silence
from frontdesk.conversation.state import CallState
from frontdesk.conversation.turn import Turn
from frontdesk.conversation.understanding.choices import read_choice
from frontdesk.conversation.understanding.normalize import numberize, words
from frontdesk.conversation.understanding.result import (
    Request,
    Slot,
    SlotValues,
    Topic,
    Understanding,
    Vocabulary,
)
from frontdesk.domain.calls import Intent, Route
from frontdesk.domain.practice import Practice

NOW = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
CALLER = "+15555550123"


@dataclass(frozen=True)
class FakeMatch:
    rule: str


@dataclass(frozen=True)
class FakeVerdict:
    route: Route
    categories: tuple[str, ...] = ()
    matches: tuple[FakeMatch, ...] = ()
    safety_check: bool = False


@dataclass
class FakeScreen:
    """Routes listed utterances; everything else is routine. Records what it screened.

    Utterances in `checks` carry `safety_check` (risk possible but not clear).
    """

    routes: Mapping[str, Route] = field(default_factory=dict)
    screened: list[str] = field(default_factory=list)
    checks: frozenset[str] = frozenset()

    def __call__(self, text: str, /) -> FakeVerdict:
        self.screened.append(text)
        route = self.routes.get(text, Route.ROUTINE)
        check = text in self.checks
        if route is Route.ROUTINE:
            return FakeVerdict(route, safety_check=check)
        return FakeVerdict(
            route, (f"{route.value} words",), (FakeMatch(f"test.{route.value}"),), check
        )


def heard(
    text: str,
    *,
    intent: Intent | None = None,
    affirm: bool | None = None,
    correction: bool = False,
    requests: Iterable[Request] = (),
    topics: Iterable[Topic] = (),
    **slots: object,
) -> Understanding:
    """An `Understanding` of `text` with the given fields."""
    return Understanding(
        text=text,
        normalized=text.lower(),
        intent=intent,
        intents=(intent,) if intent else (),
        slots=SlotValues(**slots),  # type: ignore[arg-type]
        affirm=affirm,
        correction=correction,
        requests=frozenset(requests),
        topics=tuple(topics),
        choice=read_choice(numberize(words(text)), today=NOW.date()),
    )


@dataclass
class FakeUnderstanding:
    """Returns the listed understanding for each utterance; unknown text means nothing."""

    table: Mapping[str, Understanding] = field(default_factory=dict)
    expected: list[Slot | None] = field(default_factory=list)

    def __call__(
        self,
        text: str,
        *,
        vocabulary: Vocabulary,
        now: datetime,
        expecting: Slot | None,
        digits: str | None,
    ) -> Understanding:
        self.expected.append(expecting)
        if text in self.table:
            return self.table[text]
        return replace(heard(text), digits=digits)


def practice() -> Practice:
    return make_practice(scripts=default_script_library())


def context(
    table: Iterable[Understanding] = (),
    routes: Mapping[str, Route] | None = None,
    practice_: Practice | None = None,
    checks: Iterable[str] = (),
) -> EngineContext:
    chosen = practice_ or practice()
    return EngineContext(
        practice=chosen,
        vocabulary=vocabulary_of(chosen),
        screen=FakeScreen(routes or {}, checks=frozenset(checks)),
        understand=FakeUnderstanding({u.text: u for u in table}),
    )


def said(text: str, confidence: float | None = None) -> CallerSaid:
    return CallerSaid(NOW, text, confidence)


def run(
    ctx: EngineContext,
    events: Iterable[Event | str | None],
    *,
    caller: str | None = CALLER,
    after_hours: bool = False,
) -> list[Turn]:
    """Every turn of a call: starts it, then strings are said, None is silence."""
    state = CallState()
    turns = [step(state, CallStarted(NOW, caller, after_hours), context=ctx)]
    state = turns[0].state
    for item in events:
        event: Event
        if item is None:
            event = Silence(NOW)
        elif isinstance(item, str):
            event = said(item)
        else:
            event = item
        turn = step(state, event, context=ctx)
        turns.append(turn)
        state = turn.state
    return turns


def ids(turn: Turn) -> list[str]:
    return [s.line_id for s in turn.says]


def hang_up() -> HungUp:
    return HungUp(NOW)
