"""Staff accounts: who may sign in to the console, in which role, and what each role may see.

Roles follow the minimum-necessary rule:

    front_desk   the work queue, inquiries, the calendar, the waitlist, calls; of a
                 clinical or crisis hand-off only its summary
    clinician    the clinical and crisis hand-offs and the appointments of their own clients
    admin        everything, and users, the practice file and the script library
    auditor      the audit log and reports, read-only: every change is refused

The sign-in policy lives here too, as pure functions over counts and times: how long an
account or a source address is locked after repeated failures (doubling back-off), and when
a session has lapsed (idle or absolute lifetime).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NewType

from frontdesk.domain.errors import InvalidInput

StaffId = NewType("StaffId", str)

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MINIMUM_PASSWORD_LENGTH = 12
MAXIMUM_PASSWORD_LENGTH = 256  # Argon2 hashes anything, but a megabyte password is an attack


class Role(StrEnum):
    FRONT_DESK = "front_desk"
    CLINICIAN = "clinician"
    ADMIN = "admin"
    AUDITOR = "auditor"


@dataclass(frozen=True, slots=True)
class StaffUser:
    """The signed-in person as pages see them: no secrets, only what permissions need."""

    id: StaffId
    username: str
    role: Role
    clinician_id: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this person."""
        return f"user:{self.id}"

    @property
    def read_only(self) -> bool:
        """Auditors change nothing."""
        return self.role is Role.AUDITOR

    def has(self, *roles: Role) -> bool:
        return self.role in roles

    def may_see_clinical_detail(self, clinician_id: str | None) -> bool:
        """Whether the clinical detail of a hand-off or client of `clinician_id` may be shown.

        Admins may; a clinician only for their own clients (an item not yet assigned to a
        clinician is not theirs); front desk and auditors see the summary only.
        """
        if self.role is Role.ADMIN:
            return True
        return (
            self.role is Role.CLINICIAN
            and clinician_id is not None
            and (clinician_id == self.clinician_id)
        )

    def may_see_client_of(self, clinician_id: str | None) -> bool:
        """Whether a client (appointments, name) of `clinician_id` may be shown at all."""
        if self.role is Role.CLINICIAN:
            return clinician_id is not None and clinician_id == self.clinician_id
        return self.role in (Role.ADMIN, Role.FRONT_DESK)


@dataclass(frozen=True, slots=True)
class StaffAccount:
    """A stored account: the user plus its credentials and state."""

    user: StaffUser
    password_hash: str
    created_at: datetime
    updated_at: datetime
    disabled: bool = False
    totp_secret: str | None = None  # base32; set at enrolment
    totp_confirmed: bool = False  # a code from the authenticator proved the secret
    totp_last_step: int | None = None  # the last accepted time step: a code is used once
    recovery_codes: tuple[str, ...] = ()  # hashes of unused recovery codes

    @property
    def id(self) -> StaffId:
        return self.user.id


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """After `threshold` failures within `window`, each further failure doubles the lock,
    starting at `first_lock` and never longer than `longest_lock`."""

    threshold: int
    window: timedelta
    first_lock: timedelta = timedelta(minutes=1)
    longest_lock: timedelta = timedelta(hours=1)

    def locked_until(self, failures: list[datetime]) -> datetime | None:
        """When the lock that `failures` (within the window, any order) earned ends, or None."""
        if len(failures) < self.threshold:
            return None
        over = len(failures) - self.threshold
        lock = self.first_lock * (1 << min(over, 20))
        return max(failures) + min(lock, self.longest_lock)


PER_ACCOUNT = LockoutPolicy(threshold=5, window=timedelta(hours=24))
PER_SOURCE = LockoutPolicy(threshold=20, window=timedelta(hours=1))


def check_username(username: str) -> str:
    """The canonical (lower-case) username, or `InvalidInput` naming the rule."""
    canonical = username.strip().lower()
    if not USERNAME.fullmatch(canonical):
        raise InvalidInput(
            "a username is 2 to 64 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit"
        )
    return canonical


def check_password(password: str, *, username: str) -> None:
    """`InvalidInput` unless the password is long enough and is not the username."""
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MINIMUM_PASSWORD_LENGTH} characters")
    if len(password) > MAXIMUM_PASSWORD_LENGTH:
        raise InvalidInput(f"a password has at most {MAXIMUM_PASSWORD_LENGTH} characters")
    if username and username.lower() in password.lower():
        raise InvalidInput("a password must not contain the username")


class SessionStage(StrEnum):
    """`enrol`: the password was right but a second factor must be set up before anything
    else; `full`: signed in."""

    ENROL = "enrol"
    FULL = "full"


@dataclass(frozen=True, slots=True)
class SessionRecord:
    token_hash: str
    user_id: StaffId
    csrf_token: str
    stage: SessionStage
    created_at: datetime
    last_seen_at: datetime
    source: str | None

    def lapsed(self, now: datetime, *, idle: timedelta, lifetime: timedelta) -> bool:
        """Unused for `idle`, or older than `lifetime`: the person must sign in again."""
        return now - self.last_seen_at >= idle or now - self.created_at >= lifetime
