"""The JSON API: health, calls and the callback queue, with OpenAPI and access control."""

from __future__ import annotations

from dataclasses import replace

from pydantic import SecretStr
from tests.console_helpers import add_staff, signed_in_as

from frontdesk.bootstrap import Services
from frontdesk.entrypoints.web.app import create_app
from frontdesk.services import audit

from .conftest import TestClient, Twilio, admin_actor, audit_seqs, audited_since
from .test_twilio_voice import INTAKE, play


def test_health_names_the_practice(client: TestClient) -> None:
    """/healthz answers ok with the practice's name, a screen that reads, a database that
    answers and keys that open what it holds."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "practice": "Cedar Grove Counseling",
        "checks": {"safety": "ok", "database": "ok", "keys": "ok"},
    }


def test_openapi_documents_every_route_with_typed_responses(client: TestClient) -> None:
    """/openapi.json lists the webhooks, the API and the simulator, API answers with schemas."""
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    for path in ["/twilio/voice/incoming", "/twilio/sms/incoming", "/api/calls", "/healthz"]:
        assert path in paths
    ok = paths["/api/callbacks"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["type"] == "array"


def test_calls_and_queue_show_what_a_call_stored(twilio: Twilio, client: TestClient) -> None:
    """After a webhook call that booked, the API lists the call, its transcript and its Good
    Faith Estimate task, which staff can mark done.
    """
    play(twilio, INTAKE)
    calls = client.get("/api/calls").json()
    assert [c["result"] for c in calls] == ["first_session_booked"]
    detail = client.get(f"/api/calls/{calls[0]['id']}").json()
    assert detail["intake"]["client_age"] == 34
    assert len(detail["turns"]) == len(INTAKE) + 1
    assert [t["call_id"] for t in detail["tasks"]] == [calls[0]["id"]]
    queue = client.get("/api/callbacks").json()
    assert [(t["category"], t["details"]["task"]) for t in queue] == [
        ("task", "good_faith_estimate")
    ]
    done = client.post(f"/api/callbacks/{queue[0]['id']}/done").json()
    assert done["status"] == "done"
    assert done["completed_at"]
    assert client.get("/api/callbacks").json() == []
    assert client.get("/api/calls/nope").status_code == 404


def test_every_api_read_and_change_of_phi_is_audited(
    twilio: Twilio, client: TestClient, services: Services
) -> None:
    """Listing calls, reading one, listing the queue and marking a task done each leave an
    audit entry naming the actor (the signed-in person), the object and the source address,
    and no content (the reads of the home page shown at sign-in come before)."""
    before = audit_seqs(services)
    play(twilio, INTAKE)
    call_id = client.get("/api/calls").json()[0]["id"]
    client.get(f"/api/calls/{call_id}")
    task_id = client.get("/api/callbacks?all=true").json()[0]["id"]
    client.post(f"/api/callbacks/{task_id}/done")
    assert client.get("/api/calls/nope").status_code == 404
    records = audited_since(services, before)
    assert [(r.entry.action, r.entry.object_kind, r.entry.object_id) for r in records] == [
        ("view", "call_list", None),
        ("view", "call", call_id),
        ("view", "handoff_queue", None),
        ("change", "handoff", task_id),
    ]
    assert {(r.entry.actor, r.entry.source) for r in records} == {
        (admin_actor(services), "testclient")
    }
    assert [r.entry.detail for r in records[:3]] == [
        "days=7 rows=1",
        "part=transcript",
        "scope=all rows=1",
    ]
    assert audit.verify(uow=services.uow()).ok


def test_api_needs_the_bearer_token_when_one_is_configured(services: Services) -> None:
    """With FRONTDESK_API_TOKEN set, the API refuses requests without that bearer token."""
    settings = services.settings.model_copy(update={"api_token": SecretStr("s3cret")})
    with TestClient(create_app(replace(services, settings=settings))) as client:
        assert client.get("/api/callbacks").status_code == 401
        assert (
            client.get("/api/callbacks", headers={"Authorization": "Bearer nope"}).status_code
            == 401
        )
        good = client.get("/api/callbacks", headers={"Authorization": "Bearer s3cret"})
        assert good.status_code == 200
        assert client.get("/healthz").status_code == 200


def test_api_without_a_token_or_session_refuses_even_loopback_clients(
    services: Services,
) -> None:
    """Where a request comes from never counts: loopback gets 401 without token or session."""
    for address in ("127.0.0.1", "::1", "testclient"):
        with TestClient(create_app(services), client=(address, 5000)) as client:
            assert client.get("/api/calls").status_code == 401
            assert client.get("/api/callbacks").status_code == 401
            assert client.post("/api/callbacks/x/done").status_code == 401
            assert client.get("/healthz").status_code == 200


def test_api_takes_an_office_session_and_refuses_other_roles(
    services: Services, anonymous: TestClient
) -> None:
    """A front-desk session reads the queue; a change without its CSRF token is refused;
    clinicians and auditors get 403 (the whole queue is more than they need)."""
    add_staff(services, "desk", "front_desk")
    add_staff(services, "reader", "auditor")
    signed_in_as(anonymous, "desk")
    assert anonymous.get("/api/callbacks").status_code == 200
    token = anonymous.headers.pop("X-CSRF-Token")
    assert anonymous.post("/api/callbacks/nope/done").status_code == 403
    assert (
        anonymous.post("/api/callbacks/nope/done", headers={"X-CSRF-Token": token}).status_code
        == 404
    )
    anonymous.cookies.clear()
    signed_in_as(anonymous, "reader")
    assert anonymous.get("/api/callbacks").status_code == 403


def test_an_attempt_is_logged_through_the_api(twilio: Twilio, client: TestClient) -> None:
    """POST …/attempts logs the outcome and note and moves the task; bad input is a 422."""
    play(twilio, INTAKE)
    task = client.get("/api/callbacks").json()[0]
    url = f"/api/callbacks/{task['id']}/attempts"
    assert client.post(url, json={"outcome": "maybe"}).status_code == 422
    assert client.post(url, json={"outcome": "other", "note": "x" * 3000}).status_code == 422
    moved = client.post(url, json={"outcome": "left_message", "then": "waiting"}).json()
    assert (moved["status"], moved["wake_on_contact"]) == ("waiting", True)
    done = client.post(url, json={"outcome": "scheduled", "note": "Sent", "then": "done"}).json()
    assert done["status"] == "done"
    assert client.post("/api/callbacks/nope/attempts", json={"outcome": "other"}).status_code == 404
