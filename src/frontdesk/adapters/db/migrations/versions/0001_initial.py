"""Initial schema: calls, turns, inquiries, hand-offs and domain events.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=True),
        sa.Column("caller_number", sa.String(32), nullable=True),
        _moment("started_at"),
        _moment("ended_at", nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("after_hours", sa.Boolean(), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("intent", sa.String(32), nullable=True),
        sa.Column("result", sa.String(32), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calls"),
        sa.UniqueConstraint("external_id", name="uq_calls_external_id"),
    )
    op.create_index("ix_calls_started_at", "calls", ["started_at"])

    op.create_table(
        "turns",
        sa.Column("call_id", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        _moment("at"),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("caller_text", sa.Text(), nullable=True),
        sa.Column("digits", sa.String(64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("agent_text", sa.Text(), nullable=False),
        sa.Column("line_ids", sa.JSON(), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("intent", sa.String(32), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name="fk_turns_call_id_calls", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("call_id", "seq", name="pk_turns"),
    )

    op.create_table(
        "inquiries",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("call_id", sa.String(32), nullable=True),
        _moment("created_at"),
        _moment("updated_at"),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("intake", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name="fk_inquiries_call_id_calls", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_inquiries"),
    )
    op.create_index("ix_inquiries_call_id", "inquiries", ["call_id"])
    op.create_index("ix_inquiries_status_created_at", "inquiries", ["status", "created_at"])

    op.create_table(
        "handoffs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("call_id", sa.String(32), nullable=True),
        sa.Column("inquiry_id", sa.String(32), nullable=True),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("urgency", sa.String(32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("caller_number", sa.String(32), nullable=True),
        _moment("created_at"),
        _moment("completed_at", nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name="fk_handoffs_call_id_calls", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["inquiries.id"],
            name="fk_handoffs_inquiry_id_inquiries",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
    )
    op.create_index("ix_handoffs_call_id", "handoffs", ["call_id"])
    op.create_index("ix_handoffs_inquiry_id", "handoffs", ["inquiry_id"])
    op.create_index(
        "ix_handoffs_status_urgency_created_at", "handoffs", ["status", "urgency", "created_at"]
    )

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        _moment("occurred_at"),
        sa.Column("call_id", sa.String(32), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_call_id", "events", ["call_id"])
    op.create_index("ix_events_kind_occurred_at", "events", ["kind", "occurred_at"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("handoffs")
    op.drop_table("inquiries")
    op.drop_table("turns")
    op.drop_table("calls")
