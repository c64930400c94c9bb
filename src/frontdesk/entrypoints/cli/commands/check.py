"""`frontdesk check`: validate the practice file and its script library, then summarise them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from frontdesk.adapters.practice_file import load_practice
from frontdesk.adapters.script_file import default_script_library
from frontdesk.config import Settings
from frontdesk.conversation.lines import (
    ADD_MISSING_COMMAND,
    closest_line,
    describe_unknown,
    missing_engine_lines,
    require_engine_lines,
    unknown_lines,
)
from frontdesk.conversation.script import ScriptLibrary
from frontdesk.domain.errors import PracticeFileError, ScriptError
from frontdesk.domain.inquiries import Weekday
from frontdesk.domain.practice import Practice
from frontdesk.entrypoints.cli.common import (
    add_practice_option,
    print_json,
    resolve_practice_path,
)

EXIT_REFUSED = 2  # as every other refusal of the practice file (`frontdesk: …`)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        description=(
            "Loads the practice file (and the script library it names) exactly as the "
            "front desk would. Prints a summary and exits 0, or prints every problem with "
            "its file, line and field and exits 2."
        ),
    )
    add_practice_option(parser)
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    path = resolve_practice_path(args, settings)
    practice = load_practice(path)
    summary = summarise(practice, path)
    if summary["scripts"]["missing"]:
        return _report_missing(practice, path, summary, as_json=args.json)
    _require_engine_lines(practice, path)
    if args.json:
        print_json(summary)
    else:
        print(_as_text(summary))
    return 0


def _require_engine_lines(practice: Practice, path: Path) -> None:
    try:
        require_engine_lines(practice.scripts)
    except ScriptError as exc:
        raise PracticeFileError(f"scripts: {exc}", path=str(path)) from None


def _report_missing(
    practice: Practice, path: Path, summary: dict[str, Any], *, as_json: bool
) -> int:
    """The refusal in one line, then each missing line with the wording that would be added
    (the JSON summary carries them as `scripts.missing`)."""
    try:
        require_engine_lines(practice.scripts)
    except ScriptError as exc:
        print(f"frontdesk: {path}: scripts: {exc}", file=sys.stderr)
    if as_json:
        print_json(summary)
        return EXIT_REFUSED
    print(
        f"  {ADD_MISSING_COMMAND} --practice {path} would append this shipped wording:",
        file=sys.stderr,
    )
    for line in summary["scripts"]["missing"]:
        whole = " (read whole)" if line["whole"] else ""
        print(f"  {line['id']}{whole}: {line['text']}", file=sys.stderr)
    return EXIT_REFUSED


def _scripts_summary(scripts: ScriptLibrary) -> dict[str, Any]:
    missing = missing_engine_lines(scripts)
    shipped = default_script_library() if missing else None
    return {
        "version": scripts.version,
        "lines": len(scripts.lines),
        "reviewed": scripts.reviewed,
        "missing": [
            {"id": line.id, "text": line.text, "whole": line.whole}
            for line in (shipped.line(i) for i in missing if shipped is not None)
        ],
        "unknown": [
            {"id": line_id, "did_you_mean": closest_line(line_id)}
            for line_id in unknown_lines(scripts)
        ],
    }


def summarise(practice: Practice, path: Path) -> dict[str, Any]:
    """The facts a practice owner checks at a glance, as plain JSON-ready data."""
    return {
        "file": str(path),
        "practice": practice.name,
        "timezone": practice.timezone,
        "clinicians": [
            {
                "id": c.id,
                "name": c.display_name,
                "states": sorted(c.licensed_states),
                "modalities": sorted(m.value for m in c.modalities),
                "accepting_new_clients": c.accepting_new_clients,
                "new_client_capacity": c.new_client_capacity,
            }
            for c in practice.clinicians
        ],
        "states": sorted(practice.states),
        "payers": [p.id for p in practice.payers],
        "services": [
            {
                "kind": s.kind.value,
                "duration_minutes": s.duration_minutes,
                "fee": f"{s.fee:.2f}",
            }
            for s in practice.services
        ],
        "locations": [loc.id for loc in practice.locations],
        "hours": {
            day.value: [
                f"{r.start:%H:%M}-{r.end:%H:%M}" for r in practice.hours.periods.get(day, ())
            ]
            for day in Weekday
        },
        "sliding_scale": practice.sliding_scale.offered,
        "scripts": _scripts_summary(practice.scripts),
    }


def _as_text(summary: dict[str, Any]) -> str:
    clinicians = summary["clinicians"]
    accepting = sum(1 for c in clinicians if c["accepting_new_clients"])
    services = "; ".join(
        f"{s['kind']} {s['duration_minutes']} min "
        + ("free" if s["fee"] == "0.00" else f"${s['fee']}")
        for s in summary["services"]
    )
    hours = "; ".join(
        f"{day[:3].title()} {', '.join(periods)}"
        for day, periods in summary["hours"].items()
        if periods
    )
    scripts = summary["scripts"]
    review = (
        "reviewed"
        if scripts["reviewed"]
        else "NOT REVIEWED: have your clinical lead approve every line, then set reviewed: true"
    )
    rows = [
        ("practice", f"{summary['practice']} ({summary['timezone']})"),
        ("clinicians", f"{len(clinicians)}, {accepting} accepting new clients"),
        ("states", ", ".join(summary["states"])),
        ("payers", f"{len(summary['payers'])} ({', '.join(summary['payers'])})"),
        ("services", services),
        ("locations", f"{len(summary['locations'])} ({', '.join(summary['locations'])})"),
        ("hours", hours or "none (always after hours)"),
        ("sliding scale", "offered" if summary["sliding_scale"] else "not offered"),
        ("scripts", f"{scripts['lines']} lines, version {scripts['version']}, {review}"),
    ]
    width = max(len(label) for label, _ in rows) + 1
    lines = [f"OK {summary['file']}"]
    lines += [f"  {label + ':':<{width}} {value}" for label, value in rows]
    if scripts["unknown"]:
        lines.append(f"  warning: {describe_unknown([u['id'] for u in scripts['unknown']])}")
    return "\n".join(lines)
