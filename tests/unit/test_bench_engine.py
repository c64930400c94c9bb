"""`frontdesk bench engine`: whole turns timed, and the field encryption inside them measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.adapters.encryption import EncryptionKeyError
from frontdesk.bench._encryption import CryptoMeter
from frontdesk.bench.engine import example_services, run_bench
from frontdesk.config import Settings


def test_the_metered_keyring_counts_every_operation_and_still_encrypts() -> None:
    meter = CryptoMeter()
    keyring = meter.keyring()
    sealed = keyring.encrypt("calls.state", "Jordan Reyes")
    assert "Jordan Reyes" not in sealed
    assert keyring.decrypt("calls.state", sealed) == "Jordan Reyes"
    assert keyring.blind_index("phone", "+15555550123") == keyring.blind_index(
        "phone", "+15555550123"
    )
    assert meter.operations == 4
    assert meter.seconds > 0
    with pytest.raises(EncryptionKeyError):
        keyring.decrypt("calls.transcript", sealed)  # bound to its column
    assert meter.operations == 5  # a failed opening is work too


def test_the_engine_bench_reports_what_encryption_costs_a_turn(tmp_path: Path) -> None:
    result = run_bench(
        calls=3,
        seed=11,
        datasets=tmp_path,  # no SGD files here: that part says what is missing
        build_services=example_services(Settings(environment="test")),
    )
    turns = result["whole_turn_sqlite"]
    assert isinstance(turns, dict)
    assert turns["count"] >= 6  # each call starts, takes turns and ends
    cost = result["encryption_in_whole_turn"]
    assert isinstance(cost, dict)
    # Every stored turn seals the call state and the caller's words at least.
    assert cost["operations_per_turn"] >= 2
    assert cost["microseconds_per_turn"] > 0
    assert 0 < cost["share_of_turn_time"] < 1
