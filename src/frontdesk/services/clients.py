"""Existing clients: add them for verification, and verify a caller before any disclosure.

A caller is an existing client only when the number they call from, the name they give
and their date of birth all match one client. Otherwise nothing is disclosed: `verify`
returns None without saying which part failed, and nothing about it is logged but ids.
"""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.domain.clients import Client, ClientId, matches
from frontdesk.domain.errors import InvalidInput, NotFound
from frontdesk.domain.messages import normalise_number
from frontdesk.domain.records import new_id, require_aware
from frontdesk.services.unit_of_work import UnitOfWork


def add(
    *,
    name: str,
    date_of_birth: date,
    phone: str,
    at: datetime,
    uow: UnitOfWork,
    email: str | None = None,
) -> ClientId:
    """Store an established client (seeded by staff) and commit; the new client's id."""
    require_aware(at, "at")
    if not name.strip():
        raise InvalidInput("a client needs a name")
    if date_of_birth > at.date():
        raise InvalidInput("date of birth is in the future")
    client = Client(
        id=new_id(),
        name=" ".join(name.split()),
        date_of_birth=date_of_birth,
        phone=normalise_number(phone),
        email=email.strip() if email else None,
        created_at=at,
    )
    with uow:
        uow.clients.add(client)
        uow.commit()
    return client.id


def verify(*, phone: str, name: str, date_of_birth: date, uow: UnitOfWork) -> ClientId | None:
    """The id of the one client matching the caller's number, name and date of birth.

    None when the number is unreadable, nothing matches, or (never expected) more than one
    client matches: an unverified caller hears nothing about anyone's appointments.
    """
    with uow:
        return verify_within(uow, phone=phone, name=name, date_of_birth=date_of_birth)


def verify_within(
    uow: UnitOfWork, *, phone: str, name: str, date_of_birth: date
) -> ClientId | None:
    """`verify` inside the caller's open unit of work (a call's turn)."""
    try:
        number = normalise_number(phone)
    except InvalidInput:
        return None
    found = [
        c
        for c in uow.clients.with_phone(number)
        if matches(c, phone=number, name=name, date_of_birth=date_of_birth)
    ]
    return found[0].id if len(found) == 1 else None


def resolve(*, reference: str, uow: UnitOfWork) -> ClientId:
    """The client staff mean: an id, or a phone number exactly one client has.

    `NotFound` names neither the number nor anyone's name; several clients sharing one
    number (a family phone) must be told apart by id.
    """
    wanted = reference.strip()
    if not wanted:
        raise InvalidInput("name the client by id or phone number")
    with uow:
        if uow.clients.get(wanted) is not None:
            return wanted
        try:
            number = normalise_number(wanted)
        except InvalidInput:
            raise NotFound("no client with that id") from None
        found = uow.clients.with_phone(number)
    if not found:
        raise NotFound("no client with that phone number")
    if len(found) > 1:
        raise InvalidInput("several clients share that phone number: use the client id")
    return found[0].id
