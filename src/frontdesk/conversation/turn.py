"""What one engine step returns: lines to speak, things to do, and the next state.

Actions are instructions for the services (record a hand-off, open a callback task,
transfer, hang up); the engine itself never touches the world.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from frontdesk.conversation.script import Say
from frontdesk.conversation.state import CallState
from frontdesk.domain.calls import HandoffCategory, Intent, Route, Urgency


class TransferTarget(StrEnum):
    ON_CALL = "on_call"
    FRONT_DESK = "front_desk"


@dataclass(frozen=True, slots=True)
class Handoff:
    """Staff must act: a hand-off record in `category` with `urgency`.

    `reason` is a short code (e.g. `crisis_language`); `quote` keeps the caller's own words
    where they matter to staff (crisis, clinical questions).
    """

    category: HandoffCategory
    urgency: Urgency
    reason: str
    route: Route = Route.ROUTINE
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class RequestCallback:
    """Open a callback task carrying everything captured."""

    reason: str
    urgency: Urgency = Urgency.ROUTINE


@dataclass(frozen=True, slots=True)
class TakeMessage:
    """Record a message for staff, in the caller's words; never blank."""

    body: str


@dataclass(frozen=True, slots=True)
class Transfer:
    """Warm-transfer the call to a practice number."""

    to: TransferTarget


@dataclass(frozen=True, slots=True)
class PageStaff:
    """Alert staff at once (emergency and crisis routes)."""

    reason: str


@dataclass(frozen=True, slots=True)
class CaptureInquiry:
    """Keep the intake captured so far as an inquiry."""

    complete: bool = False


@dataclass(frozen=True, slots=True)
class HangUp:
    """End the call after the lines of this turn are spoken."""


Action = Handoff | RequestCallback | TakeMessage | Transfer | PageStaff | CaptureInquiry | HangUp


@dataclass(frozen=True, slots=True)
class Turn:
    """One engine step: `says` in order, `actions` for the services, the next `state`.

    `route` and `intent` describe this turn's utterance (None intent when nothing was said);
    `rules` and `categories` are the safety rule ids and categories that fired, for audit.
    """

    says: tuple[Say, ...]
    actions: tuple[Action, ...]
    state: CallState
    route: Route = Route.ROUTINE
    intent: Intent | None = None
    rules: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
