"""The docker-compose topology without Docker: CeleryExecutor, Redis, PostgreSQL, two workers.

The ingest DAG is triggered by hand against the demo site; its asset starts the processing
DAG (as in production). Tasks must run on both workers, and the warehouse must equal an
in-process run of the same DAGs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from communique.local.demo_site import DemoServer, feed_list_toml, load_site
from tests.conftest import _fresh_database

from .airflow_stack import AirflowStack, free_port, metadata_database

pytestmark = pytest.mark.slow
COUNTED = ("SELECT event_type, cameo_code, source_cameo, target_cameo, event_date, location_country, num_articles, "
           "num_sources, evidence_sentence FROM fct_diplomatic_event ORDER BY 1, 2, 3, 4, 5, 6")  # fmt: skip


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, (
        "redis-server is needed for the CeleryExecutor test (Debian package redis-server; .ci/run installs it)"
    )
    port = free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def _connection(dsn: str) -> str:
    params = conninfo_to_dict(dsn)
    return json.dumps({"conn_type": "postgres", "host": params["host"], "login": params.get("user", "postgres"),
                       "schema": params["dbname"], "port": int(params.get("port", 5432))})  # fmt: skip


def _runs(metadata_dsn: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(metadata_dsn) as conn:
        return conn.execute("SELECT dag_id, run_type, state FROM dag_run ORDER BY id").fetchall()


def _done(stack: AirflowStack, metadata_dsn: str) -> bool:
    runs = _runs(metadata_dsn)
    if any(state == "failed" for _, _, state in runs):
        raise AssertionError(f"a run failed: {runs}\n{stack.log('worker-1')[-3000:]}\n{stack.log('worker-2')[-3000:]}")
    ingest = [s for d, t, s in runs if d == "communique_ingest" and t == "manual"]
    processed = [s for d, t, s in runs if d == "communique_process" and t == "asset_triggered"]
    return ingest == ["success"] and "success" in processed


def _reference(pg_admin_dsn: str, feeds: Path, origin: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The same DAGs run in-process (dag.test) on a fresh warehouse."""
    from airflow.dag_processing.dagbag import DagBag

    from .conftest import DAGS_FOLDER

    databases = _fresh_database(pg_admin_dsn, "communique_test_template")
    dsn = next(databases)
    monkeypatch.setenv("AIRFLOW_CONN_COMMUNIQUE_WAREHOUSE", _connection(dsn))
    monkeypatch.setenv("COMMUNIQUE_FEEDS_FILE", str(feeds))
    monkeypatch.setenv("COMMUNIQUE_ALLOWED_ORIGINS", origin)
    monkeypatch.setenv("COMMUNIQUE_PER_HOST_DELAY", "0")
    dags = DagBag(dag_folder=str(DAGS_FOLDER)).dags
    assert dags["communique_ingest"].test(run_conf={"force_poll": True}).state == "success"
    with psycopg.connect(dsn) as conn:
        hours = [r[0] for r in conn.execute("SELECT DISTINCT date_trunc('hour', landed_at) FROM raw_article")]
        for hour in hours:
            assert dags["communique_process"].test(logical_date=hour + timedelta(hours=1)).state == "success"
        rows = conn.execute(COUNTED).fetchall()
    next(databases, None)
    return rows


def test_celery_workers_share_the_pipeline(
    tmp_path: Path, pg_admin_dsn: str, warehouse_dsn: str, redis_url: str, airflow_db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    with DemoServer(load_site(), 0) as site:
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(feed_list_toml(load_site(), site.origin), encoding="utf-8")
        metadata_dsn, metadata_url = metadata_database(pg_admin_dsn, f"airflow_{uuid.uuid4().hex[:8]}")
        params = conninfo_to_dict(metadata_dsn)
        backend = f"db+postgresql://{params.get('user', 'postgres')}@/{params['dbname']}?host={params['host']}"
        home = tmp_path / "airflow"
        home.mkdir()
        stack = AirflowStack(home, metadata_url, {
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CELERY__BROKER_URL": redis_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": backend,
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "communique_airflow.hostname.worker_hostname",
            "AIRFLOW_CONN_COMMUNIQUE_WAREHOUSE": _connection(warehouse_dsn),
            "COMMUNIQUE_FEEDS_FILE": str(feeds),
            "COMMUNIQUE_ALLOWED_ORIGINS": site.origin,
            "COMMUNIQUE_PER_HOST_DELAY": "0",
            "COMMUNIQUE_HOME": str(tmp_path / "home"),
        })  # fmt: skip
        try:
            stack.cli("db", "migrate")
            stack.cli("pools", "set", "communique_http", "4", "web tasks")
            stack.cli("dags", "reserialize")
            stack.start("api-server", "api-server", "--port", str(stack.api_port))
            stack.start("scheduler", "scheduler")
            stack.start("dag-processor", "dag-processor")
            for n in (1, 2):  # two workers on one host: own names, own log-server ports
                env = {"AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()), "COMMUNIQUE_WORKER_NAME": f"w{n}"}
                worker = ("celery", "worker", "--celery-hostname", f"w{n}@%h", "--concurrency", "2")
                stack.start(f"worker-{n}", *worker, env=env)
            stack.cli("dags", "unpause", "communique_process")
            stack.cli("dags", "unpause", "communique_ingest")
            stack.cli("dags", "trigger", "communique_ingest", "--conf", json.dumps({"force_poll": True}))
            stack.wait_for("ingest, then the asset-triggered processing", lambda: _done(stack, metadata_dsn), 480)
            with psycopg.connect(metadata_dsn) as conn:
                hosts = dict(conn.execute(
                    "SELECT hostname, count(*) FROM task_instance WHERE state = 'success' GROUP BY hostname"
                ).fetchall())  # fmt: skip
        finally:
            stack.stop()
    assert set(hosts) >= {"w1", "w2"}, f"tasks ran on {hosts}"
    with psycopg.connect(warehouse_dsn) as conn:
        celery_rows = conn.execute(COUNTED).fetchall()
    assert celery_rows, "the Celery run loaded no facts"
    with DemoServer(load_site(), 0) as site:
        feeds.write_text(feed_list_toml(load_site(), site.origin), encoding="utf-8")
        assert _reference(pg_admin_dsn, feeds, site.origin, monkeypatch) == celery_rows
