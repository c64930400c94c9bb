"""`frontdesk simulate`: replay a scripted call through the real services and database.

Each line of the script is one caller turn: text is speech, an empty line is silence,
`DIGITS: 123` is keypad input, `[0.42] text` is speech with that recogniser confidence,
and `#` starts a comment. The end of the file is a hang-up. With `--json` the outcome's
`appointment` is the one the call booked, moved to or cancelled (null otherwise).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bootstrap import Services, build
from frontdesk.config import Settings
from frontdesk.conversation.events import CallerPressed, CallerSaid, Event, Silence
from frontdesk.conversation.state import CallState
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.records import CallId
from frontdesk.entrypoints.cli.common import add_practice_option, print_json, resolve_practice_path
from frontdesk.services.call_report import CallReport, intake_summary, report
from frontdesk.services.calls import end_call, handle_turn, start_call

DEFAULT_CALLER = "+15555550100"
TURN_GAP = timedelta(seconds=8)
_CONFIDENCE = re.compile(r"^\[(?P<confidence>[01](?:\.\d+)?)\]\s*(?P<text>.*)$")


@dataclass(frozen=True, slots=True)
class ScriptedTurn:
    """One line of a call script, before it has a time."""

    text: str | None = None
    digits: str | None = None
    confidence: float | None = None

    def event(self, at: datetime) -> Event:
        if self.digits is not None:
            return CallerPressed(at, self.digits)
        if self.text is None:
            return Silence(at)
        return CallerSaid(at, self.text, self.confidence)


def parse_script(lines: Iterable[str]) -> list[ScriptedTurn]:
    """The caller turns of a call script (see the module docstring for the format)."""
    turns: list[ScriptedTurn] = []
    for raw in lines:
        line = raw.rstrip("\r\n").strip()
        if line.startswith("#"):
            continue
        if not line:
            turns.append(ScriptedTurn())
        elif line.upper().startswith("DIGITS:"):
            digits = line.split(":", 1)[1].strip()
            if not digits or any(ch not in "0123456789*#" for ch in digits):
                raise InvalidInput("a DIGITS line may hold only 0-9, * and #")
            turns.append(ScriptedTurn(digits=digits))
        elif match := _CONFIDENCE.match(line):
            turns.append(ScriptedTurn(text=match["text"], confidence=float(match["confidence"])))
        else:
            turns.append(ScriptedTurn(text=line))
    return turns


def run_script(
    turns: list[ScriptedTurn],
    *,
    services: Services,
    at: datetime,
    caller: str | None,
    before_turn: Callable[[Services, CallId], None] | None = None,
) -> CallReport:
    """Run a whole scripted call through the services; the end of the script hangs up.

    `before_turn` runs before each caller turn (tests use it to change the calendar while
    the call is under way).
    """
    opened = start_call(
        external_id=None, caller_number=caller, at=at, uow=services.uow(), context=services.engine
    )
    moment = at
    ended = opened.ended
    for turn in turns:
        if ended:
            break
        moment += TURN_GAP
        if before_turn is not None:
            before_turn(services, opened.call_id)
        result = handle_turn(
            call_id=opened.call_id,
            event=turn.event(moment),
            uow=services.uow(),
            context=services.engine,
        )
        ended = result.ended
    if not ended:
        end_call(
            call_id=opened.call_id,
            at=moment + TURN_GAP,
            uow=services.uow(),
            context=services.engine,
        )
    return report(call_id=opened.call_id, uow=services.uow())


def appointment_json(call: CallReport, zone: ZoneInfo) -> dict[str, str | None] | None:
    """The appointment the call booked, moved to or cancelled, in practice local time,
    with the client's name from the stored inquiry it was booked for."""
    state = CallState.from_dict(dict(call.call.state))
    done = state.booking.done if state.booking else None
    if done is None:
        return None
    slot = done.slot
    return {
        "kind": slot.kind.value,
        "clinician": done.clinician,
        "start": slot.start.astimezone(zone).isoformat(),
        "modality": slot.modality.value,
        "client_name": (call.inquiry.intake if call.inquiry else call.intake).client_name,
    }


def call_json(call: CallReport, zone: ZoneInfo) -> dict[str, object]:
    """The `frontdesk simulate --json` document for a call."""
    turns = []
    for turn in call.turns:
        caller: str | None = turn.caller_text
        if turn.kind.value == "silence":
            caller = ""
        elif turn.kind.value == "digits":
            caller = f"DIGITS: {turn.digits}"
        turns.append(
            {
                "caller": caller,
                "agent": turn.agent_text,
                "route": turn.route.value,
                "intent": turn.intent.value if turn.intent else None,
            }
        )
    handoff = call.main_handoff
    intake = call.intake
    return {
        "turns": turns,
        "outcome": {
            "result": call.result.value,
            "route": call.call.route.value,
            "intent": call.call.intent.value if call.call.intent else None,
            "intake": intake_summary(intake),
            "evidence": call.evidence,
            "handoff": None
            if handoff is None
            else {
                "category": handoff.category.value,
                "urgency": handoff.urgency.value,
                "summary": handoff.summary,
            },
            "appointment": appointment_json(call, zone),
        },
    }


def _aware(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date-time: {value!r}") from None
    if moment.utcoffset() is None:
        raise argparse.ArgumentTypeError("--at needs a UTC offset, e.g. 2026-03-03T10:00:00-06:00")
    return moment


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "simulate",
        description=__doc__,
    )
    parser.add_argument("--script", type=Path, required=True, metavar="FILE")
    parser.add_argument("--at", type=_aware, default=None, metavar="ISO-DATETIME")
    parser.add_argument("--caller", default=DEFAULT_CALLER, metavar="NUMBER")
    parser.add_argument("--json", action="store_true", help="print the call record as JSON")
    add_practice_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    script: Path = args.script
    if not script.is_file():
        raise InvalidInput(f"no call script at {script}")
    turns = parse_script(script.read_text(encoding="utf-8").splitlines())
    upgrade(settings.database_url)
    services = build(settings, practice_file=resolve_practice_path(args, settings))
    at: datetime = args.at or services.clock()
    caller: str | None = args.caller or None
    call = run_script(turns, services=services, at=at, caller=caller)
    if args.json:
        print_json(call_json(call, services.practice.zone))
        return 0
    for turn in call.turns:
        if turn.caller_text is not None or turn.digits is not None:
            print(f"caller> {turn.caller_text or 'DIGITS: ' + (turn.digits or '')}")
        if turn.agent_text:
            print(f"agent>  {turn.agent_text}")
    intent = call.call.intent.value if call.call.intent else None
    print(f"-- {call.result.value} (route {call.call.route.value}, intent {intent})")
    return 0
