"""Re-encrypt stored values with the current key, and prove every stored value decrypts.

`rotate` walks each table that has encrypted columns in primary-key order, a batch per short
transaction, while the service keeps running: a value sealed with an older key, or still
plain from before encryption, is sealed again with the keyring's encryption key, and the
blind indexes beside it are filled. A row changed by a running turn in the meantime is left
alone (its new value was sealed with the current key already). Work is found by what each
value names, so an interrupted rotation simply resumes where values are still old.

`verify` reads every encrypted value and reports, by table, key id and row id (never the
value), what does not decrypt and what is still plain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from frontdesk.adapters.db.encrypted import _Encrypted, client_lookup, phone_lookup
from frontdesk.adapters.db.tables import metadata
from frontdesk.adapters.encryption import EMPTY, PREFIX, Keyring, key_id_of, keyring_of
from frontdesk.domain.errors import EncryptionKeyError

DEFAULT_BATCH = 200


@dataclass(frozen=True, slots=True)
class Lookup:
    """A blind-index column and how it is derived from the plain values of its sources."""

    column: str
    sources: tuple[str, ...]
    kind: str
    normalise: Callable[..., str]


LOOKUPS: dict[str, tuple[Lookup, ...]] = {
    "calls": (Lookup("caller_number_hmac", ("caller_number",), "phone", phone_lookup),),
    "handoffs": (Lookup("caller_number_hmac", ("caller_number",), "phone", phone_lookup),),
    "inbound_texts": (Lookup("from_number_hmac", ("from_number",), "phone", phone_lookup),),
    "clients": (
        Lookup("phone_hmac", ("phone",), "phone", phone_lookup),
        Lookup(
            "identity_hmac",
            ("name", "date_of_birth"),
            "client",
            lambda name, born: client_lookup(name, date.fromisoformat(born[:10])),
        ),
    ),
}
"""Blind indexes kept up by `rotate`. `opt_outs.number_hmac` is that table's key, written
with the row (revision 0015 built it for older rows)."""


@dataclass(frozen=True, slots=True)
class SealedTable:
    """A table with encrypted columns, as rotation and verification read it: raw text."""

    name: str
    key: tuple[str, ...]
    sealed: tuple[str, ...]
    lookups: tuple[Lookup, ...]
    raw: sa.TableClause

    def row_id(self, row: Any) -> str:
        return "/".join(str(row[name]) for name in self.key)


def sealed_tables() -> list[SealedTable]:
    """Every table with an encrypted column, in schema order."""
    found = []
    for table in metadata.sorted_tables:
        sealed = tuple(c.name for c in table.columns if isinstance(c.type, _Encrypted))
        if not sealed:
            continue
        key = tuple(c.name for c in table.primary_key.columns)
        lookups = LOOKUPS.get(table.name, ())
        names = dict.fromkeys([*key, *sealed, *(lookup.column for lookup in lookups)])
        raw = sa.table(table.name, *(sa.column(name, _raw_type(table, name)) for name in names))
        found.append(SealedTable(table.name, key, sealed, lookups, raw))
    return found


def _raw_type(table: sa.Table, name: str) -> sa.types.TypeEngine[Any]:
    column_type = table.columns[name].type
    return sa.Text() if isinstance(column_type, _Encrypted) else column_type


def _is_current(column: sa.ColumnElement[Any], key_id: str) -> sa.ColumnElement[bool]:
    prefix = f"{PREFIX}{key_id}."
    return sa.func.substr(column, 1, len(prefix)) == prefix


def _needs_work(table: SealedTable, key_id: str) -> sa.ColumnElement[bool]:
    columns = table.raw.c
    stale = [
        sa.and_(
            columns[name].is_not(None),
            columns[name].not_in(sorted(EMPTY)),
            sa.not_(_is_current(columns[name], key_id)),
        )
        for name in table.sealed
    ]
    missing = [
        sa.and_(
            columns[lookup.column].is_(None),
            *(columns[source].is_not(None) for source in lookup.sources),
        )
        for lookup in table.lookups
    ]
    return sa.or_(*stale, *missing)


def _after(table: SealedTable, last: Sequence[Any] | None) -> sa.ColumnElement[bool]:
    if last is None:
        return sa.true()
    columns = [table.raw.c[name] for name in table.key]
    if len(columns) == 1:
        return columns[0] > sa.literal(last[0])
    return sa.tuple_(*columns) > sa.tuple_(*(sa.literal(value) for value in last))


# --- rotation --------------------------------------------------------------------------------


@dataclass(slots=True)
class TableRotation:
    """What rotation did to one table."""

    table: str
    pending: int = 0
    rewritten: int = 0
    changed_meanwhile: int = 0


Progress = Callable[[TableRotation], None]


def pending_rows(engine: Engine) -> dict[str, int]:
    """Rows per table with a value not sealed with the encryption key, or a lookup unfilled."""
    key_id = keyring_of(engine.dialect).encrypt_id
    with engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(table.raw)
                    .where(_needs_work(table, key_id))
                ).scalar_one()
            )
            for table in sealed_tables()
        }


def rotate(
    engine: Engine,
    *,
    batch: int = DEFAULT_BATCH,
    progress: Progress | None = None,
    tables: Sequence[str] | None = None,
) -> list[TableRotation]:
    """Seal every value with the keyring's encryption key and fill every lookup, a batch
    per transaction; `progress` hears after each batch."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    keyring = keyring_of(engine.dialect)
    pending = pending_rows(engine)
    results = []
    for table in sealed_tables():
        if tables is not None and table.name not in tables:
            continue
        result = TableRotation(table.name, pending=pending[table.name])
        if result.pending:
            _rotate_table(engine, keyring, table, batch, result, progress)
        results.append(result)
    return results


def _rotate_table(
    engine: Engine,
    keyring: Keyring,
    table: SealedTable,
    batch: int,
    result: TableRotation,
    progress: Progress | None,
) -> None:
    columns = table.raw.c
    last: Sequence[Any] | None = None
    while True:
        query = (
            sa.select(table.raw)
            .where(_needs_work(table, keyring.encrypt_id), _after(table, last))
            .order_by(*(columns[name] for name in table.key))
            .limit(batch)
        )
        with engine.begin() as connection:
            rows = [row._mapping for row in connection.execute(query)]
            for row in rows:
                if _rewrite(connection, keyring, table, row):
                    result.rewritten += 1
                else:
                    result.changed_meanwhile += 1
        if not rows:
            return
        last = tuple(rows[-1][name] for name in table.key)
        if progress is not None:
            progress(result)


def _rewrite(connection: sa.Connection, keyring: Keyring, table: SealedTable, row: Any) -> bool:
    columns = table.raw.c
    plain = {
        name: None if row[name] is None else keyring.decrypt(f"{table.name}.{name}", row[name])
        for name in table.sealed
    }
    values: dict[str, Any] = {}
    for name in table.sealed:
        stored = row[name]
        if stored is not None and stored not in EMPTY and key_id_of(stored) != keyring.encrypt_id:
            values[name] = keyring.encrypt(f"{table.name}.{name}", plain[name] or "")
    for lookup in table.lookups:
        sources = [plain[source] for source in lookup.sources]
        if all(value is not None for value in sources):
            derived = keyring.blind_index(lookup.kind, lookup.normalise(*sources))
            if row[lookup.column] != derived:
                values[lookup.column] = derived
    if not values:
        return True
    unchanged = [
        columns[name].is_(None) if row[name] is None else columns[name] == row[name]
        for name in table.sealed
    ]
    where = [columns[name] == row[name] for name in table.key]
    updated = connection.execute(table.raw.update().where(*where, *unchanged).values(values))
    return updated.rowcount == 1


# --- verification ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    """A value that cannot be read, or is still plain: where it is, never what it holds."""

    table: str
    row: str
    column: str
    problem: str


@dataclass(slots=True)
class TableCheck:
    table: str
    rows: int = 0
    values: int = 0
    by_key: dict[str, int] = field(default_factory=dict)
    plain: int = 0
    failures: int = 0


@dataclass(slots=True)
class Verification:
    tables: list[TableCheck]
    failures: list[Failure]

    @property
    def ok(self) -> bool:
        return not self.failures


def verify(engine: Engine, *, batch: int = 1000, keep: int = 50) -> Verification:
    """Decrypt every encrypted value and recompute every lookup; report what fails (the
    first `keep` failures in full, all of them counted)."""
    keyring = keyring_of(engine.dialect)
    checks: list[TableCheck] = []
    failures: list[Failure] = []
    for table in sealed_tables():
        check = TableCheck(table.name)
        checks.append(check)
        for row in _all_rows(engine, table, batch):
            check.rows += 1
            for failure in _check_row(keyring, table, row, check):
                check.failures += 1
                if len(failures) < keep:
                    failures.append(failure)
    total = sum(check.failures for check in checks)
    if total > len(failures):
        failures.append(Failure("*", "*", "*", f"{total - len(failures)} more not listed"))
    return Verification(checks, failures)


def _all_rows(engine: Engine, table: SealedTable, batch: int) -> Iterator[Any]:
    columns = table.raw.c
    last: Sequence[Any] | None = None
    while True:
        query = (
            sa.select(table.raw)
            .where(_after(table, last))
            .order_by(*(columns[name] for name in table.key))
            .limit(batch)
        )
        with engine.connect() as connection:
            rows = [row._mapping for row in connection.execute(query)]
        if not rows:
            return
        yield from rows
        last = tuple(rows[-1][name] for name in table.key)


def _check_row(keyring: Keyring, table: SealedTable, row: Any, check: TableCheck) -> list[Failure]:
    found = []
    plain: dict[str, str | None] = {}
    for name in table.sealed:
        stored = row[name]
        plain[name] = None
        if stored is None or stored in EMPTY:
            continue
        check.values += 1
        key_id = key_id_of(stored)
        if key_id is None:
            check.plain += 1
            found.append(
                Failure(table.name, table.row_id(row), name, "not encrypted (run keys rotate)")
            )
            continue
        check.by_key[key_id] = check.by_key.get(key_id, 0) + 1
        try:
            plain[name] = keyring.decrypt(f"{table.name}.{name}", stored)
        except EncryptionKeyError as exc:
            problem = (
                "key not in the keyring"
                if "not in the keyring" in str(exc)
                else ("does not decrypt (wrong key or altered value)")
            )
            found.append(Failure(table.name, table.row_id(row), name, f"{problem}: {key_id}"))
    for lookup in table.lookups:
        sources = [plain[source] for source in lookup.sources]
        if any(value is None for value in sources):
            continue
        if row[lookup.column] != keyring.blind_index(lookup.kind, lookup.normalise(*sources)):
            found.append(
                Failure(
                    table.name,
                    table.row_id(row),
                    lookup.column,
                    "lookup does not match (run keys rotate)",
                )
            )
    return found
