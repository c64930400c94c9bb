"""Report indexes: every big count of `frontdesk report` is one range of one index.

Calls by result, intent, route and after-hours, each then by start; calls by number
(repeat callers); events by kind and time with their call (replacing the kind-and-time
index, which it extends); a call's events by kind; hand-offs by route then creation, and
by completion with their start.

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

NEW_INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_calls_result_started_at", "calls", ["result", "started_at"]),
    ("ix_calls_intent_started_at", "calls", ["intent", "started_at"]),
    ("ix_calls_route_started_at", "calls", ["route", "started_at"]),
    ("ix_calls_after_hours_started_at", "calls", ["after_hours", "started_at"]),
    ("ix_calls_caller_number_started_at", "calls", ["caller_number", "started_at"]),
    ("ix_events_kind_occurred_at_call_id", "events", ["kind", "occurred_at", "call_id"]),
    ("ix_events_call_id_kind_occurred_at", "events", ["call_id", "kind", "occurred_at"]),
    ("ix_handoffs_category_created_at", "handoffs", ["category", "created_at"]),
    ("ix_handoffs_completed_at_created_at", "handoffs", ["completed_at", "created_at"]),
)


def upgrade() -> None:
    for name, table, columns in NEW_INDEXES:
        op.create_index(name, table, columns)
    op.drop_index("ix_events_kind_occurred_at", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_kind_occurred_at", "events", ["kind", "occurred_at"])
    for name, table, _ in reversed(NEW_INDEXES):
        op.drop_index(name, table_name=table)
