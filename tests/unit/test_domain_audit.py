"""Audit entries refuse PHI-shaped values, and the hash chain names the first broken record."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from frontdesk.domain.audit import (
    GENESIS_HASH,
    AuditAction,
    AuditEntry,
    AuditRecord,
    ChainWalker,
    canonical_bytes,
    chain,
    record_hash,
    user_actor,
)
from frontdesk.domain.errors import InvalidInput

T0 = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)


def _entry(n: int = 0, **changes: object) -> AuditEntry:
    fields: dict[str, object] = {
        "at": T0 + timedelta(seconds=n),
        "actor": user_actor("u1"),
        "action": AuditAction.VIEW,
        "object_kind": "handoff",
        "object_id": f"h{n}",
        "source": "203.0.113.7",
        "detail": "status=open",
    }
    fields.update(changes)
    return AuditEntry(**fields)  # type: ignore[arg-type]


def _chain(count: int) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    for n in range(count):
        records.append(chain(records[-1] if records else None, _entry(n)))
    return records


def _walk(records: list[AuditRecord]) -> ChainWalker:
    walker = ChainWalker()
    for record in records:
        walker.feed(record)
    return walker


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor", "Jane Doe"),
        ("actor", "+15551234567"),
        ("action", "View"),
        ("object_kind", "hand off"),
        ("object_id", "+15551234567"),
        ("object_id", "jane@example.org"),
        ("source", "somewhere far away"),
        ("detail", "met Jane @home"),
        ("detail", "phone=5551234567"),
        ("detail", "called back Jane"),
        ("detail", "email=jane@example.org"),
        ("detail", "x=" + "x" * 199),
        ("detail", "line one\nline two"),
    ],
)
def test_an_entry_refuses_values_shaped_like_phi(field: str, value: str) -> None:
    """Names, numbers, e-mail addresses and free text do not fit any audit field."""
    with pytest.raises(InvalidInput) as caught:
        _entry(**{field: value})
    assert value not in str(caught.value)


def test_an_entry_refuses_a_naive_time() -> None:
    """Every audited moment is timezone-aware."""
    with pytest.raises(InvalidInput):
        _entry(at=datetime(2026, 3, 2, 9, 0))


def test_an_entry_accepts_the_forms_the_code_uses() -> None:
    """Actors, IPv6 sources, counts written with '_' and empty details are accepted."""
    for actor in ("cli", "api-token", "worker", "user:0f3a9c"):
        assert _entry(actor=actor).actor == actor
    assert _entry(source="2001:db8::1").source == "2001:db8::1"
    assert _entry(detail="rows=1_000_000 kind=turns,utterances").detail.startswith("rows=")
    assert _entry(detail="", object_id=None, source=None).detail == ""


def test_the_canonical_encoding_is_fixed_and_offset_independent() -> None:
    """The same moment in another offset hashes the same; the encoding is plain ASCII JSON."""
    local = T0.astimezone(timezone(timedelta(hours=-5)))
    assert canonical_bytes(1, _entry(), GENESIS_HASH) == canonical_bytes(
        1, _entry(at=local), GENESIS_HASH
    )
    assert canonical_bytes(1, _entry(), GENESIS_HASH).startswith(
        b'[1,1,"2026-03-02T09:00:00.123456Z","user:u1","view","handoff","h0"'
    )


def test_records_chain_from_genesis() -> None:
    """The first record follows the genesis hash; each next one follows its predecessor."""
    records = _chain(3)
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == GENESIS_HASH
    assert records[1].prev_hash == records[0].hash
    assert records[2].hash == record_hash(3, records[2].entry, records[1].hash)
    walker = _walk(records)
    assert walker.broken is None
    assert walker.count == 3


def test_an_edited_record_is_named() -> None:
    """Changing any field of a record breaks the chain at that record."""
    records = _chain(5)
    records[2] = replace(records[2], entry=replace(records[2].entry, actor="user:u2"))
    broken = _walk(records).broken
    assert broken is not None
    assert broken.seq == 3
    assert "edited" in broken.reason


def test_a_rewritten_record_with_a_fresh_hash_breaks_the_next_link() -> None:
    """Re-hashing an edited record leaves the next record pointing at the old hash."""
    records = _chain(5)
    edited = replace(records[1].entry, action="change")
    records[1] = replace(records[1], entry=edited, hash=record_hash(2, edited, records[0].hash))
    broken = _walk(records).broken
    assert broken is not None
    assert broken.seq == 3
    assert "record 2" in broken.reason


def test_a_deleted_record_is_named() -> None:
    """A missing record is reported by the number it had."""
    records = _chain(5)
    del records[3]
    broken = _walk(records).broken
    assert broken is not None
    assert broken.seq == 4
    assert "missing" in broken.reason


def test_reordered_records_are_found_and_the_walker_stays_broken() -> None:
    """Swapped records break the chain, and later good records do not clear the break."""
    records = _chain(4)
    records[1], records[2] = records[2], records[1]
    walker = _walk(records)
    assert walker.broken is not None
    assert walker.broken.seq == 2
    assert walker.count == 1
    assert walker.feed(records[3]) == walker.broken
