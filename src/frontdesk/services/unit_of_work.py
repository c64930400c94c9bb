"""The unit of work and the repositories it holds: the service layer's view of storage.

A use case opens one unit of work, reads and writes through its repositories and commits
once:

    with uow:
        call = uow.calls.get_by_external_id(call_sid, for_update=True)
        ...
        uow.turns.add(turn)
        uow.events.add(TurnTaken(...))
        uow.commit()
    for event in uow.collect_events():
        ...

Leaving the block without `commit()` rolls everything back. `add` on a repository whose
records have a unique key (calls by id and external id, turns by `(call_id, seq)`,
inquiries and hand-offs by id) raises `Conflict` at once when the key is taken, by this
unit of work or by a concurrent one that committed first; the unit of work must then be
abandoned. `update` raises `NotFound` for an unknown id. Lists come back in a stated order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from frontdesk.domain.events import Event
from frontdesk.domain.handoffs import Handoff, HandoffStatus
from frontdesk.domain.messages import MessageId, MessageStatus, OptOut, OutboundMessage
from frontdesk.domain.records import (
    CallId,
    CallRecord,
    ExternalCallId,
    HandoffId,
    InquiryId,
    InquiryRecord,
    TurnRecord,
)


class CallRepository(Protocol):
    def add(self, call: CallRecord) -> None:
        """Store a new call; `Conflict` if its id or external id is taken."""

    def get(self, call_id: CallId, *, for_update: bool = False) -> CallRecord | None:
        """The call with this id; `for_update` locks its row until commit (PostgreSQL)."""

    def get_by_external_id(
        self, external_id: ExternalCallId, *, for_update: bool = False
    ) -> CallRecord | None:
        """The call the telephony provider knows by this id (e.g. a Twilio CallSid)."""

    def update(self, call: CallRecord) -> None:
        """Replace the stored call with this one (same id); `NotFound` if there is none."""

    def list_started_between(self, start: datetime, end: datetime) -> list[CallRecord]:
        """Calls with `start <= started_at < end`, oldest first."""


class TurnRepository(Protocol):
    def add(self, turn: TurnRecord) -> None:
        """Store a new turn; `Conflict` if `(call_id, seq)` is taken (a retried webhook)."""

    def get(self, call_id: CallId, seq: int) -> TurnRecord | None:
        """The turn numbered `seq` of a call, to detect a duplicate before stepping."""

    def list_for_call(self, call_id: CallId) -> list[TurnRecord]:
        """A call's transcript in `seq` order."""


class InquiryRepository(Protocol):
    def add(self, inquiry: InquiryRecord) -> None:
        """Store a new inquiry; `Conflict` if its id is taken."""

    def get(self, inquiry_id: InquiryId) -> InquiryRecord | None: ...

    def update(self, inquiry: InquiryRecord) -> None:
        """Replace the stored inquiry (same id); `NotFound` if there is none."""

    def list_for_call(self, call_id: CallId) -> list[InquiryRecord]:
        """Inquiries captured on a call, oldest first."""


class HandoffRepository(Protocol):
    def add(self, handoff: Handoff) -> None:
        """Store a new hand-off; `Conflict` if its id is taken."""

    def get(self, handoff_id: HandoffId) -> Handoff | None: ...

    def update(self, handoff: Handoff) -> None:
        """Replace the stored hand-off (same id); `NotFound` if there is none."""

    def list_queue(self, *, status: HandoffStatus | None = None) -> list[Handoff]:
        """Hand-offs (all, or with one status) in queue order: most urgent, then oldest."""

    def list_for_call(self, call_id: CallId) -> list[Handoff]:
        """A call's hand-offs, oldest first."""


class EventRepository(Protocol):
    def add(self, event: Event) -> None:
        """Record an event with this unit of work; it is stored and collected on commit."""

    def query(
        self,
        *,
        kinds: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Event]:
        """Stored events (of some kinds, `since <= occurred_at < until`), oldest first."""


# --- outbox --------------------------------------------------------------------------------


class MessageRepository(Protocol):
    """The outbox. `due` and `stale` lock the rows they return until commit and skip rows
    another open unit of work has locked (PostgreSQL `FOR UPDATE SKIP LOCKED`; on SQLite the
    writer lock taken at the start of every unit of work serialises workers instead)."""

    def add(self, message: OutboundMessage) -> None:
        """Store a new message; `Conflict` if its id or `dedupe_key` is taken."""

    def get(self, message_id: MessageId, *, for_update: bool = False) -> OutboundMessage | None:
        """The message with this id; `for_update` locks its row until commit (PostgreSQL)."""

    def get_by_dedupe_key(self, dedupe_key: str) -> OutboundMessage | None: ...

    def update(self, message: OutboundMessage) -> None:
        """Replace the stored message (same id); `NotFound` if there is none."""

    def due(self, now: datetime, *, limit: int) -> list[OutboundMessage]:
        """Up to `limit` queued messages with `send_after <= now`, soonest first, locked."""

    def stale(self, now: datetime, *, limit: int) -> list[OutboundMessage]:
        """Up to `limit` messages `claimed` or `sending` whose lease ended by `now`, locked."""

    def list_all(self, *, status: MessageStatus | None = None) -> list[OutboundMessage]:
        """Messages (all, or with one status), oldest first."""


class OptOutRepository(Protocol):
    def add(self, opt_out: OptOut) -> None:
        """Record an opt-out; `Conflict` if the number has one already."""

    def get(self, number: str) -> OptOut | None: ...

    def remove(self, number: str) -> bool:
        """Forget the number's opt-out (START); whether there was one."""


# --- end of outbox -------------------------------------------------------------------------


class UnitOfWork(Protocol):
    """One transaction over every repository; see the module docstring for the contract."""

    @property
    def calls(self) -> CallRepository: ...

    @property
    def turns(self) -> TurnRepository: ...

    @property
    def inquiries(self) -> InquiryRepository: ...

    @property
    def handoffs(self) -> HandoffRepository: ...

    @property
    def events(self) -> EventRepository: ...

    @property
    def messages(self) -> MessageRepository: ...

    @property
    def opt_outs(self) -> OptOutRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed and release the connection."""

    def commit(self) -> None:
        """Make every change of this unit of work durable; `Conflict` on a lost race."""

    def rollback(self) -> None:
        """Discard every change since the last commit, events included."""

    def collect_events(self) -> list[Event]:
        """Events committed so far and not yet collected, in the order they were added."""
