"""Who made a staff change, and how staff changes are written to the audit log.

Pages and commands say who is acting (`ChangedBy`: `user:<id>` and the request's address,
or `cli`); the use cases record each change with ids only (`services.audit`), in the
change's own unit of work, just before it commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frontdesk.domain.audit import Actor, AuditAction, user_actor
from frontdesk.services import audit
from frontdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ChangedBy:
    """The actor of a change (`cli`, `user:<id>`) and where the request came from."""

    actor: str
    source: str | None = None

    @staticmethod
    def user(user_id: str, source: str | None) -> ChangedBy:
        """A signed-in staff member, by id, from a request's address."""
        return ChangedBy(user_actor(user_id), source)


CLI = ChangedBy(Actor.CLI.value)


def record_change(
    uow: UnitOfWork,
    *,
    by: ChangedBy,
    at: datetime,
    kind: str,
    object_id: str,
    detail: str,
    action: AuditAction = AuditAction.CHANGE,
) -> None:
    """Append a change (or creation) of one object to the audit log, in the open unit of
    work; `detail` is `key=value` pairs of ids and states, never PHI."""
    audit.record(
        uow=uow,
        actor=by.actor,
        action=action.value,
        object_kind=kind,
        object_id=object_id,
        source=by.source,
        detail=detail,
        at=at,
    )
