"""The composition root: `build(settings, **overrides) -> Services`.

The one place that wires adapters to the core: it loads the practice, refuses a script
library missing any line the engine can speak, builds the engine context, the unit-of-work
factory and the clock. Nothing is built at import time; tests pass overrides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.key_check import require_usable_keys
from frontdesk.adapters.encryption import Keyring, parse_environment, read_key_file
from frontdesk.adapters.passwords import Argon2Passwords
from frontdesk.adapters.practice_file import load_practice
from frontdesk.config import Settings
from frontdesk.conversation.engine import EngineContext, vocabulary_of
from frontdesk.conversation.lines import describe_unknown, require_engine_lines, unknown_lines
from frontdesk.conversation.safety import default_lexicon, default_net, screen
from frontdesk.conversation.understanding import understand
from frontdesk.domain.errors import ConfigurationError, LexiconError
from frontdesk.domain.practice import Practice
from frontdesk.services.staff import PasswordHasher
from frontdesk.services.unit_of_work import UnitOfWork

Clock = Callable[[], datetime]

log = logging.getLogger(__name__)

HEALTH_PROBE_ID = "health-check"
"""A call id that names nothing: looking it up proves the database answers."""

SCREEN_PROBE = "hello, I'd like to book a first appointment for my son on Tuesday"
"""A routine sentence: a screen that fails closed (every sentence `crisis`) is seen by it."""


def system_clock() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Services:
    """Everything an entry point needs to run use cases."""

    settings: Settings
    practice: Practice
    engine: EngineContext
    uow: Callable[[], UnitOfWork]
    clock: Clock
    practice_file: Path | None = None  # where the practice came from (None: given in code)
    # Proves the database's encryption keys work (`require_usable_keys` on the engine `build`
    # made); None when the unit of work was given in code without one.
    key_probe: Callable[[], None] | None = None
    # Made on first use: hashing a decoy password takes tens of milliseconds.
    passwords_factory: Callable[[], PasswordHasher] = Argon2Passwords
    _passwords: list[PasswordHasher] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    @property
    def passwords(self) -> PasswordHasher:
        """The password hasher (Argon2id), built once per `Services`."""
        if not self._passwords:
            self._passwords.append(self.passwords_factory())
        return self._passwords[0]

    def check_database(self) -> bool:
        """True once the database answered a read; raises whatever the database raises."""
        with self.uow() as uow:
            uow.calls.get(HEALTH_PROBE_ID)
        return True

    def check_keys(self) -> bool | None:
        """True once the encryption keys sealed, opened and read stored values (raises
        `ConfigurationError` when they cannot); None when there is no probe to run."""
        if self.key_probe is None:
            return None
        self.key_probe()
        return True

    def check_screen(self) -> bool:
        """Whether the safety screen reads a routine sentence as something other than a
        crisis: one whose data cannot be used fails closed, sending every caller to the
        crisis route."""
        return not self.engine.screen(SCREEN_PROBE).route.is_crisis


def engine_context(practice: Practice, **overrides: Any) -> EngineContext:
    """The engine context for a practice, with the real safety screen and understanding."""
    require_engine_lines(practice.scripts)
    values: dict[str, Any] = {
        "practice": practice,
        "vocabulary": vocabulary_of(practice),
        "screen": screen,
        "understand": understand,
    }
    values.update(overrides)
    return EngineContext(**values)


def settings_keyring(settings: Settings) -> Keyring | None:
    """The keyring the settings name (a key file, or the keys in the environment), read
    now; None when they name none (development: a key file beside the SQLite database)."""
    if settings.key_file is not None:
        return read_key_file(settings.key_file)
    if settings.encryption_keys is not None and settings.blind_index_key is not None:
        return parse_environment(
            settings.encryption_keys.get_secret_value(),
            settings.blind_index_key.get_secret_value(),
        )
    return None


def load_safety_data() -> None:
    """Load the safety screen's shipped data (the lexicon and the learned net's weights) now,
    so a broken file stops start-up.

    The screen fails closed on broken data (every sentence becomes `crisis`), which keeps a
    running call safe but must never be how a server or worker starts. Raises
    `LexiconError` (a `ConfigurationError`) naming the file and what is wrong with it.
    """
    try:
        default_lexicon()
        default_net()
    except LexiconError as exc:
        raise LexiconError(f"the safety screen cannot start: {exc}") from exc


def build(settings: Settings, **overrides: Any) -> Services:
    """Wire the real adapters, or the given overrides (`practice`, `uow`, `key_probe`,
    `clock`, `practice_file`, `database_url`, and engine fields such as `understand`).

    With the real screen, its data is loaded first (`load_safety_data`)."""
    if "screen" not in overrides:
        load_safety_data()
    practice = overrides.pop("practice", None)
    path: Path | None = overrides.pop("practice_file", None) or settings.practice_file
    if practice is None:
        if path is None:
            raise ConfigurationError(
                "no practice file: set FRONTDESK_PRACTICE_FILE or pass --practice FILE"
            )
        practice = load_practice(path)
        unknown = unknown_lines(practice.scripts)
        if unknown:
            log.warning("%s", describe_unknown(unknown))
    uow = overrides.pop("uow", None)
    key_probe: Callable[[], None] | None = overrides.pop("key_probe", None)
    database_url: str = overrides.pop("database_url", None) or settings.database_url
    if uow is None:
        database = make_engine(database_url)
        session_factory = make_session_factory(database)

        def uow() -> UnitOfWork:
            return SqlAlchemyUnitOfWork(session_factory)

        def key_probe() -> None:
            require_usable_keys(database)

    clock = overrides.pop("clock", system_clock)
    return Services(
        settings=settings,
        practice=practice,
        engine=engine_context(practice, **overrides),
        uow=uow,
        clock=clock,
        practice_file=path,
        key_probe=key_probe,
    )
