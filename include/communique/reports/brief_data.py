"""What a daily brief shows, read from the analyst views: plain typed rows, no presentation.

The brief is about one day of events (``event_date``) and the window of days that ends on it:
counts by day, event type and QuadClass; the most active ordered pairs and their Goldstein
balance; the countries involved and the places of located events; and the day's most reported
events with every article that reports them. Everything is a function of the warehouse's
rows, so rendering the same day again gives the same page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

#: Days of context before and including the brief's day.
WINDOW_DAYS = 30
#: Ordered pairs shown in the dyad chart.
TOP_DYADS = 12
#: Events shown in the day's table (after mutual pairs are folded into one row).
TOP_EVENTS = 25
#: Reports read to fill the table: enough to fold mutual pairs and still have TOP_EVENTS rows.
_CANDIDATES = 4 * TOP_EVENTS
QUAD_NAMES = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict"}


@dataclass(frozen=True, slots=True)
class DayCount:
    """Events of one (day, event type, QuadClass) in the window."""

    day: date
    event_type: str
    quad_class: int
    events: int
    articles: int


@dataclass(frozen=True, slots=True)
class Dyad:
    """An ordered pair of parties over the window: countries by ISO code, organisations by CAMEO code."""

    source: str
    source_name: str
    target: str
    target_name: str
    events: int
    quad_events: tuple[int, int, int, int]
    goldstein_sum: float
    articles: int

    @property
    def goldstein_mean(self) -> float:
        return self.goldstein_sum / self.events if self.events else 0.0


@dataclass(frozen=True, slots=True)
class CountryCount:
    """A country and the events of the window it took part in, as either party."""

    iso3: str
    iso_numeric: int | None
    name: str
    events: int


@dataclass(frozen=True, slots=True)
class Place:
    """A located event of the window (the gazetteer knew the place's coordinates)."""

    day: date
    name: str
    country: str | None
    lat: float
    lon: float
    event_type: str
    quad_class: int
    source: str
    target: str
    articles: int


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    title: str | None
    country: str | None
    country_name: str | None
    cameo: str | None


@dataclass(frozen=True, slots=True)
class Report:
    """One article that reports an event."""

    url: str
    outlet: str | None
    title: str | None
    published_at: datetime | None
    extracted: bool


@dataclass(slots=True)
class TopEvent:
    """A row of the day's table; ``mutual`` when the A->B and B->A facts of one symmetric act were folded."""

    event_id: str
    event_type: str
    cameo_code: str
    quad_class: int
    goldstein: float
    source: Party
    target: Party
    location: str | None
    evidence: str
    num_articles: int
    num_sources: int
    mutual: bool = False
    reports: list[Report] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DayTotals:
    events: int
    articles: int
    outlets: int
    countries: int


@dataclass(slots=True)
class BriefData:
    day: date
    first_day: date
    totals: DayTotals
    counts: list[DayCount]
    dyads: list[Dyad]
    countries: list[CountryCount]
    places: list[Place]
    top: list[TopEvent]

    @property
    def days(self) -> list[date]:
        """Every day of the window, oldest first (days without events included)."""
        return [self.first_day + timedelta(days=n) for n in range((self.day - self.first_day).days + 1)]

    @property
    def window_events(self) -> int:
        return sum(c.events for c in self.counts)


def read_brief(conn: psycopg.Connection[Any], day: date, window_days: int = WINDOW_DAYS) -> BriefData:
    """Everything the brief of ``day`` shows, in one snapshot of the warehouse."""
    first = day - timedelta(days=window_days - 1)
    span = {"first": first, "day": day}
    return BriefData(
        day=day,
        first_day=first,
        totals=_totals(conn, day),
        counts=_counts(conn, span),
        dyads=_dyads(conn, span),
        countries=_countries(conn, span),
        places=_places(conn, span),
        top=_top_events(conn, day),
    )


def _totals(conn: psycopg.Connection[Any], day: date) -> DayTotals:
    row = conn.execute(
        """SELECT count(DISTINCT e.event_id),
                  (SELECT count(DISTINCT a) FROM fct_diplomatic_event f, unnest(f.article_ids) a
                    WHERE f.event_date = %(day)s),
                  (SELECT count(DISTINCT o) FROM fct_diplomatic_event f, unnest(f.outlets) o
                    WHERE f.event_date = %(day)s),
                  (SELECT count(DISTINCT c) FROM fct_diplomatic_event f,
                          unnest(ARRAY[f.source_country, f.target_country]) c
                    WHERE f.event_date = %(day)s)
             FROM fct_diplomatic_event AS e WHERE e.event_date = %(day)s""",
        {"day": day},
    ).fetchone()
    assert row is not None
    return DayTotals(*(int(v) for v in row))


def _counts(conn: psycopg.Connection[Any], span: dict[str, date]) -> list[DayCount]:
    rows = conn.execute(
        """SELECT event_date, event_type, quad_class, count(*), sum(num_articles)
             FROM fct_diplomatic_event
            WHERE event_date BETWEEN %(first)s AND %(day)s
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
        span,
    ).fetchall()
    return [DayCount(d, t, int(q), int(n), int(a)) for d, t, q, n, a in rows]


def _dyads(conn: psycopg.Connection[Any], span: dict[str, date]) -> list[Dyad]:
    rows = conn.execute(
        """SELECT source_country, source_country_name, target_country, target_country_name, sum(events),
                  sum(quad1_events), sum(quad2_events), sum(quad3_events), sum(quad4_events),
                  sum(goldstein_sum), sum(articles)
             FROM v_dyad_daily
            WHERE event_date BETWEEN %(first)s AND %(day)s
            GROUP BY 1, 2, 3, 4
            ORDER BY 5 DESC, 10 DESC, 1, 3
            LIMIT %(top)s""",
        {**span, "top": TOP_DYADS},
    ).fetchall()
    names = _organisation_names(conn, span, {key for r in rows for key, name in (r[0:2], r[2:4]) if not name})
    return [
        Dyad(
            source=s,
            source_name=sn or names.get(s, s),
            target=t,
            target_name=tn or names.get(t, t),
            events=int(n),
            quad_events=(int(q1), int(q2), int(q3), int(q4)),
            goldstein_sum=float(g),
            articles=int(a),
        )
        for s, sn, t, tn, n, q1, q2, q3, q4, g, a in rows
    ]


def _organisation_names(conn: psycopg.Connection[Any], span: dict[str, date], codes: set[str]) -> dict[str, str]:
    """Names of the organisations among the dyads' parties (keyed by CAMEO code), as the events name them."""
    if not codes:
        return {}
    rows = conn.execute(
        """SELECT code, min(name) FROM (
               SELECT source_cameo AS code, source_name AS name FROM fct_diplomatic_event
                WHERE source_country IS NULL AND event_date BETWEEN %(first)s AND %(day)s
               UNION ALL
               SELECT target_cameo, target_name FROM fct_diplomatic_event
                WHERE target_country IS NULL AND event_date BETWEEN %(first)s AND %(day)s) AS parties
            WHERE code = ANY(%(codes)s) GROUP BY code""",
        {**span, "codes": sorted(codes)},
    ).fetchall()
    return {str(code): str(name) for code, name in rows}


def _countries(conn: psycopg.Connection[Any], span: dict[str, date]) -> list[CountryCount]:
    rows = conn.execute(
        """SELECT c.iso3, c.iso_numeric, c.name, count(*)
             FROM (SELECT event_id, source_country AS iso3 FROM fct_diplomatic_event
                    WHERE event_date BETWEEN %(first)s AND %(day)s
                   UNION
                   SELECT event_id, target_country FROM fct_diplomatic_event
                    WHERE event_date BETWEEN %(first)s AND %(day)s) AS p
             JOIN dim_country AS c ON c.iso3 = p.iso3
            GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1""",
        span,
    ).fetchall()
    return [CountryCount(str(i).strip(), n, str(name), int(k)) for i, n, name, k in rows]


def _places(conn: psycopg.Connection[Any], span: dict[str, date]) -> list[Place]:
    rows = conn.execute(
        """SELECT event_date, coalesce(location_name, location_text), location_country, location_lat, location_lon,
                  event_type, quad_class, source_name, target_name, num_articles
             FROM v_events
            WHERE event_date BETWEEN %(first)s AND %(day)s AND location_lat IS NOT NULL AND location_lon IS NOT NULL
            ORDER BY event_date, num_articles DESC, event_id""",
        span,
    ).fetchall()
    return [
        Place(d, str(name or ""), c, float(lat), float(lon), t, int(q), s, g, int(a))
        for d, name, c, lat, lon, t, q, s, g, a in rows
    ]


def _top_events(conn: psycopg.Connection[Any], day: date) -> list[TopEvent]:
    rows = conn.execute(
        """SELECT event_id, event_type, cameo_code, quad_class, goldstein,
                  source_name, source_title, source_country, source_country_name, source_cameo,
                  target_name, target_title, target_country, target_country_name, target_cameo,
                  coalesce(location_name, location_text), evidence_sentence, num_articles, num_sources
             FROM v_events
            WHERE event_date = %(day)s
            ORDER BY num_articles DESC, num_sources DESC, first_published_at NULLS LAST, event_id
            LIMIT %(limit)s""",
        {"day": day, "limit": _CANDIDATES},
    ).fetchall()
    events = fold_mutual([_top_event(row) for row in rows])[:TOP_EVENTS]
    reports = _reports(conn, [e.event_id for e in events])
    for event in events:
        event.reports = reports.get(event.event_id, [])
    return events


def _top_event(row: tuple[Any, ...]) -> TopEvent:
    (event_id, kind, code, quad, goldstein, *parties, location, evidence, articles, sources) = row
    source, target = Party(*parties[:5]), Party(*parties[5:])
    return TopEvent(
        event_id=event_id, event_type=kind, cameo_code=code, quad_class=int(quad), goldstein=float(goldstein),
        source=source, target=target, location=location, evidence=evidence or "", num_articles=int(articles),
        num_sources=int(sources),
    )  # fmt: skip


def fold_mutual(events: list[TopEvent]) -> list[TopEvent]:
    """One row for the two facts of a symmetric act ("A and B held talks" is coded A->B and B->A)."""
    kept: list[TopEvent] = []
    seen: dict[tuple[Any, ...], TopEvent] = {}
    for event in events:
        key = (event.event_type, event.evidence, frozenset({_party_key(event.source), _party_key(event.target)}))
        twin = seen.get(key)
        if twin is not None and _party_key(twin.source) == _party_key(event.target):
            twin.mutual = True
            continue
        seen[key] = event
        kept.append(event)
    return kept


def _party_key(party: Party) -> tuple[str, str | None]:
    return party.name, party.country or party.cameo


def _reports(conn: psycopg.Connection[Any], event_ids: list[str]) -> dict[str, list[Report]]:
    if not event_ids:
        return {}
    rows = conn.execute(
        """SELECT event_id, url, outlet, title, published_at, extracted
             FROM v_event_article
            WHERE event_id = ANY(%s)
            ORDER BY event_id, published_at NULLS LAST, outlet, url""",
        (event_ids,),
    ).fetchall()
    found: dict[str, list[Report]] = {}
    for event_id, url, outlet, title, published, extracted in rows:
        found.setdefault(event_id, []).append(Report(url, outlet, title, published, bool(extracted)))
    return found
