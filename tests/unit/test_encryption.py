"""Field encryption: sealed values name their key and column, keys load from files and the
environment with clear errors, and every PHI column of the schema is declared encrypted."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.adapters.db.encrypted import _Encrypted
from frontdesk.adapters.db.key_rotation import LOOKUPS
from frontdesk.adapters.db.tables import metadata
from frontdesk.adapters.encryption import (
    Keyring,
    key_id_of,
    parse_environment,
    parse_key_file,
    read_key_file,
    write_key_file,
)
from frontdesk.domain.errors import ConfigurationError, EncryptionKeyError

SECRET = "Ms. Juniper Example, +13125550123, I can't sleep"


def test_a_sealed_value_names_its_key_hides_the_text_and_opens_again() -> None:
    """Sealing gives `fd1.<key id>.…` without the plain text, different each time, and the
    keyring opens it again."""
    keyring = Keyring.generate()
    first = keyring.encrypt("calls.state", SECRET)
    second = keyring.encrypt("calls.state", SECRET)
    assert first.startswith(f"fd1.{keyring.encrypt_id}.")
    assert key_id_of(first) == keyring.encrypt_id
    assert first != second
    assert "Juniper" not in first
    assert keyring.decrypt("calls.state", first) == SECRET


def test_a_value_moved_to_another_column_or_altered_does_not_open() -> None:
    """The column is authenticated with the value: moved or altered, it fails loudly."""
    keyring = Keyring.generate()
    sealed = keyring.encrypt("calls.caller_number", "+13125550123")
    with pytest.raises(EncryptionKeyError, match=r"handoffs\.caller_number"):
        keyring.decrypt("handoffs.caller_number", sealed)
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(EncryptionKeyError, match="altered"):
        keyring.decrypt("calls.caller_number", flipped)


def test_old_keys_still_open_what_they_sealed_after_a_new_key_is_added() -> None:
    """With a new key added, new values use it and values of the old key still open."""
    keyring = Keyring.generate()
    old = keyring.encrypt("turns.caller_text", SECRET)
    newer = keyring.with_new_key("k2")
    assert newer.encrypt_id == "k2"
    assert key_id_of(newer.encrypt("turns.caller_text", SECRET)) == "k2"
    assert newer.decrypt("turns.caller_text", old) == SECRET
    assert newer.blind_index("phone", "+1") == keyring.blind_index("phone", "+1")
    with pytest.raises(ConfigurationError, match="taken"):
        newer.with_new_key("k2")


def test_plain_text_from_before_encryption_is_read_as_it_is() -> None:
    """A value without the format prefix is a plain value stored before encryption."""
    assert Keyring.generate().decrypt("clients.name", "Ada Lovelace") == "Ada Lovelace"
    assert key_id_of("Ada Lovelace") is None


def test_blind_indexes_are_keyed_and_separate_by_kind() -> None:
    """The same value gives the same lookup under one key, another under another key or kind."""
    one, two = Keyring.generate(), Keyring.generate()
    assert one.blind_index("phone", "+13125550123") == one.blind_index("phone", "+13125550123")
    assert one.blind_index("phone", "+13125550123") != two.blind_index("phone", "+13125550123")
    assert one.blind_index("phone", "x") != one.blind_index("client", "x")
    assert len(one.blind_index("phone", "x")) == 32


def test_a_key_file_round_trips_and_is_written_private(tmp_path: Path) -> None:
    """`write_key_file` writes 0600, refuses to overwrite, and replaces atomically on request."""
    keyring = Keyring.generate()
    path = tmp_path / "frontdesk.keys"
    write_key_file(path, keyring)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = read_key_file(path)
    assert loaded.encrypt_id == keyring.encrypt_id
    assert dict(loaded.keys) == dict(keyring.keys)
    with pytest.raises(ConfigurationError, match="exists already"):
        write_key_file(path, keyring)
    write_key_file(path, keyring.with_new_key("k9"), replace=True)
    assert read_key_file(path).encrypt_id == "k9"
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frontdesk.keys"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("encrypt = ", "not a valid key file"),
        ('encrypt = "k1"\nblind_index = "AAAA"\n', "needs a \\[keys\\] table"),
        ('blind_index = "x"\n[keys]\nk1 = "x"\n', "needs `encrypt"),
        ('encrypt = "k1"\n[keys]\nk1 = "x"\n', "needs `blind_index"),
        ('encrypt = "k1"\nblind_index = "AAAA"\n[keys]\nk1 = "AAAA"\n', "must be 32 bytes"),
        ('encrypt = "k1"\nblind_index = "!!"\n[keys]\nk1 = "AAAA"\n', "not base64|32 bytes"),
        ('encrypt = "k1"\nother = 1\n', "unknown entries"),
    ],
)
def test_a_broken_key_file_is_refused_naming_the_problem(text: str, problem: str) -> None:
    """Each malformed key file gives a `ConfigurationError` that says what is wrong."""
    with pytest.raises(ConfigurationError, match=problem):
        parse_key_file(text, source="keys.toml")


def test_a_key_file_whose_encryption_key_is_missing_or_shared_is_refused() -> None:
    """The encrypting key must be among the keys, and the index key apart from them."""
    keyring = Keyring.generate()
    text = keyring.to_toml().replace(f'encrypt = "{keyring.encrypt_id}"', 'encrypt = "nope"')
    with pytest.raises(ConfigurationError, match="not among its keys"):
        parse_key_file(text, source="keys.toml")
    key = next(iter(keyring.keys.values()))
    with pytest.raises(ConfigurationError, match="must differ"):
        Keyring(keyring.encrypt_id, keyring.keys, key)
    with pytest.raises(ConfigurationError, match="key id"):
        Keyring("bad.id", {"bad.id": key}, bytes(32))
    with pytest.raises(ConfigurationError, match="does not exist"):
        read_key_file(Path("/nonexistent/frontdesk.keys"))


def test_keys_from_the_environment_match_the_key_file() -> None:
    """`to_environment` and `parse_environment` carry the same keyring, the first key
    encrypting; malformed values are refused."""
    keyring = Keyring.generate().with_new_key("k2")
    env = keyring.to_environment()
    loaded = parse_environment(env["FRONTDESK_ENCRYPTION_KEYS"], env["FRONTDESK_BLIND_INDEX_KEY"])
    assert loaded.encrypt_id == "k2"
    assert dict(loaded.keys) == dict(keyring.keys)
    with pytest.raises(ConfigurationError, match="id:base64"):
        parse_environment("nocolon", env["FRONTDESK_BLIND_INDEX_KEY"])
    key = env["FRONTDESK_ENCRYPTION_KEYS"].split(",")[0]
    with pytest.raises(ConfigurationError, match="twice"):
        parse_environment(f"{key},{key}", env["FRONTDESK_BLIND_INDEX_KEY"])


def test_every_encrypted_column_is_bound_to_its_own_name() -> None:
    """Each encrypted column's type names exactly its `table.column` (the bound data)."""
    seen = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, _Encrypted):
                assert column.type.column == f"{table.name}.{column.name}"
                seen.append(column.type.column)
    assert "calls.caller_number" in seen
    assert "clients.date_of_birth" in seen
    assert len(seen) == len(set(seen))


def test_every_blind_index_column_is_kept_up_by_rotation_or_is_a_key() -> None:
    """A `*_hmac` column is either in `LOOKUPS` (rotation fills it) or a primary key."""
    kept = {(table, lookup.column) for table, lookups in LOOKUPS.items() for lookup in lookups}
    for table in metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("_hmac"):
                assert (table.name, column.name) in kept or column.primary_key, column


PHI_NAMES = (
    "name",
    "phone",
    "number",
    "email",
    "birth",
    "text",
    "body",
    "summary",
    "reason",
    "note",
)
# Columns whose names sound like PHI but hold none, each with its reason.
NOT_PHI = {
    "script_reviews.text": "an edited script line: the practice's approved wording",
    "staff_users.username": "a staff member's sign-in name, looked up at sign-in",
}


def test_no_column_named_for_phi_is_left_plain() -> None:
    """Columns whose names say they hold PHI are encrypted (or are their blind index)."""
    plain = [
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if any(word in column.name for word in PHI_NAMES)
        and not isinstance(column.type, _Encrypted)
        and not column.name.endswith("_hmac")
        and f"{table.name}.{column.name}" not in NOT_PHI
    ]
    assert plain == []
