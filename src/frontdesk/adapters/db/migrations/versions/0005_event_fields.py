"""Event fields: the payload fields the report filters and groups on, as indexed columns.

`appointment_id`, `service`, `status` (an appointment mark's status or a missed call's
reason), `source`, `late`, `established_client` and `booked_by_ai` are copied out of each
event's JSON payload when it is written; existing events are backfilled here. Two indexes
read bookings and outcomes in a span with those fields, and an appointment's outcomes in
time order, without touching the table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_FIELDS: tuple[tuple[str, int], ...] = (
    ("appointment_id", 32),
    ("service", 32),
    ("status", 32),
    ("source", 32),
)
FLAG_FIELDS: tuple[str, ...] = ("late", "established_client", "booked_by_ai")
SPAN_INDEX = "ix_events_kind_occurred_at_appointment"
SPAN_COLUMNS = [
    "kind",
    "occurred_at",
    "appointment_id",
    "service",
    "status",
    "late",
    "established_client",
    "booked_by_ai",
    "source",
]
OUTCOME_INDEX = "ix_events_appointment_id_kind_occurred_at_id_status_late"
OUTCOME_COLUMNS = ["appointment_id", "kind", "occurred_at", "id", "status", "late"]


def _backfill() -> None:
    """Copy the fields out of the payloads of the events already recorded."""
    if op.get_bind().dialect.name == "postgresql":

        def text(key: str) -> str:
            return f"payload ->> '{key}'"

        def flag(key: str) -> str:
            return f"CAST(payload ->> '{key}' AS BOOLEAN)"
    else:

        def text(key: str) -> str:
            return f"json_extract(payload, '$.{key}')"

        def flag(key: str) -> str:
            return f"json_extract(payload, '$.{key}')"

    assignments = [
        f"appointment_id = {text('appointment_id')}",
        f"service = {text('service')}",
        f"status = COALESCE({text('status')}, {text('reason')})",
        f"source = {text('source')}",
        *(f"{name} = {flag(name)}" for name in FLAG_FIELDS),
    ]
    op.execute(f"UPDATE events SET {', '.join(assignments)}")  # noqa: S608 - constants


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        for name, length in TEXT_FIELDS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=True))
        for name in FLAG_FIELDS:
            batch.add_column(sa.Column(name, sa.Boolean(), nullable=True))
    _backfill()
    op.create_index(SPAN_INDEX, "events", SPAN_COLUMNS)
    op.create_index(OUTCOME_INDEX, "events", OUTCOME_COLUMNS)


def downgrade() -> None:
    op.drop_index(OUTCOME_INDEX, table_name="events")
    op.drop_index(SPAN_INDEX, table_name="events")
    with op.batch_alter_table("events") as batch:
        for name in reversed(FLAG_FIELDS):
            batch.drop_column(name)
        for name, _ in reversed(TEXT_FIELDS):
            batch.drop_column(name)
