"""Notifiers: the adapters that deliver outbox messages (the `Notifier` port of the worker).

- `ConsoleNotifier` prints a one-line masked summary per message (the demo; no body).
- `TwilioSmsNotifier` sends texts through Twilio's REST API from the practice's number.
- `TwilioCallNotifier` places phone-call reminders from the same number: the approved line
  is spoken, then the call ends.
- `SmtpEmailNotifier` sends e-mail through an SMTP server (STARTTLS when offered).
- `ChannelNotifier` routes each message to the notifier for its channel.
- `build_notifier(settings, practice)` builds the one the settings ask for.

Each maps provider errors to `DeliveryFailed` with a `FailureKind`: `transient` when the
message certainly did not leave (retry later), `permanent` when it never can, and `unknown`
when the provider may have accepted it (the worker then never resends it).
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from collections.abc import Mapping
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, TextIO

from frontdesk.adapters.twilio_voice import Line, Voice, hang_up
from frontdesk.config import NotifierKind, Settings
from frontdesk.domain.errors import ConfigurationError
from frontdesk.domain.messages import (
    Channel,
    DeliveryFailed,
    FailureKind,
    OutboundMessage,
    mask_address,
)
from frontdesk.services.worker import Notifier

if TYPE_CHECKING:
    from frontdesk.domain.practice import PhoneNumbers, Practice

__all__ = [
    "ChannelNotifier",
    "ConsoleNotifier",
    "Notifier",
    "SmtpEmailNotifier",
    "TwilioCallNotifier",
    "TwilioSmsNotifier",
    "build_notifier",
]

TWILIO_TIMEOUT_SECONDS = 15.0
SMTP_TIMEOUT_SECONDS = 30.0

# Twilio REST error codes (https://www.twilio.com/docs/api/errors) that mean the recipient
# has unsubscribed (replied STOP at the carrier).
TWILIO_UNSUBSCRIBED = frozenset({21610})


class ConsoleNotifier:
    """Writes `sms to ********4567: reminder, 98 chars (id …)` per message; never the body."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, message: OutboundMessage) -> str:
        stream = self._stream if self._stream is not None else sys.stdout
        stream.write(
            f"{message.channel.value} to {mask_address(message.to)}: {message.purpose.value}, "
            f"{len(message.body)} chars (id {message.id})\n"
        )
        stream.flush()
        return f"console-{message.id}"


class TwilioSmsNotifier:
    """Texts through Twilio's Messages API from the practice's main number.

    `http_client` is handed to the Twilio `Client` (tests give a fake one; by default the
    library's own client with a timeout).
    """

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        http_client: Any | None = None,
        status_callback: str | None = None,
    ) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        client_http = http_client or TwilioHttpClient(timeout=TWILIO_TIMEOUT_SECONDS)
        self._client = Client(account_sid, auth_token, http_client=client_http)
        self._from = from_number
        self._status_callback = status_callback

    @classmethod
    def for_practice(
        cls, *, account_sid: str, auth_token: str, phones: PhoneNumbers, **options: Any
    ) -> TwilioSmsNotifier:
        return cls(
            account_sid=account_sid, auth_token=auth_token, from_number=phones.main, **options
        )

    def send(self, message: OutboundMessage) -> str:
        if message.channel is not Channel.SMS:
            raise DeliveryFailed("channel_unsupported", FailureKind.PERMANENT)
        from twilio.base.exceptions import TwilioRestException, TwilioServiceException

        options: dict[str, Any] = {"to": message.to, "from_": self._from, "body": message.body}
        if self._status_callback:
            options["status_callback"] = self._status_callback
        try:
            created = self._client.messages.create(**options)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _twilio_failure(int(exc.status), exc.code) from None
        except Exception as exc:
            raise _network_failure(exc) from None
        return str(created.sid)


class TwilioCallNotifier:
    """Phone-call reminders through Twilio's Calls API: the message is spoken with `<Say>`
    in the practice's language, then the call hangs up. A call Twilio accepted counts as
    sent (like a text, its answer is not awaited)."""

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        language: str = "en-US",
        http_client: Any | None = None,
    ) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        client_http = http_client or TwilioHttpClient(timeout=TWILIO_TIMEOUT_SECONDS)
        self._client = Client(account_sid, auth_token, http_client=client_http)
        self._from = from_number
        self._voice = Voice(language=language)

    def send(self, message: OutboundMessage) -> str:
        if message.channel is not Channel.VOICE:
            raise DeliveryFailed("channel_unsupported", FailureKind.PERMANENT)
        from twilio.base.exceptions import TwilioRestException, TwilioServiceException

        twiml = hang_up([Line(message.body, whole=True)], voice=self._voice)
        try:
            created = self._client.calls.create(to=message.to, from_=self._from, twiml=twiml)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _twilio_failure(int(exc.status), exc.code) from None
        except Exception as exc:
            raise _network_failure(exc) from None
        return str(created.sid)


def _twilio_failure(status: int, code: int | None) -> DeliveryFailed:
    """A Twilio REST error as a delivery failure (the exception text may quote the number)."""
    label = f"twilio_{code}" if code else f"twilio_http_{status}"
    if code in TWILIO_UNSUBSCRIBED:
        return DeliveryFailed(label, FailureKind.PERMANENT, opted_out=True)
    if status == 429 or status == 503:
        return DeliveryFailed(label, FailureKind.TRANSIENT)
    if 400 <= status < 500:
        return DeliveryFailed(label, FailureKind.PERMANENT)
    # Other server errors can come after the message was accepted.
    return DeliveryFailed(label, FailureKind.UNKNOWN)


def _network_failure(exc: Exception) -> DeliveryFailed:
    """A transport error: a connection never made cannot have sent anything; a timeout or a
    connection dropped after the request went out may have."""
    import requests
    from urllib3.exceptions import ProtocolError

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return DeliveryFailed("twilio_unreachable", FailureKind.TRANSIENT)
    if isinstance(exc, requests.exceptions.ConnectionError) and not any(
        isinstance(arg, ProtocolError | OSError) for arg in exc.args
    ):
        return DeliveryFailed("twilio_unreachable", FailureKind.TRANSIENT)
    if isinstance(exc, requests.exceptions.RequestException):
        return DeliveryFailed("twilio_no_response", FailureKind.UNKNOWN)
    raise exc


class SmtpEmailNotifier:
    """E-mail through SMTP: implicit TLS on port 465, else STARTTLS whenever the server
    offers it. Credentials are never sent over a connection without TLS. The provider id
    is `smtp:<message id>`; the e-mail's Message-ID carries the same id."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        subject: str,
        username: str | None = None,
        password: str | None = None,
        tls_context: ssl.SSLContext | None = None,
        timeout: float = SMTP_TIMEOUT_SECONDS,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._subject = subject
        self._username = username
        self._password = password
        self._tls = tls_context
        self._timeout = timeout

    def send(self, message: OutboundMessage) -> str:
        if message.channel is not Channel.EMAIL:
            raise DeliveryFailed("channel_unsupported", FailureKind.PERMANENT)
        email = EmailMessage()
        email["From"] = self._sender
        email["To"] = message.to
        email["Subject"] = self._subject
        # The outbox id names the e-mail, so staff can find it in the mail server's log.
        domain = self._sender.rpartition("@")[2] or "frontdesk.invalid"
        email["Message-ID"] = f"<{message.id}@{domain}>"
        email.set_content(message.body)
        try:
            smtp = self._connect()
        except smtplib.SMTPAuthenticationError:
            raise DeliveryFailed("smtp_auth", FailureKind.PERMANENT) from None
        except DeliveryFailed:
            raise
        except (smtplib.SMTPException, OSError):
            raise DeliveryFailed("smtp_unreachable", FailureKind.TRANSIENT) from None
        try:
            with smtp:
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise _smtp_failure("smtp_recipient_refused", min(codes, default=550)) from None
        except smtplib.SMTPSenderRefused as exc:
            raise _smtp_failure("smtp_sender_refused", exc.smtp_code) from None
        except smtplib.SMTPDataError as exc:
            raise _smtp_failure("smtp_data_refused", exc.smtp_code) from None
        except (smtplib.SMTPException, OSError):
            # Dropped while the message was in flight: the server may have taken it.
            raise DeliveryFailed("smtp_no_response", FailureKind.UNKNOWN) from None
        return f"smtp:{message.id}"

    def _connect(self) -> smtplib.SMTP:
        context = self._tls or ssl.create_default_context()
        smtp: smtplib.SMTP
        if self._port == smtplib.SMTP_SSL_PORT:
            smtp = smtplib.SMTP_SSL(self._host, self._port, timeout=self._timeout, context=context)
        else:
            smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        try:
            secure = self._port == smtplib.SMTP_SSL_PORT
            if not secure:
                smtp.ehlo()
                secure = smtp.has_extn("starttls")
                if secure:
                    smtp.starttls(context=context)
                    smtp.ehlo()
            if self._username:
                if not secure:
                    raise DeliveryFailed("smtp_no_tls_for_login", FailureKind.PERMANENT)
                smtp.login(self._username, self._password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


def _smtp_failure(label: str, code: int) -> DeliveryFailed:
    """4xx replies are temporary by the SMTP standard; 5xx ones are final."""
    kind = FailureKind.TRANSIENT if 400 <= code < 500 else FailureKind.PERMANENT
    return DeliveryFailed(f"{label}_{code}", kind)


class ChannelNotifier:
    """Routes each message to the notifier for its channel; none is a permanent failure."""

    def __init__(self, routes: Mapping[Channel, Notifier]) -> None:
        self._routes = dict(routes)

    @property
    def channels(self) -> frozenset[Channel]:
        """The channels this notifier can deliver."""
        return frozenset(self._routes)

    def send(self, message: OutboundMessage) -> str:
        notifier = self._routes.get(message.channel)
        if notifier is None:
            raise DeliveryFailed("channel_unavailable", FailureKind.PERMANENT)
        return notifier.send(message)


def build_notifier(settings: Settings, practice: Practice) -> ChannelNotifier:
    """The notifier the settings ask for: `console` prints every channel (e-mail goes to
    SMTP when `smtp_host` is set); `twilio` texts and places reminder calls through Twilio
    and e-mails through SMTP (without `smtp_host` it has no e-mail channel, which
    `frontdesk doctor` reports). Raises `ConfigurationError` when Twilio credentials are
    missing."""
    email: Notifier | None = None
    if settings.smtp_host:
        email = SmtpEmailNotifier(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from or "",
            subject=f"A message from {practice.name}",
            username=settings.smtp_username,
            password=(
                settings.smtp_password.get_secret_value() if settings.smtp_password else None
            ),
        )
    if settings.notifier is NotifierKind.CONSOLE:
        console = ConsoleNotifier()
        return ChannelNotifier(
            {Channel.SMS: console, Channel.VOICE: console, Channel.EMAIL: email or console}
        )
    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else ""
    if not settings.twilio_account_sid or not token:
        raise ConfigurationError(
            "FRONTDESK_TWILIO_ACCOUNT_SID and FRONTDESK_TWILIO_AUTH_TOKEN must be set when "
            "FRONTDESK_NOTIFIER=twilio"
        )
    routes: dict[Channel, Notifier] = {
        Channel.SMS: TwilioSmsNotifier.for_practice(
            account_sid=settings.twilio_account_sid, auth_token=token, phones=practice.phones
        ),
        Channel.VOICE: TwilioCallNotifier(
            account_sid=settings.twilio_account_sid,
            auth_token=token,
            from_number=practice.phones.main,
            language=practice.language,
        ),
    }
    if email is not None:
        routes[Channel.EMAIL] = email
    return ChannelNotifier(routes)
