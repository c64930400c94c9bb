"""The SQLAlchemy script review repository (`ScriptReviewRepository`): an append-only list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.adapters.db.tables import ScriptReviewRow
from frontdesk.domain.script_review import LineReview, ReviewAction


class SqlScriptReviewRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, review: LineReview) -> None:
        self._session.add(
            ScriptReviewRow(
                line_id=review.line_id,
                action=review.action.value,
                digest=review.digest,
                actor=review.actor,
                at=review.at,
                text=review.text,
            )
        )
        self._session.flush()

    def all(self) -> list[LineReview]:
        rows = self._session.scalars(select(ScriptReviewRow).order_by(ScriptReviewRow.id))
        return [
            LineReview(
                line_id=row.line_id,
                action=ReviewAction(row.action),
                digest=row.digest,
                actor=row.actor,
                at=row.at,
                text=row.text,
            )
            for row in rows
        ]
