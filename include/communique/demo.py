"""``communique demo``: the whole pipeline, through Airflow, on the bundled offline site.

Starts the embedded stack, serves the demo site on loopback, runs the ingest DAG and then
the processing DAG for every hour in which demo pages landed (``airflow dags test``: real
Airflow runs recorded in the metadata database), and prints what was loaded. Running it
again re-processes the same hours and leaves the facts exactly as they were.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime, timedelta
from typing import Any, TextIO

from communique import stack, warehouse
from communique.demo_site import DemoServer, load_site
from communique.errors import CommuniqueError, ConfigError
from communique.ops import stage_totals
from communique.settings import Settings

LOGGER = logging.getLogger(__name__)
INGEST_DAG = "communique_ingest"
PROCESS_DAG = "communique_process"
PROCESS_STAGES = ("clean", "deduplicate", "extract", "load")


def _database_clock(dsn: str) -> datetime:
    with warehouse.connect(dsn) as conn:
        row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert row is not None
    return row[0]  # type: ignore[no-any-return]


def _landed_hours(dsn: str, feed_urls: list[str]) -> list[datetime]:
    """The hours in which pages of the given feeds landed (each is one processing interval)."""
    with warehouse.connect(dsn) as conn:
        rows = conn.execute(
            """SELECT DISTINCT date_trunc('hour', landed_at) FROM raw_article
                WHERE feed_url = ANY(%s) ORDER BY 1""",
            (feed_urls,),
        ).fetchall()
    return [row[0] for row in rows]


def _demo_feed_urls(settings: Settings) -> list[str]:
    site = load_site()
    return [settings.demo_origin + feed.path for feed in site.feeds.values()]


def run_demo(settings: Settings, out: TextIO = sys.stdout) -> int:
    """Run the demo end to end; return the process exit status."""
    if not settings.uses_demo_feeds:
        raise ConfigError("the demo polls the bundled demo feeds: unset COMMUNIQUE_FEEDS_FILE")
    report = stack.setup(settings)
    dsn = report.warehouse_url
    since = _database_clock(dsn)
    try:
        server = DemoServer(load_site(), settings.demo_port)
    except OSError as exc:
        raise ConfigError(
            f"cannot serve the demo site on {settings.demo_origin} ({exc}); "
            "stop what uses the port or set COMMUNIQUE_DEMO_PORT"
        ) from exc
    with server:
        print(
            f"Demo site serving {len(server_feeds := _demo_feed_urls(settings))} feeds at {server.origin}",
            file=out,
        )
        _run_dag(settings, INGEST_DAG)
        hours = _landed_hours(dsn, server_feeds)
        for hour in hours:
            _run_dag(settings, PROCESS_DAG, (hour + timedelta(hours=1)).isoformat())
    totals = stage_totals(dsn, since)
    missing = [s for s in ("poll", "fetch", *(PROCESS_STAGES if hours else ())) if s not in totals]
    if missing:
        raise CommuniqueError(f"the demo runs did not record stages {missing}: see the Airflow output above")
    print_report(dsn, totals, hours, out)
    return 0


def _run_dag(settings: Settings, dag_id: str, logical_date: str | None = None) -> None:
    args = ["dags", "test", dag_id] + ([logical_date] if logical_date else [])
    result = stack.run_airflow(settings, *args, check=False)
    if result.returncode != 0:
        raise CommuniqueError(f"`airflow {' '.join(args)}` failed with exit status {result.returncode}")


def _count(totals: dict[str, dict[str, int]], stage: str, key: str) -> int:
    return totals.get(stage, {}).get(key, 0)


def print_report(dsn: str, totals: dict[str, dict[str, int]], hours: list[datetime], out: TextIO) -> None:
    """The short report: what the runs did, and the top events in the warehouse."""
    skipped = {k[8:]: v for k, v in totals.get("clean", {}).items() if k.startswith("skipped_")}
    lines = [
        ("feeds polled", _count(totals, "poll", "feeds"), ""),
        ("entries seen", _count(totals, "poll", "entries"), ""),
        ("articles fetched", _count(totals, "fetch", "landed"), f"{_count(totals, 'fetch', 'known')} stored before"),
        ("duplicates dropped",
         _count(totals, "fetch", "duplicate_urls") + _count(totals, "deduplicate", "duplicates"),
         "same URL in several feeds, or the same story again"),
        ("articles skipped", sum(skipped.values()), ", ".join(f"{k} {v}" for k, v in sorted(skipped.items()))),
        ("stories extracted", _count(totals, "extract", "stories"), ""),
        ("events loaded", _count(totals, "load", "mentions_loaded"), ""),
    ]  # fmt: skip
    print("\nCommuniqué demo: what the Airflow runs did", file=out)
    print(f"  intervals processed: {', '.join(h.strftime('%Y-%m-%d %H:00') for h in hours) or 'none'}", file=out)
    for label, value, note in lines:
        print(f"  {label:<20}{value:>6}" + (f"   ({note})" if note else ""), file=out)
    with warehouse.connect(dsn) as conn:
        total = conn.execute("SELECT count(*) FROM fct_diplomatic_event").fetchone()
        top = conn.execute(
            """SELECT event_date, event_type, cameo_code, source_name, source_country, target_name, target_country,
                      num_articles, num_sources, evidence_sentence
                 FROM v_events ORDER BY num_articles DESC, num_sources DESC, event_date DESC, event_id LIMIT 10"""
        ).fetchall()
    print(f"\nTop events ({total[0] if total else 0} facts in fct_diplomatic_event):", file=out)
    _print_events(top, out)
    print(
        '\nQuery them: psql "$(.venv/bin/communique warehouse url)" -c "SELECT * FROM v_events LIMIT 5"',
        file=out,
    )


def _print_events(rows: list[tuple[Any, ...]], out: TextIO) -> None:
    header = f"  {'date':<10} {'type':<12} {'code':<4} {'source':<26} {'target':<26} {'arts':>4} {'outl':>4}  evidence"
    print(header, file=out)
    print("  " + "-" * (len(header) - 2), file=out)
    for date, kind, code, sname, scountry, tname, tcountry, arts, outlets, sentence in rows:
        source = f"{sname} ({scountry or 'IGO'})"[:26]
        target = f"{tname} ({tcountry or 'IGO'})"[:26]
        evidence = " ".join(str(sentence).split())[:70]
        print(
            f"  {date!s:<10} {kind:<12} {code:<4} {source:<26} {target:<26} {arts:>4} {outlets:>4}  {evidence}",
            file=out,
        )
