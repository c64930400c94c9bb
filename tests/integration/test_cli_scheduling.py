"""The scheduling commands against the example practice and a SQLite file."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from tests.scheduling_practice import intake

from frontdesk.adapters.db import SqlAlchemyUnitOfWork, make_engine, make_session_factory
from frontdesk.adapters.db.migrations import upgrade
from frontdesk.adapters.practice_file import load_practice
from frontdesk.domain.appointments import ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.records import InquiryRecord
from frontdesk.entrypoints.cli.main import main
from frontdesk.services import appointments, clients, openings, waitlist


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The example practice file and a migrated database, named by the environment."""
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), tmp_path / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    url = f"sqlite:///{tmp_path / 'frontdesk.db'}"
    upgrade(url)
    monkeypatch.setenv("FRONTDESK_DATABASE_URL", url)
    monkeypatch.setenv("FRONTDESK_PRACTICE_FILE", str(tmp_path / "practice.yaml"))
    return tmp_path / "practice.yaml", url


def _book_one(practice_file: Path, url: str) -> str:
    """Book the first open first session for a new inquiry; its appointment id."""
    practice = load_practice(practice_file)
    engine = make_engine(url)
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        now = datetime.now(UTC)
        with uow:
            uow.inquiries.add(InquiryRecord(id="inq1", created_at=now, updated_at=now))
            uow.commit()
        (slot, *_) = openings.open_slots_for(
            kind=ServiceKind.FIRST_SESSION, now=now, days=60, uow=uow, practice=practice
        )
        return appointments.book(
            slot=slot,
            client=ClientRef(inquiry_id="inq1"),
            at=now,
            uow=uow,
            practice=practice,
            booked_by_ai=True,
            source=BookingSource.CALL,
        )
    finally:
        engine.dispose()


def test_openings_lists_slots_for_the_next_sixty_days_as_json(
    office: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The example practice is bookable: slots with clinician, kind, local start and modality."""
    assert main(["openings", "--days", "60", "--json"]) == 0
    slots = json.loads(capsys.readouterr().out)
    assert len(slots) > 100
    first = slots[0]
    assert set(first) == {"clinician", "kind", "start", "end", "modality", "location"}
    assert first["kind"] == "first_session"
    assert datetime.fromisoformat(first["start"]).utcoffset() is not None


def test_openings_as_text_has_a_header(
    office: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The text listing starts with its column names."""
    assert main(["openings", "--days", "14", "--kind", "consult"]) == 0
    assert capsys.readouterr().out.startswith("START")


def test_appointments_then_mark_records_attendance(
    office: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A booking shows in `appointments`; `mark ID no_show` changes its status."""
    appointment_id = _book_one(*office)
    assert main(["appointments", "--to", "2099-12-31", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["id"] == appointment_id
    assert listed["status"] == "booked"
    assert listed["booked_by_ai"] is True
    assert main(["mark", appointment_id, "no_show"]) == 0
    assert capsys.readouterr().out.strip() == f"{appointment_id} no_show"
    with pytest.raises(SystemExit) as refused:
        main(["mark", appointment_id, "rescheduled"])  # not an outcome staff record
    assert refused.value.code == 2


def test_mark_of_an_unknown_id_fails_with_status_two(
    office: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """An id that names nothing is reported, not a traceback."""
    assert main(["mark", "missing", "attended"]) == 2
    assert "no appointment missing" in capsys.readouterr().err


def test_waitlist_lists_entries_without_names(
    office: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A waiting entry shows its criteria and windows; no contact details are printed."""
    _, url = office
    engine = make_engine(url)
    try:
        waitlist.join(
            intake=intake(),
            kind=ServiceKind.FIRST_SESSION,
            at=datetime.now(UTC),
            uow=SqlAlchemyUnitOfWork(make_session_factory(engine)),
        )
    finally:
        engine.dispose()
    assert main(["waitlist", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["payer"] == "aetna"
    assert entry["status"] == "waiting"
    assert "+1" not in json.dumps(entry)
    assert main(["appointments", "--from", "2026-03-02", "--to", "2026-03-03"]) == 0
    capsys.readouterr()
    assert main(["audit", "log", "--json"]) == 0
    views = [(e["object_kind"], e["detail"]) for e in json.loads(capsys.readouterr().out)]
    assert views == [
        ("appointment_list", "from=2026-03-02 to=2026-03-03 rows=0"),
        ("waitlist", "scope=waiting rows=1"),
    ]


def test_ics_export_marks_ai_bookings_and_import_blocks_time(
    office: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The feed carries the AI category; an imported event is reported and stored."""
    appointment_id = _book_one(*office)
    practice = load_practice(office[0])
    engine = make_engine(office[1])
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        with uow:
            record = uow.appointments.get(appointment_id)
    finally:
        engine.dispose()
    assert record is not None
    clinician = record.appointment.clinician_id
    out = tmp_path / "feed.ics"
    assert main(["ics", "export", "--clinician", clinician, "--out", str(out)]) == 0
    feed = out.read_text()
    assert "CATEGORIES:FRONTDESK-AI" in feed
    assert appointment_id in feed
    busy = tmp_path / "busy.ics"
    busy.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\n"
        "DTSTART:20990105T150000Z\r\nDTEND:20990105T160000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert main(["ics", "import", "--clinician", clinician, str(busy)]) == 0
    assert capsys.readouterr().out.strip() == f"{clinician}: 1 busy intervals imported"
    assert practice.clinician(clinician) is not None


def test_clients_add_then_verify(
    office: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A seeded client is verified by number, name and date of birth, and by nothing less."""
    assert (
        main(
            [
                "clients",
                "add",
                "--name",
                "Pat Doe",
                "--dob",
                "1990-01-02",
                "--phone",
                "(312) 555-0111",
            ]
        )
        == 0
    )
    client_id = capsys.readouterr().out.strip()
    engine = make_engine(office[1])
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
        born = datetime(1990, 1, 2).date()
        assert (
            clients.verify(phone="+13125550111", name="pat  doe", date_of_birth=born, uow=uow)
            == client_id
        )
        assert (
            clients.verify(phone="+13125550112", name="Pat Doe", date_of_birth=born, uow=uow)
            is None
        )
        other_day = datetime(1990, 1, 3).date()
        assert (
            clients.verify(phone="+13125550111", name="Pat Doe", date_of_birth=other_day, uow=uow)
            is None
        )
    finally:
        engine.dispose()
