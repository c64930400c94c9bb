"""Inbound texts through the Twilio SMS webhook: keywords, urgent words and free text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from frontdesk.bootstrap import Services

from .conftest import CALLER, Twilio

PATH = "/twilio/sms/incoming"


def text(twilio: Twilio, body: str, sid: str = "SM1") -> ET.Element:
    return twilio.twiml(PATH, {"MessageSid": sid, "From": CALLER, "Body": body})


def replies(root: ET.Element) -> list[str]:
    return [m.text or "" for m in root.iter("Message")]


def opted_out(services: Services) -> bool:
    with services.uow() as uow:
        return uow.opt_outs.get(CALLER) is not None


def test_stop_and_start_change_the_opt_out_list(twilio: Twilio, services: Services) -> None:
    """STOP records an opt-out (honoured by every later message), START removes it."""
    assert replies(text(twilio, "STOP", "SM1")) == []
    assert opted_out(services)
    assert replies(text(twilio, " start ", "SM2")) == []
    assert not opted_out(services)


def test_help_is_answered_with_the_approved_help_line(twilio: Twilio, services: Services) -> None:
    """HELP gets the library's required help line, with STOP wording, and opens no task."""
    answer = replies(text(twilio, "HELP"))
    assert len(answer) == 1
    assert "Reply STOP" in answer[0]
    with services.uow() as uow:
        assert uow.handoffs.list_queue() == []


def test_free_text_is_answered_with_the_received_line(twilio: Twilio) -> None:
    """A free text is acknowledged with the approved received line naming the emergency number."""
    answer = replies(text(twilio, "Can someone call me back tomorrow?", "SM3"))
    assert len(answer) == 1
    assert "received your message" in answer[0]
    assert "911" in answer[0]


def test_free_text_opens_a_callback_task_once(twilio: Twilio, services: Services) -> None:
    """Any other text opens one routine message task with the words; a retry adds nothing."""
    text(twilio, "Can someone call me about changing my time?", "SM5")
    text(twilio, "Can someone call me about changing my time?", "SM5")
    with services.uow() as uow:
        tasks = uow.handoffs.list_queue()
    assert [(t.category.value, t.urgency.value, t.caller_number) for t in tasks] == [
        ("message", "routine", CALLER)
    ]
    assert tasks[0].details["text"] == "Can someone call me about changing my time?"


def test_crisis_text_is_urgent_answered_with_988_and_paged(
    twilio: Twilio, services: Services
) -> None:
    """A text with crisis language gets the approved 988 wording, an urgent task and a page."""
    answer = replies(text(twilio, "I don't want to live anymore", "SM7"))
    assert len(answer) == 1
    assert "988" in answer[0]
    with services.uow() as uow:
        tasks = uow.handoffs.list_queue()
        pages = [m for m in uow.messages.list_all() if m.purpose.value == "page"]
    assert [(t.category.value, t.urgency.value) for t in tasks] == [("crisis", "urgent")]
    assert [p.to for p in pages] == ["+13125550199"]
    assert "want to live" not in pages[0].body


def test_a_retried_crisis_text_gets_the_same_reply_and_one_page(
    twilio: Twilio, services: Services
) -> None:
    """Twilio retrying one MessageSid gets the same 988 reply; one task and one page exist."""
    first = replies(text(twilio, "I don't want to live anymore", "SM8"))
    again = replies(text(twilio, "I don't want to live anymore", "SM8"))
    assert again == first
    assert len(first) == 1
    with services.uow() as uow:
        tasks = uow.handoffs.list_queue()
        pages = [m for m in uow.messages.list_all() if m.purpose.value == "page"]
    assert len(tasks) == 1
    assert len(pages) == 1
