"""Scheduling: appointments, imported busy time, clients, the waitlist and opening offers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "busy_intervals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clinician_id", sa.String(length=64), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ref", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_busy_intervals"),
    )
    op.create_index(
        "ix_busy_intervals_clinician_id_start_at", "busy_intervals", ["clinician_id", "start_at"]
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
    )
    op.create_index("ix_clients_phone", "clients", ["phone"])
    op.create_table(
        "openings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("slot_key", sa.String(length=100), nullable=False),
        sa.Column("clinician_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modality", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("filled_by", sa.String(length=32), nullable=True),
        sa.Column("appointment_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_openings"),
    )
    op.create_index("ix_openings_slot_key", "openings", ["slot_key"])
    op.create_index("ix_openings_status", "openings", ["status"])
    op.create_table(
        "appointments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("clinician_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modality", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("slot_key", sa.String(length=100), nullable=False),
        sa.Column("live_key", sa.String(length=100), nullable=True),
        sa.Column("inquiry_id", sa.String(length=32), nullable=True),
        sa.Column("client_id", sa.String(length=32), nullable=True),
        sa.Column("call_id", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("booked_by_ai", sa.Boolean(), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("reschedule_reason", sa.Text(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("rescheduled_from", sa.String(length=32), nullable=True),
        sa.Column("rescheduled_to", sa.String(length=32), nullable=True),
        sa.Column("contact_channel", sa.String(length=32), nullable=True),
        sa.Column("contact_to", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name="fk_appointments_call_id_calls", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name="fk_appointments_client_id_clients",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["inquiries.id"],
            name="fk_appointments_inquiry_id_inquiries",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointments"),
        sa.UniqueConstraint("live_key", name="uq_appointments_live_key"),
    )
    op.create_index("ix_appointments_call_id", "appointments", ["call_id"])
    op.create_index("ix_appointments_client_id", "appointments", ["client_id"])
    op.create_index(
        "ix_appointments_clinician_id_start_at", "appointments", ["clinician_id", "start_at"]
    )
    op.create_index("ix_appointments_inquiry_id", "appointments", ["inquiry_id"])
    op.create_index("ix_appointments_start_at", "appointments", ["start_at"])
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("windows", sa.JSON(), nullable=False),
        sa.Column("inquiry_id", sa.String(length=32), nullable=True),
        sa.Column("client_id", sa.String(length=32), nullable=True),
        sa.Column("call_id", sa.String(length=32), nullable=True),
        sa.Column("contact_channel", sa.String(length=32), nullable=True),
        sa.Column("contact_to", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name="fk_waitlist_entries_call_id_calls", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name="fk_waitlist_entries_client_id_clients",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["inquiries.id"],
            name="fk_waitlist_entries_inquiry_id_inquiries",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_entries"),
    )
    op.create_index("ix_waitlist_entries_call_id", "waitlist_entries", ["call_id"])
    op.create_index("ix_waitlist_entries_client_id", "waitlist_entries", ["client_id"])
    op.create_index("ix_waitlist_entries_inquiry_id", "waitlist_entries", ["inquiry_id"])
    op.create_index(
        "ix_waitlist_entries_status_added_at", "waitlist_entries", ["status", "added_at"]
    )
    op.create_table(
        "offers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("opening_id", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("slot_key", sa.String(length=100), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["waitlist_entries.id"],
            name="fk_offers_entry_id_waitlist_entries",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opening_id"],
            ["openings.id"],
            name="fk_offers_opening_id_openings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_offers"),
        sa.UniqueConstraint("opening_id", "entry_id", name="uq_offers_opening_id_entry_id"),
    )
    op.create_index("ix_offers_entry_id", "offers", ["entry_id"])
    op.create_index("ix_offers_status_expires_at", "offers", ["status", "expires_at"])


def downgrade() -> None:
    op.drop_table("offers")
    op.drop_table("openings")
    op.drop_table("waitlist_entries")
    op.drop_table("appointments")
    op.drop_table("busy_intervals")
    op.drop_table("clients")
