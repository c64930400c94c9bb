"""`frontdesk outbox`: what is queued, sent, suppressed or uncertain; staff resolve the last."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.config import Settings
from frontdesk.domain.messages import MessageStatus, OutboundMessage, mask_address
from frontdesk.entrypoints.cli.common import print_json
from frontdesk.services import messages

HEADERS = ("ID", "STATUS", "CHANNEL", "PURPOSE", "TO", "SEND_AFTER", "TRIES", "LAST_ERROR")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "outbox",
        description="List the outbox: status, channel, purpose, masked recipient, when it "
        "may go, attempts and the last error code; message text is never shown. "
        "`frontdesk outbox resolve ID --sent|--resend` records what staff found for a "
        "message marked uncertain.",
    )
    parser.add_argument(
        "--status", choices=[s.value for s in MessageStatus], help="only messages in this state"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    actions = parser.add_subparsers(dest="outbox_action", metavar="ACTION")
    resolve = actions.add_parser("resolve", help="settle a message marked uncertain")
    resolve.add_argument("id", metavar="ID", help="the message id shown by `frontdesk outbox`")
    found = resolve.add_mutually_exclusive_group(required=True)
    found.add_argument("--sent", action="store_true", help="the provider's log shows it went out")
    found.add_argument("--resend", action="store_true", help="it never went out: queue it now")
    resolve.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print it as JSON"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        if args.outbox_action == "resolve":
            resolved = messages.resolve_uncertain(
                uow=uow, message_id=args.id, went_out=args.sent, at=datetime.now(UTC)
            )
            if args.json:
                print_json(as_json(resolved))
            else:
                print(f"{resolved.id} {resolved.status.value}")
            return 0
        status = MessageStatus(args.status) if args.status else None
        found = messages.list_messages(uow=uow, status=status)
    finally:
        engine.dispose()
    if args.json:
        print_json([as_json(message) for message in found])
    else:
        print(format_table(found))
    return 0


def as_json(message: OutboundMessage) -> dict[str, object]:
    """A message as plain JSON values, recipient masked and text left out."""
    return {
        "id": message.id,
        "status": message.status.value,
        "channel": message.channel.value,
        "purpose": message.purpose.value,
        "to": mask_address(message.to),
        "created_at": _iso(message.created_at),
        "send_after": _iso(message.send_after),
        "sent_at": None if message.sent_at is None else _iso(message.sent_at),
        "attempts": message.attempts,
        "last_error": message.last_error,
        "provider_id": message.provider_id,
        "call_id": message.call_id,
        "appointment_id": message.appointment_id,
        "inquiry_id": message.inquiry_id,
    }


def format_table(found: list[OutboundMessage]) -> str:
    """The outbox as aligned columns, one message per line."""
    if not found:
        return "no messages"
    rows = [
        (
            m.id,
            m.status.value,
            m.channel.value,
            m.purpose.value,
            mask_address(m.to),
            _iso(m.send_after),
            str(m.attempts),
            m.last_error or "-",
        )
        for m in found
    ]
    widths = [max(len(cell) for cell in column) for column in zip(HEADERS, *rows, strict=True)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in [HEADERS, *rows]
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
