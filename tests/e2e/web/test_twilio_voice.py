"""Complete calls through the Twilio voice webhooks, signed as Twilio signs them."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest

from frontdesk.bootstrap import Services
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.records import CallRecord, TurnRecord
from frontdesk.entrypoints.web.app import create_app

from .conftest import CALLER, OPEN, TestClient, Twilio

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


INTAKE = [
    "Hello, I'd like to start therapy for myself",
    "I'm 34",
    "Sam Rivera",
    "yes",
    "I've been feeling burned out at work",
    "I live in Chicago, Illinois",
    "in person please",
    "I'll pay out of pocket",
    "Tuesday or Thursday mornings",
    "email",
    "sam dot rivera at example dot com",
    "yes",
    "yes",
    "the first one",
    "yes",
]


def play(twilio: Twilio, lines: list[str], sid: str = SID) -> ET.Element:
    """Start a call and say each line at the turn the previous answer asked for."""
    root = start(twilio, sid)
    for text in lines:
        root = say(twilio, next_turn(root), text, sid)
    return root


def says(root: ET.Element) -> str:
    return " ".join(s.text or "" for s in root.iter("Say"))


def messages(services: Services) -> list[tuple[str, str, str]]:
    with services.uow() as uow:
        return [(m.purpose.value, m.to, m.status.value) for m in uow.messages.list_all()]


def test_full_intake_call_captures_the_inquiry_and_hangs_up(
    twilio: Twilio, services: Services
) -> None:
    """A complete intake over the webhooks books the first time offered, stores every turn,
    the inquiry and a Good Faith Estimate task for the self-pay session, then hangs up.
    """
    root = play(twilio, INTAKE)
    assert root.find("Gather") is None
    assert root[-1].tag == "Hangup"
    assert "You're booked for your first session" in says(root)
    call, turns, handoffs = stored(services)
    assert call.result is not None
    assert call.result.value == "first_session_booked"
    assert [t.seq for t in turns] == list(range(len(INTAKE) + 1))
    assert [(h.category.value, h.details["task"]) for h in handoffs] == [
        ("task", "good_faith_estimate")
    ]
    with services.uow() as uow:
        inquiry = uow.inquiries.list_for_call(call.id)[-1]
        booked = uow.appointments.between(OPEN, OPEN + timedelta(days=60))
    assert inquiry.intake.client_age == 34
    assert inquiry.intake.state == "IL"
    assert [(a.kind.value, a.modality.value, a.status.value) for a in booked] == [
        ("first_session", "in_person", "booked")
    ]
    assert booked[0].client.inquiry_id == inquiry.id
    assert booked[0].booked_by_ai is True
    assert handoffs[0].details["appointment_id"] == booked[0].id


def test_retried_turn_returns_the_same_twiml_without_a_second_turn(
    twilio: Twilio, services: Services
) -> None:
    """A gather request retried by Twilio gets byte-identical TwiML and stores nothing new."""
    start(twilio)
    fields = {"CallSid": SID, "From": CALLER, "SpeechResult": INTAKE[0], "Confidence": "0.9"}
    first = twilio.post("/twilio/voice/gather?turn=1", fields)
    again = twilio.post("/twilio/voice/gather?turn=1", fields)
    assert first.status_code == again.status_code == 200
    assert first.text == again.text
    _, turns, _ = stored(services)
    assert [t.seq for t in turns] == [0, 1]


def test_retried_incoming_call_is_one_call(twilio: Twilio, services: Services) -> None:
    """A retried incoming-call webhook hears the same greeting and records one call."""
    first = start(twilio)
    again = start(twilio)
    assert ET.tostring(first) == ET.tostring(again)
    with services.uow() as uow:
        calls = uow.calls.list_started_between(OPEN - timedelta(days=1), OPEN + timedelta(days=1))
    assert len(calls) == 1


def test_concurrent_duplicate_turns_store_one_turn_and_answer_alike(
    twilio: Twilio, services: Services
) -> None:
    """Two copies of the same turn sent at once: one turn is stored and both get the same answer."""
    start(twilio)
    fields = {"CallSid": SID, "From": CALLER, "SpeechResult": INTAKE[0], "Confidence": "0.9"}
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(
            pool.map(lambda _: twilio.post("/twilio/voice/gather?turn=1", fields), range(4))
        )
    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1
    _, turns, _ = stored(services)
    assert [t.seq for t in turns] == [0, 1]


def test_crisis_at_greeting_is_spoken_outside_the_gather_and_paged(
    twilio: Twilio, services: Services
) -> None:
    """Crisis wording is a Say before the Gather (cannot be barged in on), with an urgent
    hand-off and a page.
    """
    root = play(twilio, ["honestly I don't want to live anymore"])
    assert root[0].tag == "Say"
    assert "988" in (root[0].text or "")
    assert "988" not in " ".join(s.text or "" for s in gather_of(root).iter("Say"))
    _, _, handoffs = stored(services)
    assert [(h.category.value, h.urgency.value) for h in handoffs] == [("crisis", "urgent")]
    assert ("page", "+13125550199", "queued") in messages(services)


def test_crisis_mid_intake_keeps_the_intake_and_never_resumes_booking(
    twilio: Twilio, services: Services
) -> None:
    """Crisis after some intake answers: the wording outside the gather, the intake kept, no
    more questions.
    """
    root = play(twilio, [*INTAKE[:6], "honestly I don't want to live anymore", "in person"])
    assert root[0].tag == "Say"
    assert "988" in says(root)
    assert "pay" not in says(root)
    call, _, handoffs = stored(services)
    assert call.result is not None
    assert call.result.value == "crisis_directed"
    assert "crisis" in [h.category.value for h in handoffs]
    with services.uow() as uow:
        assert uow.inquiries.list_for_call(call.id)[-1].intake.state == "IL"


def test_emergency_warm_transfer_whispers_context_without_the_callers_words(
    twilio: Twilio, services: Services
) -> None:
    """An emergency dials on-call with a whisper naming the route, never the caller's words or
    number.
    """
    root = play(twilio, ["I just took a whole bottle of pills"])
    assert root[0].tag == "Say"
    assert "911" in (root[0].text or "")
    dial = root.find("Dial")
    assert dial is not None
    number = dial.find("Number")
    assert number is not None
    assert number.text == "+13125550199"
    whisper_url = number.attrib["url"]
    assert whisper_url.startswith("/twilio/voice/whisper?call=")
    whisper = twilio.twiml(whisper_url, {"CallSid": "CAchild", "From": "+13125550142"})
    spoken = says(whisper)
    assert "emergency" in spoken
    assert "pills" not in spoken
    assert CALLER not in spoken
    # The transfer carries the hand-off: its page is queued with the turn but held back.
    with services.uow() as uow:
        [page] = uow.messages.list_all()
    assert (page.purpose.value, page.status.value) == ("page", "queued")
    assert page.send_after > OPEN + timedelta(seconds=30)


def test_an_answered_emergency_transfer_withdraws_its_held_page(
    twilio: Twilio, services: Services
) -> None:
    """When on-call picks up the warm transfer, the page held for it is withdrawn, not sent."""
    play(twilio, ["I just took a whole bottle of pills"])
    twilio.twiml("/twilio/voice/dial", {"CallSid": SID, "DialCallStatus": "completed"})
    assert messages(services) == [("page", "+13125550199", "withdrawn")]


def test_missed_emergency_transfer_pages_on_call_and_the_call_goes_on(
    twilio: Twilio, services: Services
) -> None:
    """When on-call does not answer, the page goes out, the caller hears the 911 wording
    again and the call keeps listening: asked for a person, the front desk is rung (on-call
    is not rung twice); a retried report of the missed transfer changes nothing.
    """
    root = play(twilio, ["I just took a whole bottle of pills"])
    action = _dial_of(root).attrib["action"]
    assert action == "/twilio/voice/dial?turn=2&route=emergency"
    missed = twilio.twiml(action, {"CallSid": SID, "DialCallStatus": "no-answer"})
    assert "911" in says(missed)
    assert "stay on the line" not in says(missed)
    assert next_turn(missed) == 3
    assert ("page", "+13125550199", "queued") in messages(services)
    with services.uow() as uow:
        [page] = [m for m in uow.messages.list_all() if m.purpose.value == "page"]
    assert page.send_after <= OPEN  # released at once, no longer held for the transfer
    again = twilio.twiml(action, {"CallSid": SID, "DialCallStatus": "no-answer"})
    assert says(again) == says(missed)
    assert [m for m in messages(services) if m[0] == "page"] == [("page", "+13125550199", "queued")]
    person = say(twilio, 3, "can I talk to a real person")
    assert _dial_of(person).findtext("Number") == "+13125550143"
    _, turns, _ = stored(services)
    assert [t.kind.value for t in turns][-2:] == ["transfer_missed", "speech"]


def test_missed_crisis_transfer_says_who_can_help_and_keeps_listening(
    twilio: Twilio, services: Services
) -> None:
    """A crisis caller who asked for a person and was not answered hears that nobody could
    be reached, that staff were alerted and where help is at any hour, and can go on: once
    every person was rung, asking again hears that wording, never another ring."""
    root = play(twilio, ["I don't want to be alive anymore", "can I talk to someone"])
    action = _dial_of(root).attrib["action"]
    assert action.endswith("&route=crisis")
    missed = twilio.twiml(action, {"CallSid": SID, "DialCallStatus": "busy"})
    assert "988" in says(missed)
    assert "can't connect you with someone" in says(missed)
    front_desk = say(twilio, next_turn(missed), "please let me talk to a person")
    assert _dial_of(front_desk).findtext("Number") == "+13125550143"
    missed_again = twilio.twiml(
        _dial_of(front_desk).attrib["action"], {"CallSid": SID, "DialCallStatus": "no-answer"}
    )
    last = say(twilio, next_turn(missed_again), "a person please")
    assert last.find("Dial") is None
    assert "988" in says(last)
    call, _, handoffs = stored(services)
    assert call.route.value == "crisis"
    assert [h.category.value for h in handoffs].count("crisis") == 1


def _dial_of(root: ET.Element) -> ET.Element:
    dial = root.find("Dial")
    assert dial is not None
    return dial


def test_staff_only_question_leaves_an_administrative_handoff(
    twilio: Twilio, services: Services
) -> None:
    """A records request gets the approved wording and an administrative hand-off with context."""
    root = play(twilio, ["I need a copy of my therapy records for a court case"])
    assert root.find("Gather") is not None
    _, _, handoffs = stored(services)
    assert [h.category.value for h in handoffs] == ["administrative"]
    assert handoffs[0].caller_number == CALLER


def test_speak_to_person_transfers_to_the_front_desk_and_a_miss_takes_a_voicemail(
    twilio: Twilio, services: Services
) -> None:
    """In hours a person is dialled; if nobody answers the caller records a message that lands
    on the task.
    """
    root = play(twilio, ["can I speak to a real person please"])
    dial = root.find("Dial")
    assert dial is not None
    assert dial.findtext("Number") == "+13125550143"
    assert "url" not in dial.find("Number").attrib  # type: ignore[union-attr]
    missed = twilio.twiml("/twilio/voice/dial", {"CallSid": SID, "DialCallStatus": "busy"})
    record = missed.find("Record")
    assert record is not None
    assert record.attrib["transcribe"] == "true"
    assert record.attrib["action"] == "/twilio/voice/recording"
    twilio.twiml(
        "/twilio/voice/recording",
        {
            "CallSid": SID,
            "From": CALLER,
            "RecordingSid": "RE1",
            "RecordingUrl": "https://api.twilio.com/RE1",
            "RecordingDuration": "14",
        },
    )
    twilio.twiml(
        "/twilio/voice/transcription",
        {
            "CallSid": SID,
            "RecordingSid": "RE1",
            "TranscriptionStatus": "completed",
            "TranscriptionText": "please call me back about Tuesday",
        },
    )
    _, _, handoffs = stored(services)
    voicemail = [h.details["voicemail"] for h in handoffs if "voicemail" in h.details]
    assert voicemail == [
        {
            "recording_sid": "RE1",
            "recording_url": "https://api.twilio.com/RE1",
            "duration_seconds": 14,
            "blank": False,
            "transcription": "please call me back about Tuesday",
        }
    ]
    assert ("follow_up", CALLER, "queued") in messages(services)


def test_hang_up_mid_intake_keeps_the_inquiry_and_recovers_the_call(
    twilio: Twilio, services: Services
) -> None:
    """A completed status mid-intake keeps the partial inquiry, opens a task, records CallMissed
    and texts back.
    """
    play(twilio, INTAKE[:3])
    twilio.twiml(
        "/twilio/voice/status", {"CallSid": SID, "From": CALLER, "CallStatus": "completed"}
    )
    twilio.twiml(
        "/twilio/voice/status", {"CallSid": SID, "From": CALLER, "CallStatus": "completed"}
    )
    call, turns, handoffs = stored(services)
    assert call.status.value == "ended"
    assert turns[-1].kind.value == "hang_up"
    assert [h.category.value for h in handoffs] == ["callback"]
    with services.uow() as uow:
        missed = uow.events.query(kinds=["CallMissed"])
        assert uow.inquiries.list_for_call(call.id)[-1].intake.client_age == 34
    assert [(e.call_id, e.reason) for e in missed] == [(call.id, "abandoned")]  # type: ignore[attr-defined]
    assert messages(services) == [("follow_up", CALLER, "queued")]


@pytest.mark.parametrize("status", ["no-answer", "busy", "failed", "canceled"])
def test_unanswered_call_statuses_are_recorded_as_missed(
    twilio: Twilio, services: Services, status: str
) -> None:
    """A call that never reached the engine is still recorded: a call, CallMissed with its
    status, a task, a text.
    """
    twilio.twiml("/twilio/voice/status", {"CallSid": SID, "From": CALLER, "CallStatus": status})
    call, _, handoffs = stored(services)
    assert call.status.value == "ended"
    with services.uow() as uow:
        missed = uow.events.query(kinds=["CallMissed"])
    assert [e.reason for e in missed] == [status]  # type: ignore[attr-defined]
    assert [h.caller_number for h in handoffs] == [CALLER]
    assert messages(services) == [("follow_up", CALLER, "queued")]


def test_completed_call_that_met_its_purpose_is_not_missed(
    twilio: Twilio, services: Services
) -> None:
    """A call that booked a first session, followed by the completed status, records no missed
    call and sends no follow-up text: the only message is the booking's e-mail reminder.
    """
    play(twilio, INTAKE)
    twilio.twiml(
        "/twilio/voice/status", {"CallSid": SID, "From": CALLER, "CallStatus": "completed"}
    )
    with services.uow() as uow:
        assert uow.events.query(kinds=["CallMissed"]) == []
    assert messages(services) == [("reminder", "sam.rivera@example.com", "queued")]


def test_blank_voicemail_from_the_fallback_still_leaves_a_task_with_context(
    twilio: Twilio, services: Services
) -> None:
    """The fallback takes a message; a blank recording still leaves a task with the number and
    context.
    """
    start(twilio)
    root = twilio.twiml(
        "/twilio/voice/fallback", {"CallSid": SID, "From": CALLER, "ErrorCode": "11200"}
    )
    assert root.find("Record") is not None
    root = twilio.twiml(
        "/twilio/voice/recording",
        {"CallSid": SID, "From": CALLER, "RecordingSid": "RE2", "RecordingDuration": "0"},
    )
    assert root[-1].tag == "Hangup"
    _, _, handoffs = stored(services)
    assert len(handoffs) == 1
    task = handoffs[0]
    assert task.caller_number == CALLER
    assert CALLER in task.summary
    assert "Reason:" in task.summary
    assert task.details["voicemail"]["blank"] is True  # type: ignore[index]


def test_fallback_for_an_unknown_call_records_it_and_pages_staff(
    twilio: Twilio, services: Services
) -> None:
    """When the main handler never answered, the fallback creates the call, a task and a staff
    page.
    """
    root = twilio.twiml("/twilio/voice/fallback", {"CallSid": SID, "From": CALLER})
    assert root.find("Record") is not None
    _, _, handoffs = stored(services)
    assert [h.details["reason"] for h in handoffs] == ["fallback"]
    assert [m[0] for m in messages(services)] == ["page"]


def test_keypad_digits_are_a_turn(twilio: Twilio, services: Services) -> None:
    """Digits from the keypad are stored as a digits turn."""
    start(twilio)
    twilio.twiml("/twilio/voice/gather?turn=1", {"CallSid": SID, "Digits": "3125550100"})
    _, turns, _ = stored(services)
    assert (turns[-1].kind.value, turns[-1].digits) == ("digits", "3125550100")


def test_silence_is_a_turn_that_asks_again(twilio: Twilio, services: Services) -> None:
    """An empty gather result is a silence turn and the caller is asked again inside a gather."""
    start(twilio)
    root = twilio.twiml("/twilio/voice/gather?turn=1", {"CallSid": SID})
    assert next_turn(root) == 2
    _, turns, _ = stored(services)
    assert turns[-1].kind.value == "silence"


def test_slow_engine_offers_a_message_and_the_turn_still_lands(
    twilio: Twilio, services: Services
) -> None:
    """Past the time budget the caller hears a safe prompt and can record; the turn is still
    stored.
    """
    slow = replace(
        services, settings=services.settings.model_copy(update={"voice_turn_budget_seconds": 0.0})
    )
    with TestClient(create_app(slow)) as client:
        slow_twilio = Twilio(client)
        start(twilio)
        root = slow_twilio.twiml(
            "/twilio/voice/gather?turn=1", {"CallSid": SID, "SpeechResult": INTAKE[0]}
        )
        assert root.find("Record") is not None
        assert root.find("Gather") is None
        for _ in range(500):
            if len(stored(services)[1]) == 2:
                break
            time.sleep(0.01)
    assert [t.seq for t in stored(services)[1]] == [0, 1]


def test_answered_transfer_ends_the_call_quietly(twilio: Twilio, services: Services) -> None:
    """When the front desk picks up, the call just ends on our side: no page, no follow-up."""
    play(twilio, ["can I speak to a real person please"])
    root = twilio.twiml("/twilio/voice/dial", {"CallSid": SID, "DialCallStatus": "completed"})
    assert [child.tag for child in root] == ["Hangup"]
    assert messages(services) == []


def test_replayed_older_turn_repeats_its_words(twilio: Twilio, services: Services) -> None:
    """A very late retry of an older turn hears that turn's words again and stores nothing."""
    root = play(twilio, INTAKE[:3])
    fields = {"CallSid": SID, "From": CALLER, "SpeechResult": INTAKE[1], "Confidence": "0.92"}
    late = twilio.twiml("/twilio/voice/gather?turn=2", fields)
    _, turns, _ = stored(services)
    assert says(late) == turns[2].agent_text
    assert next_turn(late) == 3
    assert len(turns) == 4
    assert next_turn(root) == 4


def test_spanish_callback_line_is_spoken_in_spanish(twilio: Twilio, services: Services) -> None:
    """A caller speaking Spanish hears the Spanish callback line with a Spanish voice, and
    the same line heard again on a retried request keeps it; English lines keep en-US."""
    root = start(twilio)
    assert {s.attrib["language"] for s in root.iter("Say")} == {"en-US"}
    fields = {
        "CallSid": SID,
        "From": CALLER,
        "SpeechResult": "Hola, necesito una cita para mi hijo",
    }
    root = twilio.twiml("/twilio/voice/gather?turn=1", fields)
    spoken = [(s.attrib["language"], s.text or "") for s in root.iter("Say")]
    assert len(spoken) == 1
    assert spoken[0][0] == "es-US"
    assert "le devolverá la llamada en español" in spoken[0][1]
    assert root[-1].tag == "Hangup"
    again = twilio.twiml("/twilio/voice/gather?turn=1", fields)
    assert [s.attrib["language"] for s in again.iter("Say")] == ["es-US"]
    _, _, handoffs = stored(services)
    assert [h.details.get("reason") for h in handoffs] == ["callback_in_spanish"]
