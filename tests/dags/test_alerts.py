"""A task that fails for good raises a clear alert in the log and posts it to the configured webhook.

The webhook's URL carries its token: it must never reach a log, not even httpx's request line.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest

from communique.errors import ConfigError, WarehouseError
from tests.support.http_server import LocalHTTPServer, Reply

from .airflow_stack import free_port
from .conftest import DAGS_FOLDER

TOKEN = "T0KEN-s3cr3t-9f8e7d"  # a made-up webhook token that no log may show
HOOK_PATH = f"/services/{TOKEN}/alerts"


def _context(exception: BaseException | None) -> dict:
    ti = SimpleNamespace(
        dag_id="communique_process", task_id="load_events", run_id="manual__2026-03-05T10:00:00+00:00",
        try_number=4, max_tries=3, map_index=-1,
        log_url="http://localhost:8080/dags/communique_process/runs/manual__2026/tasks/load_events?try_number=4",
    )  # fmt: skip
    return {"dag": SimpleNamespace(dag_id="communique_process"), "ti": ti, "run_id": ti.run_id,
            "logical_date": "2026-03-05T10:00:00+00:00", "exception": exception}  # fmt: skip


def test_the_alert_names_the_exception_and_links_the_task_log() -> None:
    from communique_airflow.alerts import alert_payload

    payload = alert_payload(_context(WarehouseError("cannot connect to the warehouse")))
    assert payload["exception"] == "WarehouseError: cannot connect to the warehouse"
    assert payload["log_url"].endswith("/tasks/load_events?try_number=4")
    assert payload["text"] == (
        "Communiqué: communique_process.load_events failed (run manual__2026-03-05T10:00:00+00:00, try 4 of 4): "
        f"WarehouseError: cannot connect to the warehouse\nLog: {payload['log_url']}"
    )


def test_a_failure_that_skips_retries_reports_its_cause() -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from communique_airflow.alerts import alert_payload

    try:
        try:
            raise ConfigError("bad feed list: feeds.toml line 3")
        except ConfigError as exc:
            raise AirflowFailException(f"not retried: {exc}") from exc
    except AirflowFailException as failure:
        payload = alert_payload(_context(failure))
    assert payload["exception"] == "ConfigError: bad feed list: feeds.toml line 3"


def test_an_alert_without_exception_says_why_and_where_to_look() -> None:
    """Airflow runs the callback in the dag-processor, without an exception, when the task process died."""
    from communique_airflow.alerts import NO_EXCEPTION, alert_payload

    payload = alert_payload(_context(None))
    assert payload["exception"] == NO_EXCEPTION and "no exception recorded" not in payload["text"]
    assert "killed" in payload["text"] and "Log: http://localhost:8080/" in payload["text"]


@pytest.mark.parametrize("outcome", ["delivered", "server_error", "refused"])
def test_the_webhook_url_never_reaches_a_log(
    outcome: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    from communique_airflow.alerts import post_alert

    caplog.set_level(logging.DEBUG)  # httpx's request line (INFO) and httpcore's trace (DEBUG) included
    for name in ("httpx", "httpcore"):  # whatever level Airflow's logging set up gave them
        caplog.set_level(logging.DEBUG, logger=name)
    with LocalHTTPServer() as hook:
        hook.route(HOOK_PATH, Reply.text("ok") if outcome == "delivered" else Reply.text("boom", status=500))
        url = hook.url(HOOK_PATH) if outcome != "refused" else f"http://127.0.0.1:{free_port()}{HOOK_PATH}"
        delivered = post_alert(url, {"text": "Communiqué: test"})
        posted = [r for r in hook.requests if r.path == HOOK_PATH]
    captured = capfd.readouterr()
    logs = caplog.text + captured.out + captured.err
    assert delivered is (outcome == "delivered")
    assert len(posted) == (0 if outcome == "refused" else 1)
    assert TOKEN not in logs, logs
    origin = url.split("/services/")[0]
    if outcome != "refused":
        assert f"HTTP Request: POST {origin}/***" in caplog.text  # httpx's own line, redacted
    if outcome == "delivered":
        assert f"COMMUNIQUE ALERT posted to the communique_alerts webhook ({origin}/***)" in caplog.text
    else:
        reason = "HTTP 500" if outcome == "server_error" else "ConnectError"
        assert "COMMUNIQUE ALERT could not be posted" in caplog.text and reason in caplog.text
    # The filter is gone after the post: other requests log as before.
    assert not logging.getLogger("httpx").filters


@pytest.mark.slow
def test_failure_posts_to_the_webhook(
    airflow_db: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    from airflow.dag_processing.dagbag import DagBag

    with LocalHTTPServer() as hook:
        hook.route(HOOK_PATH, Reply.text("ok"))
        monkeypatch.setenv(
            "AIRFLOW_CONN_COMMUNIQUE_ALERTS", json.dumps({"conn_type": "http", "host": hook.url(HOOK_PATH)})
        )
        # A warehouse that does not exist: the first task fails.
        broken = {"conn_type": "postgres", "host": "/nonexistent-socket-dir", "login": "nobody", "schema": "none"}
        monkeypatch.setenv("AIRFLOW_CONN_COMMUNIQUE_WAREHOUSE", json.dumps(broken))
        dag = DagBag(dag_folder=str(DAGS_FOLDER)).dags["communique_process"]
        for task in dag.tasks:
            task.retries = 0  # fail for good at once
        run = dag.test()
        assert run.state == "failed"
        posted = [r for r in hook.requests if r.path == HOOK_PATH]
    assert len(posted) == 1 and posted[0].method == "POST"
    payload = json.loads(posted[0].body)
    assert payload["dag_id"] == "communique_process" and payload["task_id"] == "migrate_warehouse"
    assert payload["exception"].startswith("WarehouseError") and payload["text"].startswith("Communiqué:")
    assert "/dags/communique_process/runs/" in payload["log_url"] and "/tasks/migrate_warehouse" in payload["log_url"]
    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "COMMUNIQUE ALERT Communiqué: communique_process.migrate_warehouse failed" in logged
    assert TOKEN not in logged
