"""The new-client pipeline: where each inquiry stands, from first call to first session.

    new -> contacted -> consult booked -> first session booked -> attended
                                                   (or: declined, no response)

The stage follows from what happened where it can: a callback attempt or a completed
callback makes it `contacted`, a booked consult or first session moves it on, an attended
first session makes it `attended`. Staff can also set the stage (`declined`, `no response`,
or a correction). Whichever is newer wins: a stage staff set stands until something that
happens after it moves the inquiry further.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class InquiryStage(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    CONSULT_BOOKED = "consult_booked"
    FIRST_SESSION_BOOKED = "first_session_booked"
    ATTENDED = "attended"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_closed(self) -> bool:
        """The inquiry left the pipeline without a first session."""
        return self in (InquiryStage.DECLINED, InquiryStage.NO_RESPONSE)

    @property
    def rank(self) -> int:
        """Progress along the pipeline; the closed stages count as its end."""
        return _RANK[self]


_RANK = {
    InquiryStage.NEW: 0,
    InquiryStage.CONTACTED: 1,
    InquiryStage.CONSULT_BOOKED: 2,
    InquiryStage.FIRST_SESSION_BOOKED: 3,
    InquiryStage.ATTENDED: 4,
    InquiryStage.DECLINED: 4,
    InquiryStage.NO_RESPONSE: 4,
}


@dataclass(frozen=True, slots=True)
class StageFact:
    """Something that happened to an inquiry that places it in the pipeline, and when."""

    stage: InquiryStage
    at: datetime


def derived_stage(facts: Iterable[StageFact], *, created_at: datetime) -> StageFact:
    """The furthest stage the facts reach, at the time of the latest fact reaching it."""
    best = StageFact(InquiryStage.NEW, created_at)
    for fact in facts:
        if (fact.stage.rank, fact.at) > (best.stage.rank, best.at):
            best = fact
    return best


def effective_stage(derived: StageFact, staff: StageFact | None) -> InquiryStage:
    """The stage shown: what staff set, unless something later moved the inquiry further.

    A closed stage (declined, no response) is reopened only by a booking or attendance,
    never by one more call attempt.
    """
    if staff is None:
        return derived.stage
    reached = InquiryStage.CONTACTED.rank if staff.stage.is_closed else staff.stage.rank
    if derived.at > staff.at and derived.stage.rank > reached:
        return derived.stage
    return staff.stage
