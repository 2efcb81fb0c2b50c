"""Operational records: every stage run leaves its counts in ``ops_pipeline_run``."""

from __future__ import annotations

import json
import logging
from typing import Any

from communique.models import Interval, StageReport
from communique.warehouse import database

LOGGER = logging.getLogger(__name__)


def record_stage(
    dsn: str, dag_id: str, run_id: str, report: StageReport, interval: Interval | None, duration_s: float
) -> None:
    """Upsert the counts one stage reported (a retried stage replaces its row)."""
    with database.connect(dsn) as conn:
        conn.execute(
            """INSERT INTO ops_pipeline_run (dag_id, run_id, stage, interval_start, interval_end, counts, skipped,
                                             duration_s)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (dag_id, run_id, stage) DO UPDATE SET
                   interval_start = EXCLUDED.interval_start, interval_end = EXCLUDED.interval_end,
                   counts = EXCLUDED.counts, skipped = EXCLUDED.skipped, duration_s = EXCLUDED.duration_s,
                   finished_at = clock_timestamp()""",
            (
                dag_id, run_id, report.stage, interval.start if interval else None,
                interval.end if interval else None, json.dumps(report.counts),
                json.dumps(report.skipped), round(duration_s, 3),
            ),
        )  # fmt: skip


def stage_totals(dsn: str, since: Any) -> dict[str, dict[str, int]]:
    """Counts per stage summed over the runs that finished at or after ``since`` (database clock)."""
    totals: dict[str, dict[str, int]] = {}
    with database.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT stage, counts, skipped FROM ops_pipeline_run WHERE finished_at >= %s", (since,)
        ).fetchall()
    for stage, counts, skipped in rows:
        bucket = totals.setdefault(str(stage).split("#")[0], {})  # shards ("fetch#2") add up
        for key, value in {**counts, **{f"skipped_{k}": v for k, v in skipped.items()}}.items():
            bucket[key] = bucket.get(key, 0) + int(value)
    return totals
