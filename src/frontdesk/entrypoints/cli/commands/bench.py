"""`frontdesk bench NAME`: run one of the shipped benchmarks.

Benchmarks live one per module in `frontdesk.bench`, listed in
`frontdesk.entrypoints.cli.commands.BENCHES`; only the one being run is imported.
"""

from __future__ import annotations

import argparse


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    parser = subparsers.add_parser(
        "bench",
        description="Run one of the shipped benchmarks against public data.",
    )
    return parser.add_subparsers(dest="bench", metavar="NAME", required=True)
