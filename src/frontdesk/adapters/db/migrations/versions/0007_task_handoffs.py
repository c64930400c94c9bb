"""Good Faith Estimate tasks move from `administrative` to the `task` hand-off category.

`administrative` is kept for callers' questions only staff may answer (records, court,
custody, privacy, complaints), so the staff-only hand-off figure counts calls, not the
paperwork Frontdesk opens itself. The event log is history and is left as recorded.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _is_estimate() -> str:
    if op.get_bind().dialect.name == "postgresql":
        return "(details ->> 'task') = 'good_faith_estimate'"
    return "json_extract(details, '$.task') = 'good_faith_estimate'"


def upgrade() -> None:
    op.execute(
        "UPDATE handoffs SET category = 'task' "  # noqa: S608 - constants only
        f"WHERE category = 'administrative' AND {_is_estimate()}"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE handoffs SET category = 'administrative' "  # noqa: S608 - constants only
        f"WHERE category = 'task' AND {_is_estimate()}"
    )
