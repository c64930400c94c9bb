"""What one engine step returns: lines to speak, things to do, and the next state.

Actions are instructions for the services (record a hand-off, open a callback task,
transfer, hang up); the engine itself never touches the world.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from frontdesk.conversation.lines import Line
from frontdesk.conversation.script import Say
from frontdesk.conversation.state import CallState, Offer
from frontdesk.domain.calendar import Slot
from frontdesk.domain.calls import HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.practice import ServiceKind


class TransferTarget(StrEnum):
    """Where a transfer goes: a practice number, or the crisis lifeline (988)."""

    ON_CALL = "on_call"
    FRONT_DESK = "front_desk"
    LIFELINE = "lifeline"


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


# --- scheduling: the services perform these in the turn's unit of work and answer with an
# outcome, which `frontdesk.conversation.engine.resume` turns into the rest of the turn.


@dataclass(frozen=True, slots=True)
class FindOpenings:
    """Find up to three slots of `kind` for this caller, none of the `exclude` slot keys.

    `near` is a time the caller named ("anything Thursday morning?"): the closest slots to it.
    `client_id` is a verified client looking for a new time (no new-client capacity needed).
    """

    kind: ServiceKind
    exclude: frozenset[str] = frozenset()
    near: datetime | None = None
    client_id: str | None = None


@dataclass(frozen=True, slots=True)
class Book:
    """Book this slot for the call's inquiry; `SlotTaken` if it went meanwhile."""

    slot: Slot


@dataclass(frozen=True, slots=True)
class JoinWaitlist:
    """Put the caller on the waitlist for `kind` with their availability windows."""

    kind: ServiceKind


@dataclass(frozen=True, slots=True)
class Verify:
    """Check the calling number, the name and the date of birth against the client list."""

    name: str
    date_of_birth: date


@dataclass(frozen=True, slots=True)
class Cancel:
    """Cancel a verified client's appointment."""

    appointment_id: str
    client_id: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Reschedule:
    """Move a verified client's appointment to `slot`."""

    appointment_id: str
    client_id: str
    slot: Slot
    reason: str | None = None


Scheduling = FindOpenings | Book | JoinWaitlist | Verify | Cancel | Reschedule


@dataclass(frozen=True, slots=True)
class Found:
    """Slots to offer, described for reading aloud; empty when nothing fits.

    `fits` says whether every slot fits what the caller said (their availability, or the day
    they asked about): slots offered only because nothing fits are never said to.
    """

    offers: tuple[Offer, ...]
    fits: bool = True


@dataclass(frozen=True, slots=True)
class Booked:
    """The slot is booked (or the appointment moved there) under `appointment_id`."""

    appointment_id: str


@dataclass(frozen=True, slots=True)
class SlotTaken:
    """The slot was taken meanwhile."""


@dataclass(frozen=True, slots=True)
class Waitlisted:
    """The caller is on the waitlist."""

    entry_id: str


@dataclass(frozen=True, slots=True)
class Verified:
    """The caller is this client; `upcoming` are their booked appointments, soonest first."""

    client_id: str
    upcoming: tuple[Offer, ...]


@dataclass(frozen=True, slots=True)
class NotVerified:
    """No single client matches: nothing about any appointment may be said."""


@dataclass(frozen=True, slots=True)
class Cancelled:
    """The appointment is cancelled; `late` inside the policy window (flagged, never charged)."""

    late: bool


@dataclass(frozen=True, slots=True)
class Failed:
    """The scheduling step could not be done; the call falls back to a callback request."""


Outcome = Found | Booked | SlotTaken | Waitlisted | Verified | NotVerified | Cancelled | Failed


Action = (
    Handoff
    | RequestCallback
    | TakeMessage
    | Transfer
    | PageStaff
    | CaptureInquiry
    | HangUp
    | FindOpenings
    | Book
    | JoinWaitlist
    | Verify
    | Cancel
    | Reschedule
)


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

    @property
    def scheduling(self) -> Scheduling | None:
        """The scheduling step the services must perform before the turn is complete."""
        return next((a for a in self.actions if isinstance(a, SCHEDULING)), None)


SCHEDULING = (FindOpenings, Book, JoinWaitlist, Verify, Cancel, Reschedule)


TRANSFER_LINES: dict[str, TransferTarget] = {
    Line.EMERGENCY_CONNECTING: TransferTarget.ON_CALL,
    Line.CRISIS_TRANSFER_ON_CALL: TransferTarget.ON_CALL,
    Line.TRANSFER_FRONT_DESK: TransferTarget.FRONT_DESK,
    Line.CRISIS_TRANSFER_FRONT_DESK: TransferTarget.FRONT_DESK,
    Line.CRISIS_CONNECT_988: TransferTarget.LIFELINE,
}
"""The line said with each transfer, so a stored turn's transfer can be told from its lines."""
