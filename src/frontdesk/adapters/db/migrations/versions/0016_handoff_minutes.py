"""Hand-off minutes: whole minutes from a hand-off being made to being done, as a column.

The report's callback-speed histogram counts completed hand-offs per whole minute of delay.
Computed per row at report time, a month of a busy practice's hand-offs had to be sorted by
that figure on SQLite; stored and indexed with the completion time, each minute's count is
one index range and the distinct minutes are found by skipping through the index. The
repository writes it whenever a hand-off is saved; rows already completed are filled here
with the arithmetic the report used before (floored, never below zero).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_handoffs_minutes_to_complete_completed_at"


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("minutes_to_complete", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        minutes = (
            "GREATEST(0, CAST(floor(extract(epoch FROM (completed_at - created_at)) / 60)"
            " AS INTEGER))"
        )
    else:
        minutes = (
            "max(0, CAST((julianday(completed_at) - julianday(created_at)) * 1440 + 0.000001"
            " AS INTEGER))"
        )
    op.execute(
        f"UPDATE handoffs SET minutes_to_complete = {minutes}"  # noqa: S608 - constants
        " WHERE completed_at IS NOT NULL"
    )
    op.create_index(INDEX, "handoffs", ["minutes_to_complete", "completed_at"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="handoffs")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("minutes_to_complete")
