"""The demo's brief in a real browser, with no network: every chart draws its marks, the console stays clean.

The screenshot is kept in tests/artifacts/ (its path is printed at the end of the run).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.reports.access import analyst_connection
from communique.reports.brief import latest_event_day, write_brief
from communique.reports.brief_data import BriefData, read_brief
from tests.support.browser import require_chromium, visit

from .conftest import keep_artifact

pytestmark = pytest.mark.slow


def _expected_marks(data: BriefData) -> dict[str, dict[str, int]]:
    """How many data marks each chart must draw for the day's data."""
    return {
        "chart-timeline": {"mark-rect": len({(c.day, c.quad_class) for c in data.counts})},
        "chart-types": {"mark-rect": len({(c.day, c.event_type) for c in data.counts})},
        "chart-dyads": {"mark-rect": sum(1 for d in data.dyads for n in d.quad_events if n) + len(data.dyads)},
        "chart-map": {"mark-shape": 177} | ({"mark-symbol": len(data.places)} if data.places else {}),
    }


def test_the_demo_brief_draws_every_chart_offline(demo_dsn: str, tmp_path: Path, artifacts: Path) -> None:
    require_chromium()
    day = latest_event_day(demo_dsn)
    assert day is not None
    page = write_brief(demo_dsn, day, tmp_path).path
    with analyst_connection(demo_dsn) as conn:
        data = read_brief(conn, day)

    seen = visit(page, keep_artifact(artifacts / f"brief-{day}.png"))

    assert seen.blocked == [], "the page asked for the network"
    assert seen.console_errors == []
    assert set(seen.charts) == {"chart-timeline", "chart-types", "chart-dyads", "chart-map"}
    for chart, marks in _expected_marks(data).items():
        drawn = seen.charts[chart]
        assert drawn["rendered"] == "true" and drawn["svg"] == 1, (chart, drawn)
        assert drawn["marks"] == marks, chart
    assert all(n > 0 for marks in _expected_marks(data).values() for n in marks.values())
    assert (artifacts / f"brief-{day}.png").stat().st_size > 50_000


def test_the_harness_sees_a_page_that_reaches_for_the_network(tmp_path: Path) -> None:
    """The check above is not vacuous: a request to anything but a file is caught (and refused)."""
    require_chromium()
    page = tmp_path / "leaky.html"
    page.write_text(
        '<img src="http://127.0.0.1:9/pixel.png"><script src="https://cdn.invalid/vega.js"></script>'
        "<script>console.error('boom')</script>",
        encoding="utf-8",
    )
    seen = visit(page, wait_for_charts=False)
    assert seen.blocked == ["http://127.0.0.1:9/pixel.png", "https://cdn.invalid/vega.js"]
    assert "boom" in seen.console_errors
