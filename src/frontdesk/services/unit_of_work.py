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
abandoned, unless the `add` ran inside a `savepoint()` block, which undoes only that block.
`update` raises `NotFound` for an unknown id. Lists come back in a stated order.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from frontdesk.domain.appointments import Appointment, AppointmentId
from frontdesk.domain.audit import AuditEntry, AuditRecord
from frontdesk.domain.bookings import BookingRecord, Opening, WaitlistRecord
from frontdesk.domain.calendar import BusyInterval
from frontdesk.domain.clients import Client, ClientId
from frontdesk.domain.events import Event
from frontdesk.domain.handoffs import CallbackAttempt, Handoff, HandoffStatus
from frontdesk.domain.inbound_texts import InboundText, MessageSid
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
from frontdesk.domain.script_review import LineReview
from frontdesk.domain.waitlist import WaitlistEntry
from frontdesk.services.staff_store import (
    SignInFailureRepository,
    StaffRepository,
    StaffSessionRepository,
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

    def list_from_number(self, number: str, *, limit: int = 50) -> list[CallRecord]:
        """Up to `limit` calls from exactly this number (E.164), newest first."""


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

    def list_created_between(self, start: datetime, end: datetime) -> list[InquiryRecord]:
        """Inquiries with `start <= created_at < end`, oldest first."""


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

    def list_active(self, *, done_since: datetime | None = None) -> list[Handoff]:
        """Hand-offs not done (and those completed from `done_since` on), in queue order."""

    def list_for_inquiries(self, inquiry_ids: Sequence[InquiryId]) -> list[Handoff]:
        """The hand-offs of some inquiries, oldest first."""

    def waiting_on_contact(self, number: str) -> list[Handoff]:
        """Hand-offs from this number waiting for the caller to call or text again."""

    def add_attempt(self, attempt: CallbackAttempt) -> None:
        """Record one callback attempt; `NotFound` without its hand-off, `Conflict` on a
        taken id."""

    def attempts(self, handoff_ids: Sequence[HandoffId]) -> list[CallbackAttempt]:
        """The attempts on some hand-offs, oldest first."""


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

    def for_appointment(self, appointment_id: str) -> list[OutboundMessage]:
        """Every message about one appointment, soonest first, locked until commit."""

    def list_all(self, *, status: MessageStatus | None = None) -> list[OutboundMessage]:
        """Messages (all, or with one status), oldest first."""


class OptOutRepository(Protocol):
    def add(self, opt_out: OptOut) -> None:
        """Record an opt-out; `Conflict` if the number has one already."""

    def get(self, number: str) -> OptOut | None: ...

    def remove(self, number: str) -> bool:
        """Forget the number's opt-out (START); whether there was one."""


# --- end of outbox -------------------------------------------------------------------------


class InboundTextRepository(Protocol):
    """Inbound texts by the provider's message id: the guard against a retried delivery."""

    def add(self, text: InboundText) -> None:
        """Claim a new text; `Conflict` if its message id is taken, by a committed unit of
        work or by an open one (on PostgreSQL the insert waits for that one to end first)."""

    def get(self, message_sid: MessageSid, *, for_update: bool = False) -> InboundText | None:
        """The text with this message id; `for_update` locks its row until commit."""

    def update(self, text: InboundText) -> None:
        """Replace the stored text (same message id); `NotFound` if there is none."""

    def abandoned(self, now: datetime, *, limit: int) -> list[InboundText]:
        """Up to `limit` texts left unhandled at `now` (`InboundText.abandoned`), oldest claim
        first, locked and skipping rows another worker holds (PostgreSQL)."""


# --- scheduling ----------------------------------------------------------------------------


class AppointmentRepository(Protocol):
    """Appointments. `add` refuses a second live booking of one slot key (`SlotUnavailable`);
    `lock_clinician` serialises bookings of one clinician until commit."""

    def add(self, record: BookingRecord) -> None:
        """Store a new booking; `SlotUnavailable` if its slot is already held."""

    def get(self, appointment_id: AppointmentId) -> BookingRecord | None: ...

    def update(self, appointment: Appointment) -> None:
        """Replace the stored appointment (same id); `NotFound` if there is none."""

    def lock_clinician(self, clinician_id: str) -> None:
        """Hold the clinician's booking lock until commit (PostgreSQL advisory lock; on
        SQLite the writer lock taken when the unit of work begins already serialises)."""

    def overlapping(self, clinician_id: str, start: datetime, end: datetime) -> list[Appointment]:
        """The clinician's live (booked) appointments overlapping `[start, end)`, by start."""

    def between(self, start: datetime, end: datetime) -> list[Appointment]:
        """Appointments of any status starting in `[start, end)`, by start then id."""

    def for_client(self, *, client_id: ClientId) -> list[BookingRecord]:
        """A client's appointments, by start."""

    def for_inquiries(self, inquiry_ids: Sequence[str]) -> list[BookingRecord]:
        """The appointments booked for some inquiries, by start then id."""

    def holding(
        self,
        start: datetime,
        end: datetime,
        *,
        clinician_ids: frozenset[str] | None = None,
        capacity_from: datetime | None = None,
        capacity_until: datetime | None = None,
    ) -> list[Appointment]:
        """What a calendar search reads, of some clinicians or all, by start: booked
        appointments starting in `[start, end)`, and first sessions that hold new-client
        capacity (booked, attended, no-show) starting in `[capacity_from, capacity_until)`
        (by default the same range)."""


class BusyRepository(Protocol):
    def replace_imported(self, clinician_id: str, intervals: Sequence[BusyInterval]) -> None:
        """Forget the clinician's imported busy time and store `intervals` instead."""

    def between(
        self, start: datetime, end: datetime, *, clinician_ids: frozenset[str] | None = None
    ) -> list[BusyInterval]:
        """Imported busy intervals overlapping `[start, end)` (of some clinicians or all),
        by clinician then start."""


class ClientRepository(Protocol):
    def add(self, client: Client) -> None:
        """Store a new client; `Conflict` if the id is taken."""

    def get(self, client_id: ClientId) -> Client | None: ...

    def with_phone(self, phone: str) -> list[Client]:
        """Clients whose phone number is exactly `phone` (E.164), by id."""

    def with_name_and_birth(self, name: str, date_of_birth: date) -> list[Client]:
        """Clients of this name (compared as `name_key` does) and date of birth, by id."""


class WaitlistRepository(Protocol):
    def add(self, record: WaitlistRecord) -> None:
        """Store a new entry; `Conflict` if its id is taken."""

    def get(self, entry_id: str) -> WaitlistRecord | None: ...

    def update(self, entry: WaitlistEntry) -> None:
        """Replace the stored entry's status (same id); `NotFound` if there is none."""

    def entries(self, *, waiting_only: bool = True) -> list[WaitlistRecord]:
        """Entries (waiting ones, or all) in the order they joined, then by id."""


class OpeningRepository(Protocol):
    def add(self, opening: Opening) -> None:
        """Store a new opening with its offers; `Conflict` if its id is taken."""

    def get(self, opening_id: str) -> Opening | None: ...

    def save(self, opening: Opening) -> None:
        """Store the opening's new state and every offer in its round; `NotFound` if unknown."""

    def list_open(self) -> list[Opening]:
        """Openings whose round is still open, oldest first."""

    def offered_to(self, entry_id: str) -> list[Opening]:
        """Openings holding an open offer to this entry, oldest first."""


# --- end of scheduling ---------------------------------------------------------------------


class ScriptReviewRepository(Protocol):
    """Edits and approvals of script lines, append-only."""

    def add(self, review: LineReview) -> None:
        """Record one edit or approval."""

    def all(self) -> list[LineReview]:
        """Every edit and approval, oldest first."""


class AuditRepository(Protocol):
    """The append-only audit log (see `frontdesk.services.audit` for how to record)."""

    def append(self, entry: AuditEntry) -> AuditRecord:
        """Chain `entry` after the head and store it; holds the chain lock until commit, so
        concurrent appends (other processes too) wait rather than fork the chain."""

    def head(self) -> AuditRecord | None:
        """The newest record, or None when the log is empty."""

    def after(self, seq: int, *, limit: int) -> list[AuditRecord]:
        """Up to `limit` records with a number above `seq`, in chain order."""

    def with_hash(self, hash_hex: str) -> AuditRecord | None:
        """The record whose hash is `hash_hex` (an anchor), if any."""

    def search(
        self,
        *,
        object_kind: str | None = None,
        object_id: str | None = None,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        """Records matching every given filter (`since <= at < until`), newest first."""

    def count(self) -> int:
        """How many records the log holds."""


class RetentionRepository(Protocol):
    """Removes or redacts expired content in bulk; never what the metrics read."""

    def redact_transcripts(self, before: datetime, *, at: datetime) -> list[str]:
        """Clear the turns' words and digits, the working state and the inquiries' concern
        of calls started before `before` and not cleared yet, marking them cleared `at`;
        the ids of those calls (sorted)."""

    def redact_voicemail_transcriptions(self, before: datetime) -> int:
        """Clear the voicemail text of hand-offs made before `before` (and not redacted as
        closed); how many held one."""

    def delete_inbound_texts(self, before: datetime) -> int:
        """Delete texts handled (or released) before `before`; how many."""

    def delete_finished_messages(self, before: datetime) -> int:
        """Delete messages finished (not uncertain) and last changed before `before`."""

    def redact_closed_handoffs(self, before: datetime, *, at: datetime) -> int:
        """Replace the summary, number, details and attempt notes of hand-offs done before
        `before` and not redacted yet, marking them redacted `at`; how many."""


class PersonRepository(Protocol):
    """Everything held about one person, and what an erase request clears
    (`frontdesk.services.records`)."""

    def calls_from(self, number: str) -> list[CallRecord]:
        """Calls from this E.164 number, oldest first."""

    def inquiries_naming(self, number: str) -> list[InquiryRecord]:
        """Inquiries whose callback number is this one, oldest first."""

    def handoffs_for(self, number: str, call_ids: Sequence[str]) -> list[Handoff]:
        """Hand-offs with this number or about one of these calls, oldest first."""

    def appointments_for(
        self, *, client_ids: Sequence[str], inquiry_ids: Sequence[str], call_ids: Sequence[str]
    ) -> list[BookingRecord]:
        """Appointments of these clients or inquiries, or booked on these calls, by start."""

    def inbound_texts_from(self, number: str) -> list[InboundText]:
        """Texts received from this number, oldest first."""

    def clear_turns(self, call_ids: Sequence[str]) -> None:
        """Clear the words, digits and replies of these calls' turns."""

    def clear_attempt_notes(self, handoff_ids: Sequence[str]) -> None:
        """Clear the notes of these hand-offs' callback attempts."""

    def clear_appointment_contacts(self, appointment_ids: Sequence[str]) -> None:
        """Clear these appointments' contact and the reasons given for changing them."""

    def clear_waitlist_contacts(self, entry_ids: Sequence[str]) -> None:
        """Clear where these waitlist entries' offers would go."""

    def delete_messages(self, message_ids: Sequence[str]) -> None: ...

    def delete_inbound_texts(self, message_sids: Sequence[str]) -> None: ...

    def delete_client(self, client_id: str) -> None:
        """Delete a client (appointments and waitlist entries lose the link)."""


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

    @property
    def inbound_texts(self) -> InboundTextRepository: ...

    @property
    def appointments(self) -> AppointmentRepository: ...

    @property
    def busy(self) -> BusyRepository: ...

    @property
    def clients(self) -> ClientRepository: ...

    @property
    def waitlist(self) -> WaitlistRepository: ...

    @property
    def openings(self) -> OpeningRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def script_reviews(self) -> ScriptReviewRepository: ...

    @property
    def retention(self) -> RetentionRepository: ...

    @property
    def people(self) -> PersonRepository: ...

    @property
    def staff(self) -> StaffRepository: ...

    @property
    def staff_sessions(self) -> StaffSessionRepository: ...

    @property
    def sign_in_failures(self) -> SignInFailureRepository: ...

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

    def savepoint(self) -> AbstractContextManager[None]:
        """A block whose changes and events are undone if it raises (the error propagates);
        the rest of the unit of work stays open and keeps its earlier changes."""

    def collect_events(self) -> list[Event]:
        """Events committed so far and not yet collected, in the order they were added."""
