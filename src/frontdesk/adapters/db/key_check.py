"""Whether an engine's encryption keys can be used: checked at start-up and by `/healthz`.

A server whose keys are missing, or are not the ones its database was written with, would
answer its health check and then fail every call it tries to store or read. So before
serving, `require_usable_keys` reads the keyring the engine's encrypted columns use (none on
PostgreSQL without configured keys is a `ConfigurationError` naming the settings), seals and
opens a probe value with it, and tries the stored values of a few rows of each table with
encrypted columns until one opens. When values are stored and not one of them opens, the
keys are the wrong ones (`EncryptionKeyError`, naming key ids, never a value). A value that
does not open while others do is left to `frontdesk keys verify`: the keys in use are the
database's own.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy import Engine

from frontdesk.adapters.db.key_rotation import sealed_tables
from frontdesk.adapters.encryption import PREFIX, key_id_of, keyring_of
from frontdesk.domain.errors import EncryptionKeyError

SAMPLE_ROWS = 20
"""Rows of each table whose sealed values are tried, until one opens."""

PROBE_COLUMN = "health.probe"
"""The column name a probe value is bound to (no stored value is ever bound to it)."""


def require_usable_keys(engine: Engine) -> None:
    """Raise `ConfigurationError` unless `engine`'s keys load, work, and open stored values."""
    keyring = keyring_of(engine.dialect)
    if keyring.decrypt(PROBE_COLUMN, keyring.encrypt(PROBE_COLUMN, "probe")) != "probe":
        raise EncryptionKeyError(f"the keys from {keyring.source} do not open what they seal")
    unopened: set[str] = set()
    with engine.connect() as connection:
        for column, stored in _sample(connection):
            try:
                keyring.decrypt(column, stored)
            except EncryptionKeyError:
                unopened.add(key_id_of(stored) or "?")
            else:
                return
    if unopened:
        raise EncryptionKeyError(
            f"the encryption keys from {keyring.source} open none of the stored values "
            f"(sealed with key {', '.join(sorted(unopened))}): set FRONTDESK_KEY_FILE (or "
            "FRONTDESK_ENCRYPTION_KEYS and FRONTDESK_BLIND_INDEX_KEY) to the keys this "
            "database was written with; `frontdesk keys verify` checks every value"
        )


def _sample(connection: sa.Connection) -> Iterator[tuple[str, str]]:
    """Sealed values of up to `SAMPLE_ROWS` rows of each table, as (`table.column`, text)."""
    for table in sealed_tables():
        columns = [table.raw.c[name] for name in table.sealed]
        rows = connection.execute(
            sa.select(*columns)
            .where(sa.or_(*(sa.func.substr(c, 1, len(PREFIX)) == PREFIX for c in columns)))
            .limit(SAMPLE_ROWS)
        )
        for row in rows:
            for name, stored in zip(table.sealed, row, strict=True):
                if isinstance(stored, str) and stored.startswith(PREFIX):
                    yield f"{table.name}.{name}", stored
