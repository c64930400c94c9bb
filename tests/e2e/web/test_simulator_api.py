"""The simulator's JSON endpoints drive the same phone use cases as Twilio."""

from __future__ import annotations

from dataclasses import replace

from frontdesk.bootstrap import Services
from frontdesk.entrypoints.web.app import create_app

from .conftest import TestClient, admin_actor, audit_seqs, audited_since
from .test_twilio_voice import INTAKE


def test_simulator_is_off_unless_enabled(services: Services) -> None:
    """With the simulator disabled its page and endpoints are 404."""
    settings = services.settings.model_copy(update={"simulator_enabled": False})
    with TestClient(create_app(replace(services, settings=settings))) as client:
        assert client.get("/simulator").status_code == 404
        assert client.post("/simulator/api/calls", json={}).status_code == 404


def test_simulator_page_and_script_are_served_from_this_host(client: TestClient) -> None:
    """The page loads its script from this server only."""
    page = client.get("/simulator")
    assert page.status_code == 200
    assert '<script src="/simulator/static/simulator.js">' in page.text
    assert "http" not in page.text.replace("http-equiv", "")
    script = client.get("/simulator/static/simulator.js")
    assert script.status_code == 200
    assert "fetch(" in script.text


def test_simulated_intake_shows_route_intent_intake_and_records(client: TestClient) -> None:
    """A typed intake that books returns each agent turn and, at the end, the captured intake,
    the booked first session and its Good Faith Estimate task.
    """
    turn = client.post("/simulator/api/calls", json={"caller_number": "+13125550100"}).json()
    sid = turn["call_sid"]
    assert turn["route"] == "routine"
    assert turn["lines"]
    for words in INTAKE:
        turn = client.post(
            f"/simulator/api/calls/{sid}/turns", json={"seq": turn["next_seq"], "text": words}
        ).json()
    assert turn["ended"] is True
    assert "booked" in " ".join(line["text"] for line in turn["lines"])
    records = client.get(f"/simulator/api/calls/{sid}").json()
    assert records["call"]["result"] == "first_session_booked"
    assert records["call"]["intent"] == "new_client"
    assert records["intake"]["state"] == "IL"
    assert [(t["category"], t["details"]["task"]) for t in records["tasks"]] == [
        ("task", "good_faith_estimate")
    ]
    booked = records["appointment"]
    assert (booked["kind"], booked["modality"]) == ("first_session", "in_person")
    assert booked["clinician"] in records["turns"][-1]["agent_text"]
    assert booked["start"].startswith("2026-03-")
    assert booked["start"].endswith("-06:00")  # practice local time (Chicago, before DST)


def test_simulated_crisis_and_hang_up(client: TestClient) -> None:
    """Crisis words show the crisis route with whole lines; hanging up ends the call."""
    turn = client.post("/simulator/api/calls", json={}).json()
    sid = turn["call_sid"]
    crisis = client.post(
        f"/simulator/api/calls/{sid}/turns",
        json={"seq": turn["next_seq"], "text": "I want to kill myself"},
    ).json()
    assert crisis["route"] == "crisis"
    assert any(line["whole"] and "988" in line["text"] for line in crisis["lines"])
    ended = client.post(f"/simulator/api/calls/{sid}/hangup").json()
    assert ended["call"]["status"] == "ended"
    assert ended["appointment"] is None
    assert [t["urgency"] for t in ended["tasks"]] == ["urgent"]
    keypad = client.post(f"/simulator/api/calls/{sid}/turns", json={"seq": 9, "digits": "1x"})
    assert keypad.status_code == 422


def test_the_simulator_shows_the_calls_highest_route_after_a_calm_turn(
    client: TestClient,
) -> None:
    """After crisis words, a calm turn shows its own route as routine but the call's as crisis,
    and asking for a person transfers the call."""
    turn = client.post("/simulator/api/calls", json={}).json()
    sid = turn["call_sid"]
    assert turn["call_route"] == "routine"
    crisis = client.post(
        f"/simulator/api/calls/{sid}/turns",
        json={"seq": turn["next_seq"], "text": "I want to kill myself"},
    ).json()
    assert (crisis["route"], crisis["call_route"]) == ("crisis", "crisis")
    calm = client.post(
        f"/simulator/api/calls/{sid}/turns",
        json={"seq": crisis["next_seq"], "text": "can I talk to someone"},
    ).json()
    assert (calm["route"], calm["call_route"]) == ("routine", "crisis")
    assert calm["transfer_to"] is not None


def test_every_read_of_a_simulated_calls_records_is_audited(
    client: TestClient, services: Services
) -> None:
    """Reading a simulated call's records, and the records shown at hang-up, each leave a
    view entry naming the signed-in admin and the call, without content."""
    before = audit_seqs(services)
    turn = client.post("/simulator/api/calls", json={}).json()
    sid = turn["call_sid"]
    client.post(
        f"/simulator/api/calls/{sid}/turns", json={"seq": turn["next_seq"], "text": "hello"}
    )
    call_id = client.get(f"/simulator/api/calls/{sid}").json()["call"]["id"]
    client.post(f"/simulator/api/calls/{sid}/hangup")
    records = audited_since(services, before)
    assert [(r.entry.action, r.entry.object_kind, r.entry.object_id) for r in records] == [
        ("view", "call", call_id),
        ("view", "call", call_id),
    ]
    assert {(r.entry.actor, r.entry.detail) for r in records} == {
        (admin_actor(services), "part=simulator")
    }
