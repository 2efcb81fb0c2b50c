"""The brief's charts as Vega-Lite specifications, built with Vega-Altair from :class:`BriefData`.

Each function returns a plain JSON-able dict that ``vegaEmbed`` draws in the page. Data is
inlined in the spec (no URL to fetch), the map included: its TopoJSON ships in
``data/maps`` (Natural Earth via world-atlas; see SOURCES.md there).
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

import altair as alt

from communique.reports.brief_data import QUAD_NAMES, BriefData, Dyad
from communique.settings import DATA_DIR

MAP_FILE = DATA_DIR / "maps" / "countries-110m.json"
QUAD_COLOURS = ["#74c476", "#238b45", "#fd8d3c", "#d94801"]
WIDTH = 860
WORLD = "world-countries"


def _quad_scale() -> alt.Scale:
    return alt.Scale(domain=list(QUAD_NAMES.values()), range=QUAD_COLOURS)


def _day_axis(days: list[date], title: str | None = None) -> alt.X:
    """Every day of the window on the x axis, those without events too, labelled like 'Nov 20'."""
    return alt.X(
        "day:O",
        title=title,
        scale=alt.Scale(domain=[d.isoformat() for d in days]),
        axis=alt.Axis(labelExpr="utcFormat(toDate(datum.value), '%b %d')", labelAngle=-45, labelOverlap=True),
    )


def timeline_chart(data: BriefData) -> dict[str, Any]:
    """Events per day of the window, stacked by QuadClass; the brief's day stands out."""
    values = [
        {
            "day": c.day.isoformat(),
            "quad": QUAD_NAMES[c.quad_class],
            "q": c.quad_class,
            "events": c.events,
            "articles": c.articles,
            "type": c.event_type,
            "today": c.day == data.day,
        }
        for c in data.counts
    ]
    chart = (
        alt.Chart(alt.InlineData(values=values), title=f"Events per day by QuadClass, {len(data.days)} days")
        .mark_bar()
        .encode(
            x=_day_axis(data.days),
            y=alt.Y("sum(events):Q", title="events", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("quad:N", title="QuadClass", scale=_quad_scale(), legend=alt.Legend(orient="top")),
            order=alt.Order("q:Q"),
            opacity=alt.when(alt.datum.today).then(alt.value(1.0)).otherwise(alt.value(0.55)),
            tooltip=[
                alt.Tooltip("day:N", title="day"),
                alt.Tooltip("quad:N", title="QuadClass"),
                alt.Tooltip("sum(events):Q", title="events"),
                alt.Tooltip("sum(articles):Q", title="articles"),
            ],
        )
        .properties(width=WIDTH, height=180)
    )
    return _spec(chart)


def types_chart(data: BriefData) -> dict[str, Any]:
    """Event types by day over the window: a heat map, most frequent type first."""
    values = [{"day": c.day.isoformat(), "type": c.event_type, "events": c.events} for c in data.counts]
    totals: dict[str, int] = {}
    for c in data.counts:
        totals[c.event_type] = totals.get(c.event_type, 0) + c.events
    order = sorted(totals, key=lambda t: (-totals[t], t))
    chart = (
        alt.Chart(alt.InlineData(values=values), title="Event types per day")
        .mark_rect()
        .encode(
            x=_day_axis(data.days),
            y=alt.Y("type:N", title=None, sort=order),
            color=alt.Color(
                "sum(events):Q",
                title="events",
                scale=alt.Scale(scheme="blues", domainMin=0),
                legend=alt.Legend(format="d", tickMinStep=1),
            ),
            tooltip=[
                alt.Tooltip("day:N", title="day"),
                alt.Tooltip("type:N", title="type"),
                alt.Tooltip("sum(events):Q", title="events"),
            ],
        )
        .properties(width=WIDTH, height=max(60, 18 * len(order)))
    )
    return _spec(chart)


def _dyad_label(dyad: Dyad) -> str:
    return f"{dyad.source_name} → {dyad.target_name}"


def dyads_chart(data: BriefData) -> dict[str, Any]:
    """The most active ordered pairs of the window: events by QuadClass, and their mean Goldstein weight."""
    labels = [_dyad_label(d) for d in data.dyads]
    bars = [
        {"pair": _dyad_label(d), "quad": QUAD_NAMES[q + 1], "q": q + 1, "events": n}
        for d in data.dyads
        for q, n in enumerate(d.quad_events)
        if n
    ]
    balance = [
        {
            "pair": _dyad_label(d),
            "mean": round(d.goldstein_mean, 2),
            "sum": round(d.goldstein_sum, 1),
            "events": d.events,
            "articles": d.articles,
        }
        for d in data.dyads
    ]
    y = alt.Y("pair:N", title=None, sort=labels, axis=alt.Axis(labelLimit=240))
    events = (
        alt.Chart(alt.InlineData(values=bars), title="Most active pairs: events by QuadClass")
        .mark_bar()
        .encode(
            x=alt.X("sum(events):Q", title="events", axis=alt.Axis(format="d", tickMinStep=1)),
            y=y,
            color=alt.Color("quad:N", title="QuadClass", scale=_quad_scale(), legend=alt.Legend(orient="bottom")),
            order=alt.Order("q:Q"),
            tooltip=[alt.Tooltip("pair:N"), alt.Tooltip("quad:N", title="QuadClass"), alt.Tooltip("sum(events):Q")],
        )
        .properties(width=380, height=max(40, 22 * len(labels)))
    )
    goldstein = (
        alt.Chart(alt.InlineData(values=balance), title="Goldstein balance (mean per event)")
        .mark_bar()
        .encode(
            x=alt.X("mean:Q", title="−10 conflict … +10 cooperation", scale=alt.Scale(domain=[-10, 10])),
            y=alt.Y("pair:N", title=None, sort=labels, axis=alt.Axis(labels=False, ticks=False)),
            color=alt.Color("mean:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[-10, 10]), legend=None),
            tooltip=[
                alt.Tooltip("pair:N"),
                alt.Tooltip("mean:Q", title="mean Goldstein"),
                alt.Tooltip("sum:Q", title="Goldstein sum"),
                alt.Tooltip("events:Q"),
                alt.Tooltip("articles:Q"),
            ],
        )
        .properties(width=300, height=max(40, 22 * len(labels)))
    )
    return _spec(alt.hconcat(events, goldstein, spacing=12))


@cache
def world_topology() -> dict[str, Any]:
    """The countries of the world (TopoJSON, ISO 3166 numeric ids), read once per process."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def map_chart(data: BriefData) -> dict[str, Any]:
    """Countries shaded by the events they took part in, and a dot where a located event happened."""
    involved = [
        {"id": f"{c.iso_numeric:03d}", "country": c.name, "events": c.events}
        for c in data.countries
        if c.iso_numeric is not None
    ]
    places = [
        {
            "day": p.day.isoformat(),
            "place": p.name,
            "lat": p.lat,
            "lon": p.lon,
            "type": p.event_type,
            "quad": QUAD_NAMES[p.quad_class],
            "parties": f"{p.source} → {p.target}",
            "articles": p.articles,
        }
        for p in data.places
    ]
    # A named dataset, filled in after validation: checking 100 KB of coordinates against the schema is slow.
    countries = alt.NamedData(name=WORLD, format=alt.TopoDataFormat(type="topojson", feature="countries"))
    shade = (
        alt.Chart(countries)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .transform_lookup(
            lookup="id", from_=alt.LookupData(alt.InlineData(values=involved), key="id", fields=["country", "events"])
        )
        .transform_calculate(events="datum.events || 0", name="datum.country || datum.properties.name")
        .encode(
            color=alt.when("datum.events > 0")
            .then(alt.Color("events:Q", title="events as a party", scale=alt.Scale(scheme="blues", domainMin=0)))
            .otherwise(alt.value("#e6e6e6")),
            tooltip=[alt.Tooltip("name:N", title="country"), alt.Tooltip("events:Q", title="events as a party")],
        )
    )
    dots = (
        alt.Chart(alt.InlineData(values=places))
        .mark_circle(stroke="black", strokeWidth=0.5, opacity=0.85)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size("articles:Q", title="articles", scale=alt.Scale(range=[40, 400]), legend=None),
            color=alt.Color("quad:N", title="QuadClass", scale=_quad_scale(), legend=None),
            tooltip=[
                alt.Tooltip("place:N"),
                alt.Tooltip("day:N"),
                alt.Tooltip("type:N"),
                alt.Tooltip("parties:N"),
                alt.Tooltip("articles:Q"),
            ],
        )
    )
    layers = [shade, dots] if places else [shade]  # an empty layer would give its size scale no extent
    chart = alt.layer(*layers, title="Where: countries involved, and places of located events").properties(
        width=WIDTH, height=430, projection=alt.Projection(type="equalEarth")
    )
    spec = _spec(chart)
    spec.setdefault("datasets", {})[WORLD] = world_topology()
    return spec


def brief_charts(data: BriefData) -> dict[str, dict[str, Any]]:
    """Every chart of the brief by its element id, in page order."""
    return {
        "chart-timeline": timeline_chart(data),
        "chart-types": types_chart(data),
        "chart-dyads": dyads_chart(data),
        "chart-map": map_chart(data),
    }


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The validated Vega-Lite dict, with a plain font and no background: the page styles it."""
    configured = chart.configure(font="system-ui, sans-serif", background="transparent").configure_view(stroke=None)
    return configured.to_dict(validate=True)  # type: ignore[no-any-return]
