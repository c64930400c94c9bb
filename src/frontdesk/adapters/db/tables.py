"""The database schema as SQLAlchemy models; migrations must match it (a test compares them).

Enum-valued columns hold the StrEnum's value as text (no database enum types), so adding a
value never needs a migration. Every moment is stored in UTC and read back aware.

Protected health information (names, numbers, addresses, dates of birth, what people said
or wrote, call state, intakes, summaries) is held in the encrypted types of
`frontdesk.adapters.db.encrypted`, each bound to its `table.column` name; a `*_hmac` column
beside one is its blind index, the only thing lookups compare (docs/encryption.md lists
every column and why it is or is not encrypted).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
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
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from frontdesk.adapters.db.encrypted import (
    LOOKUP_LENGTH,
    EncryptedDate,
    EncryptedJSON,
    EncryptedText,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 32
ENUM_LENGTH = 32
# A caller's address as Twilio gives it: an E.164 number, a `client:` identity or a SIP URI
# (`sip:…@…`), which can be far longer than a phone number. The web edge refuses longer.
ADDRESS_LENGTH = 320
DIGITS_LENGTH = 256


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
    caller_number: Mapped[str | None] = mapped_column(EncryptedText("calls.caller_number"))
    caller_number_hmac: Mapped[str | None] = mapped_column(String(LOOKUP_LENGTH))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    after_hours: Mapped[bool] = mapped_column(Boolean)
    route: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    intent: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    result: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    state: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("calls.state"))
    # When a purge cleared the call's turns and state (`frontdesk purge`); NULL until then.
    content_purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    # The report counts calls of one kind in a span as one index range each, and finds
    # repeat calls from one number (by its blind index). Calls by result carry what the
    # recovered-calls figure reads of an abandoned call, so it never visits the table. A
    # purge finds the old calls it has not cleared yet.
    __table_args__ = (
        Index(None, "result", "started_at", "ended_at", "caller_number_hmac", "id"),
        Index(None, "intent", "started_at"),
        Index(None, "route", "started_at"),
        Index(None, "after_hours", "started_at"),
        Index(None, "caller_number_hmac", "started_at"),
        Index(None, "content_purged_at", "started_at"),
    )


class TurnRow(Base):
    __tablename__ = "turns"

    # The composite key is the duplicate guard: a retried webhook cannot insert a turn twice.
    call_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    caller_text: Mapped[str | None] = mapped_column(EncryptedText("turns.caller_text"))
    digits: Mapped[str | None] = mapped_column(EncryptedText("turns.digits"))
    confidence: Mapped[float | None] = mapped_column(Float)
    agent_text: Mapped[str] = mapped_column(EncryptedText("turns.agent_text"))
    line_ids: Mapped[list[str]] = mapped_column(JSON)
    route: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    intent: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    categories: Mapped[list[str]] = mapped_column(EncryptedJSON("turns.categories"))


class InquiryRow(Base):
    __tablename__ = "inquiries"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    call_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("calls.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    intake: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("inquiries.intake"))
    # The pipeline stage staff set, and when (revision 0010); NULL until someone sets one.
    stage: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    stage_set_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (Index(None, "status", "created_at"), Index(None, "created_at"))


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
    summary: Mapped[str] = mapped_column(EncryptedText("handoffs.summary"))
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    caller_number: Mapped[str | None] = mapped_column(EncryptedText("handoffs.caller_number"))
    caller_number_hmac: Mapped[str | None] = mapped_column(String(LOOKUP_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Whole minutes from created to completed (revision 0016), written with completed_at.
    minutes_to_complete: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("handoffs.details"))
    # Working the queue (revision 0010): who has it, a wait and when the status last moved.
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    waiting_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    wake_on_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When a purge redacted the closed hand-off's summary, number and details.
    content_purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    # The staff queue: open tasks by urgency, oldest first. The report: hand-offs of one
    # route in a span, and callback speed by completion, each read from an index alone
    # (the count of each minute of delay is one range of the minutes index).
    __table_args__ = (
        Index(None, "status", "urgency", "created_at"),
        Index(None, "category", "created_at"),
        Index(None, "completed_at", "created_at"),
        Index(None, "minutes_to_complete", "completed_at"),
        Index(None, "caller_number_hmac", "status"),
    )


class CallbackAttemptRow(Base):
    __tablename__ = "callback_attempts"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    handoff_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("handoffs.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    outcome: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(EncryptedText("callback_attempts.note"))

    __table_args__ = (Index(None, "handoff_id", "at"),)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Not a foreign key: events are an append-only log that outlives what it mentions.
    call_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Copies of the few payload fields the report filters and groups on, written with the
    # event (NULL when the event has no such field), so the report reads indexes, not JSON.
    appointment_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    service: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    # The event's `status` (an appointment mark) or `reason` (a missed call).
    status: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    source: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    late: Mapped[bool | None] = mapped_column(Boolean)
    established_client: Mapped[bool | None] = mapped_column(Boolean)
    booked_by_ai: Mapped[bool | None] = mapped_column(Boolean)

    # Events of some kinds in a span (with their call, so counts read the index alone), and a
    # call's events by kind (did a missed call's number later book or leave an inquiry?).
    # Bookings and outcomes in a span with what the report groups them by, and an
    # appointment's outcomes in time order, each read from the index alone.
    __table_args__ = (
        Index(None, "kind", "occurred_at", "call_id"),
        Index(None, "call_id", "kind", "occurred_at"),
        Index(
            "ix_events_kind_occurred_at_appointment",
            "kind",
            "occurred_at",
            "appointment_id",
            "service",
            "status",
            "late",
            "established_client",
            "booked_by_ai",
            "source",
        ),
        Index(None, "appointment_id", "kind", "occurred_at", "id", "status", "late"),
    )


# --- outbox: outbound messages and opt-outs -------------------------------------------------


class OutboundMessageRow(Base):
    __tablename__ = "outbound_messages"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    recipient: Mapped[str] = mapped_column(EncryptedText("outbound_messages.recipient"))
    channel: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    purpose: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    body: Mapped[str] = mapped_column(EncryptedText("outbound_messages.body"))
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

    # The blind index of the number is the key: one opt-out per number, found by its HMAC.
    number_hmac: Mapped[str] = mapped_column(String(LOOKUP_LENGTH), primary_key=True)
    number: Mapped[str] = mapped_column(EncryptedText("opt_outs.number"))
    opted_out_at: Mapped[datetime] = mapped_column(UtcDateTime())
    keyword: Mapped[str] = mapped_column(String(32))


# --- end of outbox --------------------------------------------------------------------------


class InboundTextRow(Base):
    __tablename__ = "inbound_texts"

    # The provider's message id is the key: two deliveries of one text cannot both claim it.
    message_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    from_number: Mapped[str] = mapped_column(EncryptedText("inbound_texts.from_number"))
    # The sender's blind index: a person's records are found by number.
    from_number_hmac: Mapped[str | None] = mapped_column(String(LOOKUP_LENGTH), index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    claimed_by: Mapped[str] = mapped_column(String(ID_LENGTH))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    reply: Mapped[str | None] = mapped_column(EncryptedText("inbound_texts.reply"))
    # Not a foreign key: the row records the answer that was given, as it was given.
    handoff_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The words, kept only until the text is handled (for the worker's sweep).
    body: Mapped[str | None] = mapped_column(EncryptedText("inbound_texts.body"))


# --- scheduling: appointments, imported busy time, clients, waitlist, opening offers -------


class ClientRow(Base):
    __tablename__ = "clients"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(EncryptedText("clients.name"))
    date_of_birth: Mapped[date] = mapped_column(EncryptedDate("clients.date_of_birth"))
    phone: Mapped[str] = mapped_column(EncryptedText("clients.phone"))
    email: Mapped[str | None] = mapped_column(EncryptedText("clients.email"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Blind indexes: verification finds a caller's records by number, staff find a client
    # by name and date of birth together.
    phone_hmac: Mapped[str | None] = mapped_column(String(LOOKUP_LENGTH), index=True)
    identity_hmac: Mapped[str | None] = mapped_column(String(LOOKUP_LENGTH), index=True)


class AppointmentRow(Base):
    __tablename__ = "appointments"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    clinician_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    start_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    end_at: Mapped[datetime] = mapped_column(UtcDateTime())
    modality: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    location_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    slot_key: Mapped[str] = mapped_column(String(100))
    # The slot key while the appointment holds its slot, else NULL: unique, so one slot is
    # booked once (NULLs never collide). The overlap check under the clinician lock does
    # the rest (a 9:30 against a 9:00 hour).
    live_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    inquiry_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("inquiries.id", ondelete="SET NULL"), index=True
    )
    client_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    call_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("calls.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    booked_by_ai: Mapped[bool] = mapped_column(Boolean)
    booked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(EncryptedText("appointments.cancel_reason"))
    reschedule_reason: Mapped[str | None] = mapped_column(
        EncryptedText("appointments.reschedule_reason")
    )
    late: Mapped[bool] = mapped_column(Boolean)
    rescheduled_from: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    rescheduled_to: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    contact_channel: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    contact_to: Mapped[str | None] = mapped_column(EncryptedText("appointments.contact_to"))

    __table_args__ = (Index(None, "clinician_id", "start_at"),)


class BusyIntervalRow(Base):
    __tablename__ = "busy_intervals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clinician_id: Mapped[str] = mapped_column(String(64))
    start_at: Mapped[datetime] = mapped_column(UtcDateTime())
    end_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ref: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (Index(None, "clinician_id", "start_at"),)


class WaitlistEntryRow(Base):
    __tablename__ = "waitlist_entries"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    criteria: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("waitlist_entries.criteria"))
    windows: Mapped[list[Any]] = mapped_column(JSON)
    inquiry_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("inquiries.id", ondelete="SET NULL"), index=True
    )
    client_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    call_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("calls.id", ondelete="SET NULL"), index=True
    )
    contact_channel: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    contact_to: Mapped[str | None] = mapped_column(EncryptedText("waitlist_entries.contact_to"))

    __table_args__ = (Index(None, "status", "added_at"),)


class OpeningRow(Base):
    __tablename__ = "openings"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    slot_key: Mapped[str] = mapped_column(String(100), index=True)
    clinician_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    start_at: Mapped[datetime] = mapped_column(UtcDateTime())
    end_at: Mapped[datetime] = mapped_column(UtcDateTime())
    modality: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    location_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH), index=True)
    candidates: Mapped[list[Any]] = mapped_column(JSON)
    filled_by: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    appointment_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))


class OfferRow(Base):
    __tablename__ = "offers"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    opening_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("openings.id", ondelete="CASCADE")
    )
    entry_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("waitlist_entries.id", ondelete="CASCADE"), index=True
    )
    slot_key: Mapped[str] = mapped_column(String(100))
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    __table_args__ = (
        UniqueConstraint("opening_id", "entry_id"),
        Index(None, "status", "expires_at"),
    )


# --- end of scheduling ----------------------------------------------------------------------


# --- audit log: append-only, hash-chained (see `frontdesk.domain.audit`) -------------------


class AuditLogRow(Base):
    __tablename__ = "audit_log"

    # Numbered by the appender under the chain lock, never by the database: a gap is a
    # deleted record, which `audit verify` must be able to see.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    object_kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(200))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    # Who touched one record, in order (the auditor's question), read from the index.
    __table_args__ = (Index(None, "object_kind", "object_id", "seq"),)


# --- end of audit log -----------------------------------------------------------------------


# --- script review: edits and approvals of script lines (`frontdesk.domain.script_review`) --


class ScriptReviewRow(Base):
    __tablename__ = "script_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    line_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    digest: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    text: Mapped[str | None] = mapped_column(Text)  # an edit's new script text (no PHI)

    __table_args__ = (Index(None, "line_id", "at"),)


# --- end of script review -------------------------------------------------------------------


# --- staff accounts ---------------------------------------------------------------------------


class StaffUserRow(Base):
    __tablename__ = "staff_users"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    clinician_id: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    disabled: Mapped[bool] = mapped_column(Boolean)
    # Sealed like PHI: a copy of the database must not be enough to make sign-in codes.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText("staff_users.totp_secret"))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    recovery_codes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StaffSessionRow(Base):
    __tablename__ = "staff_sessions"

    # The SHA-256 of the cookie's token: a copy of the table lets nobody sign in.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str | None] = mapped_column(String(64))


class SignInFailureRow(Base):
    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # `account:<sha256 of the username>` or `source:<address>`: never the typed name itself.
    key: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index(None, "key", "at"),)


# --- end of staff accounts --------------------------------------------------------------------


metadata = Base.metadata
