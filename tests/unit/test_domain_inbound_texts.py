"""Inbound texts: when a claim may be taken over, and what a record keeps out of `repr`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.inbound_texts import CLAIM_TIMEOUT, InboundStatus, InboundText

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
CLAIMED = InboundText(
    message_sid="SM1", from_number="+13125550177", received_at=T0, claimed_by="a", claimed_at=T0
)


def test_a_fresh_claim_is_not_open_until_the_timeout() -> None:
    """A claim younger than `CLAIM_TIMEOUT` belongs to its delivery; at the timeout it is open."""
    assert not CLAIMED.open_to(T0 + CLAIM_TIMEOUT - timedelta(microseconds=1))
    assert CLAIMED.open_to(T0 + CLAIM_TIMEOUT)


def test_a_released_claim_is_open_at_once_and_a_handled_text_never() -> None:
    """A released claim is taken at once; a handled text is never handled again."""
    assert CLAIMED.released().open_to(T0)
    handled = CLAIMED.handled(kind="message", reply=None, handoff_id=None, at=T0)
    assert handled.status is InboundStatus.HANDLED
    assert not handled.open_to(T0 + timedelta(days=1))


def test_taking_over_renews_the_claim_and_keeps_the_receipt_time() -> None:
    """A take-over names the new delivery and its time; when the text arrived is kept."""
    later = T0 + CLAIM_TIMEOUT
    taken = CLAIMED.released().taken_over(claimed_by="b", at=later)
    assert (taken.status, taken.claimed_by, taken.claimed_at, taken.received_at) == (
        InboundStatus.RECEIVED,
        "b",
        later,
        T0,
    )


def test_the_number_and_reply_stay_out_of_repr() -> None:
    """The sender's number and the reply sent back never appear in a record's `repr`."""
    handled = CLAIMED.handled(kind="help", reply="Reply STOP to opt out", handoff_id=None, at=T0)
    assert "3125550177" not in repr(handled)
    assert "STOP" not in repr(handled)


def test_naive_moments_are_refused() -> None:
    """A claim time without a timezone is refused."""
    with pytest.raises(InvalidInput):
        InboundText(
            message_sid="SM1",
            from_number="+13125550177",
            received_at=T0,
            claimed_by="a",
            claimed_at=datetime(2026, 3, 2, 15, 0),
        )
