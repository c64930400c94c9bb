"""How the screen's cost grows with its input: realistic and adversarial texts of each size.

Each input is screened once per size; for every pair of consecutive sizes the time must
grow less than the size does (10 MB in under ten times the 1 MB time), or the cost is not
linear in the input.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence

from frontdesk.conversation.safety import screen

# A stride coprime with any realistic corpus size walks the utterances of every set in turn,
# so each size of realistic input has the same mix of sets.
_STRIDE = 7919


def realistic_input(texts: Sequence[str], size: int) -> str:
    """Exactly `size` characters of real utterances, every set mixed evenly throughout."""
    if not texts:
        return "a" * size
    pieces: list[str] = []
    total = 0
    count = len(texts)
    stride = _STRIDE if count % _STRIDE else 1
    index = 0
    while total < size:
        piece = texts[(index * stride) % count]
        pieces.append(piece)
        total += len(piece) + 1
        index += 1
    return " ".join(pieces)[:size]


def _seconds(text: str) -> float:
    started = time.perf_counter()
    screen(text)
    return time.perf_counter() - started


def scaling_report(
    texts: Sequence[str],
    sizes: Sequence[int],
    adversarial: Callable[[int], Mapping[str, str]],
    measure: Callable[[str], float] = _seconds,
) -> dict[str, object]:
    """Milliseconds per input kind and size, and the linearity check between sizes.

    `measure` gives the seconds one input takes (the screen's wall time by default).
    """
    ordered = sorted(set(sizes))
    times: dict[str, dict[str, float]] = {}
    for size in ordered:
        inputs = {"realistic": realistic_input(texts, size), **adversarial(size)}
        for name, text in inputs.items():
            times.setdefault(name, {})[str(size)] = round(measure(text) * 1000, 3)
    checks = []
    for smaller, larger in itertools.pairwise(ordered):
        limit = larger / smaller
        for name, by_size in times.items():
            before, after = by_size[str(smaller)], by_size[str(larger)]
            ratio = after / before if before > 0 else 0.0
            checks.append(
                {
                    "input": name,
                    "from_chars": smaller,
                    "to_chars": larger,
                    "time_ratio": round(ratio, 3),
                    "limit": round(limit, 3),
                    "met": ratio < limit,
                }
            )
    return {
        "sizes": ordered,
        "ms": times,
        "linearity": checks,
        "linear": all(c["met"] for c in checks),
    }
