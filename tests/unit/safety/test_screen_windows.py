"""A long text read window by window: the same verdict as one pass, and as before.

The screen reads a text longer than one window one window at a time, carrying each rule's
record, the verdict so far, the readings and the risk spoken from window to window. These
tests compare that pass with one pass over the whole text (every match the same), which is
the reference. Fixed texts are also compared with the way long texts were screened before
(each window screened afresh, the matches joined and bounded per rule). That older path is
no reference for drawn texts: a window screened afresh can begin inside a word ("ot
suicidal") or after a clause's time marker and decide differently from one pass, so drawn
texts are held to the one pass only.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.bench.screen import ADVERSARIAL_PHRASES
from frontdesk.conversation.safety import Verdict, default_lexicon, screen
from frontdesk.conversation.safety.lexicon import Lexicon
from frontdesk.conversation.safety.screen import (
    MATCHES_PER_RULE,
    WINDOW_CHARS,
    WINDOW_OVERLAP,
    _asks,
    _cuts,
    _Pass,
    _RuleRecord,
    _screen,
    _verdict,
)
from frontdesk.conversation.safety.verdict import Match
from frontdesk.domain.calls import Route

DEV = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "diasafety_risk_dev.tsv"

PHRASES = [
    *(phrase.strip() for phrase in ADVERSARIAL_PHRASES.values()),
    "I want to die",
    "I am not suicidal",
    "my son wants to die",
    "I tried to kill myself years ago",
    "this traffic is killing me",
    "he is hitting me right now",
    "should I stop my zoloft",
    "can you send my records",
    "I'd like to book for Tuesday",
    "what if someone wanted to die",
    "I feel hopeless",
    "I just wish it would all go away",
    "I could do it tonight",
    "I am going to do it",
    "I took 30 pills an hour ago",
    "honestly I am not going to kill myself",
    "I would never kill myself but I wish I would die in my sleep",
    "after two years clean I cut myself again last night",
]


def _dev_texts() -> list[str]:
    if not DEV.is_file():
        return []
    rows = (line.split("\t", 1) for line in DEV.read_text(encoding="utf-8").splitlines())
    return [row[1] for row in rows if len(row) == 2 and row[1].strip()]


POOL = PHRASES + _dev_texts()
SEPARATORS = [". ", " ", "\n", "? ", ", "]


def previous_screen(text: str, lexicon: Lexicon, window: int = WINDOW_CHARS) -> Verdict:
    """How a long text was screened before: each window afresh, the matches joined.

    A text up to two windows was read in one pass; a longer one window by window, each
    window screened as a text of its own with `WINDOW_OVERLAP` characters either side, its
    matches starting in what it owns kept, then bounded per rule across windows (keeping,
    as the screen now does, the first match that asks the direct question).
    """
    if len(text) <= 2 * window:
        return _screen(text, lexicon, window=len(text) + 1)
    kept: list[Match] = []
    for own_start, own_end in itertools.pairwise(_cuts(text, window)):
        lo = max(0, own_start - WINDOW_OVERLAP)
        hi = min(len(text), own_end + WINDOW_OVERLAP)
        part = text[lo:hi]
        for match in _screen(part, lexicon, window=len(part) + 1).matches:
            if own_start <= match.start + lo < own_end:
                kept.append(dataclasses.replace(match, start=match.start + lo, end=match.end + lo))
    return _verdict(_bounded(kept, lexicon), lexicon)


def _bounded(matches: list[Match], lexicon: Lexicon) -> list[Match]:
    """Matches in text order; past `MATCHES_PER_RULE` of a rule, those that say something new."""
    records: dict[str, _RuleRecord] = {}
    bounded: list[Match] = []
    asked = False
    for match in matches:
        record = records.setdefault(match.rule, _RuleRecord(match.base_route))
        shown = (match.route, match.experiencer)
        asks = match.idiom is None and _asks(match, lexicon)
        if record.count >= MATCHES_PER_RULE and (
            match.idiom is not None
            or ((asked or not asks) and match.route.severity < record.best.severity)
            or ((asked or not asks) and shown in record.seen)
        ):
            continue
        asked = asked or asks
        if match.idiom is None:
            record.seen.add(shown)
            if match.route.severity > record.best.severity:
                record.best = match.route
        record.count += 1
        bounded.append(match)
    return bounded


def _decision(verdict: Verdict) -> tuple[object, ...]:
    return (verdict.route, set(verdict.categories), verdict.experiencer, verdict.safety_check)


def _build(parts: list[str], separators: list[str], size: int) -> str:
    """`parts` joined by `separators` in turn, repeated until the text holds `size` characters."""
    pieces: list[str] = []
    total = 0
    for part, separator in zip(itertools.cycle(parts), itertools.cycle(separators), strict=False):
        pieces.append(part + separator)
        total += len(part) + len(separator)
        if total >= size:
            break
    return "".join(pieces)[:size]


SMALL_WINDOW = 4 * WINDOW_OVERLAP

texts = st.builds(
    _build,
    st.lists(st.sampled_from(POOL), min_size=1, max_size=40),
    st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=3),
    st.integers(min_value=SMALL_WINDOW, max_value=12 * SMALL_WINDOW),
)


# Few phrases, so rules reach their bound early and are dropped from later windows' scans:
# risk at every route, risk "it" refers back to (in both languages), negations and idioms.
RISKY = [
    "I want to kill myself and I could do it tonight",
    "quiero matarme y voy a hacerlo hoy",
    "me quiero matar, lo voy a hacer",
    "I took 30 pills an hour ago",
    "he is hitting me right now",
    "my son took pills right now",
    "I am not suicidal",
    "this traffic is killing me",
    "I just wish it would all go away",
    "I used to cut myself",
    "should I stop my zoloft",
    "I could do it",
    "I used to feel hopeless",
    "I feel hopeless",
]

repetitive = st.builds(
    _build,
    st.lists(st.sampled_from(RISKY), min_size=1, max_size=6),
    st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=2),
    st.integers(min_value=SMALL_WINDOW, max_value=12 * SMALL_WINDOW),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts | repetitive)
def test_windows_read_a_text_as_one_pass_does(text: str) -> None:
    """Small windows give every match of one pass over the text, and the same verdict."""
    lexicon = default_lexicon()
    windowed = _screen(text, lexicon, window=SMALL_WINDOW)
    whole = _screen(text, lexicon, window=len(text) + 1)
    assert windowed.matches == whole.matches
    assert _decision(windowed) == _decision(whole)


@pytest.mark.parametrize("seed", range(4))
def test_full_size_windows_decide_as_before_and_as_one_pass(seed: int) -> None:
    """At the shipped window size, a mixed text of several windows decides as before."""
    lexicon = default_lexicon()
    parts = POOL[seed :: 4 + seed]
    text = _build(parts, SEPARATORS[seed:] + SEPARATORS[:seed], 3 * WINDOW_CHARS + 5_000 * seed)
    windowed = _screen(text, lexicon)
    assert len(_cuts(text)) > 3
    assert _decision(windowed) == _decision(previous_screen(text, lexicon))
    assert windowed.matches == _screen(text, lexicon, window=len(text) + 1).matches


def test_every_text_over_one_window_is_read_in_windows() -> None:
    """A text just over one window is cut, so every long size takes the same path."""
    text = ("I am not suicidal. " * (WINDOW_CHARS // 10))[: WINDOW_CHARS + 10]
    assert len(_cuts(text)) == 3
    assert len(_cuts(text[:WINDOW_CHARS])) == 2


def test_do_it_after_a_cut_refers_to_risk_said_before_it() -> None:
    """ "do it tonight" just after a cut points back to risk said just before it."""
    filler = "please book me for tuesday at noon. "
    risk = "I want to kill myself and I "
    # "could" starts just before the window's end, and the cut may fall only in the last
    # four characters, so it falls at its start.
    lead = (filler * SMALL_WINDOW)[: SMALL_WINDOW - 3 - len(risk) - 1] + " "
    text = lead + risk + "could do it tonight. " + filler * 200
    cut = _cuts(text, SMALL_WINDOW, search=4)[1]
    assert text[cut:].startswith("could do it")
    lexicon = default_lexicon()
    windowed = _screen(text, lexicon, window=SMALL_WINDOW, search=4)
    whole = _screen(text, lexicon, window=len(text) + 1)
    assert windowed.route is Route.EMERGENCY
    assert windowed.matches == whole.matches
    assert [m.start for m in windowed.matches if m.rule == "si.act_referred"] == [cut]


def _pass(text: str, window: int) -> _Pass:
    state = _Pass(text, default_lexicon())
    for own_start, own_end in itertools.pairwise(_cuts(text, window)):
        state.window(own_start, own_end)
    return state


def test_settled_rules_are_left_out_of_later_scans_without_changing_a_match() -> None:
    """Rules that can change nothing are dropped; the matches are those of one pass."""
    lexicon = default_lexicon()
    ids = {entry.id: key for key, entry in enumerate(lexicon.entries)}
    text = _build(["he is hitting me right now", "I took 30 pills an hour ago"], [". "], 40_000)
    state = _pass(text, SMALL_WINDOW)
    assert state.top is Route.EMERGENCY
    assert ids["av.being_hurt"] in state.dropped
    # Overdose risk marks where "do it" may point back to while a `refers` rule is live.
    assert ids["si.attempt_compose"] not in state.dropped
    assert state.matches == _pass(text, len(text) + 1).matches


def test_risk_rules_are_dropped_once_every_rule_that_refers_to_them_is_settled() -> None:
    """Once "do it", "hacerlo" and every other pointing back are settled, the risk they point
    back to is dropped too."""
    lexicon = default_lexicon()
    ids = {entry.id: key for key, entry in enumerate(lexicon.entries)}
    parts = [
        "I want to kill myself and I could do it tonight",
        "quiero matarme y voy a hacerlo hoy",
        "I want to kill myself, I'm going off the bridge",
        "I want to kill myself, I'm on the ledge for good",
        "I want to kill myself and then hurt him",
    ]
    text = _build(parts, [". "], 40_000)
    state = _pass(text, SMALL_WINDOW)
    refers = {key for key, entry in enumerate(lexicon.entries) if entry.refers}
    assert {ids["si.act_referred"], ids["es.act_referred"], ids["si.kill_self"]} <= state.dropped
    assert refers <= state.dropped
    assert state.matches == _pass(text, len(text) + 1).matches


def test_the_screen_reads_long_text_in_windows() -> None:
    """The public screen gives the windowed pass's verdict for a long text."""
    text = _build(PHRASES, SEPARATORS, 2 * WINDOW_CHARS + 100)
    assert _decision(screen(text)) == _decision(_screen(text, default_lexicon()))


# A text the property tests above once drew: English "used to" before Spanish intent for today.
HISTORY_THEN_INTENT = [
    "I used to feel hopeless",
    "me quiero matar, lo voy a hacer",
    "quiero matarme y voy a hacerlo hoy",
    "quiero matarme y voy a hacerlo hoy",
    "I used to feel hopeless",
]


def test_a_drawn_text_of_history_then_intent_reads_in_windows_as_in_one_pass() -> None:
    """The windows read every match of this text as one pass does, whatever the windows' size."""
    lexicon = default_lexicon()
    text = _build(HISTORY_THEN_INTENT, [", "], 9_594)
    whole = _screen(text, lexicon, window=len(text) + 1)
    for window in (SMALL_WINDOW, 2 * SMALL_WINDOW, WINDOW_CHARS):
        windowed = _screen(text, lexicon, window=window)
        assert windowed.matches == whole.matches
        assert _decision(windowed) == _decision(whole)


def test_a_drawn_text_of_history_then_intent_is_an_emergency() -> None:
    """Intent for today ('voy a hacerlo hoy') after a past feeling is an emergency, in one pass,
    in windows and in the windows screened afresh (which escalated it only because a window's
    overlap began after the 'used to' that the one pass reads as scoping over it)."""
    lexicon = default_lexicon()
    assert screen("I used to feel hopeless, quiero matarme y voy a hacerlo hoy").route is (
        Route.EMERGENCY
    )
    text = _build(HISTORY_THEN_INTENT, [", "], 9_594)
    windowed = _screen(text, lexicon, window=SMALL_WINDOW)
    assert windowed.route is Route.EMERGENCY
    assert _decision(windowed) == _decision(previous_screen(text, lexicon, SMALL_WINDOW))


# A text the property tests above once drew: an idiom ending in "me", then Spanish intent.
IDIOM_THEN_INTENT = [
    "this traffic is killing me",
    "me quiero matar, lo voy a hacer",
    "he is hitting me right now",
    "this traffic is killing me",
]


def test_a_drawn_text_of_an_idiom_then_intent_decides_as_before() -> None:
    """'killing me me quiero matar' reads as one 'me' shared by the idiom and the intent: the
    intent is no part of the idiom, in one pass, in windows and in windows screened afresh."""
    lexicon = default_lexicon()
    assert screen("this traffic is killing me me quiero matar").route is Route.CRISIS
    text = _build(IDIOM_THEN_INTENT, [" ", ". "], 12_289)
    windowed = _screen(text, lexicon, window=SMALL_WINDOW)
    assert windowed.matches == _screen(text, lexicon, window=len(text) + 1).matches
    assert _decision(windowed) == _decision(previous_screen(text, lexicon, SMALL_WINDOW))


# A text the property tests above drew once the overlap grew to 1.5 KB: a window screened
# afresh began inside "not" ("ot suicidal this traffic ..."), so the previous path read an
# undenied "suicidal" in its overlap and took a later "I could do it" as pointing back to it.
NEGATION_CUT = [
    "I am not suicidal",
    "this traffic is killing me",
    "I just wish it would all go away",
    "I could do it",
]


def test_a_drawn_text_whose_window_began_inside_not_reads_as_one_pass() -> None:
    """The windows read this text as one pass does: every 'suicidal' is denied, so 'I could
    do it' points back to no risk and the verdict asks; the previous path's fresh window,
    cut inside 'not', escalated it."""
    lexicon = default_lexicon()
    text = _build(NEGATION_CUT, [" "], 12_289)
    whole = _screen(text, lexicon, window=len(text) + 1)
    for window in (SMALL_WINDOW, 2 * SMALL_WINDOW, WINDOW_CHARS):
        windowed = _screen(text, lexicon, window=window)
        assert windowed.matches == whole.matches
        assert _decision(windowed) == _decision(whole)
    assert whole.route is Route.SENSITIVE
    assert whole.safety_check


@pytest.mark.parametrize("phrase", [*ADVERSARIAL_PHRASES.values(), "I want to die.\n" * 3])
def test_a_repeated_phrase_is_cut_into_windows_of_the_same_text(phrase: str) -> None:
    """Every cut after the first falls at the same point of the phrase."""
    text = (phrase * (6 * WINDOW_CHARS // len(phrase)))[: 6 * WINDOW_CHARS]
    cuts = _cuts(text)
    inner = {
        text[start - WINDOW_OVERLAP : end + WINDOW_OVERLAP]
        for start, end in itertools.pairwise(cuts[1:-1])
        if end + WINDOW_OVERLAP <= len(text)
    }
    assert len(cuts) > 6
    assert len(inner) == 1
    assert all(0 < b - a <= WINDOW_CHARS for a, b in itertools.pairwise(cuts))


def test_cuts_fall_after_a_space_and_at_full_length_without_one() -> None:
    """A cut never splits a word; a text with no space is cut at the window's length."""
    text = " ".join(f"word{i}" for i in range(40_000))
    assert all(text[cut - 1] == " " for cut in _cuts(text)[1:-1])
    unbroken = "x" * (3 * WINDOW_CHARS)
    assert _cuts(unbroken) == [0, WINDOW_CHARS, 2 * WINDOW_CHARS, 3 * WINDOW_CHARS]


@pytest.mark.parametrize(
    "parts",
    [
        ["my son took pills right now not"],
        ["i used to cut myself", "what if he shot my dad?", "the knife is in my hand"],
        ["I want to kill myself and I could do it tonight", "this traffic is killing me"],
        ["please book me for tuesday at noon"],
    ],
)
def test_a_window_read_before_from_the_same_state_is_not_read_again(
    parts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeated text is tokenised a few times, not once a window; the matches are one pass's."""
    lexicon = default_lexicon()
    text = _build(parts, [". "], 20 * SMALL_WINDOW)
    calls = 0
    tokens = type(lexicon.normalizer).tokens

    def counting(self: object, piece: str) -> object:
        nonlocal calls
        calls += 1
        return tokens(self, piece)  # type: ignore[arg-type]

    monkeypatch.setattr(type(lexicon.normalizer), "tokens", counting)
    state = _pass(text, SMALL_WINDOW)
    windows = len(_cuts(text, SMALL_WINDOW)) - 1
    assert windows >= 20
    assert calls <= 5
    monkeypatch.undo()
    assert state.matches == _pass(text, len(text) + 1).matches


def test_a_repeated_window_after_new_risk_is_read_again() -> None:
    """Risk said between two floods of one phrase changes the state: the flood is read anew."""
    lexicon = default_lexicon()
    flood = _build(
        ["i used to cut myself", "my son took pills right now"], [". "], 8 * SMALL_WINDOW
    )
    text = flood + " I took 30 pills an hour ago and I could do it again tonight. " + flood
    windowed = _screen(text, lexicon, window=SMALL_WINDOW)
    whole = _screen(text, lexicon, window=len(text) + 1)
    assert windowed.matches == whole.matches
    assert windowed.route is Route.EMERGENCY
