"""Settings: the one reader of the environment.

Every setting is read from a `FRONTDESK_`-prefixed environment variable once, when
`Settings()` is built by an entry point; nothing is read at import time.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from frontdesk.domain.errors import ConfigurationError


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


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

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            if self.twilio_auth_token is None or not self.twilio_auth_token.get_secret_value():
                raise ConfigurationError(
                    "FRONTDESK_TWILIO_AUTH_TOKEN must be set when FRONTDESK_ENVIRONMENT=production"
                )
            if self.simulator_enabled:
                raise ConfigurationError(
                    "the browser simulator cannot be enabled when FRONTDESK_ENVIRONMENT=production"
                )
        return self
