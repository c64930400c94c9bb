"""`frontdesk call` in the terminal: lines in, the agent's lines and a status line out."""

from __future__ import annotations

import io
import shutil
from importlib import resources
from pathlib import Path

from frontdesk.adapters.db.migrations import upgrade
from frontdesk.bootstrap import build
from frontdesk.config import Settings
from frontdesk.entrypoints.cli.commands.call import converse
from frontdesk.services.call_report import report


def test_an_interactive_call_runs_until_end_of_input(tmp_path: Path) -> None:
    """Typed lines drive the call; end of input hangs up and the call is stored as ended."""
    data = resources.files("frontdesk.data")
    shutil.copyfile(str(data / "example_practice.yaml"), tmp_path / "practice.yaml")
    shutil.copyfile(str(data / "scripts" / "default.yaml"), tmp_path / "scripts.yaml")
    url = f"sqlite:///{tmp_path / 'call.db'}"
    upgrade(url)
    services = build(Settings(), practice_file=tmp_path / "practice.yaml", database_url=url)
    typed = io.StringIO("I'm looking for a therapist for myself\n\nDIGITS: 12\n")
    out = io.StringIO()
    last = converse(services, "+15555550100", typed, out)
    printed = out.getvalue()
    assert "agent> Thank you for calling Cedar Grove Counseling." in printed
    assert "[route routine · intent new_client]" in printed
    assert "I didn't hear anything" in printed
    stored = report(call_id=last.call_id, uow=services.uow())
    assert stored.call.status.value == "ended"
    assert stored.call.intent is not None
    assert stored.call.intent.value == "new_client"
