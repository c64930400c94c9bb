"""Who sees which hand-off in the work queue, and how much of it (minimum necessary).

- Admins see every item in full.
- Clinicians see the clinical, crisis and emergency items (and sensitive reviews) in full,
  and the items of their own clients (an inquiry booked with them); nothing else.
- Front desk sees every item; of a clinical one (a crisis, emergency, clinical or sensitive
  item, or one from a call that took such a route) only the summary, the number and the
  status, never the transcript, the intake words, the voicemail or earlier calls.
- Auditors see what front desk sees, and change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from frontdesk.domain.calls import HandoffCategory, Route
from frontdesk.domain.handoffs import Handoff
from frontdesk.domain.staff import Role, StaffUser

CLINICAL_CATEGORIES = frozenset(
    {HandoffCategory.EMERGENCY, HandoffCategory.CRISIS, HandoffCategory.CLINICAL}
)
CLINICAL_ROUTES = frozenset({Route.EMERGENCY, Route.CRISIS, Route.CLINICAL, Route.SENSITIVE})


def is_clinical(handoff: Handoff, call_route: Route | None = None) -> bool:
    """Whether the item carries clinical detail: by its category, its route or its call's."""
    if handoff.category in CLINICAL_CATEGORIES:
        return True
    route = handoff.details.get("route")
    if isinstance(route, str) and route in {r.value for r in CLINICAL_ROUTES}:
        return True
    return call_route in CLINICAL_ROUTES


def may_see(
    user: StaffUser,
    handoff: Handoff,
    *,
    call_route: Route | None = None,
    client_clinicians: Iterable[str] = (),
) -> bool:
    """Whether the item appears for this user at all."""
    if user.role is not Role.CLINICIAN:
        return True
    if is_clinical(handoff, call_route):
        return True
    return user.clinician_id is not None and user.clinician_id in set(client_clinicians)


def shows_detail(
    user: StaffUser,
    handoff: Handoff,
    *,
    call_route: Route | None = None,
    client_clinicians: Iterable[str] = (),
) -> bool:
    """Whether the item's full context (transcript, intake with the caller's words,
    voicemail, earlier calls) may be shown, beyond its summary."""
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.CLINICIAN:
        return may_see(user, handoff, call_route=call_route, client_clinicians=client_clinicians)
    if user.role is Role.FRONT_DESK:
        return not is_clinical(handoff, call_route)
    return False


def may_change(user: StaffUser) -> bool:
    """Auditors read; everyone else may work the queue."""
    return user.role is not Role.AUDITOR
