"""Inbound texts: one row per provider message id, so a retried delivery is answered once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "inbound_texts",
        sa.Column("message_sid", sa.String(64), nullable=False),
        sa.Column("from_number", sa.String(32), nullable=False),
        _moment("received_at"),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("claimed_by", sa.String(32), nullable=False),
        _moment("claimed_at"),
        sa.Column("kind", sa.String(32), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("handoff_id", sa.String(32), nullable=True),
        _moment("handled_at", nullable=True),
        sa.PrimaryKeyConstraint("message_sid", name="pk_inbound_texts"),
    )


def downgrade() -> None:
    op.drop_table("inbound_texts")
