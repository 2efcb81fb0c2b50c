"""
### communique_ingest: poll the news feeds and land new articles

Every 15 minutes: apply pending warehouse migrations, poll every enabled feed of the
registry (conditional GET, one summary line per feed in the log), then fetch the pages of
new entries politely and land them, compressed, in the raw store (`raw_article`).

Feeds are "latest" by nature, so this DAG does not backfill: it upserts what the feeds
list now. Each page lands once, stamped with its fetch time (`landed_at`), which places it
in an hourly interval of **communique_process**. When pages land, the task emits the
`communique_raw_articles` asset with the landed time range, and processing starts at once.

Owner: communique. Data goes through the warehouse; XCom carries only counts.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import CronDataIntervalTimetable, Param, dag, task

from communique_airflow import DEFAULT_ARGS, RAW_ARTICLES


@dag(
    schedule=CronDataIntervalTimetable("*/15 * * * *", timezone="UTC"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["communique", "ingest"],
    doc_md=__doc__,
    params={"force_poll": Param(False, type="boolean", description="Poll every enabled feed, due or not.")},
)
def communique_ingest() -> None:
    @task
    def migrate_warehouse(**context) -> dict:
        """Apply pending schema migrations to the warehouse (a no-op when up to date)."""
        from communique_airflow import run_stage

        return run_stage("migrate_warehouse", context, interval=False)

    @task
    def poll_feeds(**context) -> dict:
        """Poll every enabled feed due for a poll; upsert its entries; record feed health."""
        from communique_airflow import run_stage

        return run_stage("poll_feeds", context, interval=False, force=context["params"]["force_poll"])

    @task(outlets=[RAW_ARTICLES])
    def fetch_articles(**context) -> dict:
        """Fetch the pages of entries not stored yet and land them in the raw store."""
        from communique_airflow import run_stage

        result = run_stage("fetch_articles", context, interval=False)
        context["outlet_events"][RAW_ARTICLES].extra = result.get("landed_range", {})
        return result

    migrate_warehouse() >> poll_feeds() >> fetch_articles()


communique_ingest()
