"""What the safety screen returns: a verdict a person can audit, rule by rule."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.calls import Route


class Category(StrEnum):
    """What a lexicon entry is about; a verdict keeps every category it found."""

    SUICIDAL_IDEATION = "suicidal ideation"
    SELF_HARM = "self-harm"
    OVERDOSE = "overdose"
    ABUSE_VIOLENCE = "abuse/violence"
    HARM_TO_OTHERS = "harm to others"
    MEDICAL_EMERGENCY = "medical emergency"
    DISTRESS = "distress"
    MEDICATION = "medication"
    DIAGNOSIS = "diagnosis"
    CLINICAL_ADVICE = "clinical advice"
    TREATMENT_PLAN = "treatment plan"
    RECORDS = "records"
    COURT = "court"
    CUSTODY = "custody"
    PRIVACY = "privacy"
    CONSENT = "consent"
    COMPLAINT = "complaint"
    POLICY_EXCEPTION = "policy exception"
    LEARNED_RISK = "learned risk"  # the learned net's, which cannot say what kind of risk


class Modifier(StrEnum):
    """What the context pass (or the normaliser) noticed about one match."""

    NEGATION = "negation"
    THIRD_PERSON = "third_person"
    HISTORICAL = "historical"
    HYPOTHETICAL = "hypothetical"
    IMMEDIATE = "immediate"
    IDIOM = "idiom"
    SPELLING = "spelling"


class Experiencer(StrEnum):
    """Whose experience the deciding matches describe."""

    SELF = "self"
    OTHER = "other"
    UNKNOWN = "unknown"


SCREEN_ERROR = "screen_error"


@dataclass(frozen=True, slots=True)
class Match:
    """One lexicon rule that fired, where, and what the context made of it.

    `start`/`end` are character offsets into the caller's raw text; `route` is the route
    after the context pass (the entry's own route is `base_route`). `cssrs_level` follows the
    C-SSRS ideation scale (1 wish to be dead … 5 plan and intent); 6 marks suicidal behaviour.
    `score` is the learned net's probability of risk for its own matches (`net.*` rules),
    `None` for the rules'.
    """

    rule: str
    phrase: str
    start: int
    end: int
    modifiers: tuple[Modifier, ...]
    route: Route
    category: Category
    cssrs_level: int | None = None
    base_route: Route = Route.ROUTINE
    idiom: str | None = None
    experiencer: Experiencer = Experiencer.UNKNOWN
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The screen's decision on one utterance.

    `reason` is `None` for an ordinary verdict and `"screen_error"` when the screen failed
    and escalated instead of answering. `safety_check` is true where risk is possible but
    not clear: the call then asks the direct question (the `safety_check` line) once.
    """

    route: Route
    categories: tuple[Category, ...]
    matches: tuple[Match, ...]
    experiencer: Experiencer
    lexicon_version: str
    reason: str | None = None
    safety_check: bool = False

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON output (the `frontdesk screen --json` contract)."""
        return {
            "route": str(self.route),
            "categories": [str(c) for c in self.categories],
            "matches": [
                {
                    "rule": m.rule,
                    "phrase": m.phrase,
                    "start": m.start,
                    "end": m.end,
                    "modifiers": [str(x) for x in m.modifiers],
                    "route": str(m.route),
                    "base_route": str(m.base_route),
                    "category": str(m.category),
                    "cssrs_level": m.cssrs_level,
                    "experiencer": str(m.experiencer),
                    "idiom": m.idiom,
                    "score": m.score,
                }
                for m in self.matches
            ],
            "experiencer": str(self.experiencer),
            "lexicon_version": self.lexicon_version,
            "reason": self.reason,
            "safety_check": self.safety_check,
        }
