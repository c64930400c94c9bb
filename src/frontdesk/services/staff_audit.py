"""Who made a staff change, and the one place staff changes are handed to the audit log.

Pages and commands say who is acting (`ChangedBy`: `user:<id>` and the source address, or
`cli`); the use cases record each change with ids only, in the change's own unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frontdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ChangedBy:
    """The actor of a change (`cli`, `user:<id>`) and where the request came from."""

    actor: str
    source: str | None = None


CLI = ChangedBy("cli")


def record_change(
    uow: UnitOfWork,
    *,
    by: ChangedBy,
    at: datetime,
    kind: str,
    object_id: str,
    detail: str,
) -> None:
    """Append a `change` entry for one object inside the open unit of work (no PHI)."""
    del uow, by, at, kind, object_id, detail  # the audit log is wired in here once it lands
