"""Outbox: outbound messages (reminders, follow-ups, offers, pages) and SMS opt-outs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "outbound_messages",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _moment("created_at"),
        _moment("send_after"),
        _moment("updated_at"),
        sa.Column("dedupe_key", sa.String(200), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.String(64), nullable=True),
        sa.Column("call_id", sa.String(32), nullable=True),
        sa.Column("appointment_id", sa.String(32), nullable=True),
        sa.Column("inquiry_id", sa.String(32), nullable=True),
        sa.Column("last_error", sa.String(64), nullable=True),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        _moment("lease_expires_at", nullable=True),
        _moment("sent_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name="fk_outbound_messages_call_id_calls",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["inquiries.id"],
            name="fk_outbound_messages_inquiry_id_inquiries",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbound_messages"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbound_messages_dedupe_key"),
    )
    op.create_index(
        "ix_outbound_messages_status_send_after", "outbound_messages", ["status", "send_after"]
    )
    op.create_index("ix_outbound_messages_call_id", "outbound_messages", ["call_id"])
    op.create_index("ix_outbound_messages_appointment_id", "outbound_messages", ["appointment_id"])
    op.create_index("ix_outbound_messages_inquiry_id", "outbound_messages", ["inquiry_id"])

    op.create_table(
        "opt_outs",
        sa.Column("number", sa.String(32), nullable=False),
        _moment("opted_out_at"),
        sa.Column("keyword", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("number", name="pk_opt_outs"),
    )


def downgrade() -> None:
    op.drop_table("opt_outs")
    op.drop_table("outbound_messages")
