"""The wheel, installed without dev extras in a clean environment, runs the first commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CALL = ROOT / "tests" / "e2e" / "calls" / "02_new_client_self_in_person_private_pay.txt"


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.mark.slow
def test_an_installed_wheel_runs_every_first_step_command(tmp_path: Path) -> None:
    """`pip install frontdesk.whl` alone: --help, init, check, migrate, screen and a call work."""
    dist = tmp_path / "dist"
    _run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT, cwd=tmp_path
    )
    wheel = next(dist.glob("frontdesk-*.whl"))
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    frontdesk = venv / "bin" / "frontdesk"
    practice = tmp_path / "practice"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "FRONTDESK_DATABASE_URL": f"sqlite:///{practice / 'frontdesk.db'}",
        "FRONTDESK_PRACTICE_FILE": str(practice / "practice.yaml"),
    }
    assert "simulate" in _run(frontdesk, "--help", cwd=tmp_path, env=env)
    _run(frontdesk, "init", practice, cwd=tmp_path, env=env)
    assert "Cedar Grove" in _run(frontdesk, "check", cwd=tmp_path, env=env)
    _run(frontdesk, "migrate", cwd=tmp_path, env=env)
    assert "crisis" in _run(frontdesk, "screen", "I want to die", cwd=tmp_path, env=env)
    record = _run(frontdesk, "simulate", "--script", CALL, "--json", cwd=tmp_path, env=env)
    assert json.loads(record)["outcome"]["result"] == "first_session_booked"
