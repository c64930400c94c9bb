"""iCalendar in and out: the EHR's busy time imported per clinician, bookings as a feed."""

from __future__ import annotations

from datetime import datetime, timedelta

from frontdesk.adapters.ics import export_feed, import_busy
from frontdesk.domain.errors import NotFound
from frontdesk.domain.practice import Clinician, Practice
from frontdesk.domain.records import require_aware
from frontdesk.services.unit_of_work import UnitOfWork

FEED_PAST = timedelta(days=30)  # the feed keeps a month of history for staff
FEED_AHEAD = timedelta(days=366)


def _clinician(practice: Practice, clinician_id: str) -> Clinician:
    clinician = practice.clinician(clinician_id)
    if clinician is None:
        raise NotFound(f"no clinician {clinician_id} in the practice file")
    return clinician


def import_ics(
    *, clinician_id: str, ics_bytes: bytes, at: datetime, uow: UnitOfWork, practice: Practice
) -> int:
    """Replace the clinician's imported busy time with the file's events; how many intervals.

    Recurring events are expanded a year ahead of `at`. Raises `InvalidInput` for a file
    that is not a readable iCalendar and `NotFound` for an unknown clinician.
    """
    require_aware(at, "at")
    _clinician(practice, clinician_id)
    busy = import_busy(
        ics_bytes, clinician_id, zone=practice.zone, expand_until=at + timedelta(days=366)
    )
    with uow:
        uow.busy.replace_imported(clinician_id, busy)
        uow.commit()
    return len(busy)


def export_ics(*, clinician_id: str, at: datetime, uow: UnitOfWork, practice: Practice) -> bytes:
    """The clinician's bookings from a month ago to a year ahead as an iCalendar feed."""
    require_aware(at, "at")
    clinician = _clinician(practice, clinician_id)
    with uow:
        appointments = uow.appointments.between(at - FEED_PAST, at + FEED_AHEAD)
    names = {location.id: location.name for location in practice.locations}
    return export_feed(clinician, appointments, location_names=names)
