"""The work queue as each role reads it: which items, how much of each, and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.practice_builders import make_practice
from tests.services.queue_data import (
    ADMIN,
    AUDITOR,
    CALLER,
    CONCERN,
    DESK,
    JORDAN,
    MAYA,
    NOW,
    SUMMARIES,
    stocked,
)

from frontdesk.conversation.state import CallState
from frontdesk.domain.errors import NotFound, NotPermitted
from frontdesk.domain.handoffs import AttemptOutcome
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.records import CallId, CallRecord
from frontdesk.services import callbacks, work_queue

PRACTICE = make_practice()


def ids(entries: list[work_queue.QueueEntry]) -> list[str]:
    return [e.item.handoff.id for e in entries]


def test_front_desk_sees_every_item_crisis_first_but_clinical_ones_as_summaries() -> None:
    """Crisis first, then by urgency and age; detail only on the non-clinical items."""
    uow = stocked()
    entries = work_queue.work_queue(uow=uow, practice=PRACTICE, user=DESK, now=NOW)
    assert ids(entries) == ["h-crisis", "h-callback", "h-clinical", "h-message"]
    assert [e.detail for e in entries] == [False, True, False, True]


def test_a_clinician_sees_clinical_items_and_their_own_clients_only() -> None:
    """Maya (the consult is booked with her) sees the callback; Jordan does not; both see
    the crisis and clinical items, and nobody's message."""
    uow = stocked()
    mine = work_queue.work_queue(uow=uow, practice=PRACTICE, user=MAYA, now=NOW)
    assert ids(mine) == ["h-crisis", "h-callback", "h-clinical"]
    assert all(e.detail for e in mine)
    theirs = work_queue.work_queue(uow=uow, practice=PRACTICE, user=JORDAN, now=NOW)
    assert ids(theirs) == ["h-crisis", "h-clinical"]


def test_due_times_and_attempt_counts_come_with_each_item() -> None:
    """The crisis item was due 15 minutes after it came in (overdue at 30); the callback
    made at 9 am Chicago time is due at 1 pm; attempts are counted."""
    uow = stocked()
    callbacks.record_attempt(
        handoff_id="h-callback", outcome=AttemptOutcome.NO_ANSWER, at=NOW, uow=uow, actor="cli"
    )
    entries = {
        e.item.handoff.id: e.item
        for e in work_queue.work_queue(uow=uow, practice=PRACTICE, user=ADMIN, now=NOW)
    }
    crisis, callback = entries["h-crisis"], entries["h-callback"]
    assert (crisis.overdue, crisis.age) == (True, timedelta(minutes=30))
    assert (callback.due, callback.overdue, callback.attempts) == (
        NOW - timedelta(hours=1) + timedelta(hours=4),
        False,
        1,
    )


def test_done_items_are_listed_only_when_asked() -> None:
    """A finished item leaves the queue and comes back with `include_done`."""
    uow = stocked()
    callbacks.complete(handoff_id="h-message", at=NOW, uow=uow, actor="cli")
    assert "h-message" not in ids(
        work_queue.work_queue(uow=uow, practice=PRACTICE, user=DESK, now=NOW)
    )
    with_done = work_queue.work_queue(
        uow=uow, practice=PRACTICE, user=DESK, now=NOW, include_done=True
    )
    assert "h-message" in ids(with_done)


def test_an_item_in_full_has_the_intake_with_the_callers_words_and_the_calls() -> None:
    """Summary, intake values each with the words they came from, transcript, voicemail
    and the earlier call from the same number, on one screen."""
    uow = stocked()
    context = work_queue.handoff_context(
        uow=uow, practice=PRACTICE, user=DESK, handoff_id="h-callback", now=NOW, source="10.1.2.3"
    )
    assert context.detail
    said = {v.name: (v.value, v.said) for v in context.intake}
    assert said["client name"] == ("Leo Park", "his name is Leo Park")
    assert said["client age"] == ("9", "it's for my son he's nine")
    assert said["concern"] == (CONCERN, CONCERN)
    assert said["payment"] == ("insurance", None)
    assert [t.caller_text for t in context.turns] == [
        None,
        "it's for my son he's nine",
        "his name is Leo Park",
    ]
    assert context.voicemail == {"transcription": "call me after 5"}
    assert [e.call.id for e in context.earlier_calls] == ["c-earlier"]
    assert context.item.handoff.caller_number == CALLER


def test_front_desk_opens_a_crisis_item_at_summary_level_only() -> None:
    """No transcript, intake, voicemail or earlier calls of a clinical item for front desk."""
    uow = stocked()
    context = work_queue.handoff_context(
        uow=uow, practice=PRACTICE, user=DESK, handoff_id="h-crisis", now=NOW
    )
    assert not context.detail
    assert (context.turns, context.intake, context.earlier_calls, context.voicemail) == (
        (),
        (),
        (),
        None,
    )
    assert context.item.handoff.summary == SUMMARIES["h-crisis"]


def test_a_clinician_cannot_open_another_clinicians_client() -> None:
    """Jordan is refused Maya's client's callback; the refusal is audited."""
    uow = stocked()
    with pytest.raises(NotPermitted):
        work_queue.handoff_context(
            uow=uow, practice=PRACTICE, user=JORDAN, handoff_id="h-callback", now=NOW
        )
    with uow:
        last = uow.audit.search(limit=1)[0].entry
    assert (last.actor, last.action, last.object_id) == ("user:clin2", "refused", "h-callback")


def test_every_read_is_audited_without_content() -> None:
    """The queue read records a row count; opening an item records its id and level."""
    uow = stocked()
    work_queue.work_queue(uow=uow, practice=PRACTICE, user=AUDITOR, now=NOW, source="10.1.2.3")
    work_queue.handoff_context(
        uow=uow, practice=PRACTICE, user=ADMIN, handoff_id="h-callback", now=NOW
    )
    with uow:
        records = list(reversed(uow.audit.search(limit=10)))
    assert [
        (r.entry.actor, r.entry.object_kind, r.entry.object_id, r.entry.source, r.entry.detail)
        for r in records
    ] == [
        ("user:aud1", "handoff_queue", None, "10.1.2.3", "rows=4"),
        ("user:admin1", "handoff", "h-callback", None, "detail=full turns=3"),
    ]


def test_an_unknown_item_is_not_found() -> None:
    """A made-up id is `NotFound`."""
    with pytest.raises(NotFound):
        work_queue.handoff_context(
            uow=stocked(), practice=PRACTICE, user=ADMIN, handoff_id="nope", now=NOW
        )


@pytest.mark.parametrize(
    ("confirmed", "shown"),
    [(True, "(read back and confirmed)"), (False, "(read back, not confirmed)")],
)
def test_staff_see_whether_the_callback_number_was_confirmed(confirmed: bool, shown: str) -> None:
    """A number or an address the caller never confirmed at its read-back is shown marked."""
    intake = Intake(
        callback_number="+13125550142",
        callback_confirmed=confirmed,
        email="leo@example.com",
        email_unconfirmed=not confirmed,
    )
    call = CallRecord(id=CallId("c-1"), started_at=NOW, state=CallState(intake=intake).to_dict())
    values = {v.name: v.value for v in work_queue.intake_values(call, None)}
    assert values["callback number"] == f"+13125550142 {shown}"
    assert values["email"] == "leo@example.com" + (
        "" if confirmed else " (read back, not confirmed)"
    )
    assert "email unconfirmed" not in values
