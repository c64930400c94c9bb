"""The one error tree. Raised in the core, translated once at each edge.

    FrontdeskError
    ├── ConfigurationError        settings that cannot run (e.g. insecure defaults in production)
    │   ├── LexiconError          the safety lexicon's data files are missing or malformed
    │   └── EncryptionKeyError    a stored value does not decrypt with the configured keys
    ├── PracticeFileError         a practice file that does not validate (names field and line)
    ├── ScriptError               an unknown script line or a missing placeholder
    ├── InvalidInput              caller- or staff-supplied values that make no sense
    ├── NotFound                  an id that names nothing
    ├── Conflict                  the world changed underneath the request
    │   └── SlotUnavailable       the slot was booked by someone else first
    ├── NotPermitted              the caller is not verified for what they ask
    │   └── SignInRefused         wrong credentials, a disabled account, or a lockout
    └── DatasetError              an evaluation data set is missing or malformed

Messages never carry protected health information: ids and field names only.
"""

from __future__ import annotations

from datetime import datetime


class FrontdeskError(Exception):
    """Base of every error Frontdesk raises on purpose."""


class ConfigurationError(FrontdeskError):
    """Settings that Frontdesk refuses to run with."""


class LexiconError(ConfigurationError):
    """The safety lexicon's data files are missing or malformed (the screen fails closed)."""


class EncryptionKeyError(ConfigurationError):
    """A stored value names a key the keyring lacks, or does not decrypt with it (a wrong
    key, or an altered value); the message names the column and key id, never the value."""


class PracticeFileError(FrontdeskError):
    """A practice file that cannot be loaded; the message names the field and line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


class ScriptError(FrontdeskError):
    """An unknown script line id or a placeholder without a value."""


class InvalidInput(FrontdeskError):
    """A value supplied from outside that cannot be used."""


class NotFound(FrontdeskError):
    """An id that names no record."""


class Conflict(FrontdeskError):
    """The state changed underneath the request; nothing was written."""


class SlotUnavailable(Conflict):
    """The requested slot is no longer free."""


class NotPermitted(FrontdeskError):
    """The caller is not verified for the requested action."""


class SignInRefused(NotPermitted):
    """A sign-in that did not succeed; `locked_until` is set while a lockout lasts.

    The message is the same whether the username, the password or the code was wrong.
    """

    def __init__(self, message: str, *, locked_until: datetime | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


class DatasetError(FrontdeskError):
    """An evaluation data set is missing or malformed."""
