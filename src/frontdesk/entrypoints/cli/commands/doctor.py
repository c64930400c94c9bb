"""`frontdesk doctor`: check a deployment before a phone number is pointed at it."""

from __future__ import annotations

import argparse

from frontdesk.config import Settings
from frontdesk.deployment import Severity, examine
from frontdesk.entrypoints.cli.common import add_practice_option, print_json, resolve_practice_path

EXIT_BLOCKED = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor",
        description="Check the deployment: settings, the practice file and its script "
        "library (valid, reviewed, real numbers), the database (reachable, migrated), the "
        "public URL, the Twilio credentials and whether the notifier delivers every reminder "
        "channel a call offers. Exits 1 when a blocker is found; production `serve` and "
        "`worker` refuse to start while one stands.",
    )
    add_practice_option(parser)
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    examination = examine(settings, resolve_practice_path(args, settings))
    if args.json:
        print_json(
            {
                "environment": settings.environment.value,
                "ready": not examination.blockers,
                "findings": [
                    {"check": f.check, "severity": f.severity.value, "message": f.message}
                    for f in examination.findings
                ],
            }
        )
    else:
        marks = {Severity.OK: "ok     ", Severity.WARNING: "warning", Severity.BLOCKER: "BLOCKER"}
        for finding in examination.findings:
            print(f"{marks[finding.severity]}  {finding.check:<10}  {finding.message}")
        blockers, warnings = len(examination.blockers), len(examination.warnings)
        print(f"{blockers} blocker(s), {warnings} warning(s)")
    return EXIT_BLOCKED if examination.blockers else 0
