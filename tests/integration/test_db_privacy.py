"""The database layer keeps PHI out of logs and fits every address Twilio may send."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine
from frontdesk.adapters.db.tables import metadata
from frontdesk.domain.calls import HandoffCategory, Urgency
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.records import CallRecord, new_id

T0 = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
SIP_CALLER = "sip:" + "jane.doe.private.line." * 12 + "@pbx.example.org"  # ~270 characters
PHI = ("jane.doe.private", "+13125550177", "I have been thinking about ending it")


def _call(caller: str, external_id: str) -> CallRecord:
    return CallRecord(
        id=new_id(),
        external_id=external_id,
        caller_number=caller,
        started_at=T0,
        state={"last_words": PHI[2]},
    )


def test_a_long_sip_address_fits_every_column_that_holds_a_caller(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """A call and its hand-off from a SIP `From` of hundreds of characters are stored whole."""
    assert len(SIP_CALLER) > 200
    call = _call(SIP_CALLER, "CA" + new_id())
    task = Handoff(
        id=new_id(),
        category=HandoffCategory.CALLBACK,
        urgency=Urgency.SAME_DAY,
        summary="Call back.",
        created_at=T0,
        call_id=call.id,
        caller_number=SIP_CALLER,
    )
    with uow:
        uow.calls.add(call)
        uow.handoffs.add(task)
        uow.commit()
    with uow:
        stored_call = uow.calls.get(call.id)
        stored_task = uow.handoffs.get(task.id)
    assert stored_call is not None
    assert stored_task is not None
    assert stored_call.caller_number == SIP_CALLER
    assert stored_task.caller_number == SIP_CALLER


def test_a_database_error_logs_no_caller_data(
    migrated_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A failed statement, logged with its traceback and the engine's own statement log on,
    names no caller word, name or number: bound parameters are hidden."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    calls = metadata.tables["calls"]
    row = {
        "id": new_id(),
        "external_id": "CA" + new_id(),
        "caller_number": PHI[1],
        "started_at": T0,
        "status": "in_progress",
        "after_hours": False,
        "route": "routine",
        "state": {"last_words": PHI[2], "name": PHI[0]},
    }
    engine = make_engine(migrated_url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(calls).values(**row))
        with pytest.raises(IntegrityError) as caught, engine.begin() as connection:
            connection.execute(insert(calls).values(**row))  # the same id: the key refuses it
    finally:
        engine.dispose()
    logging.getLogger("frontdesk.test").error("commit failed", exc_info=caught.value)
    logged = caplog.text
    assert "commit failed" in logged
    assert "IntegrityError" in logged
    assert "parameters hidden" in logged
    for value in PHI:
        assert value not in logged
        assert value not in str(caught.value)
