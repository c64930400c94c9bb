"""The call log: search by number or name, transcripts by role, and the home page's day."""

from __future__ import annotations

import pytest
from tests.practice_builders import make_practice
from tests.services.queue_data import ADMIN, AUDITOR, CALLER, DESK, JORDAN, MAYA, NOW, stocked

from frontdesk.domain.errors import InvalidInput, NotPermitted
from frontdesk.services import call_log, today


def ids(lines: list[call_log.CallLine]) -> list[str]:
    return [line.call.id for line in lines]


def test_the_log_lists_recent_calls_newest_first() -> None:
    """The last seven days, newest first, with the client's name where the role sees it."""
    lines = call_log.call_log(uow=stocked(), user=DESK, now=NOW)
    assert ids(lines) == ["c-crisis", "c-intake", "c-earlier"]
    assert [line.client_name for line in lines] == [None, "Leo Park", None]


@pytest.mark.parametrize("query", [CALLER, "(312) 555-0123", "312.555.0123", "1 312 555 0123"])
def test_a_number_is_found_however_it_is_written(query: str) -> None:
    """Any common way of writing the number finds that caller's calls."""
    assert ids(call_log.call_log(uow=stocked(), user=DESK, now=NOW, query=query)) == [
        "c-intake",
        "c-earlier",
    ]


def test_a_name_is_found_in_part_and_in_any_case() -> None:
    """`leo` finds Leo Park's call; a name nobody gave finds nothing."""
    uow = stocked()
    assert ids(call_log.call_log(uow=uow, user=DESK, now=NOW, query="leo")) == ["c-intake"]
    assert call_log.call_log(uow=uow, user=DESK, now=NOW, query="Zed") == []


def test_an_overlong_search_is_refused() -> None:
    """Searches are short; a long one is a clear error."""
    with pytest.raises(InvalidInput):
        call_log.call_log(uow=stocked(), user=DESK, now=NOW, query="x" * 101)


def test_front_desk_reads_routine_transcripts_but_not_a_crisis_call() -> None:
    """The intake call's transcript is open to front desk; the crisis call's is not."""
    uow = stocked()
    routine = call_log.call_view(uow=uow, user=DESK, call_id="c-intake", now=NOW)
    assert (routine.transcript, len(routine.turns)) == (True, 3)
    crisis = call_log.call_view(uow=uow, user=DESK, call_id="c-crisis", now=NOW)
    assert (crisis.transcript, crisis.turns, crisis.intake) == (False, (), ())
    full = call_log.call_view(uow=uow, user=ADMIN, call_id="c-crisis", now=NOW)
    assert [t.caller_text for t in full.turns] == ["I don't want to be here anymore"]


def test_a_clinician_sees_only_clinical_calls_and_an_auditor_no_transcript() -> None:
    """Maya gets the crisis call and is refused the routine one; the auditor reads none."""
    uow = stocked()
    assert ids(call_log.call_log(uow=uow, user=MAYA, now=NOW)) == ["c-crisis"]
    with pytest.raises(NotPermitted):
        call_log.call_view(uow=uow, user=MAYA, call_id="c-intake", now=NOW)
    assert not call_log.call_view(uow=uow, user=AUDITOR, call_id="c-intake", now=NOW).transcript


def test_opening_a_call_is_audited() -> None:
    """The view names the call and how many turns were shown."""
    uow = stocked()
    call_log.call_view(uow=uow, user=DESK, call_id="c-intake", now=NOW, source="10.0.0.2")
    with uow:
        entry = uow.audit.search(limit=1)[0].entry
    assert (entry.object_kind, entry.object_id, entry.detail, entry.source) == (
        "call",
        "c-intake",
        "turns=3",
        "10.0.0.2",
    )


def test_today_gathers_urgent_items_due_work_appointments_and_new_inquiries() -> None:
    """The crisis item is urgent; callbacks due before midnight are due; today's consult and
    the inquiry nobody has contacted yet are listed."""
    day = today.today(uow=stocked(), practice=make_practice(), user=DESK, now=NOW)
    assert [e.item.handoff.id for e in day.urgent] == ["h-crisis"]
    assert [e.item.handoff.id for e in day.due] == ["h-callback", "h-clinical"]
    assert [a.id for a in day.appointments] == ["a-consult"]
    assert [e.inquiry.id for e in day.inquiries] == ["i-new"]


def test_today_for_another_clinician_leaves_out_maya_s_consult() -> None:
    """A clinician sees their own appointments only."""
    day = today.today(uow=stocked(), practice=make_practice(), user=JORDAN, now=NOW)
    assert day.appointments == []
    assert [e.item.handoff.id for e in day.urgent] == ["h-crisis"]
