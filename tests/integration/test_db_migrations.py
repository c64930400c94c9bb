"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from frontdesk.adapters.db import make_engine, migrations
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.adapters.db.tables import metadata
from frontdesk.domain.errors import ConfigurationError
from frontdesk.entrypoints.cli.main import main

TABLES = {
    "calls",
    "turns",
    "inquiries",
    "handoffs",
    "events",
    "outbound_messages",
    "opt_outs",
    "inbound_texts",
    "appointments",
    "busy_intervals",
    "clients",
    "waitlist_entries",
    "openings",
    "offers",
    "audit_log",
    "callback_attempts",
    "script_reviews",
    "staff_users",
    "staff_sessions",
    "sign_in_failures",
    "alembic_version",
}


def test_upgrade_head_on_an_empty_database_creates_every_table(database_url: str) -> None:
    """`upgrade` takes an empty database from no revision to head with every table."""
    assert migrations.current(database_url) is None
    migrations.upgrade(database_url)
    assert migrations.current(database_url) == migrations.head()
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_models_match_the_migrated_schema(migrated_url: str) -> None:
    """Alembic finds no difference between the models and the migrated database."""
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_upgrade_twice_changes_nothing(migrated_url: str) -> None:
    """Running the migrations again on a current database is harmless."""
    migrations.upgrade(migrated_url)
    assert migrations.current(migrated_url) == migrations.head()


def test_downgrade_to_base_then_upgrade_again(migrated_url: str) -> None:
    """Every migration can be undone, leaving only Alembic's own table, and redone."""
    command.downgrade(migrations.alembic_config(migrated_url), "base")
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) == {"alembic_version"}
        migrations.upgrade(migrated_url)
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_an_unmigrated_database_is_refused_with_the_fix(database_url: str) -> None:
    """Commands refuse a database behind the code and say to run `frontdesk migrate`."""
    engine = make_engine(database_url)
    try:
        with pytest.raises(ConfigurationError, match="frontdesk migrate"):
            require_current_schema(engine)
        migrations.upgrade(database_url)
        require_current_schema(engine)
    finally:
        engine.dispose()


def test_migrate_command_reports_the_revision(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`frontdesk migrate` applies the migrations once and then reports nothing to do."""
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", database_url)
    assert main(["migrate"]) == 0
    assert (
        capsys.readouterr().out == f"database migrated from revision none to {migrations.head()}\n"
    )
    assert main(["migrate", "--json"]) == 0
    head = migrations.head()
    assert capsys.readouterr().out == f'{{"from": "{head}", "to": "{head}", "changed": false}}\n'


def test_good_faith_estimate_tasks_leave_the_administrative_category(database_url: str) -> None:
    """Revision 0007 files existing estimate tasks as `task`; callers' asks stay put, and back."""
    migrations.upgrade(database_url, "0006")
    engine = make_engine(database_url)
    rows = [
        ("gfe", '{"task": "good_faith_estimate", "appointment_id": "a1"}'),
        ("records", '{"reason": "records"}'),
    ]
    insert = text(
        "INSERT INTO handoffs (id, category, urgency, summary, status, created_at, details) "
        "VALUES (:id, 'administrative', 'routine', 'summary', 'open', :at, :details)"
    )
    categories = text("SELECT id, category FROM handoffs ORDER BY id")
    try:
        with engine.begin() as connection:
            for handoff_id, details in rows:
                at = "2026-11-27 12:00:00.000000"
                connection.execute(insert, {"id": handoff_id, "at": at, "details": details})
        migrations.upgrade(database_url)
        with engine.connect() as connection:
            assert dict(connection.execute(categories).all()) == {
                "gfe": "task",
                "records": "administrative",
            }
        command.downgrade(migrations.alembic_config(database_url), "0006")
        with engine.connect() as connection:
            assert set(dict(connection.execute(categories).all()).values()) == {"administrative"}
    finally:
        engine.dispose()
