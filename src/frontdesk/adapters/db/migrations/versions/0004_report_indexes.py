"""Report indexes: call totals from the index alone, repeat callers, a call's events by kind.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CALL_TOTALS = "ix_calls_started_at_after_hours_route_intent_result"
REPEAT_CALLERS = "ix_calls_caller_number_started_at"
EVENTS_OF_A_CALL = "ix_events_call_id_kind"


def upgrade() -> None:
    op.create_index(
        CALL_TOTALS, "calls", ["started_at", "after_hours", "route", "intent", "result"]
    )
    op.create_index(REPEAT_CALLERS, "calls", ["caller_number", "started_at"])
    op.create_index(EVENTS_OF_A_CALL, "events", ["call_id", "kind"])


def downgrade() -> None:
    op.drop_index(EVENTS_OF_A_CALL, table_name="events")
    op.drop_index(REPEAT_CALLERS, table_name="calls")
    op.drop_index(CALL_TOTALS, table_name="calls")
