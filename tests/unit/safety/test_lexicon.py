"""Loading and validating lexicon data files."""

from __future__ import annotations

import shutil
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from frontdesk.conversation.safety import build_lexicon, default_lexicon, load_lexicon, screen
from frontdesk.conversation.safety.lexicon import load_once
from frontdesk.domain.calls import Route
from frontdesk.domain.errors import LexiconError

DATA = Path(str(resources.files("frontdesk.conversation.safety").joinpath("data")))
ORIGINS = Path(__file__).resolve().parents[3] / "tools" / "screen_origins.toml"


def _read_shipped(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "lexicon"
    shutil.copytree(DATA, target)
    return target


def test_shipped_lexicon_is_versioned_and_complete() -> None:
    """The shipped lexicon has a version and an entry for every staff and crisis route."""
    lexicon = default_lexicon()
    assert lexicon.version
    routes = {entry.route for entry in lexicon.entries}
    assert routes >= {
        Route.EMERGENCY,
        Route.CRISIS,
        Route.SENSITIVE,
        Route.CLINICAL,
        Route.ADMINISTRATIVE,
    }
    assert all(entry.patterns for entry in lexicon.entries)
    assert all(idiom.reason for idiom in lexicon.idioms)


def test_directory_lexicon_is_used_by_screen(tmp_path: Path) -> None:
    """A lexicon loaded from a directory screens with its own entries and version."""
    directory = copy_data(tmp_path)
    manifest = directory / "lexicon.toml"
    manifest.write_text(manifest.read_text().replace('version = "', 'version = "local-', 1))
    (directory / "administrative.toml").write_text(
        '[[entry]]\nid = "ad.parking"\nroute = "administrative"\ncategory = "complaint"\n'
        'patterns = ["parking lot"]\n'
    )
    lexicon = load_lexicon(directory)
    verdict = screen("the parking lot is full", lexicon=lexicon)
    assert verdict.route is Route.ADMINISTRATIVE
    assert verdict.lexicon_version.startswith("local-")


def entry(
    entry_id: str = "x", route: str = "crisis", extra: str = "", patterns: str = '["a b"]'
) -> str:
    return (
        f'[[entry]]\nid = "{entry_id}"\nroute = "{route}"\ncategory = "self-harm"\n'
        f"{extra}patterns = {patterns}\n"
    )


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        ("suicide.toml", entry(route="panic"), "'x'"),
        ("suicide.toml", entry(patterns="[]"), "patterns"),
        ("suicide.toml", entry(extra="cssrs = 9\n"), "cssrs"),
        ("suicide.toml", entry(extra="extra = 1\n"), "extra"),
        ("suicide.toml", entry(extra='refers = "yes"\n'), "refers"),
        ("self_harm.toml", entry(entry_id="si.wish_dead"), "duplicate"),
        ("suicide.toml", entry(patterns='["~2 die"]'), "suicide.toml entry 'x'"),
        ("suicide.toml", "not = [valid", "suicide.toml"),
        ("idioms.toml", '[[idiom]]\nid = "x"\npatterns = ["a"]\n', "reason"),
        (
            "idioms.toml",
            '[[idiom]]\nid = "x"\nreason = "r"\nantecedent = "yes"\npatterns = ["a b"]\n',
            "`antecedent` must be",
        ),
        ("context.toml", '[cues]\nsarcasm = ["lol"]\n', "cues"),
        ("normalize.toml", '[join]\nword = "and"\nwithin = 40\nopenings = ["use it"]\n', "within"),
        ("normalize.toml", '[join]\nword = "and"\nwithin = 6\nopenings = ["use ~2 it"]\n', "plain"),
        ("normalize.toml", '[join]\nword = "and"\nwithin = 6\nopenings = ["(use|do)"]\n', "two"),
        ("suicide.toml", entry(entry_id=""), "each [[entry]] must be a table with `id`"),
        ("idioms.toml", '[[idiom]]\nid = ""\nreason = "r"\npatterns = ["a"]\n', "`id`"),
        ("idioms.toml", '[[idiom]]\nid = "x"\nreason = "r"\nwhy = 1\n', "idiom 'x': unknown"),
        ("normalize.toml", '[[aside]]\nwords = "you know"\nkept = []\n', "aside 'you know'"),
        ("normalize.toml", 'join = "and"\n', "normalize.toml: [join] must be a table with `word`"),
        ("normalize.toml", '[join]\nword = "and"\nwithin = 6\nafter = 1\n', "join: unknown"),
    ],
)
def test_malformed_files_name_file_and_entry(
    tmp_path: Path, name: str, text: str, needle: str
) -> None:
    """Each kind of bad data file fails to load with a message naming where it went wrong."""
    directory = copy_data(tmp_path)
    (directory / name).write_text(text)
    with pytest.raises(LexiconError) as caught:
        load_lexicon(directory)
    assert needle in str(caught.value)


def test_missing_manifest_is_refused(tmp_path: Path) -> None:
    """A directory without the manifest is refused with a clear error."""
    with pytest.raises(LexiconError, match=r"lexicon\.toml"):
        load_lexicon(tmp_path)


def test_manifest_without_version_is_refused() -> None:
    """A lexicon must carry a version, since verdicts record it."""
    with pytest.raises(LexiconError, match="version"):
        build_lexicon(lambda name: "entry_files = []\n" if name == "lexicon.toml" else "")


class CountingReader:
    """A data-file reader whose manifest is broken, counting how often it is asked."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    def __call__(self, name: str) -> str:
        self.reads.append(name)
        return "version = [not toml"


def test_broken_shipped_lexicon_fails_fast_every_time() -> None:
    """A lexicon that cannot load is read once; later calls raise at once, naming the file."""
    reader = CountingReader()
    for _ in range(3):
        with pytest.raises(LexiconError, match=r"lexicon\.toml"):
            load_once(reader)
    assert reader.reads == ["lexicon.toml"]


def test_shipped_lexicon_loads_once() -> None:
    """The shipped lexicon is one object, loaded on first use."""
    assert default_lexicon() is default_lexicon()


def test_keep_leaves_out_refused_patterns_and_empty_entries() -> None:
    """A lexicon built with `keep` lacks each refused pattern, and an entry left with none."""
    shipped = default_lexicon()
    gone = shipped.entry("si.means_kept")
    lexicon = build_lexicon(
        _read_shipped,
        keep=lambda entry_id, pattern: entry_id != gone.id and "@wish" not in pattern,
    )
    ids = {e.id for e in lexicon.entries}
    assert gone.id not in ids
    assert len(ids) == len(shipped.entries) - 1
    assert all("@wish" not in p for e in lexicon.entries for p in e.patterns)
    assert screen("she sits quietly with the knife", lexicon=lexicon).route is Route.ROUTINE
    assert screen("she sits quietly with the knife").route.is_crisis


def test_pattern_origins_name_shipped_patterns() -> None:
    """Every pattern `tools/screen_origins.toml` lists is spelled as its entry holds it."""
    origins = tomllib.loads(ORIGINS.read_text(encoding="utf-8"))["pattern"]
    assert origins
    lexicon = default_lexicon()
    for item in origins:
        assert item["pattern"] in lexicon.entry(item["entry"]).patterns, item["pattern"]
        assert item.get("train") or item.get("dev")
