"""The daily brief: one self-contained HTML page per day, read from the warehouse as the analyst role.

``write_brief`` renders a day on demand (``communique brief``); ``write_daily_brief`` is the
daily DAG's stage: it renders the days of its data interval once the warehouse has loaded
them, and waits (raises :class:`BriefNotReadyError`, which Airflow retries) while the last
hours of the day are still being processed. A page depends on the warehouse's rows only,
never on the clock, so rendering a day again gives the same bytes until its data changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from communique.errors import BriefNotReadyError, ReportError
from communique.models import Interval, StageReport
from communique.reports.access import analyst_connection
from communique.reports.brief_data import BriefData, read_brief
from communique.reports.files import write_text
from communique.settings import Settings
from communique.warehouse import database

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BriefResult:
    path: Path
    day: date
    events: int
    window_events: int
    bytes: int


def brief_path(directory: Path, day: date) -> Path:
    """Where the brief of ``day`` goes: ``DIRECTORY/brief-YYYY-MM-DD.html``."""
    return directory / f"brief-{day.isoformat()}.html"


def render_brief(dsn: str, day: date, *, cache_dir: Path | None = None) -> tuple[str, BriefData]:
    """The page of ``day`` and the data it shows."""
    import psycopg

    from communique.reports.charts import brief_charts  # Altair: loaded when a page is drawn
    from communique.reports.page import render_page
    from communique.reports.scripts import chart_script, vegalite_version

    try:
        with analyst_connection(dsn) as conn:
            data = read_brief(conn, day)
    except psycopg.Error as exc:
        raise ReportError(f"cannot read the brief of {day} from the warehouse: {exc}".strip()) from exc
    page = render_page(data, brief_charts(data), chart_script(cache_dir), vegalite_version())
    return page, data


def write_brief(dsn: str, day: date, directory: Path, *, cache_dir: Path | None = None) -> BriefResult:
    """Render the brief of ``day`` into ``directory`` (replacing an older one whole)."""
    page, data = render_brief(dsn, day, cache_dir=cache_dir)
    path = brief_path(directory, day)
    write_text(path, page)
    LOGGER.info("brief of %s: %s events (%s in %s days) -> %s", day, data.totals.events, data.window_events,
                len(data.days), path)  # fmt: skip
    return BriefResult(path, day, data.totals.events, data.window_events, len(page.encode()))


def latest_event_day(dsn: str) -> date | None:
    """The latest day with events in the warehouse (the demo's day: its news is years old)."""
    with analyst_connection(dsn) as conn:
        row = conn.execute("SELECT max(event_date) FROM v_dyad_daily").fetchone()
    return row[0] if row else None


def interval_days(interval: Interval) -> list[date]:
    """The UTC days an interval touches: ``[D 00:00, D+1 00:00)`` is the one day D."""
    first, last = interval.start.date(), (interval.end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range(max((last - first).days, 0) + 1)]


def loaded_until(dsn: str) -> datetime | None:
    """End of the latest interval the pipeline has loaded (``ops_pipeline_run``), if any."""
    with database.connect(dsn) as conn:
        row = conn.execute("SELECT max(interval_end) FROM ops_pipeline_run WHERE stage = 'load'").fetchone()
    return row[0] if row else None


def write_daily_brief(settings: Settings, dsn: str, interval: Interval) -> StageReport:
    """The daily DAG's task: the brief of each day of ``interval``, once the warehouse has loaded that far.

    :raises BriefNotReadyError: the pipeline has not loaded up to the interval's end yet (the last
        hour of the day is processed after midnight); Airflow retries the task with backoff.
    """
    loaded = loaded_until(dsn)
    if loaded is None or loaded < interval.end:
        raise BriefNotReadyError(
            f"the warehouse has loaded up to {loaded.isoformat() if loaded else 'nothing yet'}, not yet to "
            f"{interval.end.isoformat()}: the brief of {interval} waits for the day's processing"
        )
    report = StageReport("brief", {"briefs": 0, "events": 0, "bytes": 0})
    for day in interval_days(interval):
        result = write_brief(dsn, day, settings.brief_dir, cache_dir=settings.home / "cache")
        report.add("briefs")
        report.add("events", result.events)
        report.add("bytes", result.bytes)
        if not result.events:
            report.skip("day_without_events")
    return report
