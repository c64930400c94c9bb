"""Staff accounts and sign-in: the use cases behind `frontdesk users` and the console.

Every function takes the unit of work and commits once. Passwords go through a
`PasswordHasher` (Argon2 in production); sessions live in the database, the browser holds
only a random token whose SHA-256 is the session's key. Every sign-in, failure, sign-out,
lockout and account change is written to the audit log (`record`, object kind
`staff_user`) in the same transaction, by user id, time and source address: never a typed
username, password or code.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol

from frontdesk.domain import totp
from frontdesk.domain.audit import AuditAction
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound, SignInRefused
from frontdesk.domain.staff import (
    PER_ACCOUNT,
    PER_SOURCE,
    Role,
    SessionRecord,
    SessionStage,
    StaffAccount,
    StaffId,
    StaffUser,
    check_password,
    check_username,
)
from frontdesk.services import audit
from frontdesk.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

OBJECT_KIND = "staff_user"
ANONYMOUS = "anonymous"  # the actor of a sign-in attempt that did not succeed
SOURCE = re.compile(r"[A-Za-z0-9_.:\[\]%-]{1,64}")
RECOVERY_CODES = 10
REFUSED = "the username, password or code is not right"


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; with no hash, takes as long and answers False."""

    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """How long a session lasts unused (`idle`) and at most (`lifetime`)."""

    idle: timedelta = timedelta(minutes=15)
    lifetime: timedelta = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: `token` goes into the cookie and nowhere else."""

    token: str
    user: StaffUser
    stage: SessionStage
    csrf_token: str


@dataclass(frozen=True, slots=True)
class CurrentSession:
    user: StaffUser
    stage: SessionStage
    csrf_token: str
    token_hash: str


@dataclass(frozen=True, slots=True)
class Enrolled:
    """Recovery codes to show once, and the new session token (None without a session)."""

    codes: list[str]
    token: str | None


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    uri: str


def record(
    uow: UnitOfWork,
    *,
    actor: str,
    action: str,
    at: datetime,
    object_id: str | None = None,
    source: str | None = None,
    detail: str = "",
) -> None:
    """Append to the audit log in the open unit of work: ids and `key=value` facts only.

    A source address the log cannot hold (not an IP address) is left out, not refused.
    """
    audit.record(
        uow=uow,
        actor=actor,
        action=action,
        object_kind=OBJECT_KIND,
        object_id=object_id,
        source=source if source and SOURCE.fullmatch(source) else None,
        detail=detail,
        at=at,
    )


def token_hash(token: str) -> str:
    """The key a session is stored under: the SHA-256 of its cookie token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _account_key(username: str) -> str:
    # The failure log never holds a typed username, which may be a mistyped password.
    return "account:" + hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()


def _source_key(source: str | None) -> str:
    return f"source:{source or 'unknown'}"


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode("utf-8")).hexdigest()


def new_recovery_codes() -> list[str]:
    """Ten single-use codes, 60 random bits each, shown once as `xxxx-xxxx-xxxx`."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return codes


def _checked_role(role: str, clinician_id: str | None, clinicians: Collection[str]) -> Role:
    try:
        chosen = Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidInput(f"unknown role {role!r}: one of {names}") from None
    if chosen is Role.CLINICIAN:
        if not clinician_id:
            raise InvalidInput("a clinician account needs --clinician ID from the practice file")
        if clinician_id not in clinicians:
            raise InvalidInput(f"no clinician {clinician_id!r} in the practice file")
    elif clinician_id:
        raise InvalidInput("only a clinician account is linked to a clinician id")
    return chosen


def add_user(
    *,
    username: str,
    password: str,
    role: str,
    clinician_id: str | None,
    clinicians: Collection[str],
    uow: UnitOfWork,
    passwords: PasswordHasher,
    at: datetime,
    actor: str,
    source: str | None = None,
) -> StaffAccount:
    """A new enabled account; `InvalidInput` for a bad name, password or role link,
    `Conflict` when the username is taken."""
    name = check_username(username)
    chosen = _checked_role(role, clinician_id, clinicians)
    check_password(password, username=name)
    account = StaffAccount(
        user=StaffUser(
            id=StaffId(uuid.uuid4().hex), username=name, role=chosen, clinician_id=clinician_id
        ),
        password_hash=passwords.hash(password),
        created_at=at,
        updated_at=at,
    )
    with uow:
        if uow.staff.get_by_username(name) is not None:
            raise Conflict(f"the username {name} is taken")
        uow.staff.add(account)
        detail = f"role={chosen.value}"
        _commit_change(uow, account, actor, source, at, detail, AuditAction.CREATE)
    return account


def list_users(*, uow: UnitOfWork) -> list[StaffAccount]:
    """Every account, by username."""
    with uow:
        return uow.staff.list_all()


def _require(uow: UnitOfWork, username: str) -> StaffAccount:
    account = uow.staff.get_by_username(username.strip().lower())
    if account is None:
        raise NotFound("no staff user with that username")
    return account


def set_disabled(
    *,
    username: str,
    disabled: bool,
    uow: UnitOfWork,
    at: datetime,
    actor: str,
    source: str | None = None,
) -> StaffAccount:
    """Disable an account (its sessions end at once) or enable it again.

    The last enabled admin cannot be disabled: nobody could manage users afterwards.
    """
    with uow:
        account = _require(uow, username)
        if (
            disabled
            and not account.disabled
            and account.user.role is Role.ADMIN
            and uow.staff.count_admins() <= 1
        ):
            raise Conflict("the last enabled admin cannot be disabled")
        changed = replace(account, disabled=disabled, updated_at=at)
        uow.staff.update(changed)
        ended = uow.staff_sessions.remove_for_user(account.id) if disabled else 0
        state = "disabled" if disabled else "enabled"
        _commit_change(uow, account, actor, source, at, f"state={state} sessions_ended={ended}")
    return changed


def reset_password(
    *,
    username: str,
    password: str,
    uow: UnitOfWork,
    passwords: PasswordHasher,
    at: datetime,
    actor: str,
    reset_totp: bool = False,
    source: str | None = None,
) -> StaffAccount:
    """A new password (and with `reset_totp`, a fresh second-factor enrolment): every
    session of the account ends and its lockout is lifted."""
    with uow:
        account = _require(uow, username)
        check_password(password, username=account.user.username)
        changed = replace(account, password_hash=passwords.hash(password), updated_at=at)
        if reset_totp:
            changed = replace(
                changed,
                totp_secret=None,
                totp_confirmed=False,
                totp_last_step=None,
                recovery_codes=(),
            )
        uow.staff.update(changed)
        uow.staff_sessions.remove_for_user(account.id)
        uow.sign_in_failures.clear(_account_key(account.user.username))
        detail = "password=reset" + (" second_factor=reset" if reset_totp else "")
        _commit_change(uow, account, actor, source, at, detail)
    return changed


def _commit_change(
    uow: UnitOfWork,
    account: StaffAccount,
    actor: str,
    source: str | None,
    at: datetime,
    detail: str,
    action: AuditAction = AuditAction.CHANGE,
) -> None:
    """Record a change to (or the creation of) `account` in the audit log and commit it
    with the change."""
    record(
        uow,
        actor=actor,
        action=action,
        at=at,
        object_id=account.id,
        source=source,
        detail=detail,
    )
    uow.commit()


def begin_totp(*, user_id: StaffId, issuer: str, uow: UnitOfWork, at: datetime) -> Enrolment:
    """A new unconfirmed TOTP secret for the account (replacing an unconfirmed one)."""
    with uow:
        account = uow.staff.get(user_id)
        if account is None:
            raise NotFound(f"no staff user {user_id}")
        if account.totp_confirmed:
            raise Conflict("a second factor is already set up; an admin can reset it")
        secret = account.totp_secret or totp.new_secret()
        uow.staff.update(replace(account, totp_secret=secret, updated_at=at))
        uow.commit()
    uri = totp.provisioning_uri(secret, account=account.user.username, issuer=issuer)
    return Enrolment(secret=secret, uri=uri)


def confirm_totp(
    *,
    user_id: StaffId,
    code: str,
    token: str,
    uow: UnitOfWork,
    at: datetime,
    source: str | None = None,
) -> Enrolled:
    """Confirm the secret with a code from the authenticator: ten recovery codes are made
    (shown once, stored hashed) and the enrolling session of `token` is replaced by a full
    session under a new token (the old one no longer works)."""
    with uow:
        account = uow.staff.get(user_id)
        if account is None or account.totp_secret is None:
            raise NotFound("no second factor is being set up")
        step = totp.verify(account.totp_secret, code, at, after_step=account.totp_last_step)
        if step is None:
            raise InvalidInput("that code is not right: check the authenticator's clock")
        codes = new_recovery_codes()
        uow.staff.update(
            replace(
                account,
                totp_confirmed=True,
                totp_last_step=step,
                recovery_codes=tuple(_recovery_hash(c) for c in codes),
                updated_at=at,
            )
        )
        session = uow.staff_sessions.get(token_hash(token))
        fresh = None
        if session is not None and session.user_id == user_id:
            fresh = secrets.token_urlsafe(32)
            uow.staff_sessions.remove(session.token_hash)
            uow.staff_sessions.add(
                replace(
                    session, token_hash=token_hash(fresh), stage=SessionStage.FULL, last_seen_at=at
                )
            )
        _commit_change(uow, account, account.user.actor, source, at, "second_factor=enrolled")
    return Enrolled(codes=codes, token=fresh)


def _locked_until(uow: UnitOfWork, keys: tuple[str, str], at: datetime) -> datetime | None:
    account_key, source_key = keys
    ends = [
        PER_ACCOUNT.locked_until(uow.sign_in_failures.since(account_key, at - PER_ACCOUNT.window)),
        PER_SOURCE.locked_until(uow.sign_in_failures.since(source_key, at - PER_SOURCE.window)),
    ]
    active = [end for end in ends if end is not None and end > at]
    return max(active) if active else None


def _tidy(uow: UnitOfWork, at: datetime, policy: SessionPolicy) -> None:
    """Drop lapsed sessions and failures too old to count: each sign-in keeps both tables
    to what is live, with no separate job to schedule."""
    uow.staff_sessions.remove_started_before(at - policy.lifetime, idle_since=at - policy.idle)
    uow.sign_in_failures.remove_before(at - max(PER_ACCOUNT.window, PER_SOURCE.window))


def _second_factor(account: StaffAccount, code: str, at: datetime) -> StaffAccount | None:
    """The account after using `code` (a TOTP code or an unused recovery code), or None."""
    if account.totp_secret is None or not account.totp_confirmed:
        return None
    step = totp.verify(account.totp_secret, code, at, after_step=account.totp_last_step)
    if step is not None:
        return replace(account, totp_last_step=step)
    hashed = _recovery_hash(code)
    for stored in account.recovery_codes:
        if hmac.compare_digest(stored, hashed):
            left = tuple(c for c in account.recovery_codes if c != stored)
            return replace(account, recovery_codes=left)
    return None


def sign_in(
    *,
    username: str,
    password: str,
    code: str,
    source: str | None,
    require_totp: bool,
    uow: UnitOfWork,
    passwords: PasswordHasher,
    at: datetime,
    policy: SessionPolicy | None = None,
) -> SignedIn:
    """Check the password and second factor and open a session, or `SignInRefused`.

    A locked account or source is refused before the password is looked at; a failure is
    counted against both the typed username and the source address, whether or not the
    account exists, so the answer never tells which usernames exist.
    """
    keys = (_account_key(username), _source_key(source))
    with uow:
        _tidy(uow, at, policy or SessionPolicy())
        locked = _locked_until(uow, keys, at)
        if locked is not None:
            _record_refusal(uow, AuditAction.SIGN_IN_FAILED, None, source, at, "reason=locked")
            uow.commit()
            raise SignInRefused("too many failed sign-ins", locked_until=locked)
        account = uow.staff.get_by_username(username.strip().lower())
        ok = passwords.verify(account.password_hash if account else None, password)
        used = account
        if ok and account is not None and account.totp_confirmed:
            used = _second_factor(account, code, at)
            ok = used is not None
        if not ok or account is None or used is None or account.disabled:
            for key in keys:
                uow.sign_in_failures.add(key, at)
            now_locked = _locked_until(uow, keys, at)
            failed = AuditAction.SIGN_IN_FAILED
            _record_refusal(uow, failed, account, source, at, "reason=credentials")
            if now_locked is not None:
                until = f"until={now_locked.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
                _record_refusal(uow, "lockout", account, source, at, until)
            uow.commit()
            raise SignInRefused(REFUSED, locked_until=now_locked)
        if passwords.needs_rehash(account.password_hash):
            used = replace(used, password_hash=passwords.hash(password))
        uow.staff.update(replace(used, updated_at=at))
        uow.sign_in_failures.clear(keys[0])
        stage = (
            SessionStage.ENROL if require_totp and not account.totp_confirmed else SessionStage.FULL
        )
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        uow.staff_sessions.add(
            SessionRecord(
                token_hash=token_hash(token),
                user_id=account.id,
                csrf_token=csrf,
                stage=stage,
                created_at=at,
                last_seen_at=at,
                source=(source or "")[:64] or None,
            )
        )
        record(
            uow,
            actor=account.user.actor,
            action=AuditAction.SIGN_IN,
            at=at,
            object_id=account.id,
            source=source,
            detail=f"stage={stage.value}",
        )
        uow.commit()
    return SignedIn(token=token, user=account.user, stage=stage, csrf_token=csrf)


def _record_refusal(
    uow: UnitOfWork,
    action: str,
    account: StaffAccount | None,
    source: str | None,
    at: datetime,
    detail: str,
) -> None:
    """Audit a refused sign-in: by nobody, about the account when it exists."""
    record(
        uow,
        actor=ANONYMOUS,
        action=action,
        at=at,
        object_id=account.id if account else None,
        source=source,
        detail=detail,
    )


def current_session(
    *, token: str, uow: UnitOfWork, at: datetime, policy: SessionPolicy, touch: bool = True
) -> CurrentSession | None:
    """The live session of `token` (its idle clock restarted unless `touch` is False, for a
    request the page made by itself), or None: unknown, lapsed (then removed) or of an
    account disabled since."""
    key = token_hash(token)
    with uow:
        found = uow.staff_sessions.get(key)
        if found is None:
            return None
        account = uow.staff.get(found.user_id)
        if (
            account is None
            or account.disabled
            or found.lapsed(at, idle=policy.idle, lifetime=policy.lifetime)
        ):
            uow.staff_sessions.remove(key)
            if account is not None:
                record(
                    uow,
                    actor=account.user.actor,
                    action=AuditAction.SIGN_OUT,
                    at=at,
                    object_id=account.id,
                    detail="reason=lapsed",
                )
            uow.commit()
            return None
        if touch:
            uow.staff_sessions.touch(key, at)
            uow.commit()
    return CurrentSession(
        user=account.user, stage=found.stage, csrf_token=found.csrf_token, token_hash=key
    )


def sign_out(*, token: str, uow: UnitOfWork, at: datetime, source: str | None = None) -> None:
    """End the session of `token` (nothing happens for an unknown one)."""
    key = token_hash(token)
    with uow:
        found = uow.staff_sessions.get(key)
        if found is None:
            return
        uow.staff_sessions.remove(key)
        record(
            uow,
            actor=f"user:{found.user_id}",
            action=AuditAction.SIGN_OUT,
            at=at,
            object_id=found.user_id,
            source=source,
        )
        uow.commit()
