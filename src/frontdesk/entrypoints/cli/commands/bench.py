"""`frontdesk bench NAME`: run one of the shipped benchmarks.

Benchmarks live one per module in `frontdesk.bench`, each exposing `register(subparsers)`;
they are discovered here, so adding one never edits a shared list.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil

from frontdesk import bench


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="run a benchmark (see `frontdesk bench --help`)",
        description="Run one of the shipped benchmarks against public data.",
    )
    benches = parser.add_subparsers(dest="bench", metavar="NAME", required=True)
    for module_info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{bench.__name__}.{module_info.name}")
        module.register(benches)
