"""The learned safety net: its weights file, its scoring, and that it only ever raises a route."""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.conversation.safety import Category, default_lexicon, screen
from frontdesk.conversation.safety.net import (
    ASK_RULE,
    FORMAT,
    RAISE_RULE,
    Net,
    Recipe,
    Score,
    checksum,
    default_net,
    features,
    load_net,
    parse_net,
    raw_words,
    unexplained,
    windows,
    words,
)
from frontdesk.conversation.safety.screen import screen_rules
from frontdesk.domain.calls import Route
from frontdesk.domain.errors import LexiconError

RECIPE = Recipe(char_ngrams=(3, 5), window=200, scale="sqrt")
DEV = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "diasafety_risk_dev.tsv"


def toy_net(weights: dict[str, float], *, bias: float = -4.0) -> Net:
    """A net that hears only the given features: enough to drive every branch of `lift`."""
    return Net(
        version="toy",
        recipe=RECIPE,
        bias=bias,
        weights=weights,
        ask=0.3,
        raise_at=0.8,
    )


# "lighthouse" lifts an utterance to crisis, "lantern" only asks the direct question.
TOY = toy_net({"w:lighthouse": 40.0, "w:lantern": 10.0})


def weights_file(**changes: object) -> str:
    """The text of a valid weights file, with some top-level fields replaced."""
    weights = {"w:lighthouse": 1.5, "c:<li": -0.25}
    body: dict[str, object] = {
        "format": FORMAT,
        "version": "test.1",
        "recipe": RECIPE.to_dict(),
        "thresholds": {"ask": 0.4, "raise": 0.9},
        "bias": -1.0,
        "checksum": checksum(RECIPE, -1.0, weights),
        "weights": weights,
    }
    body.update(changes)
    return json.dumps(body)


def test_the_shipped_net_loads_with_ordered_thresholds() -> None:
    """The packaged weights file validates, and asking starts below raising."""
    net = default_net()
    assert 0.0 < net.ask <= net.raise_at < 1.0
    assert net.version
    assert len(net.weights) > 1000


def test_a_valid_file_parses() -> None:
    """A well-formed weights file gives a net with its thresholds and weights."""
    net = parse_net(weights_file())
    assert (net.ask, net.raise_at) == (0.4, 0.9)
    assert net.weights["w:lighthouse"] == 1.5


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
        (weights_file(format="other/1"), "format"),
        (weights_file(version=""), "version"),
        (weights_file(recipe={"window": 100}), "recipe"),
        (weights_file(thresholds={"ask": 0.9, "raise": 0.4}), "thresholds"),
        (weights_file(thresholds={"ask": 0.4}), "thresholds"),
        (weights_file(bias="high"), "bias"),
        (weights_file(weights={}), "weights"),
        (weights_file(weights={"w:lighthouse": 2.5, "c:<li": -0.25}), "checksum"),
        (weights_file(checksum="0" * 64), "checksum"),
    ],
)
def test_a_broken_file_is_a_configuration_error(source: str, complaint: str) -> None:
    """Every defect in the weights file raises `LexiconError` naming the file and the field."""
    with pytest.raises(LexiconError, match=complaint) as raised:
        parse_net(source)
    assert "net.json" in str(raised.value)


def test_a_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    """A weights file that cannot be read raises `LexiconError`, not a bare OS error."""
    with pytest.raises(LexiconError, match="cannot be read"):
        load_net(tmp_path / "net.json")


def test_a_written_file_loads_back(tmp_path: Path) -> None:
    """`load_net` reads what `parse_net` accepts."""
    path = tmp_path / "net.json"
    path.write_text(weights_file(), encoding="utf-8")
    assert load_net(path).weights == parse_net(weights_file()).weights


@given(st.lists(st.sampled_from(["i", "want", "to", "lighthouse", "die", "die's", "aaaah"])))
def test_logit_is_the_sum_of_the_features_it_was_trained_on(tokens: list[str]) -> None:
    """Inference adds exactly the weights of `features` (the training script's view), scaled."""
    net = toy_net({"w:die": 1.0, "c:<li": 0.5, "b:want to": -0.75, "c:ie>": 0.25}, bias=0.0)
    expected = sum(net.weights.get(f, 0.0) for f in features(tokens, RECIPE.char_ngrams))
    if tokens:
        expected /= math.sqrt(len(set(tokens)))
    assert net.logit(tokens) == pytest.approx(expected)


def test_words_are_normalised_like_speech() -> None:
    """Case, apostrophes and drawn-out letters do not change the words the net hears."""
    assert words("I CAN'T do thiiiis anymore") == ["i", "cant", "do", "thiis", "anymore"]


@given(
    st.text(alphabet=st.characters(), max_size=60) | st.text("aZ9'’ -.é\u0130\u00df", max_size=60)
)
@settings(max_examples=300, deadline=None)
def test_raw_words_are_the_runs_of_plain_letters_and_digits(text: str) -> None:
    """Words are the lower-cased runs of a-z and 0-9 once apostrophes go, whatever else the
    text holds (accents, other scripts, letters that lower-case to two)."""
    plain = text.lower().replace("'", "").replace("’", "")
    assert raw_words(text) == re.findall(r"[a-z0-9]+", plain)


def test_repeating_a_sentence_does_not_change_its_score() -> None:
    """The net counts each feature once per window, so repetition cannot build up a score."""
    once = TOY.score("the lantern is lit")
    many = TOY.score("the lantern is lit. " * 8)
    assert many.probability == pytest.approx(once.probability)


def test_a_high_score_lifts_a_routine_verdict_to_crisis() -> None:
    """Over the raise threshold a routine verdict becomes `crisis`, with an auditable match."""
    text = "can I book for Tuesday, I keep thinking about the lighthouse"
    verdict = screen(text, net=TOY)
    assert verdict.route is Route.CRISIS
    assert Category.LEARNED_RISK in verdict.categories
    match = verdict.matches[-1]
    assert match.rule == RAISE_RULE
    assert match.route is Route.CRISIS
    assert match.score is not None
    assert match.score >= TOY.raise_at
    assert match.phrase == text[match.start : match.end]
    assert verdict.to_dict()["matches"][-1]["score"] == match.score  # type: ignore[index]


def test_a_middle_score_asks_the_direct_question() -> None:
    """Between the thresholds the route stays and `safety_check` is set, with a `net.ask` match."""
    verdict = screen("I keep looking at the lantern", net=TOY)
    assert verdict.route is Route.ROUTINE
    assert verdict.safety_check is True
    assert verdict.matches[-1].rule == ASK_RULE
    assert Category.LEARNED_RISK not in verdict.categories


def test_a_low_score_changes_nothing() -> None:
    """Below the ask threshold the rules' verdict is returned unchanged."""
    text = "I'd like to book for Tuesday"
    assert screen(text, net=TOY) == screen_rules(text)


def test_the_net_never_makes_an_emergency() -> None:
    """The net cannot tell when, so the most it raises to is `crisis`."""
    assert screen("lighthouse lighthouse", net=TOY).route is Route.CRISIS


def test_a_crisis_verdict_is_left_as_the_rules_made_it() -> None:
    """At `crisis` or above the net is not consulted: the rules' matches and experiencer stand."""
    text = "I want to die, the lighthouse"
    assert screen(text, net=TOY) == screen_rules(text)


def test_what_the_rules_excused_is_not_heard_again() -> None:
    """A negated or idiomatic match is blanked for the net; the words around it still count."""
    net = toy_net({"w:suicidal": 40.0, "w:killing": 40.0, "w:lighthouse": 40.0})
    for text in ("I'm not suicidal, just lonely", "this traffic is killing me"):
        assert screen(text, net=net) == screen_rules(text)
    raised = screen("I'm not suicidal but the lighthouse calls me", net=net)
    assert raised.route is Route.CRISIS


def test_unexplained_text_keeps_its_offsets() -> None:
    """Blanking matched spans keeps every other character where it was."""
    text = "I'm not suicidal, just lonely"
    heard = unexplained(text, screen_rules(text), default_lexicon())
    assert len(heard) == len(text)
    assert "suicidal" not in heard
    assert heard.endswith("just lonely")


def test_a_risk_sentence_deep_in_long_text_is_found() -> None:
    """Windows keep a short risk sentence from being diluted by 100 KB of routine text."""
    text = "I'd like to book for Tuesday. " * 3400 + "the lighthouse again"
    verdict = screen(text, net=TOY)
    assert verdict.route is Route.CRISIS
    match = verdict.matches[-1]
    assert "lighthouse" in match.phrase
    assert match.end - match.start <= RECIPE.window


@given(st.text(alphabet=st.sampled_from("ab  .\n"), max_size=2000), st.integers(64, 300))
def test_windows_cover_the_text_in_bounded_overlapping_pieces(text: str, size: int) -> None:
    """Every character lies in a window, no window is longer than `size`, and they advance."""
    spans = list(windows(text, size))
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    for (start, end), (later, _) in itertools.pairwise(spans):
        assert end - start <= size
        assert start < later <= end
    assert len(spans) <= 2 * len(text) / size + 2


class _BrokenNet(Net):
    """A net whose scoring fails, to show the screen still fails closed."""

    def score(self, text: str) -> Score:
        raise RuntimeError("boom")


def test_a_failing_net_fails_closed() -> None:
    """If the net raises while scoring, the screen escalates to `crisis` as for any fault."""
    broken = _BrokenNet(version="x", recipe=RECIPE, bias=0.0, weights={}, ask=0.5, raise_at=0.5)
    verdict = screen("I'd like to book for Tuesday", net=broken)
    assert verdict.route is Route.CRISIS
    assert verdict.reason == "screen_error"


def _never_lower(text: str) -> None:
    rules = screen_rules(text)
    verdict = screen(text)
    assert verdict.route.severity >= rules.route.severity
    assert verdict.safety_check or not rules.safety_check
    assert verdict.matches[: len(rules.matches)] == rules.matches
    if verdict.route is not rules.route:
        assert verdict.route is Route.CRISIS


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_shipped_net_never_lowers_a_route_on_any_text(text: str) -> None:
    """On arbitrary text the screen's route is at least the rules' and at most lifted to crisis."""
    _never_lower(text)


PHRASES = st.sampled_from(
    [
        "i",
        "want",
        "to",
        "die",
        "not",
        "kill",
        "myself",
        "never",
        "wake up",
        "tonight",
        "pills",
        "book",
        "tuesday",
        "years ago",
        "lonely",
        "tired",
        "of",
        "everything",
        "sleep",
        ".",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PHRASES, max_size=40).map(" ".join))
def test_the_shipped_net_never_lowers_a_route_on_risk_words(text: str) -> None:
    """On sentences built from risk words the net never lowers a route or clears the question."""
    _never_lower(text)


@pytest.mark.skipif(not DEV.is_file(), reason="the shared dev data set is not present")
def test_the_shipped_net_never_lowers_a_route_on_dev_texts() -> None:
    """On every dev text the net only raises the rules' verdict."""
    for line in DEV.read_text(encoding="utf-8").splitlines():
        _never_lower(line.partition("\t")[2])
