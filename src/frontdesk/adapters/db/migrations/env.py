"""Alembic environment: the work is in `frontdesk.adapters.db.migrations.run_migrations`."""

from __future__ import annotations

from frontdesk.adapters.db.migrations import run_migrations

run_migrations()
