"""The staff console's sign-in and guards over HTTP: CSRF, hosts, headers, cookies, roles,
idle log-off, lockout and second factor, each asserted on what the server answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi.routing import APIRoute
from pydantic import SecretStr
from tests.console_helpers import (
    PASSWORD,
    add_staff,
    enrol_totp,
    form_token,
    sign_in,
    signed_in_as,
)

from frontdesk.bootstrap import Services
from frontdesk.config import Environment
from frontdesk.domain import totp
from frontdesk.entrypoints.web.app import create_app
from frontdesk.entrypoints.web.console.csrf import check_csrf
from frontdesk.entrypoints.web.console.headers import host_name
from frontdesk.services import audit

from .conftest import TOKEN, Clock, TestClient


def test_the_login_page_is_self_contained_and_labelled(anonymous: TestClient) -> None:
    """Every field has a label; the page loads only this host's stylesheet, no script."""
    page = anonymous.get("/login")
    assert page.status_code == 200
    for field in ("username", "password", "code"):
        assert f'<label for="{field}">' in page.text
        assert f'id="{field}"' in page.text
    assert '<link rel="stylesheet" href="/console/static/console.css">' in page.text
    assert "http://" not in page.text
    assert "https://" not in page.text
    assert "<script" not in page.text
    css = anonymous.get("/console/static/console.css")
    assert css.status_code == 200
    assert "url(" not in css.text


def test_every_page_carries_the_security_headers(anonymous: TestClient) -> None:
    """CSP without inline script, no framing, no-store, nosniff and a same-origin referrer."""
    for path in ("/login", "/healthz", "/roi"):
        headers = anonymous.get(path).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self' 'nonce-" in csp
        assert "unsafe-inline' ; " not in csp
        assert "script-src 'self' 'unsafe-inline'" not in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_a_foreign_host_is_refused_before_any_route(anonymous: TestClient) -> None:
    """A DNS-rebinding page's Host gets 400 on pages, the API and webhooks alike."""
    for path in ("/login", "/api/callbacks", "/healthz", "/twilio/voice/incoming"):
        response = anonymous.get(path, headers={"Host": "attacker.example"})
        assert response.status_code == 400
        assert response.text == "unknown host\n"
    assert anonymous.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
    assert host_name("[::1]:8000") == "::1"
    assert host_name("Example.ORG") == "example.org"


def test_login_without_the_csrf_token_is_refused(services: Services, anonymous: TestClient) -> None:
    """A login form posted from elsewhere (no token, or a token without its cookie) is 403."""
    add_staff(services, "sam", "front_desk")
    data = {"username": "sam", "password": PASSWORD}
    assert anonymous.post("/login", data=data).status_code == 403
    token = form_token(anonymous.get("/login").text)
    anonymous.cookies.clear()
    assert anonymous.post("/login", data={**data, "csrf_token": token}).status_code == 403


def test_console_changes_without_the_session_token_are_refused(
    services: Services, anonymous: TestClient
) -> None:
    """Signed in, a POST without the session's CSRF token (or with the login one) is 403
    and the session stays."""
    add_staff(services, "sam", "front_desk")
    token = signed_in_as(anonymous, "sam")
    del anonymous.headers["X-CSRF-Token"]
    assert anonymous.post("/logout").status_code == 403
    assert anonymous.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert anonymous.get("/").status_code == 200
    out = anonymous.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert anonymous.get("/", follow_redirects=False).headers["location"] == "/login?next=/"


def test_every_state_changing_console_route_checks_csrf(services: Services) -> None:
    """A walk over the application: each non-API, non-webhook route taking POST, PUT, PATCH
    or DELETE depends on the CSRF check."""
    app = create_app(services)
    unchecked = []
    for route in app.routes:
        if not isinstance(route, APIRoute) or route.path.startswith(("/twilio/", "/api/")):
            continue
        if route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            calls = {d.call for d in route.dependant.dependencies}
            if check_csrf not in calls:
                unchecked.append(route.path)
    assert unchecked == []


def test_sign_in_sets_a_strict_session_cookie_and_rotates_it(
    services: Services, anonymous: TestClient
) -> None:
    """The cookie is HttpOnly and SameSite; a second sign-in replaces the first session."""
    add_staff(services, "sam", "front_desk")
    response = sign_in(anonymous, "sam")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "frontdesk_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    first = anonymous.cookies["frontdesk_session"]
    sign_in(anonymous, "sam")
    second = anonymous.cookies["frontdesk_session"]
    assert second != first
    anonymous.cookies.set("frontdesk_session", first)
    assert anonymous.get("/", follow_redirects=False).status_code == 303


def test_the_session_cookie_needs_https_in_production(services: Services) -> None:
    """In production the console refuses plain HTTP, and over HTTPS the cookie is Secure and
    host-only (`__Host-`)."""
    settings = services.settings.model_copy(
        update={
            "environment": Environment.PRODUCTION,
            "public_url": "https://frontdesk.example.org",
            "twilio_auth_token": SecretStr(TOKEN),
            "allowed_hosts": "",
            "simulator_enabled": False,
        }
    )
    prod = replace(services, settings=settings)
    add_staff(prod, "sam", "front_desk")
    with TestClient(create_app(prod), base_url="http://frontdesk.example.org") as plain:
        assert plain.get("/login").status_code == 400
        assert plain.get("/login", headers={"Host": "localhost"}).status_code == 400
    with TestClient(create_app(prod), base_url="https://frontdesk.example.org") as secure:
        page = secure.get("/login")
        assert page.status_code == 200
        assert page.headers["strict-transport-security"].startswith("max-age=")
        response = sign_in(secure, "sam")
        # Production requires a second factor: the password opens enrolment only.
        assert response.headers["location"] == "/account/second-factor"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("__Host-frontdesk_session=")
        assert "Secure" in cookie
        assert "HttpOnly" in cookie
        assert "Path=/" in cookie


def test_idle_sessions_are_signed_out(services: Services, clock: Clock) -> None:
    """After the idle time without a request the next page asks to sign in again."""
    settings = services.settings.model_copy(update={"session_idle_seconds": 60})
    short = replace(services, settings=settings)
    add_staff(short, "sam", "front_desk")
    with TestClient(create_app(short)) as browser:
        signed_in_as(browser, "sam")
        clock.now += timedelta(seconds=59)
        assert browser.get("/", follow_redirects=False).status_code == 200
        clock.now += timedelta(seconds=59)
        assert browser.get("/", follow_redirects=False).status_code == 200
        clock.now += timedelta(seconds=60)
        gone = browser.get("/?x=1", follow_redirects=False)
        assert gone.status_code == 303
        assert gone.headers["location"] == "/login?next=/%3Fx%3D1"


def test_a_page_left_open_still_signs_out_though_it_polls_for_alerts(
    services: Services, clock: Clock
) -> None:
    """The live alerts' polling is the page's doing, not a person's: it never restarts the
    idle clock, so an unattended console signs out."""
    settings = services.settings.model_copy(update={"session_idle_seconds": 60})
    short = replace(services, settings=settings)
    add_staff(short, "sam", "front_desk")
    with TestClient(create_app(short)) as browser:
        signed_in_as(browser, "sam")
        for _ in range(11):
            clock.now += timedelta(seconds=5)
            assert browser.get("/queue/live").status_code == 200
        clock.now += timedelta(seconds=6)
        assert browser.get("/", follow_redirects=False).status_code == 303


def test_lockout_after_five_failures_refuses_the_right_password(
    services: Services, anonymous: TestClient
) -> None:
    """Five wrong passwords lock the account: the sixth try, even right, is 429."""
    add_staff(services, "sam", "front_desk")
    for _ in range(4):
        assert sign_in(anonymous, "sam", "wrong password!").status_code == 401
    fifth = sign_in(anonymous, "sam", "wrong password!")
    assert fifth.status_code == 429
    assert "locked until" in fifth.text
    assert sign_in(anonymous, "sam").status_code == 429


def test_totp_enrolment_then_sign_in_with_a_code(
    services: Services, anonymous: TestClient, clock: Clock
) -> None:
    """With a second factor required, the first sign-in enrols (secret and otpauth link
    shown, a code confirms, recovery codes shown once); later sign-ins need a code."""
    settings = services.settings.model_copy(update={"require_totp": True})
    strict = replace(services, settings=settings)
    add_staff(strict, "sam", "front_desk")
    with TestClient(create_app(strict)) as browser:
        assert sign_in(browser, "sam").headers["location"] == "/account/second-factor"
        assert browser.get("/", follow_redirects=False).headers["location"] == (
            "/account/second-factor"
        )
        page = browser.get("/account/second-factor")
        assert "otpauth://totp/Frontdesk:sam?" in page.text
        secret = page.text.split('<code id="totp-secret">')[1].split("<")[0]
        wrong = browser.post(
            "/account/second-factor", data={"code": "000000", "csrf_token": form_token(page.text)}
        )
        assert wrong.status_code == 400
        done = browser.post(
            "/account/second-factor",
            data={"code": totp.code_at(secret, clock.now), "csrf_token": form_token(wrong.text)},
        )
        assert done.status_code == 200
        assert done.text.count("<li><code>") == 10
        assert browser.get("/").status_code == 200
        browser.cookies.clear()
        clock.now += timedelta(minutes=1)
        assert sign_in(browser, "sam").status_code == 401
        assert sign_in(browser, "sam", code=totp.code_at(secret, clock.now)).status_code == 303


def test_roles_see_their_links_and_are_refused_other_pages(
    services: Services, anonymous: TestClient
) -> None:
    """The nav shows each role its sections; reports refuse a clinician; an auditor reads
    reports but cannot post anything."""
    add_staff(services, "ames", "clinician", clinician_id=services.practice.clinicians[0].id)
    add_staff(services, "reader", "auditor")
    add_staff(services, "desk", "front_desk")
    signed_in_as(anonymous, "ames")
    home = anonymous.get("/").text
    assert 'href="/queue"' in home
    assert 'href="/calendar"' in home
    assert 'href="/inquiries"' not in home
    assert 'href="/users"' not in home
    assert anonymous.get("/reports").status_code == 403
    refused = anonymous.get("/reports", headers={"Accept": "text/html"})
    assert refused.status_code == 403
    assert "Not open to you" in refused.text
    anonymous.cookies.clear()
    signed_in_as(anonymous, "reader")
    home = anonymous.get("/").text
    assert 'href="/audit"' in home
    assert 'href="/reports"' in home
    assert 'href="/queue"' not in home
    assert anonymous.get("/reports").status_code == 200
    assert anonymous.post("/api/callbacks/x/done").status_code == 403
    assert anonymous.post("/simulator/api/calls", json={}).status_code == 403
    anonymous.cookies.clear()
    signed_in_as(anonymous, "desk")
    assert anonymous.get("/reports").status_code == 200
    assert anonymous.get("/simulator", follow_redirects=False).status_code == 403


def test_a_browser_without_a_session_is_sent_to_sign_in(anonymous: TestClient) -> None:
    """Pages redirect to the login page with the way back; the API answers 401."""
    for path in ("/", "/reports", "/simulator"):
        response = anonymous.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    assert anonymous.post("/simulator/api/calls", json={}).status_code == 401


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil"])
def test_sign_in_never_redirects_to_another_host(
    services: Services, anonymous: TestClient, target: str
) -> None:
    """A `next` that leaves this host sends the person home instead."""
    add_staff(services, "sam", "front_desk")
    token = form_token(anonymous.get("/login").text)
    response = anonymous.post(
        "/login",
        data={"username": "sam", "password": PASSWORD, "csrf_token": token, "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_the_simulator_refuses_real_call_ids(client: TestClient) -> None:
    """A Twilio CallSid (or anything not made by the simulator) is not found there."""
    sid = "CA" + "0" * 32
    assert client.get(f"/simulator/api/calls/{sid}").status_code == 404
    assert client.post(f"/simulator/api/calls/{sid}/turns", json={"seq": 1}).status_code == 404
    assert client.post(f"/simulator/api/calls/{sid}/hangup").status_code == 404


def test_enrolled_accounts_and_recovery_in_the_browser_flow(
    services: Services, anonymous: TestClient
) -> None:
    """An enrolled account signs in with its current code."""
    account = add_staff(services, "sam", "front_desk")
    secret = enrol_totp(services, account, services.clock() - timedelta(minutes=2))
    assert sign_in(anonymous, "sam").status_code == 401
    response = sign_in(anonymous, "sam", code=totp.code_at(secret, services.clock()))
    assert response.status_code == 303


def test_an_admin_manages_users_in_the_console(
    services: Services, client: TestClient, anonymous: TestClient
) -> None:
    """An admin adds a user (password generated and shown once, and it signs in), disables
    them (their session ends), enables and resets them; each change is audited."""
    page = client.get("/users")
    assert page.status_code == 200
    assert 'id="user-admin"' in page.text
    added = client.post("/users", data={"username": "Robin", "role": "front_desk"})
    assert added.status_code == 200
    password = added.text.split('<code id="new-password">')[1].split("<")[0]
    assert len(password) >= 20
    signed_in_as(anonymous, "robin", password)
    assert anonymous.get("/").status_code == 200
    assert client.post("/users/disable", data={"username": "robin"}).status_code == 200
    assert anonymous.get("/", follow_redirects=False).status_code == 303
    taken = client.post("/users", data={"username": "robin", "role": "admin"})
    assert taken.status_code == 400
    assert "taken" in taken.text
    assert client.post("/users/enable", data={"username": "robin"}).status_code == 200
    reset = client.post("/users/reset", data={"username": "robin", "second_factor": "yes"})
    fresh = reset.text.split('<code id="new-password">')[1].split("<")[0]
    assert fresh != password
    assert sign_in(anonymous, "robin", password).status_code == 401
    assert sign_in(anonymous, "robin", fresh).status_code == 303
    last = client.post("/users/disable", data={"username": "admin"})
    assert last.status_code == 400
    assert "last enabled admin" in last.text
    with services.uow() as uow:
        robin = uow.staff.get_by_username("robin")
    assert robin is not None
    kinds = [
        (r.entry.action, r.entry.detail)
        for r in audit.entries(uow=services.uow(), object_kind="staff_user", object_id=robin.id)
    ]
    assert ("create", "role=front_desk") in kinds
    assert ("change", "state=disabled sessions_ended=1") in kinds
    assert ("change", "password=reset second_factor=reset") in kinds


def test_only_admins_open_users_and_nobody_changes_them_without_the_token(
    services: Services, client: TestClient, anonymous: TestClient
) -> None:
    """Front desk and auditors get 403 on /users; an admin's post without the token is 403."""
    add_staff(services, "desk", "front_desk")
    add_staff(services, "reader", "auditor")
    for name in ("desk", "reader"):
        anonymous.cookies.clear()
        signed_in_as(anonymous, name)
        assert anonymous.get("/users").status_code == 403
        assert anonymous.post("/users", data={"username": "x1", "role": "admin"}).status_code == 403
    del client.headers["X-CSRF-Token"]
    assert client.post("/users", data={"username": "x2", "role": "admin"}).status_code == 403
    with services.uow() as uow:
        assert uow.staff.get_by_username("x1") is None
        assert uow.staff.get_by_username("x2") is None


def test_auditors_read_the_audit_log_and_check_its_chain(
    services: Services, anonymous: TestClient
) -> None:
    """An auditor lists sign-ins filtered by action, checks the chain, and the reading is
    itself recorded; a front-desk person is refused the log."""
    add_staff(services, "reader", "auditor")
    add_staff(services, "desk", "front_desk")
    assert sign_in(anonymous, "desk", "wrong password!").status_code == 401
    signed_in_as(anonymous, "desk")
    assert anonymous.get("/audit").status_code == 403
    anonymous.cookies.clear()
    signed_in_as(anonymous, "reader")
    page = anonymous.get("/audit", params={"action": "sign_in_failed", "kind": "staff_user"})
    assert page.status_code == 200
    assert page.text.count("<td>sign_in_failed</td>") == 1
    assert "reason=credentials" in page.text
    assert "<td>sign_in</td>" not in page.text
    everything = anonymous.get("/audit").text
    assert "role=auditor" in everything
    assert "<td>sign_in</td>" in everything
    check = anonymous.get("/audit/verify")
    assert check.status_code == 200
    assert "The chain holds" in check.text
    assert anonymous.get("/audit/verify", params={"anchor": "xyz"}).status_code == 400
    with services.uow() as uow:
        reader = uow.staff.get_by_username("reader")
    assert reader is not None
    views = audit.entries(uow=services.uow(), actor=reader.user.actor, object_kind="audit_log")
    assert [r.entry.action for r in views] == ["verify", "view", "view"]
    assert anonymous.post("/audit", data={}).status_code in (403, 405)
