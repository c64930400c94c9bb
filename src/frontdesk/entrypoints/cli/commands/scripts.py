"""`frontdesk scripts`: keep the practice's script library in step with this version.

frontdesk scripts add-missing [--practice FILE] [--dry-run]
    append the shipped default wording of every line this version speaks that the library
    lacks (a new version may add lines), for the clinical lead to review; lines already there
    are left as written, and running it again adds nothing; each added line is recorded in
    the audit log of the database FRONTDESK_DATABASE_URL names (its id, not its wording)
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from frontdesk.adapters.practice_file import script_library_path
from frontdesk.adapters.script_file import load_script_library
from frontdesk.config import Settings
from frontdesk.conversation.lines import describe_unknown, require_engine_lines
from frontdesk.conversation.script import ScriptLine
from frontdesk.domain.errors import ScriptError
from frontdesk.entrypoints.cli.common import add_practice_option, resolve_practice_path
from frontdesk.entrypoints.cli.database import current_database

EXIT_STILL_REFUSED = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "scripts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="scripts_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add-missing",
        help="append the shipped wording of lines the library lacks, for review",
        description=(
            "Appends the shipped default wording of every line this version of Frontdesk "
            "speaks that the practice's script library lacks, after its last line and under "
            "a dated comment. Nothing already in the file is changed, except that a library "
            "marked `reviewed: true` becomes `reviewed: false` until the added wording is "
            "reviewed. Each added line is recorded in the audit log (by id). A file that does "
            "not parse is refused and left as it is."
        ),
    )
    add_practice_option(add)
    add.add_argument(
        "--dry-run", action="store_true", help="list the lines that would be added; write nothing"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from frontdesk.services.script_upgrade import add_missing_lines, missing_lines
    from frontdesk.services.staff_audit import CLI

    practice_path = resolve_practice_path(args, settings)
    path = script_library_path(practice_path)
    if path is None:
        print(
            f"{practice_path} names no script library (`scripts:`): it uses the packaged "
            "default, which has every line; nothing to add"
        )
        return 0
    found = missing_lines(path=path)
    if found.added and not args.dry_run:
        with current_database(settings) as uow:
            found = add_missing_lines(path=path, at=datetime.now(UTC), uow=uow, by=CLI)
    if found.unknown:
        print(
            f"frontdesk scripts: warning: {describe_unknown(list(found.unknown))}", file=sys.stderr
        )
    if not found.added:
        print(f"{path} has every line this version speaks; nothing to add")
        return 0
    count = f"{len(found.added)} line{'s' if len(found.added) != 1 else ''}"
    if found.written:
        print(f"Added {count} to {path}, with the shipped default wording:")
    else:
        print(f"Would add {count} to {path} (dry run, nothing written):")
    for line in found.added:
        print(_listed(line))
    flag = "was set" if found.written else "would be set"
    if found.unreviewed:
        print(f"The library was marked reviewed; it {flag} to `reviewed: false`.")
    print(
        "Have your clinical lead review the added wording (the console's Scripts page lists "
        "it as waiting for approval), then set `reviewed: true`."
    )
    if not found.written:
        return 0
    try:
        require_engine_lines(load_script_library(path))
    except ScriptError as exc:
        print(f"frontdesk scripts: the library is still refused: {exc}", file=sys.stderr)
        return EXIT_STILL_REFUSED
    return 0


def _listed(line: ScriptLine) -> str:
    whole = " (read whole)" if line.whole else ""
    return f"  {line.id}{whole}: {line.text}"
