"""The JSON codec behind intake and event columns gives back exactly what it was given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.adapters.db.codec import from_json, to_json
from frontdesk.domain import events as events_module
from frontdesk.domain.events import EVENT_TYPES, Event
from frontdesk.domain.inquiries import (
    AvailabilityWindow,
    ForWhom,
    Intake,
    Modality,
    Payment,
    ReminderPreference,
    TelehealthConstraints,
    Weekday,
)

optional_text = st.none() | st.text(max_size=20)
windows = st.builds(
    AvailabilityWindow,
    text=st.text(max_size=20),
    weekdays=st.frozensets(st.sampled_from(Weekday)),
    on=st.none() | st.dates(),
    start=st.none() | st.times(),
    end=st.none() | st.times(),
)
intakes = st.builds(
    Intake,
    for_whom=st.none() | st.sampled_from(ForWhom),
    client_age=st.none() | st.integers(0, 120),
    client_name=optional_text,
    modality=st.none() | st.sampled_from(Modality),
    state=optional_text,
    payment=st.none() | st.sampled_from(Payment),
    payer=optional_text,
    concern=optional_text,
    availability=st.lists(windows, max_size=3).map(tuple),
    reminder_preference=st.none() | st.sampled_from(ReminderPreference),
    callback_number=optional_text,
    callback_confirmed=st.booleans(),
    email=optional_text,
    consent_to_text=st.none() | st.booleans(),
    telehealth_constraints=st.none()
    | st.builds(
        TelehealthConstraints,
        private_space=st.none() | st.booleans(),
        device=st.none() | st.booleans(),
        connection=st.none() | st.booleans(),
        notes=optional_text,
    ),
    specialty=optional_text,
    clinician_preference=optional_text,
)


@given(intakes)
def test_any_intake_round_trips(intake: Intake) -> None:
    """Every intake, nested windows and constraints included, decodes to an equal value."""
    assert from_json(Intake, to_json(intake)) == intake


events = st.sampled_from(sorted(EVENT_TYPES.values(), key=lambda cls: cls.__name__)).flatmap(
    lambda cls: st.builds(cls, occurred_at=st.datetimes(timezones=st.just(UTC)))
)


@given(events)
def test_every_event_kind_round_trips(event: Event) -> None:
    """Any event of any registered kind decodes from its stored form to an equal event."""
    assert from_json(type(event), to_json(event)) == event


def test_every_event_class_is_registered() -> None:
    """A new event class cannot be forgotten in the registry the database reads from."""
    defined = {
        value
        for value in vars(events_module).values()
        if isinstance(value, type) and issubclass(value, Event) and value is not Event
    }
    assert set(EVENT_TYPES.values()) == defined
    assert all(kind == cls.__name__ for kind, cls in EVENT_TYPES.items())


def test_unknown_fields_are_refused_by_name() -> None:
    """A stored object with a field the code does not know is an error naming the field."""
    with pytest.raises(TypeError, match="colour"):
        from_json(Intake, {"colour": "blue"})


def test_values_outside_the_domain_are_refused() -> None:
    """Encoding an unsupported type fails loudly instead of storing something lossy."""

    @dataclass(frozen=True)
    class Odd:
        value: object

    with pytest.raises(TypeError, match="set"):
        to_json(Odd(value={1, 2}))
    with pytest.raises(TypeError, match="expected a string"):
        from_json(AvailabilityWindow, {"text": "x", "start": 9})
    assert from_json(AvailabilityWindow, {"text": "x", "start": "09:00:00"}).start == time(9)
