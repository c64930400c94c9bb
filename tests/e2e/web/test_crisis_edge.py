"""The web edge answers crisis callers on its own: over the turn budget, when the turn
handler fails, at the fallback URL, and with the database refusing or hanging."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from tests.conftest import postgres_database
from tests.fakes import FakeNotifier
from tests.faults import Faults

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bootstrap import Services, build
from frontdesk.conversation.flows.base import practice_say
from frontdesk.conversation.lines import Line
from frontdesk.entrypoints.web.app import create_app

from .conftest import CALLER, TestClient, Twilio
from .test_twilio_voice import SID, says, start, stored

CRISIS = "honestly I don't want to live anymore"
EMERGENCY = "I just took a whole bottle of pills"
ROUTINE = "I'd like to book a first appointment"
BUDGET = 0.5
SLACK = 2.0  # seconds a busy machine may add to an answer given at the budget (a wait on
# the database would take its 10 s lock timeout or hang)


def with_budget(services: Services, seconds: float = BUDGET) -> Services:
    return replace(
        services,
        settings=services.settings.model_copy(update={"voice_turn_budget_seconds": seconds}),
    )


def gather(twilio: Twilio, words: str) -> ET.Element:
    return twilio.twiml(
        "/twilio/voice/gather?turn=1",
        {"CallSid": SID, "From": CALLER, "SpeechResult": words, "Confidence": "0.9"},
    )


def crisis_wording(root: ET.Element) -> str:
    """The first line spoken, which must be the whole crisis or emergency line."""
    first = root[0]
    assert first.tag == "Say"
    return first.text or ""


@pytest.mark.parametrize(
    ("words", "number", "voicemail"),
    [(CRISIS, "988", True), (EMERGENCY, "911", False)],
)
def test_a_turn_over_budget_speaks_the_crisis_wording_and_the_turn_still_lands(
    twilio: Twilio, services: Services, words: str, number: str, voicemail: bool
) -> None:
    """Past the time budget, crisis words hear the whole 988 or 911 wording (not only a
    voicemail prompt), and the turn with its hand-off and page still commits."""
    start(twilio)
    with TestClient(create_app(with_budget(services, 0.0))) as client:
        root = gather(Twilio(client), words)
        for _ in range(500):
            if len(stored(services)[1]) == 2:
                break
            time.sleep(0.01)
    assert number in crisis_wording(root)
    assert (root.find("Record") is not None) is voicemail
    assert root[-1].tag == "Hangup"
    assert root.find("Gather") is None
    _, turns, handoffs = stored(services)
    assert [t.seq for t in turns] == [0, 1]
    assert [h.urgency.value for h in handoffs] == ["urgent"]


@pytest.mark.parametrize(
    ("words", "number", "voicemail"),
    [(CRISIS, "988", True), (EMERGENCY, "911", False)],
)
def test_a_failing_turn_handler_speaks_the_crisis_wording(
    twilio: Twilio, services: Services, words: str, number: str, voicemail: bool
) -> None:
    """When the turn's use case fails, the edge screens the words itself, speaks the whole
    988 or 911 wording, and pages on-call directly, saying nothing was recorded."""
    start(twilio)
    failing = replace(services, uow=Faults(services.uow, fail_blocks=range(1, 100)))
    notifier = FakeNotifier()
    with TestClient(create_app(failing, notifier=notifier)) as client:
        root = gather(Twilio(client), words)
    [page] = notifier.sent
    assert (page.to, page.purpose.value) == (services.practice.phones.on_call, "page")
    assert "could not record" in page.body
    assert CALLER in page.body
    assert words not in page.body
    line = Line.CRISIS if number == "988" else Line.EMERGENCY
    practice = services.practice
    assert crisis_wording(root) == practice.scripts.render(practice_say(line, practice))
    assert (root.find("Record") is not None) is voicemail
    assert root[-1].tag == "Hangup"


def test_a_failing_turn_handler_offers_other_callers_a_voicemail(
    twilio: Twilio, services: Services
) -> None:
    """Words without crisis language are offered a voicemail when the turn fails."""
    start(twilio)
    failing = replace(services, uow=Faults(services.uow, fail_blocks=range(1, 100)))
    with TestClient(create_app(failing)) as client:
        root = gather(Twilio(client), ROUTINE)
    assert root.find("Record") is not None
    assert "988" not in says(root)


@pytest.mark.parametrize(("words", "number"), [(CRISIS, "988"), (EMERGENCY, "911")])
def test_the_fallback_url_screens_the_speech_it_received(
    twilio: Twilio, words: str, number: str
) -> None:
    """Twilio's fallback request carries the caller's speech: crisis words hear the wording."""
    root = twilio.twiml(
        "/twilio/voice/fallback",
        {"CallSid": SID, "From": CALLER, "SpeechResult": words, "ErrorCode": "11200"},
    )
    assert number in crisis_wording(root)


# --- the database refusing or hanging ----------------------------------------------------


class Hanging:
    """A TCP listener that accepts connections and never answers (a hung database server)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.accepted:
            connection.close()


@dataclass
class Broken:
    """A database URL with a fault, and how to clear the fault (before the app shuts down,
    so the work left waiting on it ends)."""

    url: str
    clear: Callable[[], None] = lambda: None


@pytest.fixture(
    params=[
        "sqlite-refusing",
        "sqlite-hanging",
        pytest.param("postgres-refusing", marks=pytest.mark.postgres),
        pytest.param("postgres-hanging", marks=pytest.mark.postgres),
        pytest.param("postgres-locked", marks=pytest.mark.postgres),
    ]
)
def broken(request: pytest.FixtureRequest, services: Services, tmp_path: Path) -> Iterator[Broken]:
    """A database that refuses connections or accepts them and never answers."""
    kind = request.param
    if kind == "sqlite-refusing":
        yield Broken(f"sqlite:///{tmp_path / 'missing' / 'frontdesk.db'}")
    elif kind == "sqlite-hanging":
        url = services.settings.database_url
        holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another connection holds the write lock

        def release() -> None:
            if holder.in_transaction:
                holder.execute("ROLLBACK")

        try:
            yield Broken(url, release)
        finally:
            release()
            holder.close()
    elif kind == "postgres-refusing":
        with socket.socket() as probe:  # a port nobody listens on once the probe closes
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        yield Broken(f"postgresql://postgres@127.0.0.1:{port}/test")
    elif kind == "postgres-hanging":
        hanging = Hanging()
        try:
            yield Broken(f"postgresql://postgres@127.0.0.1:{hanging.port}/test", hanging.close)
        finally:
            hanging.close()
    else:
        yield from locked_postgres()


def locked_postgres() -> Iterator[Broken]:
    """A migrated PostgreSQL database whose tables another connection holds locked."""
    database = postgres_database()  # skips when no server answers
    url = next(database)
    upgrade(url)
    engine = make_engine(url)
    holder = engine.connect()
    lock = holder.begin()
    holder.exec_driver_sql("LOCK TABLE calls, inbound_texts, handoffs IN ACCESS EXCLUSIVE MODE")

    def release() -> None:
        if lock.is_active:
            lock.rollback()

    try:
        yield Broken(url, release)
    finally:
        release()
        holder.close()
        engine.dispose()
        next(database, None)  # drops the database


@dataclass
class Timed(Twilio):
    """A Twilio client that keeps the longest time each webhook path took to answer."""

    took: dict[str, float] = field(default_factory=dict)

    def post(self, path: str, fields: Mapping[str, str], *, signature: str | None = None):  # type: ignore[no-untyped-def]
        began = time.monotonic()
        try:
            return super().post(path, fields, signature=signature)
        finally:
            self.took[path] = max(self.took.get(path, 0.0), time.monotonic() - began)


def test_every_webhook_answers_with_approved_twiml_when_the_database_fails(
    services: Services, broken: Broken
) -> None:
    """With the database refusing or hanging, every voice and SMS webhook answers 200 with
    approved TwiML, each within the budget: crisis words hear the 988 or 911 wording, a crisis
    text gets the 988 reply, everyone else a voicemail or the approved apology; /healthz says
    503 within its own wait."""
    settings = services.settings.model_copy(
        update={"voice_turn_budget_seconds": BUDGET, "database_url": broken.url}
    )
    engine = make_engine(broken.url)
    sessions = make_session_factory(engine)
    faulty = build(
        settings,
        practice=services.practice,
        clock=services.clock,
        uow=lambda: SqlAlchemyUnitOfWork(sessions),
    )
    call = {"CallSid": SID, "From": CALLER}
    notifier = FakeNotifier()
    with TestClient(create_app(faulty, notifier=notifier)) as client:
        twilio = Timed(client)
        try:
            greeting = twilio.twiml("/twilio/voice/incoming", call)
            crisis = gather(twilio, CRISIS)
            emergency = gather(twilio, EMERGENCY)
            routine = gather(twilio, ROUTINE)
            fallback = twilio.twiml("/twilio/voice/fallback", {**call, "SpeechResult": CRISIS})
            status = twilio.twiml("/twilio/voice/status", {**call, "CallStatus": "completed"})
            dial = twilio.twiml("/twilio/voice/dial", {**call, "DialCallStatus": "no-answer"})
            missed = {
                route: twilio.twiml(
                    f"/twilio/voice/dial?turn=3&route={route}",
                    {**call, "DialCallStatus": "no-answer"},
                )
                for route in ("crisis", "emergency")
            }
            whisper = twilio.twiml("/twilio/voice/whisper?call=abc123", {"CallSid": "CAchild"})
            recording = twilio.twiml(
                "/twilio/voice/recording", {**call, "RecordingSid": "RE1", "RecordingDuration": "9"}
            )
            transcription = twilio.twiml(
                "/twilio/voice/transcription",
                {**call, "RecordingSid": "RE1", "TranscriptionText": "hi"},
            )
            texts = {
                body: twilio.twiml(
                    "/twilio/sms/incoming",
                    {"MessageSid": f"SM{n}", "From": CALLER, "Body": body},
                )
                for n, body in enumerate((CRISIS, EMERGENCY, ROUTINE))
            }
            began = time.monotonic()
            health = client.get("/healthz")
            health_took = time.monotonic() - began
        finally:
            broken.clear()
    engine.dispose()
    # Each webhook answered within the budget (with room for a busy machine), never after
    # waiting on the database; /healthz has its own 2 s wait.
    slow = {path: round(took, 2) for path, took in twilio.took.items() if took > BUDGET + SLACK}
    assert slow == {}
    assert health_took < 2 + SLACK
    assert greeting.find("Record") is not None
    assert "988" in crisis_wording(crisis)
    assert crisis.find("Record") is not None
    assert "911" in crisis_wording(emergency)
    assert emergency[-1].tag == "Hangup"
    assert routine.find("Record") is not None
    assert "988" not in says(routine)
    assert "988" in crisis_wording(fallback)
    assert list(status) == []
    assert dial.find("Record") is not None
    # A crisis or emergency call whose transfer nobody answered keeps its wording.
    assert "988" in crisis_wording(missed["crisis"])
    assert missed["crisis"].find("Record") is not None
    assert "911" in crisis_wording(missed["emergency"])
    assert missed["emergency"][-1].tag == "Hangup"
    assert "urgent" in says(whisper)
    assert recording[-1].tag == "Hangup"
    assert list(transcription) == []
    replies = {body: root.findtext("Message") or "" for body, root in texts.items()}
    assert "988" in replies[CRISIS]
    assert "911" in replies[EMERGENCY]
    assert "could not take your text" in replies[ROUTINE]
    assert health.status_code == 503
    body = health.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] != "ok"
    # The crisis and emergency call turns, the fallback, the two missed transfers and the
    # two urgent texts.
    assert sorted(p.body.split(" from ")[0] for p in notifier.sent) == sorted(
        [
            "Frontdesk URGENT: crisis call",
            "Frontdesk URGENT: emergency call",
            "Frontdesk URGENT: crisis call",
            "Frontdesk URGENT: crisis call",
            "Frontdesk URGENT: emergency call",
            "Frontdesk URGENT: crisis text",
            "Frontdesk URGENT: emergency text",
        ]
    )


SLOW_TEXT = "Hi, can someone call me back about my insurance?"


def _text(client: TestClient, sid: str, body: str) -> ET.Element:
    return Twilio(client).twiml(
        "/twilio/sms/incoming", {"MessageSid": sid, "From": CALLER, "Body": body}
    )


def _replies_queued(services: Services) -> list[tuple[str, str]]:
    with services.uow() as uow:
        return [
            (m.dedupe_key or "", m.body)
            for m in uow.messages.list_all()
            if m.purpose.value == "reply"
        ]


def _wait_for(check: Callable[[], bool]) -> None:
    for _ in range(1000):
        if check():
            return
        time.sleep(0.01)
    raise AssertionError("the late handling never finished")


def test_a_slow_text_already_stored_is_not_told_to_try_again_and_its_reply_follows(
    services: Services,
) -> None:
    """The text was stored when the wait ran out: the webhook answers nothing rather than
    "we could not take your text", and the handling, finishing late, sends its reply as a
    text of its own, once; the task is opened as always."""
    slow = Faults(services.uow, stall_blocks={2})  # block 1 claims the text; 2 hangs
    with TestClient(create_app(replace(with_budget(services, 3.0), uow=slow))) as client:
        root = _text(client, "SMslow1", SLOW_TEXT)
        assert list(root) == []
        slow.released.set()
        _wait_for(lambda: bool(_replies_queued(services)))
    [(key, body)] = _replies_queued(services)
    assert key == "reply:SMslow1"
    assert "received your message" in body
    with services.uow() as uow:
        assert [t.caller_number for t in uow.handoffs.list_queue()] == [CALLER]


def test_a_text_the_edge_could_not_store_in_time_is_asked_again_and_still_handled(
    services: Services,
) -> None:
    """The claim itself hung: the sender hears the approved try-again line, and when the
    database comes back the text is handled anyway and answered, nothing lost."""
    slow = Faults(services.uow, stall_blocks={1})
    with TestClient(create_app(replace(with_budget(services), uow=slow))) as client:
        root = _text(client, "SMslow2", SLOW_TEXT)
        assert "could not take your text" in (root.findtext("Message") or "")
        slow.released.set()
        _wait_for(lambda: bool(_replies_queued(services)))
    with services.uow() as uow:
        assert len(uow.handoffs.list_queue()) == 1


def test_a_slow_crisis_text_gets_the_988_line_once(services: Services) -> None:
    """Crisis words in a slow text: the webhook's own screen sends the 988 line and pages;
    the handling, finishing late, stores the hand-off but sends no second 988 text."""
    slow = Faults(services.uow, stall_blocks={1})
    notifier = FakeNotifier()
    app = create_app(replace(with_budget(services), uow=slow), notifier=notifier)
    with TestClient(app) as client:
        root = _text(client, "SMslow3", CRISIS)
        assert "988" in (root.findtext("Message") or "")
        slow.released.set()

        def handed_off() -> bool:
            with services.uow() as uow:
                return bool(uow.handoffs.list_queue())

        _wait_for(handed_off)
    assert _replies_queued(services) == []
    assert len(notifier.sent) == 1
