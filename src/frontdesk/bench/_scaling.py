"""How the screen's cost grows with its input: realistic and adversarial texts of each size.

Each input is screened `REPEATS` times at every size and the least processor time
taken (`time.process_time`: the screen's own work, not the time it waited for a busy
machine), so one run slowed by a busy machine's caches does not decide. The runs of one
input take turns between its sizes, so a change in the machine's load meanwhile touches
every size, not only the one being timed. For every pair of
consecutive sizes the time may grow at most as the size does, with `NOISE_ALLOWANCE` for
timing noise: a cost exactly proportional to the input grows ten times from 1 MB to 10 MB,
so a bound of exactly ten times would pass or fail it by chance, while the allowance still
fails n log n growth (11.7 times from 1 MB to 10 MB) and anything steeper.
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


# How much faster than the size the time may grow between two sizes before the cost is
# called super-linear (see the module docstring).
NOISE_ALLOWANCE = 0.10


# Runs per input and size. Every size runs as often as the others: the least of more runs
# is lower by chance alone, so a size timed fewer times would look slower than it is. On
# an idle machine whose speed still drifts for seconds at a time, the least of three runs
# put one input of nine over the allowance in one bench of two (11.3 times from 1 MB to
# 10 MB); the least of five kept all nine between 9.4 and 10.6 times. (Since a window the
# screen has read is not read again from the same state, the adversarial floods grow far
# less than their size; the realistic input, which does not repeat within reach, grows
# with it.)
REPEATS = 5


def _seconds(text: str) -> float:
    """Processor seconds one screen of `text` takes."""
    started = time.process_time()
    screen(text)
    return time.process_time() - started


def scaling_report(
    texts: Sequence[str],
    sizes: Sequence[int],
    adversarial: Callable[[int], Mapping[str, str]],
    measure: Callable[[str], float] = _seconds,
) -> dict[str, object]:
    """Milliseconds per input kind and size, and the linearity check between sizes.

    `measure` gives the seconds one run of an input takes (the screen's processor time by
    default); each input's time is the least of `REPEATS` runs.
    """
    ordered = sorted(set(sizes))
    inputs = {
        size: {"realistic": realistic_input(texts, size), **adversarial(size)} for size in ordered
    }
    times: dict[str, dict[str, float]] = {}
    for name in inputs[ordered[0]] if ordered else ():
        # The sizes of one input take turns, run by run: a machine that gets busier or
        # quieter meanwhile slows or speeds every size alike, not only the one it was on.
        best: dict[int, float] = {}
        for _ in range(REPEATS):
            for size in ordered:
                seconds = measure(inputs[size][name])
                best[size] = min(best.get(size, seconds), seconds)
        times[name] = {str(size): round(best[size] * 1000, 3) for size in ordered}
    checks = []
    for smaller, larger in itertools.pairwise(ordered):
        limit = larger / smaller
        allowed = limit * (1 + NOISE_ALLOWANCE)
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
                    "allowed": round(allowed, 3),
                    "met": ratio <= allowed,
                }
            )
    return {
        "sizes": ordered,
        "clock": "process",
        "repeats": {str(size): REPEATS for size in ordered},
        "noise_allowance": NOISE_ALLOWANCE,
        "ms": times,
        "linearity": checks,
        "linear": all(c["met"] for c in checks),
    }
