"""The database schema as SQLAlchemy models; migrations must match it (a test compares them).

Enum-valued columns hold the StrEnum's value as text (no database enum types), so adding a
value never needs a migration. Every moment is stored in UTC and read back aware.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 32
ENUM_LENGTH = 32


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC; naive values are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("naive datetimes cannot be stored")
        utc = value.astimezone(UTC)
        # SQLite has no timezone type: store naive UTC text, which also sorts correctly.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError("expected a datetime from the database")
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CallRow(Base):
    __tablename__ = "calls"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    caller_number: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    after_hours: Mapped[bool] = mapped_column(Boolean)
    route: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    intent: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    result: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class TurnRow(Base):
    __tablename__ = "turns"

    # The composite key is the duplicate guard: a retried webhook cannot insert a turn twice.
    call_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    caller_text: Mapped[str | None] = mapped_column(Text)
    digits: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    agent_text: Mapped[str] = mapped_column(Text)
    line_ids: Mapped[list[str]] = mapped_column(JSON)
    route: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    intent: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    categories: Mapped[list[str]] = mapped_column(JSON)


class InquiryRow(Base):
    __tablename__ = "inquiries"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    call_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("calls.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    intake: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (Index(None, "status", "created_at"),)


class HandoffRow(Base):
    __tablename__ = "handoffs"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    call_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("calls.id", ondelete="SET NULL"), index=True
    )
    inquiry_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("inquiries.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    urgency: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    caller_number: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    details: Mapped[dict[str, Any]] = mapped_column(JSON)

    # The staff queue: open tasks by urgency, oldest first.
    __table_args__ = (Index(None, "status", "urgency", "created_at"),)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Not a foreign key: events are an append-only log that outlives what it mentions.
    call_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (Index(None, "kind", "occurred_at"),)


# --- outbox: outbound messages and opt-outs -------------------------------------------------


class OutboundMessageRow(Base):
    __tablename__ = "outbound_messages"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    channel: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    purpose: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    send_after: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Unique, so queueing the same reminder twice (a retried request) stores one row.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    attempts: Mapped[int] = mapped_column(Integer)
    provider_id: Mapped[str | None] = mapped_column(String(64))
    call_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("calls.id", ondelete="SET NULL"), index=True
    )
    # Not a foreign key: appointments are stored by the scheduling tables, added separately.
    appointment_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    inquiry_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("inquiries.id", ondelete="SET NULL"), index=True
    )
    last_error: Mapped[str | None] = mapped_column(String(64))
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    # The worker's queue: due rows by status, soonest first; also finds expired leases.
    __table_args__ = (Index(None, "status", "send_after"),)


class OptOutRow(Base):
    __tablename__ = "opt_outs"

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(UtcDateTime())
    keyword: Mapped[str] = mapped_column(String(32))


# --- end of outbox --------------------------------------------------------------------------


metadata = Base.metadata
