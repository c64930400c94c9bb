"""The report the seeded sentence generators print when run by hand.

`python -m tests.unit.safety.test_caller_voices [N] [SEED]` (and the other generators)
prints every sentence the screen misses, with its kind, what was expected, the route given
and whether the direct question was asked, then the misses and the draws per kind.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

from frontdesk.conversation.safety import Verdict, screen


class Generated(Protocol):
    """A generated sentence and what the screen must make of it."""

    @property
    def kind(self) -> str: ...
    @property
    def expect(self) -> str: ...
    @property
    def text(self) -> str: ...
    def met(self, verdict: Verdict) -> bool: ...


def report(
    generate: Callable[[int, int], Sequence[Generated]], seed: int
) -> None:  # pragma: no cover - a tool, run by hand
    """Print the misses of `generate(N, SEED)`, N and SEED read from the command line."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else seed
    cases = generate(n, seed)
    width = max((len(c.kind) for c in cases), default=0)
    misses = []
    for case in cases:
        verdict = screen(case.text)
        if case.met(verdict):
            continue
        misses.append(case)
        asked = "asked" if verdict.safety_check else ""
        print(f"{case.kind:{width}} {case.expect:19} {verdict.route!s:10} {asked:5} {case.text}")
    by_kind = Counter(c.kind for c in misses)
    print(f"{len(misses)} of {n} missed: {dict(sorted(by_kind.items()))}")
    print(f"drawn: {dict(sorted(Counter(c.kind for c in cases).items()))}")
