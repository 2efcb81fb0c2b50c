"""
### communique_process: from raw articles to diplomatic-event facts, one hour at a time

For one data interval (an hour of `landed_at`): clean the pages that landed in it (main
text, title, published time, language), put each article into a story cluster (copies of
one story are extracted once), extract diplomatic events from each new story, merge them
into `fct_diplomatic_event` in one transaction, then check the warehouse's promises on
what was loaded (no null keys, no duplicate event ids, event dates within bounds, every
fact linked to an article); a broken promise fails the run and raises an alert.

Runs hourly on real data intervals (`CronDataIntervalTimetable`) and also as soon as
**communique_ingest** lands pages (the `communique_raw_articles` asset; such a run covers
the hours in which they landed). Every run replaces exactly its interval's share of the
facts, so any range can be re-run:

    airflow backfill create --dag-id communique_process --from-date 2026-01-01T00:00 \
        --to-date 2026-01-02T00:00 --reprocess-behavior completed --max-active-runs 1

Runs one at a time (`max_active_runs=1`, and `--max-active-runs 1` for backfills, which do
not inherit it): story clusters depend on what earlier hours saw. Each task has a time limit
(`execution_timeout`) and a run fails after 2 hours (`dagrun_timeout`), so a stuck hour
cannot hold the queue; the figures behind them are in docs/operations.md.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import AssetOrTimeSchedule, CronDataIntervalTimetable, dag, task

from communique_airflow import DEFAULT_ARGS, DIPLOMATIC_EVENTS, PROCESS_RUN_TIMEOUT, RAW_ARTICLES, TIMEOUTS


@dag(
    schedule=AssetOrTimeSchedule(
        timetable=CronDataIntervalTimetable("0 * * * *", timezone="UTC"), assets=[RAW_ARTICLES]
    ),
    # Early on purpose: backfills may replay history imported from WARC files or sitemaps.
    start_date=pendulum.datetime(2000, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=PROCESS_RUN_TIMEOUT,
    default_args=DEFAULT_ARGS,
    tags=["communique", "process"],
    doc_md=__doc__,
)
def communique_process() -> None:
    @task(execution_timeout=TIMEOUTS["migrate_warehouse"])
    def migrate_warehouse(**context) -> dict:
        """Apply pending schema migrations to the warehouse (a no-op when up to date)."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(pipeline.migrate_warehouse, context, interval=False)

    @task(execution_timeout=TIMEOUTS["clean_articles"])
    def clean_articles(**context) -> dict:
        """Raw pages of the interval -> cleaned text and metadata; non-English and teasers skipped."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(pipeline.clean_articles, context)

    @task(execution_timeout=TIMEOUTS["deduplicate_articles"])
    def deduplicate_articles(**context) -> dict:
        """Assign each cleaned article to a story cluster; copies join the story they repeat."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(pipeline.deduplicate_articles, context)

    @task(execution_timeout=TIMEOUTS["extract_events"])
    def extract_events(**context) -> dict:
        """Run the event extractor once per new story; stage the events (COPY)."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(pipeline.extract_events, context)

    @task(execution_timeout=TIMEOUTS["load_events"])
    def load_events(**context) -> dict:
        """Merge the interval's events into mentions and facts in one transaction."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(pipeline.load_events, context)

    @task(outlets=[DIPLOMATIC_EVENTS], execution_timeout=TIMEOUTS["check_quality"])
    def check_quality(**context) -> dict:
        """Fail loudly if what the interval loaded breaks a promise (null keys, duplicate ids, dates, links)."""
        from communique import pipeline
        from communique_airflow import run_stage

        return run_stage(pipeline.check_quality, context)

    chain = migrate_warehouse() >> clean_articles() >> deduplicate_articles() >> extract_events()
    chain >> load_events() >> check_quality()


communique_process()
