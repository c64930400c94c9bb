"""What staff and tools read about a call: the hand-off summary and the stored call report.

`summary` composes the text staff read first on a hand-off (who called, for whom, why, the
route, the caller's own words where they matter, everything captured); `report` gathers a
call's stored records for `frontdesk simulate` and other read-only views.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from frontdesk.conversation.state import CallState, Evidence, window_to_dict
from frontdesk.domain.calls import CallResult, HandoffCategory, Route
from frontdesk.domain.errors import NotFound
from frontdesk.domain.handoffs import Handoff as HandoffRecord
from frontdesk.domain.inquiries import Intake
from frontdesk.domain.practice import Practice
from frontdesk.domain.records import CallId, CallRecord, InquiryRecord, TurnRecord
from frontdesk.services.unit_of_work import UnitOfWork


def summary(
    state: CallState,
    practice: Practice,
    *,
    reason: str,
    route: Route,
    quote: str | None = None,
) -> str:
    """What staff read first: who called, for whom, why, the route, the caller's words, and
    everything captured, so nobody asks the caller again."""
    intake = state.intake
    parts = [f"Reason: {reason.replace('_', ' ')}.", f"Route: {route.value}."]
    parts.append(f"Caller: {state.caller_number or 'number withheld'}.")
    if state.intent is not None:
        parts.append(f"Calling about: {state.intent.value.replace('_', ' ')}.")
    if intake.for_whom is not None:
        age = f", age {intake.client_age}" if intake.client_age is not None else ""
        parts.append(f"For: {intake.for_whom.value}{age}.")
    elif intake.client_age is not None:
        parts.append(f"Client age: {intake.client_age}.")
    if intake.client_name:
        unconfirmed = " (read back, not confirmed)" if intake.client_name_unconfirmed else ""
        parts.append(f"Client name: {intake.client_name}{unconfirmed}.")
    if intake.date_of_birth is not None:
        parts.append(f"Date of birth: {intake.date_of_birth.isoformat()}.")
    if intake.clinician_preference:
        clinician = practice.clinician(intake.clinician_preference)
        named = clinician.name if clinician else intake.clinician_preference
        parts.append(f"Clinician named: {named}.")
    if intake.appointment_said:
        parts.append(f'Appointment meant, in the caller\'s words: "{intake.appointment_said}".')
    if quote:
        parts.append(f'Caller\'s words: "{quote}".')
    if intake.concern and intake.concern != quote:
        parts.append(f'Concern, in the caller\'s words: "{intake.concern}".')
    if intake.state:
        parts.append(f"Client located in: {intake.state}.")
    if intake.modality is not None:
        parts.append(f"Modality: {intake.modality.value}.")
    if intake.telehealth_constraints is not None:
        tc = intake.telehealth_constraints
        parts.append(
            f"Telehealth set-up: private space {_yn(tc.private_space)}, device {_yn(tc.device)}, "
            f"connection {_yn(tc.connection)}."
        )
    if intake.payment is not None:
        payer = practice.payer(intake.payer) if intake.payer else None
        parts.append(f"Payment: {intake.payment.value}{f' ({payer.name})' if payer else ''}.")
    if intake.out_of_network_payer:
        parts.append(f"Insurance named, not in network: {intake.out_of_network_payer}.")
    if intake.availability:
        parts.append(f"Availability: {'; '.join(w.text for w in intake.availability)}.")
    if intake.reminder_preference is not None:
        parts.append(f"Reminders by: {intake.reminder_preference.value}.")
    if intake.callback_number:
        confirmed = "confirmed" if intake.callback_confirmed else "not confirmed"
        parts.append(f"Callback number: {intake.callback_number} ({confirmed}).")
    if intake.email:
        unconfirmed = " (read back, not confirmed)" if intake.email_unconfirmed else ""
        parts.append(f"E-mail: {intake.email}{unconfirmed}.")
    if intake.consent_to_text is not None:
        parts.append(f"Consent to text: {_yn(intake.consent_to_text)}.")
    if state.message and state.message != quote:
        parts.append(f'Message: "{state.message}".')
    if state.skipped:
        unasked = ", ".join(slot.value.replace("_", " ") for slot in state.skipped)
        parts.append(f"Asked twice without an answer (please ask): {unasked}.")
    heard = _heard(state, shown={quote, intake.concern, intake.appointment_said, state.message})
    if heard:
        parts.append(f"In the caller's words: {heard}.")
    return " ".join(parts)


def grounded_evidence(state: CallState) -> tuple[Evidence, ...]:
    """The evidence of every value the intake holds, in field order; none for blank fields."""
    cited = {e.field: e for e in state.evidence}
    return tuple(
        cited[f.name]
        for f in fields(Intake)
        if f.name in cited and getattr(state.intake, f.name) not in (None, ())
    )


def _heard(state: CallState, *, shown: set[str | None]) -> str:
    """Every substantive sentence the caller said and each utterance a recorded value came
    from, once, in call order, with its turn and the fields it gave; words quoted in full
    above (the concern, the message, the quote) are not repeated."""
    by_turn: dict[tuple[int, str], list[str]] = {}
    for heard in state.heard:
        if heard.text not in shown:
            by_turn.setdefault((heard.turn, heard.text), [])
    for evidence in grounded_evidence(state):
        if evidence.field not in _QUOTED_ABOVE:
            by_turn.setdefault((evidence.turn, evidence.text), []).append(evidence.field)
    return "; ".join(
        f'"{text}" (turn {turn}{": " if names else ""}'
        f"{', '.join(n.replace('_', ' ') for n in names)})"
        for (turn, text), names in sorted(by_turn.items())
    )


_QUOTED_ABOVE = frozenset({"concern", "appointment_said"})


def _yn(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


@dataclass(frozen=True, slots=True)
class CallReport:
    """A finished (or running) call as stored: the call, its turns, inquiry and hand-offs."""

    call: CallRecord
    turns: tuple[TurnRecord, ...]
    inquiry: InquiryRecord | None
    handoffs: tuple[HandoffRecord, ...]

    @property
    def result(self) -> CallResult:
        return self.call.result or CallResult.ABANDONED

    @property
    def intake(self) -> Intake:
        """Everything captured on the call, from the engine state the last turn stored."""
        if not self.call.state:
            return self.inquiry.intake if self.inquiry is not None else Intake()
        return CallState.from_dict(dict(self.call.state)).intake

    @property
    def evidence(self) -> dict[str, dict[str, object]]:
        """Each recorded intake value's turn and the caller's words it came from."""
        if not self.call.state:
            return {}
        state = CallState.from_dict(dict(self.call.state))
        return {e.field: {"turn": e.turn, "text": e.text} for e in grounded_evidence(state)}

    @property
    def main_handoff(self) -> HandoffRecord | None:
        """The hand-off staff must see first: most severe category, then most urgent."""
        if not self.handoffs:
            return None
        return min(self.handoffs, key=lambda h: (_CATEGORY_ORDER.index(h.category), h.urgency.rank))


_CATEGORY_ORDER = [
    HandoffCategory.EMERGENCY,
    HandoffCategory.CRISIS,
    HandoffCategory.CLINICAL,
    HandoffCategory.ADMINISTRATIVE,
    HandoffCategory.CALLBACK,
    HandoffCategory.MESSAGE,
    HandoffCategory.TASK,
]


def report(*, call_id: CallId, uow: UnitOfWork) -> CallReport:
    """Everything stored about one call."""
    with uow:
        call = uow.calls.get(call_id)
        if call is None:
            raise NotFound(f"no call {call_id}")
        inquiries = uow.inquiries.list_for_call(call_id)
        return CallReport(
            call=call,
            turns=tuple(uow.turns.list_for_call(call_id)),
            inquiry=inquiries[-1] if inquiries else None,
            handoffs=tuple(uow.handoffs.list_for_call(call_id)),
        )


def intake_summary(intake: Intake) -> dict[str, object]:
    """The intake fields of the `frontdesk simulate` contract; unknown values are None."""
    tc = intake.telehealth_constraints
    return {
        "for_whom": intake.for_whom.value if intake.for_whom else None,
        "client_age": intake.client_age,
        "client_name": intake.client_name,
        "client_name_unconfirmed": intake.client_name_unconfirmed,
        "date_of_birth": None if intake.date_of_birth is None else intake.date_of_birth.isoformat(),
        "modality": intake.modality.value if intake.modality else None,
        "state": intake.state,
        "payment": intake.payment.value if intake.payment else None,
        "payer": intake.payer,
        "out_of_network_payer": intake.out_of_network_payer,
        "availability": [window_to_dict(w) for w in intake.availability],
        "reminder_preference": (
            intake.reminder_preference.value if intake.reminder_preference else None
        ),
        "callback_number": intake.callback_number,
        "callback_confirmed": intake.callback_confirmed,
        "email": intake.email,
        "email_unconfirmed": intake.email_unconfirmed,
        "concern": intake.concern,
        "clinician_preference": intake.clinician_preference,
        "appointment_said": intake.appointment_said,
        "telehealth_constraints": None
        if tc is None
        else {
            "private_space": tc.private_space,
            "device": tc.device,
            "connection": tc.connection,
            "notes": tc.notes,
        },
    }
