"""What staff may book for whom: the matching rules applied to a client staff name, and the
open times those rules allow (for a new client, an established one, or a move).

The rules are the phone's (`domain.matching`): licensure in the client's state, video or
office, payer network, age group, accepting new clients and new-client capacity. An
established client already seen by a clinician needs no state for video with them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from frontdesk.domain.appointments import Appointment, AppointmentId, AppointmentStatus
from frontdesk.domain.calendar import Slot
from frontdesk.domain.clients import ClientId
from frontdesk.domain.errors import InvalidInput, NotFound, NotPermitted
from frontdesk.domain.inquiries import Intake, Modality, Payment, ReminderPreference
from frontdesk.domain.matching import MatchCriteria, fit_reasons, slot_allowed, within_service
from frontdesk.domain.messages import normalise_number
from frontdesk.domain.practice import Practice, ServiceKind
from frontdesk.services import openings
from frontdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True, kw_only=True)
class NewClient:
    """What staff enter for a prospective client: PHI, never logged."""

    name: str
    phone: str | None = None
    email: str | None = None
    state: str | None = None
    age: int | None = None
    payment: Payment | None = None
    payer: str | None = None
    reminder: ReminderPreference | None = None

    def intake(self, *, modality: Modality | None, clinician_id: str | None) -> Intake:
        """The intake staff entered, checked and normalised, for a session that way and
        with that clinician (None: not chosen yet)."""
        name = " ".join(self.name.split())
        if not name:
            raise InvalidInput("a new client needs a name")
        phone = normalise_number(self.phone) if self.phone else None
        email = self.email.strip() if self.email and self.email.strip() else None
        if self.payment is Payment.INSURANCE and not self.payer:
            raise InvalidInput("insurance needs the payer (its id in the practice file)")
        if self.age is not None and not 0 < self.age < 120:
            raise InvalidInput("age must be between 1 and 119")
        reminder = self.reminder
        if reminder is None:
            reminder = ReminderPreference.SMS if phone else ReminderPreference.EMAIL
        if reminder is ReminderPreference.EMAIL and email is None and phone is None:
            reminder = None
        return Intake(
            client_name=name,
            client_age=self.age,
            modality=modality,
            state=self.state.strip().upper() if self.state and self.state.strip() else None,
            payment=self.payment,
            payer=self.payer if self.payment is Payment.INSURANCE else None,
            callback_number=phone,
            callback_confirmed=phone is not None,
            email=email,
            reminder_preference=reminder,
            consent_to_text=reminder is ReminderPreference.SMS if phone else None,
            clinician_preference=clinician_id,
        )


def openings_for_new_client(
    *,
    client: NewClient,
    kind: ServiceKind,
    now: datetime,
    days: int,
    uow: UnitOfWork,
    practice: Practice,
    modality: Modality | None = None,
    clinician_id: str | None = None,
) -> list[Slot]:
    """The open slots staff may book for this prospective client (the phone's rules)."""
    intake = client.intake(modality=modality, clinician_id=clinician_id)
    criteria = MatchCriteria.from_intake(intake, new_client=True)
    return openings.open_slots_for(
        kind=kind, now=now, days=days, uow=uow, practice=practice, criteria=criteria
    )


def openings_for_client(
    *,
    client_id: ClientId,
    clinician_id: str,
    kind: ServiceKind,
    now: datetime,
    days: int,
    uow: UnitOfWork,
    practice: Practice,
    modality: Modality | None = None,
    state: str | None = None,
) -> list[Slot]:
    """The open slots staff may book for an established client with one clinician."""
    with uow:
        if uow.clients.get(client_id) is None:
            raise NotFound(f"no client {client_id}")
        criteria = client_criteria(uow, client_id, clinician_id, modality, state)
    return openings.open_slots_for(
        kind=kind, now=now, days=days, uow=uow, practice=practice, criteria=criteria
    )


def openings_for_move(
    *,
    appointment_id: AppointmentId,
    now: datetime,
    days: int,
    uow: UnitOfWork,
    practice: Practice,
) -> list[Slot]:
    """The open times the appointment may move to with the same clinician, video or office,
    by its client's matching rules."""
    with uow:
        record = uow.appointments.get(appointment_id)
        if record is None:
            raise NotFound(f"no appointment {appointment_id}")
        old = record.appointment
        criteria = moved_criteria(uow, old, old.clinician_id, None)
    slots = openings.open_slots_for(
        kind=old.kind, now=now, days=days, uow=uow, practice=practice, criteria=criteria
    )
    return [s for s in slots if s.clinician_id == old.clinician_id]


def client_criteria(
    uow: UnitOfWork,
    client_id: ClientId,
    clinician_id: str,
    modality: Modality | None,
    state: str | None,
) -> MatchCriteria:
    """An established client's rules with one clinician: in care with them once seen."""
    in_care = any(
        r.appointment.clinician_id == clinician_id
        and r.appointment.status is not AppointmentStatus.RESCHEDULED
        for r in uow.appointments.for_client(client_id=client_id)
    )
    return MatchCriteria(
        modality=modality,
        state=state.strip().upper() if state and state.strip() else None,
        clinician_id=clinician_id,
        new_client=False,
        in_care=in_care,
    )


def moved_criteria(
    uow: UnitOfWork, appointment: Appointment, clinician_id: str, modality: Modality | None
) -> MatchCriteria:
    """The rules a moved appointment must still meet, with that clinician and that way."""
    client = appointment.client
    same = clinician_id == appointment.clinician_id
    if client.client_id is not None:
        return MatchCriteria(
            modality=modality,
            clinician_id=appointment.clinician_id if same else None,
            new_client=False,
            in_care=same,
        )
    inquiry = uow.inquiries.get(client.inquiry_id) if client.inquiry_id else None
    intake = inquiry.intake if inquiry is not None else Intake()
    return MatchCriteria.from_intake(
        replace(intake, modality=modality, clinician_preference=None), new_client=True
    )


def require_fit(slot: Slot, criteria: MatchCriteria, practice: Practice) -> None:
    """Refuse a clinician or slot the matching rules do not allow for this client."""
    clinician = practice.clinician(slot.clinician_id)
    if clinician is None:
        raise NotFound(f"clinician {slot.clinician_id} is not in the practice")
    criteria = within_service(
        replace(criteria, modality=slot.modality), practice.service(slot.kind)
    )
    if criteria.modality is not slot.modality:
        raise InvalidInput(f"{slot.kind.value} is not offered {slot.modality.value}")
    reasons = fit_reasons(clinician, criteria)
    if reasons:
        named = ", ".join(r.value for r in reasons)
        raise NotPermitted(f"clinician {clinician.id} does not fit this client: {named}")
    if not slot_allowed(slot, clinician, criteria):
        raise NotPermitted(
            f"a {slot.modality.value} session with {clinician.id} is not allowed for this client"
        )
