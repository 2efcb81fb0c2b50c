"""From an Airflow task context to the plain arguments of ``communique.pipeline``.

The settings come from the environment, the warehouse DSN from the Airflow connection
``communique_warehouse`` when defined (else the settings), the interval from the run's
data interval (or, for asset-triggered runs, from the triggering events), the shard from
the mapped task's argument.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from communique.errors import ConfigError, DataQualityError

if TYPE_CHECKING:
    from communique.models import StageReport

LOGGER = logging.getLogger(__name__)
#: Failures that another try cannot mend (a broken feed list or setting, a broken data-quality promise
#: of what was loaded): the task fails at once, without retries, and the alert goes out.
NOT_RETRIED: tuple[type[Exception], ...] = (ConfigError, DataQualityError)


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
        from communique.warehouse.database import resolve_url

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

    A scheduled, backfill or manual run with a logical date has a data interval (the DAG uses
    ``CronDataIntervalTimetable``). An asset-triggered run has none: it covers the whole
    hours in which the triggering ingest runs landed pages, as they report in the event extra.
    A manual run without a logical date (the UI's or the CLI's default) covers the hour it was
    triggered in, so far; the hourly run processes that hour again once it is complete.
    """
    from communique.models import Interval

    start, end = context.get("data_interval_start"), context.get("data_interval_end")
    if start is not None and end is not None:
        return Interval(start, end)
    run = context.get("dag_run")
    if getattr(run, "run_type", None) == "manual" and getattr(run, "run_after", None) is not None:
        hour = run.run_after.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        return Interval(hour, hour + timedelta(hours=1))
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


def plan_shards() -> list[str]:
    """The ingest shards ("0/4", "1/4" ...): one mapped poll and fetch task each, split by host."""
    count = max(settings().ingest_shards, 1)
    return [f"{n}/{count}" for n in range(count)]


def _shard(spec: str | None) -> dict[str, int]:
    if not spec:
        return {}
    shard, shards = (int(part) for part in spec.split("/"))
    return {"shard": shard, "shards": shards}


def run_stage(
    stage: Callable[..., StageReport],
    context: Mapping[str, Any],
    *,
    interval: bool = True,
    shard: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Run a ``communique.pipeline`` stage for the current task; log, record and emit its report.

    Processing stages (``interval=True``) get the run's data interval; ingest stages
    work on whatever the feeds list now and take none. ``shard`` ("2/4") and ``options``
    (e.g. ``force`` from the DAG's params) go to the stage as keyword arguments. Returns
    the report as JSON, for XCom.
    """
    import time
    from dataclasses import replace

    from communique import metrics, parallel
    from communique.models import StageReport
    from communique.warehouse import ops

    span = data_interval(context) if interval else None
    if interval and span is None:
        return StageReport(stage.__name__, skipped={"no_interval": 1}).to_json()
    current = settings()
    dsn = warehouse_dsn(current)
    began = time.monotonic()
    kwargs = {**_shard(shard), **options}
    try:
        report = stage(current, dsn, span, **kwargs) if interval else stage(current, dsn, **kwargs)
    except NOT_RETRIED as exc:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(f"not retried: {type(exc).__name__}: {exc}") from exc
    finally:
        parallel.shutdown()  # the stage's worker processes end with it: the task runner may skip atexit
    elapsed = time.monotonic() - began
    label = report.stage + (f"#{kwargs['shard']}" if "shard" in kwargs else "")
    ops.record_stage(dsn, context["dag"].dag_id, context["run_id"], replace(report, stage=label), span, elapsed)
    metrics.emit_stage(current, report, elapsed)
    where = (f" in {span}" if span else "") + (f" (shard {shard})" if shard else "")
    LOGGER.info("%s%s, %.1f s", report.summary(), where, elapsed)
    return report.to_json()


def announce_landed(results: Iterable[Mapping[str, Any]], context: Mapping[str, Any]) -> dict[str, Any]:
    """Merge the fetch shards' landed ranges into the asset event that starts processing.

    When no page landed the task is skipped: a skipped task emits no asset event, so no
    processing run starts for nothing (the hourly run still comes).
    """
    from airflow.sdk.exceptions import AirflowSkipException

    from communique.models import StageReport
    from communique_airflow import RAW_ARTICLES

    fetched = StageReport("fetch")
    for result in results:
        fetched.merge(StageReport.from_json(dict(result)))
    landed = fetched.counts.get("landed", 0)
    if not landed or not (fetched.landed_from and fetched.landed_to):
        raise AirflowSkipException("no page landed: no communique_raw_articles event, nothing to process")
    extra: dict[str, Any] = {
        "landed": landed,
        "landed_from": fetched.landed_from.isoformat(),
        "landed_to": fetched.landed_to.isoformat(),
    }
    context["outlet_events"][RAW_ARTICLES].extra = extra
    LOGGER.info("ingest landed %s pages from %s to %s", landed, fetched.landed_from, fetched.landed_to)
    return extra
