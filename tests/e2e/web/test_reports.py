"""`/reports` and `/roi`: server-rendered pages over the real services and database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from tests.unit.test_report_html import external_references

from frontdesk.bootstrap import Services
from frontdesk.entrypoints.web import errors, reports
from frontdesk.services.calls import end_call, start_call

from .conftest import OPEN, TestClient

API_TOKEN = "reports-token-0123456789"
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


@pytest.fixture
def pages(services: Services) -> Iterator[TestClient]:
    """An application with the report routes, its API token set."""
    settings = services.settings.model_copy(update={"api_token": SecretStr(API_TOKEN)})
    app = FastAPI()
    errors.install(app)
    app.state.services = replace(services, settings=settings)
    app.include_router(reports.router)
    with TestClient(app) as client:
        yield client


def test_reports_page_measures_calls_in_the_default_range(
    services: Services, pages: TestClient
) -> None:
    """A call taken today shows on the default 30-day page, which loads nothing remote."""
    opened = start_call(
        external_id=None,
        caller_number="+13125550100",
        at=OPEN,
        uow=services.uow(),
        context=services.engine,
    )
    end_call(
        call_id=opened.call_id,
        at=OPEN + timedelta(minutes=1),
        uow=services.uow(),
        context=services.engine,
    )
    response = pages.get("/reports", headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "2026-02-02 to 2026-03-03" in page
    assert '<tr id="answered_calls"><td>Answered calls</td><td class="value">1</td>' in page
    assert external_references(page) == []


def test_reports_page_takes_a_range(pages: TestClient) -> None:
    """`from` and `to` choose the days; a malformed date is refused."""
    response = pages.get("/reports?from=2026-01-01&to=2026-01-07", headers=AUTH)
    assert response.status_code == 200
    assert "2026-01-01 to 2026-01-07" in response.text
    assert pages.get("/reports?from=yesterday", headers=AUTH).status_code == 422
    backwards = pages.get("/reports?from=2026-01-07&to=2026-01-01", headers=AUTH)
    assert backwards.status_code in (400, 422)
    assert "ends before it starts" in backwards.text


def test_reports_page_needs_staff_access(pages: TestClient) -> None:
    """Without the API token the report is not shown."""
    assert pages.get("/reports").status_code == 401


def test_roi_page_calculates_from_the_query(pages: TestClient) -> None:
    """The calculator is open to all and recomputes from the form's query parameters."""
    reference = pages.get("/roi")
    assert reference.status_code == 200
    assert "$5,670.00" in reference.text
    custom = pages.get("/roi?monthly_calls=200&intent_rate=0.5&lift=0.2&first_session_value=100")
    assert "$2,000.00" in custom.text
    assert external_references(custom.text) == []
    invalid = pages.get("/roi?lift=2")
    assert invalid.status_code == 400
    assert "lift must be between 0 and 1" in invalid.text
