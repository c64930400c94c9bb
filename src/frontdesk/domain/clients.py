"""Existing clients as the front desk knows them, for verifying a caller before disclosure.

A client's name, date of birth and phone number are protected health information: they are
compared, never logged, and never named in an error message (ids only).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from frontdesk.domain.inquiries import ReminderPreference
from frontdesk.domain.records import require_aware

ClientId = str


@dataclass(frozen=True, slots=True, kw_only=True)
class Client:
    """An established client; `phone` is E.164, `email` optional."""

    id: ClientId
    name: str = field(repr=False)
    date_of_birth: date = field(repr=False)
    phone: str = field(repr=False)
    created_at: datetime
    email: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        require_aware(self.created_at, "created_at")


@dataclass(frozen=True, slots=True)
class Contact:
    """Where a client's reminders and offers go: a channel and an address (PHI, not logged)."""

    channel: ReminderPreference
    to: str = field(repr=False)


def name_key(name: str) -> str:
    """A name compared without case, accents, punctuation or extra spaces."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    kept = "".join(ch if ch.isalnum() else " " for ch in plain.casefold())
    return " ".join(kept.split())


def matches(client: Client, *, phone: str, name: str, date_of_birth: date) -> bool:
    """Whether a caller's number, spoken name and date of birth all match this client."""
    return (
        client.phone == phone
        and client.date_of_birth == date_of_birth
        and name_key(client.name) == name_key(name)
    )
