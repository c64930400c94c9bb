"""What the scheduling commands share: the practice and a unit of work on a current schema."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.adapters.practice_file import load_practice
from frontdesk.config import Settings
from frontdesk.domain.appointments import Appointment
from frontdesk.domain.calendar import Slot
from frontdesk.domain.practice import Practice
from frontdesk.entrypoints.cli.common import resolve_practice_path


@dataclass(frozen=True, slots=True)
class Context:
    practice: Practice
    uow: SqlAlchemyUnitOfWork
    now: datetime


@contextmanager
def opened(args: argparse.Namespace, settings: Settings) -> Iterator[Context]:
    """The practice from `--practice` and a unit of work on the migrated database."""
    practice = load_practice(resolve_practice_path(args, settings))
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        yield Context(
            practice, SqlAlchemyUnitOfWork(make_session_factory(engine)), datetime.now(UTC)
        )
    finally:
        engine.dispose()


def local_iso(moment: datetime, practice: Practice) -> str:
    """An ISO 8601 time in the practice's timezone, with its offset."""
    return moment.astimezone(practice.zone).isoformat(timespec="minutes")


def slot_json(slot: Slot, practice: Practice) -> dict[str, object]:
    return {
        "clinician": slot.clinician_id,
        "kind": slot.kind.value,
        "start": local_iso(slot.start, practice),
        "end": local_iso(slot.end, practice),
        "modality": slot.modality.value,
        "location": slot.location_id,
    }


def appointment_json(appointment: Appointment, practice: Practice) -> dict[str, object]:
    return {
        "id": appointment.id,
        "kind": appointment.kind.value,
        "clinician": appointment.clinician_id,
        "start": local_iso(appointment.start, practice),
        "end": local_iso(appointment.end, practice),
        "modality": appointment.modality.value,
        "location": appointment.location_id,
        "status": appointment.status.value,
        "late": appointment.late,
        "booked_by_ai": appointment.booked_by_ai,
        "made_by": appointment.made_by,
        "inquiry_id": appointment.client.inquiry_id,
        "client_id": appointment.client.client_id,
        "rescheduled_from": appointment.rescheduled_from,
        "rescheduled_to": appointment.rescheduled_to,
    }


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Aligned text columns."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in [headers, *rows]
    )


def now_utc() -> datetime:
    return datetime.now(UTC)
