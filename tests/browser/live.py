"""`frontdesk serve` on a fresh SQLite file with the example practice, for the browser tests,
and the project's CLI against the same database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Self

import httpx
import pytest

from frontdesk.adapters.db.migrations import upgrade


class LiveServer:
    """A served application in a child process; `stop()`, or leaving a `with` block, ends it."""

    def __init__(self, folder: Path, *, extra_env: dict[str, str] | None = None) -> None:
        data = resources.files("frontdesk.data")
        shutil.copyfile(str(data / "example_practice.yaml"), folder / "practice.yaml")
        shutil.copyfile(str(data / "scripts" / "default.yaml"), folder / "scripts.yaml")
        self.practice = folder / "practice.yaml"
        self.scripts = folder / "scripts.yaml"
        url = f"sqlite:///{folder / 'live.db'}"
        upgrade(url)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "FRONTDESK_DATABASE_URL": url,
            "FRONTDESK_PRACTICE_FILE": str(self.practice),
            "FRONTDESK_LOG_LEVEL": "WARNING",
            "FRONTDESK_ENVIRONMENT": "development",
            **(extra_env or {}),
        }
        self.child = subprocess.Popen(
            [sys.executable, "-m", "frontdesk", "serve", "--port", str(port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(600):
            if self.child.poll() is not None:
                output = self.child.stderr.read().decode() if self.child.stderr else ""
                pytest.fail(f"frontdesk serve exited: {output}")
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)

    def cli(self, *argv: str, stdin: str | None = None) -> str:
        """Run `frontdesk ARGV…` against this server's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "frontdesk", *argv],
            input=stdin,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.child.terminate()
        self.child.wait(timeout=10)
        if self.child.stderr is not None:
            self.child.stderr.close()
