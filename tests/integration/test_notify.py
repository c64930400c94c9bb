"""Notifiers against fakes of their providers: Twilio through an injected HTTP client, SMTP
through a small in-process server on loopback."""

from __future__ import annotations

import io
import json
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from typing import Any

import pytest
import requests
from tests.fakes import FakeNotifier
from tests.practice_builders import make_practice
from twilio.http import HttpClient
from twilio.http.response import Response
from urllib3.exceptions import ProtocolError

from frontdesk.adapters.notify import (
    ChannelNotifier,
    ConsoleNotifier,
    SmtpEmailNotifier,
    TwilioCallNotifier,
    TwilioSmsNotifier,
    build_notifier,
)
from frontdesk.config import Settings
from frontdesk.domain.errors import ConfigurationError
from frontdesk.domain.messages import (
    Channel,
    DeliveryFailed,
    FailureKind,
    OutboundMessage,
    Purpose,
)

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
BODY = "Reminder: your appointment with Dana is Tuesday at 3 PM."
SID = "AC" + "0" * 32


def message(channel: Channel = Channel.SMS, to: str = "+15551234567") -> OutboundMessage:
    return OutboundMessage(
        id="m" * 32,
        to=to,
        channel=channel,
        purpose=Purpose.REMINDER,
        body=BODY,
        created_at=NOW,
        send_after=NOW,
        updated_at=NOW,
    )


# --- console -------------------------------------------------------------------------------


def test_console_prints_a_masked_summary_without_the_body() -> None:
    """The demo notifier names channel, masked recipient, purpose and length, never words."""
    out = io.StringIO()
    provider_id = ConsoleNotifier(out).send(message())
    line = out.getvalue()
    assert line == f"sms to ********4567: reminder, {len(BODY)} chars (id {'m' * 32})\n"
    assert "Dana" not in line
    assert provider_id == f"console-{'m' * 32}"


# --- Twilio --------------------------------------------------------------------------------


class FakeTwilioHttp(HttpClient):
    """Answers Twilio REST calls with canned responses and records every request."""

    def __init__(self, responses: list[Response | Exception]) -> None:
        super().__init__(logger=None, is_async=False)  # type: ignore[arg-type]
        self.requests: list[dict[str, Any]] = []
        self._responses = responses

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        self.requests.append({"method": method, "uri": uri, "data": data, "auth": auth})
        answer = self._responses.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def created(sid: str = "SM" + "1" * 32) -> Response:
    return Response(201, json.dumps({"sid": sid, "status": "queued"}))


def twilio_error(status: int, code: int) -> Response:
    return Response(status, json.dumps({"status": status, "code": code, "message": "refused"}))


def twilio(*responses: Response | Exception) -> tuple[TwilioSmsNotifier, FakeTwilioHttp]:
    http = FakeTwilioHttp(list(responses))
    notifier = TwilioSmsNotifier(
        account_sid=SID, auth_token="token", from_number="+15550001111", http_client=http
    )
    return notifier, http


def test_twilio_posts_the_text_from_the_practice_number() -> None:
    """A text is a POST to the account's Messages resource with To, From and Body; the
    provider id is the message SID."""
    notifier, http = twilio(created())
    assert notifier.send(message()) == "SM" + "1" * 32
    (sent,) = http.requests
    assert sent["method"] == "POST"
    assert sent["uri"].endswith(f"/Accounts/{SID}/Messages.json")
    assert sent["data"] == {"To": "+15551234567", "From": "+15550001111", "Body": BODY}
    assert sent["auth"] == (SID, "token")


def test_twilio_for_practice_sends_from_the_main_number() -> None:
    """Built for a practice, the notifier texts from the practice's main number."""
    practice = make_practice()
    http = FakeTwilioHttp([created()])
    notifier = TwilioSmsNotifier.for_practice(
        account_sid=SID, auth_token="token", phones=practice.phones, http_client=http
    )
    notifier.send(message())
    assert http.requests[0]["data"]["From"] == practice.phones.main


@pytest.mark.parametrize(
    ("response", "kind", "code", "opted_out"),
    [
        (twilio_error(400, 21211), FailureKind.PERMANENT, "twilio_21211", False),
        (twilio_error(400, 21610), FailureKind.PERMANENT, "twilio_21610", True),
        (twilio_error(429, 20429), FailureKind.TRANSIENT, "twilio_20429", False),
        (twilio_error(503, 20503), FailureKind.TRANSIENT, "twilio_20503", False),
        (twilio_error(500, 20500), FailureKind.UNKNOWN, "twilio_20500", False),
    ],
)
def test_twilio_errors_map_to_failure_kinds(
    response: Response, kind: FailureKind, code: str, opted_out: bool
) -> None:
    """Client errors are permanent (21610 means unsubscribed), throttling and unavailability
    transient, other server errors unknown; the error never quotes the number."""
    notifier, _ = twilio(response)
    with pytest.raises(DeliveryFailed) as caught:
        notifier.send(message())
    assert (caught.value.kind, caught.value.code, caught.value.opted_out) == (
        kind,
        code,
        opted_out,
    )
    assert "4567" not in str(caught.value)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), FailureKind.TRANSIENT),
        (requests.exceptions.ConnectionError("name resolution failed"), FailureKind.TRANSIENT),
        (requests.exceptions.ConnectionError(ProtocolError("aborted")), FailureKind.UNKNOWN),
        (requests.exceptions.ReadTimeout("read timed out"), FailureKind.UNKNOWN),
    ],
)
def test_twilio_network_errors_distinguish_never_sent_from_maybe_sent(
    error: Exception, kind: FailureKind
) -> None:
    """A connection never made is retried; a timeout or a dropped reply may have sent."""
    notifier, _ = twilio(error)
    with pytest.raises(DeliveryFailed) as caught:
        notifier.send(message())
    assert caught.value.kind is kind


def test_twilio_refuses_other_channels() -> None:
    """The SMS notifier does not send e-mail."""
    notifier, http = twilio()
    with pytest.raises(DeliveryFailed) as caught:
        notifier.send(message(Channel.EMAIL, "ana@example.org"))
    assert caught.value.kind is FailureKind.PERMANENT
    assert http.requests == []


# --- SMTP ----------------------------------------------------------------------------------


@dataclass
class SmtpBehaviour:
    """How the test server answers, and what it received."""

    rcpt_reply: bytes = b"250 ok"
    data_reply: bytes = b"250 queued"
    drop_after_data: bool = False
    received: list[bytes] = field(default_factory=list)


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: _SmtpServer

    def handle(self) -> None:
        behaviour = self.server.behaviour
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line.split(b" ", 1)[0].strip().upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
            elif verb == b"RCPT":
                self.wfile.write(behaviour.rcpt_reply + b"\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                if behaviour.drop_after_data:
                    return
                if behaviour.data_reply.startswith(b"250"):
                    behaviour.received.append(data)
                self.wfile.write(behaviour.data_reply + b"\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # MAIL, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: SmtpBehaviour) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.behaviour = behaviour


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, SmtpBehaviour]]:
    """A plain SMTP server on a free loopback port, without TLS."""
    behaviour = SmtpBehaviour()
    server = _SmtpServer(behaviour)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1], behaviour
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def smtp(port: int, **options: Any) -> SmtpEmailNotifier:
    return SmtpEmailNotifier(
        host="127.0.0.1",
        port=port,
        sender="desk@maple.example",
        subject="A message from Maple Street Practice",
        timeout=5,
        **options,
    )


def test_smtp_delivers_the_body_with_a_neutral_subject(
    smtp_server: tuple[int, SmtpBehaviour],
) -> None:
    """The e-mail goes to the recipient from the practice address, named by the outbox id."""
    port, behaviour = smtp_server
    provider_id = smtp(port).send(message(Channel.EMAIL, "ana@example.org"))
    (raw,) = behaviour.received
    email = message_from_bytes(raw)
    assert (email["To"], email["From"], email["Subject"]) == (
        "ana@example.org",
        "desk@maple.example",
        "A message from Maple Street Practice",
    )
    assert email.get_payload().strip() == BODY
    assert provider_id == f"smtp:{'m' * 32}"
    assert email["Message-ID"] == f"<{'m' * 32}@maple.example>"


@pytest.mark.parametrize(
    ("setup", "kind"),
    [
        ({"rcpt_reply": b"550 no such user"}, FailureKind.PERMANENT),
        ({"rcpt_reply": b"450 mailbox busy"}, FailureKind.TRANSIENT),
        ({"data_reply": b"554 rejected"}, FailureKind.PERMANENT),
        ({"data_reply": b"451 try later"}, FailureKind.TRANSIENT),
        ({"drop_after_data": True}, FailureKind.UNKNOWN),
    ],
)
def test_smtp_replies_map_to_failure_kinds(
    smtp_server: tuple[int, SmtpBehaviour], setup: dict[str, Any], kind: FailureKind
) -> None:
    """5xx replies are permanent, 4xx transient, and a connection lost after the data was
    sent is unknown (the server may have taken it)."""
    port, behaviour = smtp_server
    for name, value in setup.items():
        setattr(behaviour, name, value)
    with pytest.raises(DeliveryFailed) as caught:
        smtp(port).send(message(Channel.EMAIL, "ana@example.org"))
    assert caught.value.kind is kind
    assert "ana@" not in str(caught.value)


def test_smtp_unreachable_server_is_transient() -> None:
    """Nothing listening means nothing was sent: retry later."""
    probe = socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler)
    port = probe.server_address[1]
    probe.server_close()
    with pytest.raises(DeliveryFailed) as caught:
        smtp(port).send(message(Channel.EMAIL, "ana@example.org"))
    assert caught.value.kind is FailureKind.TRANSIENT


def test_smtp_never_logs_in_without_tls(smtp_server: tuple[int, SmtpBehaviour]) -> None:
    """A server that offers no STARTTLS never sees the password: the send fails for good."""
    port, behaviour = smtp_server
    notifier = smtp(port, username="desk", password="secret")
    with pytest.raises(DeliveryFailed) as caught:
        notifier.send(message(Channel.EMAIL, "ana@example.org"))
    assert (caught.value.kind, caught.value.code) == (
        FailureKind.PERMANENT,
        "smtp_no_tls_for_login",
    )
    assert behaviour.received == []


def test_smtp_refuses_texts(smtp_server: tuple[int, SmtpBehaviour]) -> None:
    """The e-mail notifier does not send texts."""
    port, _ = smtp_server
    with pytest.raises(DeliveryFailed):
        smtp(port).send(message())


# --- routing and settings ------------------------------------------------------------------


def test_channel_notifier_routes_by_channel_and_refuses_unrouted_ones() -> None:
    """Each message goes to its channel's notifier; a channel with none fails permanently."""
    texts, mails = FakeNotifier(), FakeNotifier()
    notifier = ChannelNotifier({Channel.SMS: texts, Channel.EMAIL: mails})
    notifier.send(message())
    notifier.send(message(Channel.EMAIL, "ana@example.org"))
    assert ([m.channel for m in texts.sent], [m.channel for m in mails.sent]) == (
        [Channel.SMS],
        [Channel.EMAIL],
    )
    with pytest.raises(DeliveryFailed) as caught:
        notifier.send(message(Channel.VOICE))
    assert caught.value.code == "channel_unavailable"


def test_console_settings_print_every_channel(capsys: pytest.CaptureFixture[str]) -> None:
    """With the default console notifier, texts, calls and e-mails are all printed."""
    notifier = build_notifier(Settings(), make_practice())
    for channel, to in [
        (Channel.SMS, "+15551234567"),
        (Channel.VOICE, "+15551234567"),
        (Channel.EMAIL, "ana@example.org"),
    ]:
        notifier.send(message(channel, to))
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == [
        "sms",
        "voice",
        "email",
    ]


def test_twilio_settings_need_credentials() -> None:
    """Choosing Twilio without an account SID and token is a configuration error."""
    with pytest.raises(ConfigurationError, match="FRONTDESK_TWILIO_ACCOUNT_SID"):
        build_notifier(Settings(notifier="twilio"), make_practice())  # type: ignore[arg-type]


def test_twilio_places_a_reminder_call_that_speaks_the_message_and_hangs_up() -> None:
    """A phone-call reminder is a POST to the Calls resource from the practice number whose
    TwiML speaks the whole message in the practice's language, then hangs up."""
    http = FakeTwilioHttp([created("CA" + "2" * 32)])
    notifier = TwilioCallNotifier(
        account_sid=SID,
        auth_token="token",
        from_number="+15550001111",
        language="es-US",
        http_client=http,
    )
    assert notifier.send(message(Channel.VOICE)) == "CA" + "2" * 32
    (placed,) = http.requests
    assert placed["uri"].endswith(f"/Accounts/{SID}/Calls.json")
    assert placed["data"]["To"] == "+15551234567"
    assert placed["data"]["From"] == "+15550001111"
    twiml = placed["data"]["Twiml"]
    assert f'<Say language="es-US">{BODY}</Say>' in twiml
    assert twiml.index("</Say>") < twiml.index("<Hangup")


def test_a_refused_reminder_call_is_a_permanent_failure_without_the_number() -> None:
    """Twilio refusing the call (an invalid number) fails it permanently, quoting no number."""
    http = FakeTwilioHttp([twilio_error(400, 21211)])
    notifier = TwilioCallNotifier(
        account_sid=SID, auth_token="token", from_number="+15550001111", http_client=http
    )
    with pytest.raises(DeliveryFailed) as caught:
        notifier.send(message(Channel.VOICE))
    assert caught.value.kind is FailureKind.PERMANENT
    assert "4567" not in str(caught.value)


def test_twilio_settings_deliver_texts_and_calls_and_email_only_with_smtp() -> None:
    """The Twilio notifier delivers texts and reminder calls; e-mail only with an SMTP host."""
    twilio_settings: dict[str, Any] = {
        "notifier": "twilio",
        "twilio_account_sid": SID,
        "twilio_auth_token": "token",
    }
    practice = make_practice()
    assert build_notifier(Settings(**twilio_settings), practice).channels == {
        Channel.SMS,
        Channel.VOICE,
    }
    with_smtp = Settings(**twilio_settings, smtp_host="mail.example.org", smtp_from="d@x.org")
    assert build_notifier(with_smtp, practice).channels == set(Channel)


def test_twilio_settings_route_texts_to_twilio_and_leave_email_unrouted() -> None:
    """With Twilio and no SMTP host, e-mail has no route and fails permanently."""
    settings = Settings(
        notifier="twilio",  # type: ignore[arg-type]
        twilio_account_sid=SID,
        twilio_auth_token="token",  # type: ignore[arg-type]
    )
    notifier = build_notifier(settings, make_practice())
    with pytest.raises(DeliveryFailed) as caught:
        notifier.send(message(Channel.EMAIL, "ana@example.org"))
    assert caught.value.code == "channel_unavailable"


def test_smtp_settings_route_email_to_the_server(
    smtp_server: tuple[int, SmtpBehaviour],
) -> None:
    """With an SMTP host set, e-mail goes to it even under the console notifier."""
    port, behaviour = smtp_server
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="desk@maple.example")
    build_notifier(settings, make_practice()).send(message(Channel.EMAIL, "ana@example.org"))
    assert len(behaviour.received) == 1


@pytest.mark.parametrize(
    "values",
    [
        {"environment": "production", "twilio_auth_token": "t"},
        {"environment": "production", "twilio_auth_token": "t", "notifier": "twilio"},
        {"smtp_username": "desk"},
        {"smtp_host": "mail.example.org"},
        {"quiet_hours_start": "21:00"},
        {"quiet_hours_end": "08:00"},
    ],
)
def test_incomplete_or_insecure_outbox_settings_are_refused(values: dict[str, Any]) -> None:
    """Console delivery in production, Twilio without an account, a login without a
    password, a host without a sender and either removed quiet-hours setting are refused."""
    with pytest.raises(ConfigurationError):
        Settings(**values)


def test_quiet_hours_in_the_environment_are_refused_with_the_practice_file_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """FRONTDESK_QUIET_HOURS_START alone is refused, naming itself and the practice file's
    `reminders.quiet_hours` where quiet hours now live."""
    monkeypatch.setenv("FRONTDESK_QUIET_HOURS_START", "20:00")
    with pytest.raises(ConfigurationError) as caught:
        Settings()
    message = str(caught.value)
    assert "reminders.quiet_hours" in message
    assert "FRONTDESK_QUIET_HOURS_START" in message
    assert "FRONTDESK_QUIET_HOURS_END" not in message
