"""End to end through Airflow: dag.test() of both DAGs against the demo site and a test warehouse."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from communique.local.demo_site import DemoServer, feed_list_toml, load_site

from .conftest import DAGS_FOLDER

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dags() -> dict[str, object]:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    assert not bag.import_errors
    return bag.dags


@pytest.fixture
def pipeline_env(
    tmp_path: Path, warehouse_dsn: str, airflow_db: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The demo site on a free port, the feed list that polls it, and the warehouse as an Airflow connection."""
    with DemoServer(load_site(), 0) as server:
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(feed_list_toml(load_site(), server.origin), encoding="utf-8")
        params = psycopg.conninfo.conninfo_to_dict(warehouse_dsn)
        connection = {"conn_type": "postgres", "host": params["host"], "login": params.get("user", "postgres"),
                      "schema": params["dbname"], "port": int(params.get("port", 5432))}  # fmt: skip
        monkeypatch.setenv("AIRFLOW_CONN_COMMUNIQUE_WAREHOUSE", json.dumps(connection))
        monkeypatch.setenv("COMMUNIQUE_FEEDS_FILE", str(feeds))
        monkeypatch.setenv("COMMUNIQUE_ALLOWED_ORIGINS", server.origin)
        monkeypatch.setenv("COMMUNIQUE_PER_HOST_DELAY", "0")
        monkeypatch.setenv("COMMUNIQUE_HOME", str(tmp_path / "home"))
        yield warehouse_dsn


def _facts(dsn: str) -> list[tuple[object, ...]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT * FROM fct_diplomatic_event ORDER BY event_id").fetchall()


def _run(dag: object, **kwargs: object) -> None:
    run = dag.test(**kwargs)  # type: ignore[attr-defined]
    assert run.state == "success", run


def _run_pipeline(dags: dict[str, object], dsn: str) -> list[object]:
    _run(dags["communique_ingest"], run_conf={"force_poll": True})
    with psycopg.connect(dsn) as conn:
        hours = [r[0] for r in conn.execute("SELECT DISTINCT date_trunc('hour', landed_at) FROM raw_article")]
    for hour in hours:
        _run(dags["communique_process"], logical_date=hour + timedelta(hours=1))
    return hours


def test_both_dags_load_events_and_a_second_run_changes_nothing(dags: dict[str, object], pipeline_env: str) -> None:
    dsn = pipeline_env
    hours = _run_pipeline(dags, dsn)
    assert hours
    first = _facts(dsn)
    assert len(first) >= 5
    with psycopg.connect(dsn) as conn:
        stages = conn.execute("SELECT stage, interval_start FROM ops_pipeline_run ORDER BY finished_at").fetchall()
        copies = conn.execute("SELECT count(*) FROM article WHERE cluster_id <> article_id").fetchone()
        kinds = conn.execute("SELECT duplicate_kind FROM article WHERE duplicate_kind > '' ORDER BY 1").fetchall()
        reported = conn.execute("SELECT max(num_articles), max(num_sources) FROM fct_diplomatic_event").fetchone()
        skipped = conn.execute("SELECT skip_reason FROM article WHERE status = 'skipped'").fetchall()
        urls = conn.execute("SELECT count(*) FROM v_events WHERE array_length(article_urls, 1) >= 1").fetchone()
    names = list(dict.fromkeys(s.split("#")[0] for s, _ in stages))  # shards ("poll#2") count once
    assert names[:3] == ["migrate", "poll", "fetch"]
    assert {"clean", "deduplicate", "extract", "load", "check"} <= set(names)
    assert {s for s, _ in stages if s.startswith("fetch")} == {f"fetch#{n}" for n in range(4)}  # 4 shards
    assert {start for s, start in stages if s == "load"} == set(hours)  # the run's data interval, not now()
    assert copies == (2,)  # the syndicated copy and the agency variant joined their stories
    assert kinds == [("canonical",), ("near",)]
    assert reported is not None and reported[0] >= 2 and reported[1] >= 2  # copies count without re-extraction
    assert ("non_english",) in skipped
    assert urls == (len(first),)

    _run_pipeline(dags, dsn)
    assert _facts(dsn) == first
