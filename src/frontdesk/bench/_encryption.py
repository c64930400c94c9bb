"""What field encryption costs inside a bench: a keyring that times its own work."""

from __future__ import annotations

import time
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
                started = time.perf_counter()
                try:
                    return super().encrypt(column, plain)
                finally:
                    meter.add(time.perf_counter() - started)

            def decrypt(self, column: str, stored: str) -> str:
                started = time.perf_counter()
                try:
                    return super().decrypt(column, stored)
                finally:
                    meter.add(time.perf_counter() - started)

            def blind_index(self, kind: str, normalised: str) -> str:
                started = time.perf_counter()
                try:
                    return super().blind_index(kind, normalised)
                finally:
                    meter.add(time.perf_counter() - started)

        plain = Keyring.generate(source="the engine bench's keys")
        return MeteredKeyring(plain.encrypt_id, plain.keys, plain.blind_index_key, plain.source)

    def add(self, seconds: float) -> None:
        self.operations += 1
        self.seconds += seconds
