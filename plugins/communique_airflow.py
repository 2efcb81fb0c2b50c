"""Airflow glue for Communiqué: what the DAG files share, and nothing else.

The pipeline itself lives in ``communique.pipeline`` (no Airflow there). This module maps
an Airflow task context onto the plain arguments those functions take: the settings, the
warehouse DSN (an Airflow connection ``communique_warehouse`` wins over the settings) and
the data interval. It is imported at DAG parse time, so it imports nothing heavy.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Asset

LOGGER = logging.getLogger(__name__)

#: Raised by the ingest DAG when pages land; the processing DAG is scheduled on it (and on its clock).
RAW_ARTICLES = Asset(name="communique_raw_articles", uri="communique://warehouse/raw_article")
#: Raised by the processing DAG when facts change.
DIPLOMATIC_EVENTS = Asset(name="communique_diplomatic_events", uri="communique://warehouse/fct_diplomatic_event")

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "communique",
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}


def settings() -> Any:
    from communique.settings import load_settings

    return load_settings()


def warehouse_dsn(current: Any) -> str:
    """The warehouse DSN: the Airflow connection ``communique_warehouse`` if defined, else the settings'."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    from communique.settings import WAREHOUSE_CONN_ID

    try:
        conn = Connection.get(WAREHOUSE_CONN_ID)
    except AirflowNotFoundException:
        from communique.warehouse import resolve_url

        return str(resolve_url(current))
    from psycopg.conninfo import make_conninfo

    params = {
        "host": conn.host,
        "port": conn.port,
        "user": conn.login,
        "password": conn.password,
        "dbname": conn.schema,
        **{k: v for k, v in (conn.extra_dejson or {}).items() if isinstance(v, str | int)},
    }
    return str(make_conninfo(**{k: v for k, v in params.items() if v not in (None, "")}))


def data_interval(context: Mapping[str, Any]) -> Any:
    """The interval a processing task works on.

    A scheduled, manual or backfill run has a data interval (the DAG uses
    ``CronDataIntervalTimetable``). An asset-triggered run has none: it covers the whole
    hours in which the triggering ingest runs landed pages, as they report in the event extra.
    """
    from communique.models import Interval

    start, end = context.get("data_interval_start"), context.get("data_interval_end")
    if start is not None and end is not None:
        return Interval(start, end)
    landed: list[datetime] = []
    for events in (context.get("triggering_asset_events") or {}).values():
        for event in events:
            extra = getattr(event, "extra", None) or {}
            landed += [datetime.fromisoformat(extra[k]) for k in ("landed_from", "landed_to") if extra.get(k)]
    if not landed:
        LOGGER.info("no landed pages in the triggering events: nothing to process")
        return None
    first = min(landed).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    last = max(landed).astimezone(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return Interval(first, last)


def run_stage(name: str, context: Mapping[str, Any], *, interval: bool = True, **options: Any) -> dict[str, Any]:
    """Run ``communique.pipeline.<name>`` for the current task, log and record its counts.

    Processing stages (``interval=True``) get the run's data interval; ingest stages
    work on whatever the feeds list now and take none. ``options`` go to the stage as
    keyword arguments (e.g. ``force`` from the DAG's params).
    """
    import time

    from communique import ops, pipeline

    span = data_interval(context) if interval else None
    if interval and span is None:
        return {"stage": name, "counts": {}, "skipped": {"no_interval": 1}}
    current = settings()
    dsn = warehouse_dsn(current)
    began = time.monotonic()
    stage = getattr(pipeline, name)
    result = dict(stage(current, dsn, span, **options) if interval else stage(current, dsn, **options))
    ops.record_stage(dsn, context["dag"].dag_id, context["run_id"], result, span, time.monotonic() - began)
    LOGGER.info(
        "%s%s: counts=%s skipped=%s",
        name,
        f" {span}" if span else "",
        result.get("counts"),
        result.get("skipped"),
    )
    return result
