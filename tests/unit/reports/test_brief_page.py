"""The brief's page and charts from plain data: escaped, self-contained, the same bytes for the same data."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from communique.models import Interval
from communique.reports.brief import interval_days
from communique.reports.brief_data import (
    BriefData,
    CountryCount,
    DayCount,
    DayTotals,
    Dyad,
    Party,
    Place,
    Report,
    TopEvent,
    fold_mutual,
)
from communique.reports.charts import WORLD, brief_charts, world_topology
from communique.reports.page import render_page, script_json

DAY = date(2025, 3, 20)
HOSTILE = 'He said "</script><script>alert(1)</script>" & <b>left</b>.'


def _party(name: str, country: str | None, title: str | None = None) -> Party:
    return Party(name, title, country, {"USA": "United States", "CHN": "China"}.get(country or ""), None)


def _event(event_id: str, source: Party, target: Party, evidence: str = "They met.") -> TopEvent:
    return TopEvent(
        event_id=event_id, event_type="meeting", cameo_code="040", quad_class=1, goldstein=1.0, source=source,
        target=target, location="Beijing", evidence=evidence, num_articles=2, num_sources=2,
        reports=[Report("https://wire.example/a?x=1&y=2", "wire.example", "<i>Summit</i>",
                        datetime(2025, 3, 20, 9, 0, tzinfo=UTC), True)],
    )  # fmt: skip


def sample_data(top: list[TopEvent] | None = None) -> BriefData:
    biden, xi = _party("Joe Biden", "USA", "President"), _party("Xi Jinping", "CHN", "President")
    return BriefData(
        day=DAY, first_day=DAY - timedelta(days=29), totals=DayTotals(2, 3, 2, 2),
        counts=[DayCount(DAY, "meeting", 1, 2, 3), DayCount(DAY - timedelta(days=3), "criticism", 3, 1, 1)],
        dyads=[Dyad("USA", "United States", "CHN", "China", 2, (1, 0, 1, 0), -1.0, 3),
               Dyad("IGOUNO", "United Nations", "USA", "United States", 1, (0, 0, 0, 1), -8.0, 1)],
        countries=[CountryCount("USA", 840, "United States", 3), CountryCount("CHN", 156, "China", 2)],
        places=[Place(DAY, "Beijing", "CHN", 39.9, 116.4, "meeting", 1, "Joe Biden", "Xi Jinping", 2)],
        top=top if top is not None else [_event("e1", biden, xi, HOSTILE)],
    )  # fmt: skip


def _page(data: BriefData) -> str:
    return render_page(data, brief_charts(data), "window.vegaEmbed = function () {};", "6.4")


def _urls(value: Any) -> list[str]:
    """Every 'url' key in a spec: data to fetch at run time (there must be none)."""
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "url"] + [u for v in value.values() for u in _urls(v)]
    if isinstance(value, list):
        return [u for v in value for u in _urls(v)]
    return []


def test_charts_carry_their_data_inline_and_the_map_its_countries() -> None:
    specs = brief_charts(sample_data())
    assert list(specs) == ["chart-timeline", "chart-types", "chart-dyads", "chart-map"]
    assert all(spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v") for spec in specs.values())
    assert _urls(specs) == []
    countries = specs["chart-map"]["datasets"][WORLD]
    assert countries["type"] == "Topology" and len(countries["objects"]["countries"]["geometries"]) > 170
    assert countries is world_topology()
    timeline = json.dumps(specs["chart-timeline"])
    assert '"2025-02-19"' in timeline and '"2025-03-20"' in timeline  # the whole window is on the axis


def test_news_text_is_escaped_in_the_table_and_in_the_chart_data() -> None:
    page = _page(sample_data())
    assert "<script><script>" not in page and "alert(1)</script>" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page  # the table shows it as text
    assert "&lt;i&gt;Summit&lt;/i&gt;" in page
    assert 'href="https://wire.example/a?x=1&amp;y=2"' in page
    assert page.count("<script") == 3 and page.count("</script>") == 3  # bundle, specs, the embed call


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"s": "</script><!-- \u2028"})
    assert "<" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": "</script><!-- \u2028"}


def test_the_page_fetches_nothing() -> None:
    page = _page(sample_data())
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "@import" not in page and "url(" not in page


def test_the_same_data_gives_the_same_page() -> None:
    assert _page(sample_data()) == _page(sample_data())


def test_a_day_without_events_says_so() -> None:
    page = _page(sample_data(top=[]))
    assert "No events are dated 20 Mar 2025 in the warehouse." in page


def test_a_mutual_act_is_one_row() -> None:
    biden, xi, wang = _party("Joe Biden", "USA"), _party("Xi Jinping", "CHN"), _party("Wang Yi", "CHN")
    events = [_event("a", biden, xi), _event("b", xi, biden), _event("c", biden, wang), _event("d", xi, wang, "Other.")]
    folded = fold_mutual(events)
    assert [(e.event_id, e.mutual) for e in folded] == [("a", True), ("c", False), ("d", False)]
    page = _page(sample_data(top=folded))
    assert page.count("↔") == 1


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2025-03-20T00:00", "2025-03-21T00:00", ["2025-03-20"]),
        ("2025-03-20T00:00", "2025-03-22T00:00", ["2025-03-20", "2025-03-21"]),
        ("2025-03-20T05:00", "2025-03-21T05:00", ["2025-03-20", "2025-03-21"]),
    ],
)
def test_a_daily_interval_is_its_day(start: str, end: str, days: list[str]) -> None:
    assert [d.isoformat() for d in interval_days(Interval.parse(start, end))] == days
