"""The default script library: complete, unreviewed, crisis wording whole and resourced."""

from __future__ import annotations

import pytest
from tests.unit.conversation.engine_fakes import practice

from frontdesk.adapters.script_file import default_script_library
from frontdesk.conversation.lines import (
    ADD_MISSING_COMMAND,
    READ_WHOLE_LINES,
    REQUIRED_LINES,
    WHOLE_LINES,
    Line,
    closest_line,
    describe_unknown,
    missing_engine_lines,
    require_engine_lines,
    unknown_lines,
)
from frontdesk.conversation.script import Say, ScriptLibrary, ScriptLine
from frontdesk.domain.errors import ScriptError

VALUES = {
    "practice": "Example",
    "emergency_number": "911",
    "lifeline_number": "988",
    "lifeline_chat": "988lifeline.org",
    "veterans_option": "1",
}


def test_the_default_library_has_every_line_the_engine_can_speak() -> None:
    """Every id in REQUIRED_LINES is present, so bootstrap accepts the defaults."""
    default_script_library().require(REQUIRED_LINES)


def test_the_default_library_ships_marked_for_review() -> None:
    """The shipped defaults say they have not been reviewed by the practice."""
    assert default_script_library().reviewed is False


def test_a_library_missing_a_line_is_refused() -> None:
    """A practice library lacking one engine line is refused at start-up."""
    full = default_script_library()
    lines = {k: v for k, v in full.lines.items() if k != Line.CRISIS}
    with pytest.raises(ScriptError, match="crisis"):
        ScriptLibrary(lines=lines).require(REQUIRED_LINES)


def test_the_refusal_of_a_missing_line_names_it_and_the_command_that_adds_it() -> None:
    """One sentence: which lines are missing, and `frontdesk scripts add-missing`."""
    full = default_script_library()
    lines = {k: v for k, v in full.lines.items() if k not in (Line.OFFER_CLOSEST, Line.NOTED)}
    with pytest.raises(ScriptError) as refused:
        require_engine_lines(ScriptLibrary(lines=lines))
    message = str(refused.value)
    assert message == (
        "the script library is missing required lines: noted, offer_closest; run "
        f"`{ADD_MISSING_COMMAND}` to append the shipped wording of each for review"
    )
    assert "\n" not in message


def test_lines_the_engine_never_speaks_are_named_not_refused() -> None:
    """An extra id passes the engine check and is reported, with the id it likely meant."""
    full = default_script_library()
    extra = {
        "greting": ScriptLine("greting", "Hi."),
        "weather_small_talk": ScriptLine("weather_small_talk", "Nice day."),
    }
    library = ScriptLibrary(lines=dict(full.lines) | extra)
    require_engine_lines(library)
    assert unknown_lines(library) == ["greting", "weather_small_talk"]
    assert closest_line("greting") == Line.GREETING
    assert closest_line("offer_closet") == Line.OFFER_CLOSEST
    assert closest_line("weather_small_talk") is None
    assert describe_unknown(unknown_lines(library)) == (
        "the script library has lines this version never speaks, ignored: "
        "greting (did you mean greeting?), weather_small_talk; remove or rename them"
    )


def test_missing_and_unknown_are_empty_for_the_default_library() -> None:
    """The shipped library lacks no line and holds none the engine does not speak."""
    assert missing_engine_lines(default_script_library()) == []
    assert unknown_lines(default_script_library()) == []


@pytest.mark.parametrize("line_id", sorted(READ_WHOLE_LINES))
def test_a_library_letting_crisis_wording_or_the_direct_question_be_cut_short_is_refused(
    line_id: str,
) -> None:
    """Each line that must be read whole is refused at start-up when it is not marked whole."""
    full = default_script_library()
    lines = dict(full.lines) | {line_id: ScriptLine(line_id, full.line(line_id).text)}
    with pytest.raises(ScriptError, match=line_id):
        require_engine_lines(ScriptLibrary(lines=lines))


def test_the_default_library_passes_the_engine_check() -> None:
    """The shipped defaults have every line and read the crisis wording and question whole."""
    require_engine_lines(default_script_library())


@pytest.mark.parametrize("line_id", sorted(WHOLE_LINES))
def test_crisis_and_emergency_lines_are_whole_and_carry_every_resource(line_id: str) -> None:
    """Crisis wording is read whole and names 911, 988 by call or text, the chat, veterans."""
    library = default_script_library()
    assert library.line(line_id).whole
    text = library.render(Say.of(line_id, **VALUES))
    for resource in ("911", "988", "988lifeline.org", "press 1"):
        assert resource in text
    assert "call or text 988" in text


def test_rendering_fails_loudly_on_a_missing_placeholder() -> None:
    """A line rendered without one of its values raises instead of speaking a gap."""
    with pytest.raises(ScriptError, match="lifeline_number"):
        default_script_library().render(Say.of(Line.CRISIS.value, emergency_number="911"))


def test_the_example_practice_library_says_it_is_automated() -> None:
    """The greeting and the "are you a robot" answer both say it is an automated assistant."""
    library = practice().scripts
    for line_id in (Line.GREETING, Line.GREETING_AFTER_HOURS, Line.ANSWER_AUTOMATED):
        assert "automated assistant" in library.line(line_id).text


EDGE_LINES = (
    Line.VOICEMAIL_PROMPT,
    Line.VOICEMAIL_THANKS,
    Line.TIMEOUT_PROMPT,
    Line.FALLBACK_PROMPT,
    Line.TRANSFER_MISSED,
    Line.MISSED_CALL_TEXT,
    Line.SMS_RECEIVED,
    Line.SMS_UNAVAILABLE,
    Line.SMS_HELP,
    Line.ASK_EMAIL,
    Line.READBACK_EMAIL,
    Line.REMINDER_APPOINTMENT,
    Line.REMINDER_FIRST_SESSION_TELEHEALTH,
    Line.REMINDER_FIRST_SESSION_IN_PERSON,
)


@pytest.mark.parametrize("line_id", EDGE_LINES)
def test_a_library_missing_an_edge_text_or_reminder_line_is_refused(line_id: Line) -> None:
    """Lines spoken or texted around the engine are required too: no stand-in is used."""
    full = default_script_library()
    lines = {k: v for k, v in full.lines.items() if k != line_id}
    with pytest.raises(ScriptError, match=line_id.value):
        ScriptLibrary(lines=lines).require(REQUIRED_LINES)


def test_texted_lines_say_how_to_stop_or_where_to_get_help() -> None:
    """The missed-call and HELP texts offer STOP; the received reply names the emergency number."""
    library = default_script_library()
    assert "Reply STOP" in library.line(Line.MISSED_CALL_TEXT).text
    assert "Reply STOP" in library.line(Line.SMS_HELP).text
    assert "emergency_number" in library.line(Line.SMS_RECEIVED).placeholders
    assert "emergency_number" in library.line(Line.SMS_UNAVAILABLE).placeholders
