"""Over the Twilio webhooks: the direct safety question, and what a caller who heard the crisis
wording can still do (a person with a whisper, 988, a goodbye)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from tests.screen_fakes import AskingScreen

from frontdesk.bootstrap import Services
from frontdesk.domain.practice import PhoneNumbers
from frontdesk.entrypoints.web.app import create_app

from .conftest import CALLER, TestClient, Twilio
from .test_twilio_voice import SID, messages, next_turn, play, say, says, start, stored

CRISIS = "honestly I don't want to live anymore"
UNSURE = "some days I just wish it would all go away"
ON_CALL = "+13125550199"
FRONT_DESK = "+13125550143"


def changed(
    services: Services, *, phones: PhoneNumbers | None = None, connect_to_988: bool = False
) -> Services:
    """The services with the practice's phones or crisis setting changed everywhere."""
    practice = replace(
        services.practice,
        phones=phones or services.practice.phones,
        crisis=replace(services.practice.crisis, connect_to_988=connect_to_988),
    )
    return replace(services, practice=practice, engine=replace(services.engine, practice=practice))


@pytest.fixture
def asking(services: Services) -> Services:
    """The services with a screen that asks the direct question on `UNSURE`."""
    return replace(services, engine=replace(services.engine, screen=AskingScreen.of([UNSURE])))


@contextmanager
def client_for(services: Services) -> Iterator[Twilio]:
    """Signed Twilio webhooks against an app built on `services`."""
    with TestClient(create_app(services)) as client:
        yield Twilio(client)


def test_after_crisis_wording_a_person_is_dialled_on_call_with_a_crisis_whisper(
    twilio: Twilio, services: Services
) -> None:
    """ "Can I talk to someone" after the 988 wording dials on-call, who first hears that this
    is a crisis call, never the caller's words or number."""
    root = play(twilio, [CRISIS, "can I talk to someone"])
    number = root.find("Dial/Number")
    assert number is not None
    assert number.text == ON_CALL
    whisper = says(twilio.twiml(number.attrib["url"], {"CallSid": "CAchild", "From": ON_CALL}))
    assert "crisis call" in whisper
    assert "live" not in whisper
    assert CALLER not in whisper


def test_without_on_call_a_crisis_caller_reaches_the_front_desk_with_a_whisper(
    services: Services,
) -> None:
    """With no on-call number, in hours, the front desk is dialled and hears the crisis whisper."""
    phones = PhoneNumbers(main=services.practice.phones.main, front_desk=FRONT_DESK)
    with client_for(changed(services, phones=phones)) as twilio:
        root = play(twilio, [CRISIS, "can I talk to a real person"])
        number = root.find("Dial/Number")
        assert number is not None
        assert number.text == FRONT_DESK
        whisper = says(twilio.twiml(number.attrib["url"], {"CallSid": "CAc", "From": FRONT_DESK}))
        assert "crisis call" in whisper


def test_a_retried_crisis_transfer_turn_dials_the_same_number(twilio: Twilio) -> None:
    """A retried webhook for the transfer turn answers with the same Dial."""
    root = start(twilio)
    root = say(twilio, next_turn(root), CRISIS)
    turn = next_turn(root)
    first = say(twilio, turn, "can I talk to someone")
    again = say(twilio, turn, "can I talk to someone")
    assert first.findtext("Dial/Number") == again.findtext("Dial/Number") == ON_CALL


def test_988_is_dialled_on_request_only_when_the_practice_allows(services: Services) -> None:
    """With `crisis.connect_to_988`, "connect me to 988" dials 988 with no whisper; without it
    the caller hears how to reach 988 and nothing is dialled."""
    with client_for(changed(services, connect_to_988=True)) as twilio:
        root = play(twilio, [CRISIS, "can you connect me to 988"])
        number = root.find("Dial/Number")
        assert number is not None
        assert number.text == "988"
        assert "url" not in number.attrib
    with client_for(services) as twilio:
        root = play(twilio, [CRISIS, "can you connect me to 988"], sid="CA2")
        assert root.find("Dial") is None
        assert "call or text 988" in says(root)


def test_the_direct_question_and_a_no_continue_the_intake_over_the_webhooks(
    asking: Services,
) -> None:
    """The question is one whole Say before the Gather; a no leaves a same-day review flag."""
    with client_for(asking) as twilio:
        root = play(twilio, ["I'd like to start therapy for myself", UNSURE])
        assert root[0].tag == "Say"
        assert "ending your life" in (root[0].text or "")
        root = say(twilio, next_turn(root), "no")
        assert "pick up where we were" in says(root)
        _, _, handoffs = stored(asking)
        assert [(h.category.value, h.urgency.value) for h in handoffs] == [("clinical", "same_day")]
        assert messages(asking) == []


def test_a_hang_up_at_the_direct_question_pages_on_call(asking: Services) -> None:
    """A caller who hangs up before answering leaves an urgent hand-off that is paged."""
    with client_for(asking) as twilio:
        play(twilio, [UNSURE])
        twilio.twiml("/twilio/voice/status", {"CallSid": SID, "CallStatus": "completed"})
        _, _, handoffs = stored(asking)
        assert [(h.category.value, h.urgency.value) for h in handoffs] == [("crisis", "urgent")]
        assert ("page", ON_CALL, "queued") in messages(asking)


def test_an_emergency_turn_says_one_consistent_thing(twilio: Twilio, services: Services) -> None:
    """With on-call, the emergency TwiML says to stay on the line while it dials, never to hang
    up; without on-call, it says to hang up and call 911 and dials nobody."""
    emergency = "I just took a whole bottle of pills"
    root = play(twilio, [emergency])
    spoken = says(root).lower()
    assert root.find("Dial") is not None
    assert "stay on the line" in spoken
    assert "hang up" not in spoken
    phones = PhoneNumbers(main=services.practice.phones.main, front_desk=FRONT_DESK)
    with client_for(changed(services, phones=phones)) as alone:
        root = play(alone, [emergency], sid="CA3")
        spoken = says(root).lower()
        assert root.find("Dial") is None
        assert "hang up and call 911" in spoken
        assert "connecting" not in spoken
