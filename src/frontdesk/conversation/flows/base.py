"""What every flow shares: the engine context, the step a flow returns, value formatting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import CallState
from frontdesk.conversation.turn import Action
from frontdesk.conversation.understanding.result import Slot, Understanding, Vocabulary
from frontdesk.domain.calls import Route
from frontdesk.domain.practice import Practice, ServiceKind


class RuleMatch(Protocol):
    """One safety rule that fired; the engine keeps its id for audit."""

    @property
    def rule(self) -> str: ...


class Verdict(Protocol):
    """The part of a safety verdict the engine reads."""

    @property
    def route(self) -> Route: ...

    @property
    def categories(self) -> Sequence[str]: ...

    @property
    def matches(self) -> Sequence[RuleMatch]: ...

    @property
    def safety_check(self) -> bool:
        """Risk is possible but not clear: the call asks the direct question (once)."""
        ...


class Screen(Protocol):
    """The safety screen: raw caller text in, a verdict out."""

    def __call__(self, text: str, /) -> Verdict: ...


class Understand(Protocol):
    """Understanding: one utterance in, slots, intent and requests out."""

    def __call__(
        self,
        text: str,
        *,
        vocabulary: Vocabulary,
        now: datetime,
        expecting: Slot | None,
        digits: str | None,
    ) -> Understanding: ...


@dataclass(frozen=True, slots=True)
class EngineContext:
    """What the engine needs besides the state: the practice and its collaborators.

    `low_confidence` is the recogniser confidence below which a value is read back;
    `max_reprompts` is how many times a question is repeated before offering a message.
    """

    practice: Practice
    vocabulary: Vocabulary
    screen: Screen
    understand: Understand
    low_confidence: float = 0.6
    max_reprompts: int = 2


def vocabulary_of(practice: Practice) -> Vocabulary:
    """The understanding vocabulary a practice implies."""
    specialties = sorted({s for c in practice.clinicians for s in c.specialties})
    return Vocabulary(
        payers=practice.payers,
        clinicians=practice.clinicians,
        specialties=tuple(specialties),
        timezone=practice.timezone,
    )


@dataclass(frozen=True, slots=True)
class Step:
    """What a flow decided: lines to say, actions for the services, the next state."""

    state: CallState
    says: tuple[Say, ...] = ()
    actions: tuple[Action, ...] = ()

    def prefixed(self, says: Iterable[Say] = (), actions: Iterable[Action] = ()) -> Step:
        """This step with some lines and actions placed before its own. A line said twice
        with the same values (the fees, answered and part of the out-of-network answer) is
        said once, where it first comes."""
        lines = tuple(dict.fromkeys((*says, *self.says)))
        return Step(self.state, lines, (*actions, *self.actions))


def say(line: Line, **values: str) -> Say:
    return Say.of(line.value, **values)


def money(amount: Decimal) -> str:
    """`$150` or `$62.50`."""
    if amount == amount.to_integral_value():
        return f"${int(amount)}"
    return f"${amount:.2f}"


def listing(items: Iterable[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    values = list(items)
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} and {values[-1]}"


def spell_number(e164: str) -> str:
    """A phone number read digit by digit in groups: `5 5 5, 0 1 0, 4 4 2 1`."""
    digits = "".join(ch for ch in e164 if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    groups = [digits[:3], digits[3:6], digits[6:]] if len(digits) == 10 else [digits]
    return ", ".join(" ".join(group) for group in groups)


def service_name(practice: Practice, kind: ServiceKind) -> str:
    """The name of the service a caller is after, from the practice file."""
    service = practice.service(kind) or practice.service(ServiceKind.FIRST_SESSION)
    if service is None:
        service = practice.services[0]
    return service.name


def practice_values(practice: Practice) -> dict[str, str]:
    """Placeholder values every crisis and greeting line may need."""
    crisis = practice.crisis
    return {
        "practice": practice.name,
        "emergency_number": crisis.emergency_number,
        "lifeline_number": crisis.lifeline_number,
        "lifeline_chat": crisis.lifeline_chat,
        "veterans_option": crisis.veterans_option,
    }


def practice_say(line: Line, practice: Practice) -> Say:
    """A line filled with the practice-wide values it names."""
    library = practice.scripts
    wanted = library.line(line.value).placeholders if line.value in library.lines else set()
    values = {k: v for k, v in practice_values(practice).items() if k in wanted}
    return Say.of(line.value, **values)
