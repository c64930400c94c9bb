"""Report indexes: every big count of `frontdesk report` is read from an index alone.

Calls by start with their outcome columns; calls by number (repeat callers); events by kind
and time with their call (replacing the kind-and-time index, which it extends); a call's
events by kind; hand-offs by creation with their route, and by completion with their start.

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
    (
        "ix_calls_started_at_after_hours_route_intent_result",
        "calls",
        ["started_at", "after_hours", "route", "intent", "result"],
    ),
    ("ix_calls_caller_number_started_at", "calls", ["caller_number", "started_at"]),
    ("ix_events_kind_occurred_at_call_id", "events", ["kind", "occurred_at", "call_id"]),
    ("ix_events_call_id_kind_occurred_at", "events", ["call_id", "kind", "occurred_at"]),
    ("ix_handoffs_created_at_category", "handoffs", ["created_at", "category"]),
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
