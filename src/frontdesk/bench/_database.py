"""The database a benchmark fills: one the user names, or a temporary SQLite file."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def add_database_option(parser: argparse.ArgumentParser, flag: str) -> None:
    """The option naming an empty database to use instead of a temporary SQLite file."""
    parser.add_argument(
        flag,
        metavar="URL",
        default=None,
        help="an empty database to use (default: a temporary SQLite file)",
    )


@contextmanager
def scratch_database(url: str | None, name: str) -> Iterator[str]:
    """`url` as it is, or a new SQLite file `<name>.db` in a temporary folder that is
    removed afterwards."""
    if url is not None:
        yield url
        return
    folder = Path(tempfile.mkdtemp(prefix=f"frontdesk-bench-{name}-"))
    try:
        yield f"sqlite:///{folder / f'{name}.db'}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
