"""`make airflow`: Airflow standalone on the embedded stack runs both DAGs and alerts at once.

The stack is started exactly as `make airflow` starts it (`communique airflow standalone`, no
AIRFLOW__* variable set), on free ports. Both DAGs are triggered through the REST API as an
operator would; their runs must succeed through the scheduler and their task logs (read
through the API, as the UI reads them) must show each stage's line of counts. Then the feed
list is broken and the ingest DAG triggered again: the failing task must not retry, and its
alert (exception and log URL) must reach the task log and the webhook within a minute.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psutil
import pytest

from tests.support.http_server import LocalHTTPServer, Reply

from .airflow_stack import free_port

pytestmark = pytest.mark.slow
COMMUNIQUE = Path(sys.executable).parent / "communique"
TOKEN = "hook-t0ken-5b1c"  # the webhook's secret path segment: no log may show it
HOOK_PATH = f"/services/{TOKEN}"
STARTUP_TIMEOUT, RUN_TIMEOUT = 420, 600


class Standalone:
    """`communique airflow standalone` in a subprocess, and the REST calls an operator makes."""

    def __init__(self, tmp_path: Path, hook_url: str) -> None:
        self.home, self.airflow_home, self.output = tmp_path / "home", tmp_path / "airflow", tmp_path / "out.log"
        self.ports = {name: free_port() for name in ("api", "demo", "worker_log", "trigger_log", "health")}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_"))}
        self.env = {**env, "COMMUNIQUE_HOME": str(self.home), "AIRFLOW_HOME": str(self.airflow_home),
                    "COMMUNIQUE_AIRFLOW_PORT": str(self.ports["api"]),
                    "COMMUNIQUE_DEMO_PORT": str(self.ports["demo"]),
                    "COMMUNIQUE_AIRFLOW_WORKER_LOG_PORT": str(self.ports["worker_log"]),
                    "COMMUNIQUE_AIRFLOW_TRIGGER_LOG_PORT": str(self.ports["trigger_log"]),
                    "COMMUNIQUE_AIRFLOW_HEALTH_PORT": str(self.ports["health"]),
                    "COMMUNIQUE_INGEST_SHARDS": "1",
                    "AIRFLOW_CONN_COMMUNIQUE_ALERTS": json.dumps({"conn_type": "http", "host": hook_url}),
                    "PATH": f"{COMMUNIQUE.parent}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip
        self.base = f"http://127.0.0.1:{self.ports['api']}"
        self.headers: dict[str, str] = {}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.output.open("wb") as out:
            self.process = subprocess.Popen(
                [str(COMMUNIQUE), "airflow", "standalone"], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        subprocess.run([str(COMMUNIQUE), "warehouse", "stop"], env=self.env, check=False, capture_output=True)

    def wait_for(self, what: str, check: Callable[[], Any], timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.tail()
            if result := check():
                return result
            time.sleep(2)
        raise AssertionError(f"timed out waiting for {what}\n{self.tail()}")

    def tail(self) -> str:
        return self.output.read_text(errors="replace")[-6000:]

    def healthy(self) -> bool:
        try:
            health = httpx.get(f"{self.base}/api/v2/monitor/health", timeout=5).json()
        except (httpx.HTTPError, ValueError):
            return False
        parts = ("metadatabase", "scheduler", "triggerer", "dag_processor")
        return all(health.get(p, {}).get("status") == "healthy" for p in parts)

    def log_in(self) -> None:
        passwords = json.loads((self.airflow_home / "simple_auth_manager_passwords.json.generated").read_text())
        answer = httpx.post(f"{self.base}/auth/token", json={"username": "admin", "password": passwords["admin"]})
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def get(self, path: str, params: dict[str, Any] | None = None, accept: str = "application/json") -> Any:
        headers = {**self.headers, "Accept": accept}
        response = httpx.get(f"{self.base}/api/v2{path}", headers=headers, params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def trigger(self, dag_id: str, conf: dict[str, Any] | None = None) -> str:
        body = {"logical_date": None, "conf": conf or {}}
        response = httpx.post(f"{self.base}/api/v2/dags/{dag_id}/dagRuns", json=body, headers=self.headers, timeout=30)
        response.raise_for_status()
        return str(response.json()["dag_run_id"])

    def runs(self) -> list[dict[str, Any]]:
        return list(self.get("/dags/~/dagRuns", params={"limit": 100})["dag_runs"])

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        return list(self.get(f"/dags/{dag_id}/dagRuns/{quote(run_id, safe='')}/taskInstances")["task_instances"])

    def task_log(self, dag_id: str, run_id: str, task_id: str, try_number: int = 1, map_index: int = -1) -> list[str]:
        path = f"/dags/{dag_id}/dagRuns/{quote(run_id, safe='')}/taskInstances/{task_id}/logs/{try_number}"
        content = self.get(path, params={"map_index": map_index})
        return [str(line.get("event", "")) for line in content["content"]]


@pytest.fixture
def webhook() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as hook:
        hook.route(HOOK_PATH, Reply.text("ok"))
        yield hook


def _listening_ports() -> dict[int, set[str]]:
    ports: dict[int, set[str]] = {}
    for conn in psutil.net_connections(kind="inet"):
        if conn.status == psutil.CONN_LISTEN:
            ports.setdefault(conn.laddr.port, set()).add(conn.laddr.ip)
    return ports


def _lines(log: list[str], prefix: str) -> list[str]:
    return [line for line in log if line.startswith(prefix)]


def test_make_airflow_runs_both_dags_and_alerts_within_a_minute(tmp_path: Path, webhook: LocalHTTPServer) -> None:
    stack = Standalone(tmp_path, webhook.url(HOOK_PATH))
    stack.start()
    try:
        stack.wait_for("a healthy stack", stack.healthy, STARTUP_TIMEOUT)
        _check_the_configuration(stack)
        stack.log_in()
        stack.wait_for("both DAGs", lambda: {"communique_ingest", "communique_process"}
                       <= {d["dag_id"] for d in stack.get("/dags")["dags"]}, 120)  # fmt: skip
        ingest_run = stack.trigger("communique_ingest", {"force_poll": True})
        process_run = stack.trigger("communique_process")
        _check_the_runs(stack, ingest_run, process_run)
        _check_a_failure_alerts_within_a_minute(stack, webhook)
    finally:
        stack.stop()


def _check_the_configuration(stack: Standalone) -> None:
    """Secrets made once and private; the API on loopback only; our log-server ports, not the defaults."""
    config = (stack.airflow_home / "airflow.cfg").read_text()
    assert "sql_alchemy_conn = postgresql+psycopg://" in config and str(stack.home / "pgdata") in config
    keys = json.loads((stack.airflow_home / "communique-secrets.json").read_text())
    assert f"jwt_secret = {keys['jwt_secret']}" in config and f"fernet_key = {keys['fernet_key']}" in config
    for path in (stack.airflow_home / "airflow.cfg", stack.airflow_home / "communique-secrets.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    listening = _listening_ports()
    assert listening.get(stack.ports["api"]) == {"127.0.0.1"}, listening.get(stack.ports["api"])
    assert listening.get(stack.ports["health"]) == {"127.0.0.1"}
    for name in ("worker_log", "trigger_log"):
        assert stack.ports[name] in listening, f"the {name} server does not listen on its configured port"


def _check_the_runs(stack: Standalone, ingest_run: str, process_run: str) -> None:
    def settled() -> list[dict[str, Any]] | None:
        runs = stack.runs()
        failed = [(r["dag_id"], r["dag_run_id"]) for r in runs if r["state"] == "failed"]
        assert not failed, f"runs failed: {failed}\n{stack.tail()}"
        ours = {r["dag_run_id"]: r["state"] for r in runs}
        asset_runs = [r for r in runs if r["run_type"] == "asset_triggered" and r["state"] == "success"]
        done = ours.get(ingest_run) == "success" and ours.get(process_run) == "success" and asset_runs
        return runs if done else None

    runs = stack.wait_for("both manual runs and the asset-triggered processing", settled, RUN_TIMEOUT)
    # Every task of every finished run succeeded on its first try (no "Invalid auth token", no start-up race).
    runs = [r for r in runs if r["state"] == "success"]  # a scheduled run may have started meanwhile
    # The brief's task waits for its day's processing by retrying (test_brief_dag): its tries are no failure.
    for run in (r for r in runs if r["dag_id"] != "communique_brief"):
        for ti in stack.task_instances(run["dag_id"], run["dag_run_id"]):
            assert ti["state"] in {"success", "skipped", None}, (run["dag_run_id"], ti["task_id"], ti["state"])
            assert ti["try_number"] <= 1, (run["dag_run_id"], ti["task_id"], ti["try_number"])

    # Only an ingest run that landed pages announces them (and starts processing); the others skip.
    ingest = [r for r in runs if r["dag_id"] == "communique_ingest" and r["state"] == "success"]
    announced = {
        r["dag_run_id"]: next(t["state"] for t in stack.task_instances("communique_ingest", r["dag_run_id"])
                              if t["task_id"] == "announce_landed")
        for r in ingest
    }  # fmt: skip
    assert sorted(announced.values()).count("success") == 1, announced
    assert set(announced.values()) <= {"success", "skipped"}
    asset_runs = [r for r in runs if r["run_type"] == "asset_triggered"]
    assert len(asset_runs) == 1, asset_runs

    # The task logs (read as the UI reads them) show one line of counts per stage, once.
    landed_by = next(run_id for run_id, state in announced.items() if state == "success")
    poll = _lines(stack.task_log("communique_ingest", landed_by, "poll_feeds", map_index=0), "poll: ")
    assert len(poll) == 1 and poll[0].startswith("poll: 3 feeds polled, 15 entries"), poll
    fetch = _lines(stack.task_log("communique_ingest", landed_by, "fetch_articles", map_index=0), "fetch: ")
    assert len(fetch) == 1 and " landed" in fetch[0], fetch
    processed = asset_runs[0]["dag_run_id"]
    clean = _lines(stack.task_log("communique_process", processed, "clean_articles"), "clean: ")
    assert len(clean) == 1 and "pages" in clean[0] and "cleaned" in clean[0] and "not English" in clean[0], clean
    extract = _lines(stack.task_log("communique_process", processed, "extract_events"), "extract: ")
    assert len(extract) == 1 and "stories" in extract[0] and "events" in extract[0], extract
    load = _lines(stack.task_log("communique_process", processed, "load_events"), "load: ")
    assert len(load) == 1 and "facts new or changed" in load[0], load
    manual = _lines(stack.task_log("communique_process", process_run, "clean_articles"), "clean: ")
    assert len(manual) == 1, manual


def _check_a_failure_alerts_within_a_minute(stack: Standalone, webhook: LocalHTTPServer) -> None:
    (stack.home / "demo-feeds.toml").write_text("this is not a feed list [", encoding="utf-8")
    run_id = stack.trigger("communique_ingest", {"force_poll": True})

    def alert() -> dict[str, Any] | None:
        posted = [json.loads(r.body) for r in webhook.requests if r.path == HOOK_PATH]
        return next((p for p in posted if p["run_id"] == run_id), None)

    payload = stack.wait_for("the alert of the failed poll", alert, RUN_TIMEOUT)
    received = datetime.now().astimezone()

    def finished_poll() -> dict[str, Any] | None:
        # The failure callback runs in the task's process, before the runner reports the final
        # state: the alert can land while the API still says "running".
        tis = stack.task_instances("communique_ingest", run_id)
        poll = next(t for t in tis if t["task_id"] == "poll_feeds")
        return poll if poll["state"] not in ("running", "queued", "scheduled", None) else None

    poll = stack.wait_for("the failed poll's final state", finished_poll, 60)
    assert poll["state"] == "failed" and poll["try_number"] == 1, poll  # a broken feed list is not retried
    failed_at = datetime.fromisoformat(poll["end_date"].replace("Z", "+00:00"))
    assert (received - failed_at).total_seconds() <= 60, (received, failed_at)
    assert payload["task_id"] == "poll_feeds" and payload["exception"].startswith("ConfigError: bad feed list")
    assert payload["log_url"].startswith(f"http://localhost:{stack.ports['api']}/dags/communique_ingest/runs/")
    assert "/tasks/poll_feeds" in payload["log_url"]
    log = stack.task_log("communique_ingest", run_id, "poll_feeds", map_index=0)
    assert any(line.startswith("COMMUNIQUE ALERT Communiqué: communique_ingest.poll_feeds") for line in log), log
    logs = [stack.output, *(p for p in stack.airflow_home.rglob("*.log") if p.is_file())]
    assert not [p for p in logs if TOKEN in p.read_text(errors="replace")], "a log shows the webhook's token"
