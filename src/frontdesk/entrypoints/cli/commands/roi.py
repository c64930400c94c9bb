"""`frontdesk roi`: the ROI planning model, as readable text or one JSON object."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from typing import Any

from frontdesk.analytics.roi import (
    PLANNING_ESTIMATE,
    SCENARIOS,
    LongTermInputs,
    LongTermProjection,
    RoiInputs,
    SensitivityRow,
    Triple,
    Unit,
    long_term_projection,
    monthly_recovered_value,
    recovered_first_sessions,
    sensitivity_table,
)
from frontdesk.config import Settings
from frontdesk.entrypoints.cli.common import print_json

# Long-term option flag -> LongTermInputs field; giving any of them implies --long-term.
LONG_TERM_OPTIONS = (
    ("--consult-conversion", "consult_to_first_session", "R", "consult to first session"),
    ("--show-rate", "first_session_show_rate", "R", "first-session show rate"),
    ("--sessions-per-client", "sessions_per_client", "N", "sessions per client, first included"),
    ("--private-pay-share", "private_pay_share", "R", "share of clients paying privately"),
    ("--private-pay-fee", "private_pay_fee", "USD", "private-pay fee per session"),
    ("--insurance-reimbursement", "insurance_reimbursement", "USD", "payer pays per session"),
    ("--client-responsibility", "client_responsibility", "USD", "insured client pays per session"),
)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "roi",
        description=(
            "Monthly recovered first-session value = calls x intent share x lift x "
            "first-session value. Long-term and sensitivity figures are planning "
            "estimates, not guaranteed revenue."
        ),
    )
    parser.add_argument(
        "--monthly-calls",
        metavar="N",
        type=int,
        required=True,
        help="therapy-related calls a month",
    )
    parser.add_argument(
        "--intent-rate",
        metavar="R",
        type=_decimal,
        required=True,
        help="share of calls with intake or scheduling intent, 0-1",
    )
    parser.add_argument(
        "--lift",
        metavar="R",
        type=_decimal,
        required=True,
        help="conservative share of those callers recovered by answering at once, 0-1",
    )
    parser.add_argument(
        "--first-session-value",
        metavar="USD",
        type=_decimal,
        required=True,
        help="average value of a first session in dollars",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--long-term",
        action="store_true",
        help="add the longer-term projection (implied by any long-term option)",
    )
    group = parser.add_argument_group("long-term assumptions (defaults are placeholders)")
    defaults = LongTermInputs()
    for flag, name, metavar, text in LONG_TERM_OPTIONS:
        group.add_argument(
            flag,
            dest=name,
            metavar=metavar,
            type=_decimal,
            default=None,
            help=f"{text} (default {getattr(defaults, name)})",
        )
    parser.add_argument(
        "--sensitivity",
        action="store_true",
        help="add a low/base/high grid for intent and lift (implied by a range option)",
    )
    parser.add_argument(
        "--lift-range",
        nargs=2,
        metavar=("LOW", "HIGH"),
        type=_decimal,
        default=None,
        help="low and high lift for the grid (default: 10 points either side)",
    )
    parser.add_argument(
        "--intent-range",
        nargs=2,
        metavar=("LOW", "HIGH"),
        type=_decimal,
        default=None,
        help="low and high intent share for the grid (default: 10 points either side)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    inputs = RoiInputs(
        monthly_calls=args.monthly_calls,
        intent_rate=args.intent_rate,
        lift=args.lift,
        first_session_value=args.first_session_value,
    )
    chosen = {name: getattr(args, name) for _, name, _, _ in LONG_TERM_OPTIONS}
    given = {name: value for name, value in chosen.items() if value is not None}
    projection = (
        long_term_projection(inputs, LongTermInputs(**given)) if args.long_term or given else None
    )
    rows = (
        sensitivity_table(
            inputs,
            lift=_range(args.lift_range, inputs.lift),
            intent=_range(args.intent_range, inputs.intent_rate),
        )
        if args.sensitivity or args.lift_range or args.intent_range
        else None
    )
    if args.json:
        print_json(_as_json(inputs, projection, rows))
    else:
        print(_as_text(inputs, projection, rows))
    return 0


def _range(pair: list[Decimal] | None, base: Decimal) -> Triple | None:
    return None if pair is None else (pair[0], base, pair[1])


def _number(value: Decimal) -> float:
    """Decimal to a JSON number; money is already rounded to cents, so floats print exactly."""
    return float(value)


def _as_json(
    inputs: RoiInputs,
    projection: LongTermProjection | None,
    rows: tuple[SensitivityRow, ...] | None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "currency": "USD",
        "inputs": {
            "monthly_calls": inputs.monthly_calls,
            "intent_rate": _number(inputs.intent_rate),
            "lift": _number(inputs.lift),
            "first_session_value": _number(inputs.first_session_value),
        },
        "recovered_first_sessions": _number(recovered_first_sessions(inputs)),
        "monthly_recovered_value": _number(monthly_recovered_value(inputs)),
    }
    if projection is not None:
        assumptions = projection.assumptions
        document["long_term"] = {
            "basis": projection.basis,
            "assumptions": {
                name: _number(getattr(assumptions, name)) for _, name, _, _ in LONG_TERM_OPTIONS
            },
            "value_per_session": _number(projection.value_per_session),
            "lines": [
                {
                    "key": line.key,
                    "description": line.description,
                    "unit": str(line.unit),
                    "monthly": _number(line.monthly),
                    "annual": _number(line.annual),
                    "basis": line.basis,
                }
                for line in projection.lines
            ],
        }
    if rows is not None:
        document["sensitivity"] = {
            "basis": PLANNING_ESTIMATE,
            "rows": [
                {
                    "intent_scenario": str(row.intent_scenario),
                    "lift_scenario": str(row.lift_scenario),
                    "intent_rate": _number(row.intent_rate),
                    "lift": _number(row.lift),
                    "monthly_recovered_value": _number(row.monthly_recovered_value),
                }
                for row in rows
            ],
        }
    return document


def _dollars(value: Decimal) -> str:
    return f"${value:,.2f}"


def _plain(value: Decimal) -> str:
    """A number without trailing zeros or exponent: 0.42 -> '0.42', 40.00 -> '40'."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent(rate: Decimal) -> str:
    return f"{_plain(rate * 100)}%"


def _count(value: Decimal) -> str:
    return f"{value:,.1f}"


def _as_text(
    inputs: RoiInputs,
    projection: LongTermProjection | None,
    rows: tuple[SensitivityRow, ...] | None,
) -> str:
    value = inputs.first_session_value
    out = [
        "Monthly recovered first-session value",
        f"  {inputs.monthly_calls:,} calls x {_percent(inputs.intent_rate)} intake or scheduling"
        f" intent x {_percent(inputs.lift)} lift x {_dollars(value)} per first session",
        f"  = {_count(recovered_first_sessions(inputs))} first sessions a month"
        f" x {_dollars(value)}",
        f"  = {_dollars(monthly_recovered_value(inputs))} a month",
    ]
    if projection is not None:
        out += ["", *_long_term_text(projection)]
    if rows is not None:
        out += ["", *_sensitivity_text(rows)]
    return "\n".join(out)


def _long_term_text(projection: LongTermProjection) -> list[str]:
    a = projection.assumptions
    out = [
        f"Longer-term projection ({projection.basis})",
        f"  assumptions: {_percent(a.consult_to_first_session)} consult to first session,"
        f" {_percent(a.first_session_show_rate)} first-session show rate,"
        f" {_plain(a.sessions_per_client)} sessions per client",
        f"  payer mix: {_percent(a.private_pay_share)} private pay at"
        f" {_dollars(a.private_pay_fee)}; insurance {_dollars(a.insurance_reimbursement)}"
        f" + {_dollars(a.client_responsibility)} client responsibility",
        f"  = {_dollars(projection.value_per_session)} per session across the payer mix",
        "  Each column follows a month's (a year's) recovered callers through their care.",
    ]
    width = max(len(line.description) for line in projection.lines)
    out.append(f"  {'':<{width}}  {'one month':>12}  {'one year':>14}")
    for line in projection.lines:
        show = _dollars if line.unit is Unit.USD else _count
        out.append(
            f"  {line.description:<{width}}  {show(line.monthly):>12}  {show(line.annual):>14}"
        )
    out.append("  Replace the placeholder assumptions with the practice's own figures.")
    return out


def _sensitivity_text(rows: tuple[SensitivityRow, ...]) -> list[str]:
    lifts = [row.lift for row in rows[: len(SCENARIOS)]]
    header = "".join(f"{_percent(lift) + ' lift':>14}" for lift in lifts)
    out = [
        f"Sensitivity: monthly recovered value ({PLANNING_ESTIMATE})",
        f"  {'intent':<14}{header}",
    ]
    for start in range(0, len(rows), len(SCENARIOS)):
        row_group = rows[start : start + len(SCENARIOS)]
        first = row_group[0]
        label = f"{_percent(first.intent_rate)} ({first.intent_scenario})"
        cells = "".join(f"{_dollars(row.monthly_recovered_value):>14}" for row in row_group)
        out.append(f"  {label:<14}{cells}")
    return out
