"""What is stored with an appointment, a waitlist entry and an opening beyond their pure values.

`domain/appointments.py` and `domain/waitlist.py` hold the rules; these records add how a
booking came about, who to remind (a `Contact`, never logged) and the persisted round of
offers of one opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from frontdesk.domain.appointments import Appointment
from frontdesk.domain.calendar import Slot
from frontdesk.domain.clients import ClientId, Contact
from frontdesk.domain.records import CallId, InquiryId, require_aware
from frontdesk.domain.waitlist import OpeningOffers, WaitlistEntry


class BookingSource(StrEnum):
    """How a booking was made (`AppointmentBooked.source`)."""

    CALL = "call"
    WAITLIST = "waitlist"
    SMS = "sms"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class BookingRecord:
    """An appointment as stored: the appointment, how it was booked and whom to remind."""

    appointment: Appointment
    source: BookingSource = BookingSource.CALL
    call_id: CallId | None = None
    contact: Contact | None = None


@dataclass(frozen=True, slots=True)
class WaitlistRecord:
    """A waitlist entry as stored: the entry, who it is for and where offers go."""

    entry: WaitlistEntry
    inquiry_id: InquiryId | None = None
    client_id: ClientId | None = None
    call_id: CallId | None = None
    contact: Contact | None = None

    def __post_init__(self) -> None:
        require_aware(self.entry.added_at, "added_at")


class OpeningStatus(StrEnum):
    OPEN = "open"  # offers are out, or will be on the next tick
    FILLED = "filled"  # a waitlist entry accepted and was booked
    WITHDRAWN = "withdrawn"  # booked another way, or the hours went away
    EXHAUSTED = "exhausted"  # every candidate was asked; nobody took it


def offer_id(opening_id: str, entry_id: str) -> str:
    """The stable id of the offer of one opening to one entry (32 characters)."""
    return f"{opening_id[:16]}{entry_id[:16]}"


@dataclass(frozen=True, slots=True)
class Opening:
    """A freed slot and its round of offers to the waitlist."""

    id: str
    slot: Slot
    created_at: datetime
    round: OpeningOffers
    appointment_id: str | None = None  # the booking that filled it

    @property
    def status(self) -> OpeningStatus:
        if self.round.filled_by is not None:
            return OpeningStatus.FILLED
        if self.round.withdrawn:
            return OpeningStatus.WITHDRAWN
        asked = {offer.entry_id for offer in self.round.offers}
        if all(entry in asked for entry in self.round.candidates) and not any(
            offer.status.is_open for offer in self.round.offers
        ):
            return OpeningStatus.EXHAUSTED
        return OpeningStatus.OPEN
