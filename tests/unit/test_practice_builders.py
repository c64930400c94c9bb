"""The in-memory practice builder other tests rely on."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.practice_builders import make_clinician, make_practice, make_script_library

from frontdesk.conversation.script import Say
from frontdesk.domain.practice import ServiceKind


def test_default_practice_is_complete_and_consistent() -> None:
    """The built practice has 3+ clinicians across 3+ states whose payers and offices exist."""
    practice = make_practice()
    assert len(practice.clinicians) >= 3
    assert len(practice.states) >= 3
    payer_ids = {p.id for p in practice.payers}
    location_ids = {loc.id for loc in practice.locations}
    for clinician in practice.clinicians:
        assert clinician.payers <= payer_ids
        assert clinician.locations <= location_ids
    assert any(p.aliases for p in practice.payers)
    consult = practice.service(ServiceKind.CONSULT)
    assert consult is not None
    assert consult.fee == 0


def test_default_practice_knows_after_hours() -> None:
    """Weekday daytime is open and Saturday is after hours."""
    practice = make_practice()
    chicago = ZoneInfo("America/Chicago")
    assert practice.is_open(datetime(2026, 3, 4, 10, 0, tzinfo=chicago))
    assert not practice.is_open(datetime(2026, 3, 7, 10, 0, tzinfo=chicago))


def test_overrides_replace_fields_and_scripts() -> None:
    """Keyword overrides and a given script library replace the defaults."""
    library = make_script_library({"hello": "Hi {name}."}, reviewed=True)
    practice = make_practice(
        name="Solo Practice", clinicians=(make_clinician(id="solo"),), scripts=library
    )
    assert practice.name == "Solo Practice"
    assert [c.id for c in practice.clinicians] == ["solo"]
    assert practice.scripts.reviewed is True
    assert practice.scripts.render(Say.of("hello", name="Ada")) == "Hi Ada."
