"""Field encryption: authenticated encryption of stored values and keyed blind indexes.

A `Keyring` holds named AES-256-GCM keys: one encrypts, every one decrypts, so keys can be
rotated while the service runs. A stored value names its key and is bound to its column
(the column's name is authenticated with it), so a value copied into another column, or
altered by one bit, does not decrypt:

    fd1.<key id>.<base64url(12-byte nonce + ciphertext + 16-byte tag)>

Equality lookups (a caller's number, a client's name and date of birth) use a blind index:
HMAC-SHA256 under a separate key of the normalised value, so the database can match a
number without holding it.

Keys come from settings, never from the database: a key file (TOML, below) or two
environment variables. The key file, as `frontdesk keys generate` writes it:

    encrypt = "k3f9a01c2"                 # the key new values are encrypted with
    blind_index = "<base64url, 32 bytes>"  # the HMAC key of the lookup columns
    [keys]
    k3f9a01c2 = "<base64url, 32 bytes>"
    k0b4d7e11 = "<base64url, 32 bytes>"    # an older key, still read

Errors never quote a value: they name the column, the key id and where the keys came from.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import tomllib
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from frontdesk.domain.errors import ConfigurationError, EncryptionKeyError

log = logging.getLogger("frontdesk.encryption")

PREFIX = "fd1."
"""What every encrypted value starts with: the format version. Anything else is plain text
stored before encryption was turned on (`frontdesk keys rotate` encrypts it)."""
EMPTY = frozenset({"", "{}", "[]"})
"""Encoded values stored as they are: they say nothing, and a purge can find what it has
already emptied (`agent_text != ''`, a state of `{}`) without the keys."""
KEY_BYTES = 32
NONCE_BYTES = 12
BLIND_INDEX_LENGTH = 32
"""Hex digits kept of the HMAC (128 bits): a column of this width holds a lookup key."""
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
KEY_FILE_MODE = 0o600


def _b64decode(text: str, what: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        raise ConfigurationError(f"{what} is not base64") from None
    if len(raw) != KEY_BYTES:
        raise ConfigurationError(f"{what} must be {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def new_key_id() -> str:
    """A fresh key id: `k` and eight random hex digits, unlikely to meet an older one."""
    return "k" + secrets.token_hex(4)


@dataclass(frozen=True, slots=True)
class Keyring:
    """Named encryption keys (one encrypts), the blind-index key, and where they came from."""

    encrypt_id: str
    keys: Mapping[str, bytes] = field(repr=False)
    blind_index_key: bytes = field(repr=False)
    source: str = "settings"
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key_id, key in self.keys.items():
            if not KEY_ID.fullmatch(key_id):
                raise ConfigurationError(
                    f"{self.source}: key id {key_id!r} must be 1-32 letters, digits, - or _"
                )
            if len(key) != KEY_BYTES:
                raise ConfigurationError(f"{self.source}: key {key_id} must be {KEY_BYTES} bytes")
            self._ciphers[key_id] = AESGCM(key)
        if self.encrypt_id not in self.keys:
            raise ConfigurationError(
                f"{self.source}: the encryption key {self.encrypt_id!r} is not among its keys"
            )
        if len(self.blind_index_key) != KEY_BYTES:
            raise ConfigurationError(f"{self.source}: the blind-index key must be 32 bytes")
        if any(hmac.compare_digest(self.blind_index_key, key) for key in self.keys.values()):
            raise ConfigurationError(
                f"{self.source}: the blind-index key must differ from every encryption key"
            )

    @classmethod
    def generate(cls, *, source: str = "a generated keyring") -> Keyring:
        """A new keyring with one random encryption key and a random blind-index key."""
        key_id = new_key_id()
        return cls(
            encrypt_id=key_id,
            keys={key_id: secrets.token_bytes(KEY_BYTES)},
            blind_index_key=secrets.token_bytes(KEY_BYTES),
            source=source,
        )

    def with_new_key(self, key_id: str | None = None) -> Keyring:
        """This keyring with a new random key that encrypts from now on; old keys still read."""
        chosen = key_id or new_key_id()
        if chosen in self.keys:
            raise ConfigurationError(f"{self.source}: key id {chosen!r} is taken")
        keys = dict(self.keys)
        keys[chosen] = secrets.token_bytes(KEY_BYTES)
        return Keyring(chosen, keys, self.blind_index_key, self.source)

    # --- values ---------------------------------------------------------------------------

    def encrypt(self, column: str, plain: str) -> str:
        """`plain` encrypted with the encryption key, bound to `column` (e.g. `calls.state`)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.encrypt_id].encrypt(
            nonce, plain.encode("utf-8"), _associated(column, self.encrypt_id)
        )
        token = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{PREFIX}{self.encrypt_id}.{token}"

    def decrypt(self, column: str, stored: str) -> str:
        """The plain text of a stored value; plain text stored before encryption passes.

        Raises `EncryptionKeyError` naming the column and key id when the value's key is
        not in this keyring, or the key is wrong, or the value was altered.
        """
        if not stored.startswith(PREFIX):
            return stored
        key_id, _, token = stored[len(PREFIX) :].partition(".")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise EncryptionKeyError(
                f"{column}: a value is encrypted with key {key_id!r}, which is not in the "
                f"keyring from {self.source}: add that key (or use the key file it was "
                "written with)"
            )
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            plain = cipher.decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(column, key_id)
            )
        except (InvalidTag, binascii.Error, ValueError):
            raise EncryptionKeyError(
                f"{column}: a value does not decrypt with key {key_id!r} from {self.source}: "
                "the key is not the one it was written with, or the value was altered"
            ) from None
        return plain.decode("utf-8")

    def blind_index(self, kind: str, normalised: str) -> str:
        """The lookup key of a normalised value of one kind (`phone`, `client`)."""
        digest = hmac.new(
            self.blind_index_key, f"{kind}\x00{normalised}".encode(), hashlib.sha256
        ).hexdigest()
        return digest[:BLIND_INDEX_LENGTH]

    # --- the key file -----------------------------------------------------------------------

    def to_toml(self) -> str:
        """The key file's text (secret: written 0600 by `write_key_file`)."""
        lines = [
            "# Frontdesk field-encryption keys. Secret: keep this file readable by the service",
            "# alone (0600), and back it up apart from the database. Without it the stored",
            "# names, numbers and words cannot be read. `frontdesk keys add` adds a key;",
            "# `frontdesk keys rotate` then re-encrypts every value with it.",
            f'encrypt = "{self.encrypt_id}"',
            f'blind_index = "{_b64encode(self.blind_index_key)}"',
            "",
            "[keys]",
            *(f'{key_id} = "{_b64encode(key)}"' for key_id, key in self.keys.items()),
        ]
        return "\n".join(lines) + "\n"

    def to_environment(self) -> dict[str, str]:
        """The same keyring as `FRONTDESK_ENCRYPTION_KEYS` and `FRONTDESK_BLIND_INDEX_KEY`."""
        ordered = [self.encrypt_id, *(k for k in self.keys if k != self.encrypt_id)]
        return {
            "FRONTDESK_ENCRYPTION_KEYS": ",".join(
                f"{key_id}:{_b64encode(self.keys[key_id])}" for key_id in ordered
            ),
            "FRONTDESK_BLIND_INDEX_KEY": _b64encode(self.blind_index_key),
        }


def _associated(column: str, key_id: str) -> bytes:
    return f"{PREFIX}{column}.{key_id}".encode()


def key_id_of(stored: str) -> str | None:
    """The key id an encrypted value names, or None for plain text."""
    if not stored.startswith(PREFIX):
        return None
    return stored[len(PREFIX) :].partition(".")[0]


# --- loading ---------------------------------------------------------------------------------


def parse_key_file(text: str, *, source: str) -> Keyring:
    """A keyring from a key file's text; `ConfigurationError` names what is wrong, no key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{source}: not a valid key file ({exc})") from None
    unknown = set(data) - {"encrypt", "blind_index", "keys"}
    if unknown:
        raise ConfigurationError(f"{source}: unknown entries {sorted(unknown)}")
    keys = data.get("keys")
    encrypt_id = data.get("encrypt")
    blind = data.get("blind_index")
    if not isinstance(keys, dict) or not keys:
        raise ConfigurationError(f"{source}: needs a [keys] table with at least one key")
    if not isinstance(encrypt_id, str):
        raise ConfigurationError(f'{source}: needs `encrypt = "<key id>"`')
    if not isinstance(blind, str):
        raise ConfigurationError(f'{source}: needs `blind_index = "<base64 key>"`')
    decoded = {}
    for key_id, value in keys.items():
        if not isinstance(value, str):
            raise ConfigurationError(f"{source}: key {key_id} must be a base64 string")
        decoded[key_id] = _b64decode(value, f"{source}: key {key_id}")
    return Keyring(encrypt_id, decoded, _b64decode(blind, f"{source}: blind_index"), source)


def parse_environment(keys: str, blind_index: str) -> Keyring:
    """A keyring from `FRONTDESK_ENCRYPTION_KEYS` (`id:base64,…`, the first encrypts) and
    `FRONTDESK_BLIND_INDEX_KEY` (base64)."""
    source = "FRONTDESK_ENCRYPTION_KEYS"
    decoded: dict[str, bytes] = {}
    for part in keys.split(","):
        key_id, sep, value = part.strip().partition(":")
        if not sep or not key_id:
            raise ConfigurationError(f"{source}: each key is written `id:base64`, comma-separated")
        if key_id in decoded:
            raise ConfigurationError(f"{source}: key {key_id} is given twice")
        decoded[key_id] = _b64decode(value, f"{source}: key {key_id}")
    first = next(iter(decoded))
    index = _b64decode(blind_index, "FRONTDESK_BLIND_INDEX_KEY")
    return Keyring(first, decoded, index, source)


def read_key_file(path: Path) -> Keyring:
    """The keyring in the key file at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"the key file {path} does not exist") from None
    except OSError as exc:
        raise ConfigurationError(f"the key file {path} cannot be read ({exc.strerror})") from None
    return parse_key_file(text, source=str(path))


def write_key_file(path: Path, keyring: Keyring, *, replace: bool = False) -> None:
    """Write the key file at `path`, mode 0600 from its first byte.

    A new file is refused if one exists (`replace=False`); a replacement is written beside
    it and moved into place, so a crash never leaves half a key file.
    """
    text = keyring.to_toml().encode("utf-8")
    if not replace:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
        except FileExistsError:
            raise ConfigurationError(f"the key file {path} exists already") from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        return
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def development_key_file(database_path: Path) -> Path:
    """Where development keeps the key of a SQLite file: beside it, `<name>.keys`."""
    return database_path.with_name(database_path.name + ".keys")


def development_keyring(database_path: Path) -> Keyring:
    """The development keyring of a SQLite database file, made (0600) on first use."""
    path = development_key_file(database_path)
    if path.exists():
        return read_key_file(path)
    keyring = Keyring.generate(source=str(path))
    try:
        write_key_file(path, keyring)
    except ConfigurationError:  # another process made it first
        return read_key_file(path)
    log.warning(
        "created the encryption key file %s (mode 0600); back it up apart from the "
        "database, which cannot be read without it",
        path,
    )
    return keyring


# --- which keyring an engine uses ------------------------------------------------------------

_lock = threading.Lock()
_configured: list[_Source] = []
_ephemeral: list[Keyring] = []
_by_dialect: weakref.WeakKeyDictionary[Any, Keyring | Callable[[], Keyring]] = (
    weakref.WeakKeyDictionary()
)


class _Source:
    """A keyring, or the function that reads it, read once when first needed."""

    def __init__(self, given: Keyring | Callable[[], Keyring | None] | None) -> None:
        self._given = given
        self.stops = given is None
        self._read = False
        self._keyring: Keyring | None = None

    def get(self) -> Keyring | None:
        if self._given is None or isinstance(self._given, Keyring):
            return self._given
        if not self._read:
            self._keyring = self._given()
            self._read = True
        return self._keyring


@contextmanager
def configured(keyring: Keyring | Callable[[], Keyring | None] | None) -> Iterator[None]:
    """Use `keyring` for every engine made inside the block that is given none (the CLI sets
    the keys its settings name; tests set fixed ones). A function is called when keys are
    first needed (a command that opens no database never reads the key file); None, or a
    function that returns None, changes nothing."""
    if keyring is None:
        yield
        return
    source = _Source(keyring)
    with _lock:
        _configured.append(source)
    try:
        yield
    finally:
        with _lock:
            _configured.remove(source)


@contextmanager
def unconfigured() -> Iterator[None]:
    """Inside the block no configured keys apply: engines find their development keys."""
    source = _Source(None)
    with _lock:
        _configured.append(source)
    try:
        yield
    finally:
        with _lock:
            _configured.remove(source)


def configured_keyring() -> Keyring | None:
    """The keyring set by the innermost `configured` block that names one, if any (none
    past an `unconfigured` block)."""
    with _lock:
        sources = list(reversed(_configured))
    for source in sources:
        if source.stops:
            return None
        found = source.get()
        if found is not None:
            return found
    return None


NO_POSTGRES_KEYS = (
    "no encryption keys for the PostgreSQL database, so no caller's details could be stored "
    "or read: make a key file with `frontdesk keys generate FILE` and set "
    "FRONTDESK_KEY_FILE=FILE (or set FRONTDESK_ENCRYPTION_KEYS and FRONTDESK_BLIND_INDEX_KEY "
    "to what `frontdesk keys generate --env` prints); keep the keys apart from the database "
    "backups"
)


def keyring_for_database(backend: str, database: str | None) -> Keyring:
    """The keyring for a database when none was given: the configured one, else in
    development the key file beside a SQLite file (made on first use), a per-process key
    for an in-memory database; a PostgreSQL database needs configured keys."""
    chosen = configured_keyring()
    if chosen is not None:
        return chosen
    if backend == "sqlite":
        if database in (None, "", ":memory:"):
            with _lock:
                if not _ephemeral:
                    _ephemeral.append(Keyring.generate(source="an in-memory database's key"))
                return _ephemeral[0]
        return development_keyring(Path(str(database)))
    raise ConfigurationError(NO_POSTGRES_KEYS)


def attach(engine: Any, keyring: Keyring | Callable[[], Keyring]) -> None:
    """Make `keyring` the one the encrypted columns of `engine` use (a function: called at
    first use)."""
    _by_dialect[engine.dialect] = keyring


def keyring_of(dialect: Any) -> Keyring:
    """The keyring attached to an engine, found through its dialect."""
    try:
        found = _by_dialect[dialect]
    except KeyError:
        raise EncryptionKeyError(
            "this database engine has no encryption keys (make it with make_engine)"
        ) from None
    if isinstance(found, Keyring):
        return found
    with _lock:
        current = _by_dialect[dialect]
        if isinstance(current, Keyring):
            return current
    resolved = found()
    _by_dialect[dialect] = resolved
    return resolved
