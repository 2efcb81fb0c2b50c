"""communique_brief: a daily run on a real data interval renders that day's brief through Airflow."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from communique.reports.brief import latest_event_day

from .conftest import DAGS_FOLDER


@pytest.fixture(scope="module")
def brief_dag() -> object:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER / "communique_brief.py"))
    assert not bag.import_errors
    return bag.dags["communique_brief"]


def test_the_brief_runs_daily_on_real_intervals_and_waits_by_retrying(brief_dag: object) -> None:
    timetable = brief_dag.timetable  # type: ignore[attr-defined]
    assert type(timetable).__name__ == "CronDataIntervalTimetable" and timetable.expression == "0 0 * * *"
    (task,) = brief_dag.tasks  # type: ignore[attr-defined]
    assert task.task_id == "write_brief" and task.retries >= 8 and task.retry_exponential_backoff


@pytest.mark.slow
def test_a_run_renders_the_brief_of_its_day(
    brief_dag: object, demo_dsn: str, airflow_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = psycopg.conninfo.conninfo_to_dict(demo_dsn)
    connection = {"conn_type": "postgres", "host": params["host"], "login": params.get("user", "postgres"),
                  "schema": params["dbname"], "port": int(params.get("port", 5432))}  # fmt: skip
    monkeypatch.setenv("AIRFLOW_CONN_COMMUNIQUE_WAREHOUSE", json.dumps(connection))
    monkeypatch.setenv("COMMUNIQUE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COMMUNIQUE_BRIEFS_DIR", str(tmp_path / "briefs"))
    day = latest_event_day(demo_dsn)
    assert day is not None
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)

    run = brief_dag.test(logical_date=midnight + timedelta(days=1))  # type: ignore[attr-defined]

    assert run.state == "success", run
    assert (tmp_path / "briefs" / f"brief-{day}.html").stat().st_size > 500_000
    with psycopg.connect(demo_dsn) as conn:
        recorded = conn.execute(
            "SELECT interval_start, interval_end, counts->>'briefs' FROM ops_pipeline_run "
            "WHERE dag_id = 'communique_brief' AND stage = 'brief'"
        ).fetchall()
    assert recorded == [(midnight, midnight + timedelta(days=1), "1")]
