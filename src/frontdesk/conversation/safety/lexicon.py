"""The versioned lexicon: typed loading and validation of the screen's data files.

`data/lexicon.toml` holds the version, the word classes, the constructs entries are
organised by, and the list of entry files; each entry file holds `[[entry]]` tables (`id`,
`route`, `category`, `patterns`, optional `construct`, `cssrs`, `ask`, `refers`, `note`).
`normalize.toml`, `context.toml` and `idioms.toml` configure the other passes.
Everything is compiled once, when the lexicon loads.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from frontdesk.domain.calls import Route
from frontdesk.domain.errors import LexiconError

from .context import ACT_LEVEL, INTENT_FROM_LEVEL, Acuity, Context, Cue, Windows
from .matcher import PatternSet, check
from .normalize import Aside, Join, Normalizer
from .patterns import expand
from .verdict import Category

MANIFEST = "lexicon.toml"
_ENTRY_KEYS = frozenset(
    {"id", "route", "category", "cssrs", "patterns", "note", "construct", "ask", "refers"}
)
_IDIOM_KEYS = frozenset({"id", "reason", "patterns", "antecedent"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon rule: what it flags, where it routes, and the phrases that say it.

    `construct` names the risk construct it belongs to (a key of the manifest's
    `[constructs]`); `ask` marks risk that is possible but not clear: a live match of it sets
    the verdict's `safety_check` unless the route is already a crisis route. `refers` marks
    an entry that names its act only by a pronoun ("do it tonight"): a match of it counts
    only where risk was said shortly before it (`context.Windows.antecedent`).
    """

    id: str
    route: Route
    category: Category
    patterns: tuple[str, ...]
    cssrs_level: int | None = None
    construct: str | None = None
    ask: bool = False
    refers: bool = False

    @property
    def acuity(self) -> Acuity:
        """How a time cue bears on this entry (see `context.Acuity`)."""
        if not self.route.is_crisis:
            return Acuity.NONE
        if self.cssrs_level == ACT_LEVEL:
            return Acuity.ACT
        if self.cssrs_level is not None and self.cssrs_level >= INTENT_FROM_LEVEL:
            return Acuity.INTENT
        if self.cssrs_level is None and self.category is Category.SELF_HARM:
            return Acuity.INTENT
        return Acuity.NONE


@dataclass(frozen=True, slots=True)
class Idiom:
    """A figure of speech that looks like crisis language and is not (why, in `reason`).

    `antecedent` marks an idiom that excuses what is said with a means, not the means: a
    match it excuses still marks where risk was said, so a later `refers` match pointing
    back at the means ("I have the pills and I'm going to the store, then I'll take them
    all") counts.
    """

    id: str
    reason: str
    patterns: tuple[str, ...]
    antecedent: bool = False


class Lexicon:
    """Entries, idioms, normaliser and context rules, compiled and ready to screen."""

    __slots__ = (
        "_by_id",
        "constructs",
        "context",
        "entries",
        "idiom_matcher",
        "idioms",
        "matcher",
        "normalizer",
        "version",
    )

    def __init__(
        self,
        *,
        version: str,
        entries: Sequence[Entry],
        idioms: Sequence[Idiom],
        normalizer_config: Mapping[str, Any],
        context: Context,
        classes: Mapping[str, frozenset[str]],
        numbers: frozenset[str],
        common: frozenset[str] = frozenset(),
        gap_stops: frozenset[str] = frozenset(),
        stop_hedges: frozenset[str] = frozenset(),
        constructs: Mapping[str, str] | None = None,
    ) -> None:
        self.version = version
        self.constructs = dict(constructs or {})
        self.entries = tuple(entries)
        self.idioms = tuple(idioms)
        self.context = context
        self.matcher = PatternSet(
            ((i, p) for i, e in enumerate(self.entries) for p in e.patterns),
            classes=classes,
            numbers=numbers,
            common=common,
            gap_stops=gap_stops,
            stop_hedges=stop_hedges,
        )
        self.idiom_matcher = PatternSet(
            ((i, p) for i, d in enumerate(self.idioms) for p in d.patterns),
            classes=classes,
            numbers=numbers,
        )
        known = self.matcher.words | self.idiom_matcher.words | context.words
        self.normalizer = Normalizer(known_words=known, **normalizer_config)
        self._by_id = {e.id: e for e in self.entries}

    def entry(self, entry_id: str) -> Entry:
        """The entry with id `entry_id` (a `KeyError` if there is none)."""
        return self._by_id[entry_id]


def _fail(where: str, message: str) -> LexiconError:
    return LexiconError(f"safety lexicon {where}: {message}")


def _strings(value: object, where: str, field: str, *, required: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, f"`{field}` must be a list of non-empty strings")
    if required and not value:
        raise _fail(where, f"`{field}` must not be empty")
    return tuple(value)


def _string_map(value: object, where: str, field: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _fail(where, f"`{field}` must be a table of strings")
    return {str(k): v for k, v in value.items()}


def _table(
    raw: object, where: str, *, header: str, key: str, keys: frozenset[str]
) -> tuple[dict[str, Any], str]:
    """`raw`, a table written under `header` (`[[idiom]]`, `[join]`), checked to hold `key`
    as a non-empty string and no key outside `keys`; and the place its errors name: the file
    and the table, and in an array of tables which one by its `key`."""
    many = header.startswith("[[")
    if not isinstance(raw, dict) or not isinstance(raw.get(key), str) or not raw[key]:
        each = "each " if many else ""
        raise _fail(where, f"{each}{header} must be a table with `{key}` a non-empty string")
    name = header.strip("[]")
    here = f"{where} {name} {raw[key]!r}" if many else f"{where} {name}"
    unknown = set(raw) - keys
    if unknown:
        raise _fail(here, f"unknown keys {sorted(unknown)}")
    return raw, here


def _entry(raw: object, where: str, constructs: Mapping[str, str]) -> Entry:
    table, here = _table(raw, where, header="[[entry]]", key="id", keys=_ENTRY_KEYS)
    entry_id = table["id"]
    try:
        route = Route(str(table.get("route")))
        category = Category(str(table.get("category")))
    except ValueError as exc:
        raise _fail(here, "`route` or `category` is not a known value") from exc
    cssrs = table.get("cssrs")
    if cssrs is not None and (not isinstance(cssrs, int) or not 1 <= cssrs <= 6):
        raise _fail(here, "`cssrs` must be an integer from 1 to 6")
    construct = table.get("construct")
    if construct is not None and construct not in constructs:
        raise _fail(here, f"`construct` must be one of {sorted(constructs)}")
    ask = table.get("ask", False)
    if not isinstance(ask, bool):
        raise _fail(here, "`ask` must be true or false")
    if ask and route.is_crisis:
        raise _fail(here, "`ask` is for risk that is not clear; a crisis route needs no question")
    refers = table.get("refers", False)
    if not isinstance(refers, bool):
        raise _fail(here, "`refers` must be true or false")
    patterns = _strings(table.get("patterns"), here, "patterns", required=True)
    return Entry(entry_id, route, category, patterns, cssrs, construct, ask, refers)


def _idiom(raw: object, where: str) -> Idiom:
    table, here = _table(raw, where, header="[[idiom]]", key="id", keys=_IDIOM_KEYS)
    reason = table.get("reason")
    if not isinstance(reason, str) or not reason:
        raise _fail(here, "`reason` must be a non-empty string")
    antecedent = table.get("antecedent", False)
    if not isinstance(antecedent, bool):
        raise _fail(here, "`antecedent` must be true or false")
    patterns = _strings(table.get("patterns"), here, "patterns", required=True)
    return Idiom(table["id"], reason, patterns, antecedent)


_ASIDE_KEYS = frozenset({"words", "kept_after", "kept_before", "dropped_before", "dropped_after"})


def _aside(raw: object, where: str) -> Aside:
    table, here = _table(raw, where, header="[[aside]]", key="words", keys=_ASIDE_KEYS)
    words = table["words"].split()
    if len(words) != 2:
        raise _fail(here, "`words` must be two words")
    return Aside(
        (words[0], words[1]),
        frozenset(_strings(table.get("kept_after", []), here, "kept_after")),
        frozenset(_strings(table.get("kept_before", []), here, "kept_before")),
        frozenset(_strings(table.get("dropped_before", []), here, "dropped_before")),
        frozenset(_strings(table.get("dropped_after", []), here, "dropped_after")),
    )


_JOIN_KEYS = frozenset({"word", "within", "openings"})
# The most tokens after a sentence break a `join` opening may start at.
_JOIN_WITHIN_MAX = 12


def _join(raw: object, where: str) -> Join:
    table, here = _table(raw, where, header="[join]", key="word", keys=_JOIN_KEYS)
    within = table.get("within")
    if isinstance(within, bool) or not isinstance(within, int):
        raise _fail(here, "`within` must be a whole number")
    if not 1 <= within <= _JOIN_WITHIN_MAX:
        raise _fail(here, f"`within` must be from 1 to {_JOIN_WITHIN_MAX}")
    openings = []
    for opening in _strings(table.get("openings", []), here, "openings", required=True):
        # Plain words, with alternatives and optionals spelled out: no gap, class or prefix.
        for expansion in expand(opening):
            # One set per token: "=a|b" is a set of words, anything else one word.
            steps = tuple(
                frozenset(w[1:].split("|")) if w[0] == "=" else frozenset((w,)) for w in expansion
            )
            if any(w[0] in "~@#=" or w.endswith("*") for step in steps for w in step):
                raise _fail(here, f"opening {opening!r} must be plain words")
            if len(steps) < 2:
                raise _fail(here, f"opening {opening!r} must be two words or more")
            openings.append(steps)
    return Join(table["word"], within, tuple(openings))


def _parse(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(name, f"not valid TOML ({exc})") from exc


def build_lexicon(
    read: Callable[[str], str], *, keep: Callable[[str, str], bool] | None = None
) -> Lexicon:
    """Load and validate a lexicon, reading each data file by name through `read`.

    `keep(entry_id, pattern)`, when given, leaves out each pattern it refuses, and an entry
    left with none (for measuring what some patterns add, as `tools/heldout_screen.py` does).
    """
    manifest = _parse(MANIFEST, read(MANIFEST))
    version = manifest.get("version")
    if not isinstance(version, str) or not version:
        raise _fail(MANIFEST, "`version` must be a non-empty string")
    classes = {
        name: frozenset(_strings(words, MANIFEST, f"classes.{name}"))
        for name, words in dict(manifest.get("classes", {})).items()
    }
    numbers = frozenset(_strings(manifest.get("numbers", []), MANIFEST, "numbers"))
    common = frozenset(_strings(manifest.get("common_words", []), MANIFEST, "common_words"))
    gap_stops = frozenset(_strings(manifest.get("gap_stops", []), MANIFEST, "gap_stops"))
    stop_hedges = frozenset(_strings(manifest.get("stop_hedges", []), MANIFEST, "stop_hedges"))
    constructs = _string_map(manifest.get("constructs", {}), MANIFEST, "constructs")
    entries: list[Entry] = []
    for name in _strings(manifest.get("entry_files"), MANIFEST, "entry_files"):
        document = _parse(name, read(name))
        raw_entries = document.get("entry", [])
        if not isinstance(raw_entries, list):
            raise _fail(name, "`entry` must be an array of tables")
        for raw in raw_entries:
            entry = _entry(raw, name, constructs)
            for pattern in entry.patterns:
                try:
                    check(pattern, classes)
                except LexiconError as exc:
                    raise _fail(f"{name} entry {entry.id!r}", str(exc)) from exc
            if keep is not None:
                kept = tuple(p for p in entry.patterns if keep(entry.id, p))
                if not kept:
                    continue
                entry = dataclasses.replace(entry, patterns=kept)
            entries.append(entry)
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise _fail(MANIFEST, f"duplicate entry id {entry.id!r}")
        seen.add(entry.id)

    idioms_name = str(manifest.get("idioms_file", "idioms.toml"))
    raw_idioms = _parse(idioms_name, read(idioms_name)).get("idiom", [])
    if not isinstance(raw_idioms, list):
        raise _fail(idioms_name, "`idiom` must be an array of tables")
    idioms = [_idiom(raw, idioms_name) for raw in raw_idioms]

    normalize_name = str(manifest.get("normalize_file", "normalize.toml"))
    norm = _parse(normalize_name, read(normalize_name))
    normalizer_config: dict[str, Any] = {
        "fillers": _strings(norm.get("fillers", []), normalize_name, "fillers"),
        "contractions": _string_map(norm.get("contractions", {}), normalize_name, "contractions"),
        "expansions": _string_map(norm.get("expansions", {}), normalize_name, "expansions"),
        "misspellings": _string_map(norm.get("misspellings", {}), normalize_name, "misspellings"),
        "fuzzy_targets": _strings(norm.get("fuzzy_targets", []), normalize_name, "fuzzy_targets"),
        "protected": _strings(norm.get("protected", []), normalize_name, "protected"),
        "clause_breaks": _strings(norm.get("clause_breaks", []), normalize_name, "clause_breaks"),
    }
    hedge = norm.get("hedge", {})
    if not isinstance(hedge, dict) or not isinstance(hedge.get("word", ""), str):
        raise _fail(normalize_name, "`hedge` must be a table with a string `word`")
    if hedge:
        normalizer_config["hedge"] = hedge.get("word", "")
        normalizer_config["hedge_kept_after"] = _strings(
            hedge.get("kept_after", []), normalize_name, "hedge.kept_after"
        )
        normalizer_config["hedge_kept_before"] = _strings(
            hedge.get("kept_before", []), normalize_name, "hedge.kept_before"
        )
        normalizer_config["hedge_dropped_before"] = _strings(
            hedge.get("dropped_before", []), normalize_name, "hedge.dropped_before"
        )
        normalizer_config["hedge_dropped_after"] = _strings(
            hedge.get("dropped_after", []), normalize_name, "hedge.dropped_after"
        )
    raw_asides = norm.get("aside", [])
    if not isinstance(raw_asides, list):
        raise _fail(normalize_name, "`aside` must be an array of tables")
    normalizer_config["asides"] = [_aside(raw, normalize_name) for raw in raw_asides]
    if "join" in norm:
        normalizer_config["join"] = _join(norm["join"], normalize_name)

    context_name = str(manifest.get("context_file", "context.toml"))
    ctx = _parse(context_name, read(context_name))
    raw_cues = ctx.get("cues", {})
    if not isinstance(raw_cues, dict) or set(raw_cues) - {c.value for c in Cue}:
        raise _fail(
            context_name, f"`cues` must be a table with keys among {[c.value for c in Cue]}"
        )
    cues = {Cue(k): _strings(v, context_name, f"cues.{k}") for k, v in raw_cues.items()}
    person = ctx.get("person", {})
    scope = ctx.get("scope", {})
    if not isinstance(scope, dict):
        raise _fail(context_name, "`scope` must be a table")
    raw_windows = ctx.get("windows", {})
    try:
        windows = Windows(**raw_windows)
    except TypeError as exc:
        raise _fail(context_name, "`windows` has unknown keys") from exc
    context = Context(
        cues=cues,
        first_person=frozenset(_strings(person.get("first", []), context_name, "person.first")),
        third_person=frozenset(_strings(person.get("third", []), context_name, "person.third")),
        self_reflexive=frozenset(
            _strings(person.get("self_reflexive", []), context_name, "person.self_reflexive")
        ),
        other_reflexive=frozenset(
            _strings(person.get("other_reflexive", []), context_name, "person.other_reflexive")
        ),
        windows=windows,
        classes=classes,
        numbers=numbers,
        transparent=frozenset(
            _strings(scope.get("transparent", []), context_name, "scope.transparent")
        ),
        shared=frozenset(_strings(person.get("shared", []), context_name, "person.shared")),
        openers=frozenset(_strings(scope.get("openers", []), context_name, "scope.openers")),
        possessives=frozenset(
            _strings(scope.get("possessives", []), context_name, "scope.possessives")
        ),
        connectors=frozenset(
            _strings(scope.get("connectors", []), context_name, "scope.connectors")
        ),
        subordinators=frozenset(
            _strings(scope.get("subordinators", []), context_name, "scope.subordinators")
        ),
        subjects=frozenset(_strings(scope.get("subjects", []), context_name, "scope.subjects")),
    )
    return Lexicon(
        version=version,
        entries=entries,
        idioms=idioms,
        normalizer_config=normalizer_config,
        context=context,
        classes=classes,
        numbers=numbers,
        common=common,
        gap_stops=gap_stops,
        stop_hedges=stop_hedges,
        constructs=constructs,
    )


def load_lexicon(directory: Path) -> Lexicon:
    """Load a lexicon from a directory of data files (e.g. a practice's reviewed copy)."""

    def read(name: str) -> str:
        path = directory / name
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise _fail(name, f"cannot be read from {directory}") from exc

    return build_lexicon(read)


def _read_shipped(name: str) -> str:
    try:
        data = resources.files(__package__).joinpath("data").joinpath(name)
        return data.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(
            name, f"cannot be read from the installed package ({type(exc).__name__})"
        ) from exc


@functools.cache
def _outcome(read: Callable[[str], str]) -> Lexicon | LexiconError:
    try:
        return build_lexicon(read)
    except LexiconError as exc:
        return exc
    except Exception as exc:  # a missing or unreadable packaged file
        return _fail("data", f"cannot be loaded ({type(exc).__name__})")


def load_once(read: Callable[[str], str]) -> Lexicon:
    """Load a lexicon through `read` the first time; later calls return what was kept.

    A failure is kept too and raised again at once (as a fresh error), so a broken lexicon
    is not reloaded on every call and the screen fails closed quickly.
    """
    outcome = _outcome(read)
    if isinstance(outcome, LexiconError):
        raise LexiconError(str(outcome)) from outcome
    return outcome


def default_lexicon() -> Lexicon:
    """The lexicon shipped with Frontdesk, loaded once on first use."""
    return load_once(_read_shipped)
