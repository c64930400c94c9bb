"""`frontdesk screen`: run the safety screen on text and show the verdict.

frontdesk screen "TEXT"                 a readable verdict
frontdesk screen --json "TEXT"          one JSON object
frontdesk screen --input FILE --json    one JSON object per input line (`-` is stdin)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from frontdesk.config import Settings
from frontdesk.conversation.safety import Lexicon, Verdict, load_lexicon, screen
from frontdesk.domain.errors import InvalidInput


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "screen",
        description="Screen caller text for crisis language and print the verdict.",
    )
    parser.add_argument("text", nargs="*", help="the utterance to screen (words are joined)")
    parser.add_argument(
        "--input",
        metavar="FILE",
        help="screen each line of FILE instead (`-` reads standard input)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON (one object per utterance)")
    parser.add_argument(
        "--lexicon",
        metavar="DIR",
        type=Path,
        default=None,
        help="use the lexicon data files in DIR instead of the shipped ones",
    )
    parser.set_defaults(handler=run)


def verdict_record(text: str, verdict: Verdict) -> dict[str, object]:
    """The JSON object printed for one utterance."""
    return {"text": text, **verdict.to_dict()}


def render_verdict(verdict: Verdict) -> str:
    """A verdict as a few readable lines."""
    lines = [
        f"route:       {verdict.route}",
        f"categories:  {', '.join(verdict.categories) or '-'}",
        f"experiencer: {verdict.experiencer}",
        f"lexicon:     {verdict.lexicon_version}",
    ]
    if verdict.reason:
        lines.append(f"reason:      {verdict.reason}")
    if verdict.matches:
        lines.append("matches:")
    for match in verdict.matches:
        modifiers = ", ".join(match.modifiers) or "none"
        idiom = f"  idiom={match.idiom}" if match.idiom else ""
        lines.append(
            f"  {match.rule:<22} {match.route:<14} [{match.start}:{match.end}] "
            f"{match.phrase!r}  modifiers={modifiers}{idiom}"
        )
    return "\n".join(lines)


def _lines(handle: TextIO, name: str) -> Iterator[str]:
    """The lines of `handle`; input that is not UTF-8 text is refused where it is met."""
    try:
        for line in handle:
            yield line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise InvalidInput(f"{name} is not UTF-8 text") from None


def _inputs(args: argparse.Namespace) -> tuple[Iterable[str], TextIO | None]:
    if args.input is not None:
        if args.text:
            raise InvalidInput("give either TEXT or --input FILE, not both")
        if args.input == "-":
            return _lines(sys.stdin, "standard input"), None
        try:
            handle = Path(args.input).open(encoding="utf-8")  # noqa: SIM115 - closed by run()
        except OSError as exc:
            raise InvalidInput(f"cannot read input file {args.input}") from exc
        return _lines(handle, str(args.input)), handle
    if not args.text:
        raise InvalidInput("nothing to screen: give TEXT or --input FILE")
    return [" ".join(args.text)], None


def run(args: argparse.Namespace, settings: Settings) -> int:
    lexicon: Lexicon | None = load_lexicon(args.lexicon) if args.lexicon is not None else None
    texts, handle = _inputs(args)
    try:
        first = True
        for text in texts:
            verdict = screen(text, lexicon=lexicon)
            if args.json:
                sys.stdout.write(
                    json.dumps(verdict_record(text, verdict), ensure_ascii=False) + "\n"
                )
            else:
                if not first:
                    sys.stdout.write("\n")
                if args.input is not None:
                    sys.stdout.write(f"text:        {text}\n")
                sys.stdout.write(render_verdict(verdict) + "\n")
            first = False
    finally:
        if handle is not None:
            handle.close()
    return 0
