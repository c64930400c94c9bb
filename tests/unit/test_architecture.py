"""Guards the architecture: the pure core imports nothing from the outside world."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "frontdesk"
PURE_PACKAGES = ("domain", "conversation")
ALLOWED_FRONTDESK = ("frontdesk.domain", "frontdesk.conversation")


def _imports(source: str, package: str) -> list[str]:
    """Absolute names of every module imported by `source`, which lives in `package`."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.append(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.append(node.module)
    return names


def _offenders(source: str, package: str) -> list[str]:
    return [
        name
        for name in _imports(source, package)
        if not (
            name.split(".")[0] in sys.stdlib_module_names
            or name == "__future__"
            or any(name == a or name.startswith(a + ".") for a in ALLOWED_FRONTDESK)
        )
    ]


def _pure_modules() -> list[Path]:
    return sorted(p for pkg in PURE_PACKAGES for p in (SRC / pkg).rglob("*.py"))


@pytest.mark.parametrize("module", _pure_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_pure_core_imports_only_stdlib_and_core(module: Path) -> None:
    """domain/ and conversation/ import only the standard library and each other."""
    package = ".".join(module.relative_to(SRC.parent).with_suffix("").parts[:-1])
    offenders = _offenders(module.read_text(encoding="utf-8"), package)
    assert offenders == [], f"{module.relative_to(SRC)} imports {offenders}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sqlalchemy\n", ["sqlalchemy"]),
        ("from frontdesk.adapters import db\n", ["frontdesk.adapters"]),
        ("from ..adapters import db\n", ["frontdesk.adapters"]),
        ("from fastapi.responses import Response\n", ["fastapi.responses"]),
        ("import re, json\nfrom frontdesk.domain import errors\nfrom . import x\n", []),
    ],
)
def test_guard_flags_outside_imports(source: str, expected: list[str]) -> None:
    """The guard sees third-party and adapter imports, relative ones included, so it can fail."""
    assert _offenders(source, "frontdesk.conversation") == expected
