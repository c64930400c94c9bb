"""Loading the practice file: YAML in, a validated `Practice` out, or a precise error.

Nothing partial is ever returned: the whole file (and the script library it names) must
validate before a `Practice` exists, so nothing can start with an invalid file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from frontdesk.adapters.located_yaml import (
    LocatedDocument,
    Problem,
    problems_from_validation,
    read_located_yaml,
    suggest_fields,
)
from frontdesk.adapters.practice_schema import PracticeModel
from frontdesk.adapters.script_file import default_script_library, load_script_library
from frontdesk.conversation.script import ScriptLibrary
from frontdesk.domain.practice import Practice


def load_practice(path: Path) -> Practice:
    """The practice described by the YAML file at `path`, with its script library.

    Raises `PracticeFileError` whose message starts `FILE:LINE: field.path: problem`.
    """
    document = read_located_yaml(path)
    model = validate_practice_document(document)
    return model.to_domain(_scripts_for(model, document, path))


def validate_practice_document(document: LocatedDocument) -> PracticeModel:
    """The schema model of a parsed practice file, or every problem with its line."""
    try:
        model = PracticeModel.model_validate(document.data)
    except ValidationError as exc:
        raise document.fail(suggest_fields(problems_from_validation(exc), PracticeModel)) from None
    problems = model.cross_reference_problems()
    if problems:
        raise document.fail(problems)
    return model


def _scripts_for(model: PracticeModel, document: LocatedDocument, path: Path) -> ScriptLibrary:
    if model.scripts is None:
        return default_script_library()
    scripts_path = Path(model.scripts)
    if not scripts_path.is_absolute():
        scripts_path = path.parent / scripts_path
    if not scripts_path.is_file():
        raise document.fail(
            [Problem(("scripts",), f"script library {str(scripts_path)!r} does not exist")]
        )
    return load_script_library(scripts_path)


def script_library_path(practice_file: Path) -> Path | None:
    """The script library file the practice file names (`scripts:`), or None when it uses
    the packaged defaults (which cannot be edited in place)."""
    model = validate_practice_document(read_located_yaml(practice_file))
    if model.scripts is None:
        return None
    path = Path(model.scripts)
    return path if path.is_absolute() else practice_file.parent / path
