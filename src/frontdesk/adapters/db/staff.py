"""The SQLAlchemy repositories of staff accounts, their sessions and failed sign-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.adapters.db.tables import SignInFailureRow, StaffSessionRow, StaffUserRow
from frontdesk.domain.errors import Conflict, NotFound
from frontdesk.domain.staff import (
    Role,
    SessionRecord,
    SessionStage,
    StaffAccount,
    StaffId,
    StaffUser,
)


def _account(row: StaffUserRow) -> StaffAccount:
    return StaffAccount(
        user=StaffUser(
            id=StaffId(row.id),
            username=row.username,
            role=Role(row.role),
            clinician_id=row.clinician_id,
        ),
        password_hash=row.password_hash,
        created_at=row.created_at,
        updated_at=row.updated_at,
        disabled=row.disabled,
        totp_secret=row.totp_secret,
        totp_confirmed=row.totp_confirmed,
        totp_last_step=row.totp_last_step,
        recovery_codes=tuple(row.recovery_codes),
    )


def _fill(row: StaffUserRow, account: StaffAccount) -> None:
    row.username = account.user.username
    row.role = account.user.role.value
    row.clinician_id = account.user.clinician_id
    row.password_hash = account.password_hash
    row.disabled = account.disabled
    row.totp_secret = account.totp_secret
    row.totp_confirmed = account.totp_confirmed
    row.totp_last_step = account.totp_last_step
    row.recovery_codes = list(account.recovery_codes)
    row.created_at = account.created_at
    row.updated_at = account.updated_at


class SqlStaffRepository:
    """Staff accounts by id and by (lower-case) username."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, account: StaffAccount) -> None:
        row = StaffUserRow(id=account.id)
        _fill(row, account)
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError:
            raise Conflict("that username is taken") from None

    def get(self, user_id: StaffId) -> StaffAccount | None:
        row = self._session.get(StaffUserRow, user_id)
        return None if row is None else _account(row)

    def get_by_username(self, username: str) -> StaffAccount | None:
        row = self._session.scalars(
            select(StaffUserRow).where(StaffUserRow.username == username)
        ).first()
        return None if row is None else _account(row)

    def update(self, account: StaffAccount) -> None:
        row = self._session.get(StaffUserRow, account.id)
        if row is None:
            raise NotFound(f"no staff user {account.id}")
        _fill(row, account)
        self._session.flush()

    def list_all(self) -> list[StaffAccount]:
        rows = self._session.scalars(select(StaffUserRow).order_by(StaffUserRow.username))
        return [_account(row) for row in rows]

    def count_admins(self) -> int:
        query = select(func.count()).where(
            StaffUserRow.role == Role.ADMIN.value, StaffUserRow.disabled.is_(False)
        )
        return int(self._session.scalar(query) or 0)


def _session_record(row: StaffSessionRow) -> SessionRecord:
    return SessionRecord(
        token_hash=row.token_hash,
        user_id=StaffId(row.user_id),
        csrf_token=row.csrf_token,
        stage=SessionStage(row.stage),
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        source=row.source,
    )


class SqlStaffSessionRepository:
    """Server-side console sessions, keyed by the hash of the cookie's token."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, record: SessionRecord) -> None:
        self._session.add(
            StaffSessionRow(
                token_hash=record.token_hash,
                user_id=record.user_id,
                csrf_token=record.csrf_token,
                stage=record.stage.value,
                created_at=record.created_at,
                last_seen_at=record.last_seen_at,
                source=record.source,
            )
        )
        self._session.flush()

    def get(self, token_hash: str) -> SessionRecord | None:
        row = self._session.get(StaffSessionRow, token_hash)
        return None if row is None else _session_record(row)

    def touch(self, token_hash: str, at: datetime) -> None:
        row = self._session.get(StaffSessionRow, token_hash)
        if row is not None:
            row.last_seen_at = at
            self._session.flush()

    def remove(self, token_hash: str) -> None:
        self._session.execute(
            delete(StaffSessionRow).where(StaffSessionRow.token_hash == token_hash)
        )

    def remove_for_user(self, user_id: StaffId) -> int:
        result = self._session.execute(
            delete(StaffSessionRow).where(StaffSessionRow.user_id == user_id)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def remove_started_before(self, moment: datetime, *, idle_since: datetime) -> int:
        result = self._session.execute(
            delete(StaffSessionRow).where(
                (StaffSessionRow.created_at < moment) | (StaffSessionRow.last_seen_at < idle_since)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


class SqlSignInFailureRepository:
    """Failed sign-ins by key (`account:<hash>` or `source:<address>`), for lockout."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, key: str, at: datetime) -> None:
        self._session.add(SignInFailureRow(key=key, at=at))
        self._session.flush()

    def since(self, key: str, moment: datetime) -> list[datetime]:
        rows = self._session.scalars(
            select(SignInFailureRow.at).where(
                SignInFailureRow.key == key, SignInFailureRow.at >= moment
            )
        )
        return list(rows)

    def clear(self, key: str) -> None:
        self._session.execute(delete(SignInFailureRow).where(SignInFailureRow.key == key))

    def remove_before(self, moment: datetime) -> int:
        result = self._session.execute(delete(SignInFailureRow).where(SignInFailureRow.at < moment))
        return int(getattr(result, "rowcount", 0) or 0)
