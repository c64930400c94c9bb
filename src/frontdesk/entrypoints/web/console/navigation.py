"""The console's sections: one table says which roles see each link and may open each page."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.staff import Role

ALL = frozenset(Role)
STAFF = frozenset({Role.FRONT_DESK, Role.CLINICIAN, Role.ADMIN})
OFFICE = frozenset({Role.FRONT_DESK, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    path: str
    label: str
    roles: frozenset[Role]


SECTIONS: tuple[Section, ...] = (
    Section("home", "/", "Home", ALL),
    Section("queue", "/queue", "Queue", STAFF),
    Section("inquiries", "/inquiries", "Inquiries", OFFICE),
    Section("calendar", "/calendar", "Calendar", STAFF),
    Section("waitlist", "/waitlist", "Waitlist", OFFICE),
    Section("calls", "/calls", "Calls", OFFICE),
    Section("scripts", "/scripts", "Scripts", OFFICE),
    Section(
        "reports", "/reports", "Reports", frozenset({Role.FRONT_DESK, Role.ADMIN, Role.AUDITOR})
    ),
    # The planning calculator needs no sign-in; signed in, it is a page of the console.
    Section("roi", "/roi", "ROI", frozenset({Role.FRONT_DESK, Role.ADMIN, Role.AUDITOR})),
    Section("users", "/users", "Users", frozenset({Role.ADMIN})),
    Section("audit", "/audit", "Audit", frozenset({Role.ADMIN, Role.AUDITOR})),
)
BY_NAME = {section.name: section for section in SECTIONS}


def section(name: str) -> Section:
    """The section called `name` (a `KeyError` names a typo at start-up, not at request)."""
    return BY_NAME[name]


def visible_to(role: Role) -> list[Section]:
    """The sections whose link a user in `role` sees, in navigation order."""
    return [s for s in SECTIONS if role in s.roles]
