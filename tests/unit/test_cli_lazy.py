"""The command table: every command listed, only the chosen one imported, no dev library."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from frontdesk import bench
from frontdesk.entrypoints.cli import commands
from frontdesk.entrypoints.cli.commands import BENCHES, COMMANDS
from frontdesk.entrypoints.cli.lazy import Command, chosen
from frontdesk.entrypoints.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def _dev_only_modules() -> list[str]:
    """Import names of the `dev` extra: what an installed wheel does not have."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = []
    for requirement in project["optional-dependencies"]["dev"]:
        name = requirement.split(">")[0].split("<")[0].split("=")[0].strip()
        if not name.startswith("types-"):
            names.append(name.replace("-", "_").lower())
    return names


def _modules(package: object) -> set[str]:
    path = package.__path__  # type: ignore[attr-defined]
    return {m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_")}


def test_every_command_module_is_listed_once() -> None:
    """The table names each command module exactly once, and each bench module."""
    listed = [c.module.rsplit(".", 1)[1] for c in COMMANDS]
    assert sorted(listed) == sorted(_modules(commands))
    benches = [c.module.rsplit(".", 1)[1] for c in BENCHES]
    assert sorted(benches) == sorted(_modules(bench))


@pytest.mark.parametrize(
    "command", [*COMMANDS, *BENCHES], ids=lambda c: f"{c.module.rsplit('.', 1)[1]}"
)
def test_each_module_registers_the_name_it_is_listed_under(command: Command) -> None:
    """A listed module builds a parser under the very name the table gives it."""
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    importlib.import_module(command.module).register(subparsers)
    assert list(subparsers.choices) == [command.name]


def test_the_chosen_command_is_the_first_positional_token() -> None:
    """Options before the command are skipped; what follows it is handed on."""
    assert chosen(["--version"]) == (None, ())
    assert chosen(["bench", "screen", "--json"]) == ("bench", ["screen", "--json"])


def test_a_nested_command_parses_its_own_options() -> None:
    """`bench screen --json` reaches the screen benchmark's own parser."""
    args = build_parser(["bench", "screen", "--json"]).parse_args(["bench", "screen", "--json"])
    assert args.bench == "screen"
    assert args.json is True


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt command names the valid ones and exits with status 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["sreen", "hello"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


BLOCKED_RUN = textwrap.dedent(
    """
    import importlib.abc, sys
    blocked = set(sys.argv[1].split(","))

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in blocked:
                raise ModuleNotFoundError(f"No module named {name!r}")
            return None

    sys.meta_path.insert(0, Refuse())
    from frontdesk.entrypoints.cli.main import main
    codes = []
    for argv in [line.split() for line in sys.argv[2:]]:
        try:
            codes.append(main(argv))
        except SystemExit as exc:
            codes.append(exc.code)
    print("CODES", codes)
    print("LOADED", sorted(m for m in sys.modules if m.startswith("frontdesk.bench.")))
    """
)


def _run_without_dev_libraries(*commands: str) -> subprocess.CompletedProcess[str]:
    blocked = ",".join(_dev_only_modules())
    return subprocess.run(
        [sys.executable, "-c", BLOCKED_RUN, blocked, *commands],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_of_every_command_runs_without_the_dev_libraries() -> None:
    """Without pytest, httpx or hypothesis installed, `--help` of every command works."""
    argvs = ["--help"] + [f"{c.name} --help" for c in COMMANDS]
    argvs += [f"bench {b.name} --help" for b in BENCHES]
    done = _run_without_dev_libraries(*argvs)
    assert done.returncode == 0, done.stderr
    assert f"CODES {[0] * len(argvs)}" in done.stdout, done.stdout + done.stderr


def test_top_level_help_imports_no_command_module() -> None:
    """`frontdesk --help` lists the commands without importing a benchmark."""
    done = _run_without_dev_libraries("--help")
    assert "LOADED []" in done.stdout
    for command in COMMANDS:
        assert command.name in done.stdout


def test_a_benchmark_needing_a_dev_library_says_so() -> None:
    """`bench webhook` without httpx is a clear `frontdesk: …` error, exit 2, no traceback."""
    done = _run_without_dev_libraries("bench webhook")
    assert "CODES [2]" in done.stdout
    assert "frontdesk: bench webhook needs httpx" in done.stderr
    assert "Traceback" not in done.stderr
