"""A task that fails for good raises a clear alert in the log and posts it to the configured webhook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.http_server import LocalHTTPServer, Reply

from .conftest import DAGS_FOLDER

pytestmark = pytest.mark.slow


def test_failure_posts_to_the_webhook(
    airflow_db: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from airflow.dag_processing.dagbag import DagBag

    with LocalHTTPServer() as hook:
        hook.route("/alerts", Reply.text("ok"))
        monkeypatch.setenv(
            "AIRFLOW_CONN_COMMUNIQUE_ALERTS", json.dumps({"conn_type": "http", "host": hook.url("/alerts")})
        )
        # A warehouse that does not exist: the first task fails.
        broken = {"conn_type": "postgres", "host": "/nonexistent-socket-dir", "login": "nobody", "schema": "none"}
        monkeypatch.setenv("AIRFLOW_CONN_COMMUNIQUE_WAREHOUSE", json.dumps(broken))
        dag = DagBag(dag_folder=str(DAGS_FOLDER)).dags["communique_process"]
        for task in dag.tasks:
            task.retries = 0  # fail for good at once
        run = dag.test()
        assert run.state == "failed"
        posted = [r for r in hook.requests if r.path == "/alerts"]
    assert len(posted) == 1 and posted[0].method == "POST"
    payload = json.loads(posted[0].body)
    assert payload["dag_id"] == "communique_process" and payload["task_id"] == "migrate_warehouse"
    assert payload["exception"].startswith("WarehouseError") and payload["text"].startswith("Communiqué:")
    logged = capfd.readouterr()
    assert "COMMUNIQUE ALERT Communiqué: communique_process.migrate_warehouse failed" in logged.out + logged.err
