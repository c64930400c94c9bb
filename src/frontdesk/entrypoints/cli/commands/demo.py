"""`frontdesk demo`: type what a caller might say and see the safety screen's verdict."""

from __future__ import annotations

import argparse
import sys

from frontdesk.config import Settings
from frontdesk.conversation.safety import screen
from frontdesk.entrypoints.cli.commands.screen import render_verdict

QUIT_WORDS = frozenset({"quit", "exit", "q"})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="interactive safety-screen demo (type a line, see the verdict)",
        description="Type what a caller might say; each line is screened. "
        "End with Ctrl-D or `quit`. Works with piped input too.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    interactive = sys.stdin.isatty()
    if interactive:
        print("Frontdesk safety screen demo. Type what a caller says; `quit` to stop.")
    while True:
        if interactive:
            sys.stdout.write("caller> ")
            sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            break
        text = line.strip()
        if text.lower() in QUIT_WORDS:
            break
        if not text:
            continue
        if not interactive:
            print(f"caller> {text}")
        print(render_verdict(screen(text)))
        print()
    return 0
