"""The report's charts, drawn by matplotlib as inline SVG with no references to another host.

Only drawing a report imports this module (`frontdesk.analytics.html` does so when it
renders one), so matplotlib, slow to import and large in memory, is never loaded by a
process that serves no report.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display, no network: render to memory only

from markupsafe import Markup
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from frontdesk.analytics.metrics import DailyCalls, SpeedBucket

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
