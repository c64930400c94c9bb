"""The storage boundary of staff accounts: the repositories the unit of work holds as
`staff`, `staff_sessions` and `sign_in_failures`."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from frontdesk.domain.staff import SessionRecord, StaffAccount, StaffId


class StaffRepository(Protocol):
    def add(self, account: StaffAccount) -> None:
        """Store a new account; `Conflict` if its username is taken."""

    def get(self, user_id: StaffId) -> StaffAccount | None: ...

    def get_by_username(self, username: str) -> StaffAccount | None: ...

    def update(self, account: StaffAccount) -> None:
        """Replace the stored account (same id); `NotFound` if there is none."""

    def list_all(self) -> list[StaffAccount]:
        """Every account, by username."""

    def count_admins(self) -> int:
        """Enabled admins."""


class StaffSessionRepository(Protocol):
    def add(self, record: SessionRecord) -> None: ...

    def get(self, token_hash: str) -> SessionRecord | None: ...

    def touch(self, token_hash: str, at: datetime) -> None:
        """Record use of the session at `at` (the idle clock restarts)."""

    def remove(self, token_hash: str) -> None: ...

    def remove_for_user(self, user_id: StaffId) -> int:
        """End every session of a user; how many there were."""

    def remove_started_before(self, moment: datetime, *, idle_since: datetime) -> int:
        """End sessions made before `moment` or unused since `idle_since`."""


class SignInFailureRepository(Protocol):
    def add(self, key: str, at: datetime) -> None: ...

    def since(self, key: str, moment: datetime) -> list[datetime]:
        """The times of failures under `key` at or after `moment`."""

    def clear(self, key: str) -> None: ...

    def remove_before(self, moment: datetime) -> int:
        """Forget failures older than `moment` (they no longer count); how many there were."""
