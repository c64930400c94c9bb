"""Caller addresses fit whatever Twilio sends: SIP URIs and `client:` identities, not just
E.164 numbers, so a long `From` no longer fails the call; keypad digits get room too.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, length before, length now)
WIDENED = (
    ("calls", "caller_number", 32, 320),
    ("handoffs", "caller_number", 32, 320),
    ("inbound_texts", "from_number", 32, 320),
    ("opt_outs", "number", 32, 320),
    ("turns", "digits", 64, 256),
)


def _resize(*, grow: bool) -> None:
    for table, column, before, now in WIDENED:
        old, new = (before, now) if grow else (now, before)
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.String(old), type_=sa.String(new))


def upgrade() -> None:
    _resize(grow=True)


def downgrade() -> None:
    _resize(grow=False)
