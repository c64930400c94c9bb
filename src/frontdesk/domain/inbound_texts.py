"""Inbound texts by the provider's message id: what makes a retried delivery harmless.

The provider may deliver one text more than once (a Twilio retry of the same `MessageSid`
after a slow or failed answer). Each delivery first claims the text; only the claimant
handles it, and the answer it gave is stored so that a retry repeats it and does nothing
else. A row moves through these states:

    received ──handled──> handled   (the answer is kept; every retry repeats it)
       │  ^
       │  └──take over── released   (handling raised; the next delivery handles it)
       └──take over──> received     (the claimant went quiet for CLAIM_TIMEOUT: it died)

A claim that is still `received` and younger than `CLAIM_TIMEOUT` belongs to a delivery
that is still working on the text. The words (`body`) are kept with the claim until the text
is handled, so a claim that nobody finishes (`abandoned`) can be handled by the worker's
sweep without a redelivery. The sender's number, the words and the reply stay out of `repr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from frontdesk.domain.records import require_aware

__all__ = ["CLAIM_TIMEOUT", "InboundStatus", "InboundText", "MessageSid"]

MessageSid = str

CLAIM_TIMEOUT = timedelta(seconds=60)
"""How long a claim holds without an answer; Twilio gives up on a webhook after 15 s, so a
claim this old belongs to a process that stopped part-way through the text."""


class InboundStatus(StrEnum):
    RECEIVED = "received"
    RELEASED = "released"
    HANDLED = "handled"


@dataclass(frozen=True, slots=True)
class InboundText:
    """One inbound text as claimed by a delivery, and the answer once it is handled.

    `kind` is the value of the service's text kind (`stop`, `scheduling`, `message` …);
    `reply` is the approved reply that was sent back, if any.
    """

    message_sid: MessageSid
    from_number: str = field(repr=False)
    received_at: datetime
    claimed_by: str
    claimed_at: datetime
    status: InboundStatus = InboundStatus.RECEIVED
    kind: str | None = None
    reply: str | None = field(default=None, repr=False)
    handoff_id: str | None = None
    handled_at: datetime | None = None
    body: str | None = field(default=None, repr=False)  # kept only until handled

    def __post_init__(self) -> None:
        require_aware(self.received_at, "received_at")
        require_aware(self.claimed_at, "claimed_at")
        require_aware(self.handled_at, "handled_at")

    def open_to(self, at: datetime) -> bool:
        """Whether a delivery arriving `at` may take the text over: it was released, or its
        claim has gone unanswered for `CLAIM_TIMEOUT`."""
        if self.status is InboundStatus.RELEASED:
            return True
        return self.status is InboundStatus.RECEIVED and at - self.claimed_at >= CLAIM_TIMEOUT

    def abandoned(self, at: datetime) -> bool:
        """Whether the text was left unhandled: released, or claimed and silent for
        `CLAIM_TIMEOUT`, with its words kept for the sweep to handle it."""
        return self.body is not None and at - self.claimed_at >= CLAIM_TIMEOUT and self.open_to(at)

    def taken_over(self, *, claimed_by: str, at: datetime) -> InboundText:
        """The text claimed afresh by another delivery."""
        return replace(self, status=InboundStatus.RECEIVED, claimed_by=claimed_by, claimed_at=at)

    def released(self) -> InboundText:
        """The claim given up after handling failed, so the next delivery handles the text."""
        return replace(self, status=InboundStatus.RELEASED)

    def handled(
        self, *, kind: str, reply: str | None, handoff_id: str | None, at: datetime
    ) -> InboundText:
        """The text with the answer it got, which every later delivery repeats."""
        return replace(
            self,
            status=InboundStatus.HANDLED,
            kind=kind,
            reply=reply,
            handoff_id=handoff_id,
            handled_at=at,
            body=None,
        )
