"""`frontdesk report`: the measured metrics for a date range, as text, JSON, CSV or HTML."""

from __future__ import annotations

import argparse
import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from frontdesk.adapters.db.schema import require_current_schema
from frontdesk.adapters.practice_file import load_practice
from frontdesk.analytics.html import formatted, render_html
from frontdesk.analytics.queries import DEFAULT_RECOVERY_WINDOW, read_engine
from frontdesk.analytics.report import DEFAULT_DAYS, MetricValue, Report, build_report, date_range
from frontdesk.bootstrap import system_clock
from frontdesk.config import Settings
from frontdesk.domain.errors import InvalidInput
from frontdesk.entrypoints.cli.common import add_practice_option, print_json, resolve_practice_path


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        description=(
            "What Frontdesk measured for a range of whole days in the practice's timezone: "
            "calls answered and missed, recovery, inquiries, consults, first sessions, "
            "cancellations, waitlist, hand-offs, callback speed and the recovered "
            "first-session value. Definitions are in the README."
        ),
    )
    parser.add_argument("--from", dest="start", type=_date, metavar="DATE", help="first day")
    parser.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last day")
    parser.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        metavar="N",
        help=f"days when only one end (or neither) is given (default {DEFAULT_DAYS})",
    )
    parser.add_argument(
        "--recovery-hours",
        type=int,
        default=int(DEFAULT_RECOVERY_WINDOW.total_seconds() // 3600),
        metavar="H",
        help="a missed call counts as recovered if followed up within H hours (default 48)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument("--csv", action="store_true", help="print one CSV row per metric")
    output.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report")
    add_practice_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.days < 1:
        raise InvalidInput("--days must be at least 1")
    if args.recovery_hours < 1:
        raise InvalidInput("--recovery-hours must be at least 1")
    practice = load_practice(resolve_practice_path(args, settings))
    today = practice.local(system_clock()).date()
    start, end = date_range(args.start, args.end, today=today, days=args.days)
    engine = read_engine(settings.database_url)
    try:
        require_current_schema(engine)
        report = build_report(
            engine,
            practice,
            start=start,
            end=end,
            recovery_window=timedelta(hours=args.recovery_hours),
        )
    finally:
        engine.dispose()
    if args.json:
        print_json(as_json(report))
    elif args.csv:
        print(as_csv(report), end="")
    elif args.html is not None:
        path: Path = args.html
        try:
            path.write_text(render_html(report), encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"cannot write {path}: {exc.strerror}") from None
        print(f"wrote {path}")
    else:
        print(as_text(report))
    return 0


def _number(value: MetricValue) -> int | float | None:
    """Counts stay integers; shares and dollars become JSON numbers."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def as_json(report: Report) -> dict[str, Any]:
    """The `--json` document: metric values by key, then the series behind the charts."""
    return {
        "practice": report.practice,
        "timezone": report.timezone,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "recovery_window_hours": report.recovery_window_hours,
        "currency": "USD",
        "metrics": {metric.key: _number(metric.value) for metric in report.metrics},
        "units": {metric.key: str(metric.unit) for metric in report.metrics},
        "daily": [
            {
                "date": day.day.isoformat(),
                "answered": day.answered,
                "missed": day.missed,
                "abandoned": day.abandoned,
            }
            for day in report.daily
        ],
        "funnel": dict(report.funnel.stages),
        "handoff_routes": {str(category): n for category, n in report.handoff_routes},
        "callback_delay_minutes": [[b.minutes, b.count] for b in report.callback_delays],
    }


CSV_FIELDS = ("from", "to", "key", "label", "unit", "value")


def as_csv(report: Report) -> str:
    """One row per metric, with the range on every row; empty values stay empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for metric in report.metrics:
        value = "" if metric.value is None else str(metric.value)
        writer.writerow((report.start, report.end, metric.key, metric.label, metric.unit, value))
    return buffer.getvalue()


def as_text(report: Report) -> str:
    """The metrics as an aligned two-column list under a heading."""
    width = max(len(metric.label) for metric in report.metrics)
    lines = [
        f"Frontdesk report: {report.practice}",
        f"  {report.start} to {report.end} ({report.timezone}),"
        f" recovery window {report.recovery_window_hours} h",
        "",
    ]
    lines += [f"  {m.label:<{width}}  {formatted(m):>12}" for m in report.metrics]
    return "\n".join(lines)
