"""A real backfill: `airflow backfill create` executed by a running scheduler (PostgreSQL metadata).

The warehouse after the backfill must equal a fresh, in-order run of the same intervals
without Airflow, and a second backfill of the same range must change nothing.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from communique import pipeline
from communique.local.demo_site import load_site
from communique.models import Interval
from communique.settings import Settings
from communique.warehouse import database, raw_store
from tests.support.corpora import corpus

from .airflow_stack import AirflowStack, metadata_database

pytestmark = pytest.mark.slow

H0 = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
HOURS = [H0 + timedelta(hours=n) for n in range(3)]


def _land_history(dsn: str) -> None:
    """Demo pages landed over three hours, and a syndicated copy of the first one in the last hour."""
    pages = [item for item in load_site().items if "?" not in item.path][:7]
    with database.connect(dsn) as conn:
        for n, item in enumerate(pages):
            landed = HOURS[n % 3] + timedelta(minutes=5 + n)
            raw_store.land(conn, [_page(f"https://{item.feed}.example{item.path}", item.file, item.feed, landed)])
        copy = _page("https://copies.example/first.html", pages[0].file, "copies", HOURS[2] + timedelta(minutes=50))
        raw_store.land(conn, [copy])


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


def _latest_backfill(metadata_dsn: str) -> tuple[int, bool, list[str | None]]:
    """(id, completed, states of its runs) of the newest backfill of the processing DAG."""
    with psycopg.connect(metadata_dsn) as conn:
        backfill_id, completed = conn.execute(
            "SELECT id, completed_at IS NOT NULL FROM backfill WHERE dag_id = 'communique_process' ORDER BY id DESC"
        ).fetchone()
        states = conn.execute(
            """SELECT r.state FROM backfill_dag_run b LEFT JOIN dag_run r ON r.id = b.dag_run_id
                WHERE b.backfill_id = %s ORDER BY b.sort_ordinal""",
            (backfill_id,),
        ).fetchall()
    return backfill_id, completed, [s[0] for s in states]


def _run_backfill(stack: AirflowStack, metadata_dsn: str, hours: list[datetime] = HOURS) -> list[str | None]:
    stack.cli(
        "backfill", "create", "--dag-id", "communique_process",
        "--from-date", hours[0].isoformat(), "--to-date", hours[-1].isoformat(),
        "--reprocess-behavior", "completed", "--max-active-runs", "1",
    )  # fmt: skip
    stack.wait_for("the backfill to complete", lambda: _latest_backfill(metadata_dsn)[1], timeout=480)
    return _latest_backfill(metadata_dsn)[2]


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


def test_backfill_equals_a_fresh_run_and_replays_exactly(
    tmp_path: Path, pg_admin_dsn: str, template_dsn: str, warehouse_dsn: str
) -> None:
    from tests.conftest import _fresh_database

    # The reference: the same raw store, processed hour by hour without Airflow.
    reference_db = _fresh_database(pg_admin_dsn, "communique_test_template")
    reference = next(reference_db)
    _land_history(reference)
    for hour in HOURS:
        pipeline.process_interval(Settings(home=tmp_path / "ref"), reference, Interval(hour, hour + timedelta(hours=1)))
    expected = _snapshot(reference)
    assert expected["facts"], "the reference run extracted nothing"
    next(reference_db, None)

    _land_history(warehouse_dsn)
    metadata_dsn, stack = _stack(tmp_path, pg_admin_dsn, warehouse_dsn)
    try:
        stack.cli("dags", "unpause", "communique_process")
        assert _run_backfill(stack, metadata_dsn) == ["success"] * len(HOURS)
        _assert_same(_snapshot(warehouse_dsn), expected)

        assert _run_backfill(stack, metadata_dsn) == ["success"] * len(HOURS)
        _assert_same(_snapshot(warehouse_dsn), expected)
    finally:
        stack.stop()


def test_a_backfilled_task_cleans_and_extracts_in_worker_processes(
    tmp_path: Path, pg_admin_dsn: str, warehouse_dsn: str, second_warehouse_dsn: str
) -> None:
    """Under the real task runner (a scheduler's LocalExecutor), an hour of 80 distinct pages is
    cleaned and extracted by two worker processes, and loads exactly what one process loads."""
    from bench.throughput import documents

    hour = datetime(2026, 3, 2, tzinfo=UTC)  # the bench's documents land in this hour
    for dsn in (warehouse_dsn, second_warehouse_dsn):
        with database.connect(dsn) as conn:
            raw_store.land(conn, documents(80, 1, corpus=corpus("articles")))
    pipeline.process_interval(Settings(home=tmp_path / "ref", workers=1), second_warehouse_dsn,
                              Interval(hour, hour + timedelta(hours=1)))  # fmt: skip
    expected = _snapshot(second_warehouse_dsn)
    assert expected["facts"], "the reference run extracted nothing"

    metadata_dsn, stack = _stack(tmp_path, pg_admin_dsn, warehouse_dsn, {"COMMUNIQUE_WORKERS": "2"})
    try:
        stack.cli("dags", "unpause", "communique_process")
        assert _run_backfill(stack, metadata_dsn, [hour]) == ["success"]
    finally:
        stack.stop()
    _assert_same(_snapshot(warehouse_dsn), expected)
    logs = [p for p in (tmp_path / "airflow" / "logs").rglob("*") if p.is_file() and "communique_process" in str(p)]
    for task in ("clean_articles", "extract_events"):
        texts = [p.read_text(errors="replace") for p in logs if f"task_id={task}" in str(p)]
        assert texts, f"no log of {task} among {[str(p) for p in logs][:5]}"
        assert any("starting 2 worker processes" in text for text in texts), f"{task} did not use the workers"
