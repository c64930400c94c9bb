"""Settings: the one reader of the environment.

Every setting is read from a `FRONTDESK_`-prefixed environment variable once, when
`Settings()` is built by an entry point; nothing is read at import time.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from frontdesk.domain.errors import ConfigurationError

# Twilio's auth tokens are 32 characters; the API token must be at least as long (random).
MINIMUM_SECRET_LENGTH = 32


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class NotifierKind(StrEnum):
    """How the outbox worker delivers texts: printed (demo) or through Twilio."""

    CONSOLE = "console"
    TWILIO = "twilio"


class Settings(BaseSettings):
    """Typed configuration for every entry point."""

    model_config = SettingsConfigDict(env_prefix="FRONTDESK_", extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite:///frontdesk.db"
    practice_file: Path | None = None
    datasets_dir: Path = Path("../shared/datasets")
    log_level: str = "INFO"

    twilio_auth_token: SecretStr | None = None
    twilio_account_sid: str | None = None
    public_url: str | None = None
    simulator_enabled: bool = False

    # Outbox worker (`frontdesk worker`): delivery and e-mail. Quiet hours are the
    # practice's policy and live in its practice file (`reminders.quiet_hours`).
    notifier: NotifierKind = NotifierKind.CONSOLE
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    voice_turn_budget_seconds: float = 8.0  # longer and the caller hears a safe prompt
    api_token: SecretStr | None = None  # bearer token for /api; unset: loopback only
    # The staff console. Hosts the application answers to (comma-separated host names,
    # matched exactly); the public URL's host is always one, and outside production
    # localhost too. Production without either refuses every request (`frontdesk doctor`
    # reports the missing public URL).
    allowed_hosts: str = ""
    # Addresses whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated,
    # or * when only a proxy can reach the server): the source address that lockout and
    # the audit log record, and https, which the console requires in production.
    trusted_proxies: str = "127.0.0.1"
    session_idle_seconds: int = Field(default=15 * 60, ge=1)
    session_lifetime_hours: float = Field(default=12.0, gt=0)
    # A second factor is always required in production; this requires it elsewhere too.
    require_totp: bool = False
    # Staging only: let production settings serve a script library not yet reviewed.
    allow_unreviewed_scripts: bool = False

    # Field encryption (docs/encryption.md): a key file, or the keys themselves. Unset in
    # development, a SQLite database gets a key file beside it on first use.
    key_file: Path | None = None
    encryption_keys: SecretStr | None = None  # `id:base64,…`, the first encrypts
    blind_index_key: SecretStr | None = None  # base64, with encryption_keys

    # Removed: declared only so that a deployment still setting them is refused rather
    # than silently ignored; never read.
    quiet_hours_start: str | None = Field(default=None, exclude=True, repr=False)
    quiet_hours_end: str | None = Field(default=None, exclude=True, repr=False)

    @model_validator(mode="after")
    def _refuse_malformed_secrets_and_urls(self) -> Settings:
        for name, secret in (
            ("FRONTDESK_TWILIO_AUTH_TOKEN", self.twilio_auth_token),
            ("FRONTDESK_API_TOKEN", self.api_token),
        ):
            value = secret.get_secret_value() if secret is not None else None
            if value is not None and value != value.strip():
                # A blank token would check signatures made with a blank key; a padded one
                # is a copy-and-paste slip that would refuse every genuine request.
                problem = "is blank" if not value.strip() else "has spaces around it"
                raise ConfigurationError(f"{name} {problem}: set the token exactly, or unset it")
        if self.public_url is not None:
            parts = urlsplit(self.public_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigurationError(
                    "FRONTDESK_PUBLIC_URL must be an absolute URL such as "
                    "https://frontdesk.example.org"
                )
            if parts.query or parts.fragment:
                raise ConfigurationError(
                    "FRONTDESK_PUBLIC_URL must be a base URL, without a query or fragment"
                )
        return self

    @property
    def hosts(self) -> frozenset[str]:
        """The host names the application answers to (the `Host` header's, lower-case)."""
        names = {h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip()}
        if self.public_url:
            names.add((urlsplit(self.public_url).hostname or "").lower())
        if self.environment is not Environment.PRODUCTION:
            names |= {"localhost", "127.0.0.1", "::1"}
        return frozenset(names - {""})

    @property
    def totp_required(self) -> bool:
        """Whether every staff user must sign in with a second factor."""
        return self.require_totp or self.environment is Environment.PRODUCTION

    @property
    def https_only(self) -> bool:
        """Production serves the console over HTTPS only, with `Secure` cookies."""
        return self.environment is Environment.PRODUCTION

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.environment is not Environment.PRODUCTION:
            return self
        token = self.twilio_auth_token.get_secret_value() if self.twilio_auth_token else ""
        if not token:
            raise ConfigurationError(
                "FRONTDESK_TWILIO_AUTH_TOKEN must be set when FRONTDESK_ENVIRONMENT=production"
            )
        if len(token) < MINIMUM_SECRET_LENGTH:
            raise ConfigurationError(
                f"FRONTDESK_TWILIO_AUTH_TOKEN is shorter than {MINIMUM_SECRET_LENGTH} "
                "characters: copy the whole auth token from the Twilio account"
            )
        if self.api_token is not None and len(self.api_token.get_secret_value()) < (
            MINIMUM_SECRET_LENGTH
        ):
            raise ConfigurationError(
                f"FRONTDESK_API_TOKEN must be at least {MINIMUM_SECRET_LENGTH} random "
                "characters in production (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`)"
            )
        if self.public_url is not None and urlsplit(self.public_url).scheme != "https":
            raise ConfigurationError(
                "FRONTDESK_PUBLIC_URL must start with https:// in production: Twilio's "
                "requests carry caller words and numbers"
            )
        if self.simulator_enabled:
            raise ConfigurationError(
                "the browser simulator cannot be enabled when FRONTDESK_ENVIRONMENT=production"
            )
        return self

    @model_validator(mode="after")
    def _refuse_removed_quiet_hours(self) -> Settings:
        removed = sorted(
            f"FRONTDESK_{name.upper()}"
            for name in self.model_fields_set & {"quiet_hours_start", "quiet_hours_end"}
        )
        if removed:
            raise ConfigurationError(
                "quiet hours now live in the practice file's reminders.quiet_hours "
                '(for example "21:00-08:00", or null for none), not in the environment: '
                f"unset {' and '.join(removed)}"
            )
        return self

    @model_validator(mode="after")
    def _check_outbox(self) -> Settings:
        if self.smtp_username and not (
            self.smtp_password and self.smtp_password.get_secret_value()
        ):
            raise ConfigurationError(
                "FRONTDESK_SMTP_PASSWORD must be set with FRONTDESK_SMTP_USERNAME"
            )
        if self.smtp_host and not self.smtp_from:
            raise ConfigurationError("FRONTDESK_SMTP_FROM must be set with FRONTDESK_SMTP_HOST")
        if self.environment is Environment.PRODUCTION:
            if self.notifier is NotifierKind.CONSOLE:
                raise ConfigurationError(
                    "FRONTDESK_NOTIFIER=console only prints messages: use twilio in production"
                )
            if self.notifier is NotifierKind.TWILIO and not self.twilio_account_sid:
                raise ConfigurationError(
                    "FRONTDESK_TWILIO_ACCOUNT_SID must be set when FRONTDESK_NOTIFIER=twilio"
                )
        return self

    @model_validator(mode="after")
    def _check_encryption_keys(self) -> Settings:
        given = (self.encryption_keys is not None, self.blind_index_key is not None)
        if any(given) and not all(given):
            raise ConfigurationError(
                "FRONTDESK_ENCRYPTION_KEYS and FRONTDESK_BLIND_INDEX_KEY are set together"
            )
        if all(given) and self.key_file is not None:
            raise ConfigurationError(
                "set FRONTDESK_KEY_FILE or FRONTDESK_ENCRYPTION_KEYS, not both"
            )
        if self.environment is Environment.PRODUCTION and not (all(given) or self.key_file):
            raise ConfigurationError(
                "production needs encryption keys: set FRONTDESK_KEY_FILE (made by "
                "`frontdesk keys generate FILE`) or FRONTDESK_ENCRYPTION_KEYS and "
                "FRONTDESK_BLIND_INDEX_KEY"
            )
        return self
