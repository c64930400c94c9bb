"""Sub-commands registered lazily: only the chosen command's module is imported.

`frontdesk --help` lists every command from a table of names and one-line help, and
`frontdesk NAME …` imports the one module that builds NAME's full parser. Start-up so pays
only for what the command needs, and a command whose libraries are absent (a benchmark
that needs a test-only client) cannot break any other.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


@dataclass(frozen=True, slots=True)
class Command:
    """One sub-command: its name, the module whose `register` builds it, its help line.

    A command with `subcommands` is itself lazy: its `register` returns the sub-parsers
    action its own sub-commands are added to.
    """

    name: str
    module: str
    help: str
    subcommands: tuple[Command, ...] = ()


def chosen(argv: Sequence[str]) -> tuple[str | None, Sequence[str]]:
    """The first positional token (the command named) and the tokens after it."""
    for index, token in enumerate(argv):
        if not token.startswith("-"):
            return token, argv[index + 1 :]
    return None, ()


def add_commands(subparsers: Subparsers, table: Sequence[Command], argv: Sequence[str]) -> None:
    """Add every command of `table`; only the one `argv` names gets its full parser."""
    name, rest = chosen(argv)
    for command in table:
        if command.name != name:
            subparsers.add_parser(command.name, help=command.help)
            continue
        registered = importlib.import_module(command.module).register(subparsers)
        if command.subcommands:
            if not isinstance(registered, argparse._SubParsersAction):
                raise TypeError(f"{command.module}.register must return its sub-parsers")
            add_commands(registered, command.subcommands, rest)
