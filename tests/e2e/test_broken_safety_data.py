"""A broken safety lexicon or net stops every command that answers callers at start-up, with
one `frontdesk:` line and exit status 2, instead of serving with every sentence read as
crisis."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import frontdesk
from frontdesk.entrypoints.cli.main import main

SAFETY_DATA = Path("conversation") / "safety" / "data"
CALL_SCRIPT = Path(__file__).parent / "calls" / "01_new_client_child_video_insurance.txt"


def broken_package(tmp_path: Path, damage: str) -> Path:
    """A copy of the installed package with one shipped safety file damaged; its parent dir."""
    root = tmp_path / "site"
    shutil.copytree(
        Path(frontdesk.__file__).parent,
        root / "frontdesk",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    data = root / "frontdesk" / SAFETY_DATA
    if damage == "malformed":
        (data / "lexicon.toml").write_text("version = \n", encoding="utf-8")
    elif damage == "missing":
        (data / "suicide.toml").unlink()
    elif damage == "net-edited":
        path = data / "net.json"
        net = json.loads(path.read_text(encoding="utf-8"))
        feature = next(iter(net["weights"]))
        net["weights"][feature] += 1.0  # an edited weight no longer matches the checksum
        path.write_text(json.dumps(net), encoding="utf-8")
    else:
        (data / "net.json").unlink()
    return root


NAMED = {
    "malformed": "lexicon.toml",
    "missing": "suicide.toml",
    "net-edited": "net.json",
    "net-missing": "net.json",
}


@pytest.fixture(scope="module")
def practice_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice written by `frontdesk init`, with its database, from the intact package."""
    where = tmp_path_factory.mktemp("practice")
    assert main(["init", str(where)]) == 0
    return where


@pytest.mark.parametrize(
    ("command", "damage"),
    [
        (["serve", "--port", "0"], "malformed"),
        (["serve", "--port", "0"], "missing"),
        (["serve", "--port", "0"], "net-edited"),
        (["worker", "--once"], "net-missing"),
        (["worker", "--once"], "malformed"),
        (["call"], "malformed"),
        (["simulate", "--script", str(CALL_SCRIPT)], "malformed"),
        (["demo", "--dir", "DEMO", "--no-serve"], "net-edited"),
    ],
)
def test_a_broken_lexicon_stops_start_up_with_a_clear_message(
    tmp_path: Path, practice_dir: Path, command: list[str], damage: str
) -> None:
    """`serve`, `worker`, `call`, `simulate` and `demo` refuse to start on a malformed or
    missing lexicon file or a damaged or missing net, naming the file, with exit status 2 and
    no traceback; the demo writes no practice first."""
    site = broken_package(tmp_path, damage)
    demo = tmp_path / "demo"
    command = [str(demo) if part == "DEMO" else part for part in command]
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "FRONTDESK_DATABASE_URL": f"sqlite:///{practice_dir / 'frontdesk.db'}",
        "FRONTDESK_PRACTICE_FILE": str(practice_dir / "practice.yaml"),
    }
    env.pop("FRONTDESK_ENVIRONMENT", None)
    done = subprocess.run(
        [sys.executable, "-m", "frontdesk", *command],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("frontdesk: the safety screen cannot start:"), done.stderr
    assert NAMED[damage] in done.stderr
    assert not demo.exists()
    assert "Traceback" not in done.stderr
