"""A keyword baseline for the safety screen, read from `baseline.toml`.

Any listed word anywhere in a text routes it (the first route in the file's order wins);
an `ask` word on a text it does not escalate sets `safety_check`. It answers every route
the screen's targets count, so it is a fair comparator on each of them.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from frontdesk.domain.calls import Route
from frontdesk.domain.errors import DatasetError

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class KeywordBaseline:
    """Word lists by route, in precedence order, and the words that ask the question."""

    version: str
    routes: tuple[tuple[Route, frozenset[str]], ...]
    ask: frozenset[str]

    def judge(self, text: str) -> tuple[Route, bool]:
        """The route this baseline gives `text`, and whether it would ask the question."""
        words = set(_WORD.findall(text.lower()))
        for route, listed in self.routes:
            if not words.isdisjoint(listed):
                return route, False
        return Route.ROUTINE, not words.isdisjoint(self.ask)

    def words(self, route: Route) -> frozenset[str]:
        """The words that give `route` (empty for a route the baseline never gives)."""
        return next((listed for r, listed in self.routes if r is route), frozenset())


def _word_list(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DatasetError(f"baseline.toml: `{where}` must be a list of words")
    return frozenset(value)


def parse_baseline(text: str) -> KeywordBaseline:
    """Build a baseline from the text of a `baseline.toml` (a `DatasetError` if malformed)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError(f"baseline.toml: not valid TOML ({exc})") from exc
    routes = data.get("routes", {})
    order = data.get("order", [])
    if not isinstance(routes, dict) or not isinstance(order, list) or set(order) != set(routes):
        raise DatasetError("baseline.toml: `order` must name each table of `[routes]` once")
    try:
        ordered = tuple((Route(name), _word_list(routes[name], name)) for name in order)
    except ValueError as exc:
        raise DatasetError("baseline.toml: a route name is not a known route") from exc
    ask = data.get("ask", {})
    words = ask.get("words", []) if isinstance(ask, dict) else None
    return KeywordBaseline(str(data.get("version", "")), ordered, _word_list(words, "ask.words"))


@functools.cache
def keyword_baseline() -> KeywordBaseline:
    """The baseline shipped with Frontdesk."""
    text = resources.files(__package__).joinpath("baseline.toml").read_text(encoding="utf-8")
    return parse_baseline(text)
