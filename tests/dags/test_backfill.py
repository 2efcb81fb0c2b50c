"""A real backfill: `airflow backfill create` executed by a running scheduler (PostgreSQL metadata).

The warehouse after the backfill must equal a fresh, in-order run of the same intervals
without Airflow, and a second backfill of the same range must change nothing. One Airflow
stack serves every check: starting one costs more than the backfill itself.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from communique import pipeline
from communique.local.demo_site import load_site
from communique.models import Interval
from communique.parallel import MIN_ITEMS_FOR_WORKERS
from communique.settings import Settings
from communique.warehouse import database, raw_store
from tests.support.corpora import corpus

from .airflow_stack import AirflowStack, metadata_database

pytestmark = pytest.mark.slow

H0 = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
HOURS = [H0 + timedelta(hours=n) for n in range(2)]
#: Enough distinct pages in the first hour for its tasks to start worker processes.
BUSY_HOUR_PAGES = MIN_ITEMS_FOR_WORKERS


def _land_history(dsn: str) -> None:
    """Demo pages landed over two hours, a syndicated copy of the first one in the last hour, and a
    busy first hour of distinct pages (the throughput bench's) that the tasks share among workers."""
    from bench.throughput import START, documents

    pages = [item for item in load_site().items if "?" not in item.path][:7]
    busy = [
        replace(doc, fetched_at=H0 + (doc.landed_at - START), landed_at=H0 + (doc.landed_at - START))
        for doc in documents(BUSY_HOUR_PAGES, 1, corpus=corpus("articles"))
    ]
    with database.connect(dsn) as conn:
        for n, item in enumerate(pages):
            landed = HOURS[n % len(HOURS)] + timedelta(minutes=5 + n)
            raw_store.land(conn, [_page(f"https://{item.feed}.example{item.path}", item.file, item.feed, landed)])
        copy = _page("https://copies.example/first.html", pages[0].file, "copies", HOURS[-1] + timedelta(minutes=50))
        raw_store.land(conn, [copy, *busy])


def _page(url: str, file: Path, outlet: str, landed: datetime) -> raw_store.RawArticle:
    return raw_store.RawArticle(
        url=url, final_url=url, html=file.read_text(encoding="utf-8"), source="file", outlet=f"{outlet}.example",
        fetched_at=landed, landed_at=landed,
    )  # fmt: skip


def _snapshot(dsn: str) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "facts": "SELECT * FROM fct_diplomatic_event ORDER BY event_id",
        "mentions": "SELECT * FROM fct_event_mention ORDER BY event_id, article_id",
        "clusters": "SELECT article_id, cluster_id, duplicate_kind FROM article ORDER BY article_id",
        "dyads": "SELECT * FROM agg_dyad_daily ORDER BY 1, 2, 3",
    }
    with database.connect(dsn) as conn:
        return {name: conn.execute(query).fetchall() for name, query in queries.items()}


def _latest_backfill_states(metadata_dsn: str) -> list[str | None]:
    """The states of the runs of the newest backfill of the processing DAG."""
    with psycopg.connect(metadata_dsn) as conn:
        states = conn.execute(
            """SELECT r.state FROM backfill_dag_run b LEFT JOIN dag_run r ON r.id = b.dag_run_id
                WHERE b.backfill_id = (SELECT max(id) FROM backfill WHERE dag_id = 'communique_process')
                ORDER BY b.sort_ordinal"""
        ).fetchall()
    return [s[0] for s in states]


def _run_backfill(stack: AirflowStack, metadata_dsn: str) -> list[str | None]:
    """Create a backfill of HOURS once the previous one is complete; the states its runs end in."""
    # The scheduler marks a backfill complete every 30 s, and a DAG has one active backfill at a time.
    stack.wait_for("the previous backfill to complete", lambda: _no_active_backfill(metadata_dsn), timeout=120)
    stack.cli(
        "backfill", "create", "--dag-id", "communique_process",
        "--from-date", HOURS[0].isoformat(), "--to-date", HOURS[-1].isoformat(),
        "--reprocess-behavior", "completed", "--max-active-runs", "1",
    )  # fmt: skip

    def finished() -> bool:
        states = _latest_backfill_states(metadata_dsn)
        return len(states) == len(HOURS) and all(state in ("success", "failed") for state in states)

    stack.wait_for("the backfill's runs to finish", finished, timeout=480)
    return _latest_backfill_states(metadata_dsn)


def _no_active_backfill(metadata_dsn: str) -> bool:
    with psycopg.connect(metadata_dsn) as conn:
        active = conn.execute("SELECT count(*) FROM backfill WHERE completed_at IS NULL").fetchone()
    return active is not None and active[0] == 0


def _assert_same(got: dict[str, list[tuple[object, ...]]], expected: dict[str, list[tuple[object, ...]]]) -> None:
    for table, rows in expected.items():
        have, want = {repr(r) for r in got[table]}, {repr(r) for r in rows}
        extra, missing = have - want, want - have
        assert not extra and not missing, f"{table}: unexpected {sorted(extra)[:3]} missing {sorted(missing)[:3]}"


def _stack(
    tmp_path: Path, pg_admin_dsn: str, warehouse_dsn: str, env: dict[str, str] | None = None
) -> tuple[str, AirflowStack]:
    """A running Airflow (API server, scheduler, dag-processor; LocalExecutor) on the warehouse."""
    metadata_dsn, metadata_url = metadata_database(pg_admin_dsn, f"airflow_{uuid.uuid4().hex[:8]}")
    params = conninfo_to_dict(warehouse_dsn)
    connection = {"conn_type": "postgres", "host": params["host"], "login": params.get("user", "postgres"),
                  "schema": params["dbname"], "port": int(params.get("port", 5432))}  # fmt: skip
    stack = AirflowStack(
        tmp_path / "airflow",
        metadata_url,
        {"AIRFLOW_CONN_COMMUNIQUE_WAREHOUSE": json.dumps(connection), "COMMUNIQUE_HOME": str(tmp_path / "home"),
         **(env or {})},
    )  # fmt: skip
    (tmp_path / "airflow").mkdir()
    try:
        stack.cli("db", "migrate")
        stack.cli("dags", "reserialize")
        stack.start("api-server", "api-server", "--port", str(stack.api_port))
        stack.start("scheduler", "scheduler")
        stack.start("dag-processor", "dag-processor")
    except BaseException:
        stack.stop()
        raise
    return metadata_dsn, stack


def test_backfill_equals_a_fresh_run_in_worker_processes_and_replays_exactly(
    tmp_path: Path, pg_admin_dsn: str, warehouse_dsn: str, second_warehouse_dsn: str
) -> None:
    """Under the real task runner (a scheduler's LocalExecutor, two worker processes per task), a
    backfill loads exactly what one process loads hour by hour without Airflow; a second changes nothing."""
    _land_history(second_warehouse_dsn)
    for hour in HOURS:
        pipeline.process_interval(Settings(home=tmp_path / "ref", workers=1), second_warehouse_dsn,
                                  Interval(hour, hour + timedelta(hours=1)))  # fmt: skip
    expected = _snapshot(second_warehouse_dsn)
    assert expected["facts"], "the reference run extracted nothing"
    assert any(kind for _, _, kind in expected["clusters"]), "the reference run found no duplicate"

    _land_history(warehouse_dsn)
    metadata_dsn, stack = _stack(tmp_path, pg_admin_dsn, warehouse_dsn, {"COMMUNIQUE_WORKERS": "2"})
    try:
        stack.cli("dags", "unpause", "communique_process")
        assert _run_backfill(stack, metadata_dsn) == ["success"] * len(HOURS)
        _assert_same(_snapshot(warehouse_dsn), expected)

        assert _run_backfill(stack, metadata_dsn) == ["success"] * len(HOURS)
        _assert_same(_snapshot(warehouse_dsn), expected)
    finally:
        stack.stop()
    logs = [p for p in (tmp_path / "airflow" / "logs").rglob("*") if p.is_file() and "communique_process" in str(p)]
    for task in ("clean_articles", "extract_events"):
        texts = [p.read_text(errors="replace") for p in logs if f"task_id={task}" in str(p)]
        assert texts, f"no log of {task} among {[str(p) for p in logs][:5]}"
        assert any("starting 2 worker processes" in text for text in texts), f"{task} did not use the workers"
