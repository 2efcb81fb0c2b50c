"""A warehouse holding the offline demo site, processed the way ``make demo`` processes it (without Airflow).

The demo's pages are real news from 2010 to 2019, so its events are old: the latest day with
events is the "demo's day" the brief is rendered for. Every stage is recorded in
``ops_pipeline_run`` like a DAG task records it, so the brief's readiness check sees the loads.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from communique import pipeline
from communique.local.demo_site import DemoServer, feed_list_toml, load_site
from communique.models import Interval
from communique.settings import HttpSettings, Settings
from communique.warehouse import database, ops

HOUR = timedelta(hours=1)


def demo_settings(home: Path, origin: str) -> Settings:
    """Settings that poll the demo site at ``origin`` (the SSRF guard lets exactly that origin through)."""
    feeds = home / "feeds.toml"
    feeds.write_text(feed_list_toml(load_site(), origin), encoding="utf-8")
    http = HttpSettings(allowed_origins=(origin,), per_host_delay=0.0, max_retries=0)
    return Settings(home=home, feeds_file=feeds, http=http, fetch_concurrency=4, workers=1)


def build_demo_warehouse(dsn: str, home: Path) -> list[Interval]:
    """Poll and fetch the demo site into ``dsn``, then process every hour in which pages landed."""
    home.mkdir(parents=True, exist_ok=True)
    with DemoServer(load_site(), 0) as server:
        settings = demo_settings(home, server.origin)
        pipeline.poll_feeds(settings, dsn, force=True)
        pipeline.fetch_articles(settings, dsn)
    with database.connect(dsn) as conn:
        hours = [
            r[0] for r in conn.execute("SELECT DISTINCT date_trunc('hour', landed_at) FROM raw_article ORDER BY 1")
        ]
    intervals = [Interval(hour, hour + HOUR) for hour in hours]
    for interval in intervals:
        for stage in pipeline.PROCESS_STAGES:
            report = stage(settings, dsn, interval)
            ops.record_stage(dsn, "demo_test", f"demo__{interval.start.isoformat()}", report, interval, 0.0)
    return intervals
