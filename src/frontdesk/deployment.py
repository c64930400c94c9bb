"""Deployment checks: what `frontdesk doctor` reports, and what production start-up enforces.

`examine(settings, practice_file)` looks at a deployment the way an operator would before
pointing a phone number at it: the settings, the practice file and its script library, the
database, the public URL Twilio calls, the Twilio credentials and whether the notifier can
deliver every reminder channel a call offers. Each finding is `ok`, a `warning` or a
`blocker`; production `serve` and `worker` refuse to start while any blocker stands
(`require_ready`). Findings name settings, files and counts, never caller data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from frontdesk.config import Environment, NotifierKind, Settings
from frontdesk.domain.errors import ConfigurationError, FrontdeskError
from frontdesk.domain.inquiries import ReminderPreference
from frontdesk.domain.messages import Channel
from frontdesk.domain.practice import Practice

# North American numbers 555-0100 to 555-0199 are reserved for fiction (the example
# practice's numbers are among them); no real caller can reach one.
FICTIONAL_NUMBER = re.compile(r"^\+1\d{3}55501\d{2}$")

# How each reminder choice a caller can make is delivered. The call offers every choice
# (`ask_reminder` and `ask_email` are required lines), and a caller who declines texts is
# reminded by phone call, so a deployment must deliver all three.
REMINDER_CHANNELS: dict[ReminderPreference, Channel] = {
    ReminderPreference.SMS: Channel.SMS,
    ReminderPreference.EMAIL: Channel.EMAIL,
    ReminderPreference.CALL: Channel.VOICE,
}

WEBHOOK_PATHS = ("/twilio/voice/incoming", "/twilio/voice/status", "/twilio/sms/incoming")


class Severity(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BLOCKER = "blocker"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing checked: which check, how it stands, and what to do about it."""

    check: str
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class Examination:
    """Every finding of one examination, in the order checked."""

    findings: tuple[Finding, ...]

    @property
    def blockers(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKER)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)


ChannelsOf = Callable[[Settings, Practice], frozenset[Channel]]


def examine(
    settings: Settings, practice_file: Path, *, channels_of: ChannelsOf | None = None
) -> Examination:
    """Check the deployment; `channels_of` says what the notifier delivers (tests give one)."""
    findings = list(_settings(settings))
    practice: Practice | None = None
    try:
        practice = _load(practice_file)
    except FrontdeskError as exc:
        findings.append(Finding("practice", Severity.BLOCKER, str(exc)))
    if practice is not None:
        findings.append(
            Finding(
                "practice",
                Severity.OK,
                f"{practice_file}: {practice.name}, {len(practice.clinicians)} clinicians",
            )
        )
        findings.extend(_scripts(settings, practice))
        findings.extend(_phones(settings, practice))
        findings.extend(_notifier(settings, practice, channels_of or notifier_channels))
    encryption = list(_encryption(settings))
    findings.extend(encryption)
    database = list(_database(settings))
    findings.extend(database)
    if not any(f.severity is Severity.BLOCKER for f in database):
        if not any(f.severity is Severity.BLOCKER for f in encryption):
            findings.extend(_stored_values(settings))
        findings.extend(_staff(settings))
    if practice is not None and not any(f.severity is Severity.BLOCKER for f in database):
        findings.extend(_script_approvals(settings, practice_file, practice))
    findings.extend(_public_url(settings))
    findings.extend(_twilio(settings))
    return Examination(tuple(findings))


def require_ready(settings: Settings, practice_file: Path) -> None:
    """In production, raise `ConfigurationError` naming every blocker; elsewhere do nothing."""
    if settings.environment is not Environment.PRODUCTION:
        return
    blockers = examine(settings, practice_file).blockers
    if blockers:
        listed = "; ".join(f"{b.check}: {b.message}" for b in blockers)
        raise ConfigurationError(
            f"production start refused ({len(blockers)} blocker(s), see `frontdesk doctor`): "
            f"{listed}"
        )


def notifier_channels(settings: Settings, practice: Practice) -> frozenset[Channel]:
    """The channels the configured notifier delivers (it is built, nothing is sent)."""
    from frontdesk.adapters.notify import build_notifier

    return build_notifier(settings, practice).channels


def _production_or_warning(settings: Settings) -> Severity:
    production = settings.environment is Environment.PRODUCTION
    return Severity.BLOCKER if production else Severity.WARNING


def _settings(settings: Settings) -> Iterator[Finding]:
    yield Finding(
        "settings",
        Severity.OK,
        f"environment {settings.environment.value}, notifier {settings.notifier.value}",
    )
    if settings.environment is not Environment.PRODUCTION:
        yield Finding(
            "settings",
            Severity.WARNING,
            "not production: FRONTDESK_ENVIRONMENT=production applies every refusal below",
        )


def _load(practice_file: Path) -> Practice:
    from frontdesk.adapters.practice_file import load_practice
    from frontdesk.conversation.lines import require_engine_lines

    practice = load_practice(practice_file)
    require_engine_lines(practice.scripts)
    return practice


def _scripts(settings: Settings, practice: Practice) -> Iterator[Finding]:
    from frontdesk.conversation.lines import describe_unknown, unknown_lines

    unknown = unknown_lines(practice.scripts)
    if unknown:
        yield Finding("scripts", Severity.WARNING, describe_unknown(unknown))
    if practice.scripts.reviewed:
        yield Finding("scripts", Severity.OK, "the script library is marked reviewed")
        return
    message = (
        "the script library is not reviewed: have the clinical lead approve every line, then "
        "set reviewed: true"
    )
    if settings.allow_unreviewed_scripts:
        yield Finding(
            "scripts",
            Severity.WARNING,
            f"{message} (allowed by FRONTDESK_ALLOW_UNREVIEWED_SCRIPTS)",
        )
    else:
        yield Finding("scripts", _production_or_warning(settings), message)


def _script_approvals(
    settings: Settings, practice_file: Path, practice: Practice
) -> Iterator[Finding]:
    """Lines whose text differs from what was approved on the console's Scripts page.

    A library never reviewed in the console is taken at its file's word (`reviewed`); once
    it has been, `reviewed: true` must mean every line is approved as it now reads.
    """
    from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
    from frontdesk.adapters.practice_file import script_library_path
    from frontdesk.services.script_review import stale_lines

    path = script_library_path(practice_file)
    if path is None:
        return
    engine = make_engine(settings.database_url)
    try:
        stale = stale_lines(path=path, uow=SqlAlchemyUnitOfWork(make_session_factory(engine)))
    finally:
        engine.dispose()
    if not stale:
        return
    shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
    if practice.scripts.reviewed:
        yield Finding(
            "scripts",
            _production_or_warning(settings),
            f"the script library is marked reviewed but {len(stale)} line(s) differ from what "
            f"was approved on the Scripts page ({shown}): approve them there",
        )
    else:
        yield Finding(
            "scripts",
            Severity.WARNING,
            f"{len(stale)} script line(s) wait for approval on the Scripts page ({shown})",
        )


def _phones(settings: Settings, practice: Practice) -> Iterator[Finding]:
    phones = {
        "phones.main": practice.phones.main,
        "phones.front_desk": practice.phones.front_desk,
        "phones.on_call": practice.phones.on_call,
    }
    fictional = [
        name for name, number in phones.items() if number and FICTIONAL_NUMBER.match(number)
    ]
    if fictional:
        yield Finding(
            "phones",
            _production_or_warning(settings),
            f"{', '.join(fictional)}: a fictional 555-01xx number (the example practice's); "
            "put the practice's real numbers in the practice file",
        )
    else:
        yield Finding("phones", Severity.OK, "the practice's numbers are not fictional")


def _notifier(settings: Settings, practice: Practice, channels_of: ChannelsOf) -> Iterator[Finding]:
    try:
        delivered = channels_of(settings, practice)
    except FrontdeskError as exc:
        yield Finding("notifier", Severity.BLOCKER, str(exc))
        return
    missing = [
        preference.value
        for preference, channel in REMINDER_CHANNELS.items()
        if channel not in delivered
    ]
    if missing:
        yield Finding(
            "notifier",
            _production_or_warning(settings),
            f"calls offer reminders by {', '.join(missing)} but FRONTDESK_NOTIFIER="
            f"{settings.notifier.value} cannot deliver them"
            + (" (set FRONTDESK_SMTP_HOST for e-mail)" if "email" in missing else ""),
        )
    else:
        yield Finding(
            "notifier", Severity.OK, "every reminder channel a call offers can be delivered"
        )
    if settings.notifier is NotifierKind.CONSOLE:
        yield Finding(
            "notifier",
            _production_or_warning(settings),
            "FRONTDESK_NOTIFIER=console prints messages instead of sending them",
        )


def _staff(settings: Settings) -> Iterator[Finding]:
    """Whether anyone can sign in to the staff console to manage it."""
    from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory

    engine = make_engine(settings.database_url)
    try:
        with SqlAlchemyUnitOfWork(make_session_factory(engine)) as uow:
            admins = uow.staff.count_admins()
    finally:
        engine.dispose()
    if admins:
        yield Finding("staff", Severity.OK, f"{admins} enabled admin account(s)")
    else:
        yield Finding(
            "staff",
            Severity.WARNING,
            "no staff console admin yet: run `frontdesk users add NAME --role admin`",
        )


def _encryption(settings: Settings) -> Iterator[Finding]:
    from frontdesk.adapters.encryption import NO_POSTGRES_KEYS
    from frontdesk.bootstrap import settings_keyring

    try:
        keyring = settings_keyring(settings)
    except ConfigurationError as exc:
        yield Finding("encryption", Severity.BLOCKER, str(exc))
        return
    if keyring is None and _backend(settings.database_url) == "postgresql":
        yield Finding("encryption", Severity.BLOCKER, NO_POSTGRES_KEYS)
        return
    if keyring is None:
        yield Finding(
            "encryption",
            _production_or_warning(settings),
            "no encryption keys are set (FRONTDESK_KEY_FILE): development keeps a key file "
            "beside the SQLite database, made on first use",
        )
        return
    yield Finding(
        "encryption",
        Severity.OK,
        f"keys from {keyring.source}: {len(keyring.keys)} key(s), new values sealed with "
        f"{keyring.encrypt_id}",
    )
    if settings.key_file is not None:
        mode = settings.key_file.stat().st_mode & 0o777
        if mode & 0o077:
            yield Finding(
                "encryption",
                _production_or_warning(settings),
                f"{settings.key_file} is readable by others (mode {mode:04o}): chmod 600 it",
            )


def _stored_values(settings: Settings) -> Iterator[Finding]:
    """Whether the keys open what the database holds (as `serve` and `worker` check at start).

    A SQLite database whose development key file does not exist yet is not probed: probing
    would make the file, and `serve` makes it at start."""
    from frontdesk.adapters.db import make_engine
    from frontdesk.adapters.db.key_check import require_usable_keys
    from frontdesk.adapters.encryption import configured_keyring, development_key_file
    from frontdesk.bootstrap import settings_keyring

    path = _sqlite_file(settings.database_url)
    try:
        keyring = settings_keyring(settings)
        if (
            keyring is None
            and configured_keyring() is None
            and path is not None
            and not development_key_file(path).exists()
        ):
            return
        engine = make_engine(settings.database_url, keyring=keyring)
    except FrontdeskError:
        return  # the encryption or database finding already names it
    try:
        require_usable_keys(engine)
    except ConfigurationError as exc:
        yield Finding("encryption", Severity.BLOCKER, str(exc))
        return
    finally:
        engine.dispose()
    yield Finding("encryption", Severity.OK, "the keys open the values the database holds")


def _database(settings: Settings) -> Iterator[Finding]:
    from sqlalchemy.exc import SQLAlchemyError

    from frontdesk.adapters.db import make_engine
    from frontdesk.adapters.db.schema import require_current_schema

    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None:
        # Opening it would create an empty file: report it instead, and leave no trace.
        yield Finding(
            "database",
            Severity.BLOCKER,
            f"sqlite: {missing} does not exist: run `frontdesk migrate` (or `frontdesk init`)",
        )
        return
    try:
        engine = make_engine(settings.database_url)
    except FrontdeskError as exc:
        yield Finding("database", Severity.BLOCKER, str(exc))
        return
    backend = engine.dialect.name
    try:
        require_current_schema(engine)
    except ConfigurationError as exc:
        yield Finding("database", Severity.BLOCKER, str(exc))
        return
    except SQLAlchemyError as exc:
        reason = type(getattr(exc, "orig", None) or exc).__name__
        yield Finding(
            "database",
            Severity.BLOCKER,
            f"{backend}: cannot connect to FRONTDESK_DATABASE_URL ({reason})",
        )
        return
    finally:
        engine.dispose()
    yield Finding("database", Severity.OK, f"{backend}: reachable, at the newest schema")
    if backend == "sqlite":
        yield Finding(
            "database",
            Severity.OK,
            "SQLite serves one machine; use PostgreSQL for several web processes or workers",
        )


def _missing_sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite URL when it does not exist yet, else None."""
    path = _sqlite_file(database_url)
    return None if path is None or path.exists() else path


def _sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite URL, else None (PostgreSQL, or an in-memory database)."""
    from sqlalchemy.engine import make_url

    from frontdesk.adapters.db.engine import normalise_url

    parsed = make_url(normalise_url(database_url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _backend(database_url: str) -> str:
    """The database a URL names (`sqlite`, `postgresql`, or another that is refused)."""
    from sqlalchemy.engine import make_url

    from frontdesk.adapters.db.engine import normalise_url

    return str(make_url(normalise_url(database_url)).get_backend_name())


def _public_url(settings: Settings) -> Iterator[Finding]:
    if settings.public_url is None:
        yield Finding(
            "public_url",
            _production_or_warning(settings),
            "FRONTDESK_PUBLIC_URL is not set: behind a TLS proxy the signature Twilio made for "
            "the https URL cannot be checked",
        )
        return
    base = settings.public_url.rstrip("/")
    severity = Severity.OK
    if not base.startswith("https://"):
        severity = _production_or_warning(settings)
    yield Finding(
        "public_url",
        severity,
        "Twilio webhooks: " + ", ".join(f"{base}{path}" for path in WEBHOOK_PATHS),
    )


def _twilio(settings: Settings) -> Iterator[Finding]:
    if settings.twilio_auth_token is None:
        yield Finding(
            "twilio",
            _production_or_warning(settings),
            "FRONTDESK_TWILIO_AUTH_TOKEN is not set: every webhook is refused",
        )
    else:
        yield Finding("twilio", Severity.OK, "auth token set: webhook signatures are checked")
    sid = settings.twilio_account_sid
    if settings.notifier is NotifierKind.TWILIO and not sid:
        yield Finding(
            "twilio",
            Severity.BLOCKER,
            "FRONTDESK_TWILIO_ACCOUNT_SID is needed to send through Twilio",
        )
    elif sid is not None and not re.fullmatch(r"AC[0-9a-f]{32}", sid):
        yield Finding(
            "twilio",
            Severity.WARNING,
            "FRONTDESK_TWILIO_ACCOUNT_SID does not look like an account SID (AC + 32 hex digits)",
        )
