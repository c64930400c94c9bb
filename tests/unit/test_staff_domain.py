"""Staff accounts in the pure core: TOTP (RFC 6238 vectors), lockout back-off, password and
username rules, session lapse and what each role may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from frontdesk.domain import totp
from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.staff import (
    PER_ACCOUNT,
    LockoutPolicy,
    Role,
    SessionRecord,
    SessionStage,
    StaffId,
    StaffUser,
    check_password,
    check_username,
)

# RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890".
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "eight_digits"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_the_rfc_6238_test_vectors(seconds: int, eight_digits: str) -> None:
    """The six-digit code is the last six digits of the RFC's eight-digit SHA-1 values."""
    at = datetime.fromtimestamp(seconds, UTC)
    assert totp.code_at(RFC_SECRET, at) == eight_digits[-6:]
    assert totp.verify(RFC_SECRET, eight_digits[-6:], at) == seconds // 30


def test_totp_accepts_one_step_of_drift_and_never_the_same_step_twice() -> None:
    """A code from the previous or next 30 s step is accepted; an older one is not; a step
    at or before the last accepted one is refused (a replayed code)."""
    secret = totp.new_secret()
    now = T0
    previous = totp.code_at(secret, now - timedelta(seconds=30))
    assert totp.verify(secret, previous, now) == totp.step_of(now) - 1
    assert totp.verify(secret, totp.code_at(secret, now + timedelta(seconds=30)), now)
    assert totp.verify(secret, totp.code_at(secret, now - timedelta(seconds=90)), now) is None
    code = totp.code_at(secret, now)
    step = totp.verify(secret, code, now)
    assert step is not None
    assert totp.verify(secret, code, now, after_step=step) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_totp_refuses_malformed_codes(code: str) -> None:
    """Anything but six digits (spaces allowed) is refused without computing."""
    assert totp.verify(RFC_SECRET, code, T0) is None


def test_new_secrets_are_random_base32_of_160_bits() -> None:
    """Secrets differ each time and decode to 20 bytes."""
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second
    assert len(first) == 32
    assert first.isalnum()
    assert first.upper() == first


def test_provisioning_uri_names_issuer_account_and_parameters() -> None:
    """The otpauth URI carries what authenticator apps read."""
    uri = totp.provisioning_uri(RFC_SECRET, account="sam", issuer="Frontdesk")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == ("otpauth", "totp", "/Frontdesk:sam")
    query = parse_qs(parts.query)
    assert query["secret"] == [RFC_SECRET]
    assert query["digits"] == ["6"]
    assert query["period"] == ["30"]


def test_lockout_starts_at_the_threshold_and_doubles_up_to_the_cap() -> None:
    """Four failures lock nothing; the fifth locks a minute, each further one doubles it,
    never beyond an hour, counted from the last failure."""
    policy = LockoutPolicy(threshold=5, window=timedelta(hours=1))
    times = [T0 + timedelta(seconds=i) for i in range(12)]
    assert policy.locked_until(times[:4]) is None
    assert policy.locked_until(times[:5]) == times[4] + timedelta(minutes=1)
    assert policy.locked_until(times[:6]) == times[5] + timedelta(minutes=2)
    assert policy.locked_until(times[:7]) == times[6] + timedelta(minutes=4)
    assert policy.locked_until(times) == times[11] + timedelta(hours=1)
    assert PER_ACCOUNT.threshold == 5


@pytest.mark.parametrize(
    ("given", "canonical"), [("Sam", "sam"), (" front.desk-2 ", "front.desk-2"), ("a_b", "a_b")]
)
def test_usernames_are_lower_case_and_plain(given: str, canonical: str) -> None:
    """Usernames are compared lower-case."""
    assert check_username(given) == canonical


@pytest.mark.parametrize("given", ["", "a", "-sam", "sam smith", "sam@example.org", "x" * 65])
def test_odd_usernames_are_refused(given: str) -> None:
    """Spaces, symbols, a leading dash or a single letter are refused."""
    with pytest.raises(InvalidInput):
        check_username(given)


@pytest.mark.parametrize("password", ["short", "x" * 257, "my-name-is-sam-ok"])
def test_weak_passwords_are_refused(password: str) -> None:
    """Under 12 characters, over 256, or containing the username: refused."""
    with pytest.raises(InvalidInput):
        check_password(password, username="sam")


def test_sessions_lapse_when_idle_or_too_old() -> None:
    """Idle for the idle limit or older than the lifetime: lapsed."""
    record = SessionRecord("h", StaffId("u"), "c", SessionStage.FULL, T0, T0, None)
    idle, lifetime = timedelta(minutes=15), timedelta(hours=12)
    assert not record.lapsed(T0 + timedelta(minutes=14), idle=idle, lifetime=lifetime)
    assert record.lapsed(T0 + timedelta(minutes=15), idle=idle, lifetime=lifetime)
    busy = SessionRecord(
        "h", StaffId("u"), "c", SessionStage.FULL, T0, T0 + timedelta(hours=12), None
    )
    assert busy.lapsed(T0 + timedelta(hours=12, seconds=1), idle=idle, lifetime=lifetime)


def test_minimum_necessary_by_role() -> None:
    """Clinicians see only their own clients' detail; front desk sees clients but no clinical
    detail; auditors neither, and are read-only; admins see everything."""
    clinician = StaffUser(StaffId("1"), "dr", Role.CLINICIAN, "c-1")
    desk = StaffUser(StaffId("2"), "desk", Role.FRONT_DESK)
    auditor = StaffUser(StaffId("3"), "aud", Role.AUDITOR)
    admin = StaffUser(StaffId("4"), "boss", Role.ADMIN)
    assert clinician.may_see_clinical_detail("c-1")
    assert not clinician.may_see_clinical_detail("c-2")
    assert not clinician.may_see_clinical_detail(None)
    assert clinician.may_see_client_of("c-1")
    assert not clinician.may_see_client_of("c-2")
    assert desk.may_see_client_of("c-2")
    assert not desk.may_see_clinical_detail("c-2")
    assert not auditor.may_see_client_of("c-1")
    assert auditor.read_only
    assert admin.may_see_clinical_detail(None)
    assert not admin.read_only
    assert admin.actor == "user:4"
