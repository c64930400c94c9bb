"""Call use cases with the in-memory unit of work: what each turn stores, in one commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.fakes import FakeUnitOfWork
from tests.unit.conversation.engine_fakes import CALLER, NOW, context
from tests.unit.conversation.test_engine import FULL_INTAKE, NEW_CHILD, TABLE

from frontdesk.conversation.engine import EngineContext
from frontdesk.conversation.events import CallerSaid, Event, Silence
from frontdesk.domain.calls import CallResult, HandoffCategory, Intent, Route, Urgency
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.handoffs import Handoff as HandoffRecord
from frontdesk.domain.handoffs import HandoffStatus
from frontdesk.domain.records import CallStatus, InquiryStatus, TurnKind
from frontdesk.services.call_report import report
from frontdesk.services.calls import TurnResult, end_call, handle_turn, start_call

CRISIS_WORDS = "I don't want to be alive anymore"


def _context() -> EngineContext:
    return context(TABLE, routes={CRISIS_WORDS: Route.CRISIS})


def _call(uow: FakeUnitOfWork, lines: list[str | None]) -> tuple[str, list[TurnResult]]:
    ctx = _context()
    opened = start_call(external_id="CA1", caller_number=CALLER, at=NOW, uow=uow, context=ctx)
    results = [opened]
    for n, line in enumerate(lines, start=1):
        at = NOW + timedelta(seconds=5 * n)
        event: Event = Silence(at) if line is None else CallerSaid(at, line)
        results.append(handle_turn(call_id=opened.call_id, event=event, uow=uow, context=ctx))
    return opened.call_id, results


def test_start_call_stores_the_call_and_the_greeting_in_one_commit() -> None:
    """Starting a call stores it, its greeting turn and a CallStarted event, committed once."""
    uow = FakeUnitOfWork()
    opened = start_call(
        external_id="CA1", caller_number=CALLER, at=NOW, uow=uow, context=_context()
    )
    assert uow.commits == 1
    assert [e.kind for e in opened.events] == ["CallStarted", "TurnTaken"]
    stored = report(call_id=opened.call_id, uow=uow)
    assert stored.call.external_id == "CA1"
    assert [(t.seq, t.kind, t.line_ids) for t in stored.turns] == [
        (0, TurnKind.CALL_STARTED, ("greeting",))
    ]
    assert "automated assistant" in opened.texts[0]


def test_each_turn_is_one_commit_storing_the_turn_and_the_state() -> None:
    """Every turn commits once and stores the caller's words, the reply and the engine state."""
    uow = FakeUnitOfWork()
    call_id, _ = _call(uow, [NEW_CHILD.text])
    assert uow.commits == 2
    stored = report(call_id=call_id, uow=uow)
    assert stored.turns[1].caller_text == NEW_CHILD.text
    assert stored.turns[1].line_ids == ("intake_start", "ask_new_client_name")
    assert stored.turns[1].intent is Intent.NEW_CLIENT
    assert stored.call.state["asking"] == "client_name"


def test_a_restarted_process_continues_the_call_from_the_stored_state() -> None:
    """A fresh engine context (a new process) picks the call up where the last turn left it."""
    uow = FakeUnitOfWork()
    call_id, _ = _call(uow, FULL_INTAKE[:5])
    after_restart = handle_turn(
        call_id=call_id,
        event=CallerSaid(NOW + timedelta(minutes=1), FULL_INTAKE[5]),
        uow=uow,
        context=_context(),
    )
    assert after_restart.says[0].line_id == "ask_telehealth_setup"
    assert report(call_id=call_id, uow=uow).inquiry is not None


def test_a_full_intake_with_no_fit_declining_the_waitlist_opens_a_callback() -> None:
    """No slot fits and the caller declines the waitlist: the inquiry is kept, staff call back."""
    uow = FakeUnitOfWork()
    call_id, results = _call(uow, [*FULL_INTAKE, "yes", "yes", "no"])
    assert "waitlist" in results[-2].texts[-1]
    assert results[-1].ended
    assert results[-1].hang_up
    stored = report(call_id=call_id, uow=uow)
    assert stored.call.status is CallStatus.ENDED
    assert stored.call.result is CallResult.CALLBACK_REQUESTED
    assert stored.inquiry is not None
    assert stored.inquiry.status is InquiryStatus.CAPTURED
    assert stored.inquiry.intake.payer == "aetna"
    (callback,) = stored.handoffs
    assert (callback.category, callback.urgency) == (HandoffCategory.CALLBACK, Urgency.ROUTINE)
    assert callback.caller_number == CALLER
    for fact in ("For: child, age 12", "Client located in: IL", "Aetna", "weekday evenings"):
        assert fact in callback.summary
    kinds = [e.kind for e in results[-1].events]
    assert {"InquiryCaptured", "HandoffCreated", "CallbackRequested", "CallEnded"} <= set(kinds)


def test_a_crisis_turn_stores_an_urgent_handoff_with_the_callers_words() -> None:
    """Crisis words create an urgent crisis hand-off quoting them and a CrisisFlagged event."""
    uow = FakeUnitOfWork()
    call_id, results = _call(uow, [NEW_CHILD.text, CRISIS_WORDS])
    assert "CrisisFlagged" in [e.kind for e in results[-1].events]
    assert all(results[-1].whole)
    stored = report(call_id=call_id, uow=uow)
    assert stored.call.route is Route.CRISIS
    (handoff,) = stored.handoffs
    assert (handoff.category, handoff.urgency) == (HandoffCategory.CRISIS, Urgency.URGENT)
    assert CRISIS_WORDS in handoff.summary
    assert "Route: crisis" in handoff.summary
    assert "For: child, age 12" in handoff.summary


def test_hang_up_mid_intake_keeps_the_partial_inquiry_and_opens_a_callback() -> None:
    """A hang-up halfway keeps the open inquiry and queues a callback; the call is abandoned."""
    uow = FakeUnitOfWork()
    call_id, _ = _call(uow, FULL_INTAKE[:5])
    end_call(call_id=call_id, at=NOW + timedelta(minutes=2), uow=uow, context=_context())
    stored = report(call_id=call_id, uow=uow)
    assert stored.call.result is CallResult.ABANDONED
    assert stored.inquiry is not None
    assert stored.inquiry.status is InquiryStatus.OPEN
    assert stored.inquiry.intake.state == "IL"
    assert [h.category for h in stored.handoffs] == [HandoffCategory.CALLBACK]


def test_an_ended_call_ignores_further_turns() -> None:
    """A retried webhook after the hang-up stores nothing and says nothing."""
    uow = FakeUnitOfWork()
    call_id, _ = _call(uow, [])
    end_call(call_id=call_id, at=NOW, uow=uow, context=_context())
    again = handle_turn(call_id=call_id, event=Silence(NOW), uow=uow, context=_context())
    assert again.ended
    assert again.texts == ()
    assert len(report(call_id=call_id, uow=uow).turns) == 2


def test_an_unknown_call_is_not_found() -> None:
    """Turns for a call id that names nothing raise NotFound."""
    with pytest.raises(NotFound):
        handle_turn(call_id="nope", event=Silence(NOW), uow=FakeUnitOfWork(), context=_context())


def test_the_main_handoff_is_the_most_severe() -> None:
    """A call with a message and then a crisis leads its report with the crisis hand-off."""
    uow = FakeUnitOfWork()
    call_id, _ = _call(uow, [None, None, None, "please call me back", CRISIS_WORDS])
    end_call(call_id=call_id, at=NOW + timedelta(minutes=3), uow=uow, context=_context())
    stored = report(call_id=call_id, uow=uow)
    assert stored.main_handoff is not None
    assert stored.main_handoff.category is HandoffCategory.CRISIS
    assert stored.result is CallResult.CRISIS_DIRECTED
    assert {h.category for h in stored.handoffs} == {
        HandoffCategory.CRISIS,
        HandoffCategory.MESSAGE,
    }


def test_a_turn_that_is_not_the_next_one_is_refused_and_stores_nothing() -> None:
    """With `expected_seq`, a stale turn number raises Conflict and leaves the call as it was."""
    uow = FakeUnitOfWork()
    call_id, _ = _call(uow, [NEW_CHILD.text])
    commits = uow.commits
    with pytest.raises(Conflict):
        handle_turn(
            call_id=call_id,
            event=CallerSaid(NOW + timedelta(minutes=1), "hello"),
            uow=uow,
            context=_context(),
            expected_seq=1,
        )
    assert uow.commits == commits
    assert [t.seq for t in report(call_id=call_id, uow=uow).turns] == [0, 1]


def test_the_expected_next_turn_is_taken() -> None:
    """With `expected_seq` equal to the call's next turn, the turn is stored as usual."""
    uow = FakeUnitOfWork()
    call_id, _ = _call(uow, [NEW_CHILD.text])
    result = handle_turn(
        call_id=call_id,
        event=CallerSaid(NOW + timedelta(minutes=1), "hello"),
        uow=uow,
        context=_context(),
        expected_seq=2,
    )
    assert result.seq == 2
    assert [t.seq for t in report(call_id=call_id, uow=uow).turns] == [0, 1, 2]


def test_a_crisis_turn_names_its_urgent_handoff_to_page() -> None:
    """A crisis turn's result lists the urgent hand-off staff must be paged about."""
    uow = FakeUnitOfWork()
    call_id, results = _call(uow, [CRISIS_WORDS])
    urgent = [
        h.id for h in report(call_id=call_id, uow=uow).handoffs if h.urgency is Urgency.URGENT
    ]
    assert results[-1].pages == tuple(urgent)
    assert len(urgent) == 1


def test_routine_turns_page_nobody() -> None:
    """A turn without urgent hand-offs names nothing to page."""
    uow = FakeUnitOfWork()
    _, results = _call(uow, FULL_INTAKE)
    assert all(r.pages == () for r in results)


def test_a_crisis_at_the_greeting_records_the_call_intent() -> None:
    """A call whose first words were crisis language is stored with an intent, not null."""
    uow = FakeUnitOfWork()
    call_id, _ = _call(uow, [CRISIS_WORDS])
    assert report(call_id=call_id, uow=uow).call.intent is Intent.OTHER


def test_a_new_call_wakes_the_tasks_waiting_for_that_caller() -> None:
    """A task snoozed until the caller calls again is open once they call, in the same
    commit as the call; tasks of other numbers keep waiting."""
    uow = FakeUnitOfWork()
    with uow:
        for handoff_id, number in (("mine", CALLER), ("other", "+13125550999")):
            uow.handoffs.add(
                HandoffRecord(
                    id=handoff_id,
                    category=HandoffCategory.CALLBACK,
                    urgency=Urgency.SAME_DAY,
                    summary="Left a message about fees.",
                    created_at=NOW - timedelta(days=1),
                    caller_number=number,
                ).waiting(at=NOW - timedelta(hours=20), until=None, on_contact=True)
            )
        uow.commit()
    opened = start_call(
        external_id="CA9", caller_number=CALLER, at=NOW, uow=uow, context=_context()
    )
    assert "HandoffWoken" in [e.kind for e in opened.events]
    with uow:
        assert uow.handoffs.get("mine").status is HandoffStatus.OPEN  # type: ignore[union-attr]
        assert uow.handoffs.get("other").status is HandoffStatus.WAITING  # type: ignore[union-attr]
