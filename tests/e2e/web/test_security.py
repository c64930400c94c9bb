"""Every Twilio route proves its signature; malformed requests get a clear 4xx; no PHI leaks."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from frontdesk.bootstrap import Services
from frontdesk.entrypoints.web.app import create_app
from frontdesk.entrypoints.web.security import is_valid

from .conftest import BASE, CALLER, TOKEN, TestClient, Twilio
from .test_twilio_voice import INTAKE, SID, next_turn, start

ROUTES = [
    "/twilio/voice/incoming",
    "/twilio/voice/gather?turn=1",
    "/twilio/voice/status",
    "/twilio/voice/dial",
    "/twilio/voice/recording",
    "/twilio/voice/transcription",
    "/twilio/voice/fallback",
    "/twilio/sms/incoming",
]


def nothing_stored(services: Services) -> bool:
    with services.uow() as uow:
        return (
            uow.calls.get_by_external_id(SID) is None
            and uow.handoffs.list_queue() == []
            and uow.events.query() == []
            and uow.messages.list_all() == []
        )


@pytest.mark.parametrize("path", ROUTES)
def test_unsigned_request_is_refused_and_records_nothing(
    twilio: Twilio, services: Services, path: str
) -> None:
    """A request without X-Twilio-Signature gets 403 and stores nothing."""
    fields = {"CallSid": SID, "From": CALLER, "CallStatus": "no-answer", "MessageSid": "SM1"}
    response = twilio.client.post(path, data=fields)
    assert response.status_code == 403
    assert nothing_stored(services)


@pytest.mark.parametrize("path", ROUTES)
def test_forged_request_is_refused_and_records_nothing(
    twilio: Twilio, services: Services, path: str
) -> None:
    """A request signed with another token, or for other fields, gets 403 and stores nothing."""
    fields = {"CallSid": SID, "From": CALLER, "CallStatus": "no-answer", "MessageSid": "SM1"}
    forged = Twilio(twilio.client, token="not-the-token").sign(path, fields)
    assert twilio.post(path, fields, signature=forged).status_code == 403
    tampered = twilio.sign(path, {**fields, "From": "+13125550999"})
    assert twilio.post(path, fields, signature=tampered).status_code == 403
    assert nothing_stored(services)


def test_requests_are_refused_when_no_auth_token_is_configured(services: Services) -> None:
    """Without FRONTDESK_TWILIO_AUTH_TOKEN nothing can be verified, so every webhook is refused."""
    settings = services.settings.model_copy(update={"twilio_auth_token": None})
    with TestClient(create_app(replace(services, settings=settings))) as client:
        twilio = Twilio(client)
        assert twilio.post("/twilio/voice/incoming", {"CallSid": SID}).status_code == 403
    assert nothing_stored(services)


def test_signature_is_checked_against_the_public_url_behind_a_proxy(services: Services) -> None:
    """With FRONTDESK_PUBLIC_URL set, only the signature of the public URL is accepted."""
    public = "https://frontdesk.example.org"
    settings = services.settings.model_copy(update={"public_url": public + "/"})
    with TestClient(create_app(replace(services, settings=settings))) as client:
        twilio = Twilio(client)
        fields = {"CallSid": SID, "From": CALLER}
        path = "/twilio/voice/incoming"
        assert twilio.post(path, fields).status_code == 403  # signed for the inner URL
        assert twilio.post(path, fields, signature=_sign(public + path, fields)).status_code == 200


def _sign(url: str, fields: dict[str, str]) -> str:
    from twilio.request_validator import RequestValidator

    return str(RequestValidator(TOKEN).compute_signature(url, fields))


def test_validator_refuses_empty_signatures_and_tokens() -> None:
    """An empty signature or token never validates."""
    assert not is_valid(BASE, {}, None, TOKEN)
    assert not is_valid(BASE, {}, "", TOKEN)
    assert not is_valid(BASE, {}, _sign(BASE, {}), "")
    assert is_valid(BASE, {}, _sign(BASE, {}), TOKEN)


@pytest.mark.parametrize(
    ("path", "fields", "status"),
    [
        ("/twilio/voice/incoming", {"From": CALLER}, 400),
        ("/twilio/voice/gather?turn=abc", {"CallSid": SID}, 422),
        ("/twilio/voice/gather?turn=0", {"CallSid": SID}, 422),
        ("/twilio/voice/gather", {"CallSid": SID}, 422),
        ("/twilio/voice/gather?turn=1", {"CallSid": SID, "Digits": "12a"}, 400),
        (
            "/twilio/voice/gather?turn=1",
            {"CallSid": SID, "SpeechResult": "hi", "Confidence": "x"},
            400,
        ),
        ("/twilio/voice/gather?turn=1", {"CallSid": "CAunknown", "SpeechResult": "hi"}, 404),
        ("/twilio/voice/status", {"CallSid": SID}, 400),
        ("/twilio/voice/transcription", {"CallSid": SID}, 400),
        ("/twilio/sms/incoming", {"Body": "hello"}, 400),
    ],
)
def test_malformed_requests_get_a_clear_client_error(
    twilio: Twilio, path: str, fields: dict[str, str], status: int
) -> None:
    """Signed requests that lack or garble fields are refused with a 4xx, never a 500."""
    response = twilio.post(path, fields)
    assert response.status_code == status
    if status != 422:
        assert ET.fromstring(response.text).tag == "Response"


def test_a_whole_call_leaves_no_caller_words_or_number_in_logs_or_urls(
    twilio: Twilio, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Logs of a full call, a hang-up and a text name ids and routes only; URLs carry turns only."""
    caplog.set_level(logging.DEBUG)
    root = start(twilio)
    urls = [root.find("Gather").attrib["action"]]  # type: ignore[union-attr]
    for text in [*INTAKE[:4], "honestly I don't want to live anymore"]:
        root = twilio.twiml(
            f"/twilio/voice/gather?turn={next_turn(root)}",
            {"CallSid": SID, "From": CALLER, "SpeechResult": text, "Confidence": "0.9"},
        )
        urls.extend(e.attrib.get("action", "") for e in root.iter() if "action" in e.attrib)
    twilio.twiml(
        "/twilio/voice/status", {"CallSid": SID, "From": CALLER, "CallStatus": "completed"}
    )
    twilio.twiml(
        "/twilio/sms/incoming",
        {"MessageSid": "SM9", "From": CALLER, "Body": "please call me about my son Tommy"},
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged
    secrets = [CALLER, "3125550100", "Tommy", "burned out", "don't want to live", "Illinois"]
    for secret in secrets:
        assert secret not in logged
        assert all(secret not in url for url in urls)
