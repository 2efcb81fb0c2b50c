"""
### communique_brief: the daily brief, a page an analyst would rather look at than query

Once a day, for the day that just ended (a real data interval, `CronDataIntervalTimetable`
at midnight UTC: the run of 2026-03-05 covers `[2026-03-05, 2026-03-06)`), render
`brief-2026-03-05.html` into `COMMUNIQUE_BRIEFS_DIR` (default `briefs/` under
`COMMUNIQUE_HOME`): the day's events by type and QuadClass over the last 30 days, the most
active pairs with their Goldstein balance, a world map, and the day's most reported events
with their evidence and every article. The page is self-contained (charts and map inlined;
it opens with no network) and is read from the warehouse as `communique_analyst`.

The brief waits for the end of the day's processing: while the warehouse has not loaded up
to the interval's end (the last hour is processed by **communique_process** after
midnight), the task raises `BriefNotReadyError` and Airflow retries it with exponential
backoff, for about two hours; after that it fails and alerts (processing is behind).

Re-rendering a day gives the same page until its data changes, so any range can be
backfilled, for instance after a history import:

    airflow backfill create --dag-id communique_brief --from-date 2026-01-01 \
        --to-date 2026-01-31 --reprocess-behavior completed

Owner: communique. `communique brief --date YYYY-MM-DD` renders a day by hand.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import CronDataIntervalTimetable, dag, task

from communique_airflow import DEFAULT_ARGS


@dag(
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    # Early on purpose: briefs can be backfilled over history imported from WARC files or sitemaps.
    start_date=pendulum.datetime(2000, 1, 1, tz="UTC"),
    catchup=False,
    default_args=DEFAULT_ARGS,
    tags=["communique", "reports"],
    doc_md=__doc__,
)
def communique_brief() -> None:
    # Waiting for the day's last hour is a retry: 8 retries with backoff (1, 2, 4 ... 30 min) span about 2 hours.
    @task(retries=8)
    def write_brief(**context) -> dict:
        """Render the brief of the interval's day (once the warehouse has loaded it) into the briefs folder."""
        from communique.reports import brief
        from communique_airflow import run_stage

        return run_stage(brief.write_daily_brief, context)

    write_brief()


communique_brief()
