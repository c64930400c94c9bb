"""`frontdesk init [DIR]`: write an example practice and its script library, create the database."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from frontdesk.adapters.practice_file import load_practice
from frontdesk.adapters.script_file import default_script_library_resource
from frontdesk.config import Settings
from frontdesk.domain.errors import PracticeFileError
from frontdesk.entrypoints.cli.common import PRACTICE_FILE_NAME

SCRIPTS_FILE_NAME = "scripts.yaml"  # the name the example practice's `scripts:` field uses
DATABASE_FILE_NAME = "frontdesk.db"
EXIT_REFUSED = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init",
        description=(
            f"Writes DIR/{PRACTICE_FILE_NAME} (a fictional example practice to edit) and "
            f"DIR/{SCRIPTS_FILE_NAME} (the default script library, to be reviewed), then "
            "creates the database: FRONTDESK_DATABASE_URL when set, else "
            f"sqlite:///DIR/{DATABASE_FILE_NAME}."
        ),
    )
    parser.add_argument(
        "directory",
        metavar="DIR",
        nargs="?",
        type=Path,
        default=Path(),
        help="where to write the files (default: the current directory; created if missing)",
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite practice.yaml and scripts.yaml if present"
    )
    parser.set_defaults(handler=run)


def database_url_for(directory: Path, settings: Settings) -> str:
    """FRONTDESK_DATABASE_URL when it was set explicitly, else a SQLite file inside `directory`."""
    if "database_url" in settings.model_fields_set:
        return settings.database_url
    return f"sqlite:///{(directory / DATABASE_FILE_NAME).resolve()}"


def run(args: argparse.Namespace, settings: Settings) -> int:
    directory: Path = args.directory
    practice_path = directory / PRACTICE_FILE_NAME
    scripts_path = directory / SCRIPTS_FILE_NAME
    existing = [p for p in (practice_path, scripts_path) if p.exists()]
    if existing and not args.force:
        names = " and ".join(str(p) for p in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        print(
            f"frontdesk init: {names} already {verb}; nothing was written. "
            "Use --force to overwrite, or choose another directory.",
            file=sys.stderr,
        )
        return EXIT_REFUSED

    example = resources.files("frontdesk.data") / "example_practice.yaml"
    default_scripts = default_script_library_resource()
    if not default_scripts.is_file():
        raise PracticeFileError("the packaged default script library is missing")
    directory.mkdir(parents=True, exist_ok=True)
    _copy(example, practice_path)
    _copy(default_scripts, scripts_path)
    practice = load_practice(practice_path)  # the pair written must validate as a whole

    database_url = database_url_for(directory, settings)
    from frontdesk.adapters.db.migrations import upgrade

    upgrade(database_url)

    states = ", ".join(sorted(practice.states))
    review = "reviewed" if practice.scripts.reviewed else "NOT reviewed"
    print(
        f"Wrote {practice_path} (example practice {practice.name!r}: "
        f"{len(practice.clinicians)} clinicians in {states}, {len(practice.payers)} payers)"
    )
    lines = len(practice.scripts.lines)
    print(f"Wrote {scripts_path} (default script library, {lines} lines, {review})")
    print(f"Database ready: {_display_url(database_url)}")
    print()
    print("Next:")
    print(f"  1. Edit {practice_path} to describe your practice.")
    print(f"  2. Have your clinical lead review every line of {scripts_path},")
    print("     then set reviewed: true in it.")
    print(f"  3. frontdesk check --practice {practice_path}")
    print(f"  4. export FRONTDESK_PRACTICE_FILE={practice_path.resolve()}")
    if "database_url" not in settings.model_fields_set:
        print(f"     export FRONTDESK_DATABASE_URL={database_url}")
    print("  5. frontdesk --help   (every command finds the practice through --practice,")
    print("     FRONTDESK_PRACTICE_FILE, or practice.yaml in the working directory)")
    return 0


def _copy(resource: Traversable, target: Path) -> None:
    target.write_text(resource.read_text(encoding="utf-8"), encoding="utf-8")


def _display_url(url: str) -> str:
    """The database URL with any password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
