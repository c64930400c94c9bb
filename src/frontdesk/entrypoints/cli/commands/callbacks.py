"""`frontdesk callbacks`: the staff callback queue; start, snooze, reopen, log an attempt on
and finish a task."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.config import Settings
from frontdesk.domain.audit import Actor, AuditAction
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.handoffs import NOTE_MAX_LENGTH, AttemptOutcome, Handoff, HandoffStatus
from frontdesk.entrypoints.cli.common import print_json
from frontdesk.services import audit, callbacks


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "callbacks",
        description="List hand-offs and callback tasks not done yet (open, in progress, "
        "waiting), most urgent first, then oldest first; work one with an action.",
    )
    parser.add_argument("--all", action="store_true", help="include tasks already done")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    actions = parser.add_subparsers(dest="callbacks_action", metavar="ACTION")
    done = _action(actions, "done", "mark a callback task done now")
    _action(actions, "start", "mark a task in progress")
    _action(actions, "reopen", "put a task back in the queue as open")
    wait = _action(actions, "wait", "snooze a task until a time or the caller's next contact")
    wait.add_argument("--until", metavar="ISO-DATETIME", help="back in the queue at this time")
    wait.add_argument(
        "--until-contact",
        action="store_true",
        help="back in the queue when the caller calls or texts again",
    )
    attempt = _action(actions, "attempt", "log one callback attempt with its outcome")
    attempt.add_argument(
        "--outcome",
        required=True,
        choices=[o.value for o in AttemptOutcome],
        help="what came of it",
    )
    attempt.add_argument(
        "--note", default="", help=f"a note (at most {NOTE_MAX_LENGTH} characters)"
    )
    attempt.add_argument(
        "--then",
        choices=["done", "waiting", "open"],
        help="the task's status afterwards (default: in progress)",
    )
    del done
    parser.set_defaults(handler=run)


def _action(
    actions: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help: str
) -> argparse.ArgumentParser:
    action = actions.add_parser(name, help=help)
    action.add_argument("id", metavar="ID", help="the task id shown by `frontdesk callbacks`")
    # SUPPRESS keeps `callbacks --json done ID` working: the sub-parser sets json only if given.
    action.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print the task as JSON"
    )
    return action


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        now = datetime.now(UTC)
        if args.callbacks_action == "done":
            return _done(args, uow, now)
        if args.callbacks_action is not None:
            return _act(args, uow, now)
        listed = callbacks.list_all(uow=uow) if args.all else callbacks.list_open(uow=uow)
        tasks = [task.current(now) for task in listed]  # a wait whose time came is open
        # Recorded before anything is shown: a read that cannot be audited shows nothing.
        audit.record_standalone(
            uow=uow,
            actor=Actor.CLI,
            action=AuditAction.VIEW,
            object_kind="handoff_queue",
            detail=f"scope={'all' if args.all else 'open'} rows={len(tasks)}",
            at=now,
        )
        if args.json:
            print_json([as_json(task, now) for task in tasks])
        else:
            worked = any(task.status is not HandoffStatus.OPEN for task in tasks)
            print(format_table(tasks, now, show_status=args.all or worked))
        return 0
    finally:
        engine.dispose()


def _done(args: argparse.Namespace, uow: SqlAlchemyUnitOfWork, now: datetime) -> int:
    task = callbacks.complete(handoff_id=args.id, at=now, actor=Actor.CLI, uow=uow)
    if args.json:
        print_json(as_json(task, now))
    elif task.completed_at is not None:
        already = "was already done" if task.completed_at != now else "done"
        print(f"{task.id} {already} at {_iso(task.completed_at)}")
    return 0


def _act(args: argparse.Namespace, uow: SqlAlchemyUnitOfWork, now: datetime) -> int:
    action = args.callbacks_action
    if action == "start":
        task = callbacks.start(handoff_id=args.id, at=now, uow=uow, actor=Actor.CLI)
    elif action == "reopen":
        task = callbacks.reopen(handoff_id=args.id, at=now, uow=uow, actor=Actor.CLI)
    elif action == "wait":
        until = None if args.until is None else parse_moment(args.until)
        task = callbacks.wait(
            handoff_id=args.id,
            at=now,
            until=until,
            on_contact=args.until_contact,
            uow=uow,
            actor=Actor.CLI,
        )
    else:
        then = None if args.then is None else HandoffStatus(args.then)
        task = callbacks.record_attempt(
            handoff_id=args.id,
            outcome=AttemptOutcome(args.outcome),
            note=args.note,
            then=then,
            at=now,
            uow=uow,
            actor=Actor.CLI,
        ).handoff
    if args.json:
        print_json(as_json(task, now))
    else:
        print(f"{task.id} {task.status.value}")
    return 0


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time with its UTC offset (`2026-03-02T15:00-06:00`, `…Z`)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "--until must be an ISO 8601 date-time, e.g. 2026-03-02T15:00-06:00"
        ) from None
    if moment.utcoffset() is None:
        raise InvalidInput("--until needs a UTC offset, e.g. 2026-03-02T15:00-06:00")
    return moment


def as_json(task: Handoff, now: datetime) -> dict[str, object]:
    """A task as plain JSON values (times in ISO 8601 UTC, age in whole seconds)."""
    return {
        "id": task.id,
        "category": task.category.value,
        "urgency": task.urgency.value,
        "status": task.status.value,
        "created_at": _iso(task.created_at),
        "completed_at": None if task.completed_at is None else _iso(task.completed_at),
        "age_seconds": int((now - task.created_at).total_seconds()),
        "caller_number": task.caller_number,
        "call_id": task.call_id,
        "inquiry_id": task.inquiry_id,
        "summary": task.summary,
        "details": task.details,
        "assigned_to": task.assigned_to,
        "waiting_until": None if task.waiting_until is None else _iso(task.waiting_until),
        "wake_on_contact": task.wake_on_contact,
    }


def format_table(tasks: list[Handoff], now: datetime, *, show_status: bool = False) -> str:
    """The queue as aligned text columns, one task per line, summary last."""
    if not tasks:
        return "no callback tasks" if show_status else "no open callback tasks"
    headers = ["ID", "CATEGORY", "URGENCY", *(["STATUS"] if show_status else []), "AGE", "CALLER"]
    rows = [
        [
            task.id,
            task.category.value,
            task.urgency.value,
            *([task.status.value] if show_status else []),
            format_age(now - task.created_at),
            task.caller_number or "-",
        ]
        for task in tasks
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for cells, task in zip([headers, *rows], [None, *tasks], strict=True):
        summary = "SUMMARY" if task is None else _one_line(task.summary)
        padded = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        lines.append(f"{padded}  {summary}")
    return "\n".join(lines)


def format_age(age: timedelta) -> str:
    """A short age: `45m`, `3h05m`, `2d04h` (never negative)."""
    minutes = max(0, int(age.total_seconds()) // 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
