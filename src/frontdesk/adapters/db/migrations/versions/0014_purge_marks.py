"""Purge marks: when a purge cleared a call's transcript or a closed hand-off's content.

A purge chooses rows by these plain columns rather than by comparing content, which may
be encrypted; calls already purged before this revision are cleared once more (harmless).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("content_purged_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(
            "ix_calls_content_purged_at_started_at", ["content_purged_at", "started_at"]
        )
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("content_purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("content_purged_at")
    with op.batch_alter_table("calls") as batch:
        batch.drop_index("ix_calls_content_purged_at_started_at")
        batch.drop_column("content_purged_at")
