"""Guards the package metadata: every library `src/` imports is a declared dependency."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "frontdesk"

# Imported only by a benchmark that checks for it and says so when it is missing.
DEV_ONLY = {"httpx": SRC / "bench" / "webhook.py"}


def _project() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        project: dict[str, Any] = tomllib.load(file)["project"]
    return project


def _normalised(requirement: str) -> str:
    """The distribution name of a requirement, normalised as PEP 503 does."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name is not None, requirement
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def _third_party_imports() -> dict[str, set[Path]]:
    """Top-level module name -> the source files importing it, outside the standard library."""
    found: dict[str, set[Path]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in {"frontdesk", "__future__"}:
                    found.setdefault(top, set()).add(path)
    return found


def test_every_runtime_import_is_a_declared_dependency() -> None:
    """A library imported anywhere in src/ is declared in the project's dependencies."""
    declared = {_normalised(item) for item in _project()["dependencies"]}
    distributions = packages_distributions()
    undeclared: dict[str, list[str]] = {}
    for module, files in _third_party_imports().items():
        if module in DEV_ONLY and files == {DEV_ONLY[module]}:
            continue
        names = {_normalised(dist) for dist in distributions.get(module, [module])}
        if not names & declared:
            undeclared[module] = sorted(str(f.relative_to(SRC)) for f in files)
    assert undeclared == {}


def test_every_declared_dependency_is_imported() -> None:
    """No declared dependency goes unused (extras of a declared one, like psycopg's, aside)."""
    distributions = packages_distributions()
    imported = {
        _normalised(dist) for module in _third_party_imports() for dist in distributions[module]
    }
    # Used without an import statement: the web server's form parser and the PostgreSQL driver
    # SQLAlchemy loads from the URL.
    indirect = {"python-multipart", "psycopg"}
    declared = {_normalised(item) for item in _project()["dependencies"]}
    assert declared - imported - indirect == set()


def test_the_licence_file_is_the_declared_licence_and_ships_in_the_wheel() -> None:
    """LICENSE holds the Apache License 2.0 text the metadata declares, and is packaged."""
    project = _project()
    assert project["license"] == "Apache-2.0"
    assert "LICENSE" in project["license-files"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
