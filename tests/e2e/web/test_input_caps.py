"""Webhook inputs are bounded: oversized bodies and fields are refused, long SIP callers fit."""

from __future__ import annotations

import pytest

from frontdesk.bootstrap import Services
from frontdesk.entrypoints.web.security import FIELD_LIMITS, MAX_REQUEST_BYTES

from .conftest import Twilio
from .test_twilio_voice import SID, next_turn, start

SIP_CALLER = "sip:" + "front.desk.extension.0042" * 4 + "@pbx.cedar-grove-counseling.example.org"


def _stored_turns(services: Services) -> int:
    with services.uow() as uow:
        call = uow.calls.get_by_external_id(SID)
        return 0 if call is None else len(uow.turns.list_for_call(call.id))


def test_a_body_over_the_cap_is_refused_before_it_is_read(twilio: Twilio) -> None:
    """A request declaring more than the cap gets 413 before the body is parsed or checked."""
    fields = {"CallSid": SID, "SpeechResult": "x" * (MAX_REQUEST_BYTES + 1)}
    response = twilio.post("/twilio/voice/gather?turn=1", fields, signature="not-checked")
    assert response.status_code == 413


def test_an_unsigned_oversized_field_is_refused_by_the_signature_check_first(
    twilio: Twilio,
) -> None:
    """Within the body cap, an unsigned request with a long field is a 403, not a 413."""
    fields = {"CallSid": SID, "SpeechResult": "x" * (FIELD_LIMITS["SpeechResult"] + 1)}
    assert twilio.post("/twilio/voice/gather?turn=1", fields, signature="bad").status_code == 403


@pytest.mark.parametrize(
    ("path", "field"),
    [("/twilio/voice/gather?turn=1", "SpeechResult"), ("/twilio/sms/incoming", "Body")],
)
def test_a_signed_field_over_its_limit_is_refused_and_records_nothing(
    twilio: Twilio, services: Services, path: str, field: str
) -> None:
    """Speech or a text body longer than Twilio ever sends is refused (413) and not handled."""
    start(twilio)
    before = _stored_turns(services)
    fields = {
        "CallSid": SID,
        "MessageSid": "SM" + "1" * 32,
        "From": "+13125550123",
        field: "I need help " * (FIELD_LIMITS[field] // 10),
    }
    response = twilio.post(path, fields)
    assert response.status_code == 413
    assert field in response.json()["detail"]
    assert _stored_turns(services) == before
    with services.uow() as uow:
        assert uow.inbound_texts.get("SM" + "1" * 32) is None


def test_a_call_from_a_long_sip_address_is_answered_and_stored(
    twilio: Twilio, services: Services
) -> None:
    """A SIP `From` far longer than a phone number is answered and its call recorded."""
    assert len(SIP_CALLER) > 100
    root = twilio.twiml(
        "/twilio/voice/incoming", {"CallSid": SID, "From": SIP_CALLER, "CallStatus": "ringing"}
    )
    assert next_turn(root) == 1
    with services.uow() as uow:
        call = uow.calls.get_by_external_id(SID)
    assert call is not None
    assert call.caller_number == SIP_CALLER


def test_a_form_that_is_not_url_encoded_is_refused(twilio: Twilio) -> None:
    """Twilio posts URL-encoded forms; a JSON body is a clear 415."""
    response = twilio.client.post(
        "/twilio/voice/incoming",
        content=b'{"CallSid": "x"}',
        headers={"content-type": "application/json", "X-Twilio-Signature": "x"},
    )
    assert response.status_code == 415
