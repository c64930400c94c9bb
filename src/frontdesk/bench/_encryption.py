"""What field encryption costs inside a bench: a keyring that times its own work."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from frontdesk.adapters.encryption import Keyring


@dataclass(slots=True)
class CryptoMeter:
    """Field-encryption work done so far: values sealed or opened, blind indexes, seconds."""

    operations: int = 0
    seconds: float = 0.0

    def keyring(self) -> Keyring:
        """A fresh keyring whose every encryption, decryption and blind index is timed here."""
        meter = self

        class MeteredKeyring(Keyring):
            def encrypt(self, column: str, plain: str) -> str:
                return meter.timed(super().encrypt, column, plain)

            def decrypt(self, column: str, stored: str) -> str:
                return meter.timed(super().decrypt, column, stored)

            def blind_index(self, kind: str, normalised: str) -> str:
                return meter.timed(super().blind_index, kind, normalised)

        plain = Keyring.generate(source="a bench's metered keys")
        return MeteredKeyring(plain.encrypt_id, plain.keys, plain.blind_index_key, plain.source)

    def timed(self, run: Callable[[str, str], str], first: str, second: str) -> str:
        """`run(first, second)`, counted and timed here (a failure is work too)."""
        started = time.perf_counter()
        try:
            return run(first, second)
        finally:
            self.operations += 1
            self.seconds += time.perf_counter() - started
