"""Small helpers shared by several sub-commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from frontdesk.config import Settings
from frontdesk.domain.errors import PracticeFileError

PRACTICE_FILE_NAME = "practice.yaml"


def add_practice_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--practice",
        metavar="FILE",
        type=Path,
        default=None,
        help="practice file (default: $FRONTDESK_PRACTICE_FILE, else ./practice.yaml)",
    )


def resolve_practice_path(args: argparse.Namespace, settings: Settings) -> Path:
    """`--practice FILE`, else `FRONTDESK_PRACTICE_FILE`, else `practice.yaml` here."""
    chosen: Path | None = getattr(args, "practice", None) or settings.practice_file
    path = chosen if chosen is not None else Path(os.getcwd()) / PRACTICE_FILE_NAME
    if not path.is_file():
        raise PracticeFileError(
            "no practice file found (use --practice FILE, set FRONTDESK_PRACTICE_FILE, "
            "or run `frontdesk init` to write an example)",
            path=str(path),
        )
    return path


def print_json(value: Any) -> None:
    """Print one JSON document on stdout (pure data in, no objects)."""
    json.dump(value, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
