"""The HTML report and the ROI page: self-contained, nothing loaded from any other host."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from frontdesk.analytics.html import RoiForm, formatted, render_html, render_roi_html
from frontdesk.analytics.metrics import DailyCalls, FunnelCounts, SpeedBucket
from frontdesk.analytics.report import Metric, Report, Unit, definitions
from frontdesk.domain.calls import HandoffCategory

_URL = re.compile(r"(?:https?:)?//[\w.-]+", re.IGNORECASE)
_EXTERNAL = (
    re.compile(r"<script[^>]*\bsrc\s*=", re.IGNORECASE),
    re.compile(r"<link[^>]*\bhref\s*=", re.IGNORECASE),
    re.compile(r"<img[^>]*\bsrc\s*=\s*[\"'](?!data:)", re.IGNORECASE),
    re.compile(r"@import", re.IGNORECASE),
    re.compile(r"url\(\s*[\"']?(?!#)", re.IGNORECASE),
    re.compile(r"\b(?:src|href)\s*=\s*[\"']//", re.IGNORECASE),
)


def external_references(page: str) -> list[str]:
    """Everything in a page that would make a browser contact another host."""
    found = _URL.findall(page)
    for pattern in _EXTERNAL:
        found += pattern.findall(page)
    return found


def sample_report(*, empty: bool = False) -> Report:
    values = {d.key: (None if d.unit is not Unit.COUNT else 0) for d in definitions()}
    if not empty:
        values.update(
            answered_calls=120,
            after_hours_share=Decimal("0.3750"),
            callback_median_minutes=42,
            callback_p90_minutes=300,
            recovered_first_session_value=Decimal("1750.00"),
        )
    start = date(2026, 3, 1)
    days = 0 if empty else 14
    return Report(
        practice="Cedar <Grove> & Co",
        timezone="America/Chicago",
        start=start,
        end=start + timedelta(days=13),
        recovery_window_hours=48,
        metrics=tuple(
            Metric(d.key, d.label, d.unit, values[d.key], d.definition) for d in definitions()
        ),
        daily=tuple(
            DailyCalls(start + timedelta(days=n), answered=8 + n % 3, missed=n % 2, abandoned=1)
            for n in range(days)
        ),
        funnel=FunnelCounts(
            inquiries=30,
            consult_requests=12,
            consults_booked=9,
            first_sessions_booked=10,
            first_sessions_completed=7,
            first_sessions_via_frontdesk_completed=5,
        ),
        handoff_routes=tuple((c, 3) for c in HandoffCategory),
        callback_delays=()
        if empty
        else (SpeedBucket(10, 4), SpeedBucket(42, 5), SpeedBucket(300, 2)),
    )


@pytest.mark.parametrize("empty", [False, True], ids=["history", "empty"])
def test_report_page_loads_nothing_from_another_host(empty: bool) -> None:
    """The page has no URL, linked script, stylesheet, import or external url() at all."""
    page = render_html(sample_report(empty=empty), form=True)
    assert external_references(page) == []
    assert page.count("<svg") == 4


def test_the_scanner_would_catch_an_external_reference() -> None:
    """The scan flags remote scripts, stylesheets, imports and URLs, so the test can fail."""
    for snippet in (
        '<script src="x.js"></script>',
        '<link href="a.css" rel="stylesheet">',
        "<style>@import 'a.css';</style>",
        "<div style=\"background: url('a.png')\"></div>",
        "see https://example.org/chart",
        '<img src="//cdn.example/x.png">',
    ):
        assert external_references(snippet), snippet
    assert external_references('<rect clip-path="url(#p1)"/>') == []


def test_report_page_shows_every_metric_and_escapes_names() -> None:
    """Each metric has a row with its definition; the practice name is escaped."""
    report = sample_report()
    page = render_html(report)
    for metric in report.metrics:
        assert f'id="{metric.key}"' in page
    assert "Cedar &lt;Grove&gt; &amp; Co" in page
    assert "37.5%" in page
    assert "$1,750.00" in page
    assert "<form" not in page


def test_values_are_formatted_by_unit() -> None:
    """Counts get separators, shares become percentages, money dollars, empties a dash."""

    def metric(unit: Unit, value: int | Decimal | None) -> Metric:
        return Metric("k", "K", unit, value, "")

    assert formatted(metric(Unit.COUNT, 12345)) == "12,345"
    assert formatted(metric(Unit.SHARE, Decimal("0.3333"))) == "33.3%"
    assert formatted(metric(Unit.USD, Decimal("5670"))) == "$5,670.00"
    assert formatted(metric(Unit.MINUTES, 90)) == "90 min"
    assert formatted(metric(Unit.SHARE, None)) == "–"


def test_roi_page_shows_the_reference_case_without_external_references() -> None:
    """The calculator's reference inputs give $5,670.00 a month, on a self-contained page."""
    page, valid = render_roi_html(RoiForm())
    assert valid
    assert "$5,670.00" in page
    assert "37.8" in page  # first sessions recovered a month
    assert "planning estimate, not guaranteed revenue" in page
    assert external_references(page) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"intent_rate": "1.5"}, "intent_rate must be between 0 and 1"),
        ({"monthly_calls": "-3"}, "monthly_calls must be 0 or more"),
        ({"monthly_calls": "12.5"}, "monthly_calls must be a whole number"),
        ({"lift": "lots"}, "lift must be a number"),
    ],
)
def test_roi_page_explains_invalid_inputs(fields: dict[str, str], message: str) -> None:
    """An invalid input is named on the page and no estimate is shown."""
    page, valid = render_roi_html(RoiForm(**fields))
    assert not valid
    assert message in page
    assert "Sensitivity" not in page
