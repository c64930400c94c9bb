"""Loading practice files and script libraries from YAML: typed values or precise errors."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from frontdesk.adapters.practice_file import load_practice
from frontdesk.adapters.script_file import default_script_library, load_script_library
from frontdesk.conversation.script import Say
from frontdesk.domain.errors import PracticeFileError
from frontdesk.domain.inquiries import AgeGroup, Modality, Weekday
from frontdesk.domain.practice import ServiceKind
from frontdesk.domain.retention import Retention

SCRIPTS = """\
version: "3"
reviewed: false
lines:
  greeting: "Thank you for calling {practice}."
  crisis:
    text: "You can call or text {lifeline_number}."
    whole: true
"""

PRACTICE = """\
name: Test Counseling
timezone: America/Chicago
hours:
  monday: ["09:00-12:00", "13:00-17:00"]
  friday: [09:00-15:00]
phones:
  main: +13125550142
  on_call: "+13125550199"
locations:
  - id: downtown
    name: Downtown office
    address: 1 Example Plaza, Chicago, IL 60601
    state: IL
payers:
  - id: aetna
    name: Aetna
  - id: bcbs
    name: Blue Cross Blue Shield
    aliases: [BCBS, blue cross]
clinicians:
  - id: ana
    name: Ana Lopez
    credentials: LCSW
    licensed_states: [IL, WI]
    modalities: [in_person, telehealth]
    locations: [downtown]
    payers: [aetna, bcbs]
    specialties: [anxiety]
    age_groups: [adult]
    new_client_capacity: 3
  - id: cleo
    name: Cleo Park
    credentials: PsyD
    licensed_states: [IN, MN, il]
    modalities: [telehealth]
    payers: [bcbs]
    age_groups: [adult, older_adult]
    new_client_capacity: 1
services:
  - kind: consult
    name: Free consultation
    duration_minutes: 15
    free: true
    in_person: false
  - kind: first_session
    name: First session
    duration_minutes: 60
    fee: 175.00
  - kind: ongoing
    name: Ongoing session
    duration_minutes: 53
    fee: 150
sliding_scale:
  offered: yes
  minimum_fee: 60
  maximum_fee: 150
cancellation_policy:
  notice_hours: 24
  late_fee: 75
telehealth:
  platform: Doxy.me
scripts: scripts.yaml
"""


def _write(directory: Path, practice: str = PRACTICE, scripts: str | None = SCRIPTS) -> Path:
    if scripts is not None:
        (directory / "scripts.yaml").write_text(scripts, encoding="utf-8")
    path = directory / "practice.yaml"
    path.write_text(practice, encoding="utf-8")
    return path


def _line_of(text: str, fragment: str) -> int:
    """The 1-based line of the last occurrence of `fragment` in `text`."""
    index = text.rindex(fragment)
    return text.count("\n", 0, index) + 1


def _edit(old: str, new: str) -> str:
    assert old in PRACTICE, old
    return PRACTICE.replace(old, new, 1)


def test_valid_file_loads_into_typed_practice(tmp_path: Path) -> None:
    """A valid file becomes a Practice with typed, normalised values and its script library."""
    practice = load_practice(_write(tmp_path))
    assert practice.name == "Test Counseling"
    assert practice.zone == ZoneInfo("America/Chicago")
    assert practice.phones.main == "+13125550142"
    ana, cleo = practice.clinicians
    assert ana.licensed_states == frozenset({"IL", "WI"})
    assert cleo.licensed_states == frozenset({"IN", "MN", "IL"})
    assert cleo.modalities == frozenset({Modality.TELEHEALTH})
    assert cleo.age_groups == frozenset({AgeGroup.ADULT, AgeGroup.OLDER_ADULT})
    assert ana.locations == frozenset({"downtown"})
    assert practice.payer("bcbs") is not None
    assert practice.payer("bcbs").aliases == ("BCBS", "blue cross")  # type: ignore[union-attr]
    consult = practice.service(ServiceKind.CONSULT)
    assert consult is not None
    assert (consult.fee, consult.duration_minutes, consult.in_person) == (Decimal(0), 15, False)
    first = practice.service(ServiceKind.FIRST_SESSION)
    assert first is not None
    assert first.fee == Decimal("175.00")
    assert practice.sliding_scale.offered is True
    assert practice.scripts.version == "3"
    assert practice.scripts.line("crisis").whole is True
    assert practice.scripts.reviewed is False


def test_dialling_988_on_request_is_off_unless_the_practice_turns_it_on(tmp_path: Path) -> None:
    """`crisis.connect_to_988` defaults to false and loads as written when set."""
    assert load_practice(_write(tmp_path)).crisis.connect_to_988 is False
    on = load_practice(_write(tmp_path, PRACTICE + "crisis:\n  connect_to_988: true\n"))
    assert on.crisis.connect_to_988 is True
    assert on.crisis.lifeline_number == "988"


def test_hours_written_without_quotes_stay_clock_times(tmp_path: Path) -> None:
    """`09:00-15:00` and split days parse as clock ranges, so after-hours is known."""
    practice = load_practice(_write(tmp_path))
    monday = practice.hours.periods[Weekday.MONDAY]
    assert [(r.start, r.end) for r in monday] == [
        (time(9), time(12)),
        (time(13), time(17)),
    ]
    assert practice.hours.periods[Weekday.FRIDAY][0].end == time(15)
    chicago = ZoneInfo("America/Chicago")
    assert practice.is_open(datetime(2026, 3, 2, 10, 0, tzinfo=chicago))  # a Monday
    assert not practice.is_open(datetime(2026, 3, 2, 12, 30, tzinfo=chicago))  # lunch
    assert not practice.is_open(datetime(2026, 3, 3, 10, 0, tzinfo=chicago))  # Tuesday: closed


@dataclass(frozen=True)
class Broken:
    name: str
    text: str
    field: str
    message: str
    at: str  # a fragment of `text`; the error must name the line it is on


BROKEN = [
    Broken(
        "bad state code",
        _edit("licensed_states: [IL, WI]", "licensed_states: [IL, XX]"),
        "clinicians[0].licensed_states[1]",
        "'XX' is not a US state code",
        "licensed_states: [IL, XX]",
    ),
    Broken(
        "unknown payer id",
        _edit("payers: [aetna, bcbs]", "payers: [aetna, aetan]"),
        "clinicians[0].payers[1]",
        "unknown payer id 'aetan' (payers: aetna, bcbs)",
        "payers: [aetna, aetan]",
    ),
    Broken(
        "unknown location id",
        _edit("locations: [downtown]", "locations: [uptown]"),
        "clinicians[0].locations[0]",
        "unknown location id 'uptown'",
        "locations: [uptown]",
    ),
    Broken(
        "location outside the clinician's licensed states",
        _edit("licensed_states: [IL, WI]", "licensed_states: [WI]"),
        "clinicians[0].locations[0]",
        "location 'downtown' is in IL, where this clinician is not licensed",
        "locations: [downtown]",
    ),
    Broken(
        "in person without an office",
        _edit("    locations: [downtown]\n", ""),
        "clinicians[0].modalities",
        "in-person sessions need at least one entry under `locations`",
        "modalities: [in_person, telehealth]",
    ),
    Broken(
        "bad timezone",
        _edit("timezone: America/Chicago", "timezone: Mars/Olympus_Mons"),
        "timezone",
        "'Mars/Olympus_Mons' is not a known timezone",
        "timezone:",
    ),
    Broken(
        "phone number not E.164",
        _edit('on_call: "+13125550199"', "on_call: 312-555-0199"),
        "phones.on_call",
        "'312-555-0199' is not an E.164 phone number",
        "on_call:",
    ),
    Broken(
        "phone number without the plus sign",
        _edit("main: +13125550142", "main: 13125550142"),
        "phones.main",
        "'13125550142' is not an E.164 phone number",
        "main: 13125550142",
    ),
    Broken(
        "North American number one digit short",
        _edit("main: +13125550142", "main: +1312555014"),
        "phones.main",
        "'+1312555014' needs 10 digits after +1",
        "main: +1312555014",
    ),
    Broken(
        "crisis line neither short nor E.164",
        PRACTICE + "crisis:\n  local_crisis_line: 12\n",
        "crisis.local_crisis_line",
        "'12' is neither a short number like 988 nor E.164",
        "local_crisis_line: 12",
    ),
    Broken(
        "connect_to_988 not true or false",
        PRACTICE + "crisis:\n  connect_to_988: sometimes\n",
        "crisis.connect_to_988",
        "Input should be a valid boolean",
        "connect_to_988: sometimes",
    ),
    Broken(
        "hours past midnight",
        _edit("friday: [09:00-15:00]", "friday: [09:00-25:00]"),
        "hours.friday[0]",
        "'09:00-25:00' is not a valid time of day range",
        "friday:",
    ),
    Broken(
        "capitalised day",
        _edit("  friday: [09:00-15:00]", "  Friday: [09:00-15:00]"),
        "hours.Friday",
        "unknown field (did you mean 'friday'?)",
        "Friday:",
    ),
    Broken(
        "overlapping hours",
        _edit('monday: ["09:00-12:00", "13:00-17:00"]', 'monday: ["09:00-12:00", "11:30-17:00"]'),
        "hours.monday",
        "'09:00-12:00' and '11:30-17:00' overlap",
        "monday:",
    ),
    Broken(
        "hours not a clock range",
        _edit("friday: [09:00-15:00]", "friday: [9am-3pm]"),
        "hours.friday[0]",
        "'9am-3pm' is not a time range like 09:00-17:00",
        "friday:",
    ),
    Broken(
        "hours ending before they start",
        _edit("friday: [09:00-15:00]", "friday: [15:00-09:00]"),
        "hours.friday[0]",
        "'15:00-09:00' ends before it starts",
        "friday:",
    ),
    Broken(
        "free consult with a fee",
        _edit("    free: true\n", "    free: true\n    fee: 25\n"),
        "services[0].fee",
        "the service is declared free but has a fee",
        "fee: 25",
    ),
    Broken(
        "second service of the same kind",
        _edit(
            "sliding_scale:",
            "  - kind: consult\n    name: Walk-in\n    duration_minutes: 20\nsliding_scale:",
        ),
        "services[3].kind",
        "a service of kind 'consult' is already declared (services[0])",
        "- kind: consult\n    name: Walk-in",
    ),
    Broken(
        "required service missing",
        _edit("kind: ongoing", "kind: consult"),
        "services",
        "a service of kind 'ongoing' is required",
        "services:",
    ),
    Broken(
        "misspelt field",
        _edit("    specialties: [anxiety]", "    specialities: [anxiety]"),
        "clinicians[0].specialities",
        "unknown field (did you mean 'specialties'?)",
        "specialities:",
    ),
    Broken(
        "wrong type",
        _edit("new_client_capacity: 3", "new_client_capacity: lots"),
        "clinicians[0].new_client_capacity",
        "Input should be a valid integer",
        "new_client_capacity: lots",
    ),
    Broken(
        "list where text is expected",
        _edit("platform: Doxy.me", "platform: [Doxy.me]"),
        "telehealth.platform",
        "Input should be a valid string",
        "platform:",
    ),
    Broken(
        "negative capacity",
        _edit("new_client_capacity: 1", "new_client_capacity: -1"),
        "clinicians[1].new_client_capacity",
        "greater than or equal to 0",
        "new_client_capacity: -1",
    ),
    Broken(
        "unknown modality",
        _edit("modalities: [telehealth]", "modalities: [carrier_pigeon]"),
        "clinicians[1].modalities[0]",
        "Input should be 'in_person', 'telehealth' or 'hybrid'",
        "modalities: [carrier_pigeon]",
    ),
    Broken(
        "missing required field",
        _edit("    name: Cleo Park\n", ""),
        "clinicians[1].name",
        "required field is missing",
        "- id: cleo",
    ),
    Broken(
        "duplicate clinician id",
        _edit("- id: cleo", "- id: ana"),
        "clinicians[1].id",
        "id 'ana' is already used by clinicians[0]",
        "- id: ana",
    ),
    Broken(
        "alias naming two payers",
        _edit("aliases: [BCBS, blue cross]", "aliases: [BCBS, aetna]"),
        "payers[1].aliases[1]",
        "'aetna' already names payer 'aetna'",
        "aliases: [BCBS, aetna]",
    ),
    Broken(
        "sliding scale upside down",
        _edit("minimum_fee: 60", "minimum_fee: 200"),
        "sliding_scale.minimum_fee",
        "minimum_fee is greater than maximum_fee",
        "minimum_fee: 200",
    ),
    Broken(
        "negative fee",
        _edit("fee: 150", "fee: -150"),
        "services[2].fee",
        "greater than or equal to 0",
        "fee: -150",
    ),
    Broken(
        "bad id",
        _edit("- id: downtown", "- id: Down Town"),
        "locations[0].id",
        "'Down Town' is not an id",
        "- id: Down Town",
    ),
    Broken(
        "missing script library",
        _edit("scripts: scripts.yaml", "scripts: no-such-scripts.yaml"),
        "scripts",
        "no-such-scripts.yaml' does not exist",
        "scripts:",
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c.name)
def test_broken_practice_file_names_field_and_line(tmp_path: Path, case: Broken) -> None:
    """Every broken file is refused with an error naming the file, the line and the field."""
    path = _write(tmp_path, case.text)
    with pytest.raises(PracticeFileError) as caught:
        load_practice(path)
    line = _line_of(case.text, case.at)
    headline = str(caught.value).splitlines()[0]
    assert headline.startswith(f"{path}:{line}: {case.field}: "), headline
    assert case.message in headline
    assert caught.value.line == line
    assert caught.value.path == str(path)


@pytest.mark.parametrize(
    ("name", "text", "message", "at"),
    [
        ("duplicate key", PRACTICE + "timezone: UTC\n", "timezone: duplicate key", "timezone: UTC"),
        (
            "tab indentation",
            _edit("  main: +13125550142", "\tmain: +13125550142"),
            "tab character in indentation",
            "\tmain",
        ),
        (
            "unclosed bracket",
            _edit("aliases: [BCBS, blue cross]", "aliases: [BCBS, blue cross"),
            "invalid YAML",
            "clinicians:",
        ),
        ("top level is a list", "- name: Test\n", "the top level must be a mapping", "- name"),
    ],
)
def test_unreadable_yaml_names_the_line(
    tmp_path: Path, name: str, text: str, message: str, at: str
) -> None:
    """YAML that cannot be read as a mapping of fields is refused at the offending line."""
    path = _write(tmp_path, text)
    with pytest.raises(PracticeFileError) as caught:
        load_practice(path)
    assert str(caught.value).startswith(f"{path}:{_line_of(text, at)}: "), name
    assert message in str(caught.value)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_file_is_refused(tmp_path: Path, text: str) -> None:
    """An empty practice file is an error, not an empty practice."""
    with pytest.raises(PracticeFileError, match="the file is empty"):
        load_practice(_write(tmp_path, text))


def test_open_until_midnight_is_accepted(tmp_path: Path) -> None:
    """`24:00` closes a day at midnight."""
    practice = load_practice(_write(tmp_path, _edit("[09:00-15:00]", "[18:00-24:00]")))
    chicago = ZoneInfo("America/Chicago")
    assert practice.is_open(datetime(2026, 3, 6, 23, 30, tzinfo=chicago))  # a Friday night


def test_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 text give an error naming the file."""
    path = tmp_path / "practice.yaml"
    path.write_bytes(b"name: Caf\xe9\n")
    with pytest.raises(PracticeFileError, match="is not UTF-8 text"):
        load_practice(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    """A path that names no file gives an error naming that path."""
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(PracticeFileError, match="no such file") as caught:
        load_practice(missing)
    assert caught.value.path == str(missing)


def test_every_problem_is_listed_first_by_line(tmp_path: Path) -> None:
    """Several mistakes are reported together, the earliest line as the headline."""
    text = _edit("timezone: America/Chicago", "timezone: Nowhere/Land").replace(
        "new_client_capacity: 1", "new_client_capacity: many"
    )
    with pytest.raises(PracticeFileError) as caught:
        load_practice(_write(tmp_path, text))
    message = str(caught.value)
    assert caught.value.line == _line_of(text, "timezone:")
    assert "1 more problem(s)" in message
    assert f":{_line_of(text, 'new_client_capacity: many')}: clinicians[1].new_client_capacity" in (
        message
    )


SCRIPT_CASES = [
    (
        "bad line id",
        SCRIPTS.replace("  greeting:", "  Greeting:"),
        "lines.Greeting",
        "'Greeting' is not a snake_case line id",
        "Greeting:",
    ),
    (
        "positional placeholder",
        SCRIPTS.replace("{practice}", "{0}"),
        "lines.greeting.text",
        "placeholder {0} must be a plain name",
        "greeting:",
    ),
    (
        "formatted placeholder",
        SCRIPTS.replace("{practice}", "{practice!r}"),
        "lines.greeting.text",
        "must be a plain name",
        "greeting:",
    ),
    (
        "unknown key",
        SCRIPTS.replace("whole: true", "hole: true"),
        "lines.crisis.hole",
        "did you mean 'whole'?",
        "hole:",
    ),
    (
        "missing version",
        SCRIPTS.replace('version: "3"\n', ""),
        "version",
        "required field is missing",
        "reviewed:",
    ),
    ("no lines", 'version: "1"\nlines: {}\n', "lines", "at least 1 item", "lines:"),
]


@pytest.mark.parametrize(("name", "text", "field", "message", "at"), SCRIPT_CASES)
def test_broken_script_library_names_field_and_line(
    tmp_path: Path, name: str, text: str, field: str, message: str, at: str
) -> None:
    """A broken script library is refused with its own file, line and field."""
    path = tmp_path / "scripts.yaml"
    path.write_text(text, encoding="utf-8")
    expected_line = _line_of(text, at) if at != "reviewed:" else 1
    with pytest.raises(PracticeFileError) as caught:
        load_script_library(path)
    headline = str(caught.value).splitlines()[0]
    assert headline.startswith(f"{path}:{expected_line}: {field}: "), (name, headline)
    assert message in headline


def test_broken_script_library_stops_the_practice_loading(tmp_path: Path) -> None:
    """A practice whose script library is broken does not load at all."""
    path = _write(tmp_path, scripts=SCRIPTS.replace("{practice}", "{}"))
    with pytest.raises(PracticeFileError, match=r"scripts\.yaml:4: lines\.greeting\.text"):
        load_practice(path)


def test_script_library_without_reviewed_flag_is_unreviewed(tmp_path: Path) -> None:
    """A library that does not say it was reviewed is treated as unreviewed."""
    path = tmp_path / "scripts.yaml"
    path.write_text(SCRIPTS.replace("reviewed: false\n", ""), encoding="utf-8")
    library = load_script_library(path)
    assert library.reviewed is False
    assert library.render(Say.of("greeting", practice="Test")) == "Thank you for calling Test."


def test_practice_without_scripts_uses_packaged_default(tmp_path: Path) -> None:
    """Without `scripts:` the packaged default library is used, and it is unreviewed."""
    practice = load_practice(_write(tmp_path, _edit("scripts: scripts.yaml\n", ""), scripts=None))
    assert practice.scripts == default_script_library()
    assert practice.scripts.reviewed is False


def _example(tmp_path: Path) -> Path:
    example = resources.files("frontdesk.data") / "example_practice.yaml"
    target = tmp_path / "practice.yaml"
    target.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "scripts.yaml").write_text(SCRIPTS, encoding="utf-8")
    return target


def test_example_practice_meets_the_documented_shape(tmp_path: Path) -> None:
    """The shipped example has 3-5 clinicians across 3+ states, several payers and aliases."""
    practice = load_practice(_example(tmp_path))
    assert 3 <= len(practice.clinicians) <= 5
    assert len(practice.states) >= 3
    assert len(practice.payers) >= 4
    aliases = {a.casefold() for p in practice.payers for a in p.aliases}
    assert {"bcbs", "blue cross", "uhc", "united"} <= aliases
    telehealth_only = [
        c
        for c in practice.clinicians
        if c.modalities == frozenset({Modality.TELEHEALTH}) and len(c.licensed_states) > 1
    ]
    assert telehealth_only
    assert len(practice.locations) == 2
    consult = practice.service(ServiceKind.CONSULT)
    assert consult is not None
    assert (consult.fee, consult.duration_minutes) == (Decimal(0), 15)
    first = practice.service(ServiceKind.FIRST_SESSION)
    assert first is not None
    assert first.fee > 0
    assert practice.sliding_scale.offered
    assert practice.cancellation_policy.notice_hours == 24
    assert practice.cancellation_policy.late_fee is not None
    assert practice.telehealth.platform
    assert practice.phones.on_call is not None
    numbers = [practice.phones.main, practice.phones.front_desk, practice.phones.on_call]
    assert all(n is not None and n[5:9] == "5550" and n[9] == "1" for n in numbers), numbers
    assert Weekday.SATURDAY not in practice.hours.periods


def test_example_practice_loads_with_packaged_default_library(tmp_path: Path) -> None:
    """The example works with the shipped default library beside it, as `init` writes them."""
    target = _example(tmp_path)
    shutil.copyfile(
        str(resources.files("frontdesk.data.scripts") / "default.yaml"), tmp_path / "scripts.yaml"
    )
    practice = load_practice(target)
    assert practice.scripts == default_script_library()


def test_retention_defaults_when_the_section_is_left_out(tmp_path: Path) -> None:
    """A practice file without `retention` keeps content for the documented default days."""
    assert load_practice(_write(tmp_path)).retention == Retention()


def test_retention_loads_as_written(tmp_path: Path) -> None:
    """Each retention period is read in whole days; unnamed ones keep their default."""
    text = PRACTICE + "\nretention:\n  transcripts_days: 30\n  closed_handoffs_days: 365\n"
    loaded = load_practice(_write(tmp_path, text)).retention
    assert loaded == Retention(transcripts_days=30, closed_handoffs_days=365)


@pytest.mark.parametrize("value", ["0", "3651", "ninety", "1.5", "true"])
def test_a_retention_period_out_of_range_is_refused(tmp_path: Path, value: str) -> None:
    """A period that is not a whole number of days from 1 to 3650 names its field and line."""
    text = PRACTICE + f"\nretention:\n  inbound_texts_days: {value}\n"
    with pytest.raises(PracticeFileError, match="inbound_texts_days") as caught:
        load_practice(_write(tmp_path, text))
    assert caught.value.line == _line_of(text, "inbound_texts_days")
