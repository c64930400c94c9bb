"""Helpers shared by benchmarks: timing, percentiles, route tables and report output."""

from __future__ import annotations

import json
import math
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

JSONValue = object


def percentile(values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0-100) of `values`, linearly interpolated; 0.0 when empty."""
    if not values:
        return 0.0
    if not 0 <= q <= 100:
        raise ValueError("percentile must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def run_together(jobs: Sequence[Callable[[], None]]) -> float:
    """Run every job at once, each on its own thread; the seconds until the last has ended.

    The first error a job raised is raised again once every thread has ended.
    """
    errors: list[BaseException] = []

    def guarded(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as exc:  # reported after every thread ends
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(job,)) for job in jobs]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed


def timed(fn: Callable[[T], R], items: Iterable[T]) -> tuple[list[R], list[float]]:
    """Call `fn` on each item; return the results and each call's duration in seconds."""
    results: list[R] = []
    durations: list[float] = []
    clock = time.perf_counter
    for item in items:
        started = clock()
        results.append(fn(item))
        durations.append(clock() - started)
    return results, durations


def latency_summary(durations: Sequence[float]) -> dict[str, float | int]:
    """Count, throughput per second and p50/p99/max latency in milliseconds."""
    total = sum(durations)
    return {
        "count": len(durations),
        "seconds": round(total, 4),
        "per_second": round(len(durations) / total, 1) if total > 0 else 0.0,
        "p50_ms": round(percentile(durations, 50) * 1000, 4),
        "p99_ms": round(percentile(durations, 99) * 1000, 4),
        "max_ms": round(max(durations, default=0.0) * 1000, 4),
    }


def share_table(labels: Iterable[str], order: Sequence[str]) -> dict[str, dict[str, float | int]]:
    """For each label in `order`, how many of `labels` carry it and what share that is."""
    counts = Counter(labels)
    total = sum(counts.values())
    return {
        name: {
            "count": counts.get(name, 0),
            "share": round(counts.get(name, 0) / total, 6) if total else 0.0,
        }
        for name in order
    }


def print_report(report: Mapping[str, JSONValue], *, as_json: bool) -> None:
    """Print a report as one JSON document, or as indented `key: value` lines."""
    if as_json:
        json.dump(report, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for line in _lines(report, 0):
        print(line)


def _lines(value: JSONValue, depth: int) -> Iterable[str]:
    pad = "  " * depth
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, Mapping | list):
                yield f"{pad}{key}:"
                yield from _lines(item, depth + 1)
            else:
                yield f"{pad}{key}: {item}"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping | list):
                yield f"{pad}-"
                yield from _lines(item, depth + 1)
            else:
                yield f"{pad}- {item}"
    else:
        yield f"{pad}{value}"
