"""The work queue: hand-offs gain an assignee, a wait and in-progress/waiting statuses; each
callback attempt is kept with its outcome and note; inquiries keep the stage staff set.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("assigned_to", sa.String(64), nullable=True))
        batch.add_column(_moment("waiting_until"))
        batch.add_column(
            sa.Column("wake_on_contact", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(_moment("status_changed_at"))
        batch.create_index("ix_handoffs_caller_number_status", ["caller_number", "status"])
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("stage", sa.String(32), nullable=True))
        batch.add_column(_moment("stage_set_at"))
        batch.create_index("ix_inquiries_created_at", ["created_at"])
    op.create_table(
        "callback_attempts",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("handoff_id", sa.String(32), nullable=False),
        _moment("at", nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_callback_attempts"),
        sa.ForeignKeyConstraint(
            ["handoff_id"],
            ["handoffs.id"],
            name="fk_callback_attempts_handoff_id_handoffs",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_callback_attempts_handoff_id_at", "callback_attempts", ["handoff_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_callback_attempts_handoff_id_at", table_name="callback_attempts")
    op.drop_table("callback_attempts")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_index("ix_inquiries_created_at")
        batch.drop_column("stage_set_at")
        batch.drop_column("stage")
    # Statuses the earlier schema does not know are folded back into it.
    op.execute("UPDATE handoffs SET status = 'open' WHERE status IN ('in_progress', 'waiting')")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_index("ix_handoffs_caller_number_status")
        batch.drop_column("status_changed_at")
        batch.drop_column("wake_on_contact")
        batch.drop_column("waiting_until")
        batch.drop_column("assigned_to")
