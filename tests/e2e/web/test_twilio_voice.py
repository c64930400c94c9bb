"""Complete calls through the Twilio voice webhooks, signed as Twilio signs them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from frontdesk.bootstrap import Services
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.records import CallRecord, TurnRecord

from .conftest import CALLER, Twilio

SID = "CA0123456789abcdef0123456789abcdef"


def start(twilio: Twilio, sid: str = SID) -> ET.Element:
    return twilio.twiml(
        "/twilio/voice/incoming", {"CallSid": sid, "From": CALLER, "CallStatus": "ringing"}
    )


def say(
    twilio: Twilio, turn: int, text: str, sid: str = SID, confidence: str = "0.92"
) -> ET.Element:
    return twilio.twiml(
        f"/twilio/voice/gather?turn={turn}",
        {"CallSid": sid, "From": CALLER, "SpeechResult": text, "Confidence": confidence},
    )


def gather_of(root: ET.Element) -> ET.Element:
    gathers = root.findall("Gather")
    assert len(gathers) == 1
    return gathers[0]


def next_turn(root: ET.Element) -> int:
    action = gather_of(root).attrib["action"]
    assert action.startswith("/twilio/voice/gather?turn=")
    return int(action.rsplit("=", 1)[1])


def stored(
    services: Services, sid: str = SID
) -> tuple[CallRecord, list[TurnRecord], list[Handoff]]:
    with services.uow() as uow:
        call = uow.calls.get_by_external_id(sid)
        assert call is not None
        return call, uow.turns.list_for_call(call.id), uow.handoffs.list_for_call(call.id)


def test_incoming_call_is_greeted_inside_a_speech_and_keypad_gather(twilio: Twilio) -> None:
    """The greeting is spoken inside a Gather that listens for speech and digits with hints."""
    root = start(twilio)
    gather = gather_of(root)
    assert gather.attrib["input"] == "speech dtmf"
    assert gather.attrib["actionOnEmptyResult"] == "true"
    assert gather.attrib["speechTimeout"] == "auto"
    assert gather.attrib["language"] == "en-US"
    assert "Aetna" in gather.attrib["hints"] or gather.attrib["hints"]
    assert "automated assistant" in " ".join(s.text or "" for s in gather.findall("Say"))
    assert next_turn(root) == 1
