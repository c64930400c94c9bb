"""Start-up of `frontdesk serve` leaves the charting library unloaded until a report is drawn."""

from __future__ import annotations

import subprocess
import sys

import pytest

LOADED = (
    "import importlib, sys; importlib.import_module(sys.argv[1]); "
    "print('matplotlib' in sys.modules)"
)


@pytest.mark.parametrize(
    "module", ["frontdesk.entrypoints.web.app", "frontdesk.entrypoints.cli.commands.serve"]
)
def test_importing_the_server_does_not_import_matplotlib(module: str) -> None:
    """The web application and the serve command import without matplotlib (in a fresh
    interpreter, so no other test's imports count)."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, module],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "False"


def test_drawing_a_chart_imports_matplotlib() -> None:
    """The charts module is where matplotlib loads, so the check above can fail."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, "frontdesk.analytics.charts"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "True"
