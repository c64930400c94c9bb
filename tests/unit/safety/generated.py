"""What the seeded sentence generators share: the check of their tables of fixed causes,
and the report they print when run by hand.

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
from frontdesk.domain.calls import Route


class Generated(Protocol):
    """A generated sentence and what the screen must make of it."""

    @property
    def kind(self) -> str: ...
    @property
    def expect(self) -> str: ...
    @property
    def text(self) -> str: ...
    def met(self, verdict: Verdict) -> bool: ...


def assert_expected(verdict: Verdict, expected: Route | str, *, unasked: bool = False) -> None:
    """A fixed cause's table row holds: its route exactly, or "escalated" (crisis or
    emergency), "asked" (the direct question, or escalated) or "below" (not escalated; with
    `unasked`, not asked either)."""
    if expected == "below":
        assert not verdict.route.is_crisis, verdict.route
        if unasked:
            assert not verdict.safety_check
    elif expected == "escalated":
        assert verdict.route.is_crisis, verdict.route
    elif expected == "asked":
        assert verdict.safety_check or verdict.route.is_crisis, verdict.route
    else:
        assert verdict.route is expected, (str(verdict.route), verdict.safety_check)


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
