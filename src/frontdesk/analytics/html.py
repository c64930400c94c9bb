"""The HTML report: one self-contained page with charts drawn by matplotlib as inline SVG.

Nothing on the page comes from another host: no scripts, stylesheets, fonts or images are
linked, the charts are SVG markup inside the page, and the SVG namespace declarations
(which name w3.org but load nothing) are dropped, as HTML allows for inline SVG.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display, no network: render to memory only

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from frontdesk.analytics.metrics import DailyCalls, SpeedBucket
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

ANSWERED = "#2f6f8f"
MISSED = "#c0504d"
ABANDONED = "#e0a040"
BAR = "#5b8c5a"
_XML_DECLARATION = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
# Typed loosely: matplotlib's stubs list every rc key as a literal.
_STYLE: Any = {
    "svg.fonttype": "none",  # text stays text: smaller, and readable by screen readers
    "svg.hashsalt": "frontdesk",  # stable element ids, so the same report renders the same
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("frontdesk.analytics", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def svg(figure: Figure) -> Markup:
    """A figure as inline SVG markup with no references to any other host."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = _XML_DECLARATION.sub("", buffer.getvalue())
    text = _METADATA.sub("", _NAMESPACES.sub("", text))
    return Markup(text)  # noqa: S704 - matplotlib output, escaped by matplotlib itself


def _figure(height: float = 2.6) -> tuple[Figure, Axes]:
    figure, axes = plt.subplots(figsize=(7.2, height))
    return figure, axes


def daily_chart(days: Sequence[DailyCalls]) -> Markup:
    """Answered, missed and abandoned calls per local day, as stacked bars."""
    with plt.rc_context(_STYLE):
        figure, axes = _figure()
        labels = [_short(d.day) for d in days]
        positions = list(range(len(days)))
        answered = [d.answered - d.abandoned for d in days]
        abandoned = [d.abandoned for d in days]
        missed = [d.missed for d in days]
        axes.bar(positions, answered, color=ANSWERED, label="answered")
        axes.bar(positions, abandoned, bottom=answered, color=ABANDONED, label="abandoned")
        tops = [a + b for a, b in zip(answered, abandoned, strict=True)]
        axes.bar(positions, missed, bottom=tops, color=MISSED, label="missed")
        step = max(1, len(days) // 10)
        axes.set_xticks(positions[::step], labels[::step])
        axes.set_ylabel("calls")
        axes.legend(frameon=False, ncols=3, loc="upper left")
        return svg(figure)


def bar_chart(items: Sequence[tuple[str, int]], *, xlabel: str) -> Markup:
    """Horizontal bars, first item on top, each labelled with its count."""
    with plt.rc_context(_STYLE):
        figure, axes = _figure(0.5 + 0.4 * max(1, len(items)))
        names = [name for name, _ in items][::-1]
        counts = [count for _, count in items][::-1]
        bars = axes.barh(names, counts, color=BAR)
        axes.bar_label(bars, padding=3)
        axes.set_xlabel(xlabel)
        axes.margins(x=0.12)
        return svg(figure)


def speed_chart(buckets: Sequence[SpeedBucket], median: int | None, p90: int | None) -> Markup:
    """How many callbacks came how many hours after the call, with the median and p90 marked."""
    with plt.rc_context(_STYLE):
        figure, axes = _figure()
        hours: dict[int, int] = {}
        for bucket in buckets:
            hours[bucket.minutes // 60] = hours.get(bucket.minutes // 60, 0) + bucket.count
        axes.bar(list(hours), list(hours.values()), width=0.9, color=ANSWERED, align="edge")
        for minutes, name, style in ((median, "median", "--"), (p90, "90th percentile", ":")):
            if minutes is not None:
                axes.axvline(minutes / 60, color=MISSED, linestyle=style, label=name)
        axes.set_xlabel("hours from the end of the call to the completed callback")
        axes.set_ylabel("callbacks")
        if median is not None:
            axes.legend(frameon=False)
        return svg(figure)


def _short(day: date) -> str:
    return f"{day:%b} {day.day}"


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
