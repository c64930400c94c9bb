"""Staff accounts on SQLite and PostgreSQL: Argon2 hashes, second factor, lockout with
back-off per account and per source, sessions with idle and absolute limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from tests.console_helpers import PASSWORD, fast_passwords

from frontdesk.adapters.db import SqlAlchemyUnitOfWork
from frontdesk.adapters.passwords import Argon2Passwords
from frontdesk.domain import totp
from frontdesk.domain.errors import Conflict, InvalidInput, NotFound, SignInRefused
from frontdesk.domain.staff import Role, SessionStage, StaffAccount
from frontdesk.services import staff
from frontdesk.services.staff import SessionPolicy

T0 = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
CLINICIANS = ("c-ames", "c-bell")
POLICY = SessionPolicy(idle=timedelta(minutes=15), lifetime=timedelta(hours=12))
PASSWORDS = fast_passwords()


def add(
    uow: SqlAlchemyUnitOfWork, name: str, role: str = "front_desk", **kw: object
) -> StaffAccount:
    return staff.add_user(
        username=name,
        password=str(kw.pop("password", PASSWORD)),
        role=role,
        clinician_id=kw.pop("clinician_id", None),  # type: ignore[arg-type]
        clinicians=CLINICIANS,
        uow=uow,
        passwords=PASSWORDS,
        at=T0,
        actor="test",
    )


def sign_in(
    uow: SqlAlchemyUnitOfWork,
    name: str,
    *,
    password: str = PASSWORD,
    code: str = "",
    source: str = "198.51.100.7",
    at: datetime = T0,
    require_totp: bool = False,
    policy: SessionPolicy | None = None,
) -> staff.SignedIn:
    return staff.sign_in(
        policy=policy,
        username=name,
        password=password,
        code=code,
        source=source,
        require_totp=require_totp,
        uow=uow,
        passwords=PASSWORDS,
        at=at,
    )


def enrol(
    uow: SqlAlchemyUnitOfWork, account: StaffAccount, at: datetime = T0
) -> tuple[str, list[str]]:
    secret = staff.begin_totp(user_id=account.id, issuer="Frontdesk", uow=uow, at=at).secret
    enrolled = staff.confirm_totp(
        user_id=account.id, code=totp.code_at(secret, at), token="-", uow=uow, at=at
    )
    assert enrolled.token is None  # no session was enrolling
    return secret, enrolled.codes


def test_passwords_are_stored_as_argon2id_hashes(uow: SqlAlchemyUnitOfWork) -> None:
    """The stored value is an Argon2id hash that verifies the password and nothing else."""
    account = add(uow, "Sam")
    with uow:
        stored = uow.staff.get_by_username("sam")
    assert stored is not None
    assert stored.user.username == "sam"
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash
    assert PASSWORDS.verify(stored.password_hash, PASSWORD)
    assert not PASSWORDS.verify(stored.password_hash, PASSWORD + "!")
    assert not PASSWORDS.verify(None, PASSWORD)
    assert account.id == stored.id


def test_usernames_are_unique_and_roles_are_checked(uow: SqlAlchemyUnitOfWork) -> None:
    """A taken name (any case) is a Conflict; a clinician needs a practice clinician id and
    nobody else has one."""
    add(uow, "sam")
    with pytest.raises(Conflict):
        add(uow, "SAM")
    with pytest.raises(InvalidInput, match="clinician"):
        add(uow, "drx", "clinician")
    with pytest.raises(InvalidInput, match="no clinician"):
        add(uow, "drx", "clinician", clinician_id="c-nobody")
    with pytest.raises(InvalidInput, match="only a clinician"):
        add(uow, "desk2", "front_desk", clinician_id="c-ames")
    with pytest.raises(InvalidInput, match="unknown role"):
        add(uow, "desk3", "owner")
    doctor = add(uow, "ames", "clinician", clinician_id="c-ames")
    assert doctor.user.clinician_id == "c-ames"
    assert [a.user.username for a in staff.list_users(uow=uow)] == ["ames", "sam"]


def test_sign_in_opens_a_session_that_lapses_when_idle_or_old(uow: SqlAlchemyUnitOfWork) -> None:
    """A session is found by its token only (the table holds its hash), restarts its idle
    clock on use, and ends after 15 idle minutes or 12 hours."""
    add(uow, "sam")
    signed = sign_in(uow, "sam")
    with uow:
        assert uow.staff_sessions.get(signed.token) is None
        assert uow.staff_sessions.get(staff.token_hash(signed.token)) is not None
    at = T0
    for _ in range(3):
        at += timedelta(minutes=14)
        found = staff.current_session(token=signed.token, uow=uow, at=at, policy=POLICY)
        assert found is not None
        assert found.user.username == "sam"
    assert (
        staff.current_session(
            token=signed.token, uow=uow, at=at + timedelta(minutes=15), policy=POLICY
        )
        is None
    )
    again = sign_in(uow, "sam")
    assert again.token != signed.token
    assert (
        staff.current_session(
            token=again.token,
            uow=uow,
            at=T0 + timedelta(hours=12),
            policy=SessionPolicy(idle=timedelta(hours=24), lifetime=timedelta(hours=12)),
        )
        is None
    )
    assert staff.current_session(token="made-up", uow=uow, at=T0, policy=POLICY) is None


def test_wrong_credentials_and_unknown_users_get_the_same_refusal(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """A wrong password and an unknown username are refused alike and open no session."""
    add(uow, "sam")
    for name, password in (("sam", "wrong password!!"), ("nobody", PASSWORD)):
        with pytest.raises(SignInRefused) as refused:
            sign_in(uow, name, password=password)
        assert str(refused.value) == staff.REFUSED
        assert refused.value.locked_until is None


def test_five_failures_lock_the_account_with_doubling_back_off(uow: SqlAlchemyUnitOfWork) -> None:
    """The fifth failure locks the account for a minute even for the right password (from
    another address); after it, one more failure locks two minutes; success clears it."""
    add(uow, "sam")
    at = T0
    for i in range(5):
        with pytest.raises(SignInRefused) as refused:
            sign_in(uow, "sam", password=f"wrong password {i}", at=at, source=f"10.0.0.{i}")
    assert refused.value.locked_until == at + timedelta(minutes=1)
    with pytest.raises(SignInRefused) as locked:
        sign_in(uow, "sam", at=at + timedelta(seconds=59), source="10.9.9.9")
    assert locked.value.locked_until == at + timedelta(minutes=1)
    later = at + timedelta(minutes=1)
    with pytest.raises(SignInRefused) as again:
        sign_in(uow, "sam", password="still wrong!!", at=later, source="10.9.9.9")
    assert again.value.locked_until == later + timedelta(minutes=2)
    assert sign_in(uow, "sam", at=later + timedelta(minutes=2), source="10.9.9.9").token
    for i in range(4):
        with pytest.raises(SignInRefused) as fresh:
            sign_in(uow, "sam", password=f"wrong again {i}", at=later + timedelta(minutes=3))
    assert fresh.value.locked_until is None


def test_one_address_trying_many_accounts_is_locked(uow: SqlAlchemyUnitOfWork) -> None:
    """Twenty failures from one address within an hour lock that address for every account,
    while another address still signs in."""
    add(uow, "sam")
    for i in range(20):
        with pytest.raises(SignInRefused):
            sign_in(uow, f"guess{i}", source="203.0.113.5", at=T0 + timedelta(seconds=i))
    with pytest.raises(SignInRefused) as locked:
        sign_in(uow, "sam", source="203.0.113.5", at=T0 + timedelta(seconds=30))
    assert locked.value.locked_until is not None
    assert sign_in(uow, "sam", source="203.0.113.6", at=T0 + timedelta(seconds=30)).token


def test_a_second_factor_is_required_once_enrolled(uow: SqlAlchemyUnitOfWork) -> None:
    """After enrolment the password alone is refused; a current code works once; a
    recovery code works once; ten recovery codes are stored only as hashes."""
    account = add(uow, "sam")
    secret, codes = enrol(uow, account)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    with uow:
        stored = uow.staff.get(account.id)
    assert stored is not None
    assert stored.totp_confirmed
    assert not set(codes) & set(stored.recovery_codes)
    at = T0 + timedelta(minutes=5)
    with pytest.raises(SignInRefused):
        sign_in(uow, "sam", at=at)
    code = totp.code_at(secret, at)
    assert sign_in(uow, "sam", code=code, at=at).stage is SessionStage.FULL
    with pytest.raises(SignInRefused):
        sign_in(uow, "sam", code=code, at=at)  # the same code, replayed
    assert sign_in(uow, "sam", code=codes[0].upper(), at=at).token
    with pytest.raises(SignInRefused):
        sign_in(uow, "sam", code=codes[0], at=at)
    with uow:
        left = uow.staff.get(account.id)
    assert left is not None
    assert len(left.recovery_codes) == 9


def test_required_second_factor_starts_as_enrolment(uow: SqlAlchemyUnitOfWork) -> None:
    """Where a second factor is required, a password-only account gets an enrolment
    session; confirming a code replaces it with a full session under a new token."""
    account = add(uow, "sam")
    signed = sign_in(uow, "sam", require_totp=True)
    assert signed.stage is SessionStage.ENROL
    enrolment = staff.begin_totp(user_id=account.id, issuer="Frontdesk", uow=uow, at=T0)
    assert enrolment.uri.startswith("otpauth://totp/Frontdesk:sam?")
    with pytest.raises(InvalidInput):
        staff.confirm_totp(user_id=account.id, code="000000", token=signed.token, uow=uow, at=T0)
    enrolled = staff.confirm_totp(
        user_id=account.id,
        code=totp.code_at(enrolment.secret, T0),
        token=signed.token,
        uow=uow,
        at=T0,
    )
    assert enrolled.token is not None
    assert enrolled.token != signed.token
    assert staff.current_session(token=signed.token, uow=uow, at=T0, policy=POLICY) is None
    found = staff.current_session(token=enrolled.token, uow=uow, at=T0, policy=POLICY)
    assert found is not None
    assert found.stage is SessionStage.FULL
    with pytest.raises(Conflict):
        staff.begin_totp(user_id=account.id, issuer="Frontdesk", uow=uow, at=T0)


def test_disabling_ends_sessions_and_refuses_sign_in(uow: SqlAlchemyUnitOfWork) -> None:
    """A disabled account's sessions end at once and its password no longer works; the last
    admin cannot be disabled."""
    add(uow, "boss", "admin")
    add(uow, "sam")
    signed = sign_in(uow, "sam")
    staff.set_disabled(username="sam", disabled=True, uow=uow, at=T0, actor="cli")
    assert staff.current_session(token=signed.token, uow=uow, at=T0, policy=POLICY) is None
    with pytest.raises(SignInRefused):
        sign_in(uow, "sam")
    with pytest.raises(Conflict, match="last enabled admin"):
        staff.set_disabled(username="boss", disabled=True, uow=uow, at=T0, actor="cli")
    staff.set_disabled(username="sam", disabled=False, uow=uow, at=T0, actor="cli")
    assert sign_in(uow, "sam").token
    with pytest.raises(NotFound):
        staff.set_disabled(username="ghost", disabled=True, uow=uow, at=T0, actor="cli")


def test_reset_password_ends_sessions_lifts_lockout_and_can_reset_the_factor(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    """After a reset the old password and sessions are gone, the lockout is lifted, and
    with `reset_totp` the account enrols again."""
    account = add(uow, "sam")
    secret, _ = enrol(uow, account)
    later = T0 + timedelta(seconds=30)
    signed = sign_in(uow, "sam", code=totp.code_at(secret, later), at=later)
    for i in range(5):
        with pytest.raises(SignInRefused):
            sign_in(uow, "sam", password=f"bad password {i}")
    new = "a brand new passphrase"
    staff.reset_password(
        username="sam",
        password=new,
        uow=uow,
        passwords=PASSWORDS,
        at=T0,
        actor="cli",
        reset_totp=True,
    )
    assert staff.current_session(token=signed.token, uow=uow, at=T0, policy=POLICY) is None
    with pytest.raises(SignInRefused):
        sign_in(uow, "sam")
    fresh = sign_in(uow, "sam", password=new, require_totp=True)
    assert fresh.stage is SessionStage.ENROL
    with uow:
        stored = uow.staff.get(account.id)
    assert stored is not None
    assert stored.totp_secret is None
    assert stored.recovery_codes == ()
    with pytest.raises(InvalidInput):
        staff.reset_password(
            username="sam", password="short", uow=uow, passwords=PASSWORDS, at=T0, actor="cli"
        )


def test_an_outdated_hash_is_upgraded_at_sign_in(uow: SqlAlchemyUnitOfWork) -> None:
    """When the hashing parameters change, the next sign-in stores a new hash."""
    account = add(uow, "sam")
    stronger = Argon2Passwords(PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    staff.sign_in(
        username="sam",
        password=PASSWORD,
        code="",
        source=None,
        require_totp=False,
        uow=uow,
        passwords=stronger,
        at=T0,
    )
    with uow:
        stored = uow.staff.get(account.id)
    assert stored is not None
    assert PASSWORDS.needs_rehash(stored.password_hash)
    assert not stronger.needs_rehash(stored.password_hash)
    assert Role.FRONT_DESK is stored.user.role


def test_a_sign_in_clears_lapsed_sessions_and_old_failures(uow: SqlAlchemyUnitOfWork) -> None:
    """Sessions past their idle time and failures older than a day are deleted by the next
    sign-in of anyone; live ones stay."""
    add(uow, "sam")
    add(uow, "kim")
    old = sign_in(uow, "sam")
    with pytest.raises(SignInRefused):
        sign_in(uow, "kim", password="wrong password!!")
    later = T0 + timedelta(days=1, minutes=1)
    live = sign_in(uow, "kim", at=later, policy=POLICY)
    with uow:
        assert uow.staff_sessions.get(staff.token_hash(old.token)) is None
        assert uow.staff_sessions.get(staff.token_hash(live.token)) is not None
        assert uow.sign_in_failures.since("source:198.51.100.7", T0 - timedelta(days=1)) == []
