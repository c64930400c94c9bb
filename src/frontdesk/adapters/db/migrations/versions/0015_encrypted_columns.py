"""Protected health information is encrypted at rest: every PHI column becomes text wide
enough for a sealed value, and lookups get blind-index columns (keyed HMACs) beside them.
Staff members' TOTP secrets are sealed the same way.

Rows written before this revision stay readable as they are; `frontdesk keys rotate`
encrypts them. The lookups that must keep working at once are filled here with the keys
of the migrating process: clients' numbers and names (caller verification), hand-offs'
numbers (a call wakes the tasks waiting for its number), inbound texts' senders (a
person's records are found by number) and opt-outs (a number that said
STOP is never texted), whose table is rebuilt keyed by the HMAC.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

from frontdesk.adapters.db.encrypted import LOOKUP_LENGTH, client_lookup, phone_lookup
from frontdesk.adapters.encryption import PREFIX, keyring_of

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, type before): columns that now hold sealed text.
SEALED: tuple[tuple[str, str, sa.types.TypeEngine[Any]], ...] = (
    ("calls", "caller_number", sa.String(320)),
    ("calls", "state", sa.JSON()),
    ("turns", "digits", sa.String(256)),
    ("turns", "categories", sa.JSON()),
    ("inquiries", "intake", sa.JSON()),
    ("handoffs", "caller_number", sa.String(320)),
    ("handoffs", "details", sa.JSON()),
    ("outbound_messages", "recipient", sa.String(320)),
    ("inbound_texts", "from_number", sa.String(320)),
    ("clients", "name", sa.String(200)),
    ("clients", "date_of_birth", sa.Date()),
    ("clients", "phone", sa.String(32)),
    ("clients", "email", sa.String(320)),
    ("appointments", "contact_to", sa.String(320)),
    ("waitlist_entries", "criteria", sa.JSON()),
    ("waitlist_entries", "contact_to", sa.String(320)),
    ("staff_users", "totp_secret", sa.String(64)),
)
# Text columns before and after: only their contents become sealed.
ALREADY_TEXT = (
    ("turns", "caller_text"),
    ("turns", "agent_text"),
    ("handoffs", "summary"),
    ("outbound_messages", "body"),
    ("inbound_texts", "reply"),
    ("inbound_texts", "body"),
    ("appointments", "cancel_reason"),
    ("appointments", "reschedule_reason"),
    ("callback_attempts", "note"),
)


def _retype(*, to_text: bool) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    tables = sorted({table for table, _, _ in SEALED})
    for table in tables:
        with op.batch_alter_table(table) as batch:
            for name, column, before in SEALED:
                if name != table:
                    continue
                old, new = (before, sa.Text()) if to_text else (sa.Text(), before)
                using = None
                if postgres:
                    target = "text" if to_text else new.compile(dialect=op.get_bind().dialect)
                    using = f"{column}::{target}"
                batch.alter_column(column, existing_type=old, type_=new, postgresql_using=using)


def _upgrade_calls() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_index("ix_calls_caller_number_started_at")
        batch.add_column(sa.Column("caller_number_hmac", sa.String(LOOKUP_LENGTH), nullable=True))
        batch.create_index(
            "ix_calls_caller_number_hmac_started_at", ["caller_number_hmac", "started_at"]
        )


def _upgrade_inbound_texts() -> None:
    with op.batch_alter_table("inbound_texts") as batch:
        batch.add_column(sa.Column("from_number_hmac", sa.String(LOOKUP_LENGTH), nullable=True))
        batch.create_index("ix_inbound_texts_from_number_hmac", ["from_number_hmac"])
    _fill_phone_lookup("inbound_texts", "message_sid", "from_number", "from_number_hmac")


def _fill_phone_lookup(table: str, key: str, column: str, lookup: str) -> None:
    """Fill a number's blind index for the rows stored before this revision."""
    bind = op.get_bind()
    rows_table = sa.table(
        table, sa.column(key, sa.String()), sa.column(column, sa.Text()), sa.column(lookup)
    )
    rows = bind.execute(
        sa.select(rows_table.c[key], rows_table.c[column]).where(rows_table.c[column].is_not(None))
    ).all()
    if not rows:
        return
    keyring = keyring_of(bind.dialect)
    for row_id, number in rows:
        plain = keyring.decrypt(f"{table}.{column}", number)
        bind.execute(
            rows_table.update()
            .where(rows_table.c[key] == row_id)
            .values({lookup: keyring.blind_index("phone", phone_lookup(plain))})
        )


def _upgrade_handoffs() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_index("ix_handoffs_caller_number_status")
        batch.add_column(sa.Column("caller_number_hmac", sa.String(LOOKUP_LENGTH), nullable=True))
        batch.create_index(
            "ix_handoffs_caller_number_hmac_status", ["caller_number_hmac", "status"]
        )
    _fill_phone_lookup("handoffs", "id", "caller_number", "caller_number_hmac")


def _upgrade_clients() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.drop_index("ix_clients_phone")
        batch.add_column(sa.Column("phone_hmac", sa.String(LOOKUP_LENGTH), nullable=True))
        batch.add_column(sa.Column("identity_hmac", sa.String(LOOKUP_LENGTH), nullable=True))
        batch.create_index("ix_clients_phone_hmac", ["phone_hmac"])
        batch.create_index("ix_clients_identity_hmac", ["identity_hmac"])
    bind = op.get_bind()
    clients = sa.table(
        "clients",
        sa.column("id", sa.String()),
        sa.column("name", sa.Text()),
        sa.column("date_of_birth", sa.Text()),
        sa.column("phone", sa.Text()),
        sa.column("phone_hmac", sa.String()),
        sa.column("identity_hmac", sa.String()),
    )
    rows = bind.execute(
        sa.select(clients.c.id, clients.c.name, clients.c.date_of_birth, clients.c.phone)
    ).all()
    if not rows:
        return
    keyring = keyring_of(bind.dialect)
    for client_id, name, born, phone in rows:
        name_plain = keyring.decrypt("clients.name", name)
        born_plain = date.fromisoformat(keyring.decrypt("clients.date_of_birth", born)[:10])
        phone_plain = keyring.decrypt("clients.phone", phone)
        bind.execute(
            clients.update()
            .where(clients.c.id == client_id)
            .values(
                phone_hmac=keyring.blind_index("phone", phone_lookup(phone_plain)),
                identity_hmac=keyring.blind_index("client", client_lookup(name_plain, born_plain)),
            )
        )


def _opt_out_table(*, keyed_by_hmac: bool) -> None:
    moment = sa.DateTime(timezone=True)
    if keyed_by_hmac:
        op.create_table(
            "opt_outs",
            sa.Column("number_hmac", sa.String(LOOKUP_LENGTH), nullable=False),
            sa.Column("number", sa.Text(), nullable=False),
            sa.Column("opted_out_at", moment, nullable=False),
            sa.Column("keyword", sa.String(32), nullable=False),
            sa.PrimaryKeyConstraint("number_hmac", name="pk_opt_outs"),
        )
    else:
        op.create_table(
            "opt_outs",
            sa.Column("number", sa.String(320), nullable=False),
            sa.Column("opted_out_at", moment, nullable=False),
            sa.Column("keyword", sa.String(32), nullable=False),
            sa.PrimaryKeyConstraint("number", name="pk_opt_outs"),
        )


def _upgrade_opt_outs() -> None:
    bind = op.get_bind()
    old = sa.table(
        "opt_outs",
        sa.column("number", sa.String()),
        sa.column("opted_out_at", sa.DateTime(timezone=True)),
        sa.column("keyword", sa.String()),
    )
    rows = bind.execute(sa.select(old.c.number, old.c.opted_out_at, old.c.keyword)).all()
    op.drop_table("opt_outs")
    _opt_out_table(keyed_by_hmac=True)
    if not rows:
        return
    keyring = keyring_of(bind.dialect)
    new = sa.table(
        "opt_outs",
        sa.column("number_hmac", sa.String()),
        sa.column("number", sa.Text()),
        sa.column("opted_out_at", sa.DateTime(timezone=True)),
        sa.column("keyword", sa.String()),
    )
    values = {}
    for number, at, keyword in rows:
        key = keyring.blind_index("phone", phone_lookup(number))
        values[key] = {
            "number_hmac": key,
            "number": keyring.encrypt("opt_outs.number", number),
            "opted_out_at": at,
            "keyword": keyword,
        }
    bind.execute(new.insert(), list(values.values()))


def upgrade() -> None:
    _retype(to_text=True)
    _upgrade_calls()
    _upgrade_handoffs()
    _upgrade_inbound_texts()
    _upgrade_clients()
    _upgrade_opt_outs()


def _refuse_sealed_values() -> None:
    """Downgrading cannot turn sealed values back into plain ones: refuse while any exist."""
    bind = op.get_bind()
    columns = [(t, c) for t, c, _ in SEALED] + list(ALREADY_TEXT) + [("opt_outs", "number")]
    for table, column in columns:
        found = bind.execute(
            sa.text(f"SELECT 1 FROM {table} WHERE {column} LIKE :sealed LIMIT 1"),  # noqa: S608
            {"sealed": f"{PREFIX}%"},
        ).first()
        if found is not None:
            raise RuntimeError(
                f"{table}.{column} holds encrypted values: a downgrade past revision 0010 "
                "cannot keep them; restore the backup taken before the upgrade instead"
            )


def downgrade() -> None:
    _refuse_sealed_values()
    bind = op.get_bind()
    old = sa.table(
        "opt_outs",
        sa.column("number", sa.Text()),
        sa.column("opted_out_at", sa.DateTime(timezone=True)),
        sa.column("keyword", sa.String()),
    )
    rows = [dict(row._mapping) for row in bind.execute(sa.select(old))]
    op.drop_table("opt_outs")
    _opt_out_table(keyed_by_hmac=False)
    if rows:
        bind.execute(old.insert(), rows)
    with op.batch_alter_table("clients") as batch:
        batch.drop_index("ix_clients_identity_hmac")
        batch.drop_index("ix_clients_phone_hmac")
        batch.drop_column("identity_hmac")
        batch.drop_column("phone_hmac")
    with op.batch_alter_table("inbound_texts") as batch:
        batch.drop_index("ix_inbound_texts_from_number_hmac")
        batch.drop_column("from_number_hmac")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_index("ix_handoffs_caller_number_hmac_status")
        batch.drop_column("caller_number_hmac")
    with op.batch_alter_table("calls") as batch:
        batch.drop_index("ix_calls_caller_number_hmac_started_at")
        batch.drop_column("caller_number_hmac")
    _retype(to_text=False)
    op.create_index("ix_calls_caller_number_started_at", "calls", ["caller_number", "started_at"])
    op.create_index("ix_handoffs_caller_number_status", "handoffs", ["caller_number", "status"])
    op.create_index("ix_clients_phone", "clients", ["phone"])
