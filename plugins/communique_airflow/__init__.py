"""Airflow glue for Communiqué: what the DAG files share, and nothing else.

The pipeline lives in ``communique.pipeline`` (no Airflow there). This package maps an
Airflow task context onto the plain arguments those functions take (settings, warehouse
DSN, data interval, shard), records and reports what each stage did, and raises alerts.
It is imported at DAG parse time, so it imports nothing heavy at module level.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import Asset

from communique_airflow.alerts import alert_on_failure
from communique_airflow.context import announce_landed, data_interval, plan_shards, run_stage, warehouse_dsn

#: Raised by the ingest DAG when pages land; the processing DAG is scheduled on it (and on its clock).
RAW_ARTICLES = Asset(name="communique_raw_articles", uri="communique://warehouse/raw_article")
#: Raised by the processing DAG when facts change.
DIPLOMATIC_EVENTS = Asset(name="communique_diplomatic_events", uri="communique://warehouse/fct_diplomatic_event")
#: Caps how many poll and fetch tasks talk to the web at once, across every DAG run (`airflow pools`);
#: `communique setup` and the compose init job create it.
HTTP_POOL, HTTP_POOL_SLOTS = "communique_http", 4

#: Task time limits, from stage times measured on 2 cores (docs/operations.md, "Time limits"): about five
#: times what the largest hour ingest can land (16,000 pages) takes, never under 10 minutes. A task that
#: hits its limit fails (and retries) instead of holding the one-at-a-time processing queue.
TIMEOUTS: dict[str, timedelta] = {
    "migrate_warehouse": timedelta(minutes=30),
    "plan_shards": timedelta(minutes=10),
    "poll_feeds": timedelta(minutes=10),
    "fetch_articles": timedelta(minutes=30),
    "announce_landed": timedelta(minutes=10),
    "clean_articles": timedelta(minutes=30),
    "deduplicate_articles": timedelta(minutes=10),
    "extract_events": timedelta(minutes=30),
    "load_events": timedelta(minutes=10),
    "check_quality": timedelta(minutes=10),
}
#: A processing run that has not finished after this fails, and the next hour's run can start.
PROCESS_RUN_TIMEOUT = timedelta(hours=2)

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "communique",
    "execution_timeout": timedelta(minutes=10),
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "on_failure_callback": alert_on_failure,
}

__all__ = [
    "DEFAULT_ARGS",
    "DIPLOMATIC_EVENTS",
    "HTTP_POOL",
    "HTTP_POOL_SLOTS",
    "PROCESS_RUN_TIMEOUT",
    "RAW_ARTICLES",
    "TIMEOUTS",
    "alert_on_failure",
    "announce_landed",
    "data_interval",
    "plan_shards",
    "run_stage",
    "warehouse_dsn",
]
