"""Abandoned calls read from one index: the calls-by-result index carries what the
recovered-calls figure reads of each call.

The report finds the abandoned calls of its window by result and start, then needs each
call's end, its number's blind index and its id to look for a callback or a later call.
With only result and start in the index, every abandoned call of the month was a lookup
into the calls table (on PostgreSQL a heap page read for most of them); the wider index
answers all of it and still serves the counts by result as a range of its first columns,
so it replaces the narrower one rather than sitting beside it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("ix_calls_result_started_at", ["result", "started_at"])
NEW = (
    "ix_calls_result_started_at_ended_at_caller_number_hmac_id",
    ["result", "started_at", "ended_at", "caller_number_hmac", "id"],
)


def upgrade() -> None:
    op.create_index(NEW[0], "calls", NEW[1])
    op.drop_index(OLD[0], table_name="calls")


def downgrade() -> None:
    op.create_index(OLD[0], "calls", OLD[1])
    op.drop_index(NEW[0], table_name="calls")
