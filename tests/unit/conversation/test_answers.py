"""Questions answered from the practice file: who fits what the caller said, and costs."""

from __future__ import annotations

import pytest
from tests.practice_builders import PAYERS, make_clinician, make_practice
from tests.unit.conversation.engine_fakes import NOW

from frontdesk.adapters.script_file import default_script_library
from frontdesk.conversation.flows.answers import answer, topics_of
from frontdesk.conversation.flows.base import vocabulary_of
from frontdesk.conversation.understanding import understand
from frontdesk.domain.inquiries import AgeGroup, Intake, Modality, Payment
from frontdesk.domain.practice import Payer, Practice

FAMILY = make_clinician(  # lists children as a focus, but sees teenagers and adults only
    id="ben",
    name="Ben Carter",
    specialties=("couples", "children"),
    age_groups=frozenset({AgeGroup.ADOLESCENT, AgeGroup.ADULT}),
)
CHILD = make_clinician(  # children, in the office only
    id="dana",
    name="Dana Moss",
    specialties=("children",),
    age_groups=frozenset({AgeGroup.CHILD}),
    modalities=frozenset({Modality.IN_PERSON}),
)
VIDEO_WI = make_clinician(  # video only, licensed in Wisconsin
    id="eli",
    name="Eli Stone",
    licensed_states=frozenset({"IL", "WI"}),
    modalities=frozenset({Modality.TELEHEALTH}),
    locations=frozenset(),
    specialties=("anxiety",),
    payers=frozenset({"optum"}),
)
OFFICE_IL = make_clinician(id="fay", name="Fay Lin", specialties=("anxiety",))
PRACTICE = make_practice(
    scripts=default_script_library(),
    clinicians=(FAMILY, CHILD, VIDEO_WI, OFFICE_IL),
    payers=(*PAYERS, Payer("optum", "Optum")),
)


def spoken(text: str) -> list[tuple[str, dict[str, str]]]:
    """The answer to `text`, as (line id, values) pairs."""
    heard = understand(text, vocabulary=vocabulary_of(PRACTICE), now=NOW)
    return [(s.line_id, dict(s.values)) for s in answer(topics_of(heard), heard, PRACTICE)]


def test_a_clinician_who_does_not_see_children_is_not_named_for_kids() -> None:
    """ "Anyone who works with kids?" names only clinicians who see children."""
    said = spoken("do you have anyone who works with kids")
    assert said == [("answer_specialty_yes", {"clinicians": "Dana Moss", "specialty": "children"})]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("who treats anxiety in Wisconsin", "Eli Stone"),  # only Eli is licensed there
        ("is there a therapist for anxiety who sees people in person", "Fay Lin"),
        ("do you have someone for anxiety who takes Optum", "Eli Stone"),
    ],
)
def test_provider_questions_filter_by_everything_the_caller_said(text: str, named: str) -> None:
    """Specialty, state, the way they would meet and the payer all narrow who is named."""
    said = spoken(text)
    assert len(said) == 1
    assert said[0][1]["clinicians"] == named


def test_nobody_fitting_everything_is_said_plainly() -> None:
    """When no clinician fits all the caller said, none is named."""
    said = spoken("do you have a therapist for kids who does video")
    assert said == [("answer_clinicians_none_fit", {})]


def test_a_cost_question_with_an_in_network_payer_gets_the_in_network_line() -> None:
    """ "What would I pay with Aetna?": the plan decides; the practice's fee is for private pay."""
    ids = [line for line, _ in spoken("how much would a session cost with Aetna")]
    assert "answer_fees_in_network" in ids
    assert "answer_fees" not in ids


def test_a_cost_question_without_a_payer_gets_the_practice_fees() -> None:
    """Without a payer the practice's own fees are said."""
    said = dict(spoken("how much do you charge per session"))
    assert said["answer_fees"]["first_fee"] == "$175"


SEVERAL_STATES = make_practice(
    scripts=default_script_library(),
    clinicians=(VIDEO_WI, OFFICE_IL),
    payers=(Payer("il_medicaid", "Illinois Medicaid", ("Medicaid",)), Payer("aetna", "Aetna")),
)


def spoken_in(practice: Practice, text: str) -> list[tuple[str, dict[str, str]]]:
    """The answer to `text` in `practice`, as (line id, values) pairs."""
    heard = understand(text, vocabulary=vocabulary_of(practice), now=NOW)
    return [(s.line_id, dict(s.values)) for s in answer(topics_of(heard), heard, practice)]


def test_bare_medicaid_in_a_practice_of_several_states_is_not_guessed() -> None:
    """ "Do you take Medicaid?" with clinicians in IL and WI: the state plans taken are said,
    never "yes" for one state's plan."""
    said = spoken_in(SEVERAL_STATES, "do you take Medicaid?")
    assert said == [("payer_by_state", {"program": "Medicaid", "payers": "Illinois Medicaid"})]


def test_medicaid_with_a_state_is_read_for_that_state() -> None:
    """ "Do you take Medicaid in Wisconsin?": not in network with Wisconsin Medicaid."""
    said = spoken_in(SEVERAL_STATES, "do you take Medicaid in Wisconsin?")
    assert said[0] == ("payer_not_accepted", {"payer": "Wisconsin Medicaid"})


def heard_with(text: str, known: Intake) -> list[tuple[str, dict[str, str]]]:
    """The answer to `text` from a caller who said `known` earlier in the call."""
    heard = understand(text, vocabulary=vocabulary_of(PRACTICE), now=NOW)
    says = answer(topics_of(heard), heard, PRACTICE, known=known)
    return [(s.line_id, dict(s.values)) for s in says]


def test_provider_questions_also_filter_by_what_was_said_earlier_in_the_call() -> None:
    """After "he's 9", "anyone who works with anxiety?" names nobody who sees only adults."""
    said = heard_with("do you have anyone who works with anxiety", Intake(client_age=9))
    assert said == [("answer_clinicians_none_fit", {})]
    adult = heard_with("do you have anyone who works with anxiety", Intake(state="WI"))
    assert adult[0][1]["clinicians"] == "Eli Stone"


def test_a_cost_question_uses_the_payer_given_earlier() -> None:
    """ "How much is a session?" from a caller who gave Aetna earlier hears the in-network line."""
    known = Intake(payment=Payment.INSURANCE, payer="aetna")
    ids = [line for line, _ in heard_with("how much is a session", known)]
    assert "answer_fees_in_network" in ids
