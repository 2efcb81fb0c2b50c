"""Warehouse benchmark: load synthetic events through the real loader, then query the dyads.

    .venv/bin/python bench/warehouse.py                  # 1M events, embedded PostgreSQL
    .venv/bin/python bench/warehouse.py --events 200000  # quicker
    .venv/bin/python bench/warehouse.py --dsn postgresql://... --json

It creates a throwaway database, lands synthetic articles (not timed), then loads the
events interval by interval exactly as the pipeline does (COPY into stg_event, then the
one-transaction merge into mentions, facts, dimensions and daily dyads) and reports rows/s.
In the same run, a plain loop of single-row INSERTs into the fact table is the baseline,
and the "write floor" loads the same events with no merge at all (the COPY and one bulk
INSERT each into mentions, facts and daily dyads): the speed of writing the rows alone.
Last, it times v_dyad_daily for one country pair over a year and for all pairs over one
month (medians of repeated runs) and prints the EXPLAIN plans to show the indexes used.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "include"))

from communique.models import Actor, Event, Evidence, Interval, Location
from communique.settings import load_settings
from communique.warehouse import database, loading, raw_store

EVENTS_PER_ARTICLE = 10
YEAR = 2025
CODES = [  # code, type, quad, plover, goldstein, weight
    ("040", "meeting", 1, "CONSULT", 1.0, 20), ("041", "phone_call", 1, "CONSULT", 1.0, 8),
    ("042", "meeting", 1, "CONSULT", 1.9, 10), ("043", "meeting", 1, "CONSULT", 2.8, 10),
    ("051", "praise", 1, "SUPPORT", 3.4, 8), ("057", "agreement", 1, "AGREE", 8.0, 6),
    ("061", "cooperation", 2, "COOPERATE", 6.4, 4), ("070", "aid", 2, "AID", 7.0, 3),
    ("111", "criticism", 3, "ACCUSE", -2.0, 12), ("112", "accusation", 3, "ACCUSE", -2.0, 8),
    ("120", "rejection", 3, "REJECT", -4.0, 5), ("130", "threat", 3, "THREATEN", -4.4, 3),
    ("163", "sanction", 4, "SANCTION", -8.0, 3),
]  # fmt: skip


def _countries() -> list[str]:
    import pycountry

    return sorted(c.alpha_3 for c in pycountry.countries)


#: How many days before its article an event happened: (days, weight). News reports what
#: happened today or yesterday, some of the past week, a little of the past weeks; the
#: extractor drops background events over 45 days old (checks.DAYS_BEFORE bounds them too).
REPORTED_DELAYS = ((0, 55), (1, 25), *((d, 12 / 5) for d in range(2, 7)), *((d, 8 / 39) for d in range(7, 46)))


def synthetic_events(n: int, seed: int = 7, dates: str = "reported") -> list[Event]:
    """Events between countries with a heavy-tailed pair distribution (like real news).

    Event ``i`` is reported by article ``i // EVENTS_PER_ARTICLE``; articles land evenly
    over the year (as :func:`land_articles` lands them). ``dates="reported"`` dates each
    event a few days before its article at most (:data:`REPORTED_DELAYS`); ``"uniform"``
    dates it anywhere in the year, which no extractor output looks like but which makes
    every interval touch every day (the worst case for the load).
    """
    rng = random.Random(seed)
    countries = _countries()
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(countries))]
    rng.shuffle(countries)
    top = ["USA", "CHN", "RUS", "GBR", "FRA", "DEU", "IND", "JPN", "ISR", "IRN", "UKR", "TUR"]
    countries = top + [c for c in countries if c not in top]
    code_weights = [c[5] for c in CODES]
    delays, delay_weights = zip(*REPORTED_DELAYS, strict=True)
    articles = -(-n // EVENTS_PER_ARTICLE)
    events = []
    start = date(YEAR, 1, 1)
    for i in range(n):
        src, tgt = rng.choices(countries, weights, k=2)
        if src == tgt:
            tgt = countries[(countries.index(src) + 1) % len(countries)]
        code, kind, quad, plover, goldstein, _ = rng.choices(CODES, code_weights)[0]
        if dates == "uniform":
            day = start + timedelta(days=rng.randrange(365))
        else:
            landed = start + timedelta(days=365 * (i // EVENTS_PER_ARTICLE) // articles)
            day = landed - timedelta(days=rng.choices(delays, delay_weights)[0])
        place = Location("in X", "X", rng.choice((src, tgt))) if rng.random() < 0.3 else None
        sentence = f"{src} {kind} {tgt}."
        events.append(Event(
            doc_id="", event_type=kind, cameo_code=code, cameo_root=code[:2], quad_class=quad, plover_type=plover,
            plover_mode=None, goldstein=goldstein, source=Actor(src, src, None, src, "GOV", f"{src}GOV"),
            target=Actor(tgt, tgt, None, tgt, "GOV", f"{tgt}GOV"), event_date=day, date_precision="day",
            evidence=Evidence(sentence, 0, len(sentence)), confidence=0.7, extractor_version="bench",
            location=place,
        ))  # fmt: skip
    return events


def fresh_database(admin_dsn: str) -> tuple[str, str]:
    name = f"communique_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(admin_dsn)
    params["dbname"] = name
    dsn = make_conninfo(**params)
    database.migrate(dsn)
    return name, dsn


def drop_database(admin_dsn: str, name: str) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def land_articles(dsn: str, count: int) -> list[tuple[str, datetime]]:
    """``count`` tiny articles over the year (COPY, not timed): (article_id, landed_at) in landing order."""
    blob = raw_store.compress("<p>synthetic</p>")
    first = datetime(YEAR, 1, 1, tzinfo=UTC)
    step = timedelta(days=365) / count
    articles = [(uuid.uuid5(uuid.NAMESPACE_URL, f"a{n}").hex, first + step * n) for n in range(count)]
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy("COPY raw_article (article_id, canonical_url, url, final_url, source, outlet, html_zstd, "
                      "html_bytes, fetched_at, landed_at) FROM STDIN") as copy:  # fmt: skip
            for n, (aid, landed) in enumerate(articles):
                url = f"https://outlet{n % 500}.example/{aid}"
                copy.write_row((aid, url, url, url, "file", f"outlet{n % 500}.example", blob, 16, landed, landed))
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        with cur.copy("COPY article (article_id, canonical_url, url, outlet, title, body, status, landed_at, "
                      "cluster_id) FROM STDIN") as copy:  # fmt: skip
            for n, (aid, landed) in enumerate(articles):
                url = f"https://outlet{n % 500}.example/{aid}"
                copy.write_row((aid, url, url, f"outlet{n % 500}.example", "t", "synthetic", "ok", landed, aid))
        with cur.copy("COPY story_cluster (cluster_id, representative_article_id, first_landed_at) FROM STDIN") as copy:
            for aid, landed in articles:
                copy.write_row((aid, aid, landed))
        cur.execute("ANALYZE raw_article; ANALYZE article; ANALYZE story_cluster")
    return articles


class StatementTimer:
    """A connection that adds up the time of each statement by its first line (``--statements``)."""

    def __init__(self, conn: psycopg.Connection[Any], seconds: Counter[str]) -> None:
        self._conn, self.seconds = conn, seconds

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return self._conn.execute(query, *args, **kwargs)
        finally:
            text = query.decode() if isinstance(query, bytes) else str(query)
            self.seconds[" ".join(text.split())[:80]] += time.perf_counter() - began


def interval_batches(
    articles: list[tuple[str, datetime]], events: list[Event], batch: int
) -> list[tuple[Interval, list[tuple[Any, ...]]]]:
    """The events as staged rows, cut into intervals of about ``batch`` events by landing time (not timed)."""
    per_interval = max(batch // EVENTS_PER_ARTICLE, 1)
    rows = [loading.mention_row(e, articles[i // EVENTS_PER_ARTICLE][0], articles[i // EVENTS_PER_ARTICLE][0])
            for i, e in enumerate(events)]  # fmt: skip
    batches = []
    for first in range(0, len(articles), per_interval):
        chunk = articles[first : first + per_interval]
        span = Interval(chunk[0][1], chunk[-1][1] + timedelta(microseconds=1))
        batches.append((span, rows[first * EVENTS_PER_ARTICLE : (first + len(chunk)) * EVENTS_PER_ARTICLE]))
    return batches


def load_with_loader(
    dsn: str,
    articles: list[tuple[str, datetime]],
    events: list[Event],
    batch: int,
    statements: Counter[str] | None = None,
) -> dict[str, float]:
    """Stage and merge the events interval by interval, as the pipeline does; timed.

    With ``statements``, the seconds of each statement of the merge are added up there.
    """
    batches = interval_batches(articles, events, batch)
    began = time.perf_counter()
    for span, part in batches:
        staged = time.perf_counter()
        with database.connect(dsn) as conn:
            loading.stage_events(conn, span, part)
        if statements is not None:
            statements["stage_events (COPY into stg_event, ANALYZE)"] += time.perf_counter() - staged
        with database.connect(dsn) as conn:
            loading.load_interval(conn if statements is None else StatementTimer(conn, statements), span)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - began
    return {"rows": len(events), "seconds": elapsed, "rows_per_s": len(events) / elapsed, "intervals": len(batches)}


def insert_loop(dsn: str, articles: list[tuple[str, datetime]], events: list[Event]) -> dict[str, float]:
    """The baseline a user would write: one INSERT (ignoring repeats) per event into the fact table, one transaction."""
    columns = [c for c in loading.MENTION_COLUMNS if c not in ("cluster_id", "fact_id")]
    placeholders = ", ".join(["%s"] * (len(columns) + 7))
    query = (f"INSERT INTO fct_diplomatic_event ({', '.join(columns)}, cluster_id, num_mentions, num_articles, "
             f"num_sources, story_ids, article_ids, outlets) VALUES ({placeholders}) "
             "ON CONFLICT DO NOTHING")  # fmt: skip
    with psycopg.connect(dsn) as conn:
        database.ensure_partitions(conn, {e.event_date for e in events})
    began = time.perf_counter()
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for i, event in enumerate(events):
            aid = articles[i // EVENTS_PER_ARTICLE][0]
            row = loading.mention_row(event, aid, aid)
            values = [
                v for c, v in zip(loading.MENTION_COLUMNS, row, strict=True) if c not in ("cluster_id", "fact_id")
            ]
            cur.execute(
                query, (*values, aid, 1, 1, 1, [aid], [aid], [f"outlet{i // EVENTS_PER_ARTICLE % 500}.example"])
            )
    elapsed = time.perf_counter() - began
    return {"rows": len(events), "seconds": elapsed, "rows_per_s": len(events) / elapsed}


def write_floor(dsn: str, articles: list[tuple[str, datetime]], events: list[Event], batch: int) -> dict[str, float]:
    """The least any loader of this schema writes, interval by interval, with no merge: timed.

    The same binary COPY into stg_event, then one INSERT ... SELECT each into the mentions,
    the facts (one per fact id: the first row's fields, counts of one) and the daily dyads
    (added up), then the staging rows deleted. Nothing is replaced, merged or counted across
    intervals, so its rows are not right; it shows how fast the rows alone can be written.
    """
    mention_columns = ", ".join(loading.MENTION_COLUMNS)
    first = ", ".join(c for c in loading.FACT_COLUMNS if c not in loading.REPORT_COLUMNS and c != "event_id")
    reports = ", ".join(loading.REPORT_COLUMNS)
    bounds = "batch_start = %(start)s AND batch_end = %(end)s"
    with psycopg.connect(dsn) as conn:
        database.ensure_partitions(conn, {e.event_date for e in events})
    batches = interval_batches(articles, events, batch)
    began = time.perf_counter()
    for span, part in batches:
        params = {"start": span.start, "end": span.end}
        with database.connect(dsn) as conn:
            loading.stage_events(conn, span, part)
        with database.connect(dsn) as conn:
            conn.execute(f"INSERT INTO fct_event_mention ({mention_columns}) SELECT {mention_columns} FROM stg_event "
                         f"WHERE {bounds}", params)  # fmt: skip
            conn.execute(
                f"""INSERT INTO fct_diplomatic_event (event_id, {first}, {reports})
                    SELECT DISTINCT ON (fact_id) fact_id, {first}, confidence, 1, 1, 1, NULL::timestamptz,
                           ARRAY[article_id], ARRAY[article_id], ARRAY['outlet']
                      FROM stg_event WHERE {bounds}
                    ON CONFLICT DO NOTHING""",
                params,
            )
            conn.execute(
                f"""INSERT INTO agg_dyad_daily AS d
                    SELECT event_date, coalesce(source_country::text, source_cameo),
                           coalesce(target_country::text, target_cameo), count(*),
                           count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2),
                           count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4),
                           sum(goldstein::numeric(4, 1)), count(DISTINCT article_id), count(DISTINCT article_id)
                      FROM stg_event WHERE {bounds} GROUP BY 1, 2, 3
                    ON CONFLICT (source_key, target_key, event_date) DO UPDATE
                       SET events = d.events + EXCLUDED.events, articles = d.articles + EXCLUDED.articles""",
                params,
            )
            conn.execute(f"DELETE FROM stg_event WHERE {bounds}", params)
    elapsed = time.perf_counter() - began
    return {"rows": len(events), "seconds": elapsed, "rows_per_s": len(events) / elapsed}


def time_query(dsn: str, query: str, params: tuple[object, ...], repeat: int) -> tuple[float, int, str]:
    """Median milliseconds over ``repeat`` runs (after one warm-up), rows returned, and the EXPLAIN plan."""
    with psycopg.connect(dsn) as conn:
        rows = len(conn.execute(query, params).fetchall())
        times = []
        for _ in range(repeat):
            began = time.perf_counter()
            conn.execute(query, params).fetchall()
            times.append((time.perf_counter() - began) * 1000)
        plan = "\n".join(r[0] for r in conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {query}", params))
    return statistics.median(times), rows, plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=20_000, help="events per loaded interval")
    parser.add_argument(
        "--baseline", type=int, default=0, help="events for the INSERT loop (default: all, for the same scale)"
    )
    parser.add_argument("--repeat", type=int, default=21, help="runs per timed query")
    parser.add_argument(
        "--dates", choices=("reported", "uniform"), default="reported",
        help="event dates: days before their article (real) or anywhere in the year (worst case)",
    )  # fmt: skip
    parser.add_argument("--dsn", help="a server where we may create databases (default: the embedded one)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    parser.add_argument("--statements", action="store_true", help="print where the loader spends its time")
    args = parser.parse_args()

    settings = load_settings().with_overrides(warehouse_db="postgres")
    admin = args.dsn or database.resolve_url(settings)
    if not args.dsn:
        from communique.warehouse import embedded

        embedded.tune(settings.pgdata)
    events = synthetic_events(args.events, dates=args.dates)
    name, dsn = fresh_database(admin)
    base_name, base_dsn = fresh_database(admin)
    floor_name, floor_dsn = fresh_database(admin)
    try:
        articles = land_articles(dsn, len(events) // EVENTS_PER_ARTICLE)
        statements: Counter[str] | None = Counter() if args.statements else None
        ours = load_with_loader(dsn, articles, events, args.batch, statements)
        print(
            f"loader: {ours['rows']:,} events in {ours['seconds']:.1f} s = {ours['rows_per_s']:,.0f} rows/s", flush=True
        )
        base_count = args.baseline or len(events)
        base_articles = land_articles(base_dsn, base_count // EVENTS_PER_ARTICLE)
        baseline = insert_loop(base_dsn, base_articles, events[:base_count])
        floor = write_floor(floor_dsn, land_articles(floor_dsn, len(articles)), events, args.batch)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            facts = conn.execute("SELECT count(*) FROM fct_diplomatic_event").fetchone()[0]
            pair = conn.execute(
                "SELECT source_key, target_key FROM agg_dyad_daily GROUP BY 1, 2 ORDER BY sum(events) DESC LIMIT 1"
            ).fetchone()
        one_pair = time_query(
            dsn, "SELECT * FROM v_dyad_daily WHERE source_country = %s AND target_country = %s "
            "AND event_date >= %s AND event_date < %s ORDER BY event_date",
            (pair[0], pair[1], date(YEAR, 1, 1), date(YEAR + 1, 1, 1)), args.repeat,
        )  # fmt: skip
        all_pairs = time_query(
            dsn, "SELECT * FROM v_dyad_daily WHERE event_date >= %s AND event_date < %s",
            (date(YEAR, 6, 1), date(YEAR, 7, 1)), args.repeat,
        )  # fmt: skip
    finally:
        if not args.keep:
            drop_database(admin, name)
            drop_database(admin, base_name)
            drop_database(admin, floor_name)

    ratio = ours["rows_per_s"] / baseline["rows_per_s"]
    print(f"events loaded          {ours['rows']:>12,}   facts after merge {facts:,}")
    print(f"loader (COPY + merge)  {ours['rows_per_s']:>12,.0f} rows/s  ({ours['seconds']:.1f} s, "
          f"{ours['intervals']} intervals of {args.batch:,} events)")  # fmt: skip
    print(f"INSERT loop (baseline) {baseline['rows_per_s']:>12,.0f} rows/s  ({baseline['rows']:,} rows)")
    print(f"loader / INSERT loop   {ratio:>12.1f} x")
    print(f"write floor (no merge) {floor['rows_per_s']:>12,.0f} rows/s  (COPY + one INSERT each into mentions, "
          f"facts, dyads; {floor['seconds']:.1f} s)")  # fmt: skip
    print(f"v_dyad_daily, {pair[0]}->{pair[1]}, one year: median {one_pair[0]:.2f} ms ({one_pair[1]} rows)")
    print(f"v_dyad_daily, all pairs, one month: median {all_pairs[0]:.2f} ms ({all_pairs[1]} rows)")
    if statements:
        print("\nloader time by statement (seconds over all intervals):")
        for text, seconds in statements.most_common(15):
            print(f"{seconds:9.2f}  {text}")
    print("\nEXPLAIN one pair, one year:\n" + one_pair[2])
    print("\nEXPLAIN all pairs, one month:\n" + all_pairs[2])
    if args.json:
        print(json.dumps({
            "events": ours["rows"], "facts": facts, "load_rows_per_s": round(ours["rows_per_s"]),
            "baseline_rows_per_s": round(baseline["rows_per_s"]), "load_ratio": round(ratio, 2),
            "write_floor_rows_per_s": round(floor["rows_per_s"]),
            "dyad_one_pair_year_ms": round(one_pair[0], 3), "dyad_all_pairs_month_ms": round(all_pairs[0], 3),
            "batch": args.batch,
        }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
