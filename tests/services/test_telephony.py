"""What the phone use cases share: edge lines, staff wording and callback tasks."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.fakes import FakeUnitOfWork
from tests.unit.conversation.engine_fakes import CALLER, NOW, practice

from frontdesk.conversation.lines import Line
from frontdesk.conversation.state import CallState
from frontdesk.domain import events as domain_events
from frontdesk.domain.calls import HandoffCategory, Route, Urgency
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import CallRecord
from frontdesk.domain.schedule import ReminderSettings
from frontdesk.services.telephony import add_task, edge_text, staff_text


def _discreet_practice() -> Practice:
    base = practice()
    reminders = ReminderSettings(sender_name="Maple Street")
    return replace(base, schedule=replace(base.schedule, reminders=reminders))


def test_texted_lines_are_signed_with_the_discreet_sender_name() -> None:
    """The missed-call text names the reminder sender, never the practice's full name."""
    chosen = _discreet_practice()
    body, whole = edge_text(chosen, Line.MISSED_CALL_TEXT)
    assert body.startswith("Maple Street:")
    assert "Counseling" not in body
    assert whole is False


def test_spoken_edge_lines_come_from_the_library() -> None:
    """The voicemail prompt is the library's approved line, rendered in full."""
    chosen = practice()
    body, _ = edge_text(chosen, Line.VOICEMAIL_PROMPT)
    assert body == chosen.scripts.line(Line.VOICEMAIL_PROMPT).text


def test_an_unknown_staff_text_is_refused() -> None:
    """Asking for staff wording that does not exist raises rather than sending a blank page."""
    with pytest.raises(InvalidInput, match="nope"):
        staff_text("nope")


def test_a_page_carries_the_route_reference_and_number_only() -> None:
    """The urgent page names the route, a reference and the callback number."""
    body = staff_text("page", route="crisis", reference="abcd1234", callback=CALLER)
    assert ("crisis" in body, "abcd1234" in body, CALLER in body) == (True, True, True)


def test_a_task_on_a_sensitive_call_is_same_day_in_the_record_and_the_event() -> None:
    """A callback task on a non-routine call is same-day, and its event says so too."""
    uow = FakeUnitOfWork()
    call = CallRecord(
        id="call-1",
        started_at=NOW,
        external_id="CA1",
        caller_number=CALLER,
        state=CallState(caller_number=CALLER).to_dict(),
        route=Route.SENSITIVE,
    )
    with uow:
        uow.calls.add(call)
        task_id = add_task(uow, practice(), call, NOW, reason="missed_call_busy")
        uow.commit()
    events = uow.collect_events()
    with uow:
        task = uow.handoffs.get(task_id)
    assert task is not None
    assert (task.category, task.urgency) == (HandoffCategory.CALLBACK, Urgency.SAME_DAY)
    created = [e for e in events if isinstance(e, domain_events.HandoffCreated)]
    assert [e.urgency for e in created] == [Urgency.SAME_DAY]
