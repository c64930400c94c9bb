"""Injected failures around any unit of work, fake or real, for the crisis-path fault tests.

`Faults` wraps a unit-of-work factory. Every unit of work it hands out shares one count of
commits and of `with` blocks entered, and fails where the test says:

- `die_after_commits=N`: once N commits have been made, every later block raises
  `ProcessDied`, as if the process stopped right after its Nth commit;
- `fail_blocks={k, ...}`: the k-th block entered (1-based) raises `InjectedFailure` once, a
  dependency failing mid-handling;
- `stall_blocks={k, ...}`: the k-th block entered waits until the test sets `released`, a
  dependency hanging mid-handling.

    faults = Faults(lambda: uow, die_after_commits=1)
    deps = VoiceDeps(uow=faults, context=ctx)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Self

from frontdesk.services.unit_of_work import UnitOfWork


class ProcessDied(BaseException):
    """The process stopped: nothing after this point runs (not an `Exception`, so no handler
    in the code under test can swallow it)."""


class InjectedFailure(RuntimeError):
    """A dependency failed once, mid-handling."""


class Faults:
    """A unit-of-work factory that injects failures; see the module docstring."""

    def __init__(
        self,
        factory: Callable[[], UnitOfWork],
        *,
        die_after_commits: int | None = None,
        fail_blocks: Iterable[int] = (),
        stall_blocks: Iterable[int] = (),
    ) -> None:
        self.factory = factory
        self.die_after_commits = die_after_commits
        self.fail_blocks = set(fail_blocks)
        self.stall_blocks = set(stall_blocks)
        self.released = threading.Event()
        self.commits = 0
        self.blocks = 0

    @property
    def dead(self) -> bool:
        return self.die_after_commits is not None and self.commits >= self.die_after_commits

    def __call__(self) -> UnitOfWork:
        return _Faulty(self, self.factory())  # type: ignore[return-value]


class _Faulty:
    def __init__(self, faults: Faults, inner: UnitOfWork) -> None:
        self._faults = faults
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> Self:
        faults = self._faults
        if faults.dead:
            raise ProcessDied
        faults.blocks += 1
        if faults.blocks in faults.fail_blocks:
            raise InjectedFailure(f"block {faults.blocks} failed")
        if faults.blocks in faults.stall_blocks:
            faults.released.wait(timeout=60)
        self._inner.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._inner.__exit__(exc_type, exc, traceback)

    def commit(self) -> None:
        if self._faults.dead:
            raise ProcessDied
        self._inner.commit()
        self._faults.commits += 1
