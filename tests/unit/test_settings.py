"""Settings refuse what cannot be run safely: malformed secrets and URLs, insecure production."""

from __future__ import annotations

from typing import Any

import pytest

from frontdesk.config import Settings
from frontdesk.domain.errors import ConfigurationError

TOKEN = "0123456789abcdef0123456789abcdef"  # 32 characters, like a Twilio auth token
PRODUCTION: dict[str, Any] = {
    "environment": "production",
    "twilio_auth_token": TOKEN,
    "twilio_account_sid": "AC" + "0" * 32,
    "notifier": "twilio",
    "key_file": "/etc/frontdesk/frontdesk.keys",
}


def test_complete_production_settings_are_accepted() -> None:
    """Production with a full Twilio token, a long API token and an https URL starts."""
    settings = Settings(
        **PRODUCTION, api_token="k" * 40, public_url="https://frontdesk.example.org/"
    )
    assert settings.public_url == "https://frontdesk.example.org/"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"key_file": None}, "production needs encryption keys"),
        ({"encryption_keys": "k1:AAAA"}, "set together"),
        (
            {"encryption_keys": "k1:AAAA", "blind_index_key": "AAAA"},
            "FRONTDESK_KEY_FILE or FRONTDESK_ENCRYPTION_KEYS, not both",
        ),
    ],
)
def test_production_needs_encryption_keys_from_one_place(
    values: dict[str, Any], named: str
) -> None:
    """Production refuses to start without encryption keys, or with keys named twice."""
    with pytest.raises(ConfigurationError, match=named):
        Settings(**{**PRODUCTION, **values})


@pytest.mark.parametrize("environment", ["development", "test", "production"])
@pytest.mark.parametrize("name", ["twilio_auth_token", "api_token"])
@pytest.mark.parametrize("value", ["   ", "\t", f" {TOKEN}", f"{TOKEN}\n"])
def test_blank_or_padded_tokens_are_refused_everywhere(
    environment: str, name: str, value: str
) -> None:
    """A token that is only spaces, or has spaces around it, is refused in every environment."""
    values = {**PRODUCTION, "environment": environment, name: value}
    with pytest.raises(ConfigurationError, match=name.upper()):
        Settings(**values)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"twilio_auth_token": None}, "FRONTDESK_TWILIO_AUTH_TOKEN"),
        ({"twilio_auth_token": "t" * 31}, "FRONTDESK_TWILIO_AUTH_TOKEN"),
        ({"api_token": "x"}, "FRONTDESK_API_TOKEN"),
        ({"api_token": "s" * 31}, "FRONTDESK_API_TOKEN"),
        ({"public_url": "http://frontdesk.example.org"}, "https://"),
        ({"simulator_enabled": True}, "simulator"),
    ],
)
def test_production_refuses_short_secrets_and_plain_http(
    values: dict[str, Any], named: str
) -> None:
    """Production refuses a missing or short Twilio token, a short API token, an http://
    public URL and the simulator, naming what to fix."""
    with pytest.raises(ConfigurationError, match=named):
        Settings(**{**PRODUCTION, **values})


def test_short_tokens_and_plain_http_are_fine_outside_production() -> None:
    """Development keeps short test tokens and a plain-http tunnel URL."""
    settings = Settings(twilio_auth_token="t", api_token="x", public_url="http://127.0.0.1:8000")
    assert settings.api_token is not None


@pytest.mark.parametrize(
    "url", ["frontdesk.example.org", "ftp://frontdesk.example.org", "https://", "https://h/?a=1"]
)
def test_a_public_url_that_is_not_a_base_url_is_refused(url: str) -> None:
    """FRONTDESK_PUBLIC_URL must be an absolute http(s) URL without query or fragment."""
    with pytest.raises(ConfigurationError, match="FRONTDESK_PUBLIC_URL"):
        Settings(public_url=url)


def test_console_hosts_and_second_factor_follow_the_environment() -> None:
    """Outside production loopback names are allowed; in production only the public URL's
    host and the listed ones; production always requires a second factor."""
    development = Settings(allowed_hosts=" Staff.Example.org ,", public_url="http://x.test:8000")
    assert development.hosts == {"staff.example.org", "x.test", "localhost", "127.0.0.1", "::1"}
    assert not development.totp_required
    assert Settings(require_totp=True).totp_required
    production = Settings(**PRODUCTION, public_url="https://frontdesk.example.org")
    assert production.hosts == {"frontdesk.example.org"}
    assert production.totp_required
    assert production.https_only
