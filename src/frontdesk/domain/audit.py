"""The audit log: who touched what, when and from where — never what it said.

An `AuditEntry` names an actor (`user:<id>`, `cli`, `api-token`, `worker`, `system`), an
action (`sign_in`, `view`, `change`, `export`, `purge`, `key_rotate` …), the kind and id of
the object acted on, the source address and a short detail. None of these may hold
protected health information: ids and counts only, never a name, number or caller's words.
The fields are checked against narrow patterns so a phone number or a sentence cannot slip
into them by accident.

Stored entries are `AuditRecord`s numbered 1, 2, 3 … with no gaps. Each record carries the
hash of the record before it (`prev_hash`; the first carries `GENESIS_HASH`) and its own
hash, SHA-256 over `canonical_bytes` (a fixed JSON encoding of the number, the entry and
`prev_hash`). Editing, deleting, inserting or reordering records therefore breaks the
chain at the first record touched, and `ChainWalker` names it. Rewriting the whole chain
from the altered record onwards is caught by comparing a head hash stored elsewhere (an
anchor) with the chain.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from frontdesk.domain.errors import InvalidInput

GENESIS_HASH = "0" * 64
"""The `prev_hash` of the first record: no record comes before it."""

CANONICAL_VERSION = 1
"""Written into every hashed encoding, so a future encoding cannot be confused with this one."""

ACTOR_LENGTH = 100
ACTION_LENGTH = 32
OBJECT_KIND_LENGTH = 32
OBJECT_ID_LENGTH = 64
SOURCE_LENGTH = 64
DETAIL_LENGTH = 200

_ACTOR = re.compile(r"[a-z][a-z0-9-]{0,31}(:[A-Za-z0-9_.-]{1,64})?")
_WORD = re.compile(r"[a-z][a-z0-9_]{0,31}")
_OBJECT_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_SOURCE = re.compile(r"[A-Za-z0-9_.:\[\]%-]{1,64}")
# Space-separated `key=value` pairs (no free words, no '@' of an e-mail, no '+' of a number).
_PAIR = r"[a-z][a-z0-9_]{0,31}=[A-Za-z0-9_.,:/-]{1,64}"
_DETAIL = re.compile(rf"({_PAIR}( {_PAIR})*)?")
# Seven digits in a row look like a phone number; counts that large are written with '_'.
_LONG_DIGITS = re.compile(r"\d{7}")


class AuditAction(StrEnum):
    """The actions the code records; an entry may name another in the same form."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    EXPORT = "export"
    ERASE = "erase"
    PURGE = "purge"
    KEY_ROTATE = "key_rotate"


class Actor(StrEnum):
    """Actors that are not a signed-in person; a person is `user:<id>` (`user_actor`)."""

    CLI = "cli"
    API_TOKEN = "api-token"  # noqa: S105 - an actor name, not a secret
    WORKER = "worker"
    SYSTEM = "system"


def user_actor(user_id: str) -> str:
    """The actor of a signed-in staff member: `user:<id>` (the id, never a name)."""
    return f"user:{user_id}"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One access or change to record; every field is checked (no PHI can fit)."""

    at: datetime
    actor: str
    action: str
    object_kind: str
    object_id: str | None = None
    source: str | None = None
    detail: str = ""

    def __post_init__(self) -> None:
        if self.at.utcoffset() is None:
            raise InvalidInput("audit entry time must be timezone-aware")
        _require(_ACTOR, self.actor, "actor")
        _require(_WORD, self.action, "action")
        _require(_WORD, self.object_kind, "object kind")
        if self.object_id is not None:
            _require(_OBJECT_ID, self.object_id, "object id")
        if self.source is not None:
            _require(_SOURCE, self.source, "source")
        if len(self.detail) > DETAIL_LENGTH:
            raise InvalidInput(f"audit entry detail is longer than {DETAIL_LENGTH} characters")
        _require(_DETAIL, self.detail, "detail")
        if _LONG_DIGITS.search(self.detail):
            raise InvalidInput("audit detail must not hold long digit runs (write 1_000_000)")


def stored_entry(
    *,
    at: datetime,
    actor: str,
    action: str,
    object_kind: str,
    object_id: str | None,
    source: str | None,
    detail: str,
) -> AuditEntry:
    """An entry as read back from storage, not checked again: a row someone altered must
    still reach the chain walk, which names it, rather than fail to load."""
    entry = object.__new__(AuditEntry)
    for name, value in (
        ("at", at),
        ("actor", actor),
        ("action", action),
        ("object_kind", object_kind),
        ("object_id", object_id),
        ("source", source),
        ("detail", detail),
    ):
        object.__setattr__(entry, name, value)
    return entry


def _require(pattern: re.Pattern[str], value: str, name: str) -> None:
    # The message names the field only: the refused value may be the very PHI kept out.
    if not pattern.fullmatch(value):
        raise InvalidInput(f"audit entry {name} has a form the audit log does not accept")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A stored entry: its place in the chain, the hash before it and its own hash."""

    seq: int
    entry: AuditEntry
    prev_hash: str
    hash: str


def utc_text(moment: datetime) -> str:
    """A moment as fixed-width UTC text with microseconds, as the hash encodes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(seq: int, entry: AuditEntry, prev_hash: str) -> bytes:
    """The exact bytes hashed for a record: a JSON array in a fixed order, ASCII only."""
    fields = [
        CANONICAL_VERSION,
        seq,
        utc_text(entry.at),
        entry.actor,
        entry.action,
        entry.object_kind,
        entry.object_id,
        entry.source,
        entry.detail,
        prev_hash,
    ]
    return json.dumps(fields, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def record_hash(seq: int, entry: AuditEntry, prev_hash: str) -> str:
    """SHA-256 (hex) of the record's canonical bytes."""
    return hashlib.sha256(canonical_bytes(seq, entry, prev_hash)).hexdigest()


def chain(previous: AuditRecord | None, entry: AuditEntry) -> AuditRecord:
    """The record that follows `previous` (or starts the chain) with `entry`."""
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS_HASH if previous is None else previous.hash
    return AuditRecord(
        seq=seq, entry=entry, prev_hash=prev_hash, hash=record_hash(seq, entry, prev_hash)
    )


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first record at which the chain stops holding, and why (no content quoted)."""

    seq: int
    reason: str


class ChainWalker:
    """Checks records fed in `seq` order; `broken` is the first break found, if any."""

    def __init__(self) -> None:
        self.count = 0
        self.last: AuditRecord | None = None
        self.broken: ChainBreak | None = None

    def feed(self, record: AuditRecord) -> ChainBreak | None:
        """Check one more record; returns (and keeps) the first break, then stays broken."""
        if self.broken is not None:
            return self.broken
        expected_seq = 1 if self.last is None else self.last.seq + 1
        expected_prev = GENESIS_HASH if self.last is None else self.last.hash
        if record.seq != expected_seq:
            reason = f"expected record {expected_seq} next, found {record.seq} (records missing)"
            self.broken = ChainBreak(seq=min(record.seq, expected_seq), reason=reason)
        elif record.prev_hash != expected_prev:
            reason = (
                f"its previous hash is not the hash of record {expected_seq - 1}: "
                "that record or this one was rewritten"
            )
            self.broken = ChainBreak(seq=record.seq, reason=reason)
        elif record.hash != record_hash(record.seq, record.entry, record.prev_hash):
            self.broken = ChainBreak(
                seq=record.seq, reason="its contents do not match its hash (edited)"
            )
        else:
            self.count += 1
            self.last = record
        return self.broken
