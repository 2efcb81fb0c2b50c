"""
### communique_ingest: poll the news feeds and land new articles

Every 15 minutes: apply pending warehouse migrations, then poll the feeds that are due
(conditional GET; failing feeds back off; one summary line per feed in the log) and fetch
the pages of new entries politely into the raw store (`raw_article`).

The work is split into shards by host (`COMMUNIQUE_INGEST_SHARDS`, 4 by default): one
mapped `poll_feeds` and one mapped `fetch_articles` task per shard, so more workers fetch
more in parallel while one host is only ever fetched by one task (its politeness limits
hold). Both run in the `communique_http` pool, which caps how many tasks talk to the web
at once across all runs.

Feeds are "latest" by nature, so this DAG does not backfill. Each page lands once, stamped
with its fetch time (`landed_at`), which places it in an hourly interval of
**communique_process**. `announce_landed` emits the `communique_raw_articles` asset with the
landed time range, and processing starts at once; when nothing landed it is skipped and emits
nothing, so no processing run starts for nothing.

Each task has a time limit (`execution_timeout`, see docs/operations.md); a task that fails
for good raises an alert (the task log, and the `communique_alerts` webhook if defined).

Owner: communique. Data goes through the warehouse; XCom carries only counts.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import CronDataIntervalTimetable, Param, dag, task

from communique_airflow import DEFAULT_ARGS, HTTP_POOL, RAW_ARTICLES, TIMEOUTS


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
    @task(execution_timeout=TIMEOUTS["migrate_warehouse"])
    def migrate_warehouse(**context) -> dict:
        """Apply pending schema migrations to the warehouse (a no-op when up to date)."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(pipeline.migrate_warehouse, context, interval=False)

    @task(execution_timeout=TIMEOUTS["plan_shards"])
    def plan_shards() -> list[str]:
        """Split the work by host into COMMUNIQUE_INGEST_SHARDS shards ("0/4", "1/4", ...)."""
        from communique_airflow import plan_shards

        return plan_shards()

    @task(pool=HTTP_POOL, map_index_template="{{ task.op_kwargs['shard'] }}", execution_timeout=TIMEOUTS["poll_feeds"])
    def poll_feeds(shard: str, **context) -> dict:
        """Poll the shard's due feeds; upsert their entries; record conditional-GET state and feed health."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(
            pipeline.poll_feeds, context, interval=False, shard=shard, force=context["params"]["force_poll"]
        )

    @task(
        pool=HTTP_POOL, map_index_template="{{ task.op_kwargs['shard'] }}", execution_timeout=TIMEOUTS["fetch_articles"]
    )
    def fetch_articles(shard: str, **context) -> dict:
        """Fetch the shard's pages of entries not stored yet and land them in the raw store."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(pipeline.fetch_articles, context, interval=False, shard=shard)

    @task(outlets=[RAW_ARTICLES], execution_timeout=TIMEOUTS["announce_landed"])
    def announce_landed(fetched: list[dict], **context) -> dict:
        """Emit the raw-articles asset with the time range the shards landed pages in."""
        from communique_airflow import announce_landed

        return announce_landed(fetched, context)

    shards = plan_shards()
    polled = poll_feeds.expand(shard=shards)
    fetched = fetch_articles.expand(shard=shards)
    migrate_warehouse() >> shards
    polled >> fetched
    announce_landed(fetched)


communique_ingest()
