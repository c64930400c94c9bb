"""The HTML report: one self-contained page with charts drawn by matplotlib as inline SVG.

Nothing on the page comes from another host: no scripts, stylesheets, fonts or images are
linked, the charts are SVG markup inside the page (`frontdesk.analytics.charts`), and the
SVG namespace declarations (which name w3.org but load nothing) are dropped, as HTML allows
for inline SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from frontdesk.analytics.report import Metric, Report, Unit
from frontdesk.analytics.roi import (
    SCENARIOS,
    RoiInputs,
    long_term_projection,
    monthly_recovered_value,
    recovered_first_sessions,
    sensitivity_table,
)
from frontdesk.analytics.roi import Unit as RoiUnit
from frontdesk.domain.errors import InvalidInput


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("frontdesk.analytics", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def formatted(metric: Metric) -> str:
    """A metric's value as people read it: counts with separators, shares as percentages."""
    value = metric.value
    if value is None:
        return "–"
    if metric.unit is Unit.SHARE:
        return f"{Decimal(value) * 100:.1f}%"
    if metric.unit is Unit.USD:
        return f"${Decimal(value):,.2f}"
    if metric.unit is Unit.MINUTES:
        return f"{value:,} min"
    return f"{value:,}"


def render_html(report: Report, *, form: bool = False, fragment: bool = False) -> str:
    """The whole report page; `form` adds the date-range form the web page uses;
    `fragment` gives only the page's content, for the console's layout."""
    # Imported here, not at the top: only drawing a report needs matplotlib (slow, large).
    from frontdesk.analytics.charts import bar_chart, daily_chart, speed_chart

    speed_median = report.value("callback_median_minutes")
    speed_p90 = report.value("callback_p90_minutes")
    charts = {
        "daily": daily_chart(report.daily),
        "funnel": bar_chart(report.funnel.stages, xlabel="people"),
        "speed": speed_chart(
            report.callback_delays,
            speed_median if isinstance(speed_median, int) else None,
            speed_p90 if isinstance(speed_p90, int) else None,
        ),
        "handoffs": bar_chart(
            [(str(category).replace("_", " "), n) for category, n in report.handoff_routes],
            xlabel="hand-offs",
        ),
    }
    template = _environment().get_template("_report_body.html" if fragment else "report.html")
    return template.render(
        report=report,
        rows=[(metric, formatted(metric)) for metric in report.metrics],
        charts=charts,
        form=form,
    )


# --- the ROI calculator page ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoiForm:
    """The calculator's fields as typed, shown back in the form (the reference case first)."""

    monthly_calls: str = "360"
    intent_rate: str = "0.42"
    lift: str = "0.25"
    first_session_value: str = "150"

    def inputs(self) -> RoiInputs:
        """The model's inputs; `InvalidInput` names the field that is not a valid number."""
        values: dict[str, Decimal] = {}
        for name in ("monthly_calls", "intent_rate", "lift", "first_session_value"):
            text = getattr(self, name).strip().lstrip("$").replace(",", "")
            try:
                values[name] = Decimal(text)
            except InvalidOperation:
                raise InvalidInput(f"{name} must be a number") from None
        calls = values.pop("monthly_calls")
        if calls != calls.to_integral_value():
            raise InvalidInput("monthly_calls must be a whole number")
        return RoiInputs(monthly_calls=int(calls), **values)


def _percent(rate: Decimal) -> str:
    text = f"{rate * 100:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def render_roi_html(form: RoiForm, *, fragment: bool = False) -> tuple[str, bool]:
    """The calculator page for the typed fields, and whether they were valid; `fragment`
    gives only the page's content, for the console's layout."""
    template = _environment().get_template("_roi_body.html" if fragment else "roi.html")
    try:
        inputs = form.inputs()
    except InvalidInput as exc:
        return template.render(form=form, error=str(exc)), False
    rows = sensitivity_table(inputs)
    width = len(SCENARIOS)
    lifts = [_percent(row.lift) for row in rows[:width]]
    grid = [
        (
            f"{_percent(rows[start].intent_rate)} ({rows[start].intent_scenario})",
            [f"${row.monthly_recovered_value:,.2f}" for row in rows[start : start + width]],
        )
        for start in range(0, len(rows), width)
    ]
    projection = long_term_projection(inputs)
    lines = [
        (
            line.description,
            *(
                f"${amount:,.2f}" if line.unit is RoiUnit.USD else f"{amount:,.1f}"
                for amount in (line.monthly, line.annual)
            ),
        )
        for line in projection.lines
    ]
    page = template.render(
        form=form,
        error=None,
        sessions=f"{recovered_first_sessions(inputs):,.1f}",
        monthly=f"${monthly_recovered_value(inputs):,.2f}",
        lifts=lifts,
        grid=grid,
        projection=projection,
        lines=lines,
    )
    return page, True
