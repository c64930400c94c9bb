"""The learned safety net: a small linear model beside the rules that can only raise a route.

The model is a logistic regression over the normalised words of an utterance, its word
pairs and the character 3- to 5-grams of each word, trained by `tools/train_safety_net.py`
from the shared public data and shipped as `data/net.json` (format described in the README,
"The learned safety net"). Inference is plain Python: each word's weight (its own and that
of its character n-grams) is computed once and cached, so an utterance costs a few dictionary
look-ups per word. Long text is scored in windows of at most `window` characters that
overlap by about a quarter, and the highest window counts: the cost stays linear in the
input and a risk sentence buried in a long message is not diluted by the rest.

Loading checks the file (format, version, recipe, thresholds, checksum): a missing or broken
file raises `LexiconError` with a clear message, it never scores anything.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Final

from frontdesk.domain.calls import Route
from frontdesk.domain.errors import LexiconError

from .lexicon import Lexicon
from .verdict import Category, Experiencer, Match, Modifier, Verdict

NET_FILE: Final = "net.json"
RAISE_RULE: Final = "net.risk"
ASK_RULE: Final = "net.ask"
FORMAT: Final = "frontdesk-safety-net/1"
_WORD: Final = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")
_PLAIN_WORD: Final = re.compile(r"[a-z0-9]+")
# Each byte that `_PLAIN_WORD` does not match, as a space.
_SPACED: Final = bytes(
    byte if _PLAIN_WORD.fullmatch(chr(byte)) else ord(" ") for byte in range(256)
)
_REPEAT: Final = re.compile(r"([a-z])\1{2,}")
_CACHE_LIMIT: Final = 50_000
_RECIPE_KEYS: Final = frozenset({"char_ngrams", "window", "scale"})
_SCALES: Final = frozenset({"none", "sqrt"})


def _fail(message: str) -> LexiconError:
    return LexiconError(f"safety net {NET_FILE}: {message}")


def raw_words(text: str) -> list[str]:
    """Lower-case words of `text` with apostrophes dropped ("Can't" → "cant").

    The runs of `_PLAIN_WORD` characters, found as a table over bytes turns every other one
    (each character outside ASCII first becomes one) to a space and a split: several times
    cheaper than the expression's search, for the same words. Two plain replacements drop
    the apostrophes: a deleting `str.translate` looks up every character in turn.
    """
    lowered = text.lower().replace("'", "").replace("’", "")
    return lowered.encode("ascii", "replace").translate(_SPACED).decode("ascii").split()


def canonical(word: str) -> str:
    """A raw word with runs of three or more of one letter cut to two ("sooooo" → "soo")."""
    return _REPEAT.sub(r"\1\1", word)


def words(text: str) -> list[str]:
    """The net's normalised words: lower case, apostrophes dropped, runs of 3+ letters cut to 2."""
    return [canonical(w) for w in raw_words(text)]


def char_ngrams(word: str, sizes: tuple[int, int]) -> Iterator[str]:
    """Character n-grams of `<word>`, of each size from `sizes[0]` to `sizes[1]`."""
    framed = f"<{word}>"
    for n in range(sizes[0], sizes[1] + 1):
        for i in range(len(framed) - n + 1):
            yield "c:" + framed[i : i + n]


def features(tokens: list[str], sizes: tuple[int, int]) -> Iterator[str]:
    """The features of one window's words, as the net counts them: the training script's view.

    Each distinct word gives its own feature and its character n-grams; each distinct pair
    of neighbouring words gives one. Repeating a word or a sentence adds nothing.
    """
    for token in dict.fromkeys(tokens):
        yield "w:" + token
        yield from char_ngrams(token, sizes)
    for a, b in dict.fromkeys(itertools.pairwise(tokens)):
        yield f"b:{a} {b}"


# Context the rules read and the net cannot: it has no notion of scope or time.
_READ_IN_CONTEXT: Final = frozenset(
    {Modifier.NEGATION, Modifier.HISTORICAL, Modifier.HYPOTHETICAL, Modifier.THIRD_PERSON}
)


def unexplained(text: str, verdict: Verdict, lexicon: Lexicon) -> str:
    """`text` with the matches the rules judged blanked out, offsets unchanged.

    A match excused as an idiom, read as negated, past, hypothetical or about someone else,
    or of an `ask` entry (risk the rules already hold possible but not clear) is language
    the rules understood and weighed; the net would only hear the same words again. It
    hears everything else, including plain matches the rules routed low.
    """
    spans = (
        (m.start, m.end)
        for m in verdict.matches
        if m.idiom is not None
        or not _READ_IN_CONTEXT.isdisjoint(m.modifiers)
        or lexicon.entry(m.rule).ask
    )
    return blank(text, spans)


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each character offset span replaced by spaces: offsets stay where they were."""
    pieces: list[str] = []
    done = 0
    for start, end in sorted(spans):
        start = max(start, done)
        if end <= start:
            continue
        pieces.append(text[done:start])
        pieces.append(" " * (end - start))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


@dataclass(frozen=True, slots=True)
class Recipe:
    """How text becomes features, and how long text is windowed and scaled."""

    char_ngrams: tuple[int, int]
    window: int
    scale: str

    def to_dict(self) -> dict[str, object]:
        """Plain data for the weights file."""
        return {"char_ngrams": list(self.char_ngrams), "window": self.window, "scale": self.scale}


@dataclass(frozen=True, slots=True)
class Score:
    """The net's reading of one utterance: its risk probability and the window that gave it."""

    probability: float
    start: int
    end: int


def checksum(recipe: Recipe, bias: float, weights: dict[str, float]) -> str:
    """SHA-256 of the model's canonical JSON (recipe, bias, weights), as the file records it."""
    body = json.dumps(
        {"recipe": recipe.to_dict(), "bias": bias, "weights": weights},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class Net:
    """A loaded safety net: weights, recipe and the two thresholds chosen on dev data.

    `ask` is the probability from which the direct question is asked (`safety_check`),
    `raise_at` the one from which the verdict is lifted to `crisis`.
    """

    __slots__ = (
        "_bigrams",
        "_cache",
        "_canonical",
        "_grams",
        "_sizes",
        "_words",
        "ask",
        "bias",
        "raise_at",
        "recipe",
        "version",
        "weights",
    )

    def __init__(
        self,
        *,
        version: str,
        recipe: Recipe,
        bias: float,
        weights: dict[str, float],
        ask: float,
        raise_at: float,
    ) -> None:
        if not 0.0 < ask <= raise_at < 1.0:
            raise _fail("thresholds must satisfy 0 < ask <= raise < 1")
        self.version = version
        self.recipe = recipe
        self.bias = bias
        self.weights = weights
        self.ask = ask
        self.raise_at = raise_at
        # The table split by kind, keys without their prefix: scoring builds no prefixed keys.
        tables: dict[str, dict[str, float]] = {"w:": {}, "c:": {}}
        bigrams: dict[tuple[str, str], float] = {}
        for feature, weight in weights.items():
            if feature[:2] == "b:":
                first, _, second = feature[2:].partition(" ")
                bigrams[first, second] = weight
            else:
                tables[feature[:2]][feature[2:]] = weight
        self._words, self._grams, self._bigrams = tables["w:"], tables["c:"], bigrams
        self._canonical: dict[str, str] = {}
        low, high = recipe.char_ngrams
        self._sizes = range(low, high + 1)
        self._cache: dict[str, float] = {}

    def _word_weight(self, word: str) -> float:
        """The weight one distinct word adds: its own and its character n-grams'."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        get = self._grams.get
        framed = f"<{word}>"
        total = self._words.get(word, 0.0) + sum(
            get(framed[i : i + n], 0.0) for n in self._sizes for i in range(len(framed) - n + 1)
        )
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = total
        return total

    def logit(self, tokens: list[str]) -> float:
        """The model's log-odds of risk for one window's words (the sum over `features`)."""
        if not tokens:
            return self.bias
        distinct = dict.fromkeys(tokens)
        cached: list[float | None] = list(map(self._cache.get, distinct))
        known = list(map(self._word_weight, distinct)) if None in cached else cached
        total: float = sum(known)  # type: ignore[arg-type]  # no None is left
        pairs = set(itertools.pairwise(tokens))
        total += sum(map(self._bigrams.get, pairs, itertools.repeat(0.0)))
        if self.recipe.scale == "sqrt":
            total /= math.sqrt(len(distinct))
        return self.bias + total

    def _words_of(self, text: str) -> list[str]:
        """`words(text)`, with each raw word's canonical form looked up once and kept."""
        raw = raw_words(text)
        found = list(map(self._canonical.get, raw))
        if None not in found:
            return found  # type: ignore[return-value]  # no None in it
        if len(self._canonical) >= _CACHE_LIMIT:
            self._canonical.clear()
        for word in raw:
            if word not in self._canonical:
                self._canonical[word] = canonical(word)
        return list(map(self._canonical.__getitem__, raw))

    def score(self, text: str) -> Score:
        """The highest-scoring window of `text` (character offsets into it) and its probability."""
        best = -math.inf
        span = (0, 0)
        for start, end in windows(text, self.recipe.window):
            logit = self.logit(self._words_of(text[start:end]))
            if logit > best:
                best, span = logit, (start, end)
        return Score(_sigmoid(best), *_trim(text, *span))


def lift(verdict: Verdict, text: str, net: Net, lexicon: Lexicon) -> Verdict:
    """The rules' verdict, raised by the net where it hears risk they did not; never lowered.

    Below `crisis`, a probability from `net.raise_at` lifts the route to `crisis` (never to
    `emergency`: the net cannot tell when) and one from `net.ask` sets `safety_check`; either
    adds a `net.*` match naming the window and its score. The net scores the text without
    the matches the rules read in context (`unexplained`). A verdict at `crisis` or above, or one
    that failed closed, is returned as it is.
    """
    if verdict.route.is_crisis or verdict.reason is not None:
        return verdict
    found = net.score(unexplained(text, verdict, lexicon))
    if found.probability < net.ask:
        return verdict
    rising = found.probability >= net.raise_at
    route = Route.CRISIS if rising else verdict.route
    match = Match(
        rule=RAISE_RULE if rising else ASK_RULE,
        phrase=text[found.start : found.end],
        start=found.start,
        end=found.end,
        modifiers=(),
        route=route,
        category=Category.LEARNED_RISK,
        base_route=Route.CRISIS,
        score=round(found.probability, 4),
    )
    if not rising:
        return replace(verdict, matches=(*verdict.matches, match), safety_check=True)
    categories = verdict.categories
    if Category.LEARNED_RISK not in categories:
        categories = (*categories, Category.LEARNED_RISK)
    return replace(
        verdict,
        route=Route.CRISIS,
        categories=categories,
        matches=(*verdict.matches, match),
        experiencer=Experiencer.UNKNOWN,
    )


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def windows(text: str, size: int) -> Iterator[tuple[int, int]]:
    """Spans of at most `size` characters covering `text`, each starting about 3/4 `size` on.

    Text of at most `size` characters is one window. A window starts after a space (or at
    the start) and ends at one where it can, so words are not cut in two, and neighbours
    overlap by about `size / 4`: a sentence that short is always seen whole.
    """
    length = len(text)
    if length <= size:
        yield 0, length
        return
    step = size * 3 // 4
    start = 0
    while True:
        end = min(start + size, length)
        if end < length:
            cut = text.rfind(" ", start + step, end)
            end = cut if cut > start else end
        yield start, end
        if end >= length:
            return
        nominal = start + step
        cut = text.find(" ", nominal, end)
        start = cut + 1 if cut >= 0 else nominal


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span narrowed to its first and last word (unchanged when it holds none)."""
    piece = text[start:end].lower()
    found = [m.span() for m in _WORD.finditer(piece)]
    if not found or end - start != len(piece):
        return start, end
    return start + found[0][0], start + found[-1][1]


def _number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(f"{field} must be a finite number")
    return float(value)


def _recipe(raw: object) -> Recipe:
    if not isinstance(raw, dict) or set(raw) != _RECIPE_KEYS:
        raise _fail(f"recipe must have exactly the keys {sorted(_RECIPE_KEYS)}")
    sizes = raw["char_ngrams"]
    if (
        not isinstance(sizes, list)
        or len(sizes) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in sizes)
        or not 1 <= sizes[0] <= sizes[1] <= 8
    ):
        raise _fail("recipe.char_ngrams must be [low, high] with 1 <= low <= high <= 8")
    window = raw["window"]
    if not isinstance(window, int) or isinstance(window, bool) or window < 64:
        raise _fail("recipe.window must be an integer of at least 64 characters")
    scale = raw["scale"]
    if scale not in _SCALES:
        raise _fail(f"recipe.scale must be one of {sorted(_SCALES)}")
    return Recipe(char_ngrams=(sizes[0], sizes[1]), window=window, scale=str(scale))


def parse_net(source: str) -> Net:
    """Build a `Net` from the weights file's text; any defect raises `LexiconError`."""
    try:
        raw: Any = json.loads(source)
    except ValueError as exc:
        raise _fail(f"is not valid JSON (line {getattr(exc, 'lineno', '?')})") from None
    if not isinstance(raw, dict):
        raise _fail("must hold a JSON object")
    if raw.get("format") != FORMAT:
        raise _fail(f"format must be {FORMAT!r}")
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        raise _fail("version must be a non-empty string")
    recipe = _recipe(raw.get("recipe"))
    bias = _number(raw.get("bias"), "bias")
    thresholds = raw.get("thresholds")
    if not isinstance(thresholds, dict) or set(thresholds) != {"ask", "raise"}:
        raise _fail("thresholds must have exactly the keys 'ask' and 'raise'")
    ask = _number(thresholds["ask"], "thresholds.ask")
    raise_at = _number(thresholds["raise"], "thresholds.raise")
    table = raw.get("weights")
    if not isinstance(table, dict) or not table:
        raise _fail("weights must be a non-empty object of feature to number")
    weights = {str(k): _number(v, "each weight") for k, v in table.items()}
    if not all(k[:2] in ("w:", "b:", "c:") and len(k) > 2 for k in weights):
        raise _fail("every feature must be 'w:', 'b:' or 'c:' and its text")
    if raw.get("checksum") != checksum(recipe, bias, weights):
        raise _fail("checksum does not match its weights (the file is damaged or was edited)")
    return Net(
        version=version, recipe=recipe, bias=bias, weights=weights, ask=ask, raise_at=raise_at
    )


def load_net(path: Path) -> Net:
    """Load a safety net from a weights file (e.g. one just trained)."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        raise _fail(f"cannot be read from {path.parent}") from None
    return parse_net(source)


def _read_shipped() -> str:
    return resources.files(__package__).joinpath("data").joinpath(NET_FILE).read_text("utf-8")


@functools.cache
def _outcome(read: Callable[[], str]) -> Net | LexiconError:
    try:
        return parse_net(read())
    except LexiconError as exc:
        return exc
    except Exception as exc:  # a missing or unreadable packaged file
        return _fail(f"cannot be loaded ({type(exc).__name__})")


def default_net() -> Net:
    """The net shipped with Frontdesk, loaded once; a broken file raises `LexiconError`."""
    outcome = _outcome(_read_shipped)
    if isinstance(outcome, LexiconError):
        raise LexiconError(str(outcome)) from outcome
    return outcome
