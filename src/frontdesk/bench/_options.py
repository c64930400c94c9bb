"""Options the benchmarks share: where the public data sets are, and JSON output."""

from __future__ import annotations

import argparse
from pathlib import Path

from frontdesk.config import Settings


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """`--datasets DIR` and `--json`, as every data-driven benchmark takes them."""
    parser.add_argument(
        "--datasets",
        metavar="DIR",
        type=Path,
        default=None,
        help="directory of data sets (default: $FRONTDESK_DATASETS_DIR, else ../shared/datasets)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def datasets_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """The data sets folder: `--datasets`, else the settings' default."""
    chosen: Path = args.datasets if args.datasets is not None else settings.datasets_dir
    return chosen
