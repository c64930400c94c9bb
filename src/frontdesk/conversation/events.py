"""What happens on a call, as the engine sees it: one event per turn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CallStarted:
    """The phone was answered; `after_hours` when the front desk is closed."""

    at: datetime
    caller_number: str | None = None
    after_hours: bool = False


@dataclass(frozen=True, slots=True)
class CallerSaid:
    """The caller said something; `confidence` is the recogniser's, None when typed."""

    at: datetime
    text: str
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class CallerPressed:
    """The caller pressed keypad digits."""

    at: datetime
    digits: str


@dataclass(frozen=True, slots=True)
class Silence:
    """The caller said nothing before the recogniser gave up."""

    at: datetime


@dataclass(frozen=True, slots=True)
class HungUp:
    """The caller ended the call."""

    at: datetime


@dataclass(frozen=True, slots=True)
class TransferMissed:
    """A transfer the call placed was not answered (busy, no answer, failed); the caller is
    still on the line."""

    at: datetime


Event = CallStarted | CallerSaid | CallerPressed | Silence | HungUp | TransferMissed
