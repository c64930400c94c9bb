"""A small fictional practice vocabulary and a fixed clock for understanding tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from frontdesk.conversation.understanding import understand
from frontdesk.conversation.understanding.result import Understanding, Vocabulary
from frontdesk.domain.inquiries import AgeGroup, Modality
from frontdesk.domain.practice import Clinician, Payer

# Wednesday 11 June 2025, 10:00 in Chicago.
NOW = datetime(2025, 6, 11, 15, 0, tzinfo=UTC)

PAYERS = (
    Payer("aetna", "Aetna"),
    Payer("bcbs-il", "Blue Cross Blue Shield of Illinois", ("BCBS",)),
    Payer("uhc", "UnitedHealthcare"),
    Payer("cigna", "Cigna"),
)


def _clinician(cid: str, name: str, specialties: tuple[str, ...]) -> Clinician:
    return Clinician(
        id=cid,
        name=name,
        credentials="LCSW",
        licensed_states=frozenset({"IL", "WI"}),
        modalities=frozenset(Modality),
        payers=frozenset({"aetna"}),
        specialties=specialties,
        age_groups=frozenset(AgeGroup),
        new_client_capacity=3,
    )


CLINICIANS = (
    _clinician("dana-reyes", "Dana Reyes", ("anxiety", "trauma", "emdr")),
    _clinician("sam-okafor", "Sam Okafor", ("couples", "adolescents")),
    _clinician("grace-lee", "Grace Lee", ("grief", "eating_disorders")),
)


@pytest.fixture
def vocabulary() -> Vocabulary:
    return Vocabulary(
        payers=PAYERS,
        clinicians=CLINICIANS,
        specialties=("adolescents", "anxiety", "couples", "eating_disorders", "emdr", "trauma"),
        timezone="America/Chicago",
    )


@pytest.fixture
def hear(vocabulary: Vocabulary) -> Callable[..., Understanding]:
    """`hear(text, expecting=..., digits=...)` understands text at NOW."""

    def _hear(text: str, **options: Any) -> Understanding:
        return understand(text, vocabulary=vocabulary, now=options.pop("now", NOW), **options)

    return _hear
