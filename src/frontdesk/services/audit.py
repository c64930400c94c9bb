"""Recording and checking the audit log: who saw or changed what, never the content.

Record an access or a change inside the unit of work that makes it, so the record and the
change commit together or not at all; append last, just before `commit()`, because the
append holds the chain lock until then:

    with uow:
        ...                                   # read or change the hand-off
        audit.record(
            uow=uow, actor=user_actor(user.id), action=AuditAction.CHANGE,
            object_kind="handoff", object_id=handoff.id, source=request_ip,
            detail="status=done",
        )
        uow.commit()

A read that has no unit of work of its own to commit (a page showing a call, an API read,
a CLI listing) records with `record_standalone`, which opens, appends and commits:

    audit.record_standalone(
        uow=uow, actor=Actor.CLI, action=AuditAction.VIEW, object_kind="handoff_queue",
        detail="rows=12",
    )

Fields (checked by `AuditEntry`, which raises `InvalidInput` naming only the field):
- `actor`: `user:<id>` (`user_actor`), `cli`, `api-token`, `worker`, `system`.
- `action`: an `AuditAction` (`sign_in`, `sign_in_failed`, `sign_out`, `view`, `create`,
  `change`, `export`, `erase`, `purge`, `key_rotate`) or another lower-case word.
- `object_kind` and `object_id`: the record's noun (`call`, `handoff`, `inquiry`,
  `client`, `appointment`, `staff_user` …) and its id; never a phone number or name.
- `source`: the remote address of the request (an IP), or None for local commands.
- `detail`: space-separated `key=value` pairs (`rows=3 kind=turns`, `status=done`); no
  free words, no '@', no '+', no run of seven digits.

`verify` walks the whole chain in batches (each its own short unit of work, so writers are
never held up) and names the first broken record; `head` gives the anchor to store
elsewhere, and `verify(anchor=…)` checks that a stored anchor is still on the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from frontdesk.domain.audit import (
    AuditEntry,
    AuditRecord,
    ChainBreak,
    ChainWalker,
)
from frontdesk.domain.errors import InvalidInput
from frontdesk.services.unit_of_work import UnitOfWork

VERIFY_BATCH = 2000
HASH_LENGTH = 64


def record(
    *,
    uow: UnitOfWork,
    actor: str,
    action: str,
    object_kind: str,
    object_id: str | None = None,
    source: str | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> AuditRecord:
    """Append one entry inside the caller's open unit of work; it commits with the change."""
    entry = AuditEntry(
        at=datetime.now(UTC) if at is None else at,
        actor=actor,
        action=action,
        object_kind=object_kind,
        object_id=object_id,
        source=source,
        detail=detail,
    )
    return uow.audit.append(entry)


def record_standalone(
    *,
    uow: UnitOfWork,
    actor: str,
    action: str,
    object_kind: str,
    object_id: str | None = None,
    source: str | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> AuditRecord:
    """Open `uow`, append one entry and commit: for reads that change nothing else."""
    with uow:
        appended = record(
            uow=uow,
            actor=actor,
            action=action,
            object_kind=object_kind,
            object_id=object_id,
            source=source,
            detail=detail,
            at=at,
        )
        uow.commit()
    return appended


def head(*, uow: UnitOfWork) -> AuditRecord | None:
    """The newest record (its hash is the anchor to keep elsewhere), or None if empty."""
    with uow:
        return uow.audit.head()


def entries(
    *,
    uow: UnitOfWork,
    object_kind: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[AuditRecord]:
    """Records matching every given filter, newest first (at most `limit`)."""
    if limit < 1:
        raise InvalidInput("limit must be at least 1")
    with uow:
        return uow.audit.search(
            object_kind=object_kind,
            object_id=object_id,
            actor=actor,
            action=action,
            since=since,
            until=until,
            limit=limit,
        )


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What `verify` found: records checked, the first break, and the anchor's place."""

    records: int
    head: AuditRecord | None
    broken: ChainBreak | None
    anchor: str | None = None
    anchor_seq: int | None = None

    @property
    def anchor_found(self) -> bool:
        return self.anchor is None or self.anchor_seq is not None

    @property
    def ok(self) -> bool:
        return self.broken is None and self.anchor_found


def parse_anchor(text: str) -> str:
    """An anchor as `audit anchor` prints it: 64 hex digits (case ignored)."""
    value = text.strip().lower()
    if len(value) != HASH_LENGTH or any(c not in "0123456789abcdef" for c in value):
        raise InvalidInput("an anchor is the 64 hex digits `frontdesk audit anchor` printed")
    return value


def verify(*, uow: UnitOfWork, anchor: str | None = None, batch: int = VERIFY_BATCH) -> ChainReport:
    """Walk the chain up to the head as it is now and name the first broken record.

    With `anchor` (a head hash kept elsewhere), also check that the record it names is
    still on the chain: a chain rewritten from some record on would hash differently.
    """
    wanted = None if anchor is None else parse_anchor(anchor)
    with uow:
        last = uow.audit.head()
        anchored = None if wanted is None else uow.audit.with_hash(wanted)
    walker = ChainWalker()
    seq = 0
    end = 0 if last is None else last.seq
    while seq < end and walker.broken is None:
        with uow:
            records = uow.audit.after(seq, limit=batch)
        if not records:
            break
        for item in records:
            if item.seq > end or walker.feed(item) is not None:
                break
        seq = records[-1].seq
    if walker.broken is None and walker.count != end:
        # The head is numbered past the records that lead to it: the last ones were removed.
        walker.broken = ChainBreak(seq=walker.count + 1, reason="records missing before the head")
    return ChainReport(
        records=walker.count,
        head=last,
        broken=walker.broken,
        anchor=wanted,
        anchor_seq=None if anchored is None else anchored.seq,
    )
