"""Outbound messages in the pure domain: quiet hours, addresses, backoff and state changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import InvalidInput
from frontdesk.domain.messages import (
    Channel,
    DeliveryFailed,
    FailureKind,
    MessageStatus,
    OutboundMessage,
    Purpose,
    QuietHours,
    SuppressionReason,
    mask_address,
    next_allowed,
    normalise_address,
    normalise_number,
    retry_delay,
)

NEW_YORK = ZoneInfo("America/New_York")
NIGHT = QuietHours(time(21, 0), time(8, 0))
T0 = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)


def message(**changes: object) -> OutboundMessage:
    values: dict[str, object] = {
        "id": "m1",
        "to": "+15551234567",
        "channel": Channel.SMS,
        "purpose": Purpose.REMINDER,
        "body": "Reminder: you have an appointment tomorrow at 3 PM.",
        "created_at": T0,
        "send_after": T0,
        "updated_at": T0,
    }
    values.update(changes)
    return OutboundMessage(**values)  # type: ignore[arg-type]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)  # type: ignore[misc]


def test_outside_quiet_hours_a_message_may_go_at_once() -> None:
    """At 15:00 local nothing is deferred: the answer is the moment itself, in UTC."""
    at = local(2026, 6, 1, 15, 0)
    assert next_allowed(at, NIGHT, NEW_YORK) == at.astimezone(UTC)


def test_late_evening_waits_for_next_morning_across_midnight() -> None:
    """At 22:30 a text waits until 08:00 the next day."""
    assert next_allowed(local(2026, 6, 1, 22, 30), NIGHT, NEW_YORK) == local(2026, 6, 2, 8, 0)


def test_early_morning_waits_for_the_same_morning() -> None:
    """At 06:15 a text waits until 08:00 that same day."""
    assert next_allowed(local(2026, 6, 2, 6, 15), NIGHT, NEW_YORK) == local(2026, 6, 2, 8, 0)


def test_quiet_hours_start_is_inclusive_and_end_exclusive() -> None:
    """21:00 sharp is quiet; 08:00 sharp is allowed."""
    assert next_allowed(local(2026, 6, 1, 21, 0), NIGHT, NEW_YORK) == local(2026, 6, 2, 8, 0)
    at = local(2026, 6, 2, 8, 0)
    assert next_allowed(at, NIGHT, NEW_YORK) == at.astimezone(UTC)


def test_spring_forward_night_ends_at_eight_daylight_time() -> None:
    """On 8 March 2026 the night is an hour shorter: 08:00 EDT is 12:00 UTC, not 13:00."""
    evening = datetime(2026, 3, 8, 3, 0, tzinfo=UTC)  # 22:00 EST on 7 March
    assert next_allowed(evening, NIGHT, NEW_YORK) == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


def test_fall_back_night_ends_at_eight_standard_time() -> None:
    """On 1 November 2026 the night is an hour longer: 08:00 EST is 13:00 UTC."""
    evening = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)  # 22:00 EDT on 31 October
    assert next_allowed(evening, NIGHT, NEW_YORK) == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)


def test_an_end_inside_the_spring_forward_gap_lands_just_after_it() -> None:
    """Quiet until 02:30, a time that does not exist on 8 March, ends at 03:30 EDT."""
    quiet = QuietHours(time(0, 0), time(2, 30))
    at = local(2026, 3, 8, 1, 0)
    assert next_allowed(at, quiet, NEW_YORK) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_a_same_day_quiet_window_defers_to_its_end() -> None:
    """Quiet hours that do not wrap (12:00–13:00) defer a 12:30 text to 13:00 that day."""
    quiet = QuietHours(time(12, 0), time(13, 0))
    assert next_allowed(local(2026, 6, 1, 12, 30), quiet, NEW_YORK) == local(2026, 6, 1, 13, 0)


def test_no_quiet_hours_never_defers() -> None:
    """Without quiet hours every moment is allowed."""
    at = local(2026, 6, 1, 23, 0)
    assert next_allowed(at, None, NEW_YORK) == at.astimezone(UTC)


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)))
def test_next_allowed_is_never_earlier_and_never_quiet(naive: datetime) -> None:
    """For any moment, the answer is not before it and falls outside the quiet hours."""
    at = naive.replace(tzinfo=UTC)
    allowed = next_allowed(at, NIGHT, NEW_YORK)
    assert allowed >= at
    assert not NIGHT.contains(allowed.astimezone(NEW_YORK))
    assert allowed - at <= timedelta(hours=12)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("(555) 123-4567", "+15551234567"),
        ("555.123.4567", "+15551234567"),
        ("1 555 123 4567", "+15551234567"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_numbers_are_normalised_to_e164(written: str, expected: str) -> None:
    """Common written forms of a number become E.164; NANP numbers gain +1."""
    assert normalise_number(written) == expected


@pytest.mark.parametrize("bad", ["", "12345", "call me", "+0123456789"])
def test_non_numbers_are_refused_without_echoing_them(bad: str) -> None:
    """Something that is not a phone number is refused and the error does not repeat it."""
    with pytest.raises(InvalidInput) as caught:
        normalise_number(bad)
    assert bad not in str(caught.value) or not bad


def test_email_addresses_are_checked_for_the_email_channel() -> None:
    """An e-mail recipient must look like an address; phone channels need a number."""
    assert normalise_address(Channel.EMAIL, " ana@example.org ") == "ana@example.org"
    with pytest.raises(InvalidInput):
        normalise_address(Channel.EMAIL, "ana at example")
    with pytest.raises(InvalidInput):
        normalise_address(Channel.SMS, "ana@example.org")


def test_masked_addresses_keep_only_what_identifies_nobody() -> None:
    """A masked number shows its last four digits; a masked e-mail its first letter and domain."""
    assert mask_address("+15551234567") == "********4567"
    assert mask_address("ana@example.org") == "a***@example.org"


def test_retry_delays_grow_then_stay_at_an_hour() -> None:
    """Backoff is 1, 5, 15 then 60 minutes for every later attempt."""
    delays = [retry_delay(n) for n in range(1, 7)]
    assert delays == [timedelta(minutes=m) for m in (1, 5, 15, 60, 60, 60)]


def test_repr_leaves_out_the_body_and_the_recipient() -> None:
    """Logging a message object cannot leak what it says or to whom."""
    text = repr(message(body="Your appointment with Dr. Rivera"))
    assert "Rivera" not in text
    assert "4567" not in text


def test_a_message_needs_a_body_a_recipient_and_aware_times() -> None:
    """Empty bodies, missing recipients and naive times are refused."""
    with pytest.raises(InvalidInput):
        message(body="  ")
    with pytest.raises(InvalidInput):
        message(to="")
    with pytest.raises(InvalidInput):
        message(send_after=datetime(2026, 6, 1, 15, 0))


def test_life_cycle_claim_hand_over_and_send() -> None:
    """Claiming leases without an attempt; handing over counts one; sending clears the lease."""
    claimed = message().claimed(owner="w1", at=T0, lease=timedelta(minutes=5))
    assert (claimed.status, claimed.attempts, claimed.lease_owner) == (
        MessageStatus.CLAIMED,
        0,
        "w1",
    )
    assert claimed.lease_expires_at == T0 + timedelta(minutes=5)
    sending = claimed.sending(at=T0, lease=timedelta(minutes=5))
    assert (sending.status, sending.attempts) == (MessageStatus.SENDING, 1)
    sent = sending.sent(provider_id="SM1", at=T0)
    assert (sent.status, sent.provider_id, sent.sent_at, sent.lease_owner) == (
        MessageStatus.SENT,
        "SM1",
        T0,
        None,
    )
    assert sent.status.final


def test_retries_deferrals_and_releases_return_to_the_queue() -> None:
    """A retried, deferred or released message is queued again with no lease."""
    sending = message().claimed(owner="w1", at=T0, lease=timedelta(minutes=5))
    later = T0 + timedelta(hours=1)
    for again in (
        sending.retried(code="x", until=later, at=T0),
        sending.deferred(until=later, at=T0),
        sending.released(at=T0),
    ):
        assert again.status is MessageStatus.QUEUED
        assert again.lease_owner is None
        assert not again.status.final


def test_suppression_records_the_reason_as_a_code() -> None:
    """A suppressed message keeps its reason as `last_error`."""
    suppressed = message().suppressed(reason=SuppressionReason.OPTED_OUT, at=T0)
    assert (suppressed.status, suppressed.last_error) == (MessageStatus.SUPPRESSED, "opted_out")


def test_delivery_failures_name_a_code_and_kind_only() -> None:
    """A delivery failure's message is its kind and code, nothing from the message."""
    failure = DeliveryFailed("twilio_21211", FailureKind.PERMANENT)
    assert str(failure) == "delivery failed (permanent): twilio_21211"


def test_only_staff_pages_skip_the_client_rules() -> None:
    """Every purpose but `page` is client-facing; only e-mail is not a phone channel."""
    assert [p for p in Purpose if not p.client_facing] == [Purpose.PAGE]
    assert [c for c in Channel if not c.is_phone] == [Channel.EMAIL]
