"""The browser call simulator: a person plays the caller, the page shows what the system did.

    GET  /simulator                            the page (off unless FRONTDESK_SIMULATOR_ENABLED)
    POST /simulator/api/calls                  start a call: the greeting
    POST /simulator/api/calls/{sid}/turns      one turn: typed words or keypad digits
    POST /simulator/api/calls/{sid}/hangup     the caller hangs up
    GET  /simulator/api/calls/{sid}            the records the call created, with the
                                               appointment it booked, moved to or cancelled

It drives the same phone use cases as Twilio does, so what it shows is what a call does.
Only a signed-in admin may use it (every POST carries the session's CSRF token), and only
on calls it started itself: a call id that is not a simulator id (`SIM` and 32 hex digits)
is refused, so no real call can be read or steered from here. What a call stored is PHI
whoever typed it, so every read of it (the records, and the records shown at hang-up) is
audited like the API's reads.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from importlib import resources
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from markupsafe import escape
from pydantic import BaseModel, Field

from frontdesk.bootstrap import Services
from frontdesk.conversation.events import CallerPressed, CallerSaid, Event, Silence
from frontdesk.conversation.state import CallState, Offer
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.records import CallId
from frontdesk.domain.staff import Role, StaffUser
from frontdesk.entrypoints.web.api import CallDetail, call_detail
from frontdesk.entrypoints.web.console.auth import require_roles
from frontdesk.entrypoints.web.console.csrf import check_csrf, csrf_token
from frontdesk.entrypoints.web.dependencies import services_of, voice_of
from frontdesk.services import audit, missed_calls, voice
from frontdesk.services.telephony import VoiceDeps
from frontdesk.services.voice import Reply

PACKAGE = "frontdesk.entrypoints.web"
SIMULATED = re.compile(r"^SIM[0-9a-f]{32}$")


def enabled(request: Request) -> None:
    """FastAPI dependency: 404 unless the simulator is enabled in settings."""
    if not services_of(request).settings.simulator_enabled:
        raise HTTPException(status_code=404, detail="the simulator is not enabled")


def simulated(call_sid: str) -> str:
    """FastAPI dependency: the path's call id, or 404 when it is not a simulator's call."""
    if not SIMULATED.fullmatch(call_sid):
        raise HTTPException(status_code=404, detail="no such simulated call")
    return call_sid


router = APIRouter(
    prefix="/simulator",
    tags=["simulator"],
    dependencies=[Depends(enabled), Depends(require_roles(Role.ADMIN)), Depends(check_csrf)],
)
Sid = Annotated[str, Depends(simulated)]
App = Annotated[Services, Depends(services_of)]
Deps = Annotated[VoiceDeps, Depends(voice_of)]
Admin = Annotated[StaffUser, Depends(require_roles(Role.ADMIN))]


class StartCall(BaseModel):
    caller_number: str | None = Field(default=None, max_length=20)


class CallerTurn(BaseModel):
    seq: int = Field(ge=1)
    text: str = Field(default="", max_length=2000)
    digits: str | None = Field(default=None, max_length=32, pattern=r"^[0-9*#]+$")


class SpokenLine(BaseModel):
    text: str
    whole: bool
    language: str | None = None  # a BCP-47 tag when not spoken in the practice's voice


class AgentTurn(BaseModel):
    call_sid: str
    call_id: str
    seq: int
    next_seq: int
    lines: list[SpokenLine]
    route: str  # this turn's safety route
    call_route: str  # the most severe route of the call so far
    intent: str | None
    transfer_to: str | None
    ended: bool

    @staticmethod
    def of(call_sid: str, reply: Reply) -> AgentTurn:
        return AgentTurn(
            call_sid=call_sid,
            call_id=reply.call_id,
            seq=reply.seq,
            next_seq=reply.next_seq,
            lines=[
                SpokenLine(text=t, whole=w, language=v)
                for t, w, v in zip(
                    reply.texts,
                    reply.whole,
                    reply.voices or (None,) * len(reply.texts),
                    strict=True,
                )
            ],
            route=reply.route.value,
            call_route=reply.call_route.value,
            intent=reply.intent.value if reply.intent else None,
            transfer_to=reply.transfer_to,
            ended=reply.ended or reply.hang_up,
        )


class CallAppointment(BaseModel):
    """The appointment a call booked, moved to or cancelled, as it was read to the caller."""

    kind: str
    start: datetime
    when: str
    clinician: str
    modality: str
    location: str | None

    @staticmethod
    def of(offer: Offer, zone: ZoneInfo) -> CallAppointment:
        slot = offer.slot
        return CallAppointment(
            kind=slot.kind.value,
            start=slot.start.astimezone(zone),
            when=offer.when,
            clinician=offer.clinician,
            modality=slot.modality.value,
            location=offer.location,
        )


class SimulatedCall(CallDetail):
    """What the simulated call stored, with the appointment it booked, moved to or cancelled."""

    appointment: CallAppointment | None


def simulated_call(
    services: Services, call_id: CallId, *, reader: StaffUser, request: Request
) -> SimulatedCall:
    """The call's records and, read from the engine's state, the appointment it settled.

    The read is audited before it is answered: a read that cannot be audited fails.
    """
    detail = call_detail(services, call_id)
    audit.record_standalone(
        uow=services.uow(),
        actor=reader.actor,
        action=AuditAction.VIEW,
        object_kind="call",
        object_id=call_id,
        source=request.client.host if request.client else None,
        detail="part=simulator",
    )
    with services.uow() as uow:
        call = uow.calls.get(call_id)
    state = CallState.from_dict(dict(call.state)) if call is not None and call.state else None
    done = state.booking.done if state is not None and state.booking is not None else None
    appointment = None if done is None else CallAppointment.of(done, services.practice.zone)
    return SimulatedCall(**dict(detail), appointment=appointment)


@router.get("", response_class=HTMLResponse)
async def page(request: Request) -> HTMLResponse:
    """The simulator page, with the session's CSRF token for its requests."""
    html = resources.files(PACKAGE).joinpath("templates/simulator.html").read_text("utf-8")
    meta = f'<meta name="csrf-token" content="{escape(await csrf_token(request))}">'
    return HTMLResponse(html.replace("</head>", f"{meta}\n</head>", 1))


@router.post("/api/calls")
def start(body: StartCall, deps: Deps, services: App) -> AgentTurn:
    """A new simulated call answered with the greeting."""
    sid = f"SIM{uuid.uuid4().hex}"
    reply = voice.answer_call(
        call_sid=sid, caller_number=body.caller_number, at=services.clock(), deps=deps
    )
    return AgentTurn.of(sid, reply)


@router.post("/api/calls/{call_sid}/turns")
def turn(call_sid: Sid, body: CallerTurn, deps: Deps, services: App) -> AgentTurn:
    """What the caller typed or pressed, and the agent's answer."""
    at = services.clock()
    event: Event
    if body.digits:
        event = CallerPressed(at, body.digits)
    elif body.text.strip():
        event = CallerSaid(at, body.text.strip(), None)
    else:
        event = Silence(at)
    reply = voice.take_turn(call_sid=call_sid, seq=body.seq, event=event, deps=deps)
    return AgentTurn.of(call_sid, reply)


@router.post("/api/calls/{call_sid}/hangup")
def hang_up(
    call_sid: Sid, deps: Deps, services: App, user: Admin, request: Request
) -> SimulatedCall:
    """The caller hung up: the call ends as a status callback would end it."""
    call = missed_calls.call_status(
        call_sid=call_sid, status="completed", caller_number=None, at=services.clock(), deps=deps
    )
    if call is None:  # pragma: no cover - `completed` always ends the call
        raise HTTPException(status_code=500, detail="the call did not end")
    return simulated_call(services, call.id, reader=user, request=request)


@router.get("/api/calls/{call_sid}")
def records(call_sid: Sid, services: App, user: Admin, request: Request) -> SimulatedCall:
    """Everything the simulated call stored: outcome, intake, transcript, tasks, appointment."""
    with services.uow() as uow:
        call = uow.calls.get_by_external_id(call_sid)
    if call is None:
        raise HTTPException(status_code=404, detail="no such simulated call")
    return simulated_call(services, call.id, reader=user, request=request)


def install(app: FastAPI) -> None:
    """Add the simulator's routes and its script to `app`."""
    app.include_router(router)
    static = resources.files(PACKAGE).joinpath("static")
    app.mount("/simulator/static", StaticFiles(directory=str(static)), name="simulator-static")
