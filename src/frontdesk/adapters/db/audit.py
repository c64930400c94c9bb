"""The SQLAlchemy audit repository (`AuditRepository`): appends to the hash chain.

Appends are serialised per database so that two processes never both extend the same head
(a fork): on PostgreSQL a transaction-scoped advisory lock, on SQLite the writer lock that
every unit of work takes when it begins (`BEGIN IMMEDIATE`). Either is held until commit, so
an append belongs at the end of its unit of work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, text
from sqlalchemy.orm import Session

from frontdesk.adapters.db.tables import AuditLogRow
from frontdesk.domain.audit import AuditEntry, AuditRecord, chain, stored_entry

# The PostgreSQL advisory lock that guards the head of the chain. Two 32-bit keys: a key
# space apart from the single 64-bit keys the booking locks hash clinician ids into.
CHAIN_LOCK_KEYS = {"space": 0x61756469, "key": 1}  # "audi", the chain


def _record(row: AuditLogRow | Row[Any]) -> AuditRecord:
    entry = stored_entry(
        at=row.at,
        actor=row.actor,
        action=row.action,
        object_kind=row.object_kind,
        object_id=row.object_id,
        source=row.source,
        detail=row.detail,
    )
    return AuditRecord(seq=row.seq, entry=entry, prev_hash=row.prev_hash, hash=row.hash)


class SqlAuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, entry: AuditEntry) -> AuditRecord:
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(:space, :key)"), CHAIN_LOCK_KEYS
            )
        record = chain(self.head(), entry)
        self._session.add(
            AuditLogRow(
                seq=record.seq,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                object_kind=entry.object_kind,
                object_id=entry.object_id,
                source=entry.source,
                detail=entry.detail,
                prev_hash=record.prev_hash,
                hash=record.hash,
            )
        )
        self._session.flush()
        return record

    def head(self) -> AuditRecord | None:
        row = self._session.scalars(
            select(AuditLogRow).order_by(AuditLogRow.seq.desc()).limit(1)
        ).one_or_none()
        return None if row is None else _record(row)

    def after(self, seq: int, *, limit: int) -> list[AuditRecord]:
        # Plain rows, not ORM objects: `audit verify` reads the whole log through here.
        table = AuditLogRow.__table__
        rows = self._session.execute(
            select(*table.c).where(table.c.seq > seq).order_by(table.c.seq).limit(limit)
        )
        return [_record(row) for row in rows]

    def with_hash(self, hash_hex: str) -> AuditRecord | None:
        row = self._session.scalars(
            select(AuditLogRow).where(AuditLogRow.hash == hash_hex)
        ).one_or_none()
        return None if row is None else _record(row)

    def search(
        self,
        *,
        object_kind: str | None = None,
        object_id: str | None = None,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        query = select(AuditLogRow)
        if object_kind is not None:
            query = query.where(AuditLogRow.object_kind == object_kind)
        if object_id is not None:
            query = query.where(AuditLogRow.object_id == object_id)
        if actor is not None:
            query = query.where(AuditLogRow.actor == actor)
        if action is not None:
            query = query.where(AuditLogRow.action == action)
        if since is not None:
            query = query.where(AuditLogRow.at >= since)
        if until is not None:
            query = query.where(AuditLogRow.at < until)
        rows = self._session.scalars(query.order_by(AuditLogRow.seq.desc()).limit(limit))
        return [_record(row) for row in rows]

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(AuditLogRow)) or 0
