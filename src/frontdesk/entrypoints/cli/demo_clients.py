"""The demo practice's established clients: a caseload in weekly care, through the services.

Staff add each client (`services.clients.add`, as `frontdesk clients add` does) and book
their ongoing sessions at a standing weekly time (`services.openings` then
`services.appointments.book`); after each session they record attendance and book the
next one, until the course of care ends. Clients who attend their first session join the
caseload the same way. Cancellations and moves come from the clients themselves, calling
the real call engine (see `DemoHistory.answered_call`); this module follows what became of
each session, whoever changed it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from frontdesk.domain.appointments import Appointment, AppointmentStatus, ClientRef
from frontdesk.domain.bookings import BookingSource
from frontdesk.domain.calendar import WeeklyBlock
from frontdesk.domain.clients import ClientId, Contact
from frontdesk.domain.inquiries import (
    AvailabilityWindow,
    Intake,
    Modality,
    ReminderPreference,
    Weekday,
)
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.services import appointments, clients, openings
from frontdesk.services.telephony import UnitOfWorkFactory

Action = Callable[[datetime], None]
Scheduler = Callable[[datetime, Action], None]

# What became of an established client's session that nobody changed beforehand.
SESSION_OUTCOMES = (
    (AppointmentStatus.ATTENDED, 0.9),
    (AppointmentStatus.NO_SHOW, 0.05),
    (AppointmentStatus.LATE_CANCELLED, 0.05),
)
JOIN_AFTER_FIRST_SESSION = 0.7  # attended a first session and stays in weekly care
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(slots=True)
class DemoClient:
    """An established client of the demo practice and their standing weekly time."""

    id: ClientId
    name: str
    date_of_birth: date
    phone: str
    clinician_id: str
    modality: Modality
    window: AvailabilityWindow
    sessions_left: int
    upcoming: str | None = None  # the booked weekly session, if any

    @property
    def spoken_birthday(self) -> str:
        """The date of birth as a caller says it ("March 3rd 1985")."""
        day = self.date_of_birth.day
        suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{MONTHS[self.date_of_birth.month - 1]} {day}{suffix} {self.date_of_birth.year}"


class Caseload:
    """Established clients in weekly care: seeded at the start, joined by new clients."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        practice: Practice,
        rng: random.Random,
        at: Scheduler,
        stats: Counter[str],
        config: dict[str, Any],
    ) -> None:
        self.uow = uow
        self.practice = practice
        self.rng = rng
        self.at = at
        self.stats = stats
        self.first_names: list[str] = list(config.get("first_names", ["Sam"]))
        self.last_names: list[str] = list(config.get("last_names", ["Lee"]))
        self.per_clinician = int(config.get("clients_per_clinician", 0))
        low, high = config.get("sessions", [4, 16])
        self.sessions = (int(low), int(high))
        self.state = str(config.get("state", "IL"))
        self.clients: list[DemoClient] = []
        self._phones = set[str]()

    # --- who is in care -----------------------------------------------------------------

    def seed(self, moment: datetime) -> None:
        """The caseload the practice already has when the history begins."""
        blocks = list(self.practice.schedule.templates)
        for clinician in self.practice.clinicians:
            own = [b for b in blocks if b.clinician_id == clinician.id]
            for _ in range(self.per_clinician if own else 0):
                block = self.rng.choice(own)
                modality = self.rng.choice(sorted(block.modalities))
                window = _block_window(block)
                left = self.rng.randint(*self.sessions)
                client = self._add(moment, clinician.id, modality, window, left, age=None)
                self.book_next(moment, client)

    def join_after_first_session(
        self, moment: datetime, first: Appointment, phone: str | None, age: int | None
    ) -> None:
        """A new client who came to their first session carries on weekly, same time."""
        if phone is None or self.rng.random() >= JOIN_AFTER_FIRST_SESSION:
            return
        window = _standing_window(first.start.astimezone(self.practice.zone))
        left = self.rng.randint(*self.sessions)
        client = self._add(moment, first.clinician_id, first.modality, window, left, age, phone)
        self.stats["clients joined the caseload"] += 1
        self.book_next(moment, client)

    def _add(
        self,
        moment: datetime,
        clinician_id: str,
        modality: Modality,
        window: AvailabilityWindow,
        sessions_left: int,
        age: int | None,
        phone: str | None = None,
    ) -> DemoClient:
        name = f"{self.rng.choice(self.first_names)} {self.rng.choice(self.last_names)}"
        years = age if age is not None else self.rng.randint(19, 70)
        born = moment.date() - timedelta(days=365 * years + self.rng.randrange(365))
        number = phone if phone is not None else self._new_phone()
        client_id = clients.add(
            name=name, date_of_birth=born, phone=number, at=moment, uow=self.uow()
        )
        client = DemoClient(
            client_id, name, born, number, clinician_id, modality, window, sessions_left
        )
        self.clients.append(client)
        return client

    def _new_phone(self) -> str:
        while True:
            number = f"+1773555{self.rng.randrange(10_000):04d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def calling(self, moment: datetime, *, in_person: bool = False) -> DemoClient | None:
        """A client with a session booked ahead (an in-person one, when asked), or None."""
        booked = [c for c in self.clients if c.upcoming is not None]
        if in_person:
            booked = [c for c in booked if c.modality is Modality.IN_PERSON] or booked
        return self.rng.choice(booked) if booked else None

    # --- sessions -----------------------------------------------------------------------

    def book_next(self, moment: datetime, client: DemoClient, *, extra: bool = False) -> None:
        """Staff book the client's next session at their standing time (or the nearest)."""
        intake = Intake(
            clinician_preference=client.clinician_id,
            modality=client.modality,
            state=self.state,
            availability=() if extra else (client.window,),
        )
        found = openings.find_openings_for(
            intake=intake,
            kind=ServiceKind.ONGOING,
            now=moment,
            uow=self.uow(),
            practice=self.practice,
            new_client=False,
            limit=1,
        )
        if not found:
            self.stats["ongoing sessions with no time left"] += 1
            return
        slot = found[0]
        appointment_id = appointments.book(
            slot=slot,
            client=ClientRef(client_id=client.id),
            at=moment,
            uow=self.uow(),
            practice=self.practice,
            booked_by_ai=False,
            source=BookingSource.STAFF,
            contact=Contact(ReminderPreference.SMS, client.phone),
        )
        self.stats["ongoing sessions booked"] += 1
        if not extra:
            client.upcoming = appointment_id
            client.window = _standing_window(slot.start.astimezone(self.practice.zone))
        self.at(
            slot.end + timedelta(minutes=self.rng.randint(5, 90)),
            lambda t: self.after_session(t, client, appointment_id, extra=extra),
        )

    def after_session(
        self, moment: datetime, client: DemoClient, appointment_id: str, *, extra: bool
    ) -> None:
        """Record what happened (unless the client already changed it), then book the next."""
        with self.uow() as uow:
            record = uow.appointments.get(appointment_id)
        if record is None:
            return
        booked = record.appointment
        if booked.status is AppointmentStatus.RESCHEDULED and booked.rescheduled_to is not None:
            with self.uow() as uow:
                moved = uow.appointments.get(booked.rescheduled_to)
            if moved is not None:  # the client called to move it: follow the new time
                if not extra:
                    client.upcoming = moved.appointment.id
                self.at(
                    max(moment, moved.appointment.end) + timedelta(minutes=10),
                    lambda t: self.after_session(t, client, moved.appointment.id, extra=extra),
                )
                return
        if booked.status is AppointmentStatus.BOOKED:
            statuses = [status for status, _ in SESSION_OUTCOMES]
            status = self.rng.choices(statuses, weights=[w for _, w in SESSION_OUTCOMES])[0]
            appointments.mark(
                appointment_id=appointment_id, status=status, at=moment, uow=self.uow()
            )
            self.stats[f"ongoing marked {status.value}"] += 1
        if extra:
            return
        client.upcoming = None
        client.sessions_left -= 1
        if client.sessions_left > 0:
            self.book_next(moment, client)
        else:
            self.stats["courses of care ended"] += 1


def _block_window(block: WeeklyBlock) -> AvailabilityWindow:
    """A standing time inside one weekly block of the clinician's hours."""
    return AvailabilityWindow(
        text=f"{block.weekday.value}s", weekdays=frozenset({block.weekday}), start=block.start
    )


def _standing_window(local: datetime) -> AvailabilityWindow:
    """The same weekday and hour as `local`, every week."""
    start = local.time().replace(tzinfo=None)
    end = (datetime.combine(local.date(), start) + timedelta(hours=1)).time()
    return AvailabilityWindow(
        text=f"{Weekday.of(local).value}s at {start:%H:%M}",
        weekdays=frozenset({Weekday.of(local)}),
        start=start,
        end=end if end > start else time(23, 59),
    )
