"""Column types that keep protected health information encrypted at rest.

Every column that holds a name, a number, an address, a date of birth or words a person
said is declared with one of these types and its own `table.column` name, which the value
is bound to (see `frontdesk.adapters.encryption`). The engine's keyring encrypts on the way
in and decrypts on the way out; code above the repositories sees plain values.

An empty value (`""`, `{}`, `[]`) is stored as it is, so a purge can tell what it has
emptied. Nothing else may filter, order or group on such a column: equality lookups go
through a blind index column beside it (`lookup_key`), the keyed HMAC of the normalised
value.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from frontdesk.adapters.encryption import BLIND_INDEX_LENGTH, EMPTY, keyring_of
from frontdesk.domain.clients import name_key

LOOKUP_LENGTH = BLIND_INDEX_LENGTH


class _Encrypted(TypeDecorator[Any]):
    """Base: text in the database, `fd1.<key id>.<sealed value>`; `column` names the
    column the value is bound to."""

    impl = Text
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def encode(self, value: Any) -> str:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def decode(self, text: str) -> Any:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        encoded = self.encode(value)
        if encoded in EMPTY:
            return encoded
        return keyring_of(dialect).encrypt(self.column, encoded)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.decode(keyring_of(dialect).decrypt(self.column, str(value)))


class EncryptedText(_Encrypted):
    """A string (a name, a number, an utterance, a message body), encrypted."""

    cache_ok = True

    def encode(self, value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{self.column}: expected a string")
        return value

    def decode(self, text: str) -> str:
        return text


class EncryptedJSON(_Encrypted):
    """A JSON document (a call's state, an intake), encrypted as one value."""

    cache_ok = True

    def encode(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def decode(self, text: str) -> Any:
        return json.loads(text)


class EncryptedDate(_Encrypted):
    """A calendar date (a date of birth), encrypted as its ISO form."""

    cache_ok = True

    def encode(self, value: Any) -> str:
        if not isinstance(value, date):
            raise TypeError(f"{self.column}: expected a date")
        return value.isoformat()

    def decode(self, text: str) -> date:
        return date.fromisoformat(text[:10])


# --- blind indexes ----------------------------------------------------------------------------


def phone_lookup(number: str) -> str:
    """The normalised form of an address a lookup matches on (spaces dropped, case folded)."""
    return "".join(number.split()).casefold()


def client_lookup(name: str, date_of_birth: date) -> str:
    """The normalised form of a client's name and date of birth, matched together."""
    return f"{name_key(name)}|{date_of_birth.isoformat()}"


def lookup_key(session: Session, kind: str, normalised: str) -> str:
    """The blind index of a normalised value under the session's engine keyring."""
    return keyring_of(session.get_bind().dialect).blind_index(kind, normalised)


def phone_key(session: Session, number: str | None) -> str | None:
    """The blind index of a phone number or caller address, None for None."""
    return None if number is None else lookup_key(session, "phone", phone_lookup(number))
